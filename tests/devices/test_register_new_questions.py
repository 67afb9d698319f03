"""The register's questions for DV-3, DV-8 and DV-9, on the page and in the API.

- DV-3: a device with a camera is a camera, even if it records nothing ("Does it have a camera?").
- DV-8: when a pet camera records ("When does it record?").
- DV-9: whether the child a monitor is for sleeps in its room ("Does the child it is for sleep in
  this room?"), asked whenever a baby monitor names a child, because without it the monitor is
  not in that child's sleeping area and is prohibited.

The world's own household (Patel) has carer Carol, SSW Sam and Xavier placed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.devices.models import Device, DeviceStatus, DeviceType, Purpose, RecordsWhen, RoomKind
from safecare.devices.selectors import device_verdict
from safecare.devices.verdict import Level
from tests.api.helpers import send, url
from tests.page_form import filled_in

pytestmark = pytest.mark.django_db


def _day(date: dt.date) -> str:
    return f"{date.day}/{date.month}/{date.year}"


def answers(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "device_type": DeviceType.SMART_SPEAKER,
        "status": DeviceStatus.IN_USE,
        "room": "Our bedroom",
        "room_kind": RoomKind.OTHER_BEDROOM,
        "positioning": "On the bedside table",
        "captures": ["audio"],
        "purpose": Purpose.HOME_USE,
        "responsible_person": "Carol Patel",
        "retention_hours": "0",
        "members_told_on": _day(timezone.localdate()),
        "monitors": "",
    }
    data.update(changes)
    return data


def create(world, client_for, **changes: object):  # type: ignore[no-untyped-def]
    return client_for(world.carol).post(
        reverse("devices:device_create", kwargs={"pk": world.household_own.pk}), answers(**changes)
    )


def latest(world) -> Device:  # type: ignore[no-untyped-def]
    return Device.objects.filter(household=world.household_own).latest("id")


def test_dv3_a_smart_speaker_with_a_camera_in_the_carers_bedroom_is_recorded_and_prohibited(
    world, client_for
) -> None:
    response = create(world, client_for, has_camera="yes")
    assert response.status_code == 302
    speaker = latest(world)
    assert speaker.has_camera and not speaker.records_video
    assert device_verdict(speaker).level == Level.PROHIBITED
    page = client_for(world.carol).get(response["Location"]).content.decode()
    assert "You cannot have a camera in any bedroom, including your own." in page
    assert "DV-3" in page
    staff = client_for(world.sam).get(response["Location"]).content.decode()
    assert "You cannot have a camera in any bedroom" not in staff and "DV-3" in staff


def test_dv3_the_camera_question_is_asked_with_its_hint(world, client_for) -> None:
    # The form is in steps: the questions are on the pages of their sections.
    carol = client_for(world.carol)
    url = reverse("devices:device_create", kwargs={"pk": world.household_own.pk})
    first = carol.get(url).content.decode()
    page = "".join(
        carol.post(url, filled_in(first, go=f"change-{section}")).content.decode() for section in (2, 6, 7)
    )
    assert "Does it have a camera?" in page
    assert "Say yes even if the camera is covered, switched off or does not record" in page
    assert "When does it record?" in page and "Only when nobody is home" in page
    assert "Does the child it is for sleep in this room?" in page


def test_dv8_the_hours_a_pet_camera_records_are_saved(world, client_for) -> None:
    response = create(
        world,
        client_for,
        device_type=DeviceType.PET_CAMERA,
        room="Kitchen",
        room_kind=RoomKind.COMMUNAL,
        captures=["video"],
        purpose=Purpose.PETS,
        records_when=RecordsWhen.OVERNIGHT,
    )
    assert response.status_code == 302
    camera = latest(world)
    assert camera.records_when == RecordsWhen.OVERNIGHT
    assert device_verdict(camera).level == Level.ALLOWED


def test_dv9_a_baby_monitor_naming_a_child_must_say_whether_they_sleep_in_that_room(
    world, client_for
) -> None:
    monitor = {
        "device_type": DeviceType.BABY_MONITOR,
        "room": "Xavier's bedroom",
        "room_kind": RoomKind.CHILD_BEDROOM,
        "purpose": Purpose.SLEEPING_CHILD,
        "monitors": f"child:{world.child_own.pk}",
        "monitoring_reason": "Seizures at night",
    }
    refused = create(world, client_for, **monitor)
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert errors["monitored_sleeps_here"] == [
        "DV-9: say whether the child it is for sleeps in this room; a baby monitor is allowed only in the "
        "bedroom where that child sleeps"
    ]
    body = refused.content.decode()
    assert "govuk-error-summary" in body and "Does the child it is for sleep in this room?" in body
    saved = create(world, client_for, **monitor, monitored_sleeps_here="yes")
    assert saved.status_code == 302
    assert latest(world).monitored_sleeps_here


def test_the_edit_form_shows_the_answers_given(world, client_for) -> None:
    create(world, client_for, has_camera="yes", records_when=RecordsWhen.NOBODY_HOME)
    device = latest(world)
    form = (
        client_for(world.carol).get(reverse("devices:device_edit", kwargs={"pk": device.pk})).context["form"]
    )
    assert form.initial["has_camera"] == "yes"
    assert form.initial["monitored_sleeps_here"] == "no"
    assert form.initial["records_when"] == RecordsWhen.NOBODY_HOME


def test_the_api_takes_the_new_facts_and_answers_with_the_deciding_rule_and_the_carers_words(
    world, client_for
) -> None:
    response = send(
        client_for(world.carol),
        "POST",
        url("device-list"),
        {
            "household": world.household_own.pk,
            "device_type": "smart_speaker",
            "room": "Our bedroom",
            "room_kind": "other_bedroom",
            "positioning": "On the bedside table",
            "records_audio": True,
            "has_camera": True,
            "purpose": "home_use",
            "records_when": "",
            "monitored_sleeps_here": False,
            "responsible_person": "Carol Patel",
            "retention_hours": 0,
            "members_told_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["has_camera"] is True and body["records_when"] == "" and body["monitored_sleeps_here"] is False
    )
    assert body["decider_agreed"] is None
    assert body["verdict"]["level"] == "prohibited" and body["verdict"]["deciding_rule"] == "DV-3"
    first = body["verdict"]["findings"][0]
    assert first["rule_id"] == "DV-3"
    assert first["carer_message"] == "You cannot have a camera in any bedroom, including your own."
