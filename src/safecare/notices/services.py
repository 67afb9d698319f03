"""Every write of the notices app: keyword-only, one transaction, history and duties inside.

Refusals are ValidationErrors keyed by field, each message naming the field
and the rule, so pages and the API show the same reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.deadlines import Deadline, before_placement, immediately, long_date, working_days_after
from safecare.core.models import FosteringService, Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.roles import Role
from safecare.core.tasks import task_complete, task_open
from safecare.households.access import households_visible_to
from safecare.households.models import AllocationKind, Child, Household, Placement
from safecare.households.selectors import current_carers, household_worker

from .duties import (
    CARE_ARRANGEMENT_DECISION,
    IMMEDIATE_NOTICE_KINDS,
    RISK_ASSESSMENT,
    SCFA_REVIEW_AFTER_CHANGE,
)
from .models import (
    FOLLOWS_WITHIN,
    IMMEDIATE_RULES,
    LONG_STAY,
    ArrangementStatus,
    CareArrangement,
    ChangeKind,
    ChangeNotice,
    ChildRiskFlag,
    ImmediateKind,
    ImmediateNotice,
    RiskAssessment,
    RiskLevel,
    same_person,
)
from .selectors import arrangement_children

if TYPE_CHECKING:
    from safecare.core.models import User


def _setting_label(name: str) -> str:
    """The name a manager sees for one of the service's settings, for a task's due basis."""
    return str(getattr(FosteringService._meta.get_field(name), "verbose_name", name))


# The e-mails name no child, carer or concern (rules: Everywhere): only that there is something to see.
SUBJECTS = {
    "SC-6": "A foster carer has told the service of a change in the household",
    "SC-8": "A foster carer has sent an immediate notice",
    "SC-11": "A foster carer has sent an immediate notice",
    "SC-12": "A foster carer has asked for consent to a care arrangement",
    "SC-12 recorded": "A care arrangement has been recorded and needs a decision",
    # To the carers, about what they told the service or asked for.
    "SC-6 reviewed": "The service has reviewed a change you told it about",
    "immediate answered": "The service has responded to a notice you sent",
    "SC-12 decided": "The service has decided on a care arrangement",
}


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(f"{actor} may not {perm}")


def _require_own_household(actor: User, household: Household) -> None:
    # Carers write only for their own household (the page and API scopes say the same).
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        raise PermissionDenied(f"{actor} may not write for household {household.pk}")


def _placed_now(household: Household, today: dt.date) -> list[Placement]:
    return list(Placement.objects.current(today).filter(household=household).select_related("child"))


def _csw(child: Child) -> User | None:
    allocation = (
        child.allocations.current().filter(kind=AllocationKind.CHILDS).select_related("worker").first()
    )
    return allocation.worker if allocation else None


def _household_alert_recipients(household: Household) -> list[User]:
    """The SSW; with none allocated, the household's fostering team manager, so no alert is lost."""
    from safecare.core.models import User

    worker = household_worker(household)
    if worker is not None:
        return [worker]
    if household.team_id is None:
        return []
    return list(
        User.objects.filter(team_id=household.team_id, role=Role.FOSTERING_TEAM_MANAGER, is_active=True)
    )


def _close_when_settled(actor: User, task: Task | None, still_open: bool) -> None:
    # One task stands for every notice of its kind sent while it was open; it closes
    # only when the last of them has been dealt with.
    if task is not None and task.is_open and not still_open:
        task_complete(actor=actor, task=task)


# SC-9: risk ------------------------------------------------------------------------------------


def _current_or_next_placement(child: Child, today: dt.date) -> Placement | None:
    return (
        Placement.objects.filter(child=child)
        .exclude(end_on__isnull=False, end_on__lte=today)
        .select_related("household", "service")
        .order_by("start_on", "id")
        .first()
    )


def planned_on(placement: Placement) -> dt.date:
    """The day a placement was planned: the day it was recorded, or its start if that was earlier."""
    return min(timezone.localdate(placement.created_at), placement.start_on)


def duty_arose_on(placement: Placement, flag: ChildRiskFlag | None) -> dt.date:
    """SC-9: the day the duty for this placement arose: the later of the placement being
    planned and the child's current flag being raised. An assessment must be completed on
    or after it to be one made for this placement or flag."""
    arose = planned_on(placement)
    if flag is not None and flag.flagged:
        arose = max(arose, timezone.localdate(flag.set_at))
    return arose


def _fulfilling(placement: Placement, flag: ChildRiskFlag | None) -> QuerySet[RiskAssessment]:
    """The assessments that fulfil the SC-9 duty for a placement: of this child, naming this
    placement or none, completed on or after the placement was planned or the flag raised."""
    return RiskAssessment.objects.filter(
        child_id=placement.child_id, completed_on__gte=duty_arose_on(placement, flag)
    ).filter(Q(placement=placement) | Q(placement__isnull=True))


def risk_assessment_covers(placement: Placement) -> bool:
    """SC-9: an assessment made for this placement or for the child's current flag covers it."""
    flag = ChildRiskFlag.objects.filter(child_id=placement.child_id).first()
    return _fulfilling(placement, flag).exists()


def risk_assessment_deadline(placement: Placement, *, flagged_on: dt.date | None = None) -> Deadline:
    """SC-9 due date, with its basis.

    Planned placement: "before the placement starts", the service's working days before
    the start (default the last working day before it). Emergency placement: "as soon as
    possible", the service's setting in working days from the start. A child flagged
    after the placement began: that same setting, counted from the day of flagging.
    """
    service = placement.service
    days = service.emergency_risk_assessment_working_days
    setting = _setting_label("emergency_risk_assessment_working_days")
    if flagged_on is not None and flagged_on >= placement.start_on:
        return working_days_after(
            service,
            flagged_on,
            days,
            event="the risk was flagged during the placement",
            rule_id="SC-9",
            setting=setting,
        )
    if placement.emergency:
        return working_days_after(
            service,
            placement.start_on,
            days,
            event="the emergency placement started",
            rule_id="SC-9",
            setting=setting,
        )
    return before_placement(service, placement.start_on, rule_id="SC-9")


def open_risk_assessment_task(
    *, actor: User | None, placement: Placement, flagged_on: dt.date | None = None
) -> Task | None:
    """Open the SC-9 duty for the placement unless an assessment made for it already covers it."""
    if risk_assessment_covers(placement):
        return None
    child = placement.child
    deadline = risk_assessment_deadline(placement, flagged_on=flagged_on)
    if flagged_on is not None and flagged_on >= placement.start_on:
        title = "Complete a risk assessment for the risk flagged during the placement"
    elif placement.emergency:
        title = "Complete a risk assessment after the emergency placement"
    else:
        title = "Complete a risk assessment before the placement starts"
    return task_open(
        service=placement.service,
        rule_id="SC-9",
        kind=RISK_ASSESSMENT,
        title=title,
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=_csw(child),
        team=child.team,
        household=placement.household,
        child=child,
        actor=actor,
    )


def _cancel_risk_tasks(actor: User, child: Child) -> None:
    for task in Task.objects.select_for_update().filter(
        kind=RISK_ASSESSMENT, child=child, status=TaskStatus.OPEN
    ):
        task_complete(actor=actor, task=task, status=TaskStatus.CANCELLED)


@transaction.atomic
def risk_flag_set(*, actor: User, child: Child, level: str, reason: str = "") -> ChildRiskFlag:
    """SC-9: set (or lift) a child's risk flag.

    Every flag raised, the first or a new one (another level or reason) while the
    child is placed or due to be, needs an assessment made for it: it opens the duty
    for the child's current or next placement. Saving the flag unchanged raises nothing.
    """
    _require(actor, "notices.flag_child_risk")
    if level not in RiskLevel.values:
        raise ValidationError({"level": ["Risk: choose known, likely, potential or not flagged (SC-9)"]})
    reason = reason.strip()
    if level != RiskLevel.NONE and not reason:
        raise ValidationError({"reason": ["Reason: say why the child is flagged (SC-9)"]})
    flag = ChildRiskFlag.objects.select_for_update().filter(child=child).first()
    if flag is None:
        flag = ChildRiskFlag(service=child.service, child=child, set_by=actor)
    elif flag.level == level and flag.reason.strip() == reason:
        return flag
    flag.level = level
    flag.reason = reason
    flag.set_by = actor
    flag.set_at = timezone.now()
    save_as(flag, actor)
    if not flag.flagged:
        _cancel_risk_tasks(actor, child)
        return flag
    today = timezone.localdate(flag.set_at)
    placement = _current_or_next_placement(child, today)
    if placement is not None:
        open_risk_assessment_task(actor=actor, placement=placement, flagged_on=today)
    return flag


def _placement_of(task: Task, today: dt.date) -> Placement | None:
    """The placement an open SC-9 duty is about: the child's current or next one in that household."""
    if task.child_id is None or task.household_id is None:
        return None
    return (
        Placement.objects.filter(child_id=task.child_id, household_id=task.household_id)
        .exclude(end_on__isnull=False, end_on__lte=today)
        .order_by("start_on", "id")
        .first()
    )


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    child: Child,
    completed_on: dt.date,
    summary: str,
    placement: Placement | None = None,
) -> RiskAssessment:
    """SC-9: record a completed assessment.

    It fulfils only the open duty it was made for: of this child, naming the duty's
    placement or none, and completed on or after that placement was planned or the
    child's current flag was raised. An older assessment is kept on the child's
    record but leaves the duty open.
    """
    _require(actor, "notices.record_risk_assessment")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if completed_on > today:
        errors.setdefault("completed_on", []).append("Date completed: cannot be in the future (SC-9)")
    if not summary.strip():
        errors.setdefault("summary", []).append("Summary: say what the assessment found (SC-9)")
    if placement is not None and placement.child_id != child.pk:
        errors.setdefault("placement", []).append("Placement: must be a placement of this child (SC-9)")
    if errors:
        raise ValidationError(errors)
    if placement is None:
        # Done for the current or next placement only if completed once it was planned.
        candidate = _current_or_next_placement(child, today)
        if candidate is not None and completed_on >= planned_on(candidate):
            placement = candidate
    assessment = RiskAssessment(
        service=child.service,
        child=child,
        placement=placement,
        completed_on=completed_on,
        summary=summary,
        completed_by=actor,
    )
    save_as(assessment, actor)
    flag = ChildRiskFlag.objects.filter(child=child).first()
    for task in Task.objects.select_for_update().filter(
        kind=RISK_ASSESSMENT, child=child, status=TaskStatus.OPEN
    ):
        duty_placement = _placement_of(task, today)
        if duty_placement is None:
            continue
        if _fulfilling(duty_placement, flag).filter(pk=assessment.pk).exists():
            task_complete(actor=actor, task=task)
    return assessment


def risk_duty_open(child: Child) -> Task | None:
    """The child's open SC-9 duty, if any."""
    return Task.objects.filter(kind=RISK_ASSESSMENT, child=child, status=TaskStatus.OPEN).first()


# SC-6: changes of circumstance -----------------------------------------------------------------


def change_review_deadline(service: FosteringService, told_on: dt.date) -> Deadline:
    """SC-6: the policy sets no deadline for the SSW's review; the service's setting does."""
    return working_days_after(
        service,
        told_on,
        service.change_notice_review_working_days,
        event="the carers told the service of the change",
        rule_id="SC-6",
        setting=_setting_label("change_notice_review_working_days"),
    )


@transaction.atomic
def change_notice_send(
    *, actor: User, household: Household, kind: str, happened_on: dt.date, details: str
) -> ChangeNotice:
    """SC-6: record the change and give the SSW the duty to review the agreement."""
    _require(actor, "notices.send_notice")
    _require_own_household(actor, household)
    errors: dict[str, list[str]] = {}
    if kind not in ChangeKind.values:
        errors.setdefault("kind", []).append("What has changed: choose one of the listed changes (SC-6)")
    if not details.strip():
        errors.setdefault("details", []).append("Details: say what has changed (SC-6)")
    if errors:
        raise ValidationError(errors)
    deadline = change_review_deadline(household.service, timezone.localdate())
    task = task_open(
        service=household.service,
        rule_id="SC-6",
        kind=SCFA_REVIEW_AFTER_CHANGE,
        title="Review the Safe Caring Family Agreement after a change the carers reported",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=household_worker(household),
        team=household.team,
        household=household,
        actor=actor,
    )
    notice = ChangeNotice(
        service=household.service,
        household=household,
        kind=kind,
        happened_on=happened_on,
        details=details,
        reported_by=actor,
        task=task,
    )
    save_as(notice, actor)
    notify(
        service=household.service,
        household=household,
        recipients=_household_alert_recipients(household),
        kind="change_notice",
        subject=SUBJECTS["SC-6"],
        reference=task.reference,
        url=reverse("notices:change_detail", kwargs={"pk": notice.pk}),
        dedupe_key=f"notices:change:{notice.pk}",
        rule_id="SC-6",
        task=task,
    )
    return notice


@transaction.atomic
def change_notice_review(*, actor: User, notice: ChangeNotice, note: str = "") -> ChangeNotice:
    """SC-6: the SSW has reviewed the agreement in the light of the change."""
    _require(actor, "notices.review_notice")
    notice = (
        ChangeNotice.objects.select_for_update(of=("self",))
        .select_related("task", "household__service")
        .get(pk=notice.pk)
    )
    if notice.reviewed:
        raise ValidationError({"note": ["Review: this notice has already been marked reviewed (SC-6)"]})
    notice.reviewed_by = actor
    notice.reviewed_at = timezone.now()
    notice.review_note = note
    save_as(notice, actor, update_fields=["reviewed_by", "reviewed_at", "review_note"])
    others = ChangeNotice.objects.filter(task=notice.task, reviewed_at__isnull=True).exists()
    _close_when_settled(actor, notice.task, others)
    # SC-6: the carers who told the service hear that it has been dealt with.
    notify(
        service=notice.household.service,
        household=notice.household,
        recipients=current_carers(notice.household, besides=actor),
        kind="change_notice_reviewed",
        subject=SUBJECTS["SC-6 reviewed"],
        reference=notice.reference,
        url=reverse("notices:change_detail", kwargs={"pk": notice.pk}),
        dedupe_key=f"notices:change:{notice.pk}:reviewed:carers",
        rule_id="SC-6",
    )
    return notice


# SC-8, SC-11: immediate notices ----------------------------------------------------------------


@transaction.atomic
def immediate_notice_send(
    *,
    actor: User,
    household: Household,
    kind: str,
    details: str,
    children: Iterable[Child] = (),
) -> ImmediateNotice:
    """SC-8, SC-11: alert now and a task due today (rules: How dates are counted: "immediately").

    SC-8 alerts the SSW and the CSW of every child placed now. SC-11 alerts the
    SSW, and the CSW of each foster child the carer names (decision 0011).
    """
    _require(actor, "notices.send_notice")
    _require_own_household(actor, household)
    errors: dict[str, list[str]] = {}
    if kind not in ImmediateKind.values:
        errors.setdefault("kind", []).append("What you need to tell us: choose one of the options")
    if not details.strip():
        errors.setdefault("details", []).append("Details: say what has happened")
    today = timezone.localdate()
    placed = {p.child_id: p.child for p in _placed_now(household, today)}
    named = list(children)
    if any(child.pk not in placed for child in named):
        errors.setdefault("children", []).append("Children: choose only children living with you now")
    if errors:
        raise ValidationError(errors)
    rule_id = IMMEDIATE_RULES[ImmediateKind(kind)]
    concerned = list(placed.values()) if rule_id == "SC-8" else named
    # rules: How dates are counted: "immediately" is an alert now and a task due the same day.
    deadline = immediately(household.service, today, event="the carer's notice", rule_id=rule_id)
    task = task_open(
        service=household.service,
        rule_id=rule_id,
        kind=IMMEDIATE_NOTICE_KINDS[rule_id],
        title="Respond to a carer's immediate notice"
        if rule_id == "SC-8"
        else "Respond to a carer's notice of risky activities",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=household_worker(household),
        team=household.team,
        household=household,
        actor=actor,
    )
    notice = ImmediateNotice(
        service=household.service,
        household=household,
        kind=kind,
        details=details,
        reported_by=actor,
        task=task,
    )
    save_as(notice, actor)
    notice.children.set(concerned)
    recipients = _household_alert_recipients(household) + [_csw(child) for child in concerned]
    notify(
        service=household.service,
        household=household,
        recipients=recipients,
        kind="immediate_notice",
        subject=SUBJECTS[rule_id],
        reference=task.reference,
        url=reverse("notices:immediate_detail", kwargs={"pk": notice.pk}),
        dedupe_key=f"notices:immediate:{notice.pk}",
        rule_id=rule_id,
        task=task,
    )
    return notice


@transaction.atomic
def immediate_notice_acknowledge(*, actor: User, notice: ImmediateNotice, note: str) -> ImmediateNotice:
    """The SSW (or a fostering manager) has responded to the notice."""
    _require(actor, "notices.review_notice")
    notice = (
        ImmediateNotice.objects.select_for_update(of=("self",))
        .select_related("task", "household__service")
        .get(pk=notice.pk)
    )
    if notice.acknowledged:
        raise ValidationError({"note": ["Response: this notice has already been responded to"]})
    if not note.strip():
        raise ValidationError({"note": [f"Response: say what was done ({notice.rule_id})"]})
    notice.acknowledged_by = actor
    notice.acknowledged_at = timezone.now()
    notice.response_note = note
    save_as(notice, actor, update_fields=["acknowledged_by", "acknowledged_at", "response_note"])
    others = ImmediateNotice.objects.filter(task=notice.task, acknowledged_at__isnull=True).exists()
    _close_when_settled(actor, notice.task, others)
    # SC-8, SC-11: the carers who raised it hear that it has been answered, and read the answer.
    notify(
        service=notice.household.service,
        household=notice.household,
        recipients=current_carers(notice.household, besides=actor),
        kind="immediate_notice_answered",
        subject=SUBJECTS["immediate answered"],
        reference=notice.reference,
        url=reverse("notices:immediate_detail", kwargs={"pk": notice.pk}),
        dedupe_key=f"notices:immediate:{notice.pk}:answered:carers",
        rule_id=notice.rule_id,
    )
    return notice


# SC-12: care arrangements ----------------------------------------------------------------------


def _aware(value: dt.datetime) -> dt.datetime:
    # Times typed on a page are local (Europe/London); store them unambiguously.
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _placed_when(household: Household, child: Child, day: dt.date) -> bool:
    """Whether the child was placed in the household on that day."""
    return (
        Placement.objects.filter(household=household, child=child, start_on__lte=day)
        .exclude(end_on__isnull=False, end_on__lte=day)
        .exists()
    )


def arrangement_deadline(starts_at: dt.datetime, now: dt.datetime) -> Deadline:
    """SC-12: the decision is due by the day the child is left, or at once if that has happened."""
    starts_on = timezone.localtime(starts_at).date()
    if starts_at > now:
        return Deadline(
            starts_on,
            f"the day the child is to be left with someone, {long_date(starts_on)} (SC-12: the policy's "
            "own deadline: the service's consent before the child is left)",
        )
    today = timezone.localdate(now)
    return Deadline(
        today,
        f"the same day the arrangement was recorded, {long_date(today)}: it began on "
        f"{long_date(starts_on)}, before anyone decided on it (SC-12: the policy's own deadline: "
        "the service's consent before the child is left)",
    )


def _refused_in_time(arrangement: CareArrangement) -> bool:
    return (
        arrangement.status == ArrangementStatus.REFUSED
        and arrangement.decided_at is not None
        and arrangement.decided_at <= arrangement.starts_at
    )


def _recount(*, actor: User, child: Child, person: str) -> None:
    """SC-12: arrangements of one child with the same person that follow each other within
    24 hours count as one, from the first start to the last end, for the 24-hour rule.

    One refused before it began is left out: the child was not left then. Each arrangement
    stores whether it is over 24 hours counted so (long_stay) and, when an earlier one
    starts the stretch, when the stretch began (counted_from): consent was needed by then.
    """
    rows = [
        a
        for a in CareArrangement.objects.select_for_update().filter(child=child).order_by("starts_at", "id")
        if same_person(a.carer_name) == person
    ]
    stretches: list[list[CareArrangement]] = []
    stretch_end: dt.datetime | None = None
    for arrangement in rows:
        if _refused_in_time(arrangement):
            _store_count(actor, arrangement, long_stay=arrangement.duration > LONG_STAY, counted_from=None)
            continue
        if stretch_end is not None and arrangement.starts_at - stretch_end <= FOLLOWS_WITHIN:
            stretches[-1].append(arrangement)
            stretch_end = max(stretch_end, arrangement.ends_at)
        else:
            stretches.append([arrangement])
            stretch_end = arrangement.ends_at
    for stretch in stretches:
        first = stretch[0].starts_at
        last = max(a.ends_at for a in stretch)
        long_stay = last - first > LONG_STAY
        for arrangement in stretch:
            counted_from = first if first < arrangement.starts_at else None
            _store_count(actor, arrangement, long_stay=long_stay, counted_from=counted_from)


def _store_count(
    actor: User, arrangement: CareArrangement, *, long_stay: bool, counted_from: dt.datetime | None
) -> None:
    if arrangement.long_stay == long_stay and arrangement.counted_from == counted_from:
        return
    arrangement.long_stay = long_stay
    arrangement.counted_from = counted_from
    save_as(arrangement, actor, update_fields=["long_stay", "counted_from"])


def may_record_arrangement(user: User) -> bool:
    """Carers record (ask for, or tell of) their own; staff who see the household record one they learn of."""
    return user.has_perm("notices.request_care_arrangement") or user.has_perm(
        "notices.record_care_arrangement"
    )


@transaction.atomic
def arrangement_request(
    *,
    actor: User,
    household: Household,
    child: Child,
    carer_name: str,
    relationship: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
) -> CareArrangement:
    """SC-12: record a care arrangement; the SSW decides on it.

    A carer asks before leaving a child placed with them now, or tells the service of one
    that has already begun or ended. Staff who see the household (its SSW, the child's
    social worker, their managers) record one they learn of, after the fact too, for a child
    placed in the household when it began. Arrangements with the same person that follow
    each other within 24 hours count as one for the 24-hour rule (_recount); one over 24
    hours that began without consent given before it shows as a breach.
    """
    if not may_record_arrangement(actor):
        raise PermissionDenied(f"{actor} may not record care arrangements")
    by_carer = actor.role == Role.CARER
    _require_own_household(actor, household)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if by_carer:
        placed = {p.child_id for p in _placed_now(household, timezone.localdate())}
        if child.pk not in placed:
            errors.setdefault("child", []).append("Child: choose a child living with you now (SC-12)")
    elif not (
        arrangement_children(actor, household).filter(pk=child.pk).exists()
        and _placed_when(household, child, timezone.localtime(starts_at).date())
    ):
        errors.setdefault("child", []).append(
            "Child: choose a child who was placed in this household when the arrangement began (SC-12)"
        )
    if not carer_name.strip():
        errors.setdefault("carer_name", []).append("Who: say who looks after the child (SC-12)")
    if not relationship.strip():
        errors.setdefault("relationship", []).append(
            "Relationship: say how they know you or the child (SC-12)"
        )
    if not reason.strip():
        errors.setdefault("reason", []).append("Reason: say why (SC-12)")
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append("Until: must be after the start (SC-12)")
    if errors:
        raise ValidationError(errors)
    deadline = arrangement_deadline(starts_at, now)
    task = task_open(
        service=household.service,
        rule_id="SC-12",
        kind=CARE_ARRANGEMENT_DECISION,
        title="Decide on a care arrangement before it starts"
        if starts_at > now
        else "Decide on a care arrangement that has already begun",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=household_worker(household),
        team=household.team,
        household=household,
        child=child,
        actor=actor,
    )
    if task.due_on > deadline.due_on:
        # Another arrangement of the child is already waiting: the sooner date sets the task's.
        task.due_on = deadline.due_on
        task.due_basis = deadline.basis[:300]
        save_as(task, actor, update_fields=["due_on", "due_basis"])
    arrangement = CareArrangement(
        service=household.service,
        household=household,
        child=child,
        carer_name=carer_name.strip(),
        relationship=relationship.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        long_stay=ends_at - starts_at > LONG_STAY,
        reason=reason,
        requested_by=actor,
        task=task,
    )
    save_as(arrangement, actor)
    _recount(actor=actor, child=child, person=same_person(arrangement.carer_name))
    asked_first = by_carer and starts_at > now
    notify(
        service=household.service,
        household=household,
        recipients=[u for u in _household_alert_recipients(household) if u.pk != actor.pk],
        kind="care_arrangement",
        subject=SUBJECTS["SC-12"] if asked_first else SUBJECTS["SC-12 recorded"],
        reference=task.reference,
        url=reverse("notices:arrangement_detail", kwargs={"pk": arrangement.pk}),
        dedupe_key=f"notices:arrangement:{arrangement.pk}",
        rule_id="SC-12",
        task=task,
    )
    arrangement.refresh_from_db()
    return arrangement


@transaction.atomic
def arrangement_decide(
    *, actor: User, arrangement: CareArrangement, consent: bool, note: str = ""
) -> CareArrangement:
    """SC-12: consent or refuse. Over 24 hours, counted with the arrangements with the same
    person it follows, consent must come before the first of them starts."""
    _require(actor, "notices.decide_care_arrangement")
    arrangement = (
        CareArrangement.objects.select_for_update(of=("self",))
        .select_related("task", "household__service")
        .get(pk=arrangement.pk)
    )
    now = timezone.now()
    if arrangement.status != ArrangementStatus.REQUESTED:
        raise ValidationError(
            {
                "decision": [
                    "Decision: this arrangement has already been "
                    f"{arrangement.get_status_display().lower()} (SC-12)"
                ]
            }
        )
    if consent and arrangement.long_stay and arrangement.counted_start <= now:
        if arrangement.counted_from is not None:
            why = (
                "with the arrangements with the same person it follows within 24 hours it is over 24 "
                f"hours, and that began on {timezone.localtime(arrangement.counted_start):%d/%m/%Y at %H:%M}"
            )
        else:
            why = "an arrangement over 24 hours"
        raise ValidationError(
            {
                "decision": [
                    f"Decision: SC-12: {why}; it cannot be consented to after it has started; "
                    "it is recorded as a breach"
                ]
            }
        )
    if not consent and not note.strip():
        raise ValidationError({"note": ["Note: say why consent is refused (SC-12)"]})
    arrangement.status = ArrangementStatus.CONSENTED if consent else ArrangementStatus.REFUSED
    arrangement.decided_by = actor
    arrangement.decided_at = now
    arrangement.decision_note = note
    save_as(arrangement, actor, update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if _refused_in_time(arrangement):
        # The child is not left then: the arrangements around it are counted without it.
        _recount(actor=actor, child=arrangement.child, person=same_person(arrangement.carer_name))
    others = CareArrangement.objects.filter(
        task=arrangement.task, status=ArrangementStatus.REQUESTED
    ).exists()
    _close_when_settled(actor, arrangement.task, others)
    # SC-12: the carers hear of the decision, consent or refusal, before they leave the child.
    notify(
        service=arrangement.household.service,
        household=arrangement.household,
        recipients=current_carers(arrangement.household, besides=actor),
        kind="care_arrangement_decided",
        subject=SUBJECTS["SC-12 decided"],
        reference=arrangement.reference,
        url=reverse("notices:arrangement_detail", kwargs={"pk": arrangement.pk}),
        dedupe_key=f"notices:arrangement:{arrangement.pk}:decided:carers",
        rule_id="SC-12",
    )
    return arrangement
