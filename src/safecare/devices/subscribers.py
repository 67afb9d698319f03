"""What the device rules do when a case event happens elsewhere (safecare.core.events).

DV-2 at approval, after a supervision and when the service changes how often
devices are checked; DV-10 when an agreement comes into force; CX-6 and DV-11
when a child is placed or leaves, DV-11 when someone moves in; DV-3 and DV-4
(the removal of a prohibited device) whenever a verdict can change; and DV-4 as
a check before approval.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from safecare.core.events import ApprovalProblem, Event, approval_check, subscribe

from . import duties
from .models import ACTIVE_REQUEST_STATUSES, CctvRequest, DeviceStatus
from .selectors import register
from .verdict import Level

if TYPE_CHECKING:
    from safecare.agreements.models import Agreement
    from safecare.core.models import FosteringService, User
    from safecare.households.models import Household, HouseholdMember, Placement
    from safecare.supervision.models import Supervision


@subscribe(Event.HOUSEHOLD_APPROVED)
def household_approved(*, actor: User, household: Household, approved_on: dt.date, **_: object) -> None:
    duties.household_approved(actor=actor, household=household, approved_on=approved_on)


@subscribe(Event.PLACEMENT_STARTED)
def placement_started(*, actor: User, placement: Placement, **_: object) -> None:
    duties.placement_started(actor=actor, placement=placement)


@subscribe(Event.PLACEMENT_ENDED)
def placement_ended(*, actor: User, placement: Placement, **_: object) -> None:
    duties.placement_ended(actor=actor, placement=placement)


@subscribe(Event.MEMBER_MOVED_IN)
def member_moved_in(*, actor: User, member: HouseholdMember, **_: object) -> None:
    duties.member_moved_in(actor=actor, member=member)


@subscribe(Event.SERVICE_SETTINGS_CHANGED)
def service_settings_changed(
    *, actor: User, service: FosteringService, changed: list[str], **_: object
) -> None:
    duties.service_settings_changed(actor=actor, service=service, changed=changed)


@subscribe(Event.AGREEMENT_IN_FORCE)
def agreement_in_force(*, actor: User, agreement: Agreement, **_: object) -> None:
    duties.agreement_in_force(actor=actor, agreement=agreement)


@subscribe(Event.SUPERVISION_COMPLETED)
def supervision_completed(*, actor: User, supervision: Supervision, **_: object) -> None:
    duties.supervision_completed(actor=actor, supervision=supervision)


@approval_check
def no_cameras_inside_without_exception(household: Household) -> list[ApprovalProblem]:
    """DV-4: an applicant's cameras inside are taken out before approval, exception or not; DV-3: some devices never can.

    The verdict of an applicant's (or a household in assessment's) camera inside is
    "needs approved exception" whatever exception names it, because an exception is for
    approved foster carers only; so any camera inside in use refuses approval here, as
    does a prohibited device. A CCTV request still in progress or in force (made before
    the rule refused one to an applicant) refuses it too: it would otherwise carry an
    exception through approval for a camera planned today.
    """
    problems = []
    for row in register(household):
        if row.device.status != DeviceStatus.IN_USE or row.verdict.level < Level.NEEDS_EXCEPTION:
            continue
        reason = row.verdict.reasons[0]
        problems.append(
            ApprovalProblem(
                reason.rule_id,
                f"{row.device.get_device_type_display()} in {row.device.room}: {reason.message}",
            )
        )
    for request in CctvRequest.objects.filter(household=household, status__in=ACTIVE_REQUEST_STATUSES):
        problems.append(
            ApprovalProblem(
                "DV-4",
                f"CCTV request {request.reference} is {request.get_status_display().lower()}: an exception "
                "is for approved foster carers only; withdraw it and take the cameras inside out",
            )
        )
    return problems
