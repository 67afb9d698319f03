"""Standards of care pages: the visit record signed, shared and printed (SOC-4); a meeting on the
fostering manager's own grounds (SOC-5); the support referral (SOC-6); the resignation (SOC-11).

Routes in standards.urls_visit. Each page finds its record through the standards selectors
(404 when out of scope), checks the action permission (also 404), calls one service and
puts a refusal back onto the form with everything typed. Carers read the visit record only
once it is shared, and sign it there; they never download it (PH-1: documents the service
gives carers are not kept on their devices).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.formtools import save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.pdf import pdf_response, render_pdf
from safecare.core.roles import Role
from safecare.households.models import Household
from safecare.households.selectors import household_worker

from . import selectors, services, services_visit
from .forms_visit import MeetingGroundsForm, ResignationForm, SupportReferralForm, VisitSignForm
from .models import Meeting, MeetingProposal, Resignation, SupportReferral, Visit, VisitAction

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])
# A household has few proposals; the support page lists the latest this many.
SUPPORT_LIST_SIZE = 50


def meeting_context(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    """What this part adds to the meeting's page (standards/_meeting_visit.html reads it)."""
    return {}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _soc_household(user: User, pk: int) -> Household:
    return get_object_or_404(selectors.soc_households_visible_to(user), pk=pk)


# SOC-4: the visit record signed and shared -------------------------------------------------------


def visit_record_context(user: User, visit: Visit) -> dict[str, Any]:
    """The record as shown and signed, its signatures checked, and what this reader may do."""
    signatures = services_visit.visit_signatures(visit)
    capacity = services_visit.signer_capacity(visit, user)
    broken = any(not getattr(s, "intact", False) for s in signatures)
    signed = any(s.signer_id == user.pk for s in signatures)
    may_sign = (
        capacity is not None
        and not signed
        and not broken
        and (capacity == services_visit.AS_SSW) == (visit.shared_at is None)
    )
    shared = visit.shared_at is not None
    return {
        "visit": visit,
        "household": visit.household,
        "standards": visit.standards.order_by("number", "id"),
        "actions": VisitAction.objects.filter(visit=visit).select_related("owner").order_by("due_on", "id"),
        "signatures": signatures,
        "signatures_broken": broken,
        "capacity": capacity,
        "may_sign": may_sign,
        "shares": capacity == services_visit.AS_SSW,
        "shared": shared,
        "share_due_on": services.share_deadline(visit.service, visit.visited_on).due_on,
        "carers_to_sign": services_visit.carers_to_sign(visit, signatures) if shared else [],
        "may_print": user.has_perm("standards.view_concerns"),
        "is_carer": user.role == Role.CARER,
        "today": timezone.localdate(),
    }


@GET_POST
@login_required
@once
def visit_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-4: the SSW signs and shares the record; then each carer of the household signs it."""
    user = _user(request)
    visit = selectors.visit_for(user, pk)
    if services_visit.signer_capacity(visit, user) is None:
        raise Http404
    log_view(request, visit.household)
    context = visit_record_context(user, visit)
    shown = services_visit.visit_hash(visit)
    form = VisitSignForm(request.POST or None, initial={"content_hash": shown}, carer=context["is_carer"])
    if request.method == "POST" and form.is_valid():
        signed = save_or_refuse(
            form,
            None,
            lambda: services_visit.visit_sign(
                actor=user,
                visit=visit,
                confirmed=form.cleaned_data["confirm"],
                shown_hash=form.cleaned_data["content_hash"] or None,
            ),
        )
        if signed is not None:
            if context["shares"]:
                messages.success(
                    request,
                    f"You have signed visit record {visit.reference} and shared it with the carers and "
                    "the fostering managers.",
                )
            else:
                messages.success(request, "Thank you. You have signed the record of your visit.")
            return redirect("standards:visit_detail", pk=visit.pk)
    return render(request, "standards/visit_sign.html", {**context, "form": form})


@GET
@login_required
def visit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-4 and rules: Everywhere: the visit record printed, for the household's side only."""
    user = _user(request)
    visit = selectors.visit_for(user, pk)
    # Carers read it in Safecare and sign it there; they do not download it (PH-1).
    _require(user, "standards.view_concerns")
    log_view(request, visit.household)
    pdf = render_pdf("standards/visit_pdf.html", visit_pdf_context(visit))
    return pdf_response(pdf, f"{visit.reference}.pdf")


def visit_pdf_context(visit: Visit) -> dict[str, Any]:
    return {
        "service": visit.service,
        "visit": visit,
        "household": visit.household,
        "concern": visit.concern,
        "standards": list(visit.standards.order_by("number", "id")),
        "actions": list(
            VisitAction.objects.filter(visit=visit).select_related("owner").order_by("due_on", "id")
        ),
        "signatures": services_visit.visit_signatures(visit),
        "printed_at": timezone.now(),
    }


# SOC-5: a meeting on the manager's own grounds ---------------------------------------------------


@GET_POST
@login_required
@once
def propose_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = _soc_household(user, pk)
    _require(user, "standards.propose_meeting")
    log_view(request, household)
    offered = [c.pk for c in services_visit.grounds_concerns(household)]
    choices = household.soc_concerns.filter(pk__in=offered).order_by("received_on", "id")
    form = MeetingGroundsForm(request.POST or None, concerns=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = save_or_refuse(
            form,
            None,
            lambda: services_visit.meeting_grounds_propose(
                actor=user,
                household=household,
                pattern=data["pattern"],
                refused_plan=data["refused_plan"],
                significant=data["significant"],
                reasons=data["grounds_reasons"],
                concerns=list(data["concerns"]),
            ),
        )
        if proposal is not None:
            messages.success(
                request,
                f"Meeting {proposal.reference} is to be convened. The supervising social worker refers the "
                "carer for independent support within 2 working days.",
            )
            return redirect("standards:proposal_detail", pk=proposal.pk)
    waiting = MeetingProposal.objects.filter(household=household, decided_at__isnull=True).first()
    return render(
        request,
        "standards/propose_meeting.html",
        {
            "form": form,
            "household": household,
            "waiting": waiting,
            "convened": services_visit.open_meeting(household),
            "back_url": reverse("standards:household_list", kwargs={"pk": household.pk}),
        },
    )


# SOC-6 and SOC-11: support for the carer, and a resignation ----------------------------------------


@GET
@login_required
def support_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The meetings decided on for the household, each with its support referral (SOC-6), and
    a resignation received during the process (SOC-11). A fixed number of queries."""
    user = _user(request)
    household = _soc_household(user, pk)
    log_view(request, household)
    convened: list[Any] = list(
        selectors.proposals_visible_to(user)
        .filter(household=household, convene=True)
        .select_related("decided_by")
        .prefetch_related(Prefetch("concerns", queryset=household.soc_concerns.order_by("received_on", "id")))
        .order_by("-decided_at", "-id")[:SUPPORT_LIST_SIZE]
    )
    referrals = {
        r.proposal_id: r
        for r in SupportReferral.objects.filter(proposal__in=[p.pk for p in convened]).select_related(
            "recorded_by"
        )
    }
    worker = household_worker(household)
    for proposal in convened:
        proposal.referral = referrals.get(proposal.pk)
        proposal.may_refer = proposal.referral is None and worker == user
    resignation = Resignation.objects.filter(household=household).select_related("recorded_by").first()
    return render(
        request,
        "standards/support_list.html",
        {
            "household": household,
            "convened": convened,
            "resignation": resignation,
            "may_resign": resignation is None and user.has_perm("standards.decide_meeting"),
            "may_propose": user.has_perm("standards.propose_meeting"),
        },
    )


@GET_POST
@login_required
@once
def support_create(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-6: the household's SSW records the referral to the Fostering Network."""
    user = _user(request)
    proposal = selectors.proposal_for(user, pk)
    household = proposal.household
    if household_worker(household) != user:
        raise Http404
    log_view(request, household)
    form = SupportReferralForm(request.POST or None, initial={"referred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        referral = save_or_refuse(
            form,
            None,
            lambda: services.support_referral_record(
                actor=user,
                proposal=proposal,
                referred_on=form.cleaned_data["referred_on"],
                how=form.cleaned_data["how"],
            ),
        )
        if referral is not None:
            messages.success(request, "The referral for independent support is recorded.")
            return redirect("standards:support_list", pk=household.pk)
    return render(
        request,
        "standards/support_form.html",
        {
            "form": form,
            "household": household,
            "proposal": proposal,
            "deadline": services.support_referral_deadline(
                proposal.service, timezone.localdate(proposal.decided_at or timezone.now())
            ),
            "back_url": reverse("standards:support_list", kwargs={"pk": household.pk}),
        },
    )


@GET_POST
@login_required
@once
def resignation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-11: a fostering manager records the carer's written resignation."""
    user = _user(request)
    household = _soc_household(user, pk)
    _require(user, "standards.decide_meeting")
    log_view(request, household)
    form = ResignationForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        resignation = save_or_refuse(
            form,
            None,
            lambda: services.resignation_record(
                actor=user, household=household, received_on=form.cleaned_data["received_on"]
            ),
        )
        if resignation is not None:
            messages.success(request, "The resignation is recorded.")
            return redirect("standards:resignation_detail", pk=resignation.pk)
    return render(
        request,
        "standards/resignation_form.html",
        {
            "form": form,
            "household": household,
            "concerns": services.open_soc_concerns(household),
            "back_url": reverse("standards:support_list", kwargs={"pk": household.pk}),
        },
    )


@GET
@login_required
def resignation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-11: the resignation, the day it deregisters the household, and that it cannot be
    withdrawn or declined (a page that says so; there is nothing to press)."""
    user = _user(request)
    resignation = get_object_or_404(
        Resignation.objects.filter(household__in=selectors.soc_households_visible_to(user)).select_related(
            "household", "recorded_by"
        ),
        pk=pk,
    )
    log_view(request, resignation.household)
    return render(
        request,
        "standards/resignation_detail.html",
        {
            "resignation": resignation,
            "household": resignation.household,
            "concerns": resignation.concerns.order_by("received_on", "id"),
        },
    )
