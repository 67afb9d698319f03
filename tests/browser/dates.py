"""The GOV.UK date input in a browser: a fieldset named by its legend, with Day, Month and Year boxes."""

from __future__ import annotations

import datetime as dt
from typing import Any


def date_input(page: Any, legend: str) -> Any:
    return page.get_by_role("group", name=legend)


def fill_date(page: Any, legend: str, day: dt.date | None) -> None:
    """Type a date into the three boxes, or empty them (day None)."""
    group = date_input(page, legend)
    parts = ("", "", "") if day is None else (str(day.day), str(day.month), str(day.year))
    for label, value in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(label, exact=True).fill(value)


def date_typed(page: Any, legend: str) -> dt.date:
    group = date_input(page, legend)
    day, month, year = (
        group.get_by_label(label, exact=True).input_value() for label in ("Day", "Month", "Year")
    )
    return dt.date(int(year), int(month), int(day))
