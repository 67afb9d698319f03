"""The recording and supervision pages, through HTTP as people use them (SC-7, SC-10, DV-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.core.concurrency import record_version
from safecare.core.models import AccessLog
from safecare.devices.models import DeviceCheck
from safecare.households import services as household_services
from safecare.supervision.models import Recording, RecordingRead, Supervision, SupervisionStatus

pytestmark = pytest.mark.django_db


def _day(date: dt.date) -> str:
    return date.strftime("%d/%m/%Y")


def test_a_carer_writes_a_recording_and_the_ssw_sees_it_unread_and_marks_it_read_sc7(
    world, client_for
) -> None:
    carer = client_for(world.carol)
    create = reverse("supervision:recording_create", kwargs={"pk": world.child_own.pk})
    response = carer.post(
        create, {"recorded_on": _day(timezone.localdate()), "category": "health", "text": "Dentist at 10."}
    )
    assert response.status_code == 302
    recording = Recording.objects.get(text="Dentist at 10.")
    assert recording.written_by == world.carol

    ssw = client_for(world.sam)
    unread_page = reverse("supervision:household_recordings", kwargs={"pk": world.household_own.pk})
    page = ssw.get(unread_page, {"show": "unread"})
    assert "Dentist at 10." in page.content.decode()
    assert AccessLog.objects.filter(user=world.sam, subject_id=world.household_own.pk).exists()

    mark = reverse("supervision:household_recordings_read", kwargs={"pk": world.household_own.pk})
    ssw.post(mark, {"recordings": [recording.pk], "next": unread_page + "?show=unread"})
    assert RecordingRead.objects.filter(recording=recording, reader=world.sam, revision=1).exists()
    assert "Dentist at 10." not in ssw.get(unread_page, {"show": "unread"}).content.decode()


def test_a_refused_recording_keeps_what_the_carer_typed_sc7(world, client_for) -> None:
    carer = client_for(world.carol)
    create = reverse("supervision:recording_create", kwargs={"pk": world.child_own.pk})
    before_start = world.placement_own.start_on - dt.timedelta(days=3)
    response = carer.post(create, {"recorded_on": _day(before_start), "text": "Long text I wrote."})
    assert response.status_code == 200
    body = response.content.decode()
    assert "during the placement" in body and "Long text I wrote." in body


def test_an_ended_placement_answers_404_to_the_carer_sc7(world, client_for) -> None:
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=timezone.localdate(),
        end_reason="planned_move",
    )
    carer = client_for(world.carol)
    for url in (
        reverse("supervision:recording_detail", kwargs={"pk": world.recording_own.pk}),
        reverse("supervision:recording_edit", kwargs={"pk": world.recording_own.pk}),
        reverse("supervision:recording_create", kwargs={"pk": world.child_own.pk}),
        reverse("supervision:child_recordings", kwargs={"pk": world.child_own.pk}),
    ):
        assert carer.get(url).status_code == 404, url
    listing = carer.get(reverse("supervision:household_recordings", kwargs={"pk": world.household_own.pk}))
    assert world.recording_own.text not in listing.content.decode()


def test_an_edited_recording_shows_edited_and_its_versions_to_the_ssw(world, client_for) -> None:
    carer = client_for(world.carol)
    edit = reverse("supervision:recording_edit", kwargs={"pk": world.recording_own.pk})
    version = record_version(world.recording_own)
    carer.post(
        edit,
        {"recorded_on": _day(world.recording_own.recorded_on), "text": "Corrected text.", "version": version},
    )
    page = client_for(world.sam).get(
        reverse("supervision:recording_detail", kwargs={"pk": world.recording_own.pk})
    )
    body = page.content.decode()
    assert "Edited" in body and "Corrected text." in body and world.recording_own.text in body


def test_two_carers_editing_one_recording_the_second_save_is_refused(world, client_for) -> None:
    carer = client_for(world.carol)
    edit = reverse("supervision:recording_edit", kwargs={"pk": world.recording_own.pk})
    opened = record_version(world.recording_own)
    day = _day(world.recording_own.recorded_on)
    carer.post(edit, {"recorded_on": day, "text": "From the phone.", "version": opened})
    response = carer.post(edit, {"recorded_on": day, "text": "From the laptop.", "version": opened})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved changes" in body and "From the laptop." in body
    world.recording_own.refresh_from_db()
    assert world.recording_own.text == "From the phone."


def _supervision_post(**fields):
    data = {
        "held_on": _day(timezone.localdate()),
        "attendees": [],
        "discussion": "Going well.",
        "safe_care_discussion": "",
        "device_check_notes": "",
        "action": "draft",
    }
    data.update(fields)
    return data


def test_completing_without_the_safe_care_discussion_is_refused_naming_sc10(world, client_for) -> None:
    ssw = client_for(world.sam)
    create = reverse("supervision:supervision_create", kwargs={"pk": world.household_own.pk})
    response = ssw.post(
        create,
        _supervision_post(
            action="complete",
            attendees=[world.carer_member.pk],
            device_check_done="yes",
            device_check_notes="Doorbell camera, unchanged.",
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "SC-10" in body and "Doorbell camera, unchanged." in body
    assert not Supervision.objects.filter(household=world.household_own, discussion="Going well.").exists()
    # A draft saves without it.
    response = ssw.post(create, _supervision_post())
    assert response.status_code == 302
    assert Supervision.objects.get(discussion="Going well.").status == SupervisionStatus.DRAFT


def test_completing_without_the_due_device_check_is_refused_naming_dv2(world, client_for) -> None:
    ssw = client_for(world.sam)
    edit = reverse("supervision:supervision_edit", kwargs={"pk": world.supervision_own.pk})
    data = _supervision_post(
        action="complete",
        safe_care_discussion="Bedtime routines.",
        version=record_version(world.supervision_own),
    )
    response = ssw.post(edit, data)
    assert response.status_code == 200
    assert "DV-2" in response.content.decode()
    world.supervision_own.refresh_from_db()
    assert not world.supervision_own.is_completed


def test_it_asks_whether_the_register_lists_every_device_and_needs_notes_when_not_dv2(
    world, client_for
) -> None:
    ssw = client_for(world.sam)
    edit = reverse("supervision:supervision_edit", kwargs={"pk": world.supervision_own.pk})
    form = ssw.get(edit).content.decode()
    assert "Does the register list every camera and microphone in and around the home?" in form
    data = _supervision_post(
        action="complete",
        safe_care_discussion="Bedtime routines.",
        device_check_done="yes",
        register_complete="no",
        device_check_notes="",
        version=record_version(world.supervision_own),
    )
    refused = ssw.post(edit, data)
    assert refused.status_code == 200
    assert "say which are missing or wrong" in refused.content.decode()
    data["device_check_notes"] = "The smart speaker in the lounge is not on the register."
    assert ssw.post(edit, data).status_code == 302
    check = DeviceCheck.objects.get(supervision=world.supervision_own)
    assert check.register_accurate is False
    assert check.notes == "The smart speaker in the lounge is not on the register."
    detail = ssw.get(reverse("supervision:supervision_detail", kwargs={"pk": world.supervision_own.pk}))
    assert "No: see the device check notes" in detail.content.decode()


def test_the_ssw_completes_a_record_and_the_carer_reads_and_acknowledges_it(world, client_for) -> None:
    ssw = client_for(world.sam)
    edit = reverse("supervision:supervision_edit", kwargs={"pk": world.supervision_own.pk})
    detail = reverse("supervision:supervision_detail", kwargs={"pk": world.supervision_own.pk})
    carer = client_for(world.carol)
    assert carer.get(detail).status_code == 404  # a draft is the SSW's
    response = ssw.post(
        edit,
        _supervision_post(
            action="complete",
            safe_care_discussion="Bedtime routines.",
            device_check_done="yes",
            register_complete="yes",
            device_check_notes="Baby monitor in the nursery only.",
            version=record_version(world.supervision_own),
        ),
    )
    assert response.status_code == 302
    assert carer.get(detail).status_code == 200
    carer.post(reverse("supervision:supervision_acknowledge", kwargs={"pk": world.supervision_own.pk}))
    world.supervision_own.refresh_from_db()
    assert world.supervision_own.acknowledged_by == world.carol
    # Locked now: the edit page leads to a correction.
    assert ssw.get(edit).headers["Location"].endswith("/amend/")


def test_two_people_editing_one_supervision_the_second_is_refused_with_what_changed(
    world, client_for
) -> None:
    edit = reverse("supervision:supervision_edit", kwargs={"pk": world.supervision_own.pk})
    opened = record_version(world.supervision_own)
    client_for(world.sam).post(edit, _supervision_post(discussion="Sam wrote this.", version=opened))
    response = client_for(world.fiona).post(
        edit, _supervision_post(discussion="Fiona wrote this.", version=opened)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved changes" in body and "Discussion" in body and "Fiona wrote this." in body
    world.supervision_own.refresh_from_db()
    assert world.supervision_own.discussion == "Sam wrote this."


def test_the_supervision_page_shows_unread_recordings_and_marks_them_read_there_sc7(
    world, client_for
) -> None:
    ssw = client_for(world.sam)
    detail = reverse("supervision:supervision_detail", kwargs={"pk": world.supervision_own.pk})
    assert world.recording_own.text in ssw.get(detail).content.decode()
    ssw.post(
        reverse("supervision:supervision_recordings_read", kwargs={"pk": world.supervision_own.pk}),
        {"recordings": [world.recording_own.pk]},
    )
    read = RecordingRead.objects.get(recording=world.recording_own)
    assert read.supervision == world.supervision_own
    assert "Every recording has been read." in ssw.get(detail).content.decode()


def test_a_correction_to_a_completed_record_is_added_beneath_it(world, client_for) -> None:
    ssw = client_for(world.sam)
    amend = reverse("supervision:supervision_amend", kwargs={"pk": world.completed_supervision_own.pk})
    assert ssw.post(amend, {"text": "The date was the 3rd."}).status_code == 302
    page = client_for(world.carol).get(
        reverse("supervision:supervision_detail", kwargs={"pk": world.completed_supervision_own.pk})
    )
    assert "The date was the 3rd." in page.content.decode()


def test_the_household_page_shows_the_panel_with_a_fixed_number_of_queries(world, client_for) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.supervision.test_services import _write

    ssw = client_for(world.sam)
    url = reverse("households:section_supervision", kwargs={"pk": world.household_own.pk})
    ssw.get(url)
    with CaptureQueriesContext(connection) as few:
        body = ssw.get(url).content.decode()
    assert "Recordings not read yet: 1" in body
    for n in range(5):
        _write(world, text=f"Day {n}")
    with CaptureQueriesContext(connection) as many:
        body = ssw.get(url).content.decode()
    assert "Recordings not read yet: 6" in body
    assert len(many.captured_queries) == len(few.captured_queries)
