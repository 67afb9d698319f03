"""Photos pages: a child's photos, their rules, uploading, handing over at the end of a placement,
keeping a few, and reporting a lost or stolen device (PH-3 to PH-6). Routes in files.urls_photos.

Who opens what is files.selectors' (404 outside it):

- a child's photos: the carers of the household the child is placed with (their household's
  photos), and after the end only the photos agreed to be kept; staff who see the child or the
  household (files.selectors.photos_visible_to);
- the photo rules page: the child's social worker, the children's team manager and the
  household's SSW (files.record_photo_rules), for a child they see;
- uploading: a carer of the household the child is placed with now;
- a photo's image: whoever sees the photo, inline only, never cached; staff may download it.
  No photo has a public address; every view of one is in the access log;
- a handover: the staff who see the child or household; the child's social worker receives it;
- a keep request: the household's carers and staff who see it; the household's SSW decides;
- a loss report: the household's carers (what happens next) and the staff who see it; each
  named child's social worker records what they did.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from PIL import Image

from safecare.core.audit import log_list, log_view
from safecare.core.forms import GovukForm
from safecare.core.formtools import refresh_version, save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.roles import Role
from safecare.households.access import children_visible_to
from safecare.households.models import Child

from . import selectors, serve, storage
from . import services_photos as services
from .forms_photos import (
    KeepDecisionForm,
    KeepRequestForm,
    LossAcknowledgementForm,
    LossReportForm,
    PhotoRulesForm,
    UploadForm,
)
from .models import Handover, KeepStatus, Photo, PhotoRules

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])
THUMBNAIL = (320, 320)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_carer(user: User) -> bool:
    return user.role == Role.CARER


def _photos_url(child: Child | int) -> str:
    pk = child if isinstance(child, int) else child.pk
    return reverse("files:child_photos", kwargs={"pk": pk})


def _children_for_photos(user: User) -> QuerySet[Child]:
    """The children whose photos page this user may open."""
    if _is_carer(user):
        # PH-5: placed with their household now or before (after the end, the kept photos).
        return services.carer_children(user)
    seen = children_visible_to(user)
    return Child.objects.filter(
        Q(pk__in=seen.values("pk")) | Q(pk__in=selectors.photos_visible_to(user).values("child_id")),
        service_id=user.service_id,
    )


def _child_for_photos(user: User, pk: int) -> Child:
    if not user.is_authenticated or user.service_id is None:
        raise Http404
    return get_object_or_404(_children_for_photos(user), pk=pk)


# A child's photos -----------------------------------------------------------------------------


@GET
@login_required
def child_photos(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-3 to PH-5: the child's photos this reader may see, with what to do next."""
    user = _user(request)
    child = _child_for_photos(user, pk)
    log_view(request, child)
    photos = list(
        selectors.photos_visible_to(user)
        .filter(child=child)
        .select_related("uploaded_by", "household")
        .order_by("-uploaded_at", "-id")
    )
    log_list(request, Photo, [p.pk for p in photos])
    rules = selectors.photo_rules_visible_to(user).filter(child=child).select_related("recorded_by").first()
    keep_requests = list(
        selectors.keep_requests_visible_to(user)
        .filter(child=child)
        .select_related("household", "asked_by", "decided_by")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.only("id", "caption")))
        .order_by("-asked_at", "-id")
    )
    handovers = list(
        selectors.handovers_visible_to(user).filter(child=child).select_related("household", "received_by")
    )
    is_carer = _is_carer(user)
    may_upload = is_carer and services.may_upload(user, child)
    may_ask = (
        is_carer and user.has_perm("files.ask_to_keep") and services.keep_candidates(user, child).exists()
    )
    return render(
        request,
        "files/photos/child.html",
        {
            "child": child,
            "photos": photos,
            "rules": rules,
            "keep_requests": keep_requests,
            "handovers": handovers,
            "is_carer": is_carer,
            "placed_now": may_upload or (is_carer and services.carer_household_for(user, child) is not None),
            "may_upload": may_upload,
            "may_ask": may_ask,
            "may_record_rules": not is_carer and services.may_record_rules(user, child),
            "may_download": not is_carer,
            "rule_texts": services.RULES,
            "kept_limit": child.service.photos_kept_after_placement,
        },
    )


# PH-3: the rules --------------------------------------------------------------------------------


@GET_POST
@login_required
def record_photo_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-3: the child's social worker (or team manager, or the household's SSW) records the rules."""
    user = _user(request)
    child = get_object_or_404(children_visible_to(user), pk=pk)
    if not services.may_record_rules(user, child):
        raise Http404
    log_view(request, child)
    rules = services.photo_rules(child)
    initial: dict[str, Any] = {"version": rules.version if rules else 0}
    if rules is not None:
        for name in PhotoRulesForm.base_fields:
            if name != "version":
                initial[name] = getattr(rules, name)
    form = PhotoRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, None, lambda: services.photo_rules_record(actor=user, child=child, **values)
        )
        if saved is not None:
            messages.success(
                request,
                f"The photo rules for {child.full_name} are saved. The carers read them before every upload.",
            )
            return redirect(_photos_url(child))
        latest = services.photo_rules(child)
        if latest is not None and form.non_field_errors():
            # After a refused stale save the page carries the current version: saving again is a choice.
            refresh_version(form, latest.version)
    return render(
        request,
        "files/photos/rules_form.html",
        {"form": form, "child": child, "rules": rules, "back_url": _photos_url(child)},
    )


# PH-4: uploading --------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def upload_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-3, PH-4: a carer uploads photos of the child placed with them, after reading the rules."""
    user = _user(request)
    child = get_object_or_404(children_visible_to(user), pk=pk)
    if not services.may_upload(user, child):
        raise Http404
    log_view(request, child)
    rules: PhotoRules | None = services.photo_rules(child)
    wants_no_photos = bool(rules and rules.wants_no_photos)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        wants_no_photos=wants_no_photos,
        first_name=child.first_name,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        photos = save_or_refuse(form, None, lambda: services.photo_upload(actor=user, child=child, **values))
        if photos is not None:
            count = len(photos)
            messages.success(
                request,
                f"{count} photo{'s are' if count != 1 else ' is'} uploaded. Only you, your household and "
                f"{child.first_name}'s social workers can see {'them' if count != 1 else 'it'}.",
            )
            return redirect(_photos_url(child))
    return render(
        request,
        "files/photos/upload.html",
        {
            "form": form,
            "child": child,
            "rules": rules,
            "no_rules": services.no_rules_message(child) if rules is None else "",
            "rule_texts": services.RULES,
            "back_url": _photos_url(child),
        },
    )


# One photo ----------------------------------------------------------------------------------------


def _photo(request: HttpRequest, pk: int) -> Photo:
    photo = get_object_or_404(selectors.photos_visible_to(_user(request)).select_related("file"), pk=pk)
    log_view(request, photo)
    return photo


def _read(photo: Photo) -> bytes:
    try:
        return storage.read(photo.file)
    except storage.FileUnavailable as error:
        raise Http404("This photo is no longer held") from error


@GET
@login_required
def photo_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-4: a small copy of the photo, made from the decrypted image; never cached."""
    photo = _photo(request, pk)
    with Image.open(io.BytesIO(_read(photo))) as image:
        image.thumbnail(THUMBNAIL)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=80)
    return serve.bytes_response(out.getvalue(), "image/jpeg")


@GET
@login_required
def photo_image(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-4: the photo, shown in the page (inline); never cached, never offered as a file."""
    photo = _photo(request, pk)
    return serve.file_response(photo.file)


@GET
@login_required
def photo_download(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-4, PH-5: staff who see the photo may download it; carers never get a file."""
    if _is_carer(_user(request)):
        raise Http404
    photo = _photo(request, pk)
    when = photo.taken_on or photo.uploaded_at.date()
    return serve.file_response(photo.file, download_name=f"photo-{photo.pk}-{when:%Y-%m-%d}.jpg")


# PH-5: the handover -------------------------------------------------------------------------------


def _handover(request: HttpRequest, pk: int) -> Handover:
    user = _user(request)
    handover = get_object_or_404(
        selectors.handovers_visible_to(user).select_related("child", "household", "received_by", "task"),
        pk=pk,
    )
    log_view(request, handover.child)
    return handover


def _may_receive(user: User, handover: Handover) -> bool:
    return bool(
        user.has_perm("files.receive_photos")
        and children_visible_to(user).filter(pk=handover.child_id).exists()
    )


@GET_POST
@login_required
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-5: the photos passed to the child's social worker; they record receiving them."""
    user = _user(request)
    item = _handover(request, pk)
    may_receive = _may_receive(user, item) and item.received_at is None
    if request.method == "POST":
        if not _may_receive(user, item):
            raise Http404
        form = GovukForm(request.POST)  # carries a refusal to the error summary
        done = save_or_refuse(form, None, lambda: services.handover_receive(actor=user, handover=item))
        if done is not None:
            messages.success(request, "You have recorded that you received the photos. The task is closed.")
            return redirect(reverse("files:handover", kwargs={"pk": item.pk}))
    else:
        form = None
    photos = list(
        services.handover_photos(item).select_related("uploaded_by").order_by("-uploaded_at", "-id")
    )
    log_list(request, Photo, [p.pk for p in photos])
    return render(
        request,
        "files/photos/handover.html",
        {
            "handover": item,
            "child": item.child,
            "photos": photos,
            "form": form,
            "may_receive": may_receive,
            "may_download": _may_receive(user, item),
        },
    )


@GET
@login_required
def handover_download(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-5: every photo of the handover in one ZIP, built in memory, for the child's social worker."""
    user = _user(request)
    item = _handover(request, pk)
    if not _may_receive(user, item):
        raise Http404
    photos = list(
        services.handover_photos(item).filter(file__erased_at__isnull=True).order_by("uploaded_at", "id")
    )
    log_list(request, Photo, [p.pk for p in photos])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for photo in photos:
            when = photo.taken_on or photo.uploaded_at.date()
            archive.writestr(f"photo-{photo.pk}-{when:%Y-%m-%d}.jpg", _read(photo))
    return serve.bytes_response(buffer.getvalue(), "application/zip", download_name=f"photos-{item.pk}.zip")


# PH-5: keeping a few -----------------------------------------------------------------------------


@GET_POST
@login_required
@once
def ask_to_keep(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-5: a carer asks to keep a few significant photos of a child, before or after the end."""
    user = _user(request)
    if not user.has_perm("files.ask_to_keep"):
        raise Http404
    child = get_object_or_404(services.carer_children(user), pk=pk)
    log_view(request, child)
    candidates = services.keep_candidates(user, child).order_by("-uploaded_at", "-id")
    visible = set(selectors.photos_visible_to(user).filter(child=child).values_list("pk", flat=True))
    form = KeepRequestForm(request.POST or None, photos=candidates)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        made = save_or_refuse(
            form, None, lambda: services.keep_request_make(actor=user, child=child, **values)
        )
        if made is not None:
            messages.success(
                request,
                "Your request is sent to your supervising social worker. We will tell you when they have decided.",
            )
            return redirect(reverse("files:keep_request", kwargs={"pk": made.pk}))
    return render(
        request,
        "files/photos/keep_form.html",
        {
            "form": form,
            "child": child,
            "visible": visible,
            "limit": child.service.photos_kept_after_placement,
            "back_url": _photos_url(child),
        },
    )


@GET_POST
@login_required
def keep_request(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-5: a request to keep photos; the household's SSW decides it."""
    user = _user(request)
    item = get_object_or_404(
        selectors.keep_requests_visible_to(user).select_related(
            "child", "household", "asked_by", "decided_by"
        ),
        pk=pk,
    )
    log_view(request, item.household)
    may_decide = services.may_decide_keep(user, item) and item.status == KeepStatus.ASKED
    photos = item.photos.select_related("uploaded_by").order_by("-uploaded_at", "-id")
    form = KeepDecisionForm(request.POST or None, photos=photos) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            values = form.values()
            done = save_or_refuse(
                form, None, lambda: services.keep_decide(actor=user, keep_request=item, **values)
            )
            if done is not None:
                messages.success(request, "Your decision is recorded and the family is told.")
                return redirect(reverse("files:keep_request", kwargs={"pk": item.pk}))
    listed = list(photos)
    visible = set(
        selectors.photos_visible_to(user).filter(pk__in=[p.pk for p in listed]).values_list("pk", flat=True)
    )
    log_list(request, Photo, [p.pk for p in listed if p.pk in visible])
    return render(
        request,
        "files/photos/keep_request.html",
        {
            "item": item,
            "child": item.child,
            "photos": listed,
            "visible": visible,
            "form": form,
            "is_carer": _is_carer(user),
            "limit": item.service.photos_kept_after_placement,
            "back_url": _photos_url(item.child_id) if _is_carer(user) or visible else reverse("home"),
        },
    )


# PH-6: lost or stolen ----------------------------------------------------------------------------


@GET_POST
@login_required
@once
def report_loss(request: HttpRequest) -> HttpResponse:
    """PH-6: a carer reports a lost or stolen device or prints that may hold children's images."""
    user = _user(request)
    if not user.has_perm("files.report_loss") or services.carer_loss_household(user) is None:
        raise Http404
    children = services.carer_children(user).order_by("first_name", "last_name", "pk")
    form = LossReportForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        report = save_or_refuse(form, None, lambda: services.loss_report_make(actor=user, **values))
        if report is not None:
            return redirect(reverse("files:loss_report", kwargs={"pk": report.pk}))
    return render(request, "files/photos/loss_form.html", {"form": form, "back_url": reverse("home")})


@GET_POST
@login_required
def loss_report(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-6: the report; the carer reads what happens next; each child's social worker records action."""
    user = _user(request)
    report = get_object_or_404(
        selectors.loss_reports_visible_to(user).select_related("household", "reported_by"), pk=pk
    )
    log_view(request, report.household)
    pending = services.acknowledgeable(user, report)
    form = None
    if pending:
        # With one child whose action is still to record, that child is chosen already.
        form = LossAcknowledgementForm(
            request.POST or None,
            children=Child.objects.filter(pk__in=[c.pk for c in pending]).order_by("pk"),
            initial={"child": pending[0].pk} if len(pending) == 1 else None,
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            values = form.values()
            done = save_or_refuse(
                form, None, lambda: services.loss_acknowledge(actor=user, report=report, **values)
            )
            if done is not None:
                messages.success(
                    request, f"Your action for {done.child.full_name} is recorded. The task is closed."
                )
                return redirect(reverse("files:loss_report", kwargs={"pk": report.pk}))
    is_carer = _is_carer(user)
    named = list(report.children.order_by("first_name", "pk"))
    acknowledgements = list(report.acknowledgements.select_related("child", "by").order_by("at", "id"))
    return render(
        request,
        "files/photos/loss_report.html",
        {
            "report": report,
            "named": named,
            "acknowledgements": acknowledgements,
            "form": form,
            "is_carer": is_carer,
            "just_sent": is_carer and report.reported_by_id == user.pk and not acknowledgements,
        },
    )
