"""Duties the device rules raise (DV-2, DV-3, DV-4, DV-10, DV-11, CX-5, CX-6), and when they fall due.

Called by the register's and the CCTV request's services after every change, and
by devices.subscribers when a case event happens elsewhere (a placement starts
or ends, someone moves in, a household is approved, an agreement comes into
force, a supervision is completed, the service changes its settings), inside
that event's transaction.

Every deadline the policies leave open comes from the service's settings
(rules: Service settings), and every task says where its date comes from (Task.due_basis,
core.deadlines): the setting's name, the day counted from, and the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Max, Q
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.deadlines import Deadline, long_date, months_after, months_before, working_days_after
from safecare.core.models import FosteringService, Task, TaskStatus
from safecare.core.tasks import task_open, tasks_cancel, tasks_close
from safecare.households.models import HouseholdMember, HouseholdStatus, Placement
from safecare.households.selectors import child_csw, household_worker

from . import assessment
from .models import Device, DeviceCheck, DeviceStatus
from .selectors import (
    CHILD_AGREEMENT_DEVICES,
    DEVICE_ARRIVAL_TOLD,
    DEVICE_CHECK,
    DEVICE_REMOVAL,
    SCFA_DEVICES,
    register,
)
from .verdict import Level

if TYPE_CHECKING:
    from safecare.agreements.models import Agreement
    from safecare.core.models import User
    from safecare.households.models import Household
    from safecare.supervision.models import Supervision


# Deadlines (rules: How dates are counted, Service settings) --------------------------------------------------------------------------


def setting_label(name: str) -> str:
    """The name a manager sees for one of the service's settings, for a task's due basis."""
    return str(getattr(FosteringService._meta.get_field(name), "verbose_name", name))


def _within(service: FosteringService, setting: str, start: dt.date, *, event: str, rule_id: str) -> Deadline:
    """'Within the service's n working days of start', for a step the policy gives no deadline."""
    return working_days_after(
        service,
        start,
        getattr(service, setting),
        event=event,
        rule_id=rule_id,
        setting=setting_label(setting),
    )


def review_deadline(service: FosteringService, *, event: str, today: dt.date | None = None) -> Deadline:
    """DV-2: the SSW reviews a device the carers told the service about."""
    return _within(
        service, "device_review_working_days", today or timezone.localdate(), event=event, rule_id="DV-2"
    )


def agreement_update_deadline(
    service: FosteringService, *, event: str, rule_id: str = "DV-10", today: dt.date | None = None
) -> Deadline:
    """DV-10, CX-5: the agreements are brought up to date with the register."""
    return _within(
        service,
        "device_agreement_update_working_days",
        today or timezone.localdate(),
        event=event,
        rule_id=rule_id,
    )


def removal_deadline(service: FosteringService, *, rule_id: str, today: dt.date | None = None) -> Deadline:
    """DV-3, DV-4: a device the policy does not allow is taken out (0: the same working day)."""
    return _within(
        service,
        "prohibited_device_removal_working_days",
        today or timezone.localdate(),
        event="a camera or microphone the policy does not allow was recorded",
        rule_id=rule_id,
    )


def arrival_deadline(service: FosteringService, arrived_on: dt.date, *, event: str) -> Deadline:
    """DV-11: someone who came to live in the home is told about the devices."""
    return _within(service, "device_arrivals_told_working_days", arrived_on, event=event, rule_id="DV-11")


def cctv_step_deadline(
    service: FosteringService, *, event: str, rule_id: str, today: dt.date | None = None
) -> Deadline:
    """CX-3, CX-4, CX-6: a step of the CCTV request the policy gives no deadline."""
    return _within(
        service, "cctv_step_working_days", today or timezone.localdate(), event=event, rule_id=rule_id
    )


def expiry_deadline(
    service: FosteringService, period_end: dt.date, *, today: dt.date | None = None
) -> Deadline:
    """CX-6: the task to ask for a new decision, the service's months before the exception's last day.

    When that day has already passed (a short period, or an exception restored late), the
    task is due today, and its basis says so.
    """
    today = today or timezone.localdate()
    deadline = months_before(
        period_end,
        service.cctv_expiry_notice_months,
        event="the last day the CCTV exception covers",
        rule_id="CX-6",
        setting=setting_label("cctv_expiry_notice_months"),
    )
    if deadline.due_on < today:
        return Deadline(
            today, f"{deadline.basis}; that was {long_date(deadline.due_on)}, already past, so due today"
        )
    return deadline


def check_deadline(service: FosteringService, after: dt.date, *, event: str) -> Deadline:
    """DV-2: the next periodic device check, the service's interval after the last (or approval)."""
    return months_after(
        after,
        service.device_check_months,
        event=event,
        rule_id="DV-2",
        setting=setting_label("device_check_months"),
    )


# DV-10: the agreements describe every device -------------------------------------------------------


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


def refresh_agreement_duties(
    *,
    actor: User | None,
    household: Household,
    rule_id: str = "DV-10",
    event: str = "the register changed",
) -> None:
    """DV-10, CX-5: open a task for each agreement that does not describe every device; close the rest.

    A child with no current child-specific agreement is SC-5's duty already; DV-10
    asks only that an agreement in force be brought up to date.
    """
    today = timezone.localdate()
    service = household.service
    devices = list(Device.objects.filter(household=household).exclude(status=DeviceStatus.REMOVED))
    scfas, by_placement = assessment.agreements_in_force([household.pk])
    covers = assessment.covers
    deadline = agreement_update_deadline(service, event=event, rule_id=rule_id, today=today)
    ssw = household_worker(household)

    scfa_listed = scfas.get(household.pk)
    if scfa_listed is not None and any(not covers(scfa_listed, d) for d in devices):
        task_open(
            service=service,
            rule_id=rule_id,
            kind=SCFA_DEVICES,
            title="Write every camera and microphone into the Safe Caring Family Agreement",
            due_on=deadline.due_on,
            due_basis=deadline.basis,
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
                due_on=deadline.due_on,
                due_basis=deadline.basis,
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
    refresh_agreement_duties(
        actor=actor, household=agreement.household, event="a version of an agreement came into force"
    )


# DV-3, DV-4: a device the policy does not allow is taken out ----------------------------------------


def _open(household: Household, kind: str) -> list[Task]:
    return list(
        Task.objects.select_for_update().filter(
            service_id=household.service_id, kind=kind, household=household, status=TaskStatus.OPEN
        )
    )


def refresh_removal_duty(*, actor: User | None, household: Household, lapsed: str = "") -> Task | None:
    """DV-3, DV-4: while a device planned or in use is prohibited, the SSW has it taken out.

    One task per household, whatever the number of prohibited devices; the rule on it
    is the one that decided the first such device's verdict (DV-3, DV-4, DV-5, DV-6,
    DV-8, DV-9 or CX-2). It closes when no device on the register is prohibited: each
    has been removed from the register, or changed so that the policy allows it. Run
    after every change of a device, and after an event that can change a verdict;
    `lapsed` says why, when the facts changed without anyone acting on the device
    (the task is then cancelled with that reason rather than closed as done).
    """
    service = household.service
    prohibited = [row for row in register(household) if row.verdict.level == Level.PROHIBITED]
    if prohibited:
        rule_id = prohibited[0].verdict.reasons[0].rule_id
        deadline = removal_deadline(service, rule_id=rule_id)
        return task_open(
            service=service,
            rule_id=rule_id,
            kind=DEVICE_REMOVAL,
            title="Have the carers take out a camera or microphone the policy does not allow",
            due_on=deadline.due_on,
            due_basis=deadline.basis,
            owner=household_worker(household),
            team=household.team,
            household=household,
            actor=actor,
        )
    if lapsed:
        tasks_cancel(actor=actor, tasks=_open(household, DEVICE_REMOVAL), reason=lapsed)
    else:
        tasks_close(actor=actor, service=service, kind=DEVICE_REMOVAL, household=household)
    return None


# DV-11: everyone who comes to live in the home is told --------------------------------------------


def latest_arrival(household: Household, *, today: dt.date | None = None) -> dt.date | None:
    """DV-11: the latest day someone living in the home, or about to, arrived.

    A child placed (a placement not ended, one arranged to start later included) arrives
    on the placement's start; a member living there on the day they moved in. A member
    with no date recorded has always lived there. Someone who has left is not counted.
    """
    today = today or timezone.localdate()
    placed = (
        Placement.objects.filter(household=household)
        .exclude(end_on__isnull=False, end_on__lte=today)
        .aggregate(latest=Max("start_on"))["latest"]
    )
    moved_in = (
        HouseholdMember.objects.filter(household=household, moved_in_on__isnull=False)
        .filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=today))
        .aggregate(latest=Max("moved_in_on"))["latest"]
    )
    return max((day for day in (placed, moved_in) if day is not None), default=None)


def _not_told_since(household: Household, arrived_on: dt.date) -> bool:
    """Whether a device in use does not record that everyone was told on or after arrived_on."""
    return (
        Device.objects.filter(household=household, status=DeviceStatus.IN_USE)
        .filter(Q(members_told_on__isnull=True) | Q(members_told_on__lt=arrived_on))
        .exists()
    )


def arrival(
    *, actor: User | None, household: Household, arrived_on: dt.date | None, event: str
) -> Task | None:
    """DV-11: a child placed, or someone moving in, after the household was told: tell everyone again.

    Opened only where a device is in use that does not record telling everyone on or
    after the arrival. Owned by the SSW, who makes sure the carers tell the newcomer
    where each device is and why, and record the date on each device.
    """
    if arrived_on is None or not _not_told_since(household, arrived_on):
        return None
    service = household.service
    deadline = arrival_deadline(service, arrived_on, event=event)
    return task_open(
        service=service,
        rule_id="DV-11",
        kind=DEVICE_ARRIVAL_TOLD,
        title="Tell the new arrival about the cameras and microphones in the home",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=household_worker(household),
        team=household.team,
        household=household,
        actor=actor,
    )


def refresh_arrival_duty(*, actor: User | None, household: Household, lapsed: str = "") -> None:
    """DV-11: the duty closes once every device in use records telling everyone on or after the latest arrival.

    An arrival still to come (a placement arranged to start later) keeps it open: nobody
    can be told before they are there. `lapsed`: why the facts changed (someone left),
    for a task cancelled rather than fulfilled.
    """
    tasks = _open(household, DEVICE_ARRIVAL_TOLD)
    if not tasks:
        return
    arrived_on = latest_arrival(household)
    if arrived_on is not None and _not_told_since(household, arrived_on):
        return
    if lapsed:
        tasks_cancel(actor=actor, tasks=tasks, reason=lapsed)
    else:
        tasks_close(actor=actor, service=household.service, kind=DEVICE_ARRIVAL_TOLD, household=household)


# Case events -------------------------------------------------------------------------------------


def placement_started(*, actor: User, placement: Placement) -> None:
    """CX-6: a new child placed reopens the CCTV exception; DV-11: they are told about the devices."""
    from .services_cctv import request_reopen_for_placement

    household = placement.household
    request_reopen_for_placement(actor=actor, placement=placement)
    arrival(actor=actor, household=household, arrived_on=placement.start_on, event="a child was placed")
    refresh_removal_duty(
        actor=actor,
        household=household,
        lapsed=f"A child was placed on {long_date(placement.start_on)}, and no device is prohibited any more.",
    )


def placement_ended(*, actor: User, placement: Placement) -> None:
    """Duties follow the facts when a child leaves (CX-6, DV-10, DV-11, DV-3).

    The exception reopened by this child's arrival holds again when every child placed
    is named in it; the child's agreement no longer has to list the devices; the
    household need not tell someone who has left; a monitor for this child is no longer
    allowed, or a device was prohibited only while they lived there.
    """
    from .services_cctv import request_restore_after_placement_ended

    household = placement.household
    ended = f"The child's placement ended on {long_date(placement.end_on or timezone.localdate())}."
    request_restore_after_placement_ended(actor=actor, placement=placement)
    tasks_cancel(
        actor=actor,
        tasks=Task.objects.select_for_update().filter(
            service_id=household.service_id,
            kind=CHILD_AGREEMENT_DEVICES,
            household=household,
            child_id=placement.child_id,
            status=TaskStatus.OPEN,
        ),
        reason=f"DV-10: {ended} Their agreement no longer has to list the devices.",
    )
    refresh_arrival_duty(actor=actor, household=household, lapsed=f"DV-11: {ended}")
    refresh_removal_duty(actor=actor, household=household, lapsed=ended)


def member_moved_in(*, actor: User, member: HouseholdMember) -> None:
    """DV-11: someone came to live in the home; DV-9: a monitor for a child of the household."""
    household = member.household
    today = timezone.localdate()
    if member.moved_out_on is not None and member.moved_out_on <= today:
        return  # Recorded after they left: there is nobody to tell.
    arrival(actor=actor, household=household, arrived_on=member.moved_in_on, event="someone moved in")
    refresh_removal_duty(
        actor=actor, household=household, lapsed="Someone moved in, and no device is prohibited any more."
    )


def household_approved(*, actor: User, household: Household, approved_on: dt.date) -> None:
    """DV-2: where the service checks devices at an interval, the first check falls due."""
    open_next_device_check(
        actor=actor, household=household, after=approved_on, event="the household was approved"
    )


def open_next_device_check(
    *, actor: User | None, household: Household, after: dt.date, event: str = "the last device check"
) -> Task | None:
    """DV-2: the next periodic check, where the service checks at an interval rather than at every supervision."""
    service = household.service
    if service.device_check_every_supervision:
        return None  # Asked at every supervision: completing one without the check is refused.
    deadline = check_deadline(service, after, event=event)
    return task_open(
        service=service,
        rule_id="DV-2",
        kind=DEVICE_CHECK,
        title="Check the cameras and microphones in the home with the carers",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=household_worker(household),
        team=household.team,
        household=household,
        actor=actor,
    )


# The settings a periodic check follows (DV-2), and those that can make a device prohibited.
DEVICE_CHECK_SETTINGS = frozenset({"device_check_every_supervision", "device_check_months"})
VERDICT_SETTINGS = frozenset({"smart_speakers_in_bedrooms", "baby_age_months"})
# DV-2: households whose carers are approved (on hold included) are asked about their devices.
CHECKED_STATUSES = (HouseholdStatus.APPROVED, HouseholdStatus.ON_HOLD)


def service_settings_changed(*, actor: User, service: FosteringService, changed: list[str]) -> None:
    """DV-2: the periodic check follows the setting; DV-3, DV-6: removal duties follow the verdicts."""
    if DEVICE_CHECK_SETTINGS & set(changed):
        device_checks_follow_setting(actor=actor, service=service)
    if VERDICT_SETTINGS & set(changed):
        households = service.households.filter(
            devices__status__in=[DeviceStatus.PLANNED, DeviceStatus.IN_USE]
        ).distinct()
        for household in households.select_related("service", "team").order_by("pk"):
            household.service = service
            refresh_removal_duty(
                actor=actor,
                household=household,
                lapsed="The service changed its settings, and no device is prohibited any more.",
            )


def device_checks_follow_setting(*, actor: User, service: FosteringService) -> None:
    """DV-2: a periodic check for every approved household, or none where every supervision checks.

    Switching to an interval opens each household's next check, due the interval after
    its last check, or after its approval if it has none (a date already past makes the
    task overdue at once: the household has not been asked for that long). A new interval
    moves the checks already open. Switching back to every supervision cancels the open
    periodic checks, with the reason. A fixed number of queries per household.
    """
    open_checks = Task.objects.select_for_update().filter(
        service=service, kind=DEVICE_CHECK, status=TaskStatus.OPEN
    )
    if service.device_check_every_supervision:
        tasks_cancel(
            actor=actor,
            tasks=list(open_checks),
            reason="DV-2: the service now checks the device register at every supervision, "
            "so no check falls due between supervisions.",
        )
        return
    households = list(
        service.households.filter(status__in=CHECKED_STATUSES).select_related("team").order_by("pk")
    )
    last_checks = dict(
        DeviceCheck.objects.filter(household__in=households)
        .values("household_id")
        .annotate(last=Max("checked_on"))
        .values_list("household_id", "last")
        .order_by()
    )
    open_by_household = {task.household_id: task for task in open_checks.filter(household__in=households)}
    today = timezone.localdate()
    for household in households:
        household.service = service
        last = last_checks.get(household.pk)
        if last is not None:
            deadline = check_deadline(service, last, event="the last device check")
        elif household.approved_on is not None:
            deadline = check_deadline(service, household.approved_on, event="the household was approved")
        else:
            deadline = check_deadline(service, today, event="the service began checking at an interval")
        task = open_by_household.get(household.pk)
        if task is None:
            task_open(
                service=service,
                rule_id="DV-2",
                kind=DEVICE_CHECK,
                title="Check the cameras and microphones in the home with the carers",
                due_on=deadline.due_on,
                due_basis=deadline.basis,
                owner=household_worker(household),
                team=household.team,
                household=household,
                actor=actor,
            )
        elif (task.due_on, task.due_basis) != (deadline.due_on, deadline.basis[:300]):
            task.due_on, task.due_basis = deadline.due_on, deadline.basis[:300]
            save_as(task, actor, update_fields=["due_on", "due_basis"])


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
