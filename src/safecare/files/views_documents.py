"""Pages of documents shared with carers (PH-1) and of carers' reports (PH-2).

Routes in files.urls_documents. Who opens what is files.selectors' (404 outside it):

- a household's documents: its carers and the staff who see it; a child's: the staff who see
  the child. Carers never see a withdrawn document, nor one about a child no longer placed
  with them.
- a document is read page by page as images in the page, each carrying the reader's name and
  the time, faintly; carers are never offered the file (no link, and the download route
  answers them 404); sharers (files.download_document) may download it, and the office
  original it was converted from. Every page and every page image writes an access-log row
  naming the document.
- a carer writes a report for their household; the household's carers and the staff who see
  the household or the child read it, its attachments as page images; staff may download them.

Every answer of a signed-in person is `Cache-Control: no-store` (core.middleware); the images
and files too (files.serve).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_list, log_view
from safecare.core.formtools import save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.households.access import children_visible_to, households_visible_to
from safecare.households.models import Child, Household, Placement

from . import serve, storage
from . import services_documents as services
from .documents import NoSuchPage, render_page
from .forms_documents import ReportForm, ShareForm, WithdrawForm, max_size
from .models import CarerReport, ReportAttachment, SharedDocument, StoredFile
from .selectors import documents_visible_to, is_carer, reports_visible_to

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def watermark(user: User) -> str:
    """PH-1: the reader's name and the local time, drawn faintly across every page image."""
    name = user.get_full_name() or user.get_username()
    return f"{name} {timezone.localtime():%-d %b %Y %H:%M}"


def _household_url(household: Household) -> str:
    return reverse("households:detail", kwargs={"pk": household.pk})


def _child_url(child: Child) -> str:
    return reverse("households:child_detail", kwargs={"pk": child.pk})


def _page_image(
    request: HttpRequest, stored: StoredFile, number: int, pages: int | None = None
) -> HttpResponse:
    """One page as a PNG with the reader's watermark, never cached (serve.bytes_response).

    A page out of range is 404; so is a file erased or not decrypting."""
    if number < 1 or (pages is not None and number > pages):
        raise Http404("No such page")
    try:
        data = storage.read(stored)
        if pages is None and number > services.page_count(stored, data):
            raise Http404("No such page")
        png = render_page(data, stored.content_type, number, watermark=watermark(_user(request)))
    except storage.FileUnavailable as error:
        raise Http404("This file is no longer held") from error
    except NoSuchPage as error:
        raise Http404("No such page") from error
    return serve.bytes_response(png, "image/png")


def _download_name(title: str, stored: StoredFile) -> str:
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        stored.content_type
    )
    if extension is None:
        _, dot, ext = stored.filename.rpartition(".")
        extension = f".{ext}" if dot and ext else ""
    return f"{title}{extension}"


# PH-1: lists ------------------------------------------------------------------------------------


def household_documents_of(user: User, household: Household) -> QuerySet[SharedDocument]:
    """The household's documents this reader sees: those naming it, and those about a child alone
    placed with it now."""
    placed = Placement.objects.current().filter(household=household).values("child")
    return (
        documents_visible_to(user)
        .filter(Q(household=household) | Q(household__isnull=True, child__in=placed))
        .select_related("child", "household", "shared_by")
    )


def _list(request: HttpRequest, documents: QuerySet[SharedDocument], context: dict[str, Any]) -> HttpResponse:
    rows = list(documents)
    log_list(request, SharedDocument, [d.pk for d in rows])
    user = _user(request)
    context.update({"documents": rows, "is_carer": is_carer(user), "page_obj": rows})
    return render(request, "files/documents/list.html", context)


@GET
@login_required
def household_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: the documents shared with a household, for its carers and the staff who see it."""
    user = _user(request)
    household = get_object_or_404(households_visible_to(user), pk=pk)
    may_share = services.may_share(user, household=household)
    return _list(
        request,
        household_documents_of(user, household),
        {
            "household": household,
            "back_url": reverse("home") if is_carer(user) else _household_url(household),
            "share_url": reverse("files:document_share_household", kwargs={"pk": household.pk})
            if may_share
            else "",
            "reports_url": reverse("files:household_reports", kwargs={"pk": household.pk}),
        },
    )


@GET
@login_required
def child_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: the documents about a child, for the staff who see the child."""
    user = _user(request)
    if is_carer(user):
        raise Http404
    child = get_object_or_404(children_visible_to(user), pk=pk)
    documents = (
        documents_visible_to(user).filter(child=child).select_related("child", "household", "shared_by")
    )
    may_share = services.may_share(user, child=child)
    return _list(
        request,
        documents,
        {
            "child": child,
            "back_url": _child_url(child),
            "share_url": reverse("files:document_share_child", kwargs={"pk": child.pk}) if may_share else "",
        },
    )


def _my(request: HttpRequest, route: str) -> HttpResponse:
    user = _user(request)
    if not is_carer(user):
        raise Http404
    households = list(households_visible_to(user).order_by("name", "pk"))
    if len(households) == 1:
        return redirect(route, pk=households[0].pk)
    return render(
        request,
        "files/documents/choose_household.html",
        {"households": households, "route": route, "reports": route == "files:household_reports"},
    )


@GET
@login_required
def my_documents(request: HttpRequest) -> HttpResponse:
    """PH-1: a carer's documents: their household's list (or a choice, if they have several)."""
    return _my(request, "files:household_documents")


# PH-1: sharing ----------------------------------------------------------------------------------


def _share(
    request: HttpRequest, *, household: Household | None, child: Child | None, back_url: str
) -> HttpResponse:
    user = _user(request)
    if not services.may_share(user, household=household, child=child):
        raise Http404
    log_view(request, household or child)  # type: ignore[arg-type]
    children = None
    if household is not None:
        placed = Placement.objects.current().filter(household=household).values("child")
        children = children_visible_to(user).filter(pk__in=placed).order_by("first_name", "last_name")
    form = ShareForm(request.POST or None, request.FILES or None, children=children)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        about = form.cleaned_data.get("child") if household is not None else child
        document = save_or_refuse(
            form,
            None,
            lambda: services.document_share(actor=user, household=household, child=about, **values),
        )
        if document is not None:
            readers = len(services.document_readers(document))
            told = (
                f"{readers} carer{'s' if readers != 1 else ''} told" if readers else "no carer reads it now"
            )
            messages.success(request, f"“{document.title}” is shared: {told}.")
            return redirect("files:document", pk=document.pk)
    return render(
        request,
        "files/documents/share.html",
        {
            "form": form,
            "household": household,
            "child": child,
            "back_url": back_url,
            "max_size": max_size(),
            "file_lost": request.method == "POST" and bool(form.errors),
        },
    )


@GET_POST
@login_required
@once
def document_share_household(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: share a document with a household (and, if chosen, about a child placed there)."""
    household = get_object_or_404(households_visible_to(_user(request)), pk=pk)
    return _share(request, household=household, child=None, back_url=_household_url(household))


@GET_POST
@login_required
@once
def document_share_child(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: share a document about a child: their carers now read it."""
    child = get_object_or_404(children_visible_to(_user(request)), pk=pk)
    return _share(request, household=None, child=child, back_url=_child_url(child))


# PH-1: reading ----------------------------------------------------------------------------------


def _document(request: HttpRequest, pk: int) -> SharedDocument:
    return get_object_or_404(
        documents_visible_to(_user(request)).select_related(
            "file", "original", "household", "child", "shared_by"
        ),
        pk=pk,
    )


@GET
@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: the document, page by page as images; staff may download it."""
    user = _user(request)
    doc = _document(request, pk)
    log_view(request, doc)
    carer = is_carer(user)
    may_download = not carer and user.has_perm("files.download_document")
    if doc.household is not None:
        back_url = reverse("files:household_documents", kwargs={"pk": doc.household_id})
    elif carer:
        back_url = reverse("files:my_documents")
    else:
        back_url = reverse("files:child_documents", kwargs={"pk": doc.child_id})
    pages = [
        (n, reverse("files:document_page", kwargs={"pk": doc.pk, "number": n}))
        for n in range(1, doc.page_count + 1)
    ]
    return render(
        request,
        "files/documents/detail.html",
        {
            "document": doc,
            "pages": pages,
            "is_carer": carer,
            "may_download": may_download,
            "may_withdraw": not carer and services.may_withdraw(user, doc),
            "back_url": back_url,
        },
    )


@GET
@login_required
def document_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """PH-1: one page as an image, watermarked with the reader's name and the time; logged."""
    doc = _document(request, pk)
    log_view(request, doc)
    return _page_image(request, doc.file, number, doc.page_count)


def _downloadable(request: HttpRequest, pk: int) -> SharedDocument:
    user = _user(request)
    if is_carer(user) or not user.has_perm("files.download_document"):
        raise Http404  # PH-1: carers are never offered the file
    return _document(request, pk)


@GET
@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: staff download the document (never a carer)."""
    doc = _downloadable(request, pk)
    log_view(request, doc)
    return serve.file_response(doc.file, download_name=_download_name(doc.title, doc.file))


@GET
@login_required
def document_original(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: staff download the office document a shared PDF was converted from."""
    doc = _downloadable(request, pk)
    if doc.original is None:
        raise Http404("This document was not converted")
    log_view(request, doc)
    return serve.file_response(doc.original, download_name=_download_name(doc.title, doc.original))


@GET_POST
@login_required
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-1: withdraw a document, with a reason: carers stop seeing it at once."""
    user = _user(request)
    doc = _document(request, pk)
    if is_carer(user) or not services.may_withdraw(user, doc):
        raise Http404
    log_view(request, doc)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("reason") or ""
        done = save_or_refuse(
            form, doc, lambda: services.document_withdraw(actor=user, document=doc, reason=reason)
        )
        if done is not None:
            messages.success(request, f"“{doc.title}” is withdrawn: carers no longer see it.")
            return redirect("files:document", pk=doc.pk)
    return render(
        request,
        "files/documents/withdraw.html",
        {"form": form, "document": doc, "back_url": reverse("files:document", kwargs={"pk": doc.pk})},
    )


# PH-2: carers' reports --------------------------------------------------------------------------


@GET
@login_required
def household_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-2: the reports a household's carers sent, for them and the staff who see the household."""
    user = _user(request)
    household = get_object_or_404(households_visible_to(user), pk=pk)
    reports = list(reports_visible_to(user).filter(household=household).select_related("child", "written_by"))
    log_list(request, CarerReport, [r.pk for r in reports])
    carer = is_carer(user)
    return render(
        request,
        "files/reports/list.html",
        {
            "household": household,
            "reports": reports,
            "page_obj": reports,
            "is_carer": carer,
            "may_send": services.may_send_report(user, household),
            "back_url": reverse("home") if carer else _household_url(household),
            "documents_url": reverse("files:household_documents", kwargs={"pk": household.pk}),
        },
    )


@GET
@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """PH-2: a carer's reports: their household's list (or a choice, if they have several)."""
    return _my(request, "files:household_reports")


@GET_POST
@login_required
@once
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-2: a carer writes and sends a report, with up to five attachments."""
    user = _user(request)
    household = get_object_or_404(households_visible_to(user), pk=pk)
    if not services.may_send_report(user, household):
        raise Http404
    log_view(request, household)
    placed = Placement.objects.current().filter(household=household).values("child")
    children = children_visible_to(user).filter(pk__in=placed).order_by("first_name", "last_name")
    form = ReportForm(request.POST or None, request.FILES or None, children=children)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        report = save_or_refuse(
            form, None, lambda: services.report_send(actor=user, household=household, **values)
        )
        if report is not None:
            messages.success(request, "Your report is sent. Your supervising social worker has been told.")
            return redirect("files:report", pk=report.pk)
    return render(
        request,
        "files/reports/form.html",
        {
            "form": form,
            "household": household,
            "back_url": reverse("files:household_reports", kwargs={"pk": household.pk}),
            "max_size": max_size(),
            "files_lost": request.method == "POST" and bool(form.errors) and bool(request.FILES),
        },
    )


@GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-2: one report and its attachments as page images; staff's first reading is recorded."""
    user = _user(request)
    item = get_object_or_404(
        reports_visible_to(user).select_related("household", "child", "written_by"), pk=pk
    )
    log_view(request, item)
    carer = is_carer(user)
    if not carer:
        services.report_read(reader=user, report=item)
    attachments = []
    for attachment in item.attachments.select_related("file").order_by("position", "id"):
        try:
            count = services.page_count(attachment.file)
        except storage.FileUnavailable:
            count = 0
        attachments.append(
            {
                "attachment": attachment,
                "pages": [
                    (n, reverse("files:attachment_page", kwargs={"pk": attachment.pk, "number": n}))
                    for n in range(1, count + 1)
                ],
                "download_url": ""
                if carer
                else reverse("files:attachment_download", kwargs={"pk": attachment.pk}),
            }
        )
    reads = [] if carer else list(item.reads.select_related("reader").order_by("read_at"))
    return render(
        request,
        "files/reports/detail.html",
        {
            "report": item,
            "attachments": attachments,
            "reads": reads,
            "is_carer": carer,
            "back_url": reverse("files:household_reports", kwargs={"pk": item.household_id}),
        },
    )


def _attachment(request: HttpRequest, pk: int) -> ReportAttachment:
    return get_object_or_404(
        ReportAttachment.objects.filter(report__in=reports_visible_to(_user(request))).select_related(
            "file", "report"
        ),
        pk=pk,
    )


@GET
@login_required
def attachment_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """PH-2: one page of an attachment as an image, watermarked; logged against the report."""
    attachment = _attachment(request, pk)
    log_view(request, attachment.report)
    return _page_image(request, attachment.file, number)


@GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """PH-2: staff download an attachment (never a carer)."""
    if is_carer(_user(request)):
        raise Http404
    attachment = _attachment(request, pk)
    log_view(request, attachment.report)
    name = attachment.file.filename or f"attachment-{attachment.pk}"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return serve.file_response(attachment.file, download_name=_download_name(stem, attachment.file))
