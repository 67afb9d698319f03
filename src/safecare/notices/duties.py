"""The duties of the notices rules (SC-6, SC-8, SC-9, SC-11, SC-12), and what a new placement raises.

placement_started runs from notices.subscribers when a placement starts
(safecare.core.events), inside the event's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safecare.core.tasks import duty

RISK_ASSESSMENT = duty(
    "risk_assessment",
    rule_id="SC-9",
    fulfilled_by="a risk assessment of this child for this placement or flag",
)
SCFA_REVIEW_AFTER_CHANGE = duty(
    "scfa_review_after_change",
    rule_id="SC-6",
    fulfilled_by="the supervising social worker's review of the change notice",
)
IMMEDIATE_NOTICE_KINDS = {
    "SC-8": duty(
        "immediate_notice_sc8", rule_id="SC-8", fulfilled_by="the acknowledgement of the carer's notice"
    ),
    "SC-11": duty(
        "immediate_notice_sc11", rule_id="SC-11", fulfilled_by="the acknowledgement of the carer's notice"
    ),
}
CARE_ARRANGEMENT_DECISION = duty(
    "care_arrangement_decision", rule_id="SC-12", fulfilled_by="a decision on the care arrangement"
)


if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Placement


def placement_started(*, actor: User, placement: Placement) -> None:
    """SC-9: a child who may put themselves or others at risk needs a risk assessment."""
    from .models import ChildRiskFlag
    from .services import open_risk_assessment_task

    flag = ChildRiskFlag.objects.filter(child_id=placement.child_id).first()
    if flag is None or not flag.flagged:
        return
    open_risk_assessment_task(actor=actor, placement=placement)
