"""A frozen clock for tests that assert literal dates (rules: How dates are counted worked examples).

`frozen(day)` stops the clock at 10:00 London time on `day`. A test that asks for
its world after freezing the clock gets a world of its own, built on that day
(tests/conftest.py), so every date the world holds (placements begun 60 days
earlier, devices told about "today") is consistent with the frozen day:

    @pytest.fixture
    def on_28_july_2027() -> Iterator[None]:
        with frozen(dt.date(2027, 7, 28)):
            yield

    @pytest.fixture
    def late_july(on_28_july_2027, world):  # the clock first, then the world
        return world
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

LONDON = ZoneInfo("Europe/London")


def frozen(day: dt.date, hour: int = 10) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False)
