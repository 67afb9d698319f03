"""PH-1 pages: carers read shared documents in the portal only, page by page as images carrying
their name and the time, never offered the file; staff may download; every view is logged;
nothing is cached (Cache-Control: no-store)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from PIL import Image, ImageChops

from safecare.core.models import AccessLog
from safecare.files import storage
from safecare.files.documents import render_page
from safecare.files.models import SharedDocument, StoredFile

from .test_documents import end_placement, make_pdf, share


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"files:{name}", kwargs=kwargs)


def _logged(document: SharedDocument, user: Any) -> int:
    return AccessLog.objects.filter(
        subject_type="shareddocument", subject_id=document.pk, user_id=user.pk
    ).count()


def test_ph1_the_carer_reads_every_page_as_an_image_and_is_offered_no_file(world, client_for) -> None:
    document = share(world, pages=3)
    page = client_for(world.carol).get(_url("document", pk=document.pk))
    assert page.status_code == 200
    html = page.content.decode()
    for number in (1, 2, 3):
        src = _url("document_page", pk=document.pk, number=number)
        assert f'src="{src}"' in html
        assert escape(f"Page {number} of 3 of {document.title}") in html
    assert html.count('loading="lazy"') == 3
    assert _url("document_download", pk=document.pk) not in html
    assert _url("document_original", pk=document.pk) not in html
    assert "Download" not in html and ".pdf" not in html
    assert "PH-" not in html  # carers read plain English
    listed = client_for(world.carol).get(_url("household_documents", pk=world.household_own.pk))
    assert "PH-" not in listed.content.decode()


def test_ph1_the_download_route_answers_a_carer_404_and_staff_the_file(world, client_for) -> None:
    document = share(world)
    for path in (_url("document_download", pk=document.pk), _url("document_original", pk=document.pk)):
        assert client_for(world.carol).get(path).status_code == 404
    staff_page = client_for(world.sam).get(_url("document", pk=document.pk)).content.decode()
    assert _url("document_download", pk=document.pk) in staff_page
    download = client_for(world.sam).get(_url("document_download", pk=document.pk))
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert download["Content-Disposition"] == 'attachment; filename="Placement information for Xavier.pdf"'
    assert "no-store" in download["Cache-Control"]


def test_ph1_the_page_and_each_page_image_are_no_store(world, client_for) -> None:
    document = share(world)
    client = client_for(world.carol)
    page = client.get(_url("document", pk=document.pk))
    image = client.get(_url("document_page", pk=document.pk, number=1))
    assert "no-store" in page["Cache-Control"]
    assert "no-store" in image["Cache-Control"]
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Disposition"] == "inline"


def test_ph1_each_page_image_carries_the_readers_watermark(world, client_for) -> None:
    document = share(world)
    image = client_for(world.carol).get(_url("document_page", pk=document.pk, number=1))
    shown = Image.open(io.BytesIO(image.content)).convert("RGB")
    plain = Image.open(
        io.BytesIO(render_page(storage.read(document.file), "application/pdf", 1, watermark=""))
    ).convert("RGB")
    assert shown.size == plain.size
    assert ImageChops.difference(shown, plain).getbbox() is not None  # the name and time are drawn
    # Another reader's name draws other pixels.
    other = Image.open(
        io.BytesIO(client_for(world.sam).get(_url("document_page", pk=document.pk, number=1)).content)
    ).convert("RGB")
    assert ImageChops.difference(shown, other).getbbox() is not None


def test_ph1_the_watermark_names_the_reader_and_the_local_time(world) -> None:
    from safecare.files.views_documents import watermark

    world.carol.last_name = "Patel"
    text = watermark(world.carol)
    assert text.startswith("Carol Patel ")
    assert ":" in text  # the time


def test_ph1_a_page_number_out_of_range_is_404(world, client_for) -> None:
    document = share(world, pages=2)
    client = client_for(world.carol)
    assert client.get(_url("document_page", pk=document.pk, number=2)).status_code == 200
    assert client.get(_url("document_page", pk=document.pk, number=3)).status_code == 404
    assert client.get(_url("document_page", pk=document.pk, number=0)).status_code == 404


def test_ph1_the_access_log_shows_who_read_which_document_and_each_page(world, client_for) -> None:
    document = share(world, pages=2)
    client = client_for(world.carol)
    client.get(_url("document", pk=document.pk))
    client.get(_url("document_page", pk=document.pk, number=1))
    client.get(_url("document_page", pk=document.pk, number=2))
    rows = AccessLog.objects.filter(
        subject_type="shareddocument", subject_id=document.pk, user_id=world.carol.pk
    )
    assert [r.path for r in rows.order_by("id")] == [
        _url("document", pk=document.pk),
        _url("document_page", pk=document.pk, number=1),
        _url("document_page", pk=document.pk, number=2),
    ]


def test_ph1_out_of_scope_readers_get_404(world, client_for) -> None:
    document = share(world)
    for person in (world.oscar, world.asha, world.bella, world.olga):
        client = client_for(person)
        assert client.get(_url("document", pk=document.pk)).status_code == 404, person.username
        assert client.get(_url("document_page", pk=document.pk, number=1)).status_code == 404
    # The placement ends: a document about the child is no longer the carer's.
    about = share(world, actor=world.chris, household=None, child=world.child_own)
    assert client_for(world.carol).get(_url("document", pk=about.pk)).status_code == 200
    end_placement(world)
    assert client_for(world.carol).get(_url("document", pk=about.pk)).status_code == 404


def test_ph1_a_withdrawn_document_is_404_to_carers_and_marked_for_staff(world, client_for) -> None:
    document = share(world)
    response = client_for(world.sam).post(_url("document_withdraw", pk=document.pk), {"reason": ""})
    assert response.status_code == 200
    assert "say why the document is withdrawn" in response.content.decode()
    response = client_for(world.sam).post(
        _url("document_withdraw", pk=document.pk), {"reason": "Sent to the wrong family."}
    )
    assert response.status_code == 302
    assert client_for(world.carol).get(_url("document", pk=document.pk)).status_code == 404
    assert client_for(world.carol).get(_url("document_page", pk=document.pk, number=1)).status_code == 404
    staff = client_for(world.sam).get(_url("document", pk=document.pk)).content.decode()
    assert "Withdrawn on" in staff and "Sent to the wrong family." in staff
    listed = (
        client_for(world.sam).get(_url("household_documents", pk=world.household_own.pk)).content.decode()
    )
    assert "Withdrawn" in listed
    carers_list = client_for(world.carol).get(_url("household_documents", pk=world.household_own.pk))
    assert document.title not in carers_list.content.decode()


def test_ph1_sharing_from_the_page_keeps_what_was_typed_when_the_file_is_refused(world, client_for) -> None:
    url = _url("document_share_household", pk=world.household_own.pk)
    bad = SimpleUploadedFile("notes.docx", b"PK\x03\x04 not a document", content_type="application/msword")
    response = client_for(world.sam).post(
        url, {"title": "Care plan", "kind": "plan", "description": "The latest plan", "file": bad}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "notes.docx" in html and "(PH-1)" in html
    assert 'value="Care plan"' in html and "The latest plan" in html
    assert "choose the file again" in html
    assert not SharedDocument.objects.exists()
    assert not StoredFile.objects.filter(created_by=world.sam).exists()
    good = SimpleUploadedFile("plan.pdf", make_pdf(1), content_type="application/pdf")
    response = client_for(world.sam).post(
        url, {"title": "Care plan", "kind": "plan", "child": world.child_own.pk, "file": good}
    )
    assert response.status_code == 302
    document = SharedDocument.objects.get()
    assert (document.household, document.child) == (world.household_own, world.child_own)


def test_ph1_the_carer_finds_the_documents_from_my_documents(world, client_for) -> None:
    document = share(world)
    client = client_for(world.carol)
    response = client.get(_url("my_documents"))
    assert response["Location"] == _url("household_documents", pk=world.household_own.pk)
    listed = client.get(response["Location"]).content.decode()
    assert document.title in listed
    assert client_for(world.sam).get(_url("my_documents")).status_code == 404


def test_ph1_the_childs_documents_are_for_staff(world, client_for) -> None:
    document = share(world, actor=world.chris, household=None, child=world.child_own)
    assert (
        document.title
        in client_for(world.chris).get(_url("child_documents", pk=world.child_own.pk)).content.decode()
    )
    assert client_for(world.carol).get(_url("child_documents", pk=world.child_own.pk)).status_code == 404
    # The household's list shows the carers a document about a child placed there now.
    assert (
        document.title
        in client_for(world.carol)
        .get(_url("household_documents", pk=world.household_own.pk))
        .content.decode()
    )


@pytest.mark.parametrize("person", ["carol", "sam"])
def test_ph1_the_list_costs_the_same_queries_whatever_the_number_of_documents(
    world, client_for, django_assert_max_num_queries, person
) -> None:
    client = client_for(getattr(world, person))
    url = _url("household_documents", pk=world.household_own.pk)
    share(world)
    client.get(url)  # the session and the like, read once
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(4):  # several sharers, some about a child: the same queries
        share(
            world,
            actor=world.sue if index == 3 else world.sam,
            title=f"Document {index}",
            child=world.child_own if index % 2 else None,
            pages=1,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('href="/documents/') == 5
