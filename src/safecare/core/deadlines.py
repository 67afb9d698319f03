"""A rule's deadline as a date and the words that say where it comes from (rules: How dates are counted, Service settings, Everywhere).

Every task carries both: the due date, and its basis ("5 working days after the
change was told on 3 December 2026: this service's setting for a review the
policy gives no deadline for"). The arithmetic is safecare.core.dates; this
module only picks the calendar of the service and writes the basis, so a
worker can check a date by hand and knows which dates a manager can change.

``setting`` names the service setting a deadline comes from, when the policy
leaves it open; without one the deadline is the policy's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import add_calendar_days, add_months

if TYPE_CHECKING:
    from .models import FosteringService


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    basis: str


# English names, whatever the process's locale; strftime costs more than the deadline itself.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _source(rule_id: str, setting: str) -> str:
    if setting:
        return f"{rule_id}: the policy sets no deadline; this is the service's setting '{setting}'"
    return f"{rule_id}: the policy's own deadline"


def _days(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def working_days_after(
    service: FosteringService, start: dt.date, n: int, *, event: str, rule_id: str, setting: str = ""
) -> Deadline:
    """'Within n working days of start': start is day 0; n = 0 is the same working day."""
    due = service.calendar().add_working_days(start, n)
    when = "the same working day as" if n == 0 else f"{_days(n, 'working day')} after"
    return Deadline(due, f"{when} {event} on {long_date(start)} ({_source(rule_id, setting)})")


def immediately(service: FosteringService, day: dt.date, *, event: str, rule_id: str) -> Deadline:
    """'Immediately': an alert now and a task due the same day (rules: How dates are counted), never moved."""
    return Deadline(
        day, f"the same day as {event} on {long_date(day)}: the policy says immediately ({rule_id})"
    )


def calendar_days_after(start: dt.date, n: int, *, event: str, rule_id: str, setting: str = "") -> Deadline:
    return Deadline(
        add_calendar_days(start, n),
        f"{_days(n, 'calendar day')} after {event} on {long_date(start)} ({_source(rule_id, setting)})",
    )


def months_after(start: dt.date, n: int, *, event: str, rule_id: str, setting: str = "") -> Deadline:
    return Deadline(
        add_months(start, n),
        f"{_days(n, 'month')} after {event} on {long_date(start)} ({_source(rule_id, setting)})",
    )


def months_before(end: dt.date, n: int, *, event: str, rule_id: str, setting: str = "") -> Deadline:
    return Deadline(
        add_months(end, -n),
        f"{_days(n, 'month')} before {event} on {long_date(end)} ({_source(rule_id, setting)})",
    )


def before_placement(service: FosteringService, start: dt.date, *, rule_id: str) -> Deadline:
    """'Before the child is placed': the service's number of working days before the start.

    The default, 1, is the last working day before the start, so a duty for a
    placement on a Monday falls on the Friday before, never on the weekend or a
    bank holiday.
    """
    n = service.before_placement_working_days
    # latest_send_date(start, k) leaves k clear working days before start: n - 1 of them.
    due = service.calendar().latest_send_date(start, n - 1)
    what = "the last working day" if n == 1 else f"{_days(n, 'working day')}"
    return Deadline(
        due,
        f"{what} before the child is placed on {long_date(start)} ({rule_id}: the policy says before the "
        "child is placed; this is the service's setting 'Duties due before the child is placed')",
    )
