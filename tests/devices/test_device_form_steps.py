"""The device form in steps: one section a page, then "Check your answers", then saved.

The issue: the device form is 6,100 px tall on a phone; a long form is split into steps
with a check-answers page before it is sent, and nothing typed is lost on the way.
Each page is sent as the page itself would send it (tests.page_form), so the answers
carried in hidden inputs are tested as they are drawn.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.devices.models import Device, DeviceType, Purpose, RoomKind
from tests.page_form import filled_in

pytestmark = pytest.mark.django_db

STEP_HEADINGS = [
    "The device",
    "Where it is",
    "What it records and why",
    "Internet and security",
    "Recordings",
    "Who has been told",
    "Pet cameras",
    "Baby monitors",
]


def _h1(body: str) -> str:
    return body.split('<h1 class="govuk-heading-l">', 1)[1].split("</h1>", 1)[0]


def _today() -> dict[str, str]:
    """Today in the three boxes of the GOV.UK date input."""
    today = timezone.localdate()
    return {
        "members_told_on_day": str(today.day),
        "members_told_on_month": str(today.month),
        "members_told_on_year": str(today.year),
    }


# What Carol types on each page, in order.
TYPED = [
    {"device_type": DeviceType.VIDEO_DOORBELL, "description": "Ring Video Doorbell 4", "status": "in_use"},
    {"room": "Front door", "room_kind": RoomKind.OUTSIDE, "positioning": "Facing the path"},
    {"captures": ["video", "audio"], "purpose": Purpose.PROPERTY},
    {},
    {"responsible_person": "Carol Patel", "retention_hours": "0"},
    _today(),
    {},
    {},
]


def _walk_to_the_check_page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    body = client.get(url).content.decode()
    for number, (heading, typed) in enumerate(zip(STEP_HEADINGS, TYPED, strict=True), start=1):
        assert _h1(body) == heading
        assert f"Step {number} of 8" in body
        body = client.post(url, filled_in(body, go="next", **typed)).content.decode()
    return body


def test_each_section_is_a_page_and_nothing_is_saved_before_the_check_page(world, client_for) -> None:
    carol = client_for(world.carol)
    url = reverse("devices:device_create", kwargs={"pk": world.household_own.pk})
    before = Device.objects.count()
    body = _walk_to_the_check_page(carol, url)
    assert _h1(body) == "Check your answers"
    assert Device.objects.count() == before
    # Every answer, as the person chose it (the label, not the stored value), with a way to change it.
    for shown in ("Video doorbell", "Ring Video Doorbell 4", "Front door", "Facing the path", "Carol Patel"):
        assert f'<dd class="govuk-summary-list__value">{shown}</dd>' in body
    assert body.count('name="go" value="change-') >= 20
    response = carol.post(url, filled_in(body, go="save"))
    assert response.status_code == 302
    device = Device.objects.get(household=world.household_own, room="Front door")
    assert device.device_type == DeviceType.VIDEO_DOORBELL
    assert device.description == "Ring Video Doorbell 4"
    assert device.positioning == "Facing the path"
    assert device.records_video and device.records_audio
    assert device.responsible_person == "Carol Patel"
    assert device.members_told_on == timezone.localdate()


def test_continue_shows_only_the_errors_of_the_page_and_stays_on_it(world, client_for) -> None:
    carol = client_for(world.carol)
    url = reverse("devices:device_create", kwargs={"pk": world.household_own.pk})
    body = carol.get(url).content.decode()
    body = carol.post(url, filled_in(body, go="next", description="A doorbell")).content.decode()
    assert _h1(body) == "The device"
    assert "What kind of device is it?" in body and "govuk-error-summary" in body
    # The required answers of later pages are not complained of yet.
    assert "say what kind of room or place it is" not in body
    assert 'value="A doorbell"' in body


def test_going_back_and_changing_an_answer_keeps_every_other_answer(world, client_for) -> None:
    carol = client_for(world.carol)
    url = reverse("devices:device_create", kwargs={"pk": world.household_own.pk})
    body = _walk_to_the_check_page(carol, url)
    body = carol.post(url, filled_in(body, go="change-1")).content.decode()
    assert _h1(body) == "Where it is"
    assert 'value="Front door"' in body
    body = carol.post(url, filled_in(body, go="back")).content.decode()
    assert _h1(body) == "The device"
    assert 'value="Ring Video Doorbell 4"' in body
    body = carol.post(url, filled_in(body, go="next")).content.decode()
    body = carol.post(url, filled_in(body, go="next", room="Back door")).content.decode()
    assert _h1(body) == "What it records and why"
    for _ in range(6):
        body = carol.post(url, filled_in(body, go="next")).content.decode()
    assert _h1(body) == "Check your answers"
    assert '<dd class="govuk-summary-list__value">Back door</dd>' in body
    assert carol.post(url, filled_in(body, go="save")).status_code == 302
    device = Device.objects.get(household=world.household_own, room="Back door")
    assert device.description == "Ring Video Doorbell 4" and device.responsible_person == "Carol Patel"


def test_the_check_page_sent_twice_saves_one_device(world, client_for) -> None:
    carol = client_for(world.carol)
    url = reverse("devices:device_create", kwargs={"pk": world.household_own.pk})
    body = _walk_to_the_check_page(carol, url)
    sent = filled_in(body, go="save")
    assert carol.post(url, sent).status_code == 302
    assert carol.post(url, sent).status_code == 302
    assert Device.objects.filter(household=world.household_own, room="Front door").count() == 1


def test_changing_a_device_walks_the_same_pages_and_keeps_what_was_not_changed(world, client_for) -> None:
    device = world.device_own
    sam = client_for(world.sam)
    url = reverse("devices:device_edit", kwargs={"pk": device.pk})
    before = {
        name: getattr(device, name) for name in ("room", "positioning", "responsible_person", "purpose")
    }
    body = sam.get(url).content.decode()
    assert _h1(body) == "The device"
    body = sam.post(url, filled_in(body, go="next", description="New model")).content.decode()
    for _ in range(7):
        body = sam.post(url, filled_in(body, go="next")).content.decode()
    assert _h1(body) == "Check your answers"
    assert sam.post(url, filled_in(body, go="save")).status_code == 302
    device.refresh_from_db()
    assert device.description == "New model"
    assert {name: getattr(device, name) for name in before} == before
