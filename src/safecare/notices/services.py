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
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.models import Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.roles import Role
from safecare.core.tasks import task_complete, task_open
from safecare.households.access import households_visible_to
from safecare.households.models import AllocationKind, Child, Household, Placement
from safecare.households.selectors import household_worker

from .duties import (
    CARE_ARRANGEMENT_DECISION,
    IMMEDIATE_NOTICE_KINDS,
    RISK_ASSESSMENT,
    SCFA_REVIEW_AFTER_CHANGE,
)
from .models import (
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
)

if TYPE_CHECKING:
    from safecare.core.models import User

# Task kinds: one per duty, so each is opened and closed on its own (core.tasks).

# SC-6: the policy sets no deadline for reviewing the agreement after a change; the
# service's usual "within 5 working days" (SC-4, SOC-4) is used (decision 0011).
CHANGE_REVIEW_WORKING_DAYS = 5

# The e-mails name no child, carer or concern (SPEC §7): only that there is something to see.
SUBJECTS = {
    "SC-6": "A foster carer has told the service of a change in the household",
    "SC-8": "A foster carer has sent an immediate notice",
    "SC-11": "A foster carer has sent an immediate notice",
    "SC-12": "A foster carer has asked for consent to a care arrangement",
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


def risk_assessment_covers(placement: Placement) -> bool:
    """SC-9: an assessment covers a placement when it names it, or names none and was done
    for this move (completed after the child's previous placement ended)."""
    assessments = RiskAssessment.objects.filter(child_id=placement.child_id)
    if assessments.filter(placement=placement).exists():
        return True
    previous_end = (
        Placement.objects.filter(
            child_id=placement.child_id, end_on__isnull=False, start_on__lt=placement.start_on
        )
        .exclude(pk=placement.pk)
        .order_by("-end_on")
        .values_list("end_on", flat=True)
        .first()
    )
    unlinked = assessments.filter(placement__isnull=True)
    if previous_end is not None:
        unlinked = unlinked.filter(completed_on__gte=previous_end)
    return unlinked.exists()


def risk_assessment_due(placement: Placement, *, flagged_on: dt.date | None = None) -> dt.date:
    """SC-9 due date.

    Planned placement: before it starts, so the day before the start date.
    Emergency placement: "as soon as possible", the service's setting in working days
    from the start. A child flagged after the placement began: that same setting,
    counted from the day of flagging (decision 0011).
    """
    service = placement.service
    days = service.emergency_risk_assessment_working_days
    if flagged_on is not None and flagged_on >= placement.start_on:
        return service.calendar().add_working_days(flagged_on, days)
    if placement.emergency:
        return service.calendar().add_working_days(placement.start_on, days)
    return placement.start_on - dt.timedelta(days=1)


def open_risk_assessment_task(
    *, actor: User | None, placement: Placement, flagged_on: dt.date | None = None
) -> Task | None:
    """Open the SC-9 duty for the placement unless an assessment already covers it."""
    if risk_assessment_covers(placement):
        return None
    child = placement.child
    return task_open(
        service=placement.service,
        rule_id="SC-9",
        kind=RISK_ASSESSMENT,
        title="Complete a risk assessment before the placement starts"
        if not placement.emergency
        else "Complete a risk assessment after the emergency placement",
        due_on=risk_assessment_due(placement, flagged_on=flagged_on),
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
    """SC-9: set (or lift) a child's risk flag. A flag raises the duty for a placement under way."""
    _require(actor, "notices.flag_child_risk")
    if level not in RiskLevel.values:
        raise ValidationError({"level": "Risk: choose known, likely, potential or not flagged"})
    if level != RiskLevel.NONE and not reason.strip():
        raise ValidationError({"reason": "Reason: say why the child is flagged (SC-9)"})
    flag = ChildRiskFlag.objects.select_for_update().filter(child=child).first()
    if flag is None:
        flag = ChildRiskFlag(service=child.service, child=child, set_by=actor)
    was_flagged = flag.pk is not None and flag.flagged
    flag.level = level
    flag.reason = reason
    flag.set_by = actor
    flag.set_at = timezone.now()
    save_as(flag, actor)
    if not flag.flagged:
        _cancel_risk_tasks(actor, child)
    elif not was_flagged:
        today = timezone.localdate()
        placement = _current_or_next_placement(child, today)
        if placement is not None:
            open_risk_assessment_task(actor=actor, placement=placement, flagged_on=today)
    return flag


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    child: Child,
    completed_on: dt.date,
    summary: str,
    placement: Placement | None = None,
) -> RiskAssessment:
    """SC-9: record a completed assessment; it fulfils the child's open duty."""
    _require(actor, "notices.record_risk_assessment")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if completed_on > today:
        errors.setdefault("completed_on", []).append("Date completed: cannot be in the future (SC-9)")
    if not summary.strip():
        errors.setdefault("summary", []).append("Summary: say what the assessment found (SC-9)")
    if placement is not None and placement.child_id != child.pk:
        errors.setdefault("placement", []).append("Placement: must be a placement of this child")
    if errors:
        raise ValidationError(errors)
    if placement is None:
        placement = _current_or_next_placement(child, today)
    assessment = RiskAssessment(
        service=child.service,
        child=child,
        placement=placement,
        completed_on=completed_on,
        summary=summary,
        completed_by=actor,
    )
    save_as(assessment, actor)
    for task in Task.objects.select_for_update().filter(
        kind=RISK_ASSESSMENT, child=child, status=TaskStatus.OPEN
    ):
        task_complete(actor=actor, task=task)
    return assessment


# SC-6: changes of circumstance -----------------------------------------------------------------


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
    today = timezone.localdate()
    task = task_open(
        service=household.service,
        rule_id="SC-6",
        kind=SCFA_REVIEW_AFTER_CHANGE,
        title="Review the Safe Caring Family Agreement after a change the carers reported",
        due_on=household.service.calendar().add_working_days(today, CHANGE_REVIEW_WORKING_DAYS),
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
    notice = ChangeNotice.objects.select_for_update(of=("self",)).select_related("task").get(pk=notice.pk)
    if notice.reviewed:
        raise ValidationError({"note": "Review: this notice has already been marked reviewed"})
    notice.reviewed_by = actor
    notice.reviewed_at = timezone.now()
    notice.review_note = note
    save_as(notice, actor, update_fields=["reviewed_by", "reviewed_at", "review_note"])
    others = ChangeNotice.objects.filter(task=notice.task, reviewed_at__isnull=True).exists()
    _close_when_settled(actor, notice.task, others)
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
    """SC-8, SC-11: alert now and a task due today (SPEC §5: "immediately").

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
    task = task_open(
        service=household.service,
        rule_id=rule_id,
        kind=IMMEDIATE_NOTICE_KINDS[rule_id],
        title="Respond to a carer's immediate notice"
        if rule_id == "SC-8"
        else "Respond to a carer's notice of risky activities",
        due_on=today,
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
    notice = ImmediateNotice.objects.select_for_update(of=("self",)).select_related("task").get(pk=notice.pk)
    if notice.acknowledged:
        raise ValidationError({"note": "Response: this notice has already been responded to"})
    if not note.strip():
        raise ValidationError({"note": f"Response: say what was done ({notice.rule_id})"})
    notice.acknowledged_by = actor
    notice.acknowledged_at = timezone.now()
    notice.response_note = note
    save_as(notice, actor, update_fields=["acknowledged_by", "acknowledged_at", "response_note"])
    others = ImmediateNotice.objects.filter(task=notice.task, acknowledged_at__isnull=True).exists()
    _close_when_settled(actor, notice.task, others)
    return notice


# SC-12: care arrangements ----------------------------------------------------------------------


def _aware(value: dt.datetime) -> dt.datetime:
    # Times typed on a page are local (Europe/London); store them unambiguously.
    return value if timezone.is_aware(value) else timezone.make_aware(value)


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
    """SC-12: a carer asks before leaving a foster child with someone; the SSW must decide by the start."""
    _require(actor, "notices.request_care_arrangement")
    _require_own_household(actor, household)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    placed = {p.child_id for p in _placed_now(household, timezone.localdate())}
    if child.pk not in placed:
        errors.setdefault("child", []).append("Child: choose a child living with you now (SC-12)")
    if not carer_name.strip():
        errors.setdefault("carer_name", []).append("Who: say who will look after the child (SC-12)")
    if not reason.strip():
        errors.setdefault("reason", []).append("Reason: say why (SC-12)")
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append("Until: must be after the start (SC-12)")
    elif ends_at <= now:
        errors.setdefault("ends_at", []).append("Until: ask before the arrangement, not after it has ended")
    if errors:
        raise ValidationError(errors)
    due_on = timezone.localtime(starts_at).date()
    task = task_open(
        service=household.service,
        rule_id="SC-12",
        kind=CARE_ARRANGEMENT_DECISION,
        title="Decide on a care arrangement before it starts",
        due_on=due_on,
        owner=household_worker(household),
        team=household.team,
        household=household,
        child=child,
        actor=actor,
    )
    if task.due_on > due_on:
        # An earlier request for the same child is already waiting: the sooner start sets the date.
        task.due_on = due_on
        save_as(task, actor, update_fields=["due_on"])
    arrangement = CareArrangement(
        service=household.service,
        household=household,
        child=child,
        carer_name=carer_name,
        relationship=relationship,
        starts_at=starts_at,
        ends_at=ends_at,
        long_stay=ends_at - starts_at > LONG_STAY,
        reason=reason,
        requested_by=actor,
        task=task,
    )
    save_as(arrangement, actor)
    notify(
        service=household.service,
        recipients=_household_alert_recipients(household),
        kind="care_arrangement",
        subject=SUBJECTS["SC-12"],
        reference=task.reference,
        url=reverse("notices:arrangement_detail", kwargs={"pk": arrangement.pk}),
        dedupe_key=f"notices:arrangement:{arrangement.pk}",
        rule_id="SC-12",
        task=task,
    )
    return arrangement


@transaction.atomic
def arrangement_decide(
    *, actor: User, arrangement: CareArrangement, consent: bool, note: str = ""
) -> CareArrangement:
    """SC-12: consent or refuse. Over 24 hours, consent must come before the start."""
    _require(actor, "notices.decide_care_arrangement")
    arrangement = (
        CareArrangement.objects.select_for_update(of=("self",)).select_related("task").get(pk=arrangement.pk)
    )
    now = timezone.now()
    if arrangement.status != ArrangementStatus.REQUESTED:
        raise ValidationError(
            {
                "decision": f"Decision: this arrangement has already been {arrangement.get_status_display().lower()}"
            }
        )
    if consent and arrangement.long_stay and arrangement.starts_at <= now:
        raise ValidationError(
            {
                "decision": "Decision: SC-12: an arrangement over 24 hours cannot be consented to after "
                "it has started; it is recorded as a breach"
            }
        )
    if not consent and not note.strip():
        raise ValidationError({"note": "Note: say why consent is refused (SC-12)"})
    arrangement.status = ArrangementStatus.CONSENTED if consent else ArrangementStatus.REFUSED
    arrangement.decided_by = actor
    arrangement.decided_at = now
    arrangement.decision_note = note
    save_as(arrangement, actor, update_fields=["status", "decided_by", "decided_at", "decision_note"])
    others = CareArrangement.objects.filter(
        task=arrangement.task, status=ArrangementStatus.REQUESTED
    ).exists()
    _close_when_settled(actor, arrangement.task, others)
    return arrangement
