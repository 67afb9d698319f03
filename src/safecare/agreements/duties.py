"""Duties the agreements rules raise when household events happen (SC-1, SC-4, SC-5).

Run from agreements.subscribers, inside the event's transaction. Every task
carries its due date and the words that say where it comes from (core.deadlines;
docs/decisions/0016-safe-care-duties-as-the-rules-say.md):
- SC-1: the service's setting, months after the assessment starts (the policy
  says "by the end of the assessment" and gives no length; default 6).
  Approval is refused without a current SCFA anyway.
- SC-4 and SC-5 at a new placement: for a planned placement "before the child
  is placed", the service's working days before the start (default the last
  working day before it); for an emergency placement the policy's own 5
  working days after the start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from safecare.core.deadlines import Deadline, before_placement, months_after, working_days_after
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
    setting_label,
)

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household, Placement

# SC-4: "within five working days of the placement starting" for an emergency placement:
# the policy's own number, not a setting.
EMERGENCY_WORKING_DAYS = 5


def placement_deadline(placement: Placement, *, rule_id: str) -> Deadline:
    """SC-4, SC-5: before the child is placed, or within 5 working days of an emergency placement."""
    service = placement.service
    if placement.emergency:
        return working_days_after(
            service,
            placement.start_on,
            EMERGENCY_WORKING_DAYS,
            event="the emergency placement started",
            rule_id=rule_id,
        )
    return before_placement(service, placement.start_on, rule_id=rule_id)


def assessment_deadline(household: Household) -> Deadline:
    """SC-1: by the end of the assessment, which is the service's setting in months from its start."""
    service = household.service
    return months_after(
        timezone.localdate(),
        service.assessment_agreement_months,
        event="the assessment started",
        rule_id="SC-1",
        setting=setting_label("assessment_agreement_months"),
    )


def assessment_started(*, actor: User, household: Household) -> None:
    """SC-1: the assessment opens the duty to write the household's agreement."""
    if household_has_current_agreement(household):
        return
    deadline = assessment_deadline(household)
    task_open(
        service=household.service,
        rule_id="SC-1",
        kind=SCFA_ASSESSMENT,
        title="Write the Safe Caring Family Agreement with everyone in the household",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=_worker(AllocationKind.ASSESSING, household=household)
        or _worker(AllocationKind.SUPERVISING, household=household),
        team=household.team,
        household=household,
        actor=actor,
    )


def placement_started(*, actor: User, placement: Placement) -> None:
    """SC-4, SC-5: a new placement makes both agreements due again."""
    household = placement.household
    household_deadline = placement_deadline(placement, rule_id="SC-4")
    child_deadline = placement_deadline(placement, rule_id="SC-5")
    ssw = _worker(AllocationKind.SUPERVISING, household=household)
    task_open(
        service=placement.service,
        rule_id="SC-4",
        kind=SCFA_PLACEMENT,
        title="Update the Safe Caring Family Agreement for the new placement",
        due_on=household_deadline.due_on,
        due_basis=household_deadline.basis,
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
        due_on=child_deadline.due_on,
        due_basis=child_deadline.basis,
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
