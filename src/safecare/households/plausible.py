"""What a person's record may plausibly say, for the pages and the API alike (decision 0027).

A child born in 1900, training completed in 1990 or the same child added again are typing
slips, and each makes a record that misleads: refused, saying what is expected. The services
apply these, so the API refuses what the pages refuse; the forms say the same earlier.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safecare.core.models import FosteringService

    from .models import Child

OLDEST_PERSON_YEARS = 120
OLDEST_CHILD_YEARS = 25  # a care leaver may still have a record up to 25
FIRST_TRAINING_DAY = dt.date(2000, 1, 1)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def govuk_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def too_early(value: dt.date | None, earliest: dt.date, subject: str, why: str) -> str:
    """The message for a date before the earliest plausible one, or "" when it is not."""
    if value is None or value >= earliest:
        return ""
    return f"{subject} must be the same as or after {govuk_day(earliest)}: {why}"


def child_born_too_early(born: dt.date | None, today: dt.date, subject: str = "Date of birth") -> str:
    return too_early(
        born,
        years_before(today, OLDEST_CHILD_YEARS),
        subject,
        f"a child's record is for a child or a care leaver under {OLDEST_CHILD_YEARS}",
    )


def person_born_too_early(born: dt.date | None, today: dt.date, subject: str = "Date of birth") -> str:
    return too_early(
        born,
        years_before(today, OLDEST_PERSON_YEARS),
        subject,
        f"nobody is more than {OLDEST_PERSON_YEARS} years old",
    )


def training_too_early(completed_on: dt.date | None, subject: str = "Date completed") -> str:
    return too_early(
        completed_on, FIRST_TRAINING_DAY, subject, "Safecare records training completed since 2000"
    )


def same_child(service: FosteringService, first_name: str, last_name: str, born: dt.date) -> Child | None:
    """A child of the service with this name (whatever the capitals) and date of birth."""
    from .models import Child

    return (
        Child.objects.filter(
            service=service,
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            date_of_birth=born,
        )
        .order_by("id")
        .first()
    )


def same_child_message(first_name: str, last_name: str, born: dt.date) -> str:
    return (
        f"A child called {first_name.strip()} {last_name.strip()} born on {govuk_day(born)} is already "
        "recorded: open their record instead, or confirm this is a different child"
    )
