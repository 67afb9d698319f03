"""A rule's deadline: the date and the words a worker reads on the task (rules: How dates are counted, Service settings, Everywhere).

Every due date below is worked out by hand from the rule and the bank holidays of
England and Wales (Scotland where it says so): Good Friday 26 March and Easter
Monday 29 March 2027; Christmas Day and Boxing Day 2026 on Friday 25 and Saturday
26 December, Boxing Day observed on Monday 28 December. Every basis is the exact
sentence the task shows, so a worker can check the date by hand and sees whether a
manager can change it (a service's setting) or not (the policy's own deadline).
"""

from __future__ import annotations

from datetime import date

import pytest

from safecare.core.deadlines import (
    Deadline,
    before_placement,
    calendar_days_after,
    immediately,
    long_date,
    months_after,
    months_before,
    working_days_after,
)
from safecare.core.models import ClosureDay, FosteringService
from tests.factories import ServiceFactory


@pytest.fixture
def service(db: None) -> FosteringService:
    """A service in the database: its calendar reads its closure days from there."""
    return ServiceFactory(name="Deadline Fostering", slug="deadlines")


def test_a_long_date_names_the_weekday_the_day_without_a_leading_zero_the_month_and_year() -> None:
    assert long_date(date(2027, 4, 2)) == "Friday 2 April 2027"
    assert long_date(date(2026, 12, 28)) == "Monday 28 December 2026"


# --- Working days (rules: How dates are counted: day 0 is the day of the event) --------------------------------


def test_a_visit_due_within_five_working_days_skips_easter_and_is_the_policys_own(service) -> None:
    # SOC-4: Thu 25 Mar, then Tue 30, Wed 31 Mar, Thu 1, Fri 2 Apr (Good Friday and Easter Monday skipped).
    deadline = working_days_after(
        service, date(2027, 3, 24), 5, event="the concern was received", rule_id="SOC-4"
    )
    assert deadline == Deadline(
        date(2027, 4, 2),
        "5 working days after the concern was received on Wednesday 24 March 2027 "
        "(SOC-4: the policy's own deadline)",
    )


def test_a_deadline_the_policy_leaves_open_names_the_services_setting(service) -> None:
    # SC-6: the policy gives no deadline for the review; the service's setting does.
    # Christmas Day Fri 25 Dec and Boxing Day observed Mon 28 Dec 2026 are not working days.
    deadline = working_days_after(
        service,
        date(2026, 12, 23),
        3,
        event="the change was told",
        rule_id="SC-6",
        setting="Change of circumstances reviewed within (working days)",
    )
    assert deadline.due_on == date(2026, 12, 30)  # Thu 24, Tue 29, Wed 30 December
    assert deadline.basis == (
        "3 working days after the change was told on Wednesday 23 December 2026 "
        "(SC-6: the policy sets no deadline; this is the service's setting "
        "'Change of circumstances reviewed within (working days)')"
    )


def test_one_working_day_is_said_in_the_singular(service) -> None:
    # SOC-6 style: the day after Thu 25 Mar 2027 that is a working day is Tue 30 Mar.
    deadline = working_days_after(
        service, date(2027, 3, 25), 1, event="the meeting was decided", rule_id="SOC-6"
    )
    assert deadline == Deadline(
        date(2027, 3, 30),
        "1 working day after the meeting was decided on Thursday 25 March 2027 "
        "(SOC-6: the policy's own deadline)",
    )


def test_zero_working_days_is_the_same_working_day_or_the_next_one_after_a_bank_holiday(service) -> None:
    on_a_working_day = working_days_after(
        service, date(2027, 3, 24), 0, event="the device was declared", rule_id="DV-2", setting="Review"
    )
    assert on_a_working_day == Deadline(
        date(2027, 3, 24),
        "the same working day as the device was declared on Wednesday 24 March 2027 "
        "(DV-2: the policy sets no deadline; this is the service's setting 'Review')",
    )
    # Declared on Easter Monday: due on the next working day, Tuesday.
    on_easter_monday = working_days_after(
        service, date(2027, 3, 29), 0, event="the device was declared", rule_id="DV-2"
    )
    assert on_easter_monday.due_on == date(2027, 3, 30)
    assert on_easter_monday.basis.startswith("the same working day as the device was declared on Monday 29")


def test_working_days_follow_the_services_closure_days_and_nation(service) -> None:
    ClosureDay.objects.create(service=service, date=date(2027, 4, 2), reason="Training day")
    closed_friday = working_days_after(service, date(2027, 3, 24), 5, event="x", rule_id="SOC-4")
    assert closed_friday.due_on == date(2027, 4, 5)  # Friday 2 April is closed: Monday 5 April
    # Scotland keeps Good Friday but not Easter Monday: Thu 25, Mon 29, Tue 30, Wed 31 Mar, Thu 1 Apr.
    scotland = ServiceFactory(name="Highland Fostering", slug="highland", holiday_nation="SCT")
    assert working_days_after(scotland, date(2027, 3, 24), 5, event="x", rule_id="SOC-4").due_on == (
        date(2027, 4, 1)
    )


# --- Immediately, calendar days, months --------------------------------------------------


def test_immediately_is_the_same_day_even_at_a_weekend() -> None:
    # SC-8: an alert now and a task due the same day, never moved off a Saturday.
    deadline = immediately(
        FosteringService(name="Deadline Fostering"),
        date(2027, 3, 27),
        event="the carer said they doubt they can care safely",
        rule_id="SC-8",
    )
    assert deadline == Deadline(
        date(2027, 3, 27),
        "the same day as the carer said they doubt they can care safely on Saturday 27 March 2027: "
        "the policy says immediately (SC-8)",
    )


def test_calendar_days_land_on_a_bank_holiday_without_moving() -> None:
    # SC-3: the guidance within 14 calendar days of approval on Fri 18 Dec 2026: Fri 1 Jan 2027.
    deadline = calendar_days_after(date(2026, 12, 18), 14, event="the household was approved", rule_id="SC-3")
    assert deadline == Deadline(
        date(2027, 1, 1),
        "14 calendar days after the household was approved on Friday 18 December 2026 "
        "(SC-3: the policy's own deadline)",
    )


def test_one_calendar_day_is_said_in_the_singular_and_a_setting_is_named() -> None:
    deadline = calendar_days_after(
        date(2027, 2, 28), 1, event="the visit", rule_id="SOC-4", setting="Visit record sent within"
    )
    assert deadline == Deadline(
        date(2027, 3, 1),
        "1 calendar day after the visit on Sunday 28 February 2027 "
        "(SOC-4: the policy sets no deadline; this is the service's setting 'Visit record sent within')",
    )


def test_a_month_after_31_january_is_the_last_day_of_february() -> None:
    # IM-9: the first review one month after the agreement of Sun 31 Jan 2027.
    deadline = months_after(date(2027, 1, 31), 1, event="the agreement was signed", rule_id="IM-9")
    assert deadline == Deadline(
        date(2027, 2, 28),
        "1 month after the agreement was signed on Sunday 31 January 2027 (IM-9: the policy's own deadline)",
    )


def test_months_after_in_the_plural_with_the_services_setting() -> None:
    # SC-1: the end of the assessment, 6 months (the service's setting) after it began on 31 Aug 2026.
    deadline = months_after(
        date(2026, 8, 31), 6, event="the assessment began", rule_id="SC-1", setting="Assessment months"
    )
    assert deadline == Deadline(
        date(2027, 2, 28),
        "6 months after the assessment began on Monday 31 August 2026 "
        "(SC-1: the policy sets no deadline; this is the service's setting 'Assessment months')",
    )


def test_months_before_an_end_count_back_to_the_last_day_of_a_shorter_month() -> None:
    # CX-6: ask for a new decision a month before the exception ends on Wed 31 Mar 2027.
    deadline = months_before(
        date(2027, 3, 31), 1, event="the exception ends", rule_id="CX-6", setting="Months before"
    )
    assert deadline == Deadline(
        date(2027, 2, 28),
        "1 month before the exception ends on Wednesday 31 March 2027 "
        "(CX-6: the policy sets no deadline; this is the service's setting 'Months before')",
    )
    two = months_before(date(2027, 4, 30), 2, event="the exception ends", rule_id="CX-6")
    assert two == Deadline(
        date(2027, 2, 28),
        "2 months before the exception ends on Friday 30 April 2027 (CX-6: the policy's own deadline)",
    )


# --- Before the child is placed ----------------------------------------------------------


def test_before_placement_is_the_last_working_day_before_the_start_by_default(service) -> None:
    # SC-4: a placement on Tue 30 Mar 2027; Easter Monday and Good Friday are holidays,
    # so the last working day before it is Thu 25 Mar.
    deadline = before_placement(service, date(2027, 3, 30), rule_id="SC-4")
    assert deadline == Deadline(
        date(2027, 3, 25),
        "the last working day before the child is placed on Tuesday 30 March 2027 (SC-4: the policy "
        "says before the child is placed; this is the service's setting 'Duties due before the child "
        "is placed')",
    )


def test_before_placement_counts_the_services_number_of_working_days_back(service) -> None:
    # Three working days before Tue 30 Mar 2027: Thu 25 (1), Wed 24 (2), Tue 23 (3).
    service.before_placement_working_days = 3
    deadline = before_placement(service, date(2027, 3, 30), rule_id="SC-5")
    assert deadline == Deadline(
        date(2027, 3, 23),
        "3 working days before the child is placed on Tuesday 30 March 2027 (SC-5: the policy "
        "says before the child is placed; this is the service's setting 'Duties due before the child "
        "is placed')",
    )
