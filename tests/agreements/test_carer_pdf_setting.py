"""Carers download their signed agreements only where the service allows it (PH-1, decision 0029).

PH-1: documents the service gives carers are read in Safecare, not kept on their devices,
so the setting is off by default. Off: a carer sees no PDF link and the PDF answers 404.
On: a carer may download a version of her own household's agreement that she has signed.
Staff keep their access whatever the setting.
"""

from __future__ import annotations

from django.urls import reverse

from safecare.agreements.services import version_sign
from safecare.core.models import AccessLog, FosteringService
from tests.core.test_settings_pages import settings_data
from tests.pdftext import pdf_pages

PDF_LINK = "Print the current version (PDF)"


def _allow(service: FosteringService) -> None:
    service.carers_may_download_agreements = True
    service.save(update_fields=["carers_may_download_agreements"])


def _urls(world) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    version = world.agreement_version_own
    return (
        reverse("agreements:household", kwargs={"pk": world.household_own.pk}),
        reverse("agreements:version", kwargs={"pk": version.pk}),
        reverse("agreements:pdf", kwargs={"pk": version.pk}),
    )


def test_by_default_carers_may_not_download_their_agreement(world, client_for) -> None:
    assert FosteringService._meta.get_field("carers_may_download_agreements").get_default() is False
    assert world.service.carers_may_download_agreements is False
    page_url, version_url, pdf_url = _urls(world)
    carol = client_for(world.carol)
    assert PDF_LINK not in carol.get(page_url).content.decode()
    assert "(PDF)" not in carol.get(version_url).content.decode()
    assert carol.get(pdf_url).status_code == 404
    # Staff keep their access.
    sam = client_for(world.sam)
    assert PDF_LINK in sam.get(page_url).content.decode()
    assert sam.get(pdf_url).status_code == 200


def test_when_the_service_allows_it_a_carer_downloads_the_agreement_she_signed(world, client_for) -> None:
    _allow(world.service)
    page_url, version_url, pdf_url = _urls(world)
    carol = client_for(world.carol)
    assert f'href="{pdf_url}"' in carol.get(page_url).content.decode()
    assert f'href="{pdf_url}"' in carol.get(version_url).content.decode()
    before = AccessLog.objects.count()
    response = carol.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_pages(response.content))
    assert "Safe Caring Family Agreement" in text and "OFFICIAL-SENSITIVE" in text
    # One access-log row, naming the household whose agreement it is.
    logged = AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - before]
    assert [(row.user_id, row.subject_type, row.subject_id) for row in logged] == [
        (world.carol.pk, "household", world.household_own.pk)
    ]


def test_a_carer_gets_no_pdf_of_a_version_she_has_not_signed(world, client_for) -> None:
    _allow(world.service)
    version = world.child_agreement_version_own
    pdf_url = reverse("agreements:pdf", kwargs={"pk": version.pk})
    carol = client_for(world.carol)
    assert carol.get(pdf_url).status_code == 404
    version_sign(actor=world.carol, version=version, confirmed=True)
    assert carol.get(pdf_url).status_code == 200


def test_a_carer_gets_404_on_another_households_agreement_even_when_allowed(world, client_for) -> None:
    _allow(world.service)
    version = world.agreement_version_own
    pdf_url = reverse("agreements:pdf", kwargs={"pk": version.pk})
    assert client_for(world.oscar).get(pdf_url).status_code == 404


def test_the_setting_is_on_the_settings_page_with_ph1_in_its_hint_and_can_be_turned_on(
    world, client_for
) -> None:
    harry = client_for(world.harry)
    response = harry.get(reverse("settings:edit"))
    field = response.context["form"].fields["carers_may_download_agreements"]
    assert field.label == "Foster carers may download their signed agreements as PDFs"
    assert "(PH-1)" in field.help_text and "not kept on their own phones or computers" in field.help_text
    assert field.help_text.endswith("Default: No.")
    assert "carers_may_download_agreements" in response.content.decode()

    saved = harry.post(
        reverse("settings:edit"), settings_data(world.service, carers_may_download_agreements=True)
    )
    assert saved.status_code == 302
    world.service.refresh_from_db()
    assert world.service.carers_may_download_agreements is True
    assert client_for(world.carol).get(_urls(world)[2]).status_code == 200
