"""Inspection pack pages: ask for a pack, watch it build, download it until it expires.

Routes in compliance.urls. Who: the service-wide readers (compliance.make_pack: fostering
managers, heads of fostering, heads of service), for their own service's packs; anyone else,
and any other service's pack, answers 404. Every view of a pack, and every download, is in the
access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.formtools import save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.files import serve

from . import services_pack as packs_service
from .forms_pack import PackForm
from .models import InspectionPack, PackStatus

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])

# The list shows the latest packs; older ones stay in the history.
LISTED = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _pack(user: User, pk: int) -> InspectionPack:
    found: InspectionPack = get_object_or_404(
        packs_service.packs_visible_to(user).select_related("requested_by", "file", "service"), pk=pk
    )
    return found


def _pack_url(pack: InspectionPack) -> str:
    return reverse("compliance:pack", kwargs={"pk": pack.pk})


def downloadable(pack: InspectionPack) -> bool:
    return (
        pack.status == PackStatus.READY
        and pack.file_id is not None
        and pack.expires_at is not None
        and pack.expires_at > timezone.now()
    )


@GET_POST
@login_required
@once
def packs(request: HttpRequest) -> HttpResponse:
    """The service's inspection packs, and asking for a new one."""
    user = _user(request)
    if not packs_service.may_make_pack(user):
        raise Http404
    form = PackForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        pack = save_or_refuse(form, None, lambda: packs_service.request_pack(actor=user, **form.values()))
        if pack is not None:
            messages.success(request, "The pack is being built. This page shows how far it has got.")
            return redirect(_pack_url(pack))
    listed = list(packs_service.packs_visible_to(user).select_related("requested_by")[:LISTED])
    return render(request, "compliance/packs.html", {"form": form, "packs": listed})


@GET_POST
@login_required
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """A pack's progress while it builds, its download when ready; POST builds it again."""
    user = _user(request)
    found = _pack(user, pk)
    if request.method == "POST":
        try:
            packs_service.retry(actor=user, pack=found)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The pack is being built again.")
        return redirect(_pack_url(found))
    log_view(request, found)
    building = found.status in (PackStatus.QUEUED, PackStatus.BUILDING)
    expired = found.status == PackStatus.EXPIRED or (
        found.status == PackStatus.READY
        and found.expires_at is not None
        and found.expires_at <= timezone.now()
    )
    return render(
        request,
        "compliance/pack.html",
        {
            "pack": found,
            "building": building,
            "expired": expired,
            "downloadable": downloadable(found),
            "may_retry": found.status == PackStatus.FAILED or expired,
        },
    )


@GET
@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF, until it expires; every download is in the access log."""
    user = _user(request)
    found = _pack(user, pk)
    if not downloadable(found) or found.file is None:
        raise Http404("The pack is not available")
    log_view(request, found)
    return serve.file_response(found.file, download_name=f"inspection-pack-{found.reference}.pdf")
