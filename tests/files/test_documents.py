"""PH-1: documents the service shares with carers (files.services_documents).

The policy: staff share placement information, plans and reports with a household or about a
child; carers read them in the portal only; a document about a child reaches the carers the
child is placed with now; staff can withdraw one, with a reason, and carers stop seeing it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from safecare.core.models import Notification
from safecare.files import services_documents as services
from safecare.files import storage
from safecare.files.models import DocumentKind, DocumentSource, SharedDocument, StoredFile
from safecare.files.selectors import documents_visible_to
from safecare.files.services_documents import Upload
from safecare.households.models import PlacementEndReason


def make_pdf(pages: int = 1) -> bytes:
    """A small valid PDF of `pages` pages, each a coloured square (no fonts needed)."""
    objects: list[tuple[int, bytes]] = []
    kids = []
    number = 3
    for index in range(pages):
        content = f"0 0 1 rg {20 + index * 10} 20 100 100 re f".encode()
        kids.append(f"{number} 0 R")
        objects.append(
            (
                number,
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents {number + 1} 0 R >>".encode(),
            )
        )
        objects.append((number + 1, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"))
        number += 2
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>".encode()),
        *objects,
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for num, body in objects:
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def make_png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def share(
    world: Any,
    *,
    actor: Any = None,
    household: Any = "own",
    child: Any = None,
    title: str = "Placement information for Xavier",
    pages: int = 2,
    upload: Upload | None = None,
) -> SharedDocument:
    return services.document_share(
        actor=actor or world.sam,
        household=world.household_own if household == "own" else household,
        child=child,
        title=title,
        kind=DocumentKind.PLACEMENT_INFORMATION,
        description="Read before the review.",
        upload=upload or Upload("info.pdf", make_pdf(pages)),
    )


def end_placement(world: Any) -> None:
    """The placement of child_own with household_own ended yesterday."""
    world.placement_own.end_on = timezone.localdate() - dt.timedelta(days=1)
    world.placement_own.end_reason = PlacementEndReason.PLANNED_MOVE
    world.placement_own.save()


def blobs() -> set[str]:
    """Every blob in the files storage (names only), to check a refusal wrote none."""
    root = Path(storage.file_storage().location)  # type: ignore[attr-defined]
    return {str(path) for path in root.rglob("*") if path.is_file()}


def _refusal(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_ph1_a_pdf_shared_with_a_household_is_kept_encrypted_and_read_by_its_carers(world) -> None:
    document = share(world, pages=3)
    assert document.source == DocumentSource.PDF
    assert document.page_count == 3
    assert document.file.content_type == "application/pdf"
    # Encrypted at rest: the stored blob is not the PDF; the storage gives the PDF back.
    with storage.file_storage().open(document.file.name, "rb") as handle:
        assert not handle.read().startswith(b"%PDF")
    assert storage.read(document.file).startswith(b"%PDF")
    assert documents_visible_to(world.carol).filter(pk=document.pk).exists()
    assert not documents_visible_to(world.oscar).filter(pk=document.pk).exists()
    assert document.history.count() == 1
    assert document.history.first().history_user == world.sam


def test_ph1_an_image_is_shared_cleaned_as_one_page(world) -> None:
    document = share(world, upload=Upload("scan.png", make_png()))
    assert document.source == DocumentSource.IMAGE
    assert document.page_count == 1
    assert document.file.content_type == "image/jpeg"


def test_ph1_sharing_tells_the_carers_who_will_read_it_without_personal_data_in_the_email(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = share(world)
    alerts = Notification.objects.filter(kind="document_shared")
    assert [n.recipient for n in alerts] == [world.carol]
    (alert,) = alerts
    assert alert.rule_id == "PH-1"
    assert alert.url == f"/documents/{document.pk}/"
    assert alert.household_id == world.household_own.pk
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    for personal in ("Xavier", "Patel", "Carol", "Placement information"):
        assert personal not in subject


def test_ph1_a_document_about_a_child_alone_reaches_the_carers_the_child_is_placed_with_now(world) -> None:
    document = share(world, actor=world.chris, household=None, child=world.child_own)
    assert [n.recipient for n in Notification.objects.filter(kind="document_shared")] == [world.carol]
    assert documents_visible_to(world.carol).filter(pk=document.pk).exists()
    # The placement ends: the carers no longer read it; the child's social worker still does.
    end_placement(world)
    assert not documents_visible_to(world.carol).filter(pk=document.pk).exists()
    assert documents_visible_to(world.chris).filter(pk=document.pk).exists()


def test_ph1_a_household_document_about_a_child_needs_the_child_placed_there_now(world) -> None:
    errors = _refusal(lambda: share(world, actor=world.sue, child=world.child_other))
    assert "PH-1" in errors["child"][0]


def test_ph1_only_a_sharer_who_sees_the_household_or_child_may_share(world) -> None:
    with pytest.raises(PermissionDenied):
        share(world, actor=world.carol)  # a carer shares nothing
    with pytest.raises(PermissionDenied):
        share(world, actor=world.helen)  # head of fostering: not a sharer (files.rules)
    with pytest.raises(PermissionDenied):
        share(world, actor=world.sam, household=world.household_other)  # not sam's household
    with pytest.raises(PermissionDenied):
        share(world, actor=world.sam, household=world.household_south)


def test_ph1_a_refused_file_stores_nothing_and_names_the_field_and_the_rule(world) -> None:
    before, written = StoredFile.objects.count(), blobs()
    errors = _refusal(lambda: share(world, upload=Upload("notes.docx", b"PK\x03\x04 not really a document")))
    assert errors["file"][0].startswith("File: notes.docx: ")
    assert errors["file"][0].endswith("(PH-1)")
    broken = _refusal(lambda: share(world, upload=Upload("broken.pdf", b"%PDF-1.4 nonsense")))
    assert "broken.pdf" in broken["file"][0]
    assert StoredFile.objects.count() == before
    assert blobs() == written  # nothing written to the storage either
    assert not SharedDocument.objects.exists()


def test_ph1_title_kind_and_file_are_required_each_named(world) -> None:
    errors = _refusal(
        lambda: services.document_share(
            actor=world.sam,
            household=world.household_own,
            child=None,
            title="  ",
            kind="",
            upload=None,
        )
    )
    assert set(errors) == {"title", "kind", "file"}
    assert all("PH-1" in messages[0] for messages in errors.values())


def test_ph1_withdrawing_needs_a_reason_hides_it_from_carers_and_keeps_its_history(world) -> None:
    document = share(world)
    errors = _refusal(lambda: services.document_withdraw(actor=world.sam, document=document, reason=" "))
    assert errors["reason"] == ["Reason: PH-1 say why the document is withdrawn"]
    services.document_withdraw(actor=world.sam, document=document, reason="Sent to the wrong family.")
    document.refresh_from_db()
    assert document.withdrawn_by == world.sam
    assert not documents_visible_to(world.carol).filter(pk=document.pk).exists()
    assert documents_visible_to(world.sam).filter(pk=document.pk).exists()
    history = list(document.history.order_by("history_date"))
    assert [h.withdrawn_reason for h in history] == ["", "Sent to the wrong family."]
    assert history[-1].history_user == world.sam
    again = _refusal(lambda: services.document_withdraw(actor=world.sam, document=document, reason="Again"))
    assert "already withdrawn" in again["reason"][0]
    with pytest.raises(PermissionDenied):
        services.document_withdraw(actor=world.carol, document=document, reason="No")


RTF = b"{\\rtf1\\ansi Placement plan for the review.}"


def test_ph1_an_office_document_is_shared_converted_and_its_original_kept_for_staff(
    world, client_for, monkeypatch
) -> None:
    from django.urls import reverse

    from safecare.files import documents

    # LibreOffice's conversion is tested with files.documents; here it is replaced, for speed.
    monkeypatch.setattr(documents, "convert_to_pdf", lambda data, kind: make_pdf(2))
    document = share(world, upload=Upload("plan.rtf", RTF))
    assert document.source == DocumentSource.CONVERTED
    assert (document.file.content_type, document.page_count) == ("application/pdf", 2)
    assert document.original is not None
    assert storage.read(document.original) == RTF
    original = reverse("files:document_original", kwargs={"pk": document.pk})
    staff = client_for(world.sam).get(original)
    assert staff.status_code == 200 and staff.content == RTF
    assert client_for(world.carol).get(original).status_code == 404


def test_ph1_an_office_document_is_refused_with_a_clear_message_where_no_converter_is_kept(
    world, settings
) -> None:
    settings.SAFECARE_SOFFICE = "no-such-converter"
    errors = _refusal(lambda: share(world, upload=Upload("plan.rtf", RTF)))
    (message,) = errors["file"]
    assert message.startswith("File: plan.rtf: ") and message.endswith("(PH-1)")
    assert "PDF" in message  # says what to do instead
    assert not SharedDocument.objects.exists()
