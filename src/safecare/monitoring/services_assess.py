"""Internet monitoring from the first worry to the discussion with the young person (IM-1 to IM-6),
and where a young person lives when it is not a foster placement.

Every write is keyword-only, one transaction, with its history and its duties inside.
Refusals are ValidationErrors keyed by field, each message naming the field and the rule
("Findings: write down the risks found (IM-2)"), so pages and the API say the same; the
wrong person, or a young person outside their scope, gets PermissionDenied (404 on a page).

- IM-1: anyone caring for the young person records a worry; the young person's social
  worker is alerted now, and the assessment is due the same day ("immediately").
- IM-2: the social worker's assessment, with who took part; it closes that duty.
- IM-3: a strategy discussion with a manager for a significant risk; a referral to the
  Extra-Familial Risk of Harm panel or to Channel whatever the level; the panel's outcome
  and minutes on file remind the social worker to update the young person's plans.
- IM-4: the evaluation with the team manager and the service manager, and legal advice.
- IM-5: the decision (append-only); to monitor needs the evidence that less restrictive
  measures cannot reduce the risk enough, and both of Ofsted's tests.
- IM-6: the proposal discussed with the young person; an advocate offered when there is
  no family support, and arranged when the young person wants one.

Decisions: docs/decisions/0041-internet-monitoring-worry-to-decision.md.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safecare.core.access import is_active
from safecare.core.audit import save_as
from safecare.core.deadlines import Deadline, immediately, long_date, working_days_after
from safecare.core.models import FosteringService
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.roles import STAFF_ROLES, Role
from safecare.core.tasks import task_open, tasks_close
from safecare.households.access import children_visible_to
from safecare.households.models import Child, Household
from safecare.households.selectors import child_csw

from .duties import ADVOCATE, ASSESS, PLANS_UPDATE
from .models import (
    Assessment,
    Decision,
    Discussion,
    Evaluation,
    Panel,
    PanelReferral,
    Residence,
    ResidenceKind,
    RiskKind,
    RiskLevel,
    StrategyDiscussion,
    Worry,
)
from .selectors import children_cared_for, children_in_full

if TYPE_CHECKING:
    from safecare.core.models import User

# The e-mail names no young person and no worry (rules: Everywhere): only that there is something to see.
SUBJECTS = {
    "IM-1": "A worry about a young person's internet use has been recorded",
}
# IM-3: the policy says plans "will be updated" after the panel, with no deadline. Until the
# service's settings hold one, this is Safecare's default, and the task says so.
PLANS_UPDATE_WORKING_DAYS = 5
# IM-6: the policy says the social worker arranges an advocate if the young person agrees,
# with no deadline: Safecare's default, stated on the task.
ADVOCATE_WORKING_DAYS = 5
# Where a young person lives is not an IM rule of its own: the procedure applies wherever they live.
RESIDENCE_RULE = "IM, where the young person lives"


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(f"{actor} may not {perm}")


def _label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check_day(
    errors: dict[str, list[str]],
    field: str,
    label: str,
    day: dt.date | None,
    *,
    rule: str,
    after: dt.date | None = None,
    after_what: str = "",
) -> None:
    """A recorded date: given, not in the future, not before the record it follows."""
    if day is None:
        _add(errors, field, f"{label}: give the date ({rule})")
    elif day > timezone.localdate():
        _add(errors, field, f"{label}: it cannot be in the future ({rule})")
    elif after is not None and day < after:
        _add(errors, field, f"{label}: it cannot be before {after_what} on {long_date(after)} ({rule})")


def _check_yes_no(
    errors: dict[str, list[str]], field: str, label: str, value: bool | None, rule: str
) -> None:
    if value is None:
        _add(errors, field, f"{label}: answer yes or no ({rule})")


def _task_url(task: Any) -> str:
    return reverse("tasks:detail", kwargs={"pk": task.pk})


def _require_full(actor: User, child: Child) -> None:
    """The young person's whole procedure is the actor's (monitoring.selectors)."""
    if not children_in_full(actor).filter(pk=child.pk).exists():
        raise PermissionDenied(f"{actor} does not hold child {child.pk}")


# Who is who -------------------------------------------------------------------------------------


def childrens_team_manager(child: Child) -> User | None:
    """The children's team manager of the young person's team, if the team has one."""
    from safecare.core.models import User

    if child.team_id is None:
        return None
    return (
        User.objects.filter(team_id=child.team_id, role=Role.CHILDRENS_TEAM_MANAGER, is_active=True)
        .order_by("pk")
        .first()
    )


def responsible_worker(child: Child) -> User | None:
    """IM-1: who is told and does the work: the young person's social worker, or with none
    allocated, the children's team manager of the young person's team."""
    return child_csw(child) or childrens_team_manager(child)


def manager_choices(child: Child) -> QuerySet[User]:
    """IM-3: the manager of a strategy discussion: a children's team manager of the young
    person's team, or a service manager."""
    from safecare.core.models import User

    team = Q(role=Role.CHILDRENS_TEAM_MANAGER, team_id=child.team_id) if child.team_id else Q(pk__in=[])
    return User.objects.filter(
        team | Q(role=Role.SERVICE_MANAGER), service_id=child.service_id, is_active=True
    ).order_by("first_name", "last_name", "pk")


def team_manager_choices(child: Child) -> QuerySet[User]:
    """IM-4: the team manager: a children's team manager of the young person's team."""
    from safecare.core.models import User

    if child.team_id is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.CHILDRENS_TEAM_MANAGER, team_id=child.team_id, service_id=child.service_id, is_active=True
    ).order_by("first_name", "last_name", "pk")


def service_manager_choices(child: Child) -> QuerySet[User]:
    """IM-4: the service manager: any service manager of the young person's service."""
    from safecare.core.models import User

    return User.objects.filter(
        role=Role.SERVICE_MANAGER, service_id=child.service_id, is_active=True
    ).order_by("first_name", "last_name", "pk")


# IM-1: the worry ------------------------------------------------------------------------------


def worry_children(actor: User) -> QuerySet[Child]:
    """IM-1: the young people this person cares for and may tell a worry about: the carers
    (and the household's SSW) of the household they live with, the young person's social
    worker and managers, and staff with the permission who see the young person."""
    if not is_active(actor) or not actor.has_perm("monitoring.record_worry"):
        return Child.objects.none()
    scope = Q(pk__in=children_cared_for(actor).values("pk")) | Q(pk__in=children_in_full(actor).values("pk"))
    if actor.role in STAFF_ROLES:
        scope |= Q(pk__in=children_visible_to(actor).values("pk"))
    return Child.objects.filter(scope, service_id=actor.service_id)


def assess_deadline(service: FosteringService, told_on: dt.date) -> Deadline:
    """IM-1: the social worker is told immediately: an alert now and the assessment due the same day."""
    return immediately(service, told_on, event="the worry was told", rule_id="IM-1")


@transaction.atomic
def worry_record(
    *,
    actor: User,
    child: Child,
    risk: str,
    details: str,
    noticed_on: dt.date | None,
) -> Worry:
    """IM-1: record the worry, alert the young person's social worker now, and open the
    assessment (IM-2) due today for them (or, with none allocated, the team manager)."""
    _require(actor, "monitoring.record_worry")
    if not worry_children(actor).filter(pk=child.pk).exists():
        raise PermissionDenied(f"{actor} does not care for child {child.pk}")
    errors: dict[str, list[str]] = {}
    if risk not in RiskKind.values:
        _add(
            errors, "risk", f"{_label(Worry, 'risk')}: choose a risk to the young person or to others (IM-1)"
        )
    if not _text(details):
        _add(errors, "details", f"{_label(Worry, 'details')}: say what you have seen or been told (IM-1)")
    _check_day(errors, "noticed_on", _label(Worry, "noticed_on"), noticed_on, rule="IM-1")
    if errors:
        raise ValidationError(errors)
    worry = Worry(
        service=child.service,
        child=child,
        risk=risk,
        details=_text(details),
        noticed_on=cast(dt.date, noticed_on),
        raised_by=actor,
    )
    save_as(worry, actor)
    worker = responsible_worker(child)
    deadline = assess_deadline(child.service, timezone.localdate())
    task = task_open(
        service=child.service,
        rule_id="IM-2",
        kind=ASSESS,
        title="Assess the risk in a worry about a young person's internet use",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=worker,
        team=worker.team if worker is not None else child.team,
        child=child,
        actor=actor,
    )
    notify(
        service=child.service,
        recipients=[worker] if worker is not None and worker != actor else [],
        kind="im_worry",
        subject=SUBJECTS["IM-1"],
        reference=task.reference,
        url=reverse("monitoring:worry_detail", kwargs={"pk": worry.pk}),
        dedupe_key=f"monitoring:worry:{worry.pk}",
        rule_id="IM-1",
        task=task,
    )
    return worry


# IM-2: the assessment -----------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    worry: Worry,
    assessed_on: dt.date | None,
    young_person_took_part: bool | None,
    findings: str,
    level: str,
    family: str = "",
    officers: str = "",
    carers: str = "",
) -> Assessment:
    """IM-2: the young person's social worker assesses the risk, naming who took part; the
    assessment duty (IM-1) closes. A worry may be assessed again (a new assessment)."""
    _require(actor, "monitoring.assess")
    child = worry.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    _check_day(
        errors,
        "assessed_on",
        _label(Assessment, "assessed_on"),
        assessed_on,
        rule="IM-2",
        after=worry.raised_at.astimezone(timezone.get_current_timezone()).date(),
        after_what="the worry was told",
    )
    _check_yes_no(
        errors,
        "young_person_took_part",
        _label(Assessment, "young_person_took_part"),
        young_person_took_part,
        "IM-2",
    )
    if not _text(findings):
        _add(errors, "findings", f"{_label(Assessment, 'findings')}: write down the risks found (IM-2)")
    if level not in RiskLevel.values:
        _add(
            errors,
            "level",
            f"{_label(Assessment, 'level')}: say whether the risk of harm is significant (IM-2)",
        )
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        service=child.service,
        child=child,
        worry=worry,
        assessed_on=cast(dt.date, assessed_on),
        young_person_took_part=bool(young_person_took_part),
        family=_text(family),
        officers=_text(officers),
        carers=_text(carers),
        findings=_text(findings),
        level=level,
        recorded_by=actor,
    )
    save_as(assessment, actor)
    tasks_close(actor=actor, service=child.service, kind=ASSESS, child=child)
    return assessment


# IM-3: strategy discussion and panels --------------------------------------------------------------


@transaction.atomic
def strategy_record(
    *,
    actor: User,
    assessment: Assessment,
    held_on: dt.date | None,
    manager: User | None,
    outcome: str,
    attendees: str = "",
) -> StrategyDiscussion:
    """IM-3: the social worker and their manager's strategy discussion about a significant risk.

    Only for an assessment that found a significant risk: the policy convenes it "if the
    assessment indicates a significant risk of harm". A risk found significant after all is
    a new assessment first, so the file says why (decision 0041).
    """
    _require(actor, "monitoring.record_strategy")
    child = assessment.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    if assessment.level != RiskLevel.SIGNIFICANT:
        _add(
            errors,
            "assessment",
            "Assessment: a strategy discussion follows an assessment of significant risk; this one found "
            "the risk not significant: record a new assessment if that has changed (IM-3)",
        )
    _check_day(
        errors,
        "held_on",
        _label(StrategyDiscussion, "held_on"),
        held_on,
        rule="IM-3",
        after=assessment.assessed_on,
        after_what="the assessment",
    )
    if manager is None or not manager_choices(child).filter(pk=manager.pk).exists():
        _add(
            errors,
            "manager",
            f"{_label(StrategyDiscussion, 'manager')}: choose the children's team manager of the young "
            "person's team or a service manager (IM-3)",
        )
    if not _text(outcome):
        _add(errors, "outcome", f"{_label(StrategyDiscussion, 'outcome')}: write down what was agreed (IM-3)")
    if errors:
        raise ValidationError(errors)
    discussion = StrategyDiscussion(
        service=child.service,
        assessment=assessment,
        held_on=cast(dt.date, held_on),
        manager=manager,
        attendees=_text(attendees),
        outcome=_text(outcome),
        recorded_by=actor,
    )
    save_as(discussion, actor)
    return discussion


@transaction.atomic
def panel_refer(
    *, actor: User, assessment: Assessment, panel: str, referred_on: dt.date | None
) -> PanelReferral:
    """IM-3: the social worker refers the case to the EFRH panel, or to Channel for extremism or
    radicalisation, whether or not a strategy discussion took place, whatever the level."""
    _require(actor, "monitoring.refer_panel")
    child = assessment.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    if panel not in Panel.values:
        _add(
            errors, "panel", "Panel: choose the Extra-Familial Risk of Harm panel or the Channel panel (IM-3)"
        )
    _check_day(
        errors,
        "referred_on",
        _label(PanelReferral, "referred_on"),
        referred_on,
        rule="IM-3",
        after=assessment.assessed_on,
        after_what="the assessment",
    )
    if errors:
        raise ValidationError(errors)
    referral = PanelReferral(
        service=child.service,
        assessment=assessment,
        panel=panel,
        referred_on=cast(dt.date, referred_on),
        recorded_by=actor,
    )
    save_as(referral, actor)
    return referral


def plans_deadline(service: FosteringService, outcome_on: dt.date) -> Deadline:
    """IM-3: the young person's plans are updated after the panel: Safecare's default deadline."""
    return working_days_after(
        service,
        outcome_on,
        PLANS_UPDATE_WORKING_DAYS,
        event="the panel's outcome",
        rule_id="IM-3",
        setting="Internet monitoring: plans updated after a panel (Safecare's default, 5 working days)",
    )


@transaction.atomic
def panel_outcome(
    *, actor: User, referral: PanelReferral, outcome: str, outcome_on: dt.date | None, minutes: str
) -> PanelReferral:
    """IM-3: the panel's outcome and its minutes go on the file, once; the social worker is
    reminded to update the young person's plans within 5 working days of the outcome."""
    _require(actor, "monitoring.refer_panel")
    locked = (
        PanelReferral.objects.select_for_update()
        .filter(pk=referral.pk)
        .select_related("assessment__child__service")
        .first()
    )
    if locked is None:
        raise PermissionDenied
    child = locked.assessment.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    if locked.outcome_on is not None:
        _add(errors, "outcome", f"{_label(PanelReferral, 'outcome')}: it is already recorded (IM-3)")
        raise ValidationError(errors)
    if not _text(outcome):
        _add(
            errors, "outcome", f"{_label(PanelReferral, 'outcome')}: write down what the panel decided (IM-3)"
        )
    _check_day(
        errors,
        "outcome_on",
        _label(PanelReferral, "outcome_on"),
        outcome_on,
        rule="IM-3",
        after=locked.referred_on,
        after_what="the referral",
    )
    if not _text(minutes):
        _add(
            errors,
            "minutes",
            f"{_label(PanelReferral, 'minutes')}: the panel's minutes go on the file (IM-3)",
        )
    if errors:
        raise ValidationError(errors)
    locked.outcome = _text(outcome)
    locked.outcome_on = cast(dt.date, outcome_on)
    locked.minutes = _text(minutes)
    save_as(locked, actor, update_fields=["outcome", "outcome_on", "minutes"])
    worker = responsible_worker(child)
    deadline = plans_deadline(child.service, locked.outcome_on)
    task_open(
        service=child.service,
        rule_id="IM-3",
        kind=PLANS_UPDATE,
        title="Update the young person's plans after the panel's outcome",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=worker,
        team=worker.team if worker is not None else child.team,
        child=child,
        actor=actor,
    )
    return locked


# IM-4: the evaluation -----------------------------------------------------------------------------


@transaction.atomic
def evaluation_record(
    *,
    actor: User,
    assessment: Assessment,
    evaluated_on: dt.date | None,
    team_manager: User | None,
    service_manager: User | None,
    summary: str,
    legal_advice_taken: bool | None,
    legal_advice_reasons: str,
) -> Evaluation:
    """IM-4: the assessment evaluated with the team manager and the service manager, both named;
    legal advice considered, and why it was or was not taken written either way."""
    _require(actor, "monitoring.evaluate")
    child = assessment.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    _check_day(
        errors,
        "evaluated_on",
        _label(Evaluation, "evaluated_on"),
        evaluated_on,
        rule="IM-4",
        after=assessment.assessed_on,
        after_what="the assessment",
    )
    if team_manager is None or not team_manager_choices(child).filter(pk=team_manager.pk).exists():
        _add(
            errors,
            "team_manager",
            f"{_label(Evaluation, 'team_manager')}: choose the children's team manager of the young person's "
            "team (IM-4)",
        )
    if service_manager is None or not service_manager_choices(child).filter(pk=service_manager.pk).exists():
        _add(
            errors,
            "service_manager",
            f"{_label(Evaluation, 'service_manager')}: choose a service manager (IM-4)",
        )
    if not _text(summary):
        _add(
            errors, "summary", f"{_label(Evaluation, 'summary')}: write down what the evaluation found (IM-4)"
        )
    _check_yes_no(
        errors, "legal_advice_taken", _label(Evaluation, "legal_advice_taken"), legal_advice_taken, "IM-4"
    )
    if not _text(legal_advice_reasons):
        _add(
            errors,
            "legal_advice_reasons",
            f"{_label(Evaluation, 'legal_advice_reasons')}: say why, whether it was taken or not (IM-4)",
        )
    if errors:
        raise ValidationError(errors)
    evaluation = Evaluation(
        service=child.service,
        assessment=assessment,
        evaluated_on=cast(dt.date, evaluated_on),
        team_manager=team_manager,
        service_manager=service_manager,
        summary=_text(summary),
        legal_advice_taken=bool(legal_advice_taken),
        legal_advice_reasons=_text(legal_advice_reasons),
        recorded_by=actor,
    )
    save_as(evaluation, actor)
    return evaluation


# IM-5: the decision -------------------------------------------------------------------------------

# IM-5 and the two tests Ofsted applies: what a decision to monitor must hold.
TO_MONITOR = {
    "less_restrictive_evidence": "write why less restrictive measures cannot reduce the risk enough",
    "legal_and_necessary": "write why monitoring is legal and necessary (Ofsted's first test)",
    "reasonable_and_proportionate": "write why monitoring is reasonable and proportionate (Ofsted's second test)",
}


def latest_evaluation(assessment: Assessment) -> Evaluation | None:
    return assessment.evaluations.order_by("-evaluated_on", "-id").first()


@transaction.atomic
def decision_record(
    *,
    actor: User,
    assessment: Assessment,
    monitor: bool | None,
    reasons: str,
    decided_on: dt.date | None,
    less_restrictive_evidence: str = "",
    legal_and_necessary: str = "",
    reasonable_and_proportionate: str = "",
) -> Decision:
    """IM-5: whether to monitor, on the assessment's latest evaluation (IM-4). Never changed.

    To monitor: the reasons, the evidence that less restrictive measures cannot reduce the
    risk enough, and both of Ofsted's tests, each missing one named; and only on an
    assessment that found a significant risk. Not to monitor: the reasons.
    """
    _require(actor, "monitoring.decide")
    child = assessment.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    evaluation = latest_evaluation(assessment)
    if evaluation is None:
        _add(
            errors,
            "evaluation",
            "Evaluation: evaluate the assessment with the team manager and the service manager before "
            "deciding (IM-4)",
        )
    _check_yes_no(errors, "monitor", _label(Decision, "monitor"), monitor, "IM-5")
    if not _text(reasons):
        _add(errors, "reasons", f"{_label(Decision, 'reasons')}: write the reasons for the decision (IM-5)")
    values = {
        "less_restrictive_evidence": _text(less_restrictive_evidence),
        "legal_and_necessary": _text(legal_and_necessary),
        "reasonable_and_proportionate": _text(reasonable_and_proportionate),
    }
    if monitor:
        for name, what in TO_MONITOR.items():
            if not values[name]:
                _add(errors, name, f"{_label(Decision, name)}: {what} (IM-5)")
        if assessment.level != RiskLevel.SIGNIFICANT:
            _add(
                errors,
                "monitor",
                f"{_label(Decision, 'monitor')}: monitoring is only for a significant risk of harm, and this "
                "assessment found the risk not significant (IM-5)",
            )
    _check_day(
        errors,
        "decided_on",
        _label(Decision, "decided_on"),
        decided_on,
        rule="IM-5",
        after=evaluation.evaluated_on if evaluation is not None else None,
        after_what="the evaluation",
    )
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        service=child.service,
        child=child,
        evaluation=evaluation,
        monitor=bool(monitor),
        reasons=_text(reasons),
        decided_on=cast(dt.date, decided_on),
        decided_by=actor,
        **values,
    )
    save_as(decision, actor)
    return decision


# IM-6: the discussion -----------------------------------------------------------------------------


def advocate_deadline(service: FosteringService, held_on: dt.date) -> Deadline:
    """IM-6: the advocate the young person wants is arranged: Safecare's default deadline."""
    return working_days_after(
        service,
        held_on,
        ADVOCATE_WORKING_DAYS,
        event="the young person said they want an advocate",
        rule_id="IM-6",
        setting="Internet monitoring: advocate arranged (Safecare's default, 5 working days)",
    )


@transaction.atomic
def discussion_record(
    *,
    actor: User,
    decision: Decision,
    held_on: dt.date | None,
    young_person_views: str,
    family_support: bool | None,
    family: str = "",
    advocate_offered: bool = False,
    advocate_wanted: bool = False,
) -> Discussion:
    """IM-6: the proposal to monitor discussed with the young person and their family. Without
    family who can support them, an advocate must have been offered; if the young person
    wants one, arranging it is due within 5 working days (Safecare's default)."""
    _require(actor, "monitoring.discuss")
    child = decision.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    if not decision.monitor:
        _add(
            errors,
            "decision",
            "Decision: there is no proposal to discuss: the decision was not to monitor (IM-6)",
        )
    _check_day(
        errors,
        "held_on",
        _label(Discussion, "held_on"),
        held_on,
        rule="IM-6",
        after=decision.decided_on,
        after_what="the decision",
    )
    if not _text(young_person_views):
        _add(
            errors,
            "young_person_views",
            f"{_label(Discussion, 'young_person_views')}: write down what the young person said (IM-6)",
        )
    _check_yes_no(errors, "family_support", _label(Discussion, "family_support"), family_support, "IM-6")
    if family_support is False and not advocate_offered:
        _add(
            errors,
            "advocate_offered",
            f"{_label(Discussion, 'advocate_offered')}: a young person without family to support them is "
            "offered an advocate (IM-6)",
        )
    if errors:
        raise ValidationError(errors)
    discussion = Discussion(
        service=child.service,
        decision=decision,
        held_on=cast(dt.date, held_on),
        young_person_views=_text(young_person_views),
        family=_text(family),
        family_support=bool(family_support),
        advocate_offered=bool(advocate_offered),
        advocate_wanted=bool(advocate_wanted),
        recorded_by=actor,
    )
    save_as(discussion, actor)
    if discussion.advocate_wanted:
        worker = responsible_worker(child)
        deadline = advocate_deadline(child.service, discussion.held_on)
        task_open(
            service=child.service,
            rule_id="IM-6",
            kind=ADVOCATE,
            title="Arrange the advocate the young person wants",
            due_on=deadline.due_on,
            due_basis=deadline.basis,
            owner=worker,
            team=worker.team if worker is not None else child.team,
            child=child,
            actor=actor,
        )
    return discussion


@transaction.atomic
def advocate_arranged(
    *, actor: User, discussion: Discussion, advocate: str, arranged_on: dt.date | None
) -> Discussion:
    """IM-6: the advocate the young person wanted is arranged: named on the discussion, once;
    the duty to arrange one closes with this record only."""
    _require(actor, "monitoring.discuss")
    locked = (
        Discussion.objects.select_for_update()
        .filter(pk=discussion.pk)
        .select_related("decision__child__service")
        .first()
    )
    if locked is None:
        raise PermissionDenied
    child = locked.decision.child
    _require_full(actor, child)
    errors: dict[str, list[str]] = {}
    if not locked.advocate_wanted:
        _add(
            errors,
            "advocate",
            f"{_label(Discussion, 'advocate')}: the young person did not want an advocate (IM-6)",
        )
    elif locked.advocate_arranged_on is not None:
        _add(errors, "advocate", f"{_label(Discussion, 'advocate')}: the advocate is already recorded (IM-6)")
    if errors:
        raise ValidationError(errors)
    if not _text(advocate):
        _add(
            errors,
            "advocate",
            f"{_label(Discussion, 'advocate')}: give the advocate's name and organisation (IM-6)",
        )
    _check_day(
        errors,
        "advocate_arranged_on",
        _label(Discussion, "advocate_arranged_on"),
        arranged_on,
        rule="IM-6",
        after=locked.held_on,
        after_what="the discussion",
    )
    if errors:
        raise ValidationError(errors)
    locked.advocate = _text(advocate)[:200]
    locked.advocate_arranged_on = arranged_on
    save_as(locked, actor, update_fields=["advocate", "advocate_arranged_on"])
    tasks_close(actor=actor, service=child.service, kind=ADVOCATE, child=child)
    return locked


# Where a young person lives ------------------------------------------------------------------------


@transaction.atomic
def residence_record(
    *,
    actor: User,
    child: Child,
    kind: str,
    provider: str,
    address_kind: str,
    from_on: dt.date | None,
    to_on: dt.date | None = None,
    household: Household | None = None,
) -> Residence:
    """Where a young person lives when not in a foster placement (supported lodgings, supported
    accommodation): the procedure applies there too. A period may not overlap another of the
    young person's residences; a host household must be one of the service's."""
    _require(actor, "monitoring.record_residence")
    _require_full(actor, child)
    rule = RESIDENCE_RULE
    errors: dict[str, list[str]] = {}
    if kind not in ResidenceKind.values:
        _add(errors, "kind", f"{_label(Residence, 'kind')}: choose where the young person lives ({rule})")
    if not _text(provider):
        _add(
            errors,
            "provider",
            f"{_label(Residence, 'provider')}: give the provider's or host's name ({rule})",
        )
    if not _text(address_kind):
        _add(
            errors,
            "address_kind",
            f"{_label(Residence, 'address_kind')}: say what kind of address it is ({rule})",
        )
    if household is not None and household.service_id != child.service_id:
        _add(errors, "household", f"Host household: choose a household of this service ({rule})")
    if from_on is None:
        _add(errors, "from_on", f"{_label(Residence, 'from_on')}: give the date ({rule})")
    elif to_on is not None and to_on < from_on:
        _add(
            errors,
            "to_on",
            f"{_label(Residence, 'to_on')}: it cannot be before {long_date(from_on)} ({rule})",
        )
    else:
        # A residence ends on its "until" day, when the next may start (selectors.current_residences).
        others = Residence.objects.filter(child=child).filter(Q(to_on__isnull=True) | Q(to_on__gt=from_on))
        if to_on is not None:
            others = others.filter(from_on__lt=to_on)
        overlapping = others.order_by("from_on").first()
        if overlapping is not None:
            _add(
                errors,
                "from_on",
                f"{_label(Residence, 'from_on')}: the young person already lives somewhere recorded from "
                f"{long_date(overlapping.from_on)}"
                + (f" until {long_date(overlapping.to_on)}" if overlapping.to_on else "")
                + f" ({rule})",
            )
    if errors:
        raise ValidationError(errors)
    residence = Residence(
        service=child.service,
        child=child,
        kind=kind,
        provider=_text(provider),
        household=household,
        address_kind=_text(address_kind),
        from_on=cast(dt.date, from_on),
        to_on=to_on,
        recorded_by=actor,
    )
    save_as(residence, actor)
    return residence


@transaction.atomic
def residence_end(*, actor: User, residence: Residence, to_on: dt.date | None) -> Residence:
    """The young person moved out: the residence ends on `to_on` (the day they left), once.

    Not before it started, not in the future, and not when it already has an end.
    """
    _require(actor, "monitoring.record_residence")
    locked = Residence.objects.select_for_update().select_related("child").filter(pk=residence.pk).first()
    if locked is None:
        raise PermissionDenied
    _require_full(actor, locked.child)
    rule = RESIDENCE_RULE
    errors: dict[str, list[str]] = {}
    label = _label(Residence, "to_on")
    if locked.to_on is not None:
        _add(errors, "to_on", f"{label}: it already ends on {long_date(locked.to_on)} ({rule})")
    elif to_on is None:
        _add(errors, "to_on", f"{label}: give the day the young person moved out ({rule})")
    elif to_on < locked.from_on:
        _add(errors, "to_on", f"{label}: it cannot be before {long_date(locked.from_on)} ({rule})")
    elif to_on > timezone.localdate():
        _add(errors, "to_on", f"{label}: it cannot be in the future ({rule})")
    if errors or to_on is None:
        raise ValidationError(errors)
    locked.to_on = to_on
    save_as(locked, actor, update_fields=["to_on"])
    return locked
