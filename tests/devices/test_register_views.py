"""The device register pages through HTTP (DV-1, DV-2, DV-9, DV-10, DV-11).

The world's own household (Patel) has carer Carol, SSW Sam and Xavier placed,
whose social worker is Chris; it already has a CCTV camera in the lounge
(tests/devices/world.py), which needs an approved exception (DV-4).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog, Task, TaskStatus
from safecare.devices import services_register
from safecare.devices.models import (
    ChildConsent,
    Device,
    DeviceCheck,
    DeviceStatus,
    DeviceType,
    Purpose,
    RoomKind,
)
from safecare.devices.selectors import DEVICE_REVIEW
from safecare.households.models import MemberKind, Placement, PlacementEndReason
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _day(date: dt.date) -> str:
    return f"{date.day}/{date.month}/{date.year}"


def answers(**changes: object) -> dict[str, object]:
    """A complete declaration of a doorbell camera, as a carer fills the form in."""
    data: dict[str, object] = {
        "device_type": DeviceType.VIDEO_DOORBELL,
        "description": "Ring Video Doorbell 4",
        "status": DeviceStatus.IN_USE,
        "installed_on": "",
        "room": "Front door",
        "room_kind": RoomKind.OUTSIDE,
        "positioning": "Beside the front door, facing the path",
        "captures": ["video", "audio"],
        "purpose": Purpose.PROPERTY,
        "purpose_detail": "",
        "connection": [],
        "security": [],
        "responsible_person": "Carol Patel",
        "retention_hours": "0",
        "storage": "",
        "access": "",
        "members_told_on": _day(timezone.localdate()),
        "visitors_told_on": "",
        "monitors": "",
        "monitoring_reason": "",
    }
    data.update(changes)
    return data


def register_url(world) -> str:
    return reverse("devices:household_devices", kwargs={"pk": world.household_own.pk})


def create_url(world) -> str:
    return reverse("devices:device_create", kwargs={"pk": world.household_own.pk})


def detail_url(device: Device) -> str:
    return reverse("devices:device_detail", kwargs={"pk": device.pk})


def declare(world, actor, **fields: object) -> Device:
    values: dict[str, object] = {
        "device_type": DeviceType.BABY_MONITOR,
        "status": DeviceStatus.IN_USE,
        "room": "Xavier's bedroom",
        "room_kind": RoomKind.CHILD_BEDROOM,
        "positioning": "On the chest of drawers, facing the bed",
        "records_audio": True,
        "purpose": Purpose.SLEEPING_CHILD,
        "responsible_person": "Carol Patel",
        "retention_hours": 0,
        "members_told_on": timezone.localdate(),
        "monitored_child": world.child_own,
        "monitored_sleeps_here": True,
        "monitoring_reason": "Xavier has seizures at night",
    }
    values.update(fields)
    return services_register.device_declare(actor=actor, household=world.household_own, **values)


# The register ----------------------------------------------------------------------------------


def test_dv1_the_register_shows_each_device_with_its_verdict_reasons_and_rule_ids(world, client_for) -> None:
    Device.objects.filter(pk=world.device_own.pk).update(needs_review=True)
    response = client_for(world.sam).get(register_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    # The lounge camera: DV-4, orange tag AND the words, never the colour alone.
    assert "govuk-tag--orange" in body
    assert "Needs an approved exception" in body
    assert "DV-4" in body and "needs an exception agreed by the service" in body
    assert "A communal area" in body and "Video" in body
    # DV-10: no agreement describes it yet.
    assert (
        "Not yet in: the Safe Caring Family Agreement, Xavier Smith&#x27;s child-specific agreement" in body
    )
    # DV-2: a change the SSW has not looked at yet.
    assert '<strong class="govuk-tag app-tag--nowrap">Waiting for review</strong>' in body
    assert reverse("devices:household_requests", kwargs={"pk": world.household_own.pk}) in body
    assert create_url(world) in body and "Add a device" in body
    assert reverse("devices:device_check", kwargs={"pk": world.household_own.pk}) in body
    assert AccessLog.objects.filter(user=world.sam, subject_type="household").exists()


def test_dv1_the_action_needed_items_are_listed_with_their_rules(world, client_for) -> None:
    Device.objects.filter(pk=world.device_own.pk).update(members_told_on=None, retention_hours=None)
    # Staff read each item with its rule; the carer reads the words, then a policy reference.
    body = client_for(world.sam).get(register_url(world)).content.decode()
    assert "DV-11: record the date everyone in the household was told where it is and why" in body
    assert "DV-1: record how long recordings are kept, or that none are kept" in body
    body = client_for(world.carol).get(register_url(world)).content.decode()
    assert "What needs doing" in body
    assert "DV-11:" not in body and 'href="/rules/#DV-11">policy reference DV-11</a>' in body


def test_dv3_a_prohibited_device_is_first_to_be_taken_out_and_nothing_moot_is_asked(
    world, client_for
) -> None:
    Device.objects.filter(pk=world.device_own.pk).update(
        room="Bathroom", room_kind="bathroom", members_told_on=None, internet_connected=True
    )
    body = client_for(world.carol).get(register_url(world)).content.decode()
    # The carers read it in plain words first, and the rule after it.
    assert (
        "CCTV camera (Bathroom)</a>: You cannot have a camera or microphone in a bathroom or toilet." in body
    )
    assert "(take it out: no camera or microphone may be in a bathroom" in body
    assert 'href="/rules/#DV-3">policy reference DV-3</a>' in body
    assert "DV-7" not in body.split("On the register")[0]
    assert "DV-11" not in body.split("On the register")[0]


def test_the_carers_register_speaks_to_them_and_lets_them_tell_us(world, client_for) -> None:
    body = client_for(world.carol).get(register_url(world)).content.decode()
    assert "Cameras and microphones in your home" in body
    assert "Tell us about a camera or microphone" in body
    assert "Record a device check" not in body


def test_a_childs_social_worker_sees_the_register_but_may_not_declare(world, client_for) -> None:
    client = client_for(world.chris)
    body = client.get(register_url(world)).content.decode()
    assert "Needs an approved exception" in body
    assert create_url(world) not in body
    assert client.get(create_url(world)).status_code == 404


def test_removed_devices_are_listed_apart_with_the_date_they_went(world, client_for) -> None:
    gone = timezone.localdate() - dt.timedelta(days=3)
    services_register.device_remove(actor=world.sam, device=world.device_own, removed_on=gone)
    body = client_for(world.sam).get(register_url(world)).content.decode()
    assert "No cameras or microphones are recorded." in body
    removed = body.split('<h2 class="govuk-heading-m">Removed</h2>')[1]
    assert "CCTV camera (Lounge)" in removed and gone.strftime("%-d %b %Y") in removed


# Declaring (DV-1, DV-2) --------------------------------------------------------------------------


def test_dv2_a_carers_declaration_opens_the_review_task_for_the_ssw(world, client_for) -> None:
    client = client_for(world.carol)
    form = client.get(create_url(world))
    assert form.status_code == 200
    assert "Tell us about a camera or microphone" in form.content.decode()
    response = client.post(create_url(world), answers())
    device = Device.objects.filter(household=world.household_own).latest("id")
    assert response.status_code == 302
    assert response["Location"] == detail_url(device)
    assert device.records_video and device.records_audio and device.declared_by == world.carol
    assert device.needs_review
    task = Task.objects.get(kind=DEVICE_REVIEW, household=world.household_own, status=TaskStatus.OPEN)
    assert task.owner == world.sam and task.rule_id == "DV-2"
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for review" in page
    assert "Allowed" in page and "DV-5" in page and "govuk-tag--green" in page


def test_dv2_a_declaration_by_the_ssw_counts_as_reviewed(world, client_for) -> None:
    response = client_for(world.sam).post(create_url(world), answers())
    device = Device.objects.filter(household=world.household_own).latest("id")
    assert response.status_code == 302
    assert not device.needs_review and device.reviewed_by == world.sam
    assert not Task.objects.filter(kind=DEVICE_REVIEW, household=world.household_own).exists()


def test_dv3_a_camera_in_a_childs_bedroom_is_shown_prohibited_with_its_rule(world, client_for) -> None:
    client = client_for(world.carol)
    response = client.post(
        create_url(world),
        answers(
            device_type=DeviceType.INTERNAL_SECURITY_CAMERA,
            room="Xavier's bedroom",
            room_kind=RoomKind.CHILD_BEDROOM,
            captures=["video"],
            purpose=Purpose.HOUSEHOLD_SAFETY,
        ),
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "govuk-tag--red" in page and "Prohibited" in page
    assert "DV-3" in page and "no camera or microphone may be in a child&#x27;s bedroom" in page


def test_dv1_a_refusal_names_the_question_and_the_rule_and_keeps_what_was_typed(world, client_for) -> None:
    # The form is in steps: a refusal shows the first section with an error, with what was
    # typed, and every other answer goes along hidden; once that is put right, the next.
    carol = client_for(world.carol)
    response = carol.post(create_url(world), answers(captures=[], positioning="", room="The back garden"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "What does it point at, and what can it see or hear?: say what it points at" in body
    assert 'value="The back garden"' in body
    assert '<h1 class="govuk-heading-l">Where it is</h1>' in body
    assert not Device.objects.filter(room="The back garden").exists()
    body = carol.post(
        create_url(world), answers(captures=[], positioning="At the shed", room="The back garden")
    ).content.decode()
    assert "What does it record or stream?: say whether it records or streams video, sound or both" in body
    assert '<h1 class="govuk-heading-l">What it records and why</h1>' in body
    assert '<input type="hidden" name="room" value="The back garden">' in body
    assert not Device.objects.filter(room="The back garden").exists()


def test_dv1_an_unanswered_question_names_its_rule(world, client_for) -> None:
    carol = client_for(world.carol)
    body = carol.post(create_url(world), answers(device_type="", room_kind="")).content.decode()
    assert "What kind of device is it?: say what kind of device it is" in body
    body = carol.post(create_url(world), answers(room_kind="")).content.decode()
    assert "What kind of room or place is that?: say what kind of room or place it is" in body


def test_dv11_a_date_in_the_future_is_refused_on_its_question(world, client_for) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    body = (
        client_for(world.carol)
        .post(create_url(world), answers(members_told_on=_day(tomorrow)))
        .content.decode()
    )
    assert (
        "When did you tell everyone living in your home about it?: the date cannot be in the future" in body
    )


def test_dv9_a_monitor_may_watch_only_a_child_placed_here_or_a_child_of_the_household(
    world, client_for
) -> None:
    own_child = MemberFactory(
        household=world.household_own, kind=MemberKind.CARERS_CHILD, first_name="Priya", last_name="Patel"
    )
    form = client_for(world.carol).get(create_url(world)).context["form"]
    choices = dict(form.fields["monitors"].choices)
    assert choices[f"child:{world.child_own.pk}"] == "Xavier"
    assert choices[f"member:{own_child.pk}"] == "Priya"
    assert f"child:{world.child_other.pk}" not in choices
    assert f"member:{world.carer_member.pk}" not in choices  # a carer is not a child


def test_dv9_a_monitor_for_a_child_placed_here_is_saved_with_the_child(world, client_for) -> None:
    response = client_for(world.carol).post(
        create_url(world),
        answers(
            device_type=DeviceType.BABY_MONITOR,
            room="Xavier's bedroom",
            room_kind=RoomKind.CHILD_BEDROOM,
            captures=["audio"],
            purpose=Purpose.SLEEPING_CHILD,
            monitors=f"child:{world.child_own.pk}",
            monitored_sleeps_here="yes",
            monitoring_reason="Seizures at night",
        ),
    )
    assert response.status_code == 302
    device = Device.objects.filter(household=world.household_own).latest("id")
    assert device.monitored_child == world.child_own and device.monitored_member is None
    assert device.monitored_sleeps_here


# Changing, removing, reviewing --------------------------------------------------------------------


def edit_answers(device: Device, version: object, **changes: object) -> dict[str, object]:
    current = {
        "device_type": device.device_type,
        "description": device.description,
        "room": device.room,
        "room_kind": device.room_kind,
        "positioning": device.positioning,
        "captures": ["video"],
        "purpose": device.purpose,
        "responsible_person": device.responsible_person,
        "retention_hours": str(device.retention_hours),
        "storage": device.storage,
        "access": device.access,
        "version": version,
    }
    return answers(**{**current, **changes})


def test_dv2_a_carers_change_is_saved_and_waits_for_review(world, client_for) -> None:
    device = world.device_own
    Device.objects.filter(pk=device.pk).update(needs_review=False)
    client = client_for(world.carol)
    url = reverse("devices:device_edit", kwargs={"pk": device.pk})
    opened = client.get(url)
    assert opened.status_code == 200
    version = opened.context["form"].initial["version"]
    assert f'name="version" value="{version}"' in opened.content.decode()
    response = client.post(url, edit_answers(device, version, room="Hallway"))
    assert response.status_code == 302 and response["Location"] == detail_url(device)
    device.refresh_from_db()
    assert device.room == "Hallway" and device.needs_review


def test_a_stale_edit_is_refused_with_the_reason_and_nothing_typed_is_lost(world, client_for) -> None:
    device = world.device_own
    client = client_for(world.sam)
    url = reverse("devices:device_edit", kwargs={"pk": device.pk})
    version = client.get(url).context["form"].initial["version"]
    # Carol saves a change while Sam has the page open.
    services_register.device_update(actor=world.carol, device=device, version=version, room="Front room")
    response = client.post(url, edit_answers(device, version, room="Sitting room"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved changes to this record (" in body and "Room or place" in body
    assert 'value="Sitting room"' in body
    device.refresh_from_db()
    assert device.room == "Front room"
    # The refused page now carries the current version: saving again is deliberate.
    assert response.context["form"].data["version"] != str(version)


def test_dv9_a_service_refusal_is_shown_on_the_question_that_asked_for_it(world, client_for) -> None:
    monitor = declare(world, world.carol)
    # Xavier has moved on: the monitor still names him.
    Placement.objects.filter(pk=world.placement_own.pk).update(
        end_on=timezone.localdate(), end_reason=PlacementEndReason.PLANNED_MOVE
    )
    client = client_for(world.carol)
    url = reverse("devices:device_edit", kwargs={"pk": monitor.pk})
    opened = client.get(url)
    assert opened.context["form"].initial["monitors"] == f"child:{world.child_own.pk}"
    response = client.post(
        url,
        answers(
            device_type=DeviceType.BABY_MONITOR,
            room=monitor.room,
            room_kind=RoomKind.CHILD_BEDROOM,
            positioning=monitor.positioning,
            captures=["audio"],
            purpose=Purpose.SLEEPING_CHILD,
            monitors=f"child:{world.child_own.pk}",
            monitored_sleeps_here="yes",
            monitoring_reason=monitor.monitoring_reason,
            version=opened.context["form"].initial["version"],
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Which child does it watch?: choose a child placed in this household" in body
    monitor.refresh_from_db()
    assert monitor.description == ""


def test_dv2_removing_takes_the_device_off_the_register(world, client_for) -> None:
    device = world.device_own
    client = client_for(world.carol)
    url = reverse("devices:device_remove", kwargs={"pk": device.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"removed_on": _day(timezone.localdate()), "version": ""})
    assert response["Location"] == register_url(world)
    device.refresh_from_db()
    assert device.status == DeviceStatus.REMOVED and device.removed_on == timezone.localdate()
    # A removed device is history: its page says so and it cannot be changed.
    page = client.get(detail_url(device)).content.decode()
    assert "It is no longer on the register" in page
    assert client.get(reverse("devices:device_edit", kwargs={"pk": device.pk}))["Location"] == detail_url(
        device
    )


def test_dv2_a_removal_needs_the_date(world, client_for) -> None:
    url = reverse("devices:device_remove", kwargs={"pk": world.device_own.pk})
    body = client_for(world.carol).post(url, {"removed_on": ""}).content.decode()
    assert "When was it taken away?: say when it was removed" in body


def test_dv2_the_ssw_reviews_a_declared_device(world, client_for) -> None:
    Device.objects.filter(pk=world.device_own.pk).update(needs_review=False)
    device = declare(world, world.carol)
    assert Task.objects.filter(
        kind=DEVICE_REVIEW, household=world.household_own, status=TaskStatus.OPEN
    ).exists()
    client = client_for(world.sam)
    assert "Mark reviewed" in client.get(detail_url(device)).content.decode()
    url = reverse("devices:device_review", kwargs={"pk": device.pk})
    page = client.get(url).content.decode()
    assert "Verdict" in page
    response = client.post(url, {"notes": "Seen on the visit; only for night-time seizures."})
    assert response["Location"] == detail_url(device)
    device.refresh_from_db()
    assert not device.needs_review and device.reviewed_by == world.sam
    assert device.review_notes == "Seen on the visit; only for night-time seizures."
    # The last change waiting for review: the DV-2 task closes.
    assert not Task.objects.filter(
        kind=DEVICE_REVIEW, household=world.household_own, status=TaskStatus.OPEN
    ).exists()
    # Nothing is left to review on this device.
    assert "no change to this device waiting for review" in client.get(url).content.decode()


def test_only_reviewers_may_review(world, client_for) -> None:
    url = reverse("devices:device_review", kwargs={"pk": world.device_own.pk})
    assert client_for(world.carol).get(url).status_code == 404
    assert client_for(world.chris).get(url).status_code == 404


# DV-9: agreement to a monitor for an older child ---------------------------------------------------


def test_dv9_the_csw_and_the_ssw_agree_and_the_consent_is_recorded(world, client_for) -> None:
    device = declare(world, world.carol)
    detail = client_for(world.chris).get(detail_url(device)).content.decode()
    assert "the child&#x27;s social worker has not agreed yet" in detail
    url = reverse("devices:device_monitoring", kwargs={"pk": device.pk})
    assert url in detail
    response = client_for(world.chris).post(
        url, {"agreed_on": _day(timezone.localdate()), "child_consent": ChildConsent.GIVEN}
    )
    assert response["Location"] == detail_url(device)
    response = client_for(world.sam).post(url, {"agreed_on": ""})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.csw_agreed_by == world.chris and device.ssw_agreed_by == world.sam
    assert device.child_consent == ChildConsent.GIVEN
    page = client_for(world.carol).get(detail_url(device)).content.decode()
    assert "The child has agreed" in page and "Allowed" in page


def test_dv9_the_service_refusal_is_shown_on_the_agreement_form(world, client_for) -> None:
    own_child = MemberFactory(
        household=world.household_own,
        kind=MemberKind.CARERS_CHILD,
        first_name="Priya",
        date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 7),
    )
    device = declare(world, world.carol, monitored_child=None, monitored_member=own_child)
    response = client_for(world.chris).post(
        reverse("devices:device_monitoring", kwargs={"pk": device.pk}), {"agreed_on": ""}
    )
    assert response.status_code == 200
    assert "DV-9 only the social worker of the child monitored agrees" in response.content.decode()


def test_dv9_there_is_nothing_to_agree_for_a_camera(world, client_for) -> None:
    response = client_for(world.sam).get(
        reverse("devices:device_monitoring", kwargs={"pk": world.device_own.pk})
    )
    assert response.status_code == 200
    assert "DV-9 applies to a baby monitor in a child&#x27;s bedroom" in response.content.decode()
    assert response.context["form"] is None


# DV-2: the periodic check -------------------------------------------------------------------------


def test_dv2_the_ssw_records_a_device_check(world, client_for) -> None:
    client = client_for(world.sam)
    url = reverse("devices:device_check", kwargs={"pk": world.household_own.pk})
    page = client.get(url).content.decode()
    assert "CCTV camera: Lounge" in page
    refused = client.post(url, {"checked_on": _day(timezone.localdate()), "register_accurate": "no"})
    assert "Notes: say what is missing or wrong" in refused.content.decode()
    missing = client.post(url, {"checked_on": _day(timezone.localdate())})
    assert "DV-2 say whether the register lists every device" in missing.content.decode()
    response = client.post(url, {"checked_on": _day(timezone.localdate()), "register_accurate": "yes"})
    assert response["Location"] == register_url(world)
    check = DeviceCheck.objects.get(household=world.household_own)
    assert check.register_accurate and check.checked_by == world.sam
    assert "the register listed every device" in client.get(register_url(world)).content.decode()


def test_only_reviewers_record_a_device_check(world, client_for) -> None:
    url = reverse("devices:device_check", kwargs={"pk": world.household_own.pk})
    assert client_for(world.carol).get(url).status_code == 404
    assert client_for(world.chris).post(url, {}).status_code == 404


# The household page's panel ------------------------------------------------------------------------


def test_the_household_page_shows_the_register_panel_to_staff_and_carers(world, client_for) -> None:
    declare(world, world.carol, room_kind=RoomKind.BATHROOM, room="Bathroom", monitored_child=None)
    section = reverse("households:section_devices", kwargs={"pk": world.household_own.pk})
    household = reverse("households:detail", kwargs={"pk": world.household_own.pk})
    staff = client_for(world.sam).get(section).content.decode()
    assert "Not yet in the agreements (DV-10)" in staff
    assert "worst verdict" in staff and "govuk-tag--red" in staff
    assert register_url(world) in staff
    carer = client_for(world.carol).get(household).content.decode()
    assert "You have told us about 2 cameras or microphones" in carer
    assert create_url(world) in carer


# Scale: the same queries for 1 device as for 12 ---------------------------------------------------


def add_devices(world, count: int) -> None:
    kinds = [
        (DeviceType.SMART_SPEAKER, RoomKind.COMMUNAL),
        (DeviceType.VIDEO_DOORBELL, RoomKind.OUTSIDE),
        (DeviceType.PET_CAMERA, RoomKind.OTHER_BEDROOM),
        (DeviceType.BABY_MONITOR, RoomKind.CHILD_BEDROOM),
    ]
    for n in range(count):
        kind, room = kinds[n % len(kinds)]
        Device.objects.create(
            service=world.service,
            household=world.household_own,
            device_type=kind,
            room=f"Room {n}",
            room_kind=room,
            positioning="On a shelf",
            records_audio=True,
            purpose=Purpose.HOME_USE,
            monitored_child=world.child_own if kind == DeviceType.BABY_MONITOR else None,
            internet_connected=n % 2 == 0,
            declared_by=world.carol,
        )
    Device.objects.create(
        service=world.service,
        household=world.household_own,
        device_type=DeviceType.SMART_SPEAKER,
        room="Old kitchen",
        room_kind=RoomKind.COMMUNAL,
        positioning="On the side",
        records_audio=True,
        purpose=Purpose.HOME_USE,
        status=DeviceStatus.REMOVED,
        removed_on=timezone.localdate(),
        declared_by=world.carol,
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# The panel is on the Devices section of the staff household page, and on the carer's one page.
@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("sam", "devices:household_devices"),
        ("carol", "devices:household_devices"),
        ("sam", "households:section_devices"),
        ("carol", "households:detail"),
    ],
)
def test_the_register_and_its_panel_cost_the_same_queries_for_many_devices(
    world, client_for, django_assert_num_queries, username, page
) -> None:
    client = client_for(world.users[username])
    url = reverse(page, kwargs={"pk": world.household_own.pk})
    client.get(url)  # the first request of a session writes the session once
    with_one = queries_for(client, url)
    add_devices(world, 12)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert Device.objects.filter(household=world.household_own).count() == 14
    if page == "devices:household_devices":
        assert len(response.context["rows"]) == 13
