"""Query parameters of the API's lists: one mechanism, typed, and refused when wrong.

Each list names its `filter_class`, a serializer of typed fields (a filter set).
Every parameter is checked before the database is asked anything: a value that is
not of the parameter's type, out of its range, or a parameter the list does not
know is answered 400 naming the parameter, rather than ignored in silence (a
caller would read a whole list as the filtered one) or passed to the database (a
huge integer overflows SQLite). drf-spectacular documents the same fields as the
list's query parameters.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers

# Ids are positive and fit the databases' 64-bit integer keys.
MAX_ID = 2**63 - 1

# Parameters the framework reads itself: the page of a list (the paginator answers an
# impossible page with 404) and the response format.
FRAMEWORK_PARAMETERS = frozenset({"page", "format"})


def id_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=help_text)


def flag_field(help_text: str) -> serializers.BooleanField:
    return serializers.BooleanField(required=False, allow_null=True, default=None, help_text=help_text)


class QueryFilter(serializers.Serializer[Any]):
    """A list with no filters of its own: only the page may be asked for."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = set(getattr(self, "initial_data", {}) or {})
        unknown = sorted(given - set(self.fields) - FRAMEWORK_PARAMETERS)
        if unknown:
            known = ", ".join(sorted(self.fields)) or "none but page"
            raise serializers.ValidationError(
                {name: [f"{name}: this list has no such filter (its filters: {known})"] for name in unknown}
            )
        return attrs


def parse_query(query: Any, filter_class: type[QueryFilter]) -> dict[str, Any]:
    """The list's filters from the query string, or a 400 naming each parameter that is wrong."""
    repeated = (
        sorted(name for name in query if len(query.getlist(name)) > 1) if hasattr(query, "getlist") else []
    )
    if repeated:
        raise serializers.ValidationError({name: [f"{name}: give this filter once"] for name in repeated})
    page = query.get("page")
    if page is not None and not re.fullmatch(r"[1-9][0-9]{0,8}", page):
        # The paginator would read "" as page 1 and "true" as not found; the schema says
        # a whole number, so anything else is refused naming it.
        raise serializers.ValidationError({"page": ["page: must be a whole number from 1"]})
    # A plain dict, not the QueryDict: DRF reads a boolean missing from form-like input as false.
    parsed = filter_class(data={name: query.get(name) for name in query})
    parsed.is_valid(raise_exception=True)
    return {name: value for name, value in parsed.validated_data.items() if value is not None}
