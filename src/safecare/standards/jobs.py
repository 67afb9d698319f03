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


# SOC-10: the agency decision maker's decision to deregister (standards.services_panel).
from . import services_panel  # noqa: E402
from .models import AdmDecision  # noqa: E402


@job(services_panel.DEREGISTER_JOB)
def deregister_after_adm_decision(scheduled: ScheduledJob) -> None:
    """SOC-10: the approval ends on the 28th calendar day after the ADM's decision to deregister
    when the carer asked for no independent review by then (reg. 28), or, after the review,
    once no child is placed any more. Once, however often and on however many workers it
    runs: a household already ended, or a decision whose review was asked for, is left alone
    (services_panel.end_approval).
    """
    decision = AdmDecision.objects.get(pk=scheduled.payload["decision"])
    services_panel.end_approval(decision=decision)
