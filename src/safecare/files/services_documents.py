"""Documents the service shares with carers (PH-1) and carers' reports through the portal (PH-2).

- PH-1: a social worker (or their manager) shares a PDF, an image or an office document
  (converted to PDF by documents.prepare_document where a converter is kept; refused otherwise)
  with a household they see, or about a child they see. Carers read it in the portal only,
  page by page as images (views_documents); staff may download it, and the office original
  when it was converted. The carers who will read it are told (alert "document_shared").
  Withdrawing it (a reason is required) hides it from carers at once; staff still see it,
  marked withdrawn, and its history is kept.
- PH-2: a carer sends a report about their household, or about a child placed with them now,
  with up to five attachments held like photos: cleaned images, checked PDFs, converted office
  documents, each encrypted (files.storage). A refused attachment refuses the whole report and
  nothing is stored. Sent is sent (append-only). The household's supervising social worker and,
  for a child, the child's social worker are told (alert "carer_report"). Each member of staff
  who opens a report is recorded once (ReportRead).

Every write runs in one transaction, files stored inside it (storage.store), so a refusal or an
interrupted upload leaves no row; the sweep removes any blob left without one.
Decisions: docs/decisions/0045-documents-read-in-the-portal.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.notifications import notify
from safecare.core.refusals import add_error
from safecare.households.access import children_visible_to, households_visible_to
from safecare.households.models import Child, Household, Placement
from safecare.households.selectors import child_csw, current_carers, household_worker

from . import storage
from .documents import PreparedDocument, prepare_document
from .images import Refused
from .models import (
    CarerReport,
    DocumentKind,
    ReportAttachment,
    ReportRead,
    SharedDocument,
    StoredFile,
)
from .selectors import documents_visible_to, is_carer

if TYPE_CHECKING:
    from safecare.core.models import User

TITLE_MAX = 200
LONG_TEXT = 20000
MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its name as the sender's device gave it, and its bytes."""

    name: str
    data: bytes


def _placed_now(child: Child, household: Household) -> bool:
    return Placement.objects.current().filter(child=child, household=household).exists()


def _homes_now(child: Child) -> list[Household]:
    return list(
        Household.objects.filter(
            pk__in=Placement.objects.current().filter(child=child).values("household")
        ).order_by("pk")
    )


def _prepare(upload: Upload) -> PreparedDocument:
    if not upload.data:
        raise Refused("The file is empty")
    return prepare_document(upload.data, upload.name)


def _store_prepared(*, service: object, prepared: PreparedDocument, filename: str, actor: User) -> StoredFile:
    return storage.store(
        service=service,  # type: ignore[arg-type]
        data=prepared.data,
        content_type=prepared.content_type,
        filename=filename,
        actor=actor,
    )


# PH-1: sharing ---------------------------------------------------------------------------------


def may_share(actor: User, *, household: Household | None = None, child: Child | None = None) -> bool:
    """PH-1: a sharer (files.rules) who sees the household and the child named."""
    if not actor.has_perm("files.share_document"):
        return False
    if household is not None and not households_visible_to(actor).filter(pk=household.pk).exists():
        return False
    return child is None or children_visible_to(actor).filter(pk=child.pk).exists()


def document_readers(document: SharedDocument) -> list[User]:
    """PH-1: the carers who read the document now (files.selectors.documents_visible_to decides)."""
    homes = [document.household] if document.household is not None else []
    if document.household is None and document.child is not None:
        homes = _homes_now(document.child)
    people: dict[int, User] = {}
    for home in homes:
        for carer in current_carers(home):
            if documents_visible_to(carer).filter(pk=document.pk).exists():
                people.setdefault(carer.pk, carer)
    return list(people.values())


def document_url(document: SharedDocument) -> str:
    return reverse("files:document", kwargs={"pk": document.pk})


@transaction.atomic
def document_share(
    *,
    actor: User,
    household: Household | None,
    child: Child | None,
    title: str,
    kind: str,
    description: str = "",
    upload: Upload | None,
) -> SharedDocument:
    """PH-1: share a document with a household, or about a child; the carers who read it are told."""
    if not actor.has_perm("files.share_document"):
        raise PermissionDenied
    if household is not None and not households_visible_to(actor).filter(pk=household.pk).exists():
        raise PermissionDenied
    if child is not None and not children_visible_to(actor).filter(pk=child.pk).exists():
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if household is None and child is None:
        add_error(errors, "child", "Who it is about: choose a household or a child (PH-1)")
    elif household is not None and child is not None and not _placed_now(child, household):
        add_error(
            errors,
            "child",
            "Which child is it about: PH-1 choose a child placed with this household now, or none",
        )
    title = title.strip()
    if not title:
        add_error(errors, "title", "Title: enter a title carers will recognise (PH-1)")
    elif len(title) > TITLE_MAX:
        add_error(errors, "title", f"Title: must be {TITLE_MAX} characters or fewer")
    if kind not in DocumentKind.values:
        add_error(errors, "kind", "What is it: choose what kind of document it is (PH-1)")
    if len(description) > LONG_TEXT:
        add_error(
            errors,
            "description",
            f"What carers should know about it: must be {LONG_TEXT:,} characters or fewer",
        )
    prepared: PreparedDocument | None = None
    if upload is None:
        add_error(errors, "file", "File: choose the document to share (PH-1)")
    else:
        try:
            prepared = _prepare(upload)
        except Refused as error:
            add_error(errors, "file", f"File: {upload.name}: {error} (PH-1)")
    if errors or prepared is None or upload is None:
        raise ValidationError(errors)

    service = actor.service
    if service is None:
        raise PermissionDenied
    stored = _store_prepared(service=service, prepared=prepared, filename=upload.name, actor=actor)
    original = None
    if prepared.original is not None:
        original = storage.store(
            service=service,
            data=prepared.original,
            content_type=prepared.original_type or "application/octet-stream",
            filename=upload.name,
            actor=actor,
        )
    document = SharedDocument(
        service=service,
        household=household,
        child=child,
        title=title,
        kind=kind,
        description=description.strip(),
        source=prepared.source,
        file=stored,
        original=original,
        page_count=max(1, prepared.page_count),
        shared_by=actor,
    )
    save_as(document, actor)
    home = household
    if home is None and child is not None:
        home = next(iter(_homes_now(child)), None)
    notify(
        service=service,
        recipients=[c for c in document_readers(document) if c.pk != actor.pk],
        kind="document_shared",
        rule_id="PH-1",
        subject="A document has been shared with you: read it in Safecare",
        reference=f"Document {document.pk}",
        url=document_url(document),
        household=home,
        dedupe_key=f"document_shared:{document.pk}",
    )
    return document


def may_withdraw(actor: User, document: SharedDocument) -> bool:
    return (
        actor.has_perm("files.withdraw_document")
        and document.withdrawn_at is None
        and documents_visible_to(actor).filter(pk=document.pk).exists()
    )


@transaction.atomic
def document_withdraw(*, actor: User, document: SharedDocument, reason: str) -> SharedDocument:
    """PH-1: carers stop seeing the document at once; staff see it marked withdrawn; history kept."""
    locked = SharedDocument.objects.select_for_update().filter(pk=document.pk).first()
    if locked is None or not actor.has_perm("files.withdraw_document"):
        raise PermissionDenied
    if not documents_visible_to(actor).filter(pk=locked.pk).exists():
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if locked.withdrawn_at is not None:
        add_error(errors, "reason", "Reason: PH-1 this document was already withdrawn")
    reason = reason.strip()
    if not reason:
        add_error(errors, "reason", "Reason: PH-1 say why the document is withdrawn")
    elif len(reason) > LONG_TEXT:
        add_error(errors, "reason", f"Reason: must be {LONG_TEXT:,} characters or fewer")
    if errors:
        raise ValidationError(errors)
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor
    locked.withdrawn_reason = reason
    save_as(locked, actor, update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    return locked


# PH-2: carers' reports -------------------------------------------------------------------------


def may_send_report(actor: User, household: Household) -> bool:
    return (
        actor.has_perm("files.send_report") and households_visible_to(actor).filter(pk=household.pk).exists()
    )


def report_url(report: CarerReport) -> str:
    return reverse("files:report", kwargs={"pk": report.pk})


@transaction.atomic
def report_send(
    *,
    actor: User,
    household: Household,
    child: Child | None,
    title: str,
    body: str,
    uploads: list[Upload] | None = None,
) -> CarerReport:
    """PH-2: a carer sends a report, with up to five attachments; any refused file refuses it all.

    Messages are for carers: plain English, naming the field and, for a file, its name.
    """
    if not may_send_report(actor, household):
        raise PermissionDenied
    uploads = list(uploads or [])
    errors: dict[str, list[str]] = {}
    if child is not None and not (
        children_visible_to(actor).filter(pk=child.pk).exists() and _placed_now(child, household)
    ):
        add_error(errors, "child", "Which child is it about: choose a child who lives with you now, or none")
    title = title.strip()
    if not title:
        add_error(errors, "title", "What is the report about: enter a short title")
    elif len(title) > TITLE_MAX:
        add_error(errors, "title", f"What is the report about: must be {TITLE_MAX} characters or fewer")
    if not body.strip():
        add_error(errors, "body", "Your report: write your report")
    elif len(body) > LONG_TEXT:
        add_error(errors, "body", f"Your report: must be {LONG_TEXT:,} characters or fewer")
    prepared: list[tuple[Upload, PreparedDocument]] = []
    if len(uploads) > MAX_ATTACHMENTS:
        add_error(
            errors, "attachments", f"Attachments: you can send up to {MAX_ATTACHMENTS} files with one report"
        )
    else:
        for upload in uploads:
            try:
                prepared.append((upload, _prepare(upload)))
            except Refused as error:
                add_error(errors, "attachments", f"Attachments: {upload.name}: {error}")
    if errors:
        raise ValidationError(errors)

    report = CarerReport(
        service=household.service,
        household=household,
        child=child,
        title=title,
        body=body.strip(),
        written_by=actor,
    )
    save_as(report, actor)
    for position, (upload, ready) in enumerate(prepared):
        stored = _store_prepared(service=household.service, prepared=ready, filename=upload.name, actor=actor)
        save_as(ReportAttachment(report=report, file=stored, position=position), actor)
    recipients = [household_worker(household)]
    if child is not None:
        recipients.append(child_csw(child))
    notify(
        service=household.service,
        recipients=[r for r in recipients if r is not None and r.pk != actor.pk],
        kind="carer_report",
        rule_id="PH-2",
        subject="A foster carer has sent a report: read it in Safecare",
        reference=f"Report {report.pk}",
        url=report_url(report),
        household=household,
        dedupe_key=f"carer_report:{report.pk}",
    )
    return report


def report_read(*, reader: User, report: CarerReport) -> ReportRead | None:
    """PH-2: the first time a member of staff opens a report (never a carer): kept once each."""
    if is_carer(reader):
        return None
    with transaction.atomic():
        read, _ = ReportRead.objects.get_or_create(report=report, reader=reader)
    return read


# Pages of a stored file ------------------------------------------------------------------------


def page_count(stored: StoredFile, data: bytes | None = None) -> int:
    """How many pages a stored PDF has (an image is one page)."""
    if stored.content_type != "application/pdf":
        return 1
    data = storage.read(stored) if data is None else data
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()
