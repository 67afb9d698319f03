"""Photos of children, and lost or stolen devices and prints (PH-3 to PH-6).

- PH-3: each child's photo rules (PhotoRules), recorded by the child's social worker, the
  children's team manager or the household's SSW from the placement planning meeting: the
  issues the child, the social worker and the birth parents raised, the child's own views, and
  the school and community permissions, decided with the child's social worker. One record
  per child, its changes kept; an edit opened on an older version is refused (no silent
  overwrite). Until the rules are recorded no photo of the child can be uploaded.
- PH-4: a carer of the household the child is placed with now uploads a photo after
  confirming the rules for that upload; a child who does not want photos taken needs the
  carer's confirmation that the child agreed to this one. The image is cleaned
  (files.images) and stored encrypted (files.storage).
- PH-5: when a placement ends the household's photos of the child pass to the child's social
  worker (a task to receive them, due 5 working days after the end) and the carers are told;
  the carers keep reading only the photos their SSW agreed they may keep, at most the service's
  setting per child. A carer asks (KeepRequest), the SSW decides.
- PH-6: a carer reports a lost or stolen device or prints; each child's social worker gets a
  task due the same day and an alert now; the household's SSW is told.

Decisions: docs/decisions/0046-photos-of-children.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.concurrency import StaleEdit
from safecare.core.deadlines import Deadline, immediately, long_date
from safecare.core.models import Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.roles import Role
from safecare.core.tasks import task_open, tasks_close
from safecare.households.access import children_visible_to, households_visible_to
from safecare.households.models import Child, Household, Placement
from safecare.households.selectors import child_csw, current_carers, household_worker

from . import images, storage
from .duties import DECIDE_KEEP, LOSS, RECEIVE_PHOTOS
from .models import (
    Handover,
    KeepRequest,
    KeepStatus,
    LossAcknowledgement,
    LossKind,
    LossReport,
    LostThing,
    Permission,
    Photo,
    PhotoRules,
)
from .selectors import handovers_visible_to, keep_requests_visible_to, loss_reports_visible_to

if TYPE_CHECKING:
    from safecare.core.models import FosteringService, User

LONG_TEXT = 20000
CAPTION_MAX = 200
# PH-5: the policy says the photos pass to the child's social worker, with no deadline. Safecare
# gives the social worker 5 working days after the placement's end to receive them, and the
# household's SSW 5 working days to decide a request to keep photos (decision 0046).
RECEIVE_WORKING_DAYS = 5
DECIDE_WORKING_DAYS = 5
# What the carer confirms before each upload (PH-4), in plain English.
RULES = (
    "The photo shows nothing revealing: the child is not undressed, in their underwear or in revealing clothes.",
    "The photo was not taken in the bath, or at bath time or bedtime.",
    "I will never put this photo, or any copy of it, on a public website or social media.",
    "I will not let any photo printing or storage service use it for marketing or any other purpose.",
)


def _label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def _today() -> dt.date:
    return timezone.localdate()


def _current(today: dt.date) -> Q:
    return Q(start_on__lte=today) & (Q(end_on__isnull=True) | Q(end_on__gt=today))


# Who is who ------------------------------------------------------------------------------------


def childrens_team_manager(child: Child) -> User | None:
    """The children's team manager of the child's team: told when no social worker is allocated."""
    from safecare.core.models import User

    if child.team_id is None:
        return None
    return (
        User.objects.filter(team_id=child.team_id, role=Role.CHILDRENS_TEAM_MANAGER, is_active=True)
        .order_by("pk")
        .first()
    )


def _csw_task_owner(child: Child) -> tuple[User | None, User | None]:
    """(owner of the child's duty, who is alerted): the child's social worker; with none
    allocated the duty stays with the child's team, unowned, and its manager is alerted."""
    csw = child_csw(child)
    if csw is not None:
        return csw, csw
    return None, childrens_team_manager(child)


def carer_placement(carer: User, child: Child, today: dt.date | None = None) -> Placement | None:
    """The child's placement with the carer's household today, if any."""
    today = today or _today()
    return (
        Placement.objects.filter(
            _current(today), child=child, household__in=households_visible_to(carer, today=today)
        )
        .select_related("household")
        .order_by("-start_on", "-id")
        .first()
    )


def carer_household_for(carer: User, child: Child, today: dt.date | None = None) -> Household | None:
    """The carer's household the child is placed with today, if any."""
    placement = carer_placement(carer, child, today)
    return placement.household if placement is not None else None


def children_ever_placed_with(
    households: QuerySet[Household], today: dt.date | None = None
) -> QuerySet[Child]:
    """The children placed with these households now or before (never one still to come)."""
    today = today or _today()
    return Child.objects.filter(
        pk__in=Placement.objects.filter(household__in=households, start_on__lte=today).values("child")
    )


def carer_children(carer: User) -> QuerySet[Child]:
    """PH-5, PH-6: the children placed with the carer's household now or before."""
    return children_ever_placed_with(households_visible_to(carer))


# PH-3: the rules -------------------------------------------------------------------------------


def photo_rules(child: Child) -> PhotoRules | None:
    return PhotoRules.objects.filter(child=child).first()


def may_record_rules(actor: User, child: Child) -> bool:
    return bool(
        actor.has_perm("files.record_photo_rules") and children_visible_to(actor).filter(pk=child.pk).exists()
    )


def _stale(rules: PhotoRules, expected: int) -> StaleEdit:
    opened = rules.history.filter(version=expected).order_by("-history_id").first()
    latest = rules.history.order_by("-history_id").first()
    changed: list[str] = []
    if opened is not None and latest is not None:
        quiet = {"version", "updated_at", "recorded_by"}
        changed = [
            _label(PhotoRules, c.field).capitalize()
            for c in latest.diff_against(opened).changes
            if c.field not in quiet
        ]
    what = f" ({', '.join(changed)})" if changed else ""
    return StaleEdit(
        {
            NON_FIELD_ERRORS: [
                f"Someone else saved changes to these photo rules{what} after you opened this page. "
                "Your changes have not been saved: check them against the rules and save again."
            ]
        },
        code="stale",
    )


@transaction.atomic
def photo_rules_record(
    *,
    actor: User,
    child: Child,
    expected_version: int | None,
    wants_no_photos: bool,
    childs_views: str,
    issues_from_child: str,
    issues_from_social_worker: str,
    issues_from_birth_parents: str,
    planning_meeting_on: dt.date | None,
    school_photos: str,
    community_photos: str,
) -> PhotoRules:
    """PH-3: record or update the child's photo rules.

    `expected_version` is the version the editor opened (0: there were none). A save over a
    newer version is refused, naming what the other person changed.
    """
    locked = Child.objects.select_for_update().filter(pk=child.pk).first()
    if locked is None or not may_record_rules(actor, locked):
        raise PermissionDenied
    child = locked
    rules = PhotoRules.objects.select_for_update().filter(child=child).first()
    current = rules.version if rules is not None else 0
    if expected_version is not None and int(expected_version) != current:
        if rules is None:  # pragma: no cover - a version of rules that do not exist
            raise StaleEdit({NON_FIELD_ERRORS: ["These photo rules were removed: open the page again."]})
        raise _stale(rules, int(expected_version))
    errors: dict[str, list[str]] = {}
    if planning_meeting_on is not None and planning_meeting_on > _today():
        _add(
            errors,
            "planning_meeting_on",
            f"{_label(PhotoRules, 'planning_meeting_on')}: cannot be in the future",
        )
    texts = {
        "childs_views": childs_views,
        "issues_from_child": issues_from_child,
        "issues_from_social_worker": issues_from_social_worker,
        "issues_from_birth_parents": issues_from_birth_parents,
    }
    for field, text in texts.items():
        if len(text) > LONG_TEXT:
            _add(errors, field, f"{_label(PhotoRules, field)}: must be {LONG_TEXT:,} characters or fewer")
    for field, value in (("school_photos", school_photos), ("community_photos", community_photos)):
        if value not in Permission.values:
            _add(errors, field, f"{_label(PhotoRules, field)}: choose yes, no or not decided yet (PH-3)")
    if wants_no_photos and not childs_views.strip():
        _add(
            errors,
            "childs_views",
            f"{_label(PhotoRules, 'childs_views')}: PH-3 the child does not want photos taken; say what "
            "they said, so the carer can respect it",
        )
    decided = {school_photos, community_photos} & {Permission.YES, Permission.NO}
    decided_with = actor if actor.role == Role.CHILDS_SW else child_csw(child)
    if decided and decided_with is None:
        _add(
            errors,
            "school_photos" if school_photos != Permission.NOT_DECIDED else "community_photos",
            "School and community photos: PH-3 these permissions are decided with the child's social worker, "
            "and none is allocated to this child; leave them as not decided yet",
        )
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "wants_no_photos": wants_no_photos,
        "childs_views": childs_views.strip(),
        "issues_from_child": issues_from_child.strip(),
        "issues_from_social_worker": issues_from_social_worker.strip(),
        "issues_from_birth_parents": issues_from_birth_parents.strip(),
        "planning_meeting_on": planning_meeting_on,
        "school_photos": school_photos,
        "community_photos": community_photos,
    }
    if rules is None:
        rules = PhotoRules(service=child.service, child=child, recorded_by=actor, version=1, **values)
    else:
        for name, value in values.items():
            setattr(rules, name, value)
        rules.version = current + 1
        rules.recorded_by = actor
        rules.updated_at = timezone.now()
    if decided:
        rules.permissions_decided_with = decided_with
    save_as(rules, actor)
    return rules


def no_rules_message(child: Child) -> str:
    """PH-3: what the carer reads when no rules are recorded (the upload is refused)."""
    name = child.first_name
    return (
        f"{name}'s social worker has not yet recorded the rules for photos of {name}. "
        "Ask them before uploading photos."
    )


# PH-4: uploading -------------------------------------------------------------------------------


def may_upload(actor: User, child: Child) -> bool:
    return bool(actor.has_perm("files.upload_photo") and carer_household_for(actor, child) is not None)


@transaction.atomic
def photo_upload(
    *,
    actor: User,
    child: Child,
    files: Sequence[tuple[bytes, str]],
    caption: str = "",
    taken_on: dt.date | None = None,
    rules_confirmed: bool,
    child_agreed: bool = False,
) -> list[Photo]:
    """PH-3, PH-4: a carer of the household the child is placed with now uploads photos of them.

    Each file is cleaned and stored encrypted; the upload stamps the moment the carer confirmed
    the rules. Refused: no rules recorded for the child; the rules not confirmed; a child who
    does not want photos, without the carer's confirmation that the child agreed to this one;
    a file that is not a photo; a date in the future. Carers read plain English.
    """
    placement = carer_placement(actor, child)
    if placement is None or not actor.has_perm("files.upload_photo"):
        raise PermissionDenied
    household = placement.household
    rules = photo_rules(child)
    if rules is None:
        raise ValidationError({NON_FIELD_ERRORS: [no_rules_message(child)]})
    errors: dict[str, list[str]] = {}
    if not files:
        _add(errors, "photos", "Photo: Select a photo to upload")
    if not rules_confirmed:
        _add(
            errors,
            "rules_confirmed",
            "Confirm the rules: tick the box to confirm the photo keeps to the rules for photos of "
            f"{child.first_name}",
        )
    if rules.wants_no_photos and not child_agreed:
        _add(
            errors,
            "child_agreed",
            f"Child agreed: {child.first_name} has said they do not want photos taken. Tick the box "
            f"only if {child.first_name} agreed to this photo",
        )
    if taken_on is not None and taken_on > _today():
        _add(errors, "taken_on", "Taken on: The date the photo was taken must be today or in the past")
    if len(caption) > CAPTION_MAX:
        _add(errors, "caption", f"What is happening in the photo: must be {CAPTION_MAX} characters or fewer")
    cleaned: list[tuple[images.CleanImage, str]] = []
    for data, filename in files:
        try:
            cleaned.append((images.clean_image(data, filename=filename), filename))
        except images.Refused as error:
            which = f" {filename}" if filename and len(files) > 1 else ""
            _add(errors, "photos", f"Photo{which}: {error}")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    # PH-5: an end recorded ahead of the day has already handed the photos over: a photo taken
    # before the child leaves passes on with them.
    handover = Handover.objects.select_for_update().filter(placement=placement).first()
    photos = []
    for image, filename in cleaned:
        stored = storage.store(
            service=child.service,
            data=image.data,
            content_type=image.content_type,
            filename=filename,
            actor=actor,
        )
        photo = Photo(
            service=child.service,
            child=child,
            household=household,
            file=stored,
            width=image.width,
            height=image.height,
            caption=caption.strip(),
            taken_on=taken_on,
            uploaded_by=actor,
            uploaded_at=now,
            rules_confirmed_at=now,
            passed_on_at=now if handover is not None else None,
        )
        save_as(photo, actor)
        photos.append(photo)
    if handover is not None:
        handover.photo_count += len(photos)
        save_as(handover, actor, update_fields=["photo_count"])
    return photos


# PH-5: the end of a placement ------------------------------------------------------------------


def receive_due(service: FosteringService, ended_on: dt.date) -> Deadline:
    """PH-5: RECEIVE_WORKING_DAYS working days after the placement ended (the service's calendar)."""
    due = service.calendar().add_working_days(ended_on, RECEIVE_WORKING_DAYS)
    return Deadline(
        due,
        f"{RECEIVE_WORKING_DAYS} working days after the placement ended on {long_date(ended_on)} (PH-5: the "
        "policy says the photos pass to the child's social worker and sets no deadline; this is Safecare's)",
    )


def _handover_url(handover: Handover) -> str:
    return reverse("files:handover", kwargs={"pk": handover.pk})


def placement_ended(*, actor: User, placement: Placement) -> Handover:
    """PH-5: the household's photos of the child pass to the child's social worker.

    Once per placement: a second call returns the first handover. The photos not yet passed
    on are stamped; a task to receive them (the carer's own photos and prints too) goes to the
    child's social worker, or with none allocated to the child's team, its manager alerted;
    the household's carers are told. From the end, the carers read only the photos agreed to
    be kept (files.selectors).
    """
    with transaction.atomic():
        existing = Handover.objects.filter(placement=placement).first()
        if existing is not None:
            return existing
        child = placement.child
        household = placement.household
        service = placement.service
        now = timezone.now()
        photos = list(
            Photo.objects.select_for_update().filter(
                child=child, household=household, passed_on_at__isnull=True
            )
        )
        for photo in photos:
            photo.passed_on_at = now
            save_as(photo, actor, update_fields=["passed_on_at"])
        ended_on = placement.end_on or _today()
        due = receive_due(service, ended_on)
        owner, told = _csw_task_owner(child)
        task = task_open(
            service=service,
            rule_id="PH-5",
            kind=RECEIVE_PHOTOS,
            title="Receive the photos of a child whose placement ended, for life-story work",
            due_on=due.due_on,
            owner=owner,
            team=owner.team if owner is not None and owner.team_id else child.team,
            household=household,
            child=child,
            actor=actor,
            due_basis=due.basis,
        )
        handover = Handover(
            service=service,
            placement=placement,
            child=child,
            household=household,
            photo_count=len(photos),
            opened_at=now,
            task=task,
        )
        save_as(handover, actor)
        notify(
            service=service,
            recipients=[told],
            kind="photos_to_receive",
            rule_id="PH-5",
            subject="Photos of a child whose placement ended are ready for you to receive",
            reference=task.reference,
            url=_handover_url(handover),
            task=task,
            household=household,
            dedupe_key=f"photos_to_receive:{handover.pk}",
        )
        notify(
            service=service,
            recipients=current_carers(household),
            kind="photos_passed_on",
            rule_id="PH-5",
            subject="Photos of a child who has left you have passed to their social worker",
            reference=f"Handover {handover.pk}",
            url=reverse("files:child_photos", kwargs={"pk": child.pk}),
            household=household,
            dedupe_key=f"photos_passed_on:{handover.pk}",
        )
        return handover


@transaction.atomic
def handover_receive(*, actor: User, handover: Handover) -> Handover:
    """PH-5: the child's social worker records that they received the photos; closes their task."""
    if not actor.has_perm("files.receive_photos"):
        raise PermissionDenied
    locked = handovers_visible_to(actor).select_for_update().filter(pk=handover.pk).first()
    if locked is None or not children_visible_to(actor).filter(pk=locked.child_id).exists():
        raise PermissionDenied
    if locked.received_at is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Received: PH-5 these photos were already received on {long_date(timezone.localtime(locked.received_at).date())}"
                ]
            }
        )
    locked.received_by = actor
    locked.received_at = timezone.now()
    save_as(locked, actor, update_fields=["received_by", "received_at"])
    tasks_close(
        actor=actor,
        service=locked.service,
        kind=RECEIVE_PHOTOS,
        household=locked.household,
        child=locked.child,
    )
    return locked


def handover_photos(handover: Handover) -> QuerySet[Photo]:
    return Photo.objects.filter(
        child_id=handover.child_id, household_id=handover.household_id
    ).select_related("file")


# PH-5: keeping a few -----------------------------------------------------------------------------


def kept_count(child: Child, household: Household, besides: Iterable[int] = ()) -> int:
    return (
        Photo.objects.filter(child=child, household=household, kept=True)
        .exclude(pk__in=list(besides))
        .count()
    )


def keep_candidates(actor: User, child: Child) -> QuerySet[Photo]:
    """PH-5: the photos the carer's household took of the child and does not already keep."""
    return Photo.objects.filter(
        child=child, household__in=households_visible_to(actor), kept=False, file__erased_at__isnull=True
    )


def _decide_due(service: FosteringService, asked_on: dt.date) -> Deadline:
    due = service.calendar().add_working_days(asked_on, DECIDE_WORKING_DAYS)
    return Deadline(
        due,
        f"{DECIDE_WORKING_DAYS} working days after the family asked on {long_date(asked_on)} (PH-5: the policy "
        "sets no deadline; this is Safecare's)",
    )


def _open_decide_task(*, actor: User | None, keep_request: KeepRequest) -> Task:
    household = keep_request.household
    ssw = household_worker(household)
    due = _decide_due(keep_request.service, timezone.localtime(keep_request.asked_at).date())
    return task_open(
        service=keep_request.service,
        rule_id="PH-5",
        kind=DECIDE_KEEP,
        title="Decide which photos of a child a family may keep",
        due_on=due.due_on,
        owner=ssw,
        team=ssw.team if ssw is not None and ssw.team_id else household.team,
        household=household,
        child=keep_request.child,
        actor=actor,
        due_basis=due.basis,
    )


def _keep_url(keep_request: KeepRequest) -> str:
    return reverse("files:keep_request", kwargs={"pk": keep_request.pk})


@transaction.atomic
def keep_request_make(*, actor: User, child: Child, photos: Sequence[Photo], reason: str) -> KeepRequest:
    """PH-5: a carer asks to keep a few significant photos of a child, before or after the end.

    The photos are their household's, of this child, not already kept; the household's SSW
    decides (a task and an alert). Plain English for the carer.
    """
    if not actor.has_perm("files.ask_to_keep"):
        raise PermissionDenied
    if not carer_children(actor).filter(pk=child.pk).exists():
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    allowed = {p.pk: p for p in keep_candidates(actor, child).select_related("household")}
    chosen = [allowed[p.pk] for p in photos if p.pk in allowed]
    households = {p.household_id for p in chosen}
    limit = child.service.photos_kept_after_placement
    if not chosen:
        _add(errors, "photos", "Photos: Select the photos you would like to keep")
    elif len(households) > 1:
        _add(errors, "photos", "Photos: Select photos taken by one household at a time")
    else:
        household = chosen[0].household
        already = kept_count(child, household)
        if already + len(chosen) > limit:
            left = max(limit - already, 0)
            _add(
                errors,
                "photos",
                f"Photos: Your family can keep at most {limit} photos of {child.first_name}; you already keep "
                f"{already}, so choose {left} or fewer",
            )
    if not reason.strip():
        _add(errors, "reason", "Why these photos matter to your family: Say why you would like to keep them")
    elif len(reason) > LONG_TEXT:
        _add(
            errors,
            "reason",
            f"Why these photos matter to your family: must be {LONG_TEXT:,} characters or fewer",
        )
    if errors:
        raise ValidationError(errors)
    household = chosen[0].household
    keep_request = KeepRequest(
        service=child.service, household=household, child=child, reason=reason.strip(), asked_by=actor
    )
    save_as(keep_request, actor)
    keep_request.photos.set(chosen)
    task = _open_decide_task(actor=actor, keep_request=keep_request)
    keep_request.task = task
    save_as(keep_request, actor, update_fields=["task"])
    notify(
        service=child.service,
        recipients=[household_worker(household)],
        kind="keep_request",
        rule_id="PH-5",
        subject="A family asks to keep some photos of a child",
        reference=task.reference,
        url=_keep_url(keep_request),
        task=task,
        household=household,
        dedupe_key=f"keep_request:{keep_request.pk}",
    )
    return keep_request


def may_decide_keep(actor: User, keep_request: KeepRequest) -> bool:
    return bool(
        actor.has_perm("files.decide_keep")
        and households_visible_to(actor).filter(pk=keep_request.household_id).exists()
    )


@transaction.atomic
def keep_decide(
    *, actor: User, keep_request: KeepRequest, agreed: Sequence[Photo], decision_note: str
) -> KeepRequest:
    """PH-5: the household's SSW agrees to all or some of the photos, or none (a refusal, with a note).

    At most the service's setting per child and household, counting those already kept. The
    agreed photos are kept; the carers are told; the task closes with the decision.
    """
    locked = (
        keep_requests_visible_to(actor)
        .select_for_update()
        .filter(pk=keep_request.pk)
        .select_related("child", "household", "service")
        .first()
    )
    if locked is None or not may_decide_keep(actor, locked):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if locked.status != KeepStatus.ASKED:
        _add(errors, NON_FIELD_ERRORS, "Decision: PH-5 this request was already decided")
        raise ValidationError(errors)
    asked = {p.pk: p for p in locked.photos.all()}
    chosen = [asked[p.pk] for p in agreed if p.pk in asked]
    if len(chosen) != len({p.pk for p in agreed}):
        _add(errors, "agreed", "Photos agreed: PH-5 choose only photos the family asked to keep")
    limit = locked.service.photos_kept_after_placement
    already = kept_count(locked.child, locked.household, besides=[p.pk for p in chosen])
    if already + len(chosen) > limit:
        _add(
            errors,
            "agreed",
            f"Photos agreed: PH-5 the service's setting '{_label(type(locked.service), 'photos_kept_after_placement')}' "
            f"is {limit}; the family already keeps {already} of this child, so agree to {max(limit - already, 0)} "
            "or fewer",
        )
    note = decision_note.strip()
    if not chosen and not note:
        _add(errors, "decision_note", "What was agreed: PH-5 say why the family may not keep these photos")
    if len(decision_note) > LONG_TEXT:
        _add(errors, "decision_note", f"What was agreed: must be {LONG_TEXT:,} characters or fewer")
    if errors:
        raise ValidationError(errors)
    for photo in chosen:
        photo.kept = True
        save_as(photo, actor, update_fields=["kept"])
    locked.status = KeepStatus.AGREED if chosen else KeepStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    save_as(locked, actor, update_fields=["status", "decided_by", "decided_at", "decision_note"])
    tasks_close(
        actor=actor, service=locked.service, kind=DECIDE_KEEP, household=locked.household, child=locked.child
    )
    # Another request about the same child still waits: its duty opens again.
    waiting = (
        KeepRequest.objects.filter(household=locked.household, child=locked.child, status=KeepStatus.ASKED)
        .order_by("asked_at", "id")
        .first()
    )
    if waiting is not None:
        waiting.task = _open_decide_task(actor=actor, keep_request=waiting)
        save_as(waiting, actor, update_fields=["task"])
    notify(
        service=locked.service,
        recipients=current_carers(locked.household),
        kind="keep_decided",
        rule_id="PH-5",
        subject="Your request to keep some photos has been decided",
        reference=f"Request {locked.pk}",
        url=_keep_url(locked),
        household=locked.household,
        dedupe_key=f"keep_decided:{locked.pk}",
    )
    return locked


# PH-6: lost or stolen --------------------------------------------------------------------------


def carer_loss_household(actor: User) -> Household | None:
    return households_visible_to(actor).order_by("pk").first()


def _loss_url(report: LossReport) -> str:
    return reverse("files:loss_report", kwargs={"pk": report.pk})


def _open_loss_task(*, actor: User | None, report: LossReport, child: Child) -> tuple[Task, User | None]:
    owner, told = _csw_task_owner(child)
    reported_on = timezone.localtime(report.reported_at).date()
    due = immediately(report.service, reported_on, event="the carer reported the loss", rule_id="PH-6")
    task = task_open(
        service=report.service,
        rule_id="PH-6",
        kind=LOSS,
        title="Act on a lost or stolen device or photos that may hold images of a child",
        due_on=due.due_on,
        owner=owner,
        team=owner.team if owner is not None and owner.team_id else child.team,
        household=report.household,
        child=child,
        actor=actor,
        due_basis=due.basis,
    )
    return task, told


@transaction.atomic
def loss_report_make(
    *,
    actor: User,
    what: str,
    kind: str,
    happened_on: dt.date | None,
    children: Sequence[Child],
    details: str = "",
    police_reference: str = "",
) -> LossReport:
    """PH-6: a carer reports a lost or stolen device or prints.

    For each child named (placed with the household now or before): a task for the child's
    social worker (or the child's team) due today, and an alert now. The household's SSW is
    told, even when no child is named. Plain English for the carer.
    """
    if not actor.has_perm("files.report_loss"):
        raise PermissionDenied
    household = carer_loss_household(actor)
    if household is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if what not in LostThing.values:
        _add(errors, "what", "What: Select what was lost or stolen")
    if kind not in LossKind.values:
        _add(errors, "kind", "Kind: Select whether it was lost or stolen")
    if happened_on is None:
        _add(errors, "happened_on", "Happened on: Enter the date it happened, or the date you noticed")
    elif happened_on > _today():
        _add(errors, "happened_on", "Happened on: The date must be today or in the past")
    allowed = {c.pk: c for c in children_ever_placed_with(Household.objects.filter(pk=household.pk))}
    named = [allowed[c.pk] for c in children if c.pk in allowed]
    if len(named) != len({c.pk for c in children}):
        _add(errors, "children", "Children: Select only children who live or lived with you")
    if len(details) > LONG_TEXT:
        _add(errors, "details", f"Tell us more: must be {LONG_TEXT:,} characters or fewer")
    if len(police_reference) > 60:
        _add(errors, "police_reference", "Police crime reference: must be 60 characters or fewer")
    if errors or happened_on is None:
        raise ValidationError(errors)
    report = LossReport(
        service=household.service,
        household=household,
        what=what,
        kind=kind,
        details=details.strip(),
        happened_on=happened_on,
        police_reference=police_reference.strip(),
        reported_by=actor,
    )
    save_as(report, actor)
    report.children.set(named)
    for child in sorted(named, key=lambda c: c.pk):
        task, told = _open_loss_task(actor=actor, report=report, child=child)
        notify(
            service=report.service,
            recipients=[told],
            kind="loss_report",
            rule_id="PH-6",
            subject="A device or photos that may hold images of a child you work with were lost or stolen",
            reference=task.reference,
            url=_loss_url(report),
            task=task,
            household=household,
            dedupe_key=f"loss_report:{report.pk}:child:{child.pk}",
        )
    notify(
        service=report.service,
        recipients=[household_worker(household)],
        kind="loss_report",
        rule_id="PH-6",
        subject="A household you supervise reported a lost or stolen device or photos",
        reference=f"Loss report {report.pk}",
        url=_loss_url(report),
        household=household,
        dedupe_key=f"loss_report:{report.pk}:ssw",
    )
    return report


def acknowledgeable(actor: User, report: LossReport) -> list[Child]:
    """The children named in the report whose loss this worker may still record action on."""
    if not actor.has_perm("files.acknowledge_loss"):
        return []
    done = set(report.acknowledgements.values_list("child_id", flat=True))
    return [
        c
        for c in report.children.filter(pk__in=children_visible_to(actor)).order_by("first_name", "pk")
        if c.pk not in done
    ]


@transaction.atomic
def loss_acknowledge(
    *, actor: User, report: LossReport, child: Child | None, actions: str
) -> LossAcknowledgement:
    """PH-6: the child's social worker records what they did; their same-day task closes with it."""
    locked = (
        loss_reports_visible_to(actor).filter(pk=report.pk).select_related("household", "service").first()
    )
    if locked is None or not actor.has_perm("files.acknowledge_loss"):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if child is None or child.pk not in {c.pk for c in acknowledgeable(actor, locked)}:
        _add(
            errors, "child", "Child: PH-6 choose a child named in the report whose action is still to record"
        )
    if not actions.strip():
        _add(errors, "actions", "What you have done or will do: PH-6 say what you did about the loss")
    elif len(actions) > LONG_TEXT:
        _add(errors, "actions", f"What you have done or will do: must be {LONG_TEXT:,} characters or fewer")
    if errors or child is None:
        raise ValidationError(errors)
    acknowledgement = LossAcknowledgement(report=locked, child=child, by=actor, actions=actions.strip())
    save_as(acknowledgement, actor)
    tasks_close(actor=actor, service=locked.service, kind=LOSS, household=locked.household, child=child)
    # Another report naming the child, still without action, opens the duty again.
    waiting = (
        LossReport.objects.filter(household=locked.household, children=child)
        .exclude(acknowledgements__child=child)
        .order_by("reported_at", "id")
        .first()
    )
    if waiting is not None:
        _open_loss_task(actor=actor, report=waiting, child=child)
    return acknowledgement


def open_loss_tasks(child: Child) -> QuerySet[Task]:
    return Task.objects.filter(child=child, kind=LOSS, status=TaskStatus.OPEN)
