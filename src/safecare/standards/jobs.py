"""The Standards of Care work Safecare does by itself on a date (core.jobs).

SOC-11: a household whose carer resigned during a process is deregistered on the 28th day.

SOC-5: an agreed action not done by its timescale is a ground for a meeting; nobody may be
looking at the household that day, so every day each household with an overdue action gets
a proposal for the fostering manager (one open proposal per household, however often it runs).
"""

from __future__ import annotations

import datetime as dt

from safecare.core.deadlines import long_date
from safecare.core.jobs import daily, job
from safecare.core.models import ScheduledJob
from safecare.households.models import HouseholdStatus
from safecare.households.services import household_change_status

from .models import Resignation
from .services import DEREGISTER_JOB, check_overdue_actions


@daily("soc5_overdue_actions")
def propose_meetings_for_overdue_actions(today: dt.date) -> None:
    check_overdue_actions(today)


@job(DEREGISTER_JOB)
def deregister_after_resignation(scheduled: ScheduledJob) -> None:
    """SOC-11: the household is deregistered on its day, once, whoever runs the job and however often.

    Through the household workflow (one status change, recorded with its history), as the
    fostering manager who recorded the resignation, effective on the 28th day. A household
    that has already ended is left alone. While a child is still placed the workflow refuses:
    the job keeps the refusal as its error (logged as scheduled_job_failed) and is tried again
    every minute until the placements are ended.
    """
    resignation = Resignation.objects.select_related("household", "recorded_by").get(
        pk=scheduled.payload["resignation"]
    )
    household = resignation.household
    if household.status in (HouseholdStatus.RESIGNED, HouseholdStatus.DEREGISTERED):
        return
    household_change_status(
        actor=resignation.recorded_by,
        household=household,
        to_status=HouseholdStatus.DEREGISTERED,
        effective_on=resignation.deregisters_on,
        reason=(
            f"SOC-11: deregistered 28 calendar days after the written resignation received on "
            f"{long_date(resignation.received_on)}, during a standards of care process"
        ),
        confirmed=True,
    )
