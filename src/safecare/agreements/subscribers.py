"""What the agreements rules do when a case event happens elsewhere (safecare.core.events).

SC-1 at the start of an assessment, SC-4 and SC-5 when a placement starts or
ends, and SC-1 as a check before approval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safecare.core.events import ApprovalProblem, Event, approval_check, subscribe

from . import duties
from .selectors import household_has_current_agreement

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household, Placement


@subscribe(Event.ASSESSMENT_STARTED)
def assessment_started(*, actor: User, household: Household, **_: object) -> None:
    duties.assessment_started(actor=actor, household=household)


@subscribe(Event.PLACEMENT_STARTED)
def placement_started(*, actor: User, placement: Placement, **_: object) -> None:
    duties.placement_started(actor=actor, placement=placement)


@subscribe(Event.PLACEMENT_ENDED)
def placement_ended(*, actor: User, placement: Placement, **_: object) -> None:
    duties.placement_ended(actor=actor, placement=placement)


@approval_check
def safe_caring_agreement_current(household: Household) -> list[ApprovalProblem]:
    """SC-1: the Safe Caring Family Agreement is written and signed by the end of the assessment."""
    if not household_has_current_agreement(household):
        return [
            ApprovalProblem(
                "SC-1",
                "the household has no current Safe Caring Family Agreement "
                "signed by the carers and the assessing social worker",
            )
        ]
    return []
