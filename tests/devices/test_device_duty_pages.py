"""What the pages say of a device the policy does not allow (DV-3, DV-4, DV-10).

A prohibited device asks for nothing but its removal, on the register and on the
device's page; an agreement that lists a device not allowed today says so, on the
page and in the PDF, so it never reads as if the device were agreed. The world's own
household (Patel) has a CCTV camera in its lounge that needs an approved exception
(tests/devices/world.py).
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safecare.agreements.models import Agreement, AgreementKind
from safecare.agreements.services import version_create
from safecare.devices import services_register
from safecare.devices.models import Device, DeviceType, Purpose, RoomKind

pytestmark = pytest.mark.django_db

# A connected camera in the bathroom with no password, no two-factor and nobody told.
BATHROOM_CAMERA = {
    "device_type": DeviceType.INTERNAL_SECURITY_CAMERA,
    "room": "Bathroom",
    "room_kind": RoomKind.BATHROOM,
    "positioning": "Over the door",
    "records_video": True,
    "purpose": Purpose.PROPERTY,
    "internet_connected": True,
    "cloud_upload": True,
    "responsible_person": "Carol Patel",
    "retention_hours": 48,
}


def _bathroom_camera(world) -> Device:  # type: ignore[no-untyped-def]
    return services_register.device_declare(
        actor=world.carol, household=world.household_own, **BATHROOM_CAMERA
    )


def test_dv3_the_register_asks_only_that_a_prohibited_device_is_taken_out(world, client_for) -> None:
    _bathroom_camera(world)
    url = reverse("devices:household_devices", kwargs={"pk": world.household_own.pk})
    carer_page = client_for(world.carol).get(url).content.decode()
    # In plain words for the carers, then the rule.
    assert "You cannot have a camera or microphone in a bathroom or toilet. Take it out." in carer_page
    staff_page = client_for(world.sam).get(url).content.decode()
    assert "DV-3: take it out: no camera or microphone may be in a bathroom or toilet" in staff_page
    for page in (carer_page, staff_page):
        bathroom_row = page.split("Bathroom<span")[1].split("</tr>")[0]
        assert "The only thing to do is to take it out." in bathroom_row
        assert "Also to do" not in bathroom_row
        # Nothing moot is asked of a device that has to go: no password, two-factor, update or date.
        for moot in ("strong password", "two-factor", "software up to date", "was told where it is"):
            assert moot not in page.split("On the register")[0], moot
            assert moot not in bathroom_row, moot


def test_dv3_the_device_page_asks_only_that_it_is_taken_out(world, client_for) -> None:
    device = _bathroom_camera(world)
    page = (
        client_for(world.sam).get(reverse("devices:device_detail", kwargs={"pk": device.pk})).content.decode()
    )
    assert "The only thing to do is to take it out." in page
    assert "strong password" not in page and "Also to do" not in page


def test_dv4_a_device_that_needs_an_exception_still_lists_what_else_is_missing(world, client_for) -> None:
    Device.objects.filter(pk=world.device_own.pk).update(members_told_on=None)
    url = reverse("devices:household_devices", kwargs={"pk": world.household_own.pk})
    page = client_for(world.sam).get(url).content.decode()
    assert "take it out, or the service must agree an exception" in page
    assert "DV-11: record the date everyone in the household was told" in page


def _version_listing_the_register(world):  # type: ignore[no-untyped-def]
    scfa = Agreement.objects.get(household=world.household_own, kind=AgreementKind.HOUSEHOLD)
    latest = scfa.versions.order_by("-number").first()
    return version_create(
        actor=world.sam,
        sections=dict(latest.sections),
        participants=list(latest.participants.all()),
        based_on=latest.number,
        agreement=scfa,
    )


def test_dv10_an_agreement_listing_a_device_not_allowed_today_warns_on_the_page(world, client_for) -> None:
    _bathroom_camera(world)
    services_register.device_declare(
        actor=world.sam,
        household=world.household_own,
        device_type=DeviceType.VIDEO_DOORBELL,
        room="Front door",
        room_kind=RoomKind.OUTSIDE,
        positioning="Beside the front door, facing the path",
        records_video=True,
        purpose=Purpose.PROPERTY,
        responsible_person="Carol Patel",
        retention_hours=0,
        members_told_on=timezone.localdate(),
    )
    version = _version_listing_the_register(world)
    assert len(version.devices) == 3
    # Staff read the rule ids; the carer reads the same words with a policy-reference link.
    for user, rule in ((world.sam, "DV-3: "), (world.carol, "")):
        page = client_for(user).get(f"/agreements/versions/{version.pk}/").content.decode()
        listed = page.split("Cameras and microphones covered")[1].split("</dd>")[0]
        bathroom = listed.split("Internal security camera in Bathroom")[1].split("<br>")[0]
        assert (
            f"Not allowed: prohibited ({rule}no camera or microphone may be in a bathroom or toilet)"
            in bathroom
        )
        lounge = listed.split("CCTV camera in Lounge")[1].split("<br>")[0]
        exception = "DV-4: " if rule else ""
        assert (
            f"Not allowed: needs an approved exception ({exception}CCTV or a security camera inside" in lounge
        )
        doorbell = listed.split("Video doorbell in Front door")[1]
        assert "Not allowed" not in doorbell


def test_dv10_the_agreement_pdf_carries_the_warning_with_the_day_of_the_verdict(world) -> None:
    from safecare.agreements.views import _version_context

    _bathroom_camera(world)
    version = _version_listing_the_register(world)
    html = render_to_string("agreements/pdf.html", _version_context(version))
    today = timezone.localdate()
    assert (
        "Not allowed: prohibited (DV-3: no camera or microphone may be in a bathroom or toilet) "
        f"(the verdict on {today.day} {today:%B %Y})"
    ) in html


def test_dv10_a_device_since_made_allowed_or_removed_carries_no_warning(world, client_for) -> None:
    device = _bathroom_camera(world)
    version = _version_listing_the_register(world)
    services_register.device_remove(actor=world.sam, device=device, removed_on=timezone.localdate())
    page = client_for(world.sam).get(f"/agreements/versions/{version.pk}/").content.decode()
    assert "Internal security camera in Bathroom" in page
    assert "Not allowed: prohibited" not in page


def test_dv4_no_request_is_offered_to_a_household_not_yet_approved(world, client_for) -> None:
    asha = client_for(world.asha)
    household = world.household_applicant
    page = asha.get(reverse("devices:household_requests", kwargs={"pk": household.pk})).content.decode()
    assert "DV-4: an exception is for approved foster carers only" in page
    create = reverse("devices:request_create", kwargs={"pk": household.pk})
    assert create not in page
    opened = asha.get(create)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("devices:household_requests", kwargs={"pk": household.pk})
    # Posted anyway, the service refuses it, naming the rule, and nothing is saved.
    posted = asha.post(create, {"reasons": "A camera for the lounge"})
    assert posted.status_code == 200
    assert (
        "DV-4 an exception for CCTV inside the home is for approved foster carers only"
        in posted.content.decode()
    )
