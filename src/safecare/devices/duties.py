"""Duties the device rules raise when household events happen (DV-2, DV-10, CX-5, CX-6).

Called explicitly by the services of other apps, inside the event's transaction:
households (a placement starts, a household is approved), agreements (a version
comes into force) and supervision (a supervision with a device check is completed).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from safecare.core.dates import add_months
from safecare.core.tasks import task_open, tasks_close
from safecare.households.selectors import child_csw

from . import assessment
from .models import Device, DeviceStatus
from .selectors import CHILD_AGREEMENT_DEVICES, DEVICE_CHECK, SCFA_DEVICES

if TYPE_CHECKING:
    from safecare.agreements.models import Agreement
    from safecare.core.models import User
    from safecare.households.models import Household, Placement
    from safecare.supervision.models import Supervision

# DV-10 sets no deadline to write a device into the agreements; the service's usual
# "within 5 working days" for updating an agreement after a change is used (decision 0013).
AGREEMENT_UPDATE_WORKING_DAYS = 5


def agreement_gaps(
    household: Household, *, devices: list[Device] | None = None, today: dt.date | None = None
) -> dict[int, list[str]]:
    """DV-10: for each device, the agreements whose current version does not describe it as it is."""
    today = today or timezone.localdate()
    if devices is None:
        devices = list(Device.objects.filter(household=household).exclude(status=DeviceStatus.REMOVED))
    if not devices:
        return {}
    gaps = assessment.agreement_gaps(
        devices, {household.pk: household}, assessment.placements_of([household.pk], today)
    )
    return {pk: list(labels) for pk, labels in gaps.items() if labels}


def refresh_agreement_duties(*, actor: User | None, household: Household, rule_id: str = "DV-10") -> None:
    """DV-10, CX-5: open a task for each agreement that does not describe every device; close the rest.

    A child with no current child-specific agreement is SC-5's duty already; DV-10
    asks only that an agreement in force be brought up to date.
    """
    from safecare.households.selectors import household_worker

    today = timezone.localdate()
    service = household.service
    devices = list(Device.objects.filter(household=household).exclude(status=DeviceStatus.REMOVED))
    scfas, by_placement = assessment.agreements_in_force([household.pk])
    covers = assessment.covers
    due_on = service.calendar().add_working_days(today, AGREEMENT_UPDATE_WORKING_DAYS)
    ssw = household_worker(household)

    scfa_listed = scfas.get(household.pk)
    if scfa_listed is not None and any(not covers(scfa_listed, d) for d in devices):
        task_open(
            service=service,
            rule_id=rule_id,
            kind=SCFA_DEVICES,
            title="Write every camera and microphone into the Safe Caring Family Agreement",
            due_on=due_on,
            owner=ssw,
            team=household.team,
            household=household,
            actor=actor,
        )
    elif actor is not None:
        tasks_close(actor=actor, service=service, kind=SCFA_DEVICES, household=household)

    for placement in assessment.placements_of([household.pk], today)[household.pk]:
        listed = by_placement.get(placement.pk)
        if listed is not None and any(not covers(listed, d) for d in devices):
            csw = child_csw(placement.child)
            task_open(
                service=service,
                rule_id=rule_id,
                kind=CHILD_AGREEMENT_DEVICES,
                title="Write every camera and microphone into the child-specific agreement",
                due_on=due_on,
                owner=csw or ssw,
                team=None if csw else household.team,
                household=household,
                child=placement.child,
                actor=actor,
            )
        elif actor is not None:
            tasks_close(
                actor=actor,
                service=service,
                kind=CHILD_AGREEMENT_DEVICES,
                household=household,
                child=placement.child,
            )


def agreement_in_force(*, actor: User, agreement: Agreement) -> None:
    """A new agreement version is in force: its device list may close (or open) DV-10 duties."""
    refresh_agreement_duties(actor=actor, household=agreement.household)


def placement_started(*, actor: User, placement: Placement) -> None:
    """CX-6: a new child placed reopens the CCTV exception; the register needs the new child's agreement."""
    from .services_cctv import request_reopen_for_placement

    request_reopen_for_placement(actor=actor, placement=placement)


def household_approved(*, actor: User, household: Household, approved_on: dt.date) -> None:
    """DV-2: where the service checks devices at an interval, the first check falls due."""
    open_next_device_check(actor=actor, household=household, after=approved_on)


def open_next_device_check(*, actor: User, household: Household, after: dt.date) -> None:
    from safecare.households.selectors import household_worker

    service = household.service
    if service.device_check_every_supervision:
        return  # Asked at every supervision: completing one without the check is refused.
    task_open(
        service=service,
        rule_id="DV-2",
        kind=DEVICE_CHECK,
        title="Check the cameras and microphones in the home with the carers",
        due_on=add_months(after, service.device_check_months),
        owner=household_worker(household),
        team=household.team,
        household=household,
        actor=actor,
    )


def supervision_completed(*, actor: User, supervision: Supervision) -> None:
    """DV-2: a supervision that went through the devices is a check of the register.

    The check records what the carers answered at the supervision: whether the register
    lists every camera and microphone in and around the home, and the notes of the check.
    """
    if supervision.device_check_done is not True:
        return
    from .services_register import device_check_record

    device_check_record(
        actor=actor,
        household=supervision.household,
        checked_on=supervision.held_on,
        register_accurate=supervision.register_complete,
        notes=supervision.device_check_notes,
        supervision=supervision,
    )
