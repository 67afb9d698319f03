"""Access table of documents shared with carers and carers' reports (safecare.files.views_documents
and api_documents, PH-1, PH-2).

Each household (household_own: the Patel household, carol, SSW sam, fostering team fiona, with
Xavier placed, CSW chris, children's team tom; household_other: the Jones household, oscar, no
SSW, with Yasmin; household_south in the other service) has a shared PDF (converted from an
office original, so the original's route is reachable) and a report its carer sent with one
attachment.

- a household's documents and reports lists: its carers and the staff who see the household;
  a child's documents: the staff who see the child (never a carer);
- a document, its page images: the household's carers and the staff who see it; downloading
  it (or its office original), sharing and withdrawing: the sharers (files.rules) who see it —
  never a carer, nor a head of service or of fostering;
- a report and its attachments' page images: the household's carers and the staff who see the
  household; downloading an attachment: those staff; writing one: the household's carers;
- "my documents" and "my reports": carers only.
Everyone else, and every other service, gets 404.
"""

from __future__ import annotations

from typing import Any

from safecare.files import storage
from safecare.files.models import (
    CarerReport,
    DocumentKind,
    DocumentSource,
    ReportAttachment,
    SharedDocument,
)

from .table_standards_api import EVERYONE, _api

SEE_OWN = {"sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
SEE_OTHER = {"sue", "frank", "helen", "harry"}
# files.rules is_sharer, among those who see the household or child.
SHARE_OWN = {"sam", "chris", "fiona", "tom", "sue", "frank"}
SHARE_OTHER = {"sue", "frank"}
CARERS = {"carol", "oscar"}

WALK_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def _records(world: Any, suffix: str, household: Any, carer: Any, sharer: Any) -> None:
    service = household.service
    pdf = storage.store(service=service, data=WALK_PDF, content_type="application/pdf", filename="plan.pdf")
    original = storage.store(
        service=service,
        data=b"PK office document",
        content_type="application/octet-stream",
        filename="plan.docx",
    )
    document = SharedDocument.objects.create(
        service=service,
        household=household,
        title="Care plan",
        kind=DocumentKind.PLAN,
        source=DocumentSource.CONVERTED,
        file=pdf,
        original=original,
        page_count=1,
        shared_by=sharer,
    )
    report = CarerReport.objects.create(
        service=service, household=household, title="A report", body="Something happened.", written_by=carer
    )
    attached = storage.store(service=service, data=WALK_PDF, content_type="application/pdf", filename="a.pdf")
    attachment = ReportAttachment.objects.create(report=report, file=attached)
    setattr(world, f"files_document_{suffix}", document)
    setattr(world, f"files_report_{suffix}", report)
    setattr(world, f"files_attachment_{suffix}", attachment)


def extend(world: Any) -> None:
    _records(world, "own", world.household_own, world.carol, world.sam)
    _records(world, "other", world.household_other, world.oscar, world.frank)
    south_carer = world.allocation_south.worker  # any user of the other service writes it
    _records(world, "south", world.household_south, south_carer, south_carer)


def _row(
    name: str, method: str, attr: str | None, allowed: set[str], allowed_other: set[str], **kwargs: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {"name": f"files:{name}", "method": method, "allowed": allowed}
    if attr is not None:
        row.update(
            {
                "kwargs": {"pk": attr, **kwargs},
                "own": attr,
                "other": attr.replace("_own", "_other"),
                "allowed_other": allowed_other,
            }
        )
    return row


ROUTES: list[dict[str, Any]] = [
    # PH-1: documents shared with carers.
    _row("my_documents", "GET", None, CARERS, set()),
    _row("household_documents", "GET", "household_own", SEE_OWN | {"carol"}, SEE_OTHER | {"oscar"}),
    _row("document_share_household", "GET", "household_own", SHARE_OWN, SHARE_OTHER),
    _row("document_share_household", "POST", "household_own", SHARE_OWN, SHARE_OTHER),
    _row("child_documents", "GET", "child_own", SEE_OWN, SEE_OTHER),
    _row("document_share_child", "GET", "child_own", SHARE_OWN, SHARE_OTHER),
    _row("document_share_child", "POST", "child_own", SHARE_OWN, SHARE_OTHER),
    _row("document", "GET", "files_document_own", SEE_OWN | {"carol"}, SEE_OTHER | {"oscar"}),
    _row("document_page", "GET", "files_document_own", SEE_OWN | {"carol"}, SEE_OTHER | {"oscar"}, number=1),
    _row("document_download", "GET", "files_document_own", SHARE_OWN, SHARE_OTHER),
    _row("document_original", "GET", "files_document_own", SHARE_OWN, SHARE_OTHER),
    _row("document_withdraw", "GET", "files_document_own", SHARE_OWN, SHARE_OTHER),
    _row("document_withdraw", "POST", "files_document_own", SHARE_OWN, SHARE_OTHER),
    # PH-2: carers' reports.
    _row("my_reports", "GET", None, CARERS, set()),
    _row("household_reports", "GET", "household_own", SEE_OWN | {"carol"}, SEE_OTHER | {"oscar"}),
    _row("report_create", "GET", "household_own", {"carol"}, {"oscar"}),
    _row("report_create", "POST", "household_own", {"carol"}, {"oscar"}),
    _row("report", "GET", "files_report_own", SEE_OWN | {"carol"}, SEE_OTHER | {"oscar"}),
    _row(
        "attachment_page", "GET", "files_attachment_own", SEE_OWN | {"carol"}, SEE_OTHER | {"oscar"}, number=1
    ),
    _row("attachment_download", "GET", "files_attachment_own", SEE_OWN, SEE_OTHER),
    # The API: metadata of documents; reports, sent by carers as JSON.
    _api("shared-document-list", "GET", EVERYONE),
    _api("shared-document-detail", "GET", SEE_OWN | {"carol"}, "files_document_own", SEE_OTHER | {"oscar"}),
    _api("carer-report-list", "GET", EVERYONE),
    _api("carer-report-list", "POST", CARERS),
    _api("carer-report-detail", "GET", SEE_OWN | {"carol"}, "files_report_own", SEE_OTHER | {"oscar"}),
]
