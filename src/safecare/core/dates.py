"""Deadline arithmetic: the single place where the product turns a rule into a date (rules: How dates are counted).

Two kinds of deadline exist and they never mix:

Working-day deadlines
    A working day is Monday to Friday, not a bank holiday in the service's nation and
    not a closure day the service configured. :class:`WorkingCalendar` answers every
    working-day question:

    * "within N working days of D" (:meth:`WorkingCalendar.add_working_days`): D is
      day 0 and the due date is the N-th working day after D, whatever D itself is.
      N = 0 means "on D": D if D is a working day, otherwise the next working day.
    * "at least N clear working days before D": N working days must lie strictly
      between the send date S and D, neither end counted.
      :meth:`WorkingCalendar.working_days_between` counts those clear days and
      :meth:`WorkingCalendar.latest_send_date` gives the latest working day S that
      still leaves N of them.

Calendar deadlines
    :func:`add_calendar_days`, :func:`add_months` and
    :func:`latest_date_calendar_days_before` count every day alike and never move a
    result off a weekend or a holiday. A month after 31 January is the last day of
    February.

Bank holidays come from the ``holidays`` package's UK calendar, always asked for with
the nation as its subdivision: without one it leaves out holidays that only some
nations share (Easter Monday and the August bank holiday among them). One-off holidays,
such as the state funeral on 19 September 2022 and the coronation on 8 May 2023, are
part of that data.

Each calendar keeps a sorted list of working-day ordinals over a window of years, so
every question is a ``bisect`` over that list. The window starts at
:data:`INITIAL_YEARS` and grows lazily, in steps of a decade, when a date or a count
reaches past it. It never grows beyond :data:`FIRST_SUPPORTED_YEAR` (1900) to
:data:`LAST_SUPPORTED_YEAR` (the last year of the holiday data, 2100 in ``holidays``
0.109). Past its last year ``holidays`` quietly returns no holidays at all, so a date,
or a deadline, outside the range raises ``ValueError`` rather than ignoring bank
holidays.
"""

from __future__ import annotations

import functools
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NoReturn

from dateutil.relativedelta import relativedelta
from holidays import country_holidays
from holidays.countries.united_kingdom import UnitedKingdom

__all__ = [
    "FIRST_SUPPORTED_YEAR",
    "INITIAL_YEARS",
    "LAST_SUPPORTED_YEAR",
    "NATIONS",
    "WorkingCalendar",
    "add_calendar_days",
    "add_months",
    "get_calendar",
    "latest_date_calendar_days_before",
]

# The UK nations as the holidays package names its subdivisions, England first: Wales has
# bank holidays of its own there, so "ENG" is England alone (decision 0025). The order is
# the order a service's settings form offers them in.
NATIONS: dict[str, str] = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}

FIRST_SUPPORTED_YEAR = 1900
# Past the library's last year every date would silently count as a non-holiday.
LAST_SUPPORTED_YEAR: int = UnitedKingdom.end_year

INITIAL_YEARS: tuple[int, int] = (2015, 2045)
_GROWTH_YEARS = 10
_HOLIDAY_LANGUAGE = "en_GB"


def _check_nation(nation: str) -> None:
    if nation not in NATIONS:
        expected = ", ".join(NATIONS)
        raise ValueError(f"Unknown nation {nation!r}: expected one of {expected}.")


def _reject_negative(value: int, what: str) -> NoReturn:
    raise ValueError(f"{what} must be zero or more, got {value}.")


def _check_year(year: int) -> None:
    if not FIRST_SUPPORTED_YEAR <= year <= LAST_SUPPORTED_YEAR:
        raise ValueError(
            f"Year {year} is outside {FIRST_SUPPORTED_YEAR} to {LAST_SUPPORTED_YEAR}, "
            "the years for which bank holidays are known; no working-day deadline "
            "can be worked out there."
        )


def _read_bank_holidays(nation: str, year: int) -> dict[int, str]:
    """Bank holidays of one nation and year, keyed by date ordinal."""
    found = country_holidays("GB", subdiv=nation, years=year, language=_HOLIDAY_LANGUAGE)
    return {day.toordinal(): str(name) for day, name in found.items()}


# The caches below wrap their functions rather than decorate them: the mutation tests
# (docs/mutation.md) mutate only undecorated functions. The behaviour is the same.
_bank_holidays_in_year = functools.cache(_read_bank_holidays)


@dataclass(frozen=True, slots=True)
class _Window:
    """Working days of a calendar over whole years ``first_year`` to ``last_year``."""

    first_year: int
    last_year: int
    lo: int
    hi: int
    working: list[int]
    bank_holidays: dict[int, str]


class WorkingCalendar:
    """Working days of one service: its nation's bank holidays plus its closure days.

    Instances are safe to share between threads: the window of precomputed days is
    replaced as a whole, never changed in place. Prefer :func:`get_calendar`, which
    reuses instances.
    """

    __slots__ = ("_closure_ordinals", "_lock", "_window", "closure_days", "nation")

    def __init__(self, nation: str = "ENG", closure_days: Iterable[date] = ()) -> None:
        _check_nation(nation)
        self.nation = nation
        self.closure_days: frozenset[date] = frozenset(closure_days)
        self._closure_ordinals = frozenset(day.toordinal() for day in self.closure_days)
        self._lock = threading.Lock()
        self._window = self._build(*INITIAL_YEARS)

    def __repr__(self) -> str:
        return f"WorkingCalendar(nation={self.nation!r}, closure_days={sorted(self.closure_days)!r})"

    def is_working_day(self, d: date) -> bool:
        ordinal = d.toordinal()
        window = self._window
        if not window.lo <= ordinal <= window.hi:
            window = self._grow(ordinal, ordinal)
        working = window.working
        i = bisect_left(working, ordinal)
        return i < len(working) and working[i] == ordinal

    def bank_holiday_name(self, d: date) -> str | None:
        """The bank holiday's name, even on a weekend; None for closure days and others.

        Where two holidays fall on one day the library joins their names with "; ".
        """
        ordinal = d.toordinal()
        window = self._window
        if not window.lo <= ordinal <= window.hi:
            window = self._grow(ordinal, ordinal)
        return window.bank_holidays.get(ordinal)

    def add_working_days(self, d: date, n: int) -> date:
        """The due date of something required "within ``n`` working days of ``d``".

        ``d`` is day 0 and is never counted, so for ``n`` > 0 the answer is the n-th
        working day after ``d`` even when ``d`` is a weekend or holiday. For ``n`` = 0
        it is ``d`` if ``d`` is a working day, otherwise the next working day.
        """
        if n < 0:
            _reject_negative(n, "The number of working days")
        ordinal = d.toordinal()
        window = self._window
        if not window.lo <= ordinal <= window.hi:
            window = self._grow(ordinal, ordinal)
        while True:
            working = window.working
            # n == 0 may return d itself; otherwise d is day 0 and never counted.
            i = bisect_left(working, ordinal) if n == 0 else bisect_right(working, ordinal) + n - 1
            if i < len(working):
                return date.fromordinal(working[i])
            window = self._cover_years(window.first_year, window.last_year + 1)

    def next_working_day_on_or_after(self, d: date) -> date:
        return self.add_working_days(d, 0)

    def working_days_between(self, start: date, end: date) -> int:
        """Clear working days strictly between ``start`` and ``end``, neither counted.

        Zero when ``end`` is not at least two days after ``start``, including when it
        is earlier: a notice sent after the event left no clear days.
        """
        lo, hi = start.toordinal(), end.toordinal()
        if hi - lo < 2:
            return 0
        window = self._window
        if not (window.lo <= lo and hi <= window.hi):
            window = self._grow(lo, hi)
        working = window.working
        return bisect_left(working, hi) - bisect_right(working, lo)

    def latest_send_date(self, event: date, clear_days: int) -> date:
        """The latest working day that leaves ``clear_days`` clear working days before
        ``event``.

        The answer is always a working day strictly before ``event``, so with
        ``clear_days`` = 0 it is the last working day before the event.
        """
        if clear_days < 0:
            _reject_negative(clear_days, "The number of clear working days")
        ordinal = event.toordinal()
        window = self._window
        if not window.lo <= ordinal <= window.hi:
            window = self._grow(ordinal, ordinal)
        while True:
            working = window.working
            i = bisect_left(working, ordinal) - clear_days - 1
            if i >= 0:
                return date.fromordinal(working[i])
            window = self._cover_years(window.first_year - 1, window.last_year)

    def _grow(self, lo: int, hi: int) -> _Window:
        return self._cover_years(date.fromordinal(lo).year, date.fromordinal(hi).year)

    def _cover_years(self, first_year: int, last_year: int) -> _Window:
        _check_year(first_year)
        _check_year(last_year)
        with self._lock:
            window = self._window
            if window.first_year <= first_year and last_year <= window.last_year:
                return window
            if first_year < window.first_year:
                first_year = max(FIRST_SUPPORTED_YEAR, first_year - _GROWTH_YEARS)
            if last_year > window.last_year:
                last_year = min(LAST_SUPPORTED_YEAR, last_year + _GROWTH_YEARS)
            window = self._build(min(first_year, window.first_year), max(last_year, window.last_year))
            self._window = window
            return window

    def _build(self, first_year: int, last_year: int) -> _Window:
        bank_holidays: dict[int, str] = {}
        for year in range(first_year, last_year + 1):
            bank_holidays.update(_bank_holidays_in_year(self.nation, year))
        lo = date(first_year, 1, 1).toordinal()
        hi = date(last_year, 12, 31).toordinal()
        closed = self._closure_ordinals
        # (ordinal + 6) % 7 is date.weekday(): Monday 0 to Sunday 6.
        working = [
            ordinal
            for ordinal in range(lo, hi + 1)
            if (ordinal + 6) % 7 < 5 and ordinal not in bank_holidays and ordinal not in closed
        ]
        return _Window(first_year, last_year, lo, hi, working, bank_holidays)


def _new_calendar(nation: str, closure_days: tuple[date, ...]) -> WorkingCalendar:
    return WorkingCalendar(nation, closure_days)


_cached_calendar = functools.lru_cache(maxsize=256)(_new_calendar)


def get_calendar(nation: str = "ENG", closure_days: Iterable[date] = ()) -> WorkingCalendar:
    """A shared calendar for a nation and set of closure days; order and repeats of
    the closure days do not matter."""
    _check_nation(nation)
    return _cached_calendar(nation, tuple(sorted(set(closure_days))))


def add_calendar_days(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar days; ``n`` may be negative. Never moved off a weekend."""
    return d + timedelta(days=n)


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the month's last day.

    ``n`` may be negative. 31 January plus one month is 28 (or 29) February.
    """
    result: date = d + relativedelta(months=n)
    return result


def latest_date_calendar_days_before(event: date, n: int) -> date:
    """The latest date that is "at least ``n`` calendar days before" ``event``: ``event - n``.

    Not moved off a weekend or holiday.
    """
    if n < 0:
        _reject_negative(n, "The number of calendar days")
    return event - timedelta(days=n)
