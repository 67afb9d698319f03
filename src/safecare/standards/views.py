"""Pages of the standards of care procedure (SOC-1 to SOC-5).

Each view finds its record through the standards selectors (404 when out of scope: a
child's social worker sees the household but none of these records), checks the action
permission (also 404), parses the form, calls one service and puts a refusal back onto
the form with everything typed. Carers read only the visits about their household and
the actions agreed at them, never the concern, who raised it or the route.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.formtools import add_service_errors, paginate, save_or_refuse
from safecare.core.models import Task, User
from safecare.core.once import once
from safecare.core.roles import Role
from safecare.households import selectors as household_selectors
from safecare.households.models import Allocation, Child, Household, HouseholdMember, MemberKind, Placement

from . import selectors, services
from .duties import MEETING_DECISION, ROUTE_DECISION, VISIT, VISIT_SHARE
from .forms import ActionDoneForm, ConcernForm, OutcomeForm, ProposalDecisionForm, RouteForm, VisitForm
from .models import (
    ALLEGATION_ROUTES,
    AllegationOutcome,
    AllegationResult,
    Concern,
    NationalMinimumStandard,
    Route,
    RouteDecision,
    Visit,
    VisitAction,
)

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 25
SOC_TASKS = (ROUTE_DECISION, VISIT, VISIT_SHARE, MEETING_DECISION)
ROUTE_LABELS = dict(Route.choices)
OUTCOME_LABELS = dict(AllegationOutcome.choices)
QUESTION_LABELS = {
    name: str(RouteDecision._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    for name in services.QUESTION_FIELDS
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _soc_household(user: User, pk: int) -> Household:
    """A household whose standards of care records the user reads in full, else 404."""
    return get_object_or_404(selectors.soc_households_visible_to(user), pk=pk)


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "standards/form.html", {"form": form, **context})


def _concern_url(concern: Concern) -> str:
    return reverse("standards:concern_detail", kwargs={"pk": concern.pk})


def status_of(route: str | None, visited: bool, outcome: str | None) -> str:
    """Where a concern stands, in a few words, from its current route."""
    if route is None:
        return "Route to decide"
    if route in ALLEGATION_ROUTES:
        return f"Allegation outcome: {OUTCOME_LABELS[outcome]}" if outcome else "With the LADO"
    if route == Route.STANDARDS_OF_CARE:
        return "Visited" if visited else "Visit due"
    if route == Route.COMPLAINTS:
        return "With the complaints procedure"
    return "Closed: no further action"


# The household's standards of care (SOC-1 to SOC-5) ---------------------------------------------


@GET
@login_required
def household_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = _soc_household(user, pk)
    log_view(request, household)
    concerns = (
        Concern.objects.filter(household=household)
        .with_route()
        .annotate(
            visited=Exists(Visit.objects.filter(concern=OuterRef("pk"))),
            outcome=Subquery(AllegationResult.objects.filter(concern=OuterRef("pk")).values("outcome")[:1]),
        )
        .order_by("-received_on", "-id")
    )
    page, querystring = paginate(request, concerns, PAGE_SIZE)
    for concern in page:
        concern.route_label = ROUTE_LABELS.get(concern.current_route, "Not decided yet")
        concern.status = status_of(concern.current_route, concern.visited, concern.outcome)
    proposals = list(
        selectors.proposals_visible_to(user).filter(household=household).order_by("-proposed_on", "-id")[:10]
    )
    return render(
        request,
        "standards/household.html",
        {
            "household": household,
            "page_obj": page,
            "querystring": querystring,
            "proposals": proposals,
            "may_record": user.has_perm("standards.record_concern"),
        },
    )


# SOC-1: a concern ------------------------------------------------------------------------------


def _placed_children(household: Household) -> QuerySet[Child]:
    placed = Placement.objects.current(timezone.localdate()).filter(household=household).values("child_id")
    return Child.objects.filter(pk__in=placed).order_by("first_name", "id")


@GET_POST
@login_required
@once
def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    _require(user, "standards.record_concern")
    log_view(request, household)  # the form names the children placed there
    form = ConcernForm(request.POST or None, children=_placed_children(household))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concern = save_or_refuse(
            form,
            None,
            lambda: services.concern_record(
                actor=user,
                household=household,
                raised_by_kind=data["raised_by_kind"],
                raised_by=data["raised_by"],
                received_on=data["received_on"],
                details=data["details"],
                children=list(data.get("children") or []),
            ),
        )
        if concern is not None:
            messages.success(
                request, f"Concern {concern.reference} recorded. The fostering managers have been alerted."
            )
            if selectors.concerns_visible_to(user).filter(pk=concern.pk).exists():
                return redirect("standards:concern_detail", pk=concern.pk)
            # A child's social worker records a concern but does not read the procedure's records.
            return redirect("households:detail", pk=household.pk)
    return _form_page(
        request,
        form,
        household=household,
        title="Record a standards of care concern",
        caption="SOC-1",
        lead="Record what the service was told about the carers' practice. The supervising social worker "
        "and the fostering managers are alerted at once, and a fostering manager decides its route today.",
        back_url=reverse("households:detail", kwargs={"pk": household.pk}),
        submit="Record the concern",
    )


@GET
@login_required
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    concern = selectors.concern_for(user, pk)
    log_view(request, concern.household)
    decisions: list[Any] = list(
        concern.route_decisions.select_related("decided_by").order_by("-decided_at", "-id")
    )
    for decision in decisions:
        decision.answers = [
            (QUESTION_LABELS[name], getattr(decision, name)) for name in services.QUESTION_FIELDS
        ]
    route = decisions[0].route if decisions else None
    result = AllegationResult.objects.filter(concern=concern).select_related("recorded_by").first()
    visit = (
        Visit.objects.filter(concern=concern)
        .select_related("recorded_by")
        .prefetch_related("standards", Prefetch("actions", VisitAction.objects.select_related("owner")))
        .first()
    )
    tasks = Task.objects.filter(household=concern.household, kind__in=SOC_TASKS).order_by(
        "-status", "-due_on"
    )[:20]
    return render(
        request,
        "standards/concern_detail.html",
        {
            "concern": concern,
            "household": concern.household,
            "children": concern.children.order_by("first_name", "id"),
            "decisions": decisions,
            "route_label": ROUTE_LABELS.get(route or "", "Not decided yet"),
            "status": status_of(route, visit is not None, result.outcome if result else None),
            "result": result,
            "visit": visit,
            "tasks": tasks,
            "today": timezone.localdate(),
            "may_decide": user.has_perm("standards.decide_route"),
            "may_record_outcome": user.has_perm("standards.record_allegation_outcome")
            and route in ALLEGATION_ROUTES
            and result is None,
            "may_record_visit": user.has_perm("standards.record_visit")
            and route == Route.STANDARDS_OF_CARE
            and visit is None,
            "may_mark_done": user.has_perm("standards.record_action_done"),
        },
    )


# SOC-2, SOC-3: the route -----------------------------------------------------------------------


@GET_POST
@login_required
@once
def route_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    concern = selectors.concern_for(user, pk)
    _require(user, "standards.decide_route")
    log_view(request, concern.household)
    form = RouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = save_or_refuse(
            form, None, lambda: services.route_decide(actor=user, concern=concern, **form.answers())
        )
        if decision is not None:
            messages.success(request, f"The route of {concern.reference} is {ROUTE_LABELS[decision.route]}.")
            return redirect("standards:concern_detail", pk=concern.pk)
    current = concern.route
    return _form_page(
        request,
        form,
        household=concern.household,
        concern=concern,
        title=f"Decide the route of concern {concern.reference}",
        caption="SOC-2",
        lead="Answer each question yes or no. A route already decided is changed by a new decision; "
        "the earlier one stays on record." + (f" Its route now: {ROUTE_LABELS[current]}." if current else ""),
        back_url=_concern_url(concern),
        submit="Save the route",
    )


@GET_POST
@login_required
@once
def outcome_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    concern = selectors.concern_for(user, pk)
    _require(user, "standards.record_allegation_outcome")
    log_view(request, concern.household)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = save_or_refuse(
            form,
            None,
            lambda: services.allegation_outcome_record(actor=user, concern=concern, **form.cleaned_data),
        )
        if result is not None:
            messages.success(request, f"The allegation's outcome for {concern.reference} is recorded.")
            return redirect("standards:concern_detail", pk=concern.pk)
    return _form_page(
        request,
        form,
        household=concern.household,
        concern=concern,
        title=f"Record the allegation's outcome for {concern.reference}",
        caption="SOC-3",
        lead="What the LADO's investigation found. It is recorded once and never changed. "
        "With no evidence of harm, this concern can never take the standards of care route.",
        back_url=_concern_url(concern),
        submit="Record the outcome",
    )


# SOC-4: the visit ------------------------------------------------------------------------------


def _action_owners(household: Household, actor: User) -> QuerySet[User]:
    """Who an action may be given to: the household's carers now, its allocated workers, the SSW recording."""
    today = timezone.localdate()
    carers = HouseholdMember.objects.filter(
        household=household, kind=MemberKind.CARER, user__isnull=False
    ).filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=today))
    workers = Allocation.objects.current().filter(household=household).values("worker_id")
    return User.objects.filter(
        Q(pk__in=carers.values("user_id")) | Q(pk__in=workers) | Q(pk=actor.pk), is_active=True
    ).order_by("role", "first_name", "last_name", "id")


ACTION_MESSAGE = re.compile(r"^Actions: action (\d+) (.*)$")


def _add_visit_errors(form: VisitForm, error: ValidationError) -> None:
    """The service's refusals; each about an action goes next to that row's field."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    rest: dict[str, list[str]] = {}
    for field, problems in error.message_dict.items():
        for problem in problems:
            match = ACTION_MESSAGE.match(problem) if field == "actions" else None
            if field == "actions" and match is None:
                form.add_error("action_1_what", problem.removeprefix("Actions: "))
            elif match:
                row, said = match.groups()
                part = "owner" if "who does it" in said or "given only" in said else "what"
                if "timescale" in said or "due before" in said:
                    part = "due_on"
                name = f"action_{row}_{part}"
                target = name if name in form.fields else None
                form.add_error(target, f"Action {row} {said}")
            else:
                rest.setdefault(field, []).append(problem)
    if rest:
        add_service_errors(form, ValidationError(rest))


@GET_POST
@login_required
@once
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    concern = selectors.concern_for(user, pk)
    _require(user, "standards.record_visit")
    household = concern.household
    log_view(request, household)
    form = VisitForm(
        request.POST or None,
        standards=NationalMinimumStandard.objects.filter(service=household.service, active=True),
        owners=_action_owners(household, user),
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                actor=user,
                concern=concern,
                visited_on=data["visited_on"],
                standards=list(data["standards"]),
                concerns_discussed=data["concerns_discussed"],
                carer_response=data["carer_response"],
                actions=form.actions(),
            )
        except ValidationError as error:
            _add_visit_errors(form, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, f"Visit {visit.reference} recorded.")
            return redirect("standards:visit_detail", pk=visit.pk)
    return render(
        request,
        "standards/visit_form.html",
        {
            "form": form,
            "household": household,
            "concern": concern,
            "title": f"Record the standards of care visit for {concern.reference}",
            "back_url": _concern_url(concern),
        },
    )


@GET
@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = selectors.visit_for(user, pk)
    log_view(request, visit.household)
    is_carer = user.role == Role.CARER
    return render(
        request,
        "standards/visit_detail.html",
        {
            "visit": visit,
            "household": visit.household,
            "standards": visit.standards.order_by("number"),
            "actions": visit.actions.select_related("owner").order_by("due_on", "id"),
            "is_carer": is_carer,
            # Only the readers of the procedure's records see which concern it was about.
            "concern": None
            if is_carer
            else selectors.concerns_visible_to(user).filter(pk=visit.concern_id).first(),
            "may_mark_done": not is_carer and user.has_perm("standards.record_action_done"),
            "today": timezone.localdate(),
        },
    )


@GET_POST
@login_required
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    _require(user, "standards.record_action_done")
    households = selectors.soc_households_visible_to(user)
    action = get_object_or_404(
        VisitAction.objects.select_related("visit__household", "meeting__household", "owner").filter(
            Q(visit__household__in=households) | Q(meeting__household__in=households)
        ),
        pk=pk,
    )
    source = action.source
    log_view(request, source.household)
    if action.visit_id is None:
        back_url = reverse("standards:meeting_detail", kwargs={"pk": action.meeting_id})
    else:
        back_url = reverse("standards:visit_detail", kwargs={"pk": action.visit_id})
    form = ActionDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = save_or_refuse(
            form,
            None,
            lambda: services.action_done(actor=user, action=action, done_on=form.cleaned_data["done_on"]),
        )
        if done is not None:
            messages.success(request, "The action is recorded as done.")
            return redirect(back_url)
    return _form_page(
        request,
        form,
        household=source.household,
        title="Mark the action done",
        caption="SOC-4",
        lead=f"“{action.what}”, for {action.owner.display_name}, due {action.due_on:%-d %B %Y}.",
        back_url=back_url,
        submit="Mark done",
    )


@GET
@login_required
def household_visits(request: HttpRequest, pk: int) -> HttpResponse:
    """The visits about the household and the actions agreed: what a carer reads (SOC-4)."""
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    if user.role not in selectors.VISIT_READERS:
        raise Http404  # a child's social worker sees the household, not these
    visits = selectors.visits_visible_to(user)
    log_view(request, household)
    listed = list(
        visits.filter(household=household)
        .prefetch_related(
            "standards",
            Prefetch("actions", VisitAction.objects.select_related("owner").order_by("due_on", "id")),
        )
        .order_by("-visited_on", "-id")[:50]
    )
    return render(
        request,
        "standards/household_visits.html",
        {
            "household": household,
            "visits": listed,
            "is_carer": user.role == Role.CARER,
            "today": timezone.localdate(),
        },
    )


# SOC-5: a meeting proposed ---------------------------------------------------------------------


def _proposal_context(user: User, pk: int) -> dict[str, Any]:
    proposal = selectors.proposal_for(user, pk)
    concerns: list[Any] = list(
        Concern.objects.filter(proposals=proposal).with_route().order_by("received_on", "id")
    )
    for concern in concerns:
        concern.route_label = ROUTE_LABELS.get(concern.current_route, "Not decided yet")
    return {
        "proposal": proposal,
        "household": proposal.household,
        "concerns": concerns,
        "actions": proposal.actions.select_related("owner", "visit").order_by("due_on", "id"),
        "decided_by": proposal.decided_by,
    }


@GET
@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    context = _proposal_context(user, pk)
    log_view(request, context["household"])
    proposal = context["proposal"]
    context["may_decide"] = user.has_perm("standards.decide_meeting") and not proposal.decided
    return render(request, "standards/proposal_detail.html", context)


@GET_POST
@login_required
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    context = _proposal_context(user, pk)
    _require(user, "standards.decide_meeting")
    log_view(request, context["household"])
    proposal = context["proposal"]
    form = ProposalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided = save_or_refuse(
            form,
            None,
            lambda: services.proposal_decide(
                actor=user,
                proposal=proposal,
                convene=form.cleaned_data["convene"],
                reasons=form.cleaned_data["decision_reasons"],
            ),
        )
        if decided is not None:
            messages.success(request, f"The decision on {proposal.reference} is recorded.")
            return redirect("standards:proposal_detail", pk=proposal.pk)
    return render(request, "standards/proposal_decide.html", {**context, "form": form})


# SOC-7 to SOC-10: the meeting's page, where each part of the procedure shows its state -----------


@GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One standards of care meeting: date, place, chair; then the arranging and invitations
    (SOC-8), the report (SOC-7), the outcome and the panel (SOC-10), each from its own module.

    Who opens it is decided by selectors.meetings_visible_to; what each part shows for whom
    is each part's own business, from the meeting as selectors.meeting_for_page read it with
    its parts (the page's queries stay the same few whatever the meeting holds).
    """
    from . import views_meeting, views_panel, views_report, views_visit

    user = _user(request)
    meeting = selectors.meeting_for_page(user, pk)
    log_view(request, meeting.household)
    context: dict[str, Any] = {
        "meeting": meeting,
        "household": meeting.household,
        "is_carer": user.role == Role.CARER,
        "is_business_support": user.role == Role.BUSINESS_SUPPORT,
    }
    for part in (views_visit, views_meeting, views_report, views_panel):
        context.update(part.meeting_context(request, user, meeting))
    return render(request, "standards/meeting_detail.html", context)
