"""Duties the agreements rules raise when household events happen (SC-1, SC-4, SC-5).

Called explicitly by households.services, inside the event's transaction.
Due dates (docs/decisions/0010-agreements.md):
- SC-1: six months after the assessment starts (the policy says "by the end of
  the assessment" and gives no length; six months is the usual target for a
  fostering assessment). Approval is refused without a current SCFA anyway.
- SC-4 and SC-5 at a new placement: the day before the start date for a planned
  placement ("before a child is placed"), and 5 working days after the start
  for an emergency placement.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from safecare.core.dates import add_calendar_days, add_months
from safecare.core.models import TaskStatus
from safecare.core.tasks import task_complete, task_open
from safecare.households.models import AllocationKind

from .selectors import household_has_current_agreement
from .services import (
    CHILD_AGREEMENT,
    CHILD_AGREEMENT_REVIEW,
    SCFA_ASSESSMENT,
    SCFA_PLACEMENT,
    _worker,
)

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household, Placement

ASSESSMENT_MONTHS = 6
EMERGENCY_WORKING_DAYS = 5


def placement_due_on(placement: Placement) -> dt.date:
    """SC-4: before the child is placed, or within 5 working days of an emergency placement."""
    if placement.emergency:
        return placement.service.calendar().add_working_days(placement.start_on, EMERGENCY_WORKING_DAYS)
    return add_calendar_days(placement.start_on, -1)


def assessment_started(*, actor: User, household: Household) -> None:
    """SC-1: the assessment opens the duty to write the household's agreement."""
    if household_has_current_agreement(household):
        return
    from django.utils import timezone

    task_open(
        service=household.service,
        rule_id="SC-1",
        kind=SCFA_ASSESSMENT,
        title="Write the Safe Caring Family Agreement with everyone in the household",
        due_on=add_months(timezone.localdate(), ASSESSMENT_MONTHS),
        owner=_worker(AllocationKind.ASSESSING, household=household)
        or _worker(AllocationKind.SUPERVISING, household=household),
        team=household.team,
        household=household,
        actor=actor,
    )


def placement_started(*, actor: User, placement: Placement) -> None:
    """SC-4, SC-5: a new placement makes both agreements due again."""
    household = placement.household
    due_on = placement_due_on(placement)
    ssw = _worker(AllocationKind.SUPERVISING, household=household)
    task_open(
        service=placement.service,
        rule_id="SC-4",
        kind=SCFA_PLACEMENT,
        title="Update the Safe Caring Family Agreement for the new placement",
        due_on=due_on,
        owner=ssw,
        team=household.team,
        household=household,
        child=placement.child,
        actor=actor,
    )
    # SC-5: the child's social worker writes it with the carers and the SSW.
    csw = _worker(AllocationKind.CHILDS, child=placement.child)
    task_open(
        service=placement.service,
        rule_id="SC-5",
        kind=CHILD_AGREEMENT,
        title="Write the child-specific safe caring agreement for the new placement",
        due_on=due_on,
        owner=csw or ssw,
        team=None if csw else household.team,
        household=household,
        child=placement.child,
        actor=actor,
    )


def placement_ended(*, actor: User, placement: Placement) -> None:
    """SC-4, SC-5: duties about a placement that has ended lapse with it."""
    for task in placement.service.tasks.select_for_update().filter(
        kind__in=[SCFA_PLACEMENT, CHILD_AGREEMENT, CHILD_AGREEMENT_REVIEW],
        household=placement.household,
        child=placement.child,
        status=TaskStatus.OPEN,
    ):
        task_complete(actor=actor, task=task, status=TaskStatus.CANCELLED)
