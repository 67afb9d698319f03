"""Small template filters for case pages."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def child_age(child: object, today: dt.date) -> int | str:
    """A child's age in whole years on `today`."""
    age_on = getattr(child, "age_on", None)
    return age_on(today) if age_on and today else ""
