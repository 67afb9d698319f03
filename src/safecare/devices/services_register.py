"""The device register's writes (DV-1, DV-2, DV-9, DV-11): keyword-only, one transaction, history and duties inside.

Refusals are ValidationErrors keyed by field, each message naming the field
and the rule, so pages and the API show the same reason. A permission refusal
is PermissionDenied, which pages and the API answer as 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.concurrency import check_version
from safecare.core.notifications import notify
from safecare.core.roles import Role
from safecare.core.tasks import task_open, tasks_close
from safecare.households.models import Household, HouseholdMember, MemberKind, Placement
from safecare.households.selectors import child_csw, current_carers

from .duties import (
    open_next_device_check,
    refresh_agreement_duties,
    refresh_arrival_duty,
    refresh_removal_duty,
    review_deadline,
)
from .guards import household_ssw, require, require_household
from .models import (
    ChildConsent,
    Device,
    DeviceCheck,
    DeviceStatus,
)
from .selectors import (
    DEVICE_CHECK,
    DEVICE_REVIEW,
    device_verdict,
)
from .verdict import DeviceFacts, Level, is_set_up_as_dv9_monitor

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.supervision.models import Supervision

# What the carers told the service, in the words of a task's due basis (DV-2).
TOLD = {
    "declared": "the service was told about a camera or microphone",
    "changed": "the service was told of a change to a camera or microphone",
    "removed": "the service was told a camera or microphone was taken away",
}

# E-mails name no child, carer or device (rules: Everywhere): only that there is something to see.
SUBJECTS = {
    "device_declared": "A foster carer has told the service about a camera or microphone",
    "device_prohibited": "A camera or microphone has been recorded that the policy does not allow",
    "cctv_sign": "A CCTV report is ready for you to read and sign",
    "cctv_consent": "A CCTV report needs your answer as a child's social worker",
    "cctv_decision": "A CCTV report is ready for a decision",
    "cctv_decided": "A decision has been made on a CCTV request",
    "cctv_reopened": "A CCTV exception needs a new decision",
    "device_reviewed": "Your supervising social worker has looked at a camera or microphone you told us about",
    "monitor_agreed": "A social worker has agreed to a baby monitor you told us about",
    "monitor_decided": "A decision has been made about a baby monitor you told us about",
}


def tell_carers_of_decision(*, actor: User, device: Device, kind: str, rule_id: str, step: str) -> None:
    """An alert to the household's carers for a decision on a device they told the service about.

    In the app and by e-mail; the subject names no child, carer or device (rules: Everywhere).
    `step` keeps each decision its own alert, so a later one is not swallowed by an earlier.
    """
    notify(
        service=device.household.service,
        household=device.household,
        recipients=current_carers(device.household, besides=actor),
        kind=kind,
        rule_id=rule_id,
        subject=SUBJECTS[kind],
        reference=device.reference,
        url=reverse("devices:device_detail", args=[device.pk]),
        dedupe_key=f"device:{device.pk}:{kind}:{step}",
    )


DEVICE_FIELDS = (
    "device_type",
    "description",
    "status",
    "room",
    "room_kind",
    "positioning",
    "records_video",
    "records_audio",
    "has_camera",
    "purpose",
    "purpose_detail",
    "internet_connected",
    "cloud_upload",
    "strong_password",
    "two_factor",
    "software_up_to_date",
    "responsible_person",
    "retention_hours",
    "storage",
    "access",
    "members_told_on",
    "visitors_told_on",
    "records_when",
    "monitored_child",
    "monitored_member",
    "monitored_sleeps_here",
    "monitoring_reason",
    "child_consent",
    "installed_on",
)
# A change to any of these is a change the SSW reviews (DV-2); the rest is bookkeeping.
REVIEWED_FIELDS = frozenset(DEVICE_FIELDS) - {"description"}
# DV-9: what the CSW's and SSW's agreement to a monitor is given to.
MONITORING_AGREED_FIELDS = frozenset(
    {
        "device_type",
        "purpose",
        "room_kind",
        "monitored_child",
        "monitored_member",
        "monitored_sleeps_here",
        "monitoring_reason",
    }
)
# DV-9: what the CCTV decider decides on: the agreement's facts, and what the monitor films,
# sends and keeps.
MONITORING_DECIDED_FIELDS = MONITORING_AGREED_FIELDS | {
    "records_video",
    "records_audio",
    "has_camera",
    "internet_connected",
    "cloud_upload",
    "retention_hours",
    "storage",
    "records_when",
}


# The register (DV-1, DV-2, DV-9, DV-11) ----------------------------------------------------------


def _validate_device(device: Device) -> None:
    errors: dict[str, list[str]] = {}
    try:
        device.full_clean(
            exclude=["service", "household", "declared_by", "reviewed_by", "csw_agreed_by", "ssw_agreed_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            label = _label(field)
            errors[field] = [f"{label}: {m}" if not m.startswith(label) else m for m in messages]
    if not (device.records_video or device.records_audio):
        errors["records_video"] = [
            "What it records: DV-1 say whether it records or streams video, sound or both"
        ]
    if not str(device.positioning).strip():
        errors["positioning"] = [
            "How it is positioned: DV-1 say what it points at and what it can see or hear"
        ]
    if device.monitored_child_id is not None and device.monitored_member_id is not None:
        errors["monitored_child"] = ["Child it monitors: DV-9 choose one child, in care or of the household"]
    household = device.household
    today = timezone.localdate()
    if device.monitored_child_id is not None and not (
        Placement.objects.current(today)
        .filter(household=household, child_id=device.monitored_child_id)
        .exists()
    ):
        errors["monitored_child"] = [
            "Child in care it monitors: DV-9 choose a child placed in this household"
        ]
    if (
        device.monitored_member_id is not None
        and not HouseholdMember.objects.filter(
            pk=device.monitored_member_id,
            household=household,
            kind__in=[MemberKind.CARERS_CHILD, MemberKind.OTHER_CHILD],
        ).exists()
    ):
        errors["monitored_member"] = [
            "Child of the household it monitors: DV-9 choose a child who lives in this household"
        ]
    for field in ("members_told_on", "visitors_told_on", "installed_on"):
        value = getattr(device, field)
        if value is not None and value > today:
            errors[field] = [f"{_label(field)}: the date cannot be in the future"]
    if errors:
        raise ValidationError(errors)


def _label(field: str) -> str:
    try:
        return str(getattr(Device._meta.get_field(field), "verbose_name", field)).capitalize()
    except Exception:
        return field.replace("_", " ").capitalize()


def _after_device_change(*, actor: User, device: Device, reviewed: bool, event: str) -> None:
    """Every duty that follows the register, after a device is declared, changed or removed.

    DV-2: a change the SSW has not made is reviewed. DV-10: the agreements describe every
    device. DV-3, DV-4: a prohibited device is taken out, and the SSW is alerted naming
    the rule that decided its verdict. DV-11: telling everyone after an arrival.
    """
    household = device.household
    service = household.service
    ssw = household_ssw(household)
    if not reviewed:
        deadline = review_deadline(service, event=TOLD[event])
        task = task_open(
            service=service,
            rule_id="DV-2",
            kind=DEVICE_REVIEW,
            title="Review the cameras and microphones the carers have told you about",
            due_on=deadline.due_on,
            due_basis=deadline.basis,
            owner=ssw,
            team=household.team,
            household=household,
            actor=actor,
        )
        notify(
            service=service,
            recipients=[ssw],
            kind="device_declared",
            rule_id="DV-2",
            subject=SUBJECTS["device_declared"],
            reference=device.reference,
            url=reverse("devices:device_detail", args=[device.pk]),
            dedupe_key=f"device:{device.pk}:{event}:{device.history.latest().history_id}",
            task=task,
        )
    refresh_agreement_duties(actor=actor, household=household, event=TOLD[event])
    removal = refresh_removal_duty(actor=actor, household=household)
    refresh_arrival_duty(actor=actor, household=household)
    if device.status == DeviceStatus.REMOVED:
        return
    verdict = device_verdict(device)
    if verdict.level == Level.PROHIBITED:
        notify(
            service=service,
            recipients=[ssw],
            kind="device_prohibited",
            rule_id=verdict.reasons[0].rule_id,
            subject=SUBJECTS["device_prohibited"],
            reference=device.reference,
            url=reverse("devices:device_detail", args=[device.pk]),
            dedupe_key=f"device:{device.pk}:prohibited:{device.history.latest().history_id}",
            task=removal,
        )


@transaction.atomic
def device_declare(*, actor: User, household: Household, **fields: Any) -> Device:
    """DV-1, DV-2: put a device on the register. A carer's declaration waits for the SSW's review."""
    require(actor, "devices.declare_device", household)
    require_household(actor, household)
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise ValidationError({NON_FIELD_ERRORS: [f"Device: unknown fields {', '.join(sorted(unknown))}"]})
    reviewer = actor.has_perm("devices.review_device", household)
    device = Device(household=household, service_id=household.service_id, declared_by=actor, **fields)
    if device.status == DeviceStatus.REMOVED:
        raise ValidationError({"status": ["Status: a device is declared as planned or in use"]})
    _validate_device(device)
    now = timezone.now()
    device.needs_review = not reviewer
    if reviewer:
        device.reviewed_by, device.reviewed_at = actor, now
    save_as(device, actor)
    _after_device_change(actor=actor, device=device, reviewed=reviewer, event="declared")
    return device


def _lock(device: Device) -> Device:
    return (
        Device.objects.select_for_update(of=("self",))
        .select_related("household__service", "household__team", "monitored_child", "monitored_member")
        .get(pk=device.pk)
    )


@transaction.atomic
def device_update(*, actor: User, device: Device, version: int | str | None, **fields: Any) -> Device:
    """DV-2: change a device. Any change a carer makes waits for the SSW's review."""
    device = _lock_device_for(actor, device, "devices.declare_device")
    if device.status == DeviceStatus.REMOVED:
        raise ValidationError({NON_FIELD_ERRORS: ["Device: a removed device cannot be changed"]})
    check_version(device, version)
    unknown = set(fields) - set(DEVICE_FIELDS)
    if unknown:
        raise ValidationError({NON_FIELD_ERRORS: [f"Device: unknown fields {', '.join(sorted(unknown))}"]})
    if fields.get("status") == DeviceStatus.REMOVED:
        raise ValidationError({"status": ["Status: use 'Remove from the register' to record a removal"]})
    changed = {k for k, v in fields.items() if getattr(device, k) != v}
    for key, value in fields.items():
        setattr(device, key, value)
    _validate_device(device)
    # DV-9: an agreement was to this monitoring; a change to who, why or where asks for it again.
    if changed & MONITORING_AGREED_FIELDS:
        device.csw_agreed_on = device.ssw_agreed_on = None
        device.csw_agreed_by = device.ssw_agreed_by = None
    # DV-9: the CCTV decider decided on the whole picture; any change to it asks them again.
    if changed & MONITORING_DECIDED_FIELDS:
        device.decider_agreed = device.decider_decided_on = device.decider_decided_by = None
        device.decider_comments = ""
    reviewer = actor.has_perm("devices.review_device", device.household)
    needs_review = bool(changed & REVIEWED_FIELDS) and not reviewer
    if needs_review:
        device.needs_review = True
    elif reviewer and changed:
        device.needs_review, device.reviewed_by, device.reviewed_at = False, actor, timezone.now()
    save_as(device, actor)
    _after_device_change(actor=actor, device=device, reviewed=not needs_review, event="changed")
    if reviewer:
        _close_review_when_settled(actor, device.household)
    return device


@transaction.atomic
def device_remove(
    *, actor: User, device: Device, removed_on: dt.date, version: int | str | None = None
) -> Device:
    """DV-2: the carers tell the service a device has gone; it leaves the register and stays in history."""
    device = _lock_device_for(actor, device, "devices.declare_device")
    check_version(device, version)
    if device.status == DeviceStatus.REMOVED:
        raise ValidationError({NON_FIELD_ERRORS: ["Device: this device is already removed"]})
    if removed_on is None:
        raise ValidationError({"removed_on": ["Date removed: say when it was removed"]})
    if removed_on > timezone.localdate():
        raise ValidationError({"removed_on": ["Date removed: the date cannot be in the future"]})
    device.status = DeviceStatus.REMOVED
    device.removed_on = removed_on
    reviewer = actor.has_perm("devices.review_device", device.household)
    device.needs_review = not reviewer
    save_as(device, actor)
    _after_device_change(actor=actor, device=device, reviewed=reviewer, event="removed")
    if reviewer:
        _close_review_when_settled(actor, device.household)
    return device


def _lock_device_for(actor: User, device: Device, perm: str) -> Device:
    """The device, locked, once the actor may `perm` in its household and sees it."""
    device = _lock(device)
    require(actor, perm, device.household)
    require_household(actor, device.household)
    return device


def _close_review_when_settled(actor: User, household: Household) -> None:
    if not Device.objects.filter(household=household, needs_review=True).exists():
        tasks_close(actor=actor, service=household.service, kind=DEVICE_REVIEW, household=household)


@transaction.atomic
def device_review(*, actor: User, device: Device, notes: str = "") -> Device:
    """DV-2: the SSW has looked at the declaration or change. The task closes with the last one."""
    device = _lock_device_for(actor, device, "devices.review_device")
    if not device.needs_review:
        raise ValidationError({NON_FIELD_ERRORS: ["Review: there is no change waiting for review"]})
    device.needs_review = False
    device.reviewed_by = actor
    device.reviewed_at = timezone.now()
    device.review_notes = notes.strip()
    save_as(device, actor, update_fields=["needs_review", "reviewed_by", "reviewed_at", "review_notes"])
    _close_review_when_settled(actor, device.household)
    tell_carers_of_decision(
        actor=actor,
        device=device,
        kind="device_reviewed",
        rule_id="DV-2",
        step=str(device.history.latest().history_id),
    )
    return device


@transaction.atomic
def device_agree_monitoring(
    *, actor: User, device: Device, agreed_on: dt.date | None = None, consent: str | None = None
) -> Device:
    """DV-9: the CSW (for a child in care) or the SSW agrees to a monitor for an older child.

    Either may also record the child's consent, or that the child cannot give it.
    """
    device = _lock_device_for(actor, device, "devices.agree_monitoring")
    if not is_set_up_as_dv9_monitor(DeviceFacts.of(device, today=timezone.localdate())):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    "Agreement: DV-9 applies to a baby monitor for a sleeping child, naming the child, "
                    "in the bedroom where that child sleeps"
                ]
            }
        )
    agreed_on = agreed_on or timezone.localdate()
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": ["Date agreed: the date cannot be in the future"]})
    fields: list[str] = []
    if actor.role == Role.CHILDS_SW:
        if device.monitored_child is None or child_csw(device.monitored_child) != actor:
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Agreement: DV-9 only the social worker of the child monitored agrees"]}
            )
        device.csw_agreed_on, device.csw_agreed_by = agreed_on, actor
        fields += ["csw_agreed_on", "csw_agreed_by"]
    else:
        if household_ssw(device.household) != actor:
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Agreement: DV-9 only the household's supervising social worker agrees"]}
            )
        device.ssw_agreed_on, device.ssw_agreed_by = agreed_on, actor
        fields += ["ssw_agreed_on", "ssw_agreed_by"]
    if consent is not None:
        if consent not in ChildConsent.values:
            raise ValidationError({"child_consent": ["The child's consent: choose one of the answers"]})
        device.child_consent = consent
        fields.append("child_consent")
    save_as(device, actor, update_fields=fields)
    # A child who does not agree makes the monitor prohibited (DV-9): it is then to be taken out.
    refresh_removal_duty(actor=actor, household=device.household)
    tell_carers_of_decision(
        actor=actor,
        device=device,
        kind="monitor_agreed",
        rule_id="DV-9",
        step=str(device.history.latest().history_id),
    )
    return device


@transaction.atomic
def device_check_record(
    *,
    actor: User,
    household: Household,
    checked_on: dt.date,
    register_accurate: bool | None,
    notes: str = "",
    supervision: Supervision | None = None,
) -> DeviceCheck:
    """DV-2: the SSW went through the register with the carers; the next check falls due."""
    require(actor, "devices.check_register", household)
    require_household(actor, household)
    errors: dict[str, list[str]] = {}
    if checked_on is None:
        errors["checked_on"] = ["Date of the check: say when the register was checked"]
    elif checked_on > timezone.localdate():
        errors["checked_on"] = ["Date of the check: the date cannot be in the future"]
    if register_accurate is None:
        errors["register_accurate"] = [
            "Register complete: DV-2 say whether the register lists every device in and around the home"
        ]
    if register_accurate is False and not notes.strip():
        errors["notes"] = ["Notes: say what is missing or wrong, and record the devices"]
    if errors:
        raise ValidationError(errors)
    check = DeviceCheck(
        service_id=household.service_id,
        household=household,
        checked_on=checked_on,
        checked_by=actor,
        register_accurate=bool(register_accurate),
        notes=notes.strip(),
        supervision=supervision,
    )
    save_as(check, actor)
    tasks_close(actor=actor, service=household.service, kind=DEVICE_CHECK, household=household)
    open_next_device_check(actor=actor, household=household, after=checked_on)
    return check
