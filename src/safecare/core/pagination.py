"""A paginator that never counts more rows than people page through.

A list of every status over ten years of duties holds hundreds of thousands of
rows; counting them all costs more than the page. Nobody pages past a thousand
rows: they filter. So the count stops at `limit` (one bounded subquery), the
list says "more than 1,000" beyond it, and the pages run to the limit; the rows
past it are reached with the filters. Each page is still read with LIMIT and
OFFSET on an index, whatever the table holds.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator


class BoundedPaginator(Paginator):  # type: ignore[type-arg]
    def __init__(self, object_list: Any, per_page: int, *, limit: int = 1000) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def _seen(self) -> int:
        # SELECT COUNT(*) FROM (SELECT … LIMIT limit + 1): one past the limit says there is more.
        return int(self.object_list[: self.limit + 1].count())  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        return min(self._seen, self.limit)

    @property
    def capped(self) -> bool:
        """More rows than the limit: the count shown is a floor."""
        return self._seen > self.limit
