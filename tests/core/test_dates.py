"""Deadline arithmetic (rules: How dates are counted): worked examples, holiday data and invariants."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safecare.core.dates import (
    FIRST_SUPPORTED_YEAR,
    INITIAL_YEARS,
    LAST_SUPPORTED_YEAR,
    NATIONS,
    WorkingCalendar,
    add_calendar_days,
    add_months,
    get_calendar,
    latest_date_calendar_days_before,
)

ENG = get_calendar("ENG")


# --- rules: How dates are counted worked examples -------------------------------------------------------------


def test_ssw_visit_due_five_working_days_after_concern_skipping_easter() -> None:
    # SOC-4: the supervising social worker visits within 5 working days of the concern;
    # Good Friday and Easter Monday do not count.
    assert ENG.add_working_days(date(2027, 3, 24), 5) == date(2027, 4, 2)


def test_independent_support_referral_due_two_working_days_after_meeting() -> None:
    # SOC-6: the referral for independent support is made within 2 working days.
    assert ENG.add_working_days(date(2027, 3, 25), 2) == date(2027, 3, 31)


def test_report_reaches_chair_five_clear_working_days_and_carer_ten_days_before() -> None:
    # SOC-7: the chair has the report 5 clear working days before the meeting, the carer
    # 10 calendar days before it.
    meeting = date(2027, 4, 12)
    to_chair = ENG.latest_send_date(meeting, 5)
    assert to_chair == date(2027, 4, 2)
    assert ENG.working_days_between(to_chair, meeting) == 5
    assert latest_date_calendar_days_before(meeting, 10) == date(2027, 4, 2)


def test_emergency_placement_update_skips_observed_christmas_and_boxing_day() -> None:
    # SC-4: the update follows an emergency placement within 5 working days; Christmas and
    # Boxing Day 2027 fall at a weekend and are observed on 27 and 28 December.
    assert ENG.bank_holiday_name(date(2027, 12, 27)) == "Christmas Day (observed)"
    assert ENG.bank_holiday_name(date(2027, 12, 28)) == "Boxing Day (observed)"
    assert ENG.add_working_days(date(2027, 12, 22), 5) == date(2027, 12, 31)


def test_deregistration_takes_effect_28_calendar_days_after_resignation() -> None:
    # SOC-11: 28 calendar days, not moved off a weekend or holiday.
    assert add_calendar_days(date(2027, 3, 15), 28) == date(2027, 4, 12)


def test_monitoring_review_one_month_after_31_january_is_end_of_february() -> None:
    # IM-9: the first review is one month after the agreement.
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


# --- Holiday data ------------------------------------------------------------------------


@pytest.mark.parametrize("nation", ["ENG", "WLS", "NIR"])
def test_easter_monday_and_august_bank_holiday_are_holidays(nation: str) -> None:
    cal = get_calendar(nation)
    assert cal.bank_holiday_name(date(2027, 3, 29)) == "Easter Monday"
    assert cal.bank_holiday_name(date(2027, 8, 30)) == "Late Summer Bank Holiday"
    assert not cal.is_working_day(date(2027, 3, 29))
    assert not cal.is_working_day(date(2027, 8, 30))


def test_scotland_has_first_monday_of_august_and_no_easter_monday() -> None:
    sct = get_calendar("SCT")
    assert sct.bank_holiday_name(date(2027, 8, 2)) == "Summer Bank Holiday"
    assert sct.is_working_day(date(2027, 8, 30))
    assert sct.is_working_day(date(2027, 3, 29))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of Charles III"),
        (date(2022, 6, 3), "Platinum Jubilee of Elizabeth II"),
    ],
)
@pytest.mark.parametrize("nation", list(NATIONS))
def test_one_off_holidays_are_not_working_days(nation: str, day: date, name: str) -> None:
    cal = get_calendar(nation)
    assert cal.bank_holiday_name(day) == name
    assert not cal.is_working_day(day)


def test_second_of_january_is_a_holiday_in_scotland_only() -> None:
    thursday = date(2025, 1, 2)
    assert get_calendar("SCT").bank_holiday_name(thursday) == "New Year Holiday"
    assert not get_calendar("SCT").is_working_day(thursday)
    assert ENG.bank_holiday_name(thursday) is None
    assert ENG.is_working_day(thursday)


def test_st_andrews_day_on_a_weekend_moves_to_monday_in_scotland_only() -> None:
    monday = date(2024, 12, 2)
    assert get_calendar("SCT").bank_holiday_name(monday) == "Saint Andrew's Day (observed)"
    assert not get_calendar("SCT").is_working_day(monday)
    assert ENG.is_working_day(monday)


def test_same_day_holidays_are_named_together() -> None:
    assert get_calendar("SCT").bank_holiday_name(date(2023, 1, 2)) == (
        "New Year Holiday; New Year's Day (observed)"
    )


def test_weekend_holiday_keeps_its_name_but_weekday_is_not_a_holiday() -> None:
    assert ENG.bank_holiday_name(date(2027, 12, 25)) == "Christmas Day"
    assert ENG.bank_holiday_name(date(2027, 12, 29)) is None


def test_bank_holidays_are_named_in_british_english_whatever_the_servers_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The holiday data would follow the machine's language settings if not told which to use;
    # a worker reads the names on the task, in British English, wherever Safecare runs.
    from safecare.core import dates

    monkeypatch.setenv("LANGUAGE", "th")
    monkeypatch.setenv("LC_ALL", "th_TH.UTF-8")
    dates._bank_holidays_in_year.cache_clear()  # read the holiday data again, under that language
    try:
        calendar_in_thai_locale = WorkingCalendar("ENG")
        assert calendar_in_thai_locale.bank_holiday_name(date(2027, 3, 29)) == "Easter Monday"
        assert calendar_in_thai_locale.bank_holiday_name(date(2027, 8, 30)) == "Late Summer Bank Holiday"
    finally:
        dates._bank_holidays_in_year.cache_clear()


# --- Working calendar behaviour ----------------------------------------------------------


def test_weekends_are_not_working_days() -> None:
    assert not ENG.is_working_day(date(2027, 4, 3))
    assert not ENG.is_working_day(date(2027, 4, 4))
    assert ENG.is_working_day(date(2027, 4, 5))


def test_closure_days_are_not_working_days_and_are_skipped() -> None:
    closures = (date(2027, 12, 29), date(2027, 12, 30), date(2027, 12, 31))
    cal = get_calendar("ENG", closures)
    assert all(not cal.is_working_day(day) for day in closures)
    assert cal.bank_holiday_name(date(2027, 12, 29)) is None
    # 23 and 24 Dec, then 4, 5 and 6 Jan: New Year's Day 2028 is observed on Monday 3 Jan.
    assert cal.add_working_days(date(2027, 12, 22), 5) == date(2028, 1, 6)
    assert ENG.add_working_days(date(2027, 12, 22), 5) == date(2027, 12, 31)


def test_zero_working_days_is_the_day_itself_or_the_next_working_day() -> None:
    assert ENG.add_working_days(date(2027, 4, 1), 0) == date(2027, 4, 1)
    assert ENG.add_working_days(date(2027, 3, 26), 0) == date(2027, 3, 30)
    assert ENG.next_working_day_on_or_after(date(2027, 4, 3)) == date(2027, 4, 5)


def test_counting_from_a_weekend_starts_on_the_next_working_day() -> None:
    saturday = date(2027, 4, 3)
    assert ENG.add_working_days(saturday, 1) == date(2027, 4, 5)
    assert ENG.add_working_days(date(2027, 4, 4), 1) == date(2027, 4, 5)


def test_clear_days_are_zero_for_adjacent_or_reversed_dates() -> None:
    assert ENG.working_days_between(date(2027, 4, 5), date(2027, 4, 6)) == 0
    assert ENG.working_days_between(date(2027, 4, 5), date(2027, 4, 5)) == 0
    assert ENG.working_days_between(date(2027, 4, 12), date(2027, 4, 2)) == 0
    assert ENG.working_days_between(date(2027, 4, 5), date(2027, 4, 7)) == 1


def test_latest_send_date_with_no_clear_days_is_last_working_day_before() -> None:
    assert ENG.latest_send_date(date(2027, 3, 30), 0) == date(2027, 3, 25)


def test_unknown_nation_raises() -> None:
    with pytest.raises(ValueError, match="Unknown nation 'UK'"):
        WorkingCalendar("UK")
    with pytest.raises(ValueError, match="Unknown nation"):
        get_calendar("eng")


@pytest.mark.parametrize(
    "call",
    [
        lambda: ENG.add_working_days(date(2027, 1, 1), -1),
        lambda: ENG.latest_send_date(date(2027, 1, 1), -1),
        lambda: latest_date_calendar_days_before(date(2027, 1, 1), -1),
    ],
    ids=["add_working_days", "latest_send_date", "calendar_days_before"],
)
def test_negative_counts_raise(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="must be zero or more"):
        call()


def test_calendar_arithmetic_accepts_negative_counts() -> None:
    assert add_calendar_days(date(2027, 3, 1), -1) == date(2027, 2, 28)
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)


def test_get_calendar_shares_instances_whatever_the_closure_order() -> None:
    a = get_calendar("ENG", [date(2027, 1, 5), date(2027, 1, 4)])
    b = get_calendar("ENG", (date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 4)))
    assert a is b
    assert get_calendar() is ENG
    assert get_calendar("SCT") is not ENG


def test_window_grows_lazily_in_both_directions() -> None:
    assert WorkingCalendar("ENG").bank_holiday_name(date(1977, 6, 7)) == ("Silver Jubilee of Elizabeth II")
    assert WorkingCalendar("ENG").bank_holiday_name(date(2099, 12, 25)) == "Christmas Day"
    late = date(INITIAL_YEARS[1], 12, 1)
    expected_late = _reference_add(late, 400, "ENG", frozenset())
    assert WorkingCalendar("ENG").add_working_days(late, 400) == expected_late
    early = date(INITIAL_YEARS[0], 1, 10)
    expected_early = _reference_latest_send(early, 30, "ENG", frozenset())
    assert WorkingCalendar("ENG").latest_send_date(early, 30) == expected_early
    spanning = WorkingCalendar("ENG")
    assert spanning.working_days_between(early, late) == _reference_between(early, late, "ENG", frozenset())


def test_dates_outside_the_holiday_data_raise() -> None:
    with pytest.raises(ValueError, match=f"outside {FIRST_SUPPORTED_YEAR} to"):
        ENG.is_working_day(date(FIRST_SUPPORTED_YEAR - 1, 6, 1))
    with pytest.raises(ValueError, match=f"to {LAST_SUPPORTED_YEAR}"):
        ENG.is_working_day(date(LAST_SUPPORTED_YEAR + 1, 6, 1))
    with pytest.raises(ValueError, match="outside"):
        ENG.add_working_days(date(LAST_SUPPORTED_YEAR, 12, 20), 20)
    with pytest.raises(ValueError, match="outside"):
        ENG.latest_send_date(date(FIRST_SUPPORTED_YEAR, 1, 10), 20)


def test_next_working_day_on_or_after_a_working_day_is_that_day() -> None:
    assert ENG.next_working_day_on_or_after(date(2027, 4, 1)) == date(2027, 4, 1)


def test_zero_calendar_days_before_an_event_is_the_event_day() -> None:
    assert latest_date_calendar_days_before(date(2027, 4, 12), 0) == date(2027, 4, 12)


def test_a_new_calendar_is_for_england_and_wales_unless_told_otherwise() -> None:
    cal = WorkingCalendar()
    assert cal.nation == "ENG"
    assert not cal.is_working_day(date(2027, 3, 29))  # Easter Monday: not a holiday in Scotland


def test_a_calendar_shows_its_nation_and_closure_days() -> None:
    cal = get_calendar("SCT", [date(2027, 1, 5)])
    assert repr(cal) == "WorkingCalendar(nation='SCT', closure_days=[datetime.date(2027, 1, 5)])"


def test_error_messages_name_the_count_and_the_nations() -> None:
    with pytest.raises(ValueError) as working:
        ENG.add_working_days(date(2027, 1, 1), -1)
    assert str(working.value) == "The number of working days must be zero or more, got -1."
    with pytest.raises(ValueError) as clear:
        ENG.latest_send_date(date(2027, 1, 1), -2)
    assert str(clear.value) == "The number of clear working days must be zero or more, got -2."
    with pytest.raises(ValueError) as calendar_days:
        latest_date_calendar_days_before(date(2027, 1, 1), -3)
    assert str(calendar_days.value) == "The number of calendar days must be zero or more, got -3."
    with pytest.raises(ValueError) as nation:
        WorkingCalendar("UK")
    assert str(nation.value) == "Unknown nation 'UK': expected one of ENG, WLS, SCT, NIR."


# --- Outside the first cached years, and at the edges of a window ------------------------
#
# A calendar starts with the working days of 2015 to 2045 and grows when asked about a
# date outside them. Each test uses a calendar of its own, so the question it asks is the
# one that makes the window grow. Expected dates come from the England and Wales bank
# holidays of those years, counted by hand.


def test_working_days_in_2012_skip_the_diamond_jubilee_holidays() -> None:
    # Spring bank holiday moved to Mon 4 June 2012 and the Diamond Jubilee on Tue 5 June.
    # Within 5 working days of Fri 1 June: Wed 6, Thu 7, Fri 8, Mon 11, Tue 12 June.
    assert WorkingCalendar("ENG").add_working_days(date(2012, 6, 1), 5) == date(2012, 6, 12)
    # Strictly between Fri 1 and Mon 11 June: Wed 6, Thu 7 and Fri 8 June.
    assert WorkingCalendar("ENG").working_days_between(date(2012, 6, 1), date(2012, 6, 11)) == 3
    # Two clear working days before Wed 6 June: Fri 1 June and Thu 31 May; sent Wed 30 May.
    assert WorkingCalendar("ENG").latest_send_date(date(2012, 6, 6), 2) == date(2012, 5, 30)
    cal = WorkingCalendar("ENG")
    assert cal.bank_holiday_name(date(2012, 6, 5)) == "Diamond Jubilee of Elizabeth II"
    assert not cal.is_working_day(date(2012, 6, 4))
    assert cal.is_working_day(date(2012, 6, 6))


def test_working_days_in_2060_skip_christmas_observed_on_monday_and_tuesday() -> None:
    # Christmas Day and Boxing Day 2060 fall on Saturday and Sunday, observed Mon 27 and
    # Tue 28 December. Within 3 working days of Thu 23 Dec: Fri 24, Wed 29, Thu 30 December.
    assert WorkingCalendar("ENG").add_working_days(date(2060, 12, 23), 3) == date(2060, 12, 30)
    # Strictly between Fri 24 and Fri 31 December: Wed 29 and Thu 30.
    assert WorkingCalendar("ENG").working_days_between(date(2060, 12, 24), date(2060, 12, 31)) == 2
    # One clear working day (Thu 30) before Fri 31 December: sent Wed 29 December.
    assert WorkingCalendar("ENG").latest_send_date(date(2060, 12, 31), 1) == date(2060, 12, 29)
    # Good Friday 16 and Easter Monday 19 April 2060.
    assert WorkingCalendar("ENG").add_working_days(date(2060, 4, 15), 1) == date(2060, 4, 20)
    assert WorkingCalendar("ENG").bank_holiday_name(date(2060, 12, 27)) == "Christmas Day (observed)"


def test_the_day_after_the_last_working_day_of_the_first_window_is_in_the_next_year() -> None:
    # Christmas Mon 25 and Boxing Day Tue 26 Dec 2045; Wed 27 to Fri 29 are the last
    # working days of 2045; New Year's Day is Mon 1 Jan 2046, so the next is Tue 2 Jan.
    assert WorkingCalendar("ENG").add_working_days(date(2045, 12, 29), 1) == date(2046, 1, 2)
    assert WorkingCalendar("ENG").is_working_day(date(2045, 12, 31)) is False
    assert WorkingCalendar("ENG").is_working_day(date(2045, 12, 25)) is False
    # Strictly between Fri 22 Dec 2045 and Wed 3 Jan 2046: 27, 28, 29 December and 2 January.
    assert WorkingCalendar("ENG").working_days_between(date(2045, 12, 22), date(2046, 1, 3)) == 4
    # Strictly between Tue 30 Dec 2014 and Tue 6 Jan 2015: Wed 31 Dec, Fri 2 and Mon 5 Jan.
    assert WorkingCalendar("ENG").working_days_between(date(2014, 12, 30), date(2015, 1, 6)) == 3


def test_a_grown_window_keeps_its_last_day_and_answers_again() -> None:
    cal = WorkingCalendar("ENG")
    assert cal.add_working_days(date(2060, 12, 23), 3) == date(2060, 12, 30)  # grows to 2070
    # Wed 31 Dec 2070, the last day of the grown window, is a working day.
    assert cal.is_working_day(date(2070, 12, 31))
    assert cal.add_working_days(date(2070, 12, 30), 1) == date(2070, 12, 31)
    # New Year's Day Thu 1 Jan 2071: the next working day is Fri 2 January.
    assert cal.add_working_days(date(2070, 12, 31), 1) == date(2071, 1, 2)


def test_the_first_and_last_years_of_the_holiday_data_can_be_used() -> None:
    # Before 1974 New Year's Day was not a bank holiday in England and Wales.
    assert WorkingCalendar("ENG").is_working_day(date(1900, 1, 1))
    assert WorkingCalendar("ENG").latest_send_date(date(1900, 1, 2), 0) == date(1900, 1, 1)
    assert WorkingCalendar("ENG").is_working_day(date(2100, 12, 31))
    # Asked about 1911 the calendar reaches back to 1901; two clear working days before
    # Thu 3 Jan 1901 are Wed 2 and Tue 1 January, so the send date is Mon 31 Dec 1900.
    cal = WorkingCalendar("ENG")
    assert cal.is_working_day(date(1911, 6, 1))
    assert cal.latest_send_date(date(1901, 1, 3), 2) == date(1900, 12, 31)
    # Asked about 2089 it reaches to 2099; then a deadline in January 2100: from Tue 29 Dec
    # 2099, Wed 30 and Thu 31 December, then Mon 4 January (New Year's Day Fri 1 Jan 2100).
    cal = WorkingCalendar("ENG")
    assert cal.is_working_day(date(2089, 6, 1))
    assert cal.add_working_days(date(2099, 12, 29), 3) == date(2100, 1, 4)


def test_a_year_outside_the_holiday_data_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError) as refused:
        WorkingCalendar("ENG").is_working_day(date(1899, 12, 29))
    assert str(refused.value) == (
        "Year 1899 is outside 1900 to 2100, the years for which bank holidays are known; "
        "no working-day deadline can be worked out there."
    )


# --- Properties against a day-by-day reference -------------------------------------------


@functools.cache
def _reference_holidays(nation: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year).keys())


def _reference_is_working(day: date, nation: str, closures: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in _reference_holidays(nation, day.year) and day not in closures


def _reference_add(start: date, n: int, nation: str, closures: frozenset[date]) -> date:
    day = start
    if n == 0:
        while not _reference_is_working(day, nation, closures):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if _reference_is_working(day, nation, closures):
            counted += 1
    return day


def _reference_between(start: date, end: date, nation: str, closures: frozenset[date]) -> int:
    return sum(
        _reference_is_working(start + timedelta(days=k), nation, closures)
        for k in range(1, (end - start).days)
    )


def _reference_latest_send(event: date, n: int, nation: str, closures: frozenset[date]) -> date:
    day = event - timedelta(days=1)
    seen = 0
    while True:
        if _reference_is_working(day, nation, closures):
            if seen == n:
                return day
            seen += 1
        day -= timedelta(days=1)


DATES = st.dates(date(2020, 1, 1), date(2035, 12, 31))
COUNTS = st.integers(0, 60)
NATION = st.sampled_from(list(NATIONS))


@st.composite
def calendars(draw: st.DrawFn) -> tuple[WorkingCalendar, frozenset[date]]:
    """A calendar with closure days clustered in 2020-2035 so they meet the dates drawn."""
    nation = draw(NATION)
    closures = draw(st.frozensets(DATES, max_size=40))
    anchor = draw(DATES)
    near = draw(st.frozensets(st.integers(-90, 90), max_size=15))
    closures |= {anchor + timedelta(days=k) for k in near}
    return get_calendar(nation, closures), closures


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@PROPERTY_SETTINGS
@given(calendars(), DATES, COUNTS)
def test_add_working_days_lands_on_the_nth_working_day(
    cal_closures: tuple[WorkingCalendar, frozenset[date]], start: date, n: int
) -> None:
    cal, closures = cal_closures
    due = cal.add_working_days(start, n)
    assert due >= start
    assert cal.is_working_day(due)
    if n > 0:
        assert due > start
        assert cal.working_days_between(start, due + timedelta(days=1)) == n
        assert _reference_between(start, due + timedelta(days=1), cal.nation, closures) == n
    assert due == _reference_add(start, n, cal.nation, closures)


@PROPERTY_SETTINGS
@given(calendars(), DATES, COUNTS)
def test_latest_send_date_leaves_exactly_the_clear_days(
    cal_closures: tuple[WorkingCalendar, frozenset[date]], event: date, n: int
) -> None:
    cal, closures = cal_closures
    send = cal.latest_send_date(event, n)
    assert send < event
    assert cal.is_working_day(send)
    assert cal.working_days_between(send, event) == n
    later = cal.add_working_days(send, 1)
    if n == 0:
        assert later >= event
    else:
        assert cal.working_days_between(later, event) == n - 1
    assert send == _reference_latest_send(event, n, cal.nation, closures)


@PROPERTY_SETTINGS
@given(calendars(), DATES, DATES)
def test_working_days_between_matches_reference(
    cal_closures: tuple[WorkingCalendar, frozenset[date]], a: date, b: date
) -> None:
    cal, closures = cal_closures
    start, end = min(a, b), min(max(a, b), min(a, b) + timedelta(days=400))
    assert cal.working_days_between(start, end) == _reference_between(start, end, cal.nation, closures)
    assert cal.working_days_between(end, start) == 0


@PROPERTY_SETTINGS
@given(calendars(), DATES)
def test_is_working_day_and_holiday_names_match_reference(
    cal_closures: tuple[WorkingCalendar, frozenset[date]], day: date
) -> None:
    cal, closures = cal_closures
    assert cal.is_working_day(day) == _reference_is_working(day, cal.nation, closures)
    expected = holidays.country_holidays("GB", subdiv=cal.nation, years=day.year).get(day)
    assert cal.bank_holiday_name(day) == expected


@PROPERTY_SETTINGS
@given(calendars(), DATES, DATES, COUNTS, COUNTS)
def test_add_working_days_is_monotonic(
    cal_closures: tuple[WorkingCalendar, frozenset[date]], a: date, b: date, m: int, n: int
) -> None:
    cal, _ = cal_closures
    early, late = min(a, b), max(a, b)
    few, many = min(m, n), max(m, n)
    assert cal.add_working_days(early, few) <= cal.add_working_days(late, few)
    assert cal.add_working_days(early, few) <= cal.add_working_days(early, many)
    if 1 <= few < many:
        assert cal.add_working_days(early, few) < cal.add_working_days(early, many)


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(-240, 240))
def test_add_months_never_overflows_the_month(start: date, n: int) -> None:
    result = add_months(start, n)
    months = start.year * 12 + start.month - 1 + n
    assert (result.year, result.month) == (months // 12, months % 12 + 1)
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)


@given(DATES, st.integers(0, 400))
def test_calendar_days_before_and_after_are_inverse(event: date, n: int) -> None:
    before = latest_date_calendar_days_before(event, n)
    assert (event - before).days == n
    assert add_calendar_days(before, n) == event
