"""Standards of care pages of SOC-10 (routes in standards.urls_panel): the meeting's outcome, the
referrals to the fostering panel, the agency decision maker's decisions and the review request.

Panel members and the agency decision maker see nothing of a case but its referral: the
referral's page (the report version sent, the outcome's summary, the recommendation and
the decisions) and their lists. Every other standards of care page, and the household's
own pages, answer them 404 (standards.selectors, households.access). Each record is found
through the selectors; a user who may not act answers 404; a refusal goes back onto the
form with everything typed.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_list, log_view
from safecare.core.formtools import add_service_errors, paginate, save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.roles import Role

from . import selectors, services_panel
from .forms_panel import AdmDecisionForm, OutcomeRecordForm, RecommendationForm, ReviewRequestForm
from .models import (
    REPORT_SECTIONS,
    AdmDecision,
    ApprovalChoice,
    Meeting,
    MeetingReport,
    OutcomeKind,
    PanelReferral,
    ReviewRequest,
)
from .services import FINAL_STATUSES

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 25
DECIDED_SHOWN = 10
SECTION_LABELS = {
    name: str(MeetingReport._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    for name in REPORT_SECTIONS
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _referrals(queryset: QuerySet[PanelReferral]) -> QuerySet[PanelReferral]:
    """What a list needs of each referral to say where it stands, in a fixed number of queries."""
    return queryset.select_related("household", "recommendation", "review_request").prefetch_related(
        "adm_decisions"
    )


def _referral_url(referral: PanelReferral) -> str:
    return reverse("standards:panel_referral", kwargs={"pk": referral.pk})


# The meeting's page (standards:meeting_detail) ------------------------------------------------


def meeting_context(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    """What SOC-10 adds to the meeting's page (standards/_meeting_panel.html reads it): the
    outcome and the actions it set, where a referral to the panel stands, and the chair's
    link to record the outcome. Business support, who arrange the meeting, see none of it.
    `meeting` is as selectors.meeting_for_page read it, with its outcome and referral if the
    reader sees them."""
    outcome = selectors.part_of(meeting, "outcome")
    actions = meeting.actions_shown if outcome is not None else []  # type: ignore[attr-defined]
    referral = selectors.part_of(meeting, "panel_referral")
    today = timezone.localdate()
    return {
        "outcome": outcome,
        "outcome_actions": actions,
        "outcome_today": today,
        "outcome_may_mark_done": user.role != Role.CARER and user.has_perm("standards.record_action_done"),
        "may_record_outcome": outcome is None and services_panel.may_record_outcome(user, meeting),
        "outcome_not_yet": today < meeting.meets_on,
        "panel_referral": referral,
        "panel_referral_state": services_panel.referral_state(
            referral,
            decisions=meeting.adm_decisions_shown,  # type: ignore[attr-defined]
        )
        if referral
        else "",
    }


# SOC-10: the outcome ---------------------------------------------------------------------------

ACTION_MESSAGE = re.compile(r"^Actions: action (\d+) (.*)$")


def _add_outcome_errors(form: OutcomeRecordForm, error: ValidationError) -> None:
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
                part = "what"
                if "who does it" in said or "given only" in said:
                    part = "owner"
                elif "timescale" in said or "due after" in said:
                    part = "due_on"
                name = f"action_{row}_{part}"
                form.add_error(name if name in form.fields else None, f"Action {row} {said}")
            else:
                rest.setdefault(field, []).append(problem)
    if rest:
        add_service_errors(form, ValidationError(rest))


@GET_POST
@login_required
@once
def outcome_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.meeting_for(user, pk)
    if not services_panel.may_record_outcome(user, meeting):
        raise Http404
    meeting_url = reverse("standards:meeting_detail", kwargs={"pk": meeting.pk})
    if hasattr(meeting, "outcome"):
        messages.info(request, "The outcome of this meeting is already recorded.")
        return redirect(meeting_url)
    household = meeting.household
    log_view(request, household)  # the form names the household's carers
    form = OutcomeRecordForm(
        request.POST or None,
        owners=services_panel.action_owners(household),
        initial={"decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_panel.outcome_record(
                actor=user,
                meeting=meeting,
                kind=data["kind"],
                summary=data["summary"],
                decided_on=data["decided_on"],
                actions=form.actions(),
            )
        except ValidationError as error:
            _add_outcome_errors(form, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            text = {
                OutcomeKind.PANEL: "The outcome is recorded and the household referred to the fostering panel.",
                OutcomeKind.ACTIONS: "The outcome and its actions are recorded.",
            }.get(data["kind"], "The outcome is recorded.")
            messages.success(request, f"{text} The carers have been told.")
            return redirect(meeting_url)
    return render(
        request,
        "standards/outcome_form.html",
        {
            "form": form,
            "meeting": meeting,
            "household": household,
            "back_url": meeting_url,
            "not_yet": timezone.localdate() < meeting.meets_on,
        },
    )


# SOC-10: the lists -----------------------------------------------------------------------------


@GET
@login_required
def panel_list(request: HttpRequest) -> HttpResponse:
    """Referrals to the panel: a panel member's are every referral of the service; the readers
    of the standards of care records see those of their households."""
    user = _user(request)
    if not (user.has_perm("standards.record_recommendation") or user.has_perm("standards.view_concerns")):
        raise Http404
    referrals = _referrals(selectors.panel_referrals_visible_to(user)).order_by("-referred_on", "-id")
    page, querystring = paginate(request, referrals, PAGE_SIZE)
    for referral in page:
        referral.state = services_panel.referral_state(referral)
    log_list(request, PanelReferral, [referral.pk for referral in page])
    return render(
        request,
        "standards/panel_list.html",
        {"page_obj": page, "querystring": querystring, "is_panel": user.role == Role.PANEL_MEMBER},
    )


def waiting_for_adm(queryset: QuerySet[PanelReferral]) -> QuerySet[PanelReferral]:
    """Referrals with a decision for the ADM to make: the first, or the one after a review."""
    first = AdmDecision.objects.filter(referral=OuterRef("pk"), after_review=False)
    later = AdmDecision.objects.filter(referral=OuterRef("pk"), after_review=True)
    review = ReviewRequest.objects.filter(referral=OuterRef("pk"))
    return queryset.filter(~Exists(first) | (Exists(review) & ~Exists(later)))


@GET
@login_required
def adm_list(request: HttpRequest) -> HttpResponse:
    """Decisions to make: the referrals the panel has recommended on, waiting for the ADM."""
    user = _user(request)
    _require(user, "standards.decide_approval")
    scope = selectors.panel_referrals_visible_to(user)
    waiting = _referrals(waiting_for_adm(scope)).order_by("referred_on", "id")
    page, querystring = paginate(request, waiting, PAGE_SIZE)
    decided = list(
        _referrals(scope.exclude(pk__in=waiting_for_adm(scope).values("pk"))).order_by("-referred_on", "-id")[
            :DECIDED_SHOWN
        ]
    )
    for referral in [*page, *decided]:
        referral.state = services_panel.referral_state(referral)
    log_list(request, PanelReferral, [referral.pk for referral in [*page, *decided]])
    return render(
        request,
        "standards/adm_list.html",
        {"page_obj": page, "querystring": querystring, "decided": decided},
    )


# SOC-10: one referral, and the forms on its page -----------------------------------------------


def report_sections(content: Any) -> list[tuple[str, str]]:
    """The sections of a frozen report version in the procedure's order, as (label, text)."""
    sections = content.get("sections", {}) if isinstance(content, dict) else {}
    if not isinstance(sections, dict):
        sections = {}
    return [(SECTION_LABELS[name], str(sections.get(name) or "")) for name in REPORT_SECTIONS]


def _referral_context(user: User, referral: PanelReferral, **forms: Any) -> dict[str, Any]:
    outcome = selectors.outcomes_visible_to(user).filter(meeting_id=referral.meeting_id).first()
    recommendation = selectors.recommendations_visible_to(user).filter(referral=referral).first()
    decisions = {
        decision.after_review: decision
        for decision in selectors.adm_decisions_visible_to(user)
        .filter(referral=referral)
        .select_related("decided_by")
    }
    review = selectors.review_requests_visible_to(user).filter(referral=referral).first()
    version = (
        selectors.report_versions_visible_to(user)
        .filter(report__meeting_id=referral.meeting_id, sendings__isnull=False)
        .order_by("-number")
        .first()
    )
    first = decisions.get(False)
    content = version.content if version is not None else {}
    may_recommend = user.has_perm("standards.record_recommendation") and recommendation is None
    may_decide = user.has_perm("standards.decide_approval") and (
        False not in decisions or (review is not None and True not in decisions)
    )
    may_request_review = (
        user.has_perm("standards.record_review_request")
        and review is None
        and first is not None
        and first.decision != ApprovalChoice.CONTINUE
        and referral.household.status not in FINAL_STATUSES
    )
    today = timezone.localdate()
    if may_recommend and "recommend_form" not in forms:
        forms["recommend_form"] = RecommendationForm(initial={"panel_on": today})
    if may_decide and "decide_form" not in forms:
        forms["decide_form"] = AdmDecisionForm(initial={"decided_on": today})
    if may_request_review and "review_form" not in forms:
        forms["review_form"] = ReviewRequestForm(initial={"received_on": today})
    # The error summary reads `form`: the one that was sent back, if any.
    sent_back = next((form for form in forms.values() if form.is_bound), None)
    return {
        "referral": referral,
        "household": referral.household,
        "state": services_panel.referral_state(referral),
        "outcome": outcome,
        "recommendation": recommendation,
        "first_decision": first,
        "later_decision": decisions.get(True),
        "review": review,
        "deregisters_on": services_panel.deregistration_day(first.decided_on)
        if first is not None and first.decision == ApprovalChoice.DEREGISTER
        else None,
        "version": version,
        "sections": report_sections(content),
        "chronology": content.get("chronology", []) if isinstance(content, dict) else [],
        "meeting_visible": selectors.meetings_visible_to(user).filter(pk=referral.meeting_id).exists(),
        "after_review": first is not None,
        "form": sent_back,
        **forms,
    }


def _referral(user: User, pk: int) -> PanelReferral:
    return selectors.panel_referral_for(user, pk)


@GET
@login_required
def panel_referral(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral(user, pk)
    log_view(request, referral.household)
    return render(request, "standards/panel_referral.html", _referral_context(user, referral))


@GET_POST
@login_required
@once
def panel_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral(user, pk)
    _require(user, "standards.record_recommendation")
    log_view(request, referral.household)
    form = RecommendationForm(request.POST or None, initial={"panel_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = save_or_refuse(
            form,
            None,
            lambda: services_panel.recommendation_record(
                actor=user,
                referral=referral,
                recommendation=data["recommendation"],
                reasons=data["reasons"],
                panel_on=data["panel_on"],
            ),
        )
        if recorded is not None:
            messages.success(
                request,
                f"The panel's recommendation on {referral.reference} is recorded and sent to the agency "
                "decision maker.",
            )
            return redirect(_referral_url(referral))
    return render(
        request, "standards/panel_referral.html", _referral_context(user, referral, recommend_form=form)
    )


@GET_POST
@login_required
@once
def adm_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral(user, pk)
    _require(user, "standards.decide_approval")
    log_view(request, referral.household)
    form = AdmDecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The first decision, or, once it is made, the decision after the review (SOC-10).
        after_review = services_panel.first_decision(referral) is not None
        made = save_or_refuse(
            form,
            None,
            lambda: services_panel.adm_decide(
                actor=user,
                referral=referral,
                decision=data["decision"],
                reasons=data["reasons"],
                decided_on=data["decided_on"],
                after_review=after_review,
            ),
        )
        if made is not None:
            messages.success(request, f"Your decision on {referral.reference} is recorded.")
            return redirect(_referral_url(referral))
    return render(
        request, "standards/panel_referral.html", _referral_context(user, referral, decide_form=form)
    )


@GET_POST
@login_required
@once
def review_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral(user, pk)
    _require(user, "standards.record_review_request")
    log_view(request, referral.household)
    form = ReviewRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = save_or_refuse(
            form,
            None,
            lambda: services_panel.review_request_record(
                actor=user, referral=referral, received_on=data["received_on"], note=data["note"]
            ),
        )
        if recorded is not None:
            messages.success(
                request,
                "The carer's request for an independent review is recorded. The approval does not end "
                "until the agency decision maker decides after the review.",
            )
            return redirect(_referral_url(referral))
    return render(
        request, "standards/panel_referral.html", _referral_context(user, referral, review_form=form)
    )
