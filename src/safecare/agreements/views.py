"""Pages for agreements: read, write a new version, sign, print (SC-1, SC-4, SC-5).

Each view finds its record through the access policy (404 when out of scope),
checks the action permission (404 as well: deny without revealing), calls one
service and puts any refusal back on the form with what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.concurrency import StaleEdit
from safecare.core.formtools import add_service_errors
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.pdf import pdf_response, render_pdf
from safecare.core.roles import Role
from safecare.households import selectors as household_selectors
from safecare.households.models import Household, Placement

from . import selectors, services
from .forms import AgreementForm, SignForm
from .models import Agreement, AgreementKind, AgreementVersion

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _subject_url(agreement: Agreement) -> str:
    if agreement.kind == AgreementKind.CHILD:
        return reverse("agreements:child", kwargs={"pk": agreement.placement_id})
    return reverse("agreements:household", kwargs={"pk": agreement.household_id})


def _log(request: HttpRequest, agreement: Agreement) -> None:
    # The child-specific agreement is part of the child's record, the SCFA of the household's.
    subject = agreement.child if agreement.kind == AgreementKind.CHILD else None
    log_view(request, subject or agreement.household)


def may_download(user: User, view: selectors.VersionView | None) -> bool:
    """Whether `user` may download this version as a PDF: staff who see it; a carer only when
    the service's setting allows it, and only a version she has signed (PH-1)."""
    if view is None or not user.has_perm("agreements.download_agreement"):
        return False
    if user.role != Role.CARER:
        return True
    return any(s.signer_id == user.pk and getattr(s, "intact", False) for s in view.signatures)


def _page_context(user: User, agreement: Agreement | None, kind: str, household: Household) -> dict[str, Any]:
    versions = selectors.agreement_versions(agreement) if agreement else []
    latest = versions[0] if versions else None
    current = next((v for v in versions if v.status == "current"), None)
    signers = services.required_signers(agreement) if agreement else []
    signed_latest = (
        {s.signer_id for s in latest.signatures if getattr(s, "intact", False)} if latest else set()
    )
    return {
        "agreement": agreement,
        "versions": versions,
        "latest": latest,
        "current": current,
        "current_participants": services.version_participants(current.version) if current else [],
        "signers": [(s, s.user is not None and s.user.pk in signed_latest) for s in signers],
        "can_edit": services.may_write(user, kind, household),
        "can_sign": bool(
            agreement
            and latest
            and latest.status not in ("current", "broken")
            and user.pk not in signed_latest
            and services.signer_capacity(agreement, user)
        ),
        "can_pdf": may_download(user, current),
    }


@GET
@login_required
def household_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    log_view(request, household)
    agreement = selectors.household_agreement(household)
    context = _page_context(user, agreement, AgreementKind.HOUSEHOLD, household)
    context.update(
        {
            "household": household,
            "title": "Safe Caring Family Agreement",
            "edit_url": reverse("agreements:household_edit", kwargs={"pk": household.pk}),
            "back_url": reverse("households:section_agreements", kwargs={"pk": household.pk}),
        }
    )
    return render(request, "agreements/agreement.html", context)


@GET
@login_required
def child_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    placement = household_selectors.placement_for(user, pk)
    log_view(request, placement.child)
    agreement = selectors.child_agreement(placement)
    context = _page_context(user, agreement, AgreementKind.CHILD, placement.household)
    context.update(
        {
            "household": placement.household,
            "placement": placement,
            "child": placement.child,
            "title": f"Child-specific safe caring agreement for {placement.child.full_name}",
            "edit_url": reverse("agreements:child_edit", kwargs={"pk": placement.pk}),
            "back_url": reverse("households:child_detail", kwargs={"pk": placement.child_id}),
        }
    )
    return render(request, "agreements/agreement.html", context)


def _edit(
    request: HttpRequest,
    *,
    household: Household,
    placement: Placement | None,
    agreement: Agreement | None,
    title: str,
    back_url: str,
) -> HttpResponse:
    user = _user(request)
    kind = AgreementKind.CHILD if placement else AgreementKind.HOUSEHOLD
    if not services.may_write(user, kind, household):
        raise Http404
    members = household.members.filter(moved_out_on__isnull=True).order_by("kind", "date_of_birth", "id")
    latest = selectors.latest_version(agreement) if agreement else None
    if request.method == "POST":
        form = AgreementForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.version_create(
                    actor=user,
                    household=None if placement else household,
                    placement=placement,
                    sections=form.sections(),
                    participants=form.cleaned_data["participants"],
                    based_on=form.cleaned_data["based_on"],
                )
            except StaleEdit as error:
                add_service_errors(form, error)
                # Saving again is now a deliberate choice over the other person's version.
                data = form.data.copy()  # type: ignore[attr-defined]
                data["based_on"] = str(latest.number if latest else 0)
                form.data = data
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "A new version has been saved. It is in force once everyone has signed it."
                )
                return redirect(back_url)
    else:
        initial: dict[str, Any] = {"based_on": latest.number if latest else 0}
        if latest is not None:
            initial.update(latest.sections)
            initial["participants"] = list(latest.participants.values_list("pk", flat=True))
        form = AgreementForm(initial=initial, members=members)
    return render(
        request,
        "agreements/edit.html",
        {"form": form, "household": household, "title": title, "back_url": back_url, "latest": latest},
    )


@GET_POST
@login_required
@once
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_selectors.household_for(_user(request), pk)
    return _edit(
        request,
        household=household,
        placement=None,
        agreement=selectors.household_agreement(household),
        title="Write a new version of the Safe Caring Family Agreement",
        back_url=reverse("agreements:household", kwargs={"pk": household.pk}),
    )


@GET_POST
@login_required
@once
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = household_selectors.placement_for(_user(request), pk)
    return _edit(
        request,
        household=placement.household,
        placement=placement,
        agreement=selectors.child_agreement(placement),
        title=f"Write a new version of {placement.child.full_name}'s child-specific agreement",
        back_url=reverse("agreements:child", kwargs={"pk": placement.pk}),
    )


def _version_context(version: AgreementVersion) -> dict[str, Any]:
    view = selectors.version_view(version)
    for signature in view.signatures:
        # The printed form names each capacity in the policies' words ("supervising social worker").
        signature.capacity_label = services.CAPACITY_LABELS.get(signature.signed_as, signature.signed_as)  # type: ignore[attr-defined]
    return {
        "service": version.agreement.service,
        "agreement": version.agreement,
        "version": version,
        "view": view,
        "participants": services.version_participants(version),
        "outstanding": services.outstanding_signers(version)
        if view.status not in ("current", "broken")
        else [],
        "capacity_labels": services.CAPACITY_LABELS,
    }


@GET
@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    version = selectors.version_for(user, pk)
    _log(request, version.agreement)
    context = _version_context(version)
    context.update(
        {
            "back_url": _subject_url(version.agreement),
            "can_pdf": may_download(user, context["view"]),
        }
    )
    return render(request, "agreements/version.html", context)


@GET_POST
@login_required
def version_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    version = selectors.version_for(user, pk)
    agreement = version.agreement
    # Only the people who sign this agreement reach the page (a carer only their own household's).
    capacity = (
        services.signer_capacity(agreement, user) if user.has_perm("agreements.sign_agreement") else None
    )
    if capacity is None:
        raise Http404
    _log(request, agreement)
    shown = services.version_hash(version)
    form = SignForm(request.POST or None, initial={"content_hash": shown})
    if request.method == "POST" and form.is_valid():
        try:
            services.version_sign(
                actor=user,
                version=version,
                confirmed=form.cleaned_data["confirm"],
                shown_hash=form.cleaned_data["content_hash"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have signed version {version.number}.")
            return redirect(_subject_url(agreement))
    context = _version_context(version)
    already = any(s.signer_id == user.pk for s in context["view"].signatures)
    latest_number = agreement.versions.order_by("-number").values_list("number", flat=True).first()
    context.update(
        {
            "form": form,
            "capacity": services.CAPACITY_LABELS[capacity],
            "already_signed": already,
            "is_latest": latest_number == version.number,
            "back_url": _subject_url(agreement),
        }
    )
    return render(request, "agreements/sign.html", context)


@GET
@login_required
def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    version = selectors.version_for(user, pk)
    if not user.has_perm("agreements.download_agreement"):
        raise Http404
    context = _version_context(version)
    if not may_download(user, context["view"]):
        raise Http404
    _log(request, version.agreement)
    pdf = render_pdf("agreements/pdf.html", context)
    return pdf_response(pdf, f"{version.agreement.reference}-v{version.number}.pdf")
