"""Duties the notices rules raise when household events happen (SC-9).

Called explicitly by households.services, inside the event's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
