"""Subject access and retention pages (DP-1, DP-2; decisions 0047, 0048).

Routes in files.urls_export. Who opens what is files.selectors' (404 outside it):

- a household's subject access requests, a request's page, its status and its download: the
  managers who see every household (fostering manager, head of fostering, head of service);
- the records past their retention period: the named role (SAFECARE_RETENTION_ROLE).

Every download of an export, and every view of a request or case, is in the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_list, log_view
from safecare.core.formtools import save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.households.access import households_visible_to
from safecare.households.models import Household, MemberKind

from . import selectors, serve
from . import services_export as exports
from . import services_retention as retention
from .forms_export import EraseForm, KeepForm, RequestForm
from .models import ExportStatus, RetentionCase, RetentionStatus, SubjectAccessRequest

GET = require_http_methods(["GET"])
POST = require_http_methods(["POST"])
GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _household(user: User, pk: int) -> Household:
    if not user.has_perm("files.make_export"):
        raise Http404
    return get_object_or_404(households_visible_to(user).filter(service_id=user.service_id), pk=pk)


def _request(user: User, pk: int) -> SubjectAccessRequest:
    return get_object_or_404(
        selectors.subject_access_requests_visible_to(user).select_related(
            "household", "member", "recorded_by", "sent_by", "task", "file", "service"
        ),
        pk=pk,
    )


def _detail_url(sar: SubjectAccessRequest) -> str:
    return reverse("files:export_detail", kwargs={"pk": sar.pk})


def downloadable(sar: SubjectAccessRequest) -> bool:
    return (
        sar.status == ExportStatus.READY
        and sar.file_id is not None
        and sar.expires_at is not None
        and sar.expires_at > timezone.now()
    )


@GET_POST
@login_required
@once
def export_list(request: HttpRequest, pk: int) -> HttpResponse:
    """DP-1: a household's subject access requests, and recording a new one."""
    user = _user(request)
    household = _household(user, pk)
    log_view(request, household)
    carers = household.members.filter(kind=MemberKind.CARER).order_by("id")
    form = RequestForm(request.POST or None, carers=carers)
    if request.method == "POST" and form.is_valid():
        sar = save_or_refuse(
            form, None, lambda: exports.request_record(actor=user, household=household, **form.values())
        )
        if sar is not None:
            messages.success(
                request,
                f"The request is recorded. It must be answered by {sar.task.due_on:%A %-d %B %Y}; "
                "the export is being built.",
            )
            return redirect(_detail_url(sar))
    requests = list(
        selectors.subject_access_requests_visible_to(user)
        .filter(household=household)
        .select_related("member", "task")
        .order_by("-recorded_at", "-id")
    )
    return render(
        request,
        "files/export/list.html",
        {
            "household": household,
            "form": form,
            "requests": requests,
            "back_url": reverse("households:detail", kwargs={"pk": household.pk}),
        },
    )


@GET
@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """DP-1: the request, the export's progress while it builds, and its download when ready."""
    user = _user(request)
    sar = _request(user, pk)
    log_view(request, sar)
    building = sar.status in (ExportStatus.QUEUED, ExportStatus.BUILDING)
    expired = sar.status == ExportStatus.EXPIRED or (
        sar.status == ExportStatus.READY and sar.expires_at is not None and sar.expires_at <= timezone.now()
    )
    return render(
        request,
        "files/export/detail.html",
        {
            "sar": sar,
            "household": sar.household,
            "building": building,
            "expired": expired,
            "downloadable": downloadable(sar),
            "sent": exports.sar_sent(sar),
            "may_retry": (sar.status == ExportStatus.FAILED or expired) and not exports.sar_sent(sar),
            "back_url": reverse("files:export_list", kwargs={"pk": sar.household_id}),
        },
    )


@GET
@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's progress, for a page that asks without reloading."""
    user = _user(request)
    sar = _request(user, pk)
    response = JsonResponse({"status": sar.status, "progress": sar.progress, "ready": downloadable(sar)})
    response["Cache-Control"] = "no-store"
    return response


@GET
@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The ZIP, until it expires; every download is in the access log."""
    user = _user(request)
    sar = _request(user, pk)
    if not downloadable(sar) or sar.file is None:
        raise Http404("The export is not available")
    log_view(request, sar)
    return serve.file_response(sar.file, download_name=f"subject-access-{sar.pk}.zip")


@POST
@login_required
def export_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """DP-1: the export was given to the carer: the duty closes."""
    user = _user(request)
    sar = _request(user, pk)
    try:
        exports.mark_sent(actor=user, sar=sar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Recorded as sent to the carer. The request is answered.")
    return redirect(_detail_url(sar))


@POST
@login_required
def export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    sar = _request(user, pk)
    try:
        exports.retry(actor=user, sar=sar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The export is being built again.")
    return redirect(_detail_url(sar))


# Retention ----------------------------------------------------------------------------------


def _case(user: User, pk: int) -> RetentionCase:
    return get_object_or_404(selectors.retention_cases_visible_to(user).select_related("decided_by"), pk=pk)


@GET
@login_required
def retention_list(request: HttpRequest) -> HttpResponse:
    """DP-2: the records past their retention period, by reference, for the named role."""
    user = _user(request)
    if not user.has_perm("files.confirm_retention"):
        raise Http404
    cases = list(
        selectors.retention_cases_visible_to(user)
        .select_related("decided_by")
        .order_by("status", "keep_until", "id")
    )
    log_list(request, RetentionCase, [c.pk for c in cases])
    return render(
        request,
        "files/retention/list.html",
        {
            "awaiting": [c for c in cases if c.status == RetentionStatus.AWAITING],
            "decided": [c for c in cases if c.status != RetentionStatus.AWAITING],
        },
    )


def _summary(case: RetentionCase) -> dict[str, Any]:
    """What deleting would remove: records per table and files (no content)."""
    if case.status != RetentionStatus.AWAITING:
        return {"counts": [], "files": 0}
    try:
        plan = retention.plan_for(case)
    except ValidationError:
        return {"counts": [], "files": 0}
    counts = sorted(plan.counts().items())
    return {"counts": counts, "files": len(retention._files_of(plan)), "total": sum(n for _, n in counts)}


@GET
@login_required
def retention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case(user, pk)
    log_view(request, case)
    return render(request, "files/retention/detail.html", {"case": case, **_summary(case)})


@GET_POST
@login_required
def retention_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """DP-2: the confirmation step; nothing is deleted without it."""
    user = _user(request)
    case = _case(user, pk)
    if case.status != RetentionStatus.AWAITING:
        return redirect("files:retention_detail", pk=case.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data.get("confirm"):
            form.add_error("confirm", "Confirm that the record should be deleted for good")
        else:
            erasure = save_or_refuse(
                form,
                None,
                lambda: retention.erase(actor=user, case=case, reason=form.cleaned_data.get("reason", "")),
            )
            if erasure is not None:
                messages.success(request, f"{case.label} was deleted. The record of the deletion is kept.")
                return redirect("files:retention_list")
    return render(
        request,
        "files/retention/erase.html",
        {"case": case, "form": form, "back_url": reverse("files:retention_detail", kwargs={"pk": case.pk})},
    )


@GET_POST
@login_required
def retention_keep(request: HttpRequest, pk: int) -> HttpResponse:
    """DP-2: keep the record for now, saying why."""
    user = _user(request)
    case = _case(user, pk)
    if case.status != RetentionStatus.AWAITING:
        return redirect("files:retention_detail", pk=case.pk)
    form = KeepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kept = save_or_refuse(
            form,
            None,
            lambda: retention.keep(actor=user, case=case, reason=form.cleaned_data.get("reason", "")),
        )
        if kept is not None:
            messages.success(request, f"{case.label} is kept for now. It will be listed again in a year.")
            return redirect("files:retention_list")
    return render(
        request,
        "files/retention/keep.html",
        {"case": case, "form": form, "back_url": reverse("files:retention_detail", kwargs={"pk": case.pk})},
    )
