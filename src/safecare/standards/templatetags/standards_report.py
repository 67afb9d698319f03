"""Template filters of the meeting report (SOC-7, SOC-12): its frozen content keeps dates as
ISO text (JSON); people read them as dates."""

from __future__ import annotations

import datetime as dt

from django import template

from safecare.core.deadlines import long_date

register = template.Library()


@register.filter
def report_date(value: object) -> str:
    """'2027-03-22' → 'Monday 22 March 2027'; anything else as it is."""
    if isinstance(value, str):
        try:
            return long_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return "" if value is None else str(value)


@register.filter
def report_dates(values: object) -> str:
    """A list of ISO dates, each read as a date, joined with commas."""
    if not isinstance(values, list | tuple):
        return report_date(values)
    return ", ".join(report_date(v) for v in values)
