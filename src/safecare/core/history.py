"""Change history (django-simple-history) with 64-bit history ids (decision 0053).

django-simple-history numbers its history rows with a 32-bit AutoField unless told
otherwise: about 2.1 billion rows per table, which a national deployment's audit trail can
reach. Every Safecare model keeps its history through this `HistoricalRecords`, whose rows
(and the rows of its many-to-many history tables) are numbered with a BigAutoField. Import
it from here, never from simple_history.models; tests/core/test_history_ids.py fails for a
history table whose id is not 64-bit.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords as _HistoricalRecords


class HistoricalRecords(_HistoricalRecords):  # type: ignore[misc]  # simple_history is untyped
    def __init__(
        self, *args: Any, history_id_field: models.Field[Any, Any] | None = None, **kwargs: Any
    ) -> None:
        if history_id_field is None:
            history_id_field = models.BigAutoField(primary_key=True)
        super().__init__(*args, history_id_field=history_id_field, **kwargs)
