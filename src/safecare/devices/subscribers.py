"""What the device rules do when a case event happens elsewhere (safecare.core.events).

DV-2 at approval and after a supervision, DV-10 when an agreement comes into
force, CX-6 when a child is placed, and DV-4 as a check before approval.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from safecare.core.events import ApprovalProblem, Event, approval_check, subscribe

from . import duties
from .selectors import register
from .verdict import Level

if TYPE_CHECKING:
    from safecare.agreements.models import Agreement
    from safecare.core.models import User
    from safecare.households.models import Household, Placement
    from safecare.supervision.models import Supervision


@subscribe(Event.HOUSEHOLD_APPROVED)
def household_approved(*, actor: User, household: Household, approved_on: dt.date, **_: object) -> None:
    duties.household_approved(actor=actor, household=household, approved_on=approved_on)


@subscribe(Event.PLACEMENT_STARTED)
def placement_started(*, actor: User, placement: Placement, **_: object) -> None:
    duties.placement_started(actor=actor, placement=placement)


@subscribe(Event.AGREEMENT_IN_FORCE)
def agreement_in_force(*, actor: User, agreement: Agreement, **_: object) -> None:
    duties.agreement_in_force(actor=actor, agreement=agreement)


@subscribe(Event.SUPERVISION_COMPLETED)
def supervision_completed(*, actor: User, supervision: Supervision, **_: object) -> None:
    duties.supervision_completed(actor=actor, supervision=supervision)


@approval_check
def no_cameras_inside_without_exception(household: Household) -> list[ApprovalProblem]:
    """DV-4: CCTV or a security camera inside needs an approved exception; DV-3: some devices never can."""
    problems = []
    for row in register(household):
        if row.device.status != "in_use" or row.verdict.level < Level.NEEDS_EXCEPTION:
            continue
        reason = row.verdict.reasons[0]
        problems.append(
            ApprovalProblem(
                reason.rule_id,
                f"{row.device.get_device_type_display()} in {row.device.room}: {reason.message}",
            )
        )
    return problems
