from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine


@pytest.fixture
def today(request: pytest.FixtureRequest) -> Iterator[time_machine.Traveller]:
    """The clock stopped at 10:00 London time on the day a test names, e.g.
    ``@pytest.mark.parametrize("today", ["Thursday 3 December 2026"], indirect=True)``.

    Ask for it before ``world``, so the world is built on that day too. The weekday is
    part of the name, and checked, so a test's literal dates are read against a calendar.
    """
    named: str = request.param
    at = dt.datetime.strptime(f"{named} 10:00", "%A %d %B %Y %H:%M").replace(tzinfo=ZoneInfo("Europe/London"))
    assert f"{at:%A}" == named.split()[0], f"{named} is a {at:%A}"
    with time_machine.travel(at, tick=False) as traveller:
        yield traveller
