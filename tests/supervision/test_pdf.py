"""The supervision record as a PDF (SC-10, PH-1; decision 0029).

The household's side who may see the record may download it, with one access-log row
naming the household, as the page logs. Carers read the record in Safecare (PH-1);
anyone out of scope gets 404.
"""

from __future__ import annotations

from django.urls import reverse

from safecare.core.models import AccessLog
from tests.pdftext import pdf_pages

LINK = "Download as PDF"


def _urls(supervision) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return (
        reverse("supervision:supervision_detail", kwargs={"pk": supervision.pk}),
        reverse("supervision:supervision_pdf", kwargs={"pk": supervision.pk}),
    )


def test_the_supervising_social_worker_downloads_the_record_and_the_view_is_logged(world, client_for) -> None:
    supervision = world.completed_supervision_own
    page_url, pdf_url = _urls(supervision)
    sam = client_for(world.sam)
    assert f'<a class="govuk-link" href="{pdf_url}">{LINK}</a>' in sam.get(page_url).content.decode()
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = sam.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{supervision.reference}.pdf"'
    logged = list(AccessLog.objects.filter(id__gt=last).values_list("user_id", "subject_type", "subject_id"))
    assert logged == [(world.sam.pk, "household", world.household_own.pk)]
    text = " ".join(pdf_pages(response.content))
    assert "Supervision record" in text and "Patel household" in text and supervision.reference in text
    assert "How the placement is going." in text
    assert "Reviewed the safe caring agreement together." in text
    assert "No new devices." in text


def test_a_draft_prints_as_a_draft(world, client_for) -> None:
    response = client_for(world.sam).get(_urls(world.supervision_own)[1])
    assert response.status_code == 200
    assert "This record is A DRAFT" in " ".join(pdf_pages(response.content))


def test_carers_read_the_record_in_safecare_and_get_no_pdf(world, client_for) -> None:
    page_url, pdf_url = _urls(world.completed_supervision_own)
    carol = client_for(world.carol)
    page = carol.get(page_url)
    assert page.status_code == 200 and LINK not in page.content.decode()
    assert carol.get(pdf_url).status_code == 404


def test_out_of_scope_the_pdf_is_404(world, client_for) -> None:
    _, pdf_url = _urls(world.completed_supervision_other)
    for user in (world.sam, world.chris, world.oscar, world.olga):
        assert client_for(user).get(pdf_url).status_code == 404, user.username
    assert client_for(world.frank).get(pdf_url).status_code == 200
