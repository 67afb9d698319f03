"""Every printed record carries the same page furniture (docs/decisions/0029-print-and-pdfs.md).

The service's name at the top of every page, the protective marking OFFICIAL-SENSITIVE at
the top and at the bottom of every page, "Page X of Y", and the roles in the policies'
words. Read from the PDFs themselves, as a reader of the paper would see them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from safecare.agreements.services import version_sign
from safecare.core.audit import save_as
from tests.pdftext import pdf_pages

PDFS = [
    ("agreements:pdf", "agreement_version_own"),
    ("devices:request_pdf", "cctv_request_own"),
    ("supervision:supervision_pdf", "completed_supervision_own"),
]


def _pages(client, name: str, pk: int) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(reverse(name, kwargs={"pk": pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_pages(response.content)


@pytest.mark.parametrize(("name", "record"), PDFS)
def test_every_page_names_the_service_is_marked_official_sensitive_top_and_bottom_and_numbered(
    world, client_for, name: str, record: str
) -> None:
    pages = _pages(client_for(world.sam), name, getattr(world, record).pk)
    assert pages
    for number, text in enumerate(pages, start=1):
        assert "North Fostering" in text
        # Once at the top and once at the bottom of the page.
        assert text.count("OFFICIAL-SENSITIVE") == 2
        assert f"Page {number} of {len(pages)}" in text
    assert "Page 1 of" in pages[0]


def test_the_agreement_names_each_signer_in_the_policies_words(world, client_for) -> None:
    version_sign(actor=world.carol, version=world.child_agreement_version_own, confirmed=True)
    version_sign(actor=world.sam, version=world.child_agreement_version_own, confirmed=True)
    version_sign(actor=world.chris, version=world.child_agreement_version_own, confirmed=True)
    client = client_for(world.sam)
    text = " ".join(_pages(client, "agreements:pdf", world.child_agreement_version_own.pk))
    assert f"{world.carol.display_name} Foster carer" in text
    assert f"{world.sam.display_name} Supervising social worker" in text
    assert f"{world.chris.display_name} Child's social worker" in text
    assert "SSW" not in text and "CSW" not in text
    scfa = " ".join(_pages(client, "agreements:pdf", world.agreement_version_own.pk))
    assert f"{world.sam.display_name} Supervising social worker" in scfa and "SSW" not in scfa


def test_the_cctv_report_names_the_supervising_social_worker(world, client_for) -> None:
    text = " ".join(_pages(client_for(world.sam), "devices:request_pdf", world.cctv_request_own.pk))
    assert "Supervising social worker" in text
    assert "Fostering social worker" not in text


def test_the_supervision_record_names_the_writer_and_their_role(world, client_for) -> None:
    supervision = world.completed_supervision_own
    text = " ".join(_pages(client_for(world.frank), "supervision:supervision_pdf", supervision.pk))
    assert f"Written by {world.sam.display_name}, supervising social worker" in text
    supervision.written_by = world.frank
    save_as(supervision, world.frank)
    text = " ".join(_pages(client_for(world.frank), "supervision:supervision_pdf", supervision.pk))
    assert f"Written by {world.frank.display_name}, fostering manager" in text


def test_a_record_of_two_pages_says_page_1_of_2_and_page_2_of_2(world, client_for) -> None:
    supervision = world.supervision_own
    supervision.discussion = "\n".join(
        f"Point {n}: how the week went at school and at home." for n in range(60)
    )
    save_as(supervision, world.sam)
    pages = _pages(client_for(world.sam), "supervision:supervision_pdf", supervision.pk)
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert all(page.count("OFFICIAL-SENSITIVE") == 2 and "North Fostering" in page for page in pages)
