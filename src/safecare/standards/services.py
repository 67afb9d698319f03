"""Every write of the standards of care procedure: keyword-only, one transaction, history and duties inside.

Refusals are ValidationErrors keyed by field, each message naming the field and the
rule, so pages and the API show the same reason; the wrong person gets PermissionDenied.
Decisions: docs/decisions/0034-standards-of-care-intake-route-visit.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.dates import add_months, latest_date_calendar_days_before
from safecare.core.deadlines import Deadline, calendar_days_after, immediately, long_date, working_days_after
from safecare.core.models import FosteringService, Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.roles import STAFF_ROLES, Role
from safecare.core.tasks import task_open, tasks_cancel, tasks_close
from safecare.households.access import households_visible_to
from safecare.households.models import Child, Household, HouseholdStatus, MemberKind, Placement
from safecare.households.selectors import household_worker

from .duties import (
    ARRANGE,
    INVITATIONS,
    MEETING_DECISION,
    MINUTES,
    OUTCOME,
    PANEL_TOLD,
    REPORT,
    REPORT_QA,
    REPORT_TO_CARER,
    REPORT_TO_CHAIR,
    ROUTE_DECISION,
    SUPPORT_REFERRAL,
    VISIT,
    VISIT_SHARE,
)
from .models import (
    ALLEGATION_ROUTES,
    AllegationOutcome,
    AllegationResult,
    Concern,
    Meeting,
    MeetingProposal,
    NationalMinimumStandard,
    RaisedBy,
    Resignation,
    Route,
    RouteDecision,
    SupportReferral,
    Visit,
    VisitAction,
    overdue_actions,
)
from .selectors import concerns_visible_to, soc_households_visible_to

if TYPE_CHECKING:
    from safecare.core.models import User

# The e-mails name no carer, child or concern (rules: Everywhere): only that there is something to see.
SUBJECTS = {
    "SOC-1": "A standards of care concern has been recorded",
    "SOC-4": "A standards of care visit is to be arranged",
    "SOC-5": "A standards of care meeting is proposed",
}
# SOC-4: the visit, and sending its record, each within 5 working days.
VISIT_WORKING_DAYS = 5
SHARE_WORKING_DAYS = 5
# SOC-5: the policy gives the manager's decision on a proposed meeting no deadline. Until the
# service's settings hold one, this is Safecare's default, and the task says so.
MEETING_DECISION_WORKING_DAYS = 5
# SOC-5: this many standards of care concerns within 12 months propose a meeting.
CONCERNS_FOR_MEETING = 3
WINDOW_MONTHS = 12

THRESHOLD_FIELDS = ("harmed_child", "offence_against_child", "risk_of_harm", "unsuitable")
QUESTION_FIELDS = (*THRESHOLD_FIELDS, "carers_own_child", "other_borough")


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(f"{actor} may not {perm}")


def _require_household(actor: User, household: Household) -> None:
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        raise PermissionDenied(f"{actor} may not write for household {household.pk}")


def _label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def _check_day(
    errors: dict[str, list[str]], field: str, label: str, day: dt.date | None, *, after: dt.date, rule: str
) -> None:
    """A recorded date: given, not in the future, not before the day it follows."""
    if day is None:
        _add(errors, field, f"{label}: give the date ({rule})")
    elif day > timezone.localdate():
        _add(errors, field, f"{label}: it cannot be in the future ({rule})")
    elif day < after:
        _add(errors, field, f"{label}: it cannot be before {long_date(after)} ({rule})")


def fostering_managers(service: FosteringService) -> list[User]:
    from safecare.core.models import User

    return list(
        User.objects.filter(service=service, role=Role.FOSTERING_MANAGER, is_active=True).order_by("pk")
    )


def _manager_owner(service: FosteringService) -> User | None:
    """The fostering manager who owns a manager's duty: the one there is, or, with several,
    nobody in particular: the duty is on the service's list, which every fostering manager reads."""
    managers = fostering_managers(service)
    return managers[0] if len(managers) == 1 else None


def _task_url(task: Task) -> str:
    return reverse("tasks:detail", kwargs={"pk": task.pk})


# SOC-1: recording a concern --------------------------------------------------------------------


def route_deadline(service: FosteringService, recorded_on: dt.date) -> Deadline:
    """SOC-1: the SSW tells a fostering manager immediately: an alert now, the route due the same day."""
    return immediately(service, recorded_on, event="the concern was recorded", rule_id="SOC-1")


@transaction.atomic
def concern_record(
    *,
    actor: User,
    household: Household,
    raised_by_kind: str,
    raised_by: str = "",
    received_on: dt.date | None,
    details: str,
    children: Iterable[Child] = (),
) -> Concern:
    """SOC-1: record a concern, alert the SSW and the fostering managers, and ask for a route today."""
    _require(actor, "standards.record_concern")
    _require_household(actor, household)
    errors: dict[str, list[str]] = {}
    who = " ".join(raised_by.split())
    if raised_by_kind not in RaisedBy.values:
        _add(errors, "raised_by_kind", "Who raised it: choose a named person, a role, or anonymous (SOC-1)")
    elif raised_by_kind == RaisedBy.ANONYMOUS and who:
        _add(errors, "raised_by", "Their name or role: leave it empty for an anonymous concern (SOC-1)")
    elif raised_by_kind != RaisedBy.ANONYMOUS and not who:
        _add(errors, "raised_by", "Their name or role: say who raised it, or choose anonymous (SOC-1)")
    _check_day(
        errors,
        "received_on",
        "Date the information was received",
        received_on,
        after=dt.date.min,
        rule="SOC-1",
    )
    if not details.strip():
        _add(errors, "details", "What was said: write down the concern as it was told (SOC-1)")
    chosen = list(children)
    placed_here = set(Placement.objects.filter(household=household).values_list("child_id", flat=True))
    if any(child.pk not in placed_here for child in chosen):
        _add(errors, "children", "Children involved: only children placed in this household (SOC-1)")
    if errors:
        raise ValidationError(errors)
    received_on = cast(dt.date, received_on)
    service = household.service
    concern = Concern(
        service=service,
        household=household,
        raised_by_kind=raised_by_kind,
        raised_by=who,
        received_on=received_on,
        details=details.strip(),
        recorded_by=actor,
    )
    save_as(concern, actor)
    if chosen:
        concern.children.set(chosen)
    deadline = route_deadline(service, timezone.localdate())
    task = task_open(
        service=service,
        rule_id="SOC-2",
        kind=ROUTE_DECISION,
        title="Decide the route of a standards of care concern",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=_manager_owner(service),
        household=household,
        actor=actor,
    )
    notify(
        service=service,
        household=household,
        recipients=[
            user for user in [household_worker(household), *fostering_managers(service)] if user != actor
        ],
        kind="soc_concern",
        subject=SUBJECTS["SOC-1"],
        reference=task.reference,
        url=_task_url(task),
        dedupe_key=f"standards:concern:{concern.pk}",
        rule_id="SOC-1",
        task=task,
    )
    return concern


# SOC-2, SOC-3: the route -----------------------------------------------------------------------


def visit_deadline(service: FosteringService, received_on: dt.date) -> Deadline:
    """SOC-4: the SSW visits within 5 working days of receiving the information (day 0)."""
    return working_days_after(
        service, received_on, VISIT_WORKING_DAYS, event="the information was received", rule_id="SOC-4"
    )


def route_problems(
    *, concern: Concern, answers: dict[str, bool | None], route: str, lado: str, borough: str
) -> dict[str, list[str]]:
    """SOC-2, SOC-3: why this route may not be chosen for this concern; empty when it may."""
    errors: dict[str, list[str]] = {}
    for name in QUESTION_FIELDS:
        if answers.get(name) is None:
            _add(errors, name, f"{_label(RouteDecision, name)}: answer yes or no (SOC-2)")
    if route not in Route.values:
        _add(errors, "route", "Route: choose one of the routes (SOC-2)")
        return errors
    route_label = Route(route).label
    if any(answers.get(name) for name in THRESHOLD_FIELDS) and route not in ALLEGATION_ROUTES:
        _add(
            errors,
            "route",
            "Route: a concern that meets an allegations threshold (harm to a child, an offence against "
            "or related to a child, a risk of harm to children, or unsuitability to work with children) "
            f"goes to the LADO under the allegations procedure, not to '{route_label}' (SOC-2)",
        )
    if answers.get("carers_own_child") and route != Route.SAFEGUARDING:
        _add(
            errors,
            "route",
            "Route: a concern about the carer's own child goes to safeguarding, with the LADO told, "
            f"not to '{route_label}' (SOC-2)",
        )
    if route in ALLEGATION_ROUTES:
        if not lado.strip():
            _add(errors, "lado", "LADO: name the LADO the allegation goes to (SOC-2)")
        if answers.get("other_borough") and not borough.strip():
            _add(
                errors,
                "borough",
                "The carer's borough: a carer living in another borough goes to that borough's LADO; "
                "name the borough (SOC-2)",
            )
    if route == Route.STANDARDS_OF_CARE:
        result = AllegationResult.objects.filter(concern=concern).first()
        if result is not None and result.outcome == AllegationOutcome.NO_EVIDENCE:
            _add(
                errors,
                "route",
                "Route: SOC-3: the allegation investigation of this concern found no evidence of harm, so it "
                "never becomes a standards of care procedure (NMS 22.10). A standards of care concern about "
                "the carer's practice must be raised separately, as a new concern.",
            )
        elif result is None and concern.route in ALLEGATION_ROUTES:
            _add(
                errors,
                "route",
                "Route: SOC-3: this concern is with the LADO; record the outcome of the allegation "
                "investigation before it can move to standards of care",
            )
    return errors


def _settle_visit_task(*, actor: User | None, household: Household, fulfilled: bool) -> None:
    """SOC-4: one visit duty per household, due for the earliest concern still waiting for its visit.

    With none waiting it closes (a visit was recorded) or is cancelled (a route changed).
    """
    service = household.service
    waiting = list(
        Concern.objects.filter(household=household, visit__isnull=True)
        .routed(Route.STANDARDS_OF_CARE)
        .order_by("received_on", "id")
    )
    task = (
        Task.objects.select_for_update()
        .filter(service=service, kind=VISIT, household=household, child=None, status=TaskStatus.OPEN)
        .first()
    )
    if not waiting:
        if task is None:
            return
        if fulfilled:
            tasks_close(actor=actor, service=service, kind=VISIT, household=household)
        else:
            tasks_cancel(
                actor=actor,
                tasks=[task],
                reason="No concern of this household waits for a standards of care visit now: "
                "its route was changed (SOC-2)",
            )
        return
    deadline = visit_deadline(service, waiting[0].received_on)
    if task is None:
        task_open(
            service=service,
            rule_id="SOC-4",
            kind=VISIT,
            title="Visit the carer about a standards of care concern",
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


def _lock_concern(actor: User, concern: Concern) -> Concern:
    locked = concerns_visible_to(actor).select_for_update().filter(pk=concern.pk).first()
    if locked is None:
        raise PermissionDenied(f"{actor} may not see concern {concern.pk}")
    return locked


@transaction.atomic
def route_decide(
    *,
    actor: User,
    concern: Concern,
    harmed_child: bool | None,
    offence_against_child: bool | None,
    risk_of_harm: bool | None,
    unsuitable: bool | None,
    carers_own_child: bool | None,
    other_borough: bool | None,
    route: str,
    reasons: str,
    lado: str = "",
    borough: str = "",
    decided_on: dt.date | None = None,
) -> RouteDecision:
    """SOC-2: the fostering manager answers each threshold and chooses the route; SOC-3 guards it.

    A later decision on the same concern changes its route; the earlier one stays on record.
    """
    _require(actor, "standards.decide_route")
    concern = _lock_concern(actor, concern)
    answers = {
        "harmed_child": harmed_child,
        "offence_against_child": offence_against_child,
        "risk_of_harm": risk_of_harm,
        "unsuitable": unsuitable,
        "carers_own_child": carers_own_child,
        "other_borough": other_borough,
    }
    errors = route_problems(concern=concern, answers=answers, route=route, lado=lado, borough=borough)
    if not reasons.strip():
        _add(errors, "reasons", "Reasons: say why this route was chosen (SOC-2)")
    decided_on = decided_on or timezone.localdate()
    _check_day(
        errors, "decided_on", "Date of the decision", decided_on, after=concern.received_on, rule="SOC-2"
    )
    if errors:
        raise ValidationError(errors)
    service = concern.household.service
    decision = RouteDecision(
        service=service,
        concern=concern,
        decided_by=actor,
        decided_on=decided_on,
        route=route,
        reasons=reasons.strip(),
        lado=lado.strip() if route in ALLEGATION_ROUTES else "",
        borough=borough.strip() if route in ALLEGATION_ROUTES and other_borough else "",
        **{name: bool(value) for name, value in answers.items()},
    )
    save_as(decision, actor)
    household = concern.household
    if not Concern.objects.filter(household=household).unrouted().exists():
        tasks_close(actor=actor, service=service, kind=ROUTE_DECISION, household=household)
    _settle_visit_task(actor=actor, household=household, fulfilled=False)
    if route == Route.STANDARDS_OF_CARE:
        task = Task.objects.filter(
            service=service, kind=VISIT, household=household, status=TaskStatus.OPEN
        ).first()
        if task is not None:
            notify(
                service=service,
                household=household,
                recipients=[user for user in [household_worker(household)] if user != actor],
                kind="soc_visit_due",
                subject=SUBJECTS["SOC-4"],
                reference=task.reference,
                url=_task_url(task),
                dedupe_key=f"standards:route:{decision.pk}",
                rule_id="SOC-4",
                task=task,
            )
    meeting_proposals(household=household, today=timezone.localdate(), actor=actor)
    return decision


@transaction.atomic
def allegation_outcome_record(
    *, actor: User, concern: Concern, outcome: str, lado: str, outcome_on: dt.date | None, note: str = ""
) -> AllegationResult:
    """SOC-3: what the LADO's investigation found; once recorded, never changed."""
    _require(actor, "standards.record_allegation_outcome")
    concern = _lock_concern(actor, concern)
    errors: dict[str, list[str]] = {}
    if concern.route not in ALLEGATION_ROUTES:
        _add(
            errors, "outcome", "Outcome: only a concern routed to the LADO has an allegation outcome (SOC-3)"
        )
    elif AllegationResult.objects.filter(concern=concern).exists():
        _add(errors, "outcome", "Outcome: already recorded for this concern; it is never changed (SOC-3)")
    elif outcome not in AllegationOutcome.values:
        _add(errors, "outcome", "Outcome: choose one of the outcomes (SOC-3)")
    if not lado.strip():
        _add(errors, "lado", "LADO: name who gave the outcome (SOC-3)")
    _check_day(
        errors, "outcome_on", "Date of the outcome", outcome_on, after=concern.received_on, rule="SOC-3"
    )
    if errors:
        raise ValidationError(errors)
    outcome_on = cast(dt.date, outcome_on)
    result = AllegationResult(
        service=concern.household.service,
        concern=concern,
        outcome=outcome,
        lado=lado.strip(),
        outcome_on=outcome_on,
        note=note.strip(),
        recorded_by=actor,
    )
    save_as(result, actor)
    return result


# SOC-4: the visit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    """SOC-4: one action agreed at the visit: what, who does it, and by when."""

    what: str
    owner: User | None
    due_on: dt.date | None


def share_deadline(service: FosteringService, visited_on: dt.date) -> Deadline:
    """SOC-4: the visit record goes to the carer and the fostering manager within 5 working days."""
    return working_days_after(service, visited_on, SHARE_WORKING_DAYS, event="the visit", rule_id="SOC-4")


def _may_own_action(user: User, household: Household) -> bool:
    """An action is the carer's (a carer of the household now) or a worker's who sees the household."""
    if not user.is_active or user.service_id != household.service_id:
        return False
    if user.role == Role.CARER:
        today = timezone.localdate()
        return any(
            member.is_current(today) for member in household.members.filter(kind=MemberKind.CARER, user=user)
        )
    return user.role in STAFF_ROLES and households_visible_to(user).filter(pk=household.pk).exists()


def _action_problems(
    actions: Sequence[ActionInput], *, household: Household, visited_on: dt.date | None
) -> list[str]:
    if not actions:
        return ["Actions: agree at least one action, with who does it and by when (SOC-4)"]
    problems = []
    for number, action in enumerate(actions, start=1):
        if not action.what.strip():
            problems.append(f"Actions: action {number} needs what will be done (SOC-4)")
        if action.owner is None:
            problems.append(f"Actions: action {number} needs who does it (SOC-4)")
        elif not _may_own_action(action.owner, household):
            problems.append(
                f"Actions: action {number} can be given only to a carer of this household or a worker "
                "who sees it (SOC-4)"
            )
        if action.due_on is None:
            problems.append(f"Actions: action {number} needs a timescale: the date it is done by (SOC-4)")
        elif visited_on is not None and action.due_on < visited_on:
            problems.append(f"Actions: action {number} cannot be due before the visit (SOC-4)")
    return problems


@transaction.atomic
def visit_record(
    *,
    actor: User,
    concern: Concern,
    visited_on: dt.date | None,
    standards: Iterable[NationalMinimumStandard],
    concerns_discussed: str,
    carer_response: str,
    actions: Sequence[ActionInput],
) -> Visit:
    """SOC-4: the SSW's visit: the standards named, what was discussed and answered, the actions agreed."""
    _require(actor, "standards.record_visit")
    concern = _lock_concern(actor, concern)
    household = concern.household
    errors: dict[str, list[str]] = {}
    route = concern.route
    if route != Route.STANDARDS_OF_CARE:
        shown = Route(route).label if route else "not decided yet"
        _add(
            errors,
            "concern",
            f"Concern: only a concern on the standards of care route has a visit; this one's route is {shown} "
            "(SOC-4)",
        )
    elif Visit.objects.filter(concern=concern).exists():
        _add(errors, "concern", "Concern: its visit is already recorded (SOC-4)")
    _check_day(errors, "visited_on", "Date of the visit", visited_on, after=concern.received_on, rule="SOC-4")
    chosen = list(standards)
    if not chosen:
        _add(errors, "standards", "Relevant National Minimum Standards: name at least one (SOC-4)")
    elif any(s.service_id != household.service_id or not s.active for s in chosen):
        _add(
            errors, "standards", "Relevant National Minimum Standards: choose from the service's list (SOC-4)"
        )
    if not concerns_discussed.strip():
        _add(errors, "concerns_discussed", "The concerns discussed: say what was discussed (SOC-4)")
    if not carer_response.strip():
        _add(errors, "carer_response", "The carer's response: write down what the carer said (SOC-4)")
    for problem in _action_problems(actions, household=household, visited_on=visited_on):
        _add(errors, "actions", problem)
    if errors:
        raise ValidationError(errors)
    visited_on = cast(dt.date, visited_on)
    service = household.service
    visit = Visit(
        service=service,
        household=household,
        concern=concern,
        visited_on=visited_on,
        concerns_discussed=concerns_discussed.strip(),
        carer_response=carer_response.strip(),
        recorded_by=actor,
    )
    save_as(visit, actor)
    visit.standards.set(chosen)
    for action in actions:
        save_as(
            VisitAction(
                service=service,
                visit=visit,
                what=action.what.strip(),
                owner=action.owner,
                due_on=cast(dt.date, action.due_on),
            ),
            actor,
        )
    _settle_visit_task(actor=actor, household=household, fulfilled=True)
    deadline = share_deadline(service, visited_on)
    task_open(
        service=service,
        rule_id="SOC-4",
        kind=VISIT_SHARE,
        title="Send the signed standards of care visit record to the carer and the fostering manager",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=actor,
        team=household.team,
        household=household,
        actor=actor,
    )
    return visit


@transaction.atomic
def action_done(*, actor: User, action: VisitAction, done_on: dt.date | None) -> VisitAction:
    """SOC-4, SOC-5: an agreed action is done; one done stops counting as overdue."""
    _require(actor, "standards.record_action_done")
    households = soc_households_visible_to(actor)
    locked = (
        # Only the action's row: its visit or its meeting is the nullable side of an outer
        # join, which PostgreSQL will not lock.
        VisitAction.objects.select_for_update(of=("self",))
        .select_related("visit", "meeting")
        .filter(Q(visit__household__in=households) | Q(meeting__household__in=households), pk=action.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    action = locked
    errors: dict[str, list[str]] = {}
    if action.done_on is not None:
        _add(errors, "done_on", "Done on: this action is already recorded as done (SOC-4)")
    _check_day(errors, "done_on", "Done on", done_on, after=action.agreed_on, rule="SOC-4")
    if errors:
        raise ValidationError(errors)
    action.done_on = done_on
    save_as(action, actor, update_fields=["done_on"])
    return action


# SOC-5: proposing a meeting --------------------------------------------------------------------


def concerns_within_window(concerns: Sequence[Concern], latest: Concern) -> list[Concern]:
    """SOC-5: the concerns received within 12 months up to `latest`'s date.

    An earlier concern received on e counts with one received on d when e is after
    add_months(d, -12): exactly 12 months before is outside, a day later inside.
    """
    start = add_months(latest.received_on, -WINDOW_MONTHS)
    return [c for c in concerns if start < c.received_on <= latest.received_on]


def three_concerns_within_12_months(household: Household, today: dt.date) -> list[Concern]:
    """SOC-5: the latest set of 3 or more standards of care concerns within 12 months not yet put to a
    fostering manager's decision; empty when there is none.

    Only concerns whose current route is standards of care count: an allegation (LADO,
    safeguarding), a complaint or no further action does not.
    """
    concerns = list(
        Concern.objects.filter(household=household, received_on__lte=today)
        .routed(Route.STANDARDS_OF_CARE)
        .order_by("received_on", "id")
    )
    decided = set(
        MeetingProposal.concerns.through.objects.filter(
            meetingproposal__household=household, meetingproposal__decided_at__isnull=False
        ).values_list("concern_id", flat=True)
    )
    for latest in reversed(concerns):
        window = concerns_within_window(concerns, latest)
        if len(window) >= CONCERNS_FOR_MEETING and not {c.pk for c in window} <= decided:
            return window
    return []


def meeting_decision_deadline(service: FosteringService, proposed_on: dt.date) -> Deadline:
    due = service.calendar().add_working_days(proposed_on, MEETING_DECISION_WORKING_DAYS)
    return Deadline(
        due,
        f"{MEETING_DECISION_WORKING_DAYS} working days after the meeting was proposed on "
        f"{long_date(proposed_on)} (SOC-5: the policy sets no deadline; this is Safecare's default)",
    )


def _proposal_title(proposal: MeetingProposal) -> str:
    parts = []
    concerns = list(proposal.concerns.order_by("received_on", "id"))
    if concerns:
        references = ", ".join(c.reference for c in concerns)
        parts.append(f"{len(concerns)} concerns within 12 months ({references})")
    overdue = proposal.actions.count()
    if overdue:
        parts.append(f"{overdue} agreed action{'' if overdue == 1 else 's'} overdue")
    title = "Decide on a standards of care meeting: " + "; ".join(parts)
    return title if len(title) <= 200 else title[:199] + "…"


def meeting_proposals(
    *, household: Household, today: dt.date, actor: User | None = None
) -> MeetingProposal | None:
    """SOC-5: propose a meeting when 3 standards of care concerns fall within 12 months, or an
    agreed action is overdue. Idempotent: one open proposal per household gathers them all.

    Returns the household's open proposal, if there is one. Runs inside the caller's transaction.
    """
    window = three_concerns_within_12_months(household, today)
    overdue = list(
        overdue_actions(today)
        .filter(Q(visit__household=household) | Q(meeting__household=household))
        .exclude(proposals__decided_at__isnull=False)
        .order_by("due_on", "id")
    )
    proposal = (
        MeetingProposal.objects.select_for_update()
        .filter(household=household, decided_at__isnull=True)
        .first()
    )
    if not window and not overdue:
        return proposal
    service = household.service
    if proposal is None:
        proposal = MeetingProposal(service=service, household=household, proposed_on=today)
        save_as(proposal, actor)
    have_concerns = set(proposal.concerns.values_list("pk", flat=True))
    have_actions = set(proposal.actions.values_list("pk", flat=True))
    new_concerns = [c for c in window if c.pk not in have_concerns]
    new_actions = [a for a in overdue if a.pk not in have_actions]
    if new_concerns:
        proposal.concerns.add(*new_concerns)
    if new_actions:
        proposal.actions.add(*new_actions)
    flags = {
        "three_concerns": proposal.three_concerns or bool(window),
        "overdue": proposal.overdue or bool(overdue),
    }
    changed = [name for name, value in flags.items() if getattr(proposal, name) != value]
    for name in changed:
        setattr(proposal, name, flags[name])
    deadline = meeting_decision_deadline(service, proposal.proposed_on)
    task = task_open(
        service=service,
        rule_id="SOC-5",
        kind=MEETING_DECISION,
        title=_proposal_title(proposal),
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=_manager_owner(service),
        household=household,
        actor=actor,
    )
    if new_concerns or new_actions:
        title = _proposal_title(proposal)
        if task.title != title:
            task.title = title
            save_as(task, actor, update_fields=["title"])
    if proposal.task_id != task.pk:
        proposal.task = task
        changed.append("task")
    if changed:
        save_as(proposal, actor, update_fields=changed)
    notify(
        service=service,
        household=household,
        recipients=fostering_managers(service),
        kind="soc_meeting_proposed",
        subject=SUBJECTS["SOC-5"],
        reference=task.reference,
        url=_task_url(task),
        dedupe_key=f"standards:proposal:{proposal.pk}",
        rule_id="SOC-5",
        task=task,
    )
    return proposal


def check_overdue_actions(today: dt.date) -> list[MeetingProposal]:
    """SOC-5, daily: propose a meeting for every household with an agreed action overdue.

    For the scheduled job to call once a day; each household in a transaction of its own,
    so one failing leaves the others done. Running it twice the same day changes nothing.
    """
    # An action agreed at a visit (SOC-4) or set by a meeting's outcome (SOC-10).
    pending = overdue_actions(today).exclude(proposals__decided_at__isnull=False)
    households = Household.objects.filter(
        Q(pk__in=pending.values("visit__household")) | Q(pk__in=pending.values("meeting__household"))
    ).order_by("pk")
    proposals = []
    for household in households:
        with transaction.atomic():
            proposal = meeting_proposals(household=household, today=today)
        if proposal is not None:
            proposals.append(proposal)
    return proposals


@transaction.atomic
def proposal_decide(
    *, actor: User, proposal: MeetingProposal, convene: bool | None, reasons: str
) -> MeetingProposal:
    """SOC-5: the fostering manager decides whether to convene the meeting, with reasons."""
    _require(actor, "standards.decide_meeting")
    locked = (
        MeetingProposal.objects.select_for_update()
        .filter(pk=proposal.pk, household__in=soc_households_visible_to(actor))
        .first()
    )
    if locked is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if locked.decided:
        _add(errors, "convene", "Convene a standards of care meeting: already decided (SOC-5)")
    elif convene is None:
        _add(errors, "convene", "Convene a standards of care meeting: answer yes or no (SOC-5)")
    if not reasons.strip():
        _add(errors, "decision_reasons", "Reasons: say why (SOC-5)")
    if errors:
        raise ValidationError(errors)
    locked.convene = convene
    locked.decision_reasons = reasons.strip()
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    save_as(locked, actor, update_fields=["convene", "decision_reasons", "decided_by", "decided_at"])
    tasks_close(actor=actor, service=locked.service, kind=MEETING_DECISION, household=locked.household)
    if convene:
        _open_support_referral(actor=actor, proposal=locked)
    return locked


# SOC-6: support for the carer ------------------------------------------------------------------

SUPPORT_REFERRAL_WORKING_DAYS = 2


def support_referral_deadline(service: FosteringService, decided_on: dt.date) -> Deadline:
    """SOC-6: the SSW refers the carer within 2 working days of the decision to meet (day 0)."""
    return working_days_after(
        service,
        decided_on,
        SUPPORT_REFERRAL_WORKING_DAYS,
        event="the decision to hold a standards of care meeting",
        rule_id="SOC-6",
    )


def _open_support_referral(*, actor: User, proposal: MeetingProposal) -> Task:
    household = proposal.household
    decided_at = proposal.decided_at or timezone.now()
    deadline = support_referral_deadline(proposal.service, timezone.localdate(decided_at))
    return task_open(
        service=proposal.service,
        rule_id="SOC-6",
        kind=SUPPORT_REFERRAL,
        title="Refer the carer to the Fostering Network for an independent support worker",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=household_worker(household),
        team=household.team,
        household=household,
        actor=actor,
    )


@transaction.atomic
def support_referral_record(
    *, actor: User, proposal: MeetingProposal, referred_on: dt.date | None = None, how: str
) -> SupportReferral:
    """SOC-6: the household's SSW records the referral; the duty closes with this record only."""
    _require(actor, "standards.record_visit")
    locked = (
        MeetingProposal.objects.select_for_update()
        .filter(pk=proposal.pk, household__in=soc_households_visible_to(actor))
        .select_related("household", "service")
        .first()
    )
    if locked is None or household_worker(locked.household) != actor:
        raise PermissionDenied
    today = timezone.localdate()
    referred_on = referred_on or today
    errors: dict[str, list[str]] = {}
    if not locked.convene:
        _add(errors, "proposal", "Meeting: SOC-6 a referral follows a decision to hold the meeting")
    elif SupportReferral.objects.filter(proposal=locked).exists():
        _add(errors, "proposal", "Meeting: SOC-6 the referral is already recorded")
    if referred_on > today:
        _add(errors, "referred_on", "Date of the referral: cannot be in the future")
    if not how.strip():
        _add(errors, "how", "How the referral was made: say how the carer was referred (SOC-6)")
    if errors:
        raise ValidationError(errors)
    referral = SupportReferral(
        service=locked.service,
        household=locked.household,
        proposal=locked,
        referred_on=referred_on,
        how=how.strip(),
        recorded_by=actor,
    )
    save_as(referral, actor)
    tasks_close(actor=actor, service=locked.service, kind=SUPPORT_REFERRAL, household=locked.household)
    return referral


# SOC-7, SOC-9: the meeting ---------------------------------------------------------------------

CHAIR_CLEAR_WORKING_DAYS = 5
CARER_CALENDAR_DAYS = 10
MINUTES_WEEKS = 3


@dataclass(frozen=True)
class ReportNotice:
    """SOC-7: the latest days the report can be sent for a meeting on `meets_on`."""

    meets_on: dt.date
    chair_by: dt.date
    carer_by: dt.date

    @property
    def latest(self) -> dt.date:
        return min(self.chair_by, self.carer_by)


def report_notice(service: FosteringService, meets_on: dt.date) -> ReportNotice:
    """At least 5 clear working days before, to the chair; at least 10 calendar days before, to the carer."""
    return ReportNotice(
        meets_on=meets_on,
        chair_by=service.calendar().latest_send_date(meets_on, CHAIR_CLEAR_WORKING_DAYS),
        carer_by=latest_date_calendar_days_before(meets_on, CARER_CALENDAR_DAYS),
    )


def notice_problem(notice: ReportNotice, today: dt.date) -> str:
    """Why a meeting on this date leaves no room for the report's notice; empty when it does."""
    if today <= notice.latest:
        return ""
    return (
        f"Date of the meeting: SOC-7 the report must reach the chair by {long_date(notice.chair_by)} "
        f"(5 clear working days before) and the carer by {long_date(notice.carer_by)} (10 calendar days "
        "before); choose a later date"
    )


def minutes_deadline(meets_on: dt.date) -> Deadline:
    """SOC-9: the chair sends the minutes within 3 weeks of the meeting."""
    return calendar_days_after(
        meets_on, MINUTES_WEEKS * 7, event="the standards of care meeting", rule_id="SOC-9"
    )


def _chairs(service: FosteringService) -> list[User]:
    return fostering_managers(service)


def _arrangeable(actor: User) -> QuerySet[MeetingProposal]:
    """The proposals the actor may arrange a meeting for: the SoC readers' own, or, for business
    support, those they were asked to arrange (SOC-8)."""
    if actor.role == Role.BUSINESS_SUPPORT:
        return MeetingProposal.objects.filter(
            arrangement__business_support=actor, service_id=actor.service_id
        )
    return MeetingProposal.objects.filter(household__in=soc_households_visible_to(actor))


@transaction.atomic
def meeting_arrange(
    *, actor: User, proposal: MeetingProposal, meets_on: dt.date | None, place: str, chair: User | None
) -> Meeting:
    """SOC-7, SOC-8: the meeting's date, place and chair; the date leaves room for the report's notice.

    Business support arranges the meetings they are asked to (SOC-8); the SSW and the
    fostering managers may too. Arranging opens the duties that follow from the date:
    the invitations (SOC-8), the report, its QA and its sending to the chair and the carer
    (SOC-7), the outcome (SOC-10) and the minutes, 3 weeks after the meeting (SOC-9).
    """
    if not (actor.has_perm("standards.arrange_meeting") or actor.role == Role.BUSINESS_SUPPORT):
        raise PermissionDenied
    locked = (
        MeetingProposal.objects.select_for_update()
        .filter(pk=proposal.pk, pk__in=_arrangeable(actor).values("pk"))
        .select_related("household", "service")
        .first()
    )
    if locked is None:
        raise PermissionDenied
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not locked.convene:
        _add(errors, "proposal", "Meeting: SOC-7 a meeting is arranged after the decision to hold it")
    elif Meeting.objects.filter(proposal=locked).exists():
        _add(errors, "proposal", "Meeting: SOC-7 this meeting is already arranged")
    if meets_on is None:
        _add(errors, "meets_on", "Date of the meeting: enter the date (SOC-7)")
    elif problem := notice_problem(report_notice(locked.service, meets_on), today):
        _add(errors, "meets_on", problem)
    if not place.strip():
        _add(errors, "place", "Where, or how to join: say where the meeting is held (SOC-8)")
    if chair is None or chair not in _chairs(locked.service):
        _add(errors, "chair", "Chair: SOC-7 the meeting is chaired by a fostering manager of the service")
    if errors or meets_on is None or chair is None:
        raise ValidationError(errors)
    meeting = Meeting(
        service=locked.service,
        household=locked.household,
        proposal=locked,
        meets_on=meets_on,
        place=place.strip(),
        chair=chair,
        arranged_by=actor,
    )
    save_as(meeting, actor)
    household = locked.household
    tasks_close(actor=actor, service=locked.service, kind=ARRANGE, household=household)
    _open_meeting_duties(actor=actor, meeting=meeting)
    return meeting


def _open_meeting_duties(*, actor: User, meeting: Meeting, only: set[str] | None = None) -> None:
    """The duties a meeting's date sets (SOC-7 to SOC-10), each due on the date the rule gives.

    `only` names the duties to open when the meeting moves: those still open on the old date.
    """
    household = meeting.household
    service = meeting.service
    notice = report_notice(service, meeting.meets_on)
    ssw = household_worker(household)
    arranger = meeting.arranged_by
    basis_chair = f"SOC-7: 5 clear working days before the meeting on {long_date(meeting.meets_on)}"
    basis_carer = f"SOC-7: 10 calendar days before the meeting on {long_date(meeting.meets_on)}"
    basis_latest = basis_chair if notice.latest == notice.chair_by else basis_carer
    duties = (
        (
            INVITATIONS,
            "SOC-8",
            "Send the invitations to the standards of care meeting, with the procedure, the "
            "confidentiality agreement and the code of conduct",
            notice.latest,
            basis_latest,
            arranger,
        ),
        (
            REPORT,
            "SOC-7",
            "Write the standards of care meeting report and submit it for QA",
            notice.latest,
            basis_latest,
            ssw,
        ),
        (
            REPORT_QA,
            "SOC-7",
            "QA the standards of care meeting report",
            notice.latest,
            basis_latest,
            _team_manager(household),
        ),
        (
            REPORT_TO_CHAIR,
            "SOC-7",
            "Send the QA'd meeting report to the chair",
            notice.chair_by,
            basis_chair,
            ssw,
        ),
        (
            REPORT_TO_CARER,
            "SOC-7",
            "Send the QA'd meeting report to the carer",
            notice.carer_by,
            basis_carer,
            ssw,
        ),
        (
            OUTCOME,
            "SOC-10",
            "Record the outcome of the standards of care meeting",
            meeting.meets_on,
            f"SOC-10: the meeting on {long_date(meeting.meets_on)}",
            meeting.chair,
        ),
    )
    for kind, rule_id, title, due_on, basis, owner in duties:
        if only is not None and kind not in only:
            continue
        task_open(
            service=service,
            rule_id=rule_id,
            kind=kind,
            title=title,
            due_on=due_on,
            due_basis=basis,
            owner=owner,
            team=household.team,
            household=household,
            actor=actor,
        )
    if only is not None and MINUTES not in only:
        return
    deadline = minutes_deadline(meeting.meets_on)
    task_open(
        service=service,
        rule_id="SOC-9",
        kind=MINUTES,
        title="Send the minutes of the standards of care meeting",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=meeting.chair,
        team=household.team,
        household=household,
        actor=actor,
    )


def _team_manager(household: Household) -> User | None:
    """The fostering team manager of the household's team, who QAs the report (SOC-7)."""
    from safecare.core.models import User

    if household.team_id is None:
        return None
    return (
        User.objects.filter(team_id=household.team_id, role=Role.FOSTERING_TEAM_MANAGER, is_active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def minutes_record(*, actor: User, meeting: Meeting, sent_on: dt.date | None = None) -> Meeting:
    """SOC-9: the chair records that the minutes were sent; the duty closes with this record."""
    _require(actor, "standards.record_minutes")
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).select_related("service").first()
    if locked is None or locked.chair_id != actor.pk:
        raise PermissionDenied
    today = timezone.localdate()
    sent_on = sent_on or today
    errors: dict[str, list[str]] = {}
    if locked.minutes_sent_on is not None:
        _add(errors, "minutes_sent_on", "Date the minutes were sent: already recorded (SOC-9)")
    elif sent_on > today:
        _add(errors, "minutes_sent_on", "Date the minutes were sent: cannot be in the future")
    elif sent_on < locked.meets_on:
        _add(errors, "minutes_sent_on", "Date the minutes were sent: cannot be before the meeting (SOC-9)")
    if errors:
        raise ValidationError(errors)
    locked.minutes_sent_on = sent_on
    save_as(locked, actor, update_fields=["minutes_sent_on"])
    tasks_close(actor=actor, service=locked.service, kind=MINUTES, household=locked.household)
    return locked


# SOC-11: resignation during a process ----------------------------------------------------------

FINAL_STATUSES = frozenset({HouseholdStatus.RESIGNED, HouseholdStatus.DEREGISTERED})
RESIGNATION_CALENDAR_DAYS = 28
PANEL_TOLD_WORKING_DAYS = 5
DEREGISTER_JOB = "soc11_deregister"


def open_soc_concerns(household: Household) -> list[Concern]:
    """The concerns of the household on the standards of care route: its process is open.

    Until a process's outcome is recorded (SOC-10), every concern routed to standards of
    care counts, the reading that keeps the rule from being missed (decision 0036).
    """
    return list(
        Concern.objects.filter(household=household)
        .routed(Route.STANDARDS_OF_CARE)
        .order_by("received_on", "id")
    )


def deregistration_day(received_on: dt.date) -> dt.date:
    """SOC-11: 28 calendar days after the written resignation was received (Regulation 28(13))."""
    return received_on + dt.timedelta(days=RESIGNATION_CALENDAR_DAYS)


@transaction.atomic
def resignation_record(*, actor: User, household: Household, received_on: dt.date | None) -> Resignation:
    """SOC-11: a written resignation received during a standards of care process.

    It cannot be withdrawn or declined. The household is deregistered 28 calendar days later
    by a scheduled job; the fostering manager tells the panel of the resignation and the
    concerns; every child placed must have left by then.
    """
    from safecare.core.jobs import schedule

    _require(actor, "standards.decide_meeting")
    locked = (
        Household.objects.select_for_update()
        .filter(pk=household.pk, pk__in=soc_households_visible_to(actor).values("pk"))
        .select_related("service")
        .first()
    )
    if locked is None:
        raise PermissionDenied
    today = timezone.localdate()
    concerns = open_soc_concerns(locked)
    errors: dict[str, list[str]] = {}
    if received_on is None:
        _add(errors, "received_on", "Date the written resignation was received: enter the date (SOC-11)")
    elif received_on > today:
        _add(errors, "received_on", "Date the written resignation was received: cannot be in the future")
    if not concerns:
        _add(
            errors,
            "household",
            "Household: SOC-11 applies to a resignation during a standards of care process, and this "
            "household has none; record the resignation as a change of the household's status",
        )
    elif Resignation.objects.filter(household=locked).exists():
        _add(
            errors, "household", "Household: SOC-11 the resignation is already recorded; it cannot be changed"
        )
    if locked.status in FINAL_STATUSES:
        _add(errors, "household", "Household: it has already ended")
    if errors or received_on is None:
        raise ValidationError(errors)
    deregisters_on = deregistration_day(received_on)
    resignation = Resignation(
        service=locked.service,
        household=locked,
        received_on=received_on,
        deregisters_on=deregisters_on,
        recorded_by=actor,
    )
    save_as(resignation, actor)
    resignation.concerns.set(concerns)
    schedule(
        DEREGISTER_JOB,
        f"soc11:resignation:{resignation.pk}",
        timezone.make_aware(dt.datetime.combine(deregisters_on, dt.time.min)),
        service=locked.service,
        payload={"resignation": resignation.pk},
    )
    references = ", ".join(concern.reference for concern in concerns)
    deadline = working_days_after(
        locked.service,
        received_on,
        PANEL_TOLD_WORKING_DAYS,
        event="the written resignation was received",
        rule_id="SOC-11",
    )
    task_open(
        service=locked.service,
        rule_id="SOC-11",
        kind=PANEL_TOLD,
        title=f"Tell the fostering panel of the resignation and the standards of care concerns ({references})",
        due_on=min(deadline.due_on, deregisters_on),
        due_basis=deadline.basis,
        owner=actor,
        team=locked.team,
        household=locked,
        actor=actor,
    )
    return resignation


def resignation_withdraw(*, actor: User, resignation: Resignation) -> None:
    """SOC-11: a resignation during a standards of care process can never be withdrawn or declined."""
    raise ValidationError(
        {
            "household": [
                "Household: SOC-11 a resignation received during a standards of care process cannot be "
                "withdrawn or declined; the household is deregistered on "
                f"{long_date(resignation.deregisters_on)}, and a return needs a full new assessment"
            ]
        }
    )
