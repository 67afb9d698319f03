"""Every write to recordings and supervision records.

Keyword-only arguments, one transaction, the history row naming the actor and
the tasks the event opens or fulfils, all inside it. Views, the API and jobs
call these: each rule (SC-7, SC-10, DV-2) is written once, here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import assign, save_as
from safecare.core.concurrency import check_version
from safecare.core.deadlines import Deadline, calendar_days_after
from safecare.core.events import Event, publish
from safecare.core.models import FosteringService, TaskStatus
from safecare.core.notifications import notify
from safecare.core.tasks import task_open, tasks_close
from safecare.households.access import households_visible_to, placements_visible_to
from safecare.households.models import Allocation, AllocationKind, HouseholdMember
from safecare.households.selectors import current_carers

from .models import Recording, RecordingRead, Supervision, SupervisionAmendment, SupervisionStatus
from .selectors import NEXT_SUPERVISION, device_check_due, recordings_visible_to

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Child, Household


def _require(actor: User, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(f"{actor} may not {perm}")


# Recordings ----------------------------------------------------------------------------------

RECORDING_FIELDS = {"recorded_on", "text", "category"}


def _check_recording(recording: Recording) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    placement = recording.placement
    if recording.recorded_on > today:
        errors["recorded_on"] = ["Date of the day recorded: must be today or in the past"]
    elif recording.recorded_on < placement.start_on:
        errors["recorded_on"] = [
            f"Date of the day recorded: must be during the placement, which started on "
            f"{placement.start_on:%d/%m/%Y} (SC-7)"
        ]
    if not recording.text.strip():
        errors["text"] = ["What happened: write what happened on the day (SC-7)"]
    if errors:
        raise ValidationError(errors)
    recording.full_clean(exclude=["service", "household", "child", "placement", "written_by"])


@transaction.atomic
def recording_create(
    *, actor: User, child: Child, recorded_on: dt.date, text: str, category: str = ""
) -> Recording:
    """SC-7, PH-2: a carer records a day of a child placed with them now."""
    _require(actor, "supervision.add_recording")
    placement = placements_visible_to(actor).filter(child=child).select_related("household").first()
    if placement is None:
        raise ValidationError(
            {"child": ["Child: you can only write recordings about a child placed with you now (SC-7)"]}
        )
    recording = Recording(
        service_id=placement.service_id,
        household=placement.household,
        child=child,
        placement=placement,
        recorded_on=recorded_on,
        text=text,
        category=category,
        written_by=actor,
    )
    _check_recording(recording)
    save_as(recording, actor)
    return recording


@transaction.atomic
def recording_update(
    *, actor: User, recording: Recording, expected_version: int | str | None = None, **fields: Any
) -> Recording:
    """The author corrects a recording. The history keeps every version; a read no longer counts."""
    unknown = set(fields) - RECORDING_FIELDS
    if unknown:
        raise TypeError(f"recording_update cannot change {sorted(unknown)}")
    # Only while the child is placed with them: the same scope as reading it.
    if not recordings_visible_to(actor).filter(pk=recording.pk).exists():
        raise PermissionDenied
    recording = (
        Recording.objects.select_for_update(of=("self",)).select_related("placement").get(pk=recording.pk)
    )
    _require(actor, "supervision.change_recording", recording)
    check_version(recording, expected_version)
    changed = assign(recording, fields)
    if changed:
        _check_recording(recording)
        # SC-7: the SSW must read what the carer wrote, so an edit after reading is unread again.
        recording.revision += 1
        recording.edited_at = timezone.now()
        save_as(recording, actor, update_fields=[*changed, "revision", "edited_at"])
    return recording


@transaction.atomic
def recordings_mark_read(
    *, actor: User, recordings: Iterable[Recording], supervision: Supervision | None = None
) -> int:
    """SC-7: the SSW has read these recordings, each as it stands now. Returns how many were new reads."""
    _require(actor, "supervision.mark_recording_read")
    ids = [r.pk for r in recordings]
    visible = recordings_visible_to(actor).filter(pk__in=ids).values_list("pk", "revision")
    if (
        supervision is not None
        and not Supervision.objects.filter(
            pk=supervision.pk, household__in=households_visible_to(actor)
        ).exists()
    ):
        raise PermissionDenied
    now = timezone.now()
    made = 0
    for pk, revision in visible:
        _, created = RecordingRead.objects.get_or_create(
            recording_id=pk,
            revision=revision,
            reader=actor,
            defaults={"read_at": now, "supervision": supervision},
        )
        if created:
            made += 1
    return made


# Supervisions --------------------------------------------------------------------------------

SUPERVISION_FIELDS = {
    "held_on",
    "attendees",
    "other_attendees",
    "discussion",
    "safe_care_discussion",
    "device_check_done",
    "register_complete",
    "device_check_notes",
}

LOCKED = "Supervision: a completed record is locked; record a correction as an amendment instead"


def _check_attendees(household: Household, attendees: Iterable[HouseholdMember]) -> list[HouseholdMember]:
    members = list(attendees)
    if any(member.household_id != household.pk for member in members):
        raise ValidationError(
            {"attendees": ["Household members present: choose people who live in this household"]}
        )
    return members


def completion_problems(supervision: Supervision) -> dict[str, list[str]]:
    """Why this record may not be completed yet; empty when it may (SC-10, DV-2)."""
    problems: dict[str, list[str]] = {}
    if supervision.held_on > timezone.localdate():
        problems["held_on"] = [
            "Date of the supervision: a record can only be completed on or after the day it was held"
        ]
    if not supervision.safe_care_discussion.strip():
        problems["safe_care_discussion"] = [
            "Safe care discussion: SC-10: safe care must be discussed at every supervision and the "
            "discussion recorded before the record can be completed"
        ]
    if device_check_due(supervision.household, held_on=supervision.held_on, exclude=supervision.pk):
        if supervision.device_check_done is not True:
            problems["device_check_done"] = [
                "Devices checked with the carers: DV-2: a device check is due at this supervision; "
                "ask the carers about every camera and microphone in the home and record it"
            ]
        if not supervision.device_check_notes.strip():
            problems["device_check_notes"] = [
                "Device check notes: DV-2: record what the carers said about the devices in the home"
            ]
    if supervision.device_check_done is True:
        # DV-2: the check records whether the register is complete, as the carers answered.
        if supervision.register_complete is None:
            problems["register_complete"] = [
                "Does the register list every camera and microphone in and around the home: DV-2: "
                "answer yes or no when the devices were checked with the carers"
            ]
        elif supervision.register_complete is False and not supervision.device_check_notes.strip():
            problems.setdefault("device_check_notes", []).append(
                "Device check notes: DV-2: the register does not list every camera and microphone; "
                "say which are missing or wrong"
            )
    return problems


def _ssw(household: Household) -> User | None:
    allocation = (
        Allocation.objects.current()
        .filter(household=household, kind=AllocationKind.SUPERVISING)
        .select_related("worker")
        .first()
    )
    return allocation.worker if allocation else None


def next_supervision_deadline(
    service: FosteringService, held_on: dt.date, *, event: str = "the latest supervision held"
) -> Deadline:
    """SC-10: the next supervision, at the service's interval after the latest one held
    (or, for the first, after approval)."""
    weeks = service.supervision_interval_weeks
    label = getattr(FosteringService._meta.get_field("supervision_interval_weeks"), "verbose_name", "")
    return calendar_days_after(
        held_on,
        7 * weeks,
        event=event,
        rule_id="SC-10",
        setting=str(label),
    )


def _open_next_supervision(actor: User | None, household: Household, deadline: Deadline) -> None:
    task_open(
        service=household.service,
        rule_id="SC-10",
        kind=NEXT_SUPERVISION,
        title="Hold the next supervision, discussing safe care",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=_ssw(household),
        team=household.team,
        household=household,
        actor=actor,
    )


def household_approved(*, actor: User | None, household: Household, approved_on: dt.date) -> None:
    """SC-10: a newly approved household has its first supervision due, at the service's interval after
    approval, so the repeating duty is open from the start (a supervision already held counts)."""
    open_exists = household.tasks.filter(kind=NEXT_SUPERVISION, status=TaskStatus.OPEN).exists()
    if open_exists:
        return
    latest = (
        Supervision.objects.filter(household=household, status=SupervisionStatus.COMPLETED)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    if latest is not None and latest >= approved_on:
        deadline = next_supervision_deadline(household.service, latest)
    else:
        deadline = next_supervision_deadline(household.service, approved_on, event="approval")
    _open_next_supervision(actor, household, deadline)


def _complete(actor: User, supervision: Supervision) -> None:
    problems = completion_problems(supervision)
    if problems:
        raise ValidationError(problems)
    supervision.status = SupervisionStatus.COMPLETED
    supervision.completed_at = timezone.now()
    supervision.completed_by = actor
    save_as(supervision, actor, update_fields=["status", "completed_at", "completed_by"])
    household = supervision.household
    service = household.service
    # DV-2: a supervision that went through the devices is a check of the register.
    publish(Event.SUPERVISION_COMPLETED, actor=actor, supervision=supervision)
    # SC-10: the next supervision is due at the service's interval after the latest one held.
    latest = (
        Supervision.objects.filter(household=household, status=SupervisionStatus.COMPLETED)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    ) or supervision.held_on
    tasks_close(actor=actor, service=service, kind=NEXT_SUPERVISION, household=household)
    _open_next_supervision(actor, household, next_supervision_deadline(service, latest))
    carers = current_carers(household)
    notify(
        service=service,
        household=household,
        recipients=carers,
        kind="supervision_completed",
        subject="A supervision record is ready for you to read and acknowledge",
        reference=supervision.reference,
        url=reverse("supervision:supervision_detail", kwargs={"pk": supervision.pk}),
        dedupe_key=f"supervision_completed:{supervision.pk}",
        rule_id="SC-10",
    )


@transaction.atomic
def supervision_create(
    *,
    actor: User,
    household: Household,
    held_on: dt.date,
    attendees: Iterable[HouseholdMember] = (),
    other_attendees: str = "",
    discussion: str = "",
    safe_care_discussion: str = "",
    device_check_done: bool | None = None,
    register_complete: bool | None = None,
    device_check_notes: str = "",
    complete: bool = False,
) -> Supervision:
    """Record a supervision as a draft, or completed at once when everything is there."""
    _require(actor, "supervision.change_supervision")
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        raise PermissionDenied
    members = _check_attendees(household, attendees)
    supervision = Supervision(
        service_id=household.service_id,
        household=household,
        held_on=held_on,
        other_attendees=other_attendees,
        discussion=discussion,
        safe_care_discussion=safe_care_discussion,
        device_check_done=device_check_done,
        register_complete=register_complete,
        device_check_notes=device_check_notes,
        written_by=actor,
    )
    supervision.full_clean(exclude=["service", "household", "written_by", "attendees"])
    if complete:
        # Check before writing anything: a refused completion saves no half record.
        supervision.pk = None
        problems = completion_problems(supervision)
        if problems:
            raise ValidationError(problems)
    save_as(supervision, actor)
    if members:
        supervision._history_user = actor  # type: ignore[attr-defined]
        supervision.attendees.set(members)
    if complete:
        _complete(actor, supervision)
    return supervision


@transaction.atomic
def supervision_update(
    *,
    actor: User,
    supervision: Supervision,
    expected_version: int | str | None = None,
    complete: bool = False,
    **fields: Any,
) -> Supervision:
    unknown = set(fields) - SUPERVISION_FIELDS
    if unknown:
        raise TypeError(f"supervision_update cannot change {sorted(unknown)}")
    _require(actor, "supervision.change_supervision")
    supervision = (
        Supervision.objects.select_for_update(of=("self",))
        .select_related("household__service")
        .get(pk=supervision.pk)
    )
    if not households_visible_to(actor).filter(pk=supervision.household_id).exists():
        raise PermissionDenied
    check_version(supervision, expected_version)
    if supervision.is_completed:
        raise ValidationError({NON_FIELD_ERRORS: [LOCKED]})
    attendees = fields.pop("attendees", None)
    changed = assign(supervision, fields)
    if changed:
        supervision.full_clean(exclude=["service", "household", "written_by", "attendees"])
    members = None
    if attendees is not None:
        members = _check_attendees(supervision.household, attendees)
    if complete:
        problems = completion_problems(supervision)
        if problems:
            raise ValidationError(problems)
    if changed:
        save_as(supervision, actor, update_fields=changed)
    if members is not None and {m.pk for m in members} != set(
        supervision.attendees.values_list("pk", flat=True)
    ):
        supervision._history_user = actor  # type: ignore[attr-defined]
        supervision.attendees.set(members)
    if complete:
        _complete(actor, supervision)
    return supervision


@transaction.atomic
def supervision_complete(
    *, actor: User, supervision: Supervision, expected_version: int | str | None = None
) -> Supervision:
    return supervision_update(
        actor=actor, supervision=supervision, expected_version=expected_version, complete=True
    )


@transaction.atomic
def supervision_amend(*, actor: User, supervision: Supervision, text: str) -> SupervisionAmendment:
    """Correct a completed record without changing it: the correction is added beneath it.

    The carers acknowledged the record as it stood, so they are asked to
    acknowledge it again with the correction (the earlier acknowledgement stays
    in the history).
    """
    _require(actor, "supervision.change_supervision")
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if not households_visible_to(actor).filter(pk=supervision.household_id).exists():
        raise PermissionDenied
    if not supervision.is_completed:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    "Supervision: a draft is changed directly; amendments are for completed records"
                ]
            }
        )
    if not text.strip():
        raise ValidationError({"text": ["Correction: write what is corrected and why"]})
    amendment = SupervisionAmendment(supervision=supervision, text=text, made_by=actor)
    save_as(amendment, actor)
    if supervision.acknowledged_at is not None:
        supervision.acknowledged_at = None
        supervision.acknowledged_by = None
        save_as(supervision, actor, update_fields=["acknowledged_at", "acknowledged_by"])
    return amendment


@transaction.atomic
def supervision_acknowledge(*, actor: User, supervision: Supervision) -> Supervision:
    """A carer of the household confirms they have read the completed record."""
    _require(actor, "supervision.acknowledge_supervision")
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if not households_visible_to(actor).filter(pk=supervision.household_id).exists():
        raise PermissionDenied
    if not supervision.is_completed:
        raise ValidationError(
            {NON_FIELD_ERRORS: ["Supervision: only a completed record can be acknowledged"]}
        )
    if supervision.acknowledged_at is None:
        supervision.acknowledged_at = timezone.now()
        supervision.acknowledged_by = actor
        save_as(supervision, actor, update_fields=["acknowledged_at", "acknowledged_by"])
    return supervision
