"""Agreement pages (SC-1, SC-4, SC-5): read, write a new version, sign, print."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.agreements.models import SECTION_KEYS, AgreementVersion
from safecare.agreements.services import version_hash
from safecare.core.models import AccessLog, Signature
from safecare.households import services as household_services
from tests.agreements.world import sections

pytestmark = pytest.mark.django_db


def _form(world, based_on: int, **changes: str) -> dict:  # type: ignore[no-untyped-def]
    data = {**sections(), **changes, "based_on": str(based_on)}
    data["participants"] = [str(m.pk) for m in world.household_own.members.all()]
    return data


def test_sc1_the_household_page_shows_the_current_version_and_who_signed_and_logs_the_view(
    world, client_for
) -> None:
    response = client_for(world.chris).get(
        reverse("agreements:household", kwargs={"pk": world.household_own.pk})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Agreed: privacy" in page and "Carol Patel (foster carer)" in page
    assert "Sam" in page and "(supervising social worker)" in page and "(SSW)" not in page
    assert AccessLog.objects.filter(user=world.chris, subject_type="household").exists()


def test_the_household_page_links_to_the_agreement(world, client_for) -> None:
    url = reverse("agreements:household", kwargs={"pk": world.household_own.pk})
    for user, page_name in ((world.sam, "households:section_agreements"), (world.carol, "households:detail")):
        page = client_for(user).get(reverse(page_name, kwargs={"pk": world.household_own.pk}))
        assert url in page.content.decode()


def test_editing_makes_a_new_version_prefilled_from_the_latest(world, client_for) -> None:
    client = client_for(world.sam)
    url = reverse("agreements:household_edit", kwargs={"pk": world.household_own.pk})
    form = client.get(url).content.decode()
    assert "Agreed: bathing dressing" in form and 'name="based_on" value="1"' in form
    response = client.post(url, _form(world, 1, privacy="Knock and wait"))
    assert response.status_code == 302
    version = AgreementVersion.objects.get(agreement=world.agreement_own, number=2)
    assert version.sections["privacy"] == "Knock and wait" and version.created_by == world.sam


def test_no_lost_edits_the_second_editor_is_refused_naming_the_sections_and_keeps_what_they_typed(
    world, client_for
) -> None:
    url = reverse("agreements:household_edit", kwargs={"pk": world.household_own.pk})
    assert client_for(world.sam).post(url, _form(world, 1, bedrooms="Doors open")).status_code == 302
    refused = client_for(world.fiona).post(url, _form(world, 1, transport="Child seats in the back"))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else saved version 2" in page and "They changed: Bedrooms" in page
    assert "Child seats in the back" in page  # what was typed is kept
    assert 'name="based_on" value="2"' in page  # saving again is deliberate
    assert AgreementVersion.objects.filter(agreement=world.agreement_own).count() == 2


def test_a_missing_section_is_named(world, client_for) -> None:
    url = reverse("agreements:household_edit", kwargs={"pk": world.household_own.pk})
    response = client_for(world.sam).post(url, _form(world, 1, transport=""))
    assert response.status_code == 200
    assert "write what the household agrees, or &#x27;none&#x27;" in response.content.decode()


def test_a_carer_signs_the_exact_text_shown_with_the_confirmation_box(world, client_for) -> None:
    url = reverse("agreements:household_edit", kwargs={"pk": world.household_own.pk})
    client_for(world.sam).post(url, _form(world, 1, privacy="New privacy rule"))
    version = AgreementVersion.objects.get(agreement=world.agreement_own, number=2)
    carol = client_for(world.carol)
    sign_url = reverse("agreements:sign", kwargs={"pk": version.pk})
    page = carol.get(sign_url).content.decode()
    assert "New privacy rule" in page and "You are signing as foster carer" in page
    unticked = carol.post(sign_url, {"content_hash": version_hash(version)})
    assert "tick the box" in unticked.content.decode()
    assert carol.post(sign_url, {"content_hash": version_hash(version), "confirm": "on"}).status_code == 302
    signature = Signature.objects.get(document_id=version.pk, signer=world.carol)
    assert signature.signed_as == "carer"
    # A carer of another household never reaches the signing page.
    assert client_for(world.oscar).get(sign_url).status_code == 404


def test_sc5_a_carer_sees_the_child_specific_agreement_only_while_the_child_lives_with_them(
    world, client_for
) -> None:
    url = reverse("agreements:child", kwargs={"pk": world.placement_own.pk})
    carol = client_for(world.carol)
    assert "Read and sign version 1" in carol.get(url).content.decode()
    child_page = carol.get(reverse("households:child_detail", kwargs={"pk": world.child_own.pk}))
    assert url in child_page.content.decode()
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=timezone.localdate(),
        end_reason="planned_move",
    )
    assert carol.get(url).status_code == 404
    version_url = reverse("agreements:version", kwargs={"pk": world.child_agreement_version_own.pk})
    assert carol.get(version_url).status_code == 404


def test_sc5_the_csw_writes_the_child_specific_agreement(world, client_for) -> None:
    url = reverse("agreements:child_edit", kwargs={"pk": world.placement_own.pk})
    response = client_for(world.chris).post(url, _form(world, 1, photos_internet="No photos online"))
    assert response.status_code == 302
    assert world.child_agreement_own.versions.get(number=2).sections["photos_internet"] == "No photos online"


def test_the_pdf_has_the_signature_block_and_is_for_staff_only(world, client_for) -> None:
    url = reverse("agreements:pdf", kwargs={"pk": world.agreement_version_own.pk})
    response = client_for(world.sam).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for(world.carol).get(url).status_code == 404  # PH-1: no download for carers


def test_the_pdf_template_names_each_signer_their_capacity_the_time_and_the_status(world) -> None:
    from django.template.loader import render_to_string

    from safecare.agreements.views import _version_context

    html = render_to_string("agreements/pdf.html", _version_context(world.agreement_version_own))
    assert "Foster carer" in html and "Supervising social worker" in html and "Current" in html
    signed = Signature.objects.filter(document_id=world.agreement_version_own.pk).first()
    assert signed is not None
    local = timezone.localtime(signed.signed_at)
    assert f"{local:%H:%M}" in html
    assert all(f"Agreed: {key.replace('_', ' ')}" in html for key in SECTION_KEYS)


def test_a_superseded_version_says_so(world, client_for) -> None:
    url = reverse("agreements:household_edit", kwargs={"pk": world.household_own.pk})
    sam = client_for(world.sam)
    sam.post(url, _form(world, 1, privacy="v2"))
    version = AgreementVersion.objects.get(agreement=world.agreement_own, number=2)
    for person in (world.carol, world.sam):
        client_for(person).post(
            reverse("agreements:sign", kwargs={"pk": version.pk}),
            {"content_hash": version_hash(version), "confirm": "on"},
        )
    page = sam.get(
        reverse("agreements:version", kwargs={"pk": world.agreement_version_own.pk})
    ).content.decode()
    assert "Superseded" in page
