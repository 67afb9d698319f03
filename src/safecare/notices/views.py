"""Pages for carers' notices, care arrangements and children's risk (SC-6, SC-8, SC-9, SC-11, SC-12).

Each view finds its record through a scope (404 when out of scope), checks the
action permission (also 404: deny without revealing), parses the form, calls
one service and puts a refusal back onto the form with what the person typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.access import sees_case_content
from safecare.core.audit import log_list, log_view
from safecare.core.formtools import add_service_errors
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.roles import Role
from safecare.households import selectors as household_selectors
from safecare.households.models import Child, Household, Placement

from . import selectors, services
from .forms import (
    AcknowledgeForm,
    ArrangementForm,
    ChangeNoticeForm,
    DecisionForm,
    ImmediateNoticeForm,
    ReviewForm,
    RiskAssessmentForm,
    RiskFlagForm,
)
from .models import CareArrangement, ChildRiskFlag, RiskLevel

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _household_url(household: Household) -> str:
    return reverse("households:detail", kwargs={"pk": household.pk})


def _placed_children(household: Household) -> Any:
    today = timezone.localdate()
    placed = Placement.objects.current(today).filter(household=household).values("child_id")
    return Child.objects.filter(pk__in=placed).order_by("first_name", "id")


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "notices/form.html", {"form": form, **context})


# The household's notices -----------------------------------------------------------------------


@GET
@login_required
def household_notices(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    log_view(request, household)
    notices = selectors.household_notices(user, household, limit=100)
    return render(
        request,
        "notices/household.html",
        {
            "household": household,
            "notices": notices,
            "is_carer": user.role == Role.CARER,
            "may_send": user.has_perm("notices.send_notice"),
            "may_record_arrangement": user.has_perm("notices.record_care_arrangement"),
            "now": timezone.now(),
        },
    )


# SC-6 ------------------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def change_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    _require(user, "notices.send_notice")
    form = ChangeNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.change_notice_send(actor=user, household=household, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Thank you. Your supervising social worker has been told ({notice.reference})."
            )
            return redirect("notices:change_detail", pk=notice.pk)
    return _form_page(
        request,
        form,
        household=household,
        title="Tell us about a change in your household",
        caption="SC-6",
        lead="Tell the fostering service about any change that could affect your ability to foster. "
        "Your supervising social worker will review your Safe Caring Family Agreement with you.",
        back_url=_household_url(household),
        submit="Send",
    )


@GET
@login_required
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notice = selectors.change_notice_for(user, pk)
    log_view(request, notice.household)
    return render(
        request,
        "notices/change_detail.html",
        {"notice": notice, "may_review": user.has_perm("notices.review_notice") and not notice.reviewed},
    )


@GET_POST
@login_required
def change_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notice = selectors.change_notice_for(user, pk)
    _require(user, "notices.review_notice")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_notice_review(actor=user, notice=notice, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{notice.reference} has been marked reviewed.")
            return redirect("notices:change_detail", pk=notice.pk)
    return _form_page(
        request,
        form,
        household=notice.household,
        title="Mark the change notice reviewed",
        caption="SC-6",
        lead="Review the household's Safe Caring Family Agreement in the light of this change first.",
        back_url=reverse("notices:change_detail", kwargs={"pk": notice.pk}),
        submit="Mark reviewed",
    )


# SC-8, SC-11 -----------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def immediate_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    _require(user, "notices.send_notice")
    form = ImmediateNoticeForm(request.POST or None, children=_placed_children(household))
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.immediate_notice_send(
                actor=user,
                household=household,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                children=list(form.cleaned_data.get("children") or []),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Your notice has been sent and your social worker alerted ({notice.reference})."
            )
            return redirect("notices:immediate_detail", pk=notice.pk)
    return _form_page(
        request,
        form,
        household=household,
        title="Tell us now about a concern",
        caption="SC-8, SC-11",
        lead="Use this if you doubt your ability to provide safe care, feel at risk of an allegation, "
        "or a foster child or your own child is involved in risky activities. "
        "Your supervising social worker is alerted at once. If a child is in danger now, call 999.",
        back_url=_household_url(household),
        submit="Send now",
    )


@GET
@login_required
def immediate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notice = selectors.immediate_notice_for(user, pk)
    log_view(request, notice.household)
    return render(
        request,
        "notices/immediate_detail.html",
        {
            "notice": notice,
            "children": list(notice.children.all()),
            "may_respond": user.has_perm("notices.review_notice") and not notice.acknowledged,
        },
    )


@GET_POST
@login_required
def immediate_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notice = selectors.immediate_notice_for(user, pk)
    _require(user, "notices.review_notice")
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.immediate_notice_acknowledge(actor=user, notice=notice, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your response to {notice.reference} has been recorded.")
            return redirect("notices:immediate_detail", pk=notice.pk)
    return _form_page(
        request,
        form,
        household=notice.household,
        title="Respond to the immediate notice",
        caption=notice.rule_id,
        back_url=reverse("notices:immediate_detail", kwargs={"pk": notice.pk}),
        submit="Record the response",
    )


# SC-12 -----------------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def arrangement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """SC-12: a carer asks before (or tells after) leaving a child; staff record one they learned of."""
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    if not services.may_record_arrangement(user):
        raise Http404
    staff = user.role != Role.CARER
    form = ArrangementForm(
        request.POST or None, children=selectors.arrangement_children(user, household), staff=staff
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            arrangement = services.arrangement_request(
                actor=user,
                household=household,
                child=data["child"],
                carer_name=data["carer_name"],
                relationship=data["relationship"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if staff:
                done = f"The care arrangement has been recorded ({arrangement.reference})."
            else:
                done = (
                    f"Your request has been sent to your supervising social worker ({arrangement.reference})."
                )
            messages.success(request, done)
            return redirect("notices:arrangement_detail", pk=arrangement.pk)
    if staff:
        page = {
            "title": "Record a care arrangement",
            "lead": "Record a time a child placed here was, or will be, left with someone, including one "
            "you learned of after it happened. The supervising social worker decides on it. Over 24 hours "
            "needs consent before it starts, counting together the arrangements with the same person that "
            "follow each other within a day; without that consent it shows as a breach.",
            "submit": "Record the arrangement",
        }
    else:
        page = {
            "title": "Ask before leaving a child with someone",
            "lead": "Do not leave a foster child with anyone without the service's consent. "
            "For more than 24 hours, consent must be given before you leave the child; stays with the "
            "same person within a day of each other count together. If you have already left a child "
            "with someone, tell us now.",
            "submit": "Send the request",
        }
    return _form_page(
        request,
        form,
        household=household,
        caption="SC-12",
        back_url=_household_url(household),
        **page,
    )


@GET
@login_required
def arrangement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    arrangement = selectors.arrangement_for(user, pk)
    log_view(request, arrangement.household)
    log_view(request, arrangement.child)
    return render(
        request,
        "notices/arrangement_detail.html",
        {
            "arrangement": arrangement,
            "is_carer": user.role == Role.CARER,
            "breach": arrangement.is_breach(),
            "may_decide": user.has_perm("notices.decide_care_arrangement")
            and arrangement.status == "requested",
        },
    )


@GET_POST
@login_required
def arrangement_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    arrangement = selectors.arrangement_for(user, pk)
    _require(user, "notices.decide_care_arrangement")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.arrangement_decide(
                actor=user,
                arrangement=arrangement,
                consent=form.cleaned_data["decision"] == "consent",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your decision on {arrangement.reference} has been recorded.")
            return redirect("notices:arrangement_detail", pk=arrangement.pk)
    return _form_page(
        request,
        form,
        household=arrangement.household,
        title="Decide on the care arrangement",
        caption="SC-12",
        back_url=reverse("notices:arrangement_detail", kwargs={"pk": arrangement.pk}),
        submit="Record the decision",
    )


@GET
@login_required
def breaches(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not sees_case_content(user) or user.role == Role.CARER:
        raise Http404
    page = Paginator(selectors.breaches(user), PAGE_SIZE).get_page(request.GET.get("page"))
    log_list(request, CareArrangement, [arrangement.pk for arrangement in page])
    return render(request, "notices/breaches.html", {"page_obj": page, "querystring": ""})


# SC-9 ------------------------------------------------------------------------------------------


@GET_POST
@login_required
def risk_flag(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = selectors.risk_child_for(user, pk)
    _require(user, "notices.flag_child_risk")
    log_view(request, child)
    current = ChildRiskFlag.objects.filter(child=child).first()
    initial = {
        "level": current.level if current else RiskLevel.NONE,
        "reason": current.reason if current else "",
    }
    form = RiskFlagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_flag_set(actor=user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{child.full_name}'s risk flag has been saved.")
            return redirect("households:child_detail", pk=child.pk)
    return _form_page(
        request,
        form,
        child=child,
        title=f"Risk flag for {child.full_name}",
        caption="SC-9",
        lead="A child who is known, likely or has potential to put themselves or others at risk needs "
        "a risk assessment before a placement starts, or soon after an emergency placement.",
        back_url=reverse("households:child_detail", kwargs={"pk": child.pk}),
        submit="Save",
    )


@GET_POST
@login_required
@once
def risk_assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = selectors.risk_child_for(user, pk)
    _require(user, "notices.record_risk_assessment")
    log_view(request, child)
    form = RiskAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_assessment_record(actor=user, child=child, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The risk assessment of {child.full_name} has been recorded.")
            return redirect("households:child_detail", pk=child.pk)
    return _form_page(
        request,
        form,
        child=child,
        title=f"Record a risk assessment of {child.full_name}",
        caption="SC-9",
        back_url=reverse("households:child_detail", kwargs={"pk": child.pk}),
        submit="Save",
    )
