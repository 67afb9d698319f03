"""The stopped clock of the tests that name their day, and how the shared world knows it early.

A test names its day through the ``today`` fixture (tests/conftest.py, and the compliance
checks' own), parametrized indirectly, e.g.
``@pytest.mark.parametrize("today", ["Thursday 3 December 2026"], indirect=True)``: the clock
stops at 10:00 London time on that day. Because the day is in the test's parameters, the test
process can build the shared world on that day before the test's transaction opens
(`stopped_at`), and every test of that day is given a copy of it, instead of each building
a world of its own inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def ten_o_clock(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)


def named_day(named: str) -> dt.datetime:
    """10:00 London time on a day written as "Thursday 3 December 2026"; the weekday is checked,
    so a test's literal dates are read against a calendar."""
    at = dt.datetime.strptime(named, "%A %d %B %Y").replace(hour=10, tzinfo=LONDON)
    assert f"{at:%A}" == named.split()[0], f"{named} is a {at:%A}"
    return at


def stopped_at(item: Any) -> dt.datetime | None:
    """The moment a test's ``today`` parameter stops the clock at, or None if it names none."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or "today" not in getattr(item, "fixturenames", ()):
        return None
    value = callspec.params.get("today")
    if isinstance(value, str):
        try:
            return named_day(value)
        except (ValueError, AssertionError):
            return None  # not a day's name: the test's own fixture will say so
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return ten_o_clock(value)
    return None
