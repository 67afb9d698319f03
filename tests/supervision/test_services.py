"""Recordings (SC-7, PH-2) and supervisions (SC-10, DV-2): the rules in the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.concurrency import StaleEdit, record_version
from safecare.core.models import Task, TaskStatus
from safecare.devices.models import DeviceCheck
from safecare.households import services as household_services
from safecare.supervision import selectors, services
from safecare.supervision.models import Recording, RecordingRead, SupervisionStatus

pytestmark = pytest.mark.django_db


def _write(world, text="Went swimming.", **kwargs):
    return services.recording_create(
        actor=world.carol, child=world.child_own, recorded_on=timezone.localdate(), text=text, **kwargs
    )


# Recordings ------------------------------------------------------------------------------------


def test_a_carer_writes_a_recording_about_a_child_placed_with_them_sc7(world) -> None:
    recording = _write(world, category="health")
    assert recording.placement == world.placement_own
    assert recording.household == world.household_own
    assert recording.written_by == world.carol
    assert recording.history.first().history_user == world.carol


def test_it_refuses_a_recording_about_a_child_not_placed_with_the_carer_sc7(world) -> None:
    with pytest.raises(ValidationError) as error:
        services.recording_create(
            actor=world.carol, child=world.child_other, recorded_on=timezone.localdate(), text="x"
        )
    assert "SC-7" in str(error.value.message_dict["child"])


def test_staff_cannot_write_recordings_ph2(world) -> None:
    with pytest.raises(PermissionDenied):
        services.recording_create(
            actor=world.sam, child=world.child_own, recorded_on=timezone.localdate(), text="x"
        )


def test_it_refuses_a_day_before_the_placement_or_in_the_future_sc7(world) -> None:
    for day in (
        world.placement_own.start_on - dt.timedelta(days=1),
        timezone.localdate() + dt.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as error:
            services.recording_create(actor=world.carol, child=world.child_own, recorded_on=day, text="x")
        assert "recorded_on" in error.value.message_dict


def test_an_ended_placement_ends_the_carers_access_to_the_recordings_sc7(world) -> None:
    recording = _write(world)
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=timezone.localdate(),
        end_reason="planned_move",
    )
    assert not selectors.recordings_visible_to(world.carol).filter(pk=recording.pk).exists()
    with pytest.raises(ValidationError):
        _write(world)
    with pytest.raises(PermissionDenied):
        services.recording_update(actor=world.carol, recording=recording, text="changed")
    # The household's SSW and the child's CSW still read it.
    assert selectors.recordings_visible_to(world.sam).filter(pk=recording.pk).exists()
    assert selectors.recordings_visible_to(world.chris).filter(pk=recording.pk).exists()


def test_who_reads_a_households_recordings_sc7(world) -> None:
    readers = {
        name
        for name, user in world.users.items()
        if selectors.recordings_visible_to(user).filter(pk=world.recording_own.pk).exists()
    }
    assert readers == {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}


def test_an_edit_keeps_the_history_and_an_edit_after_reading_makes_it_unread_again_sc7(world) -> None:
    recording = _write(world, text="First version.")
    services.recordings_mark_read(actor=world.sam, recordings=[recording])
    assert recording not in selectors.unread_for_supervision(world.sam, world.household_own)
    version = record_version(recording)
    services.recording_update(
        actor=world.carol, recording=recording, expected_version=version, text="Second version."
    )
    recording.refresh_from_db()
    assert recording.is_edited and recording.revision == 2
    assert [h.text for h in recording.history.order_by("history_id")] == ["First version.", "Second version."]
    assert recording in selectors.unread_for_supervision(world.sam, world.household_own)
    # The earlier read stays on record.
    assert RecordingRead.objects.filter(recording=recording, revision=1, reader=world.sam).exists()


def test_only_the_author_edits_a_recording(world) -> None:
    other_carer = world.oscar
    with pytest.raises(PermissionDenied):
        services.recording_update(actor=other_carer, recording=world.recording_own, text="x")
    with pytest.raises(PermissionDenied):
        services.recording_update(actor=world.sam, recording=world.recording_own, text="x")


def test_a_second_edit_from_an_old_page_is_refused_with_what_changed(world) -> None:
    recording = world.recording_own
    opened = record_version(recording)
    services.recording_update(actor=world.carol, recording=recording, expected_version=opened, text="One.")
    with pytest.raises(StaleEdit) as error:
        services.recording_update(
            actor=world.carol, recording=recording, expected_version=opened, text="Two."
        )
    assert "What happened" in str(error.value)
    recording.refresh_from_db()
    assert recording.text == "One."


def test_marking_read_is_for_the_ssw_and_managers_and_only_in_scope_sc7(world) -> None:
    with pytest.raises(PermissionDenied):
        services.recordings_mark_read(actor=world.chris, recordings=[world.recording_own])
    # sam cannot mark a recording of a household he does not supervise.
    assert services.recordings_mark_read(actor=world.sam, recordings=[world.recording_other]) == 0
    assert services.recordings_mark_read(actor=world.sam, recordings=[world.recording_own]) == 1
    assert services.recordings_mark_read(actor=world.sam, recordings=[world.recording_own]) == 0


def test_the_unread_list_costs_the_same_queries_for_many_recordings_sc7(
    world, django_assert_max_num_queries
) -> None:
    _write(world)
    with django_assert_max_num_queries(3) as few:
        list(selectors.household_recordings(world.sam, world.household_own, unread_only=True))
    for n in range(20):
        _write(world, text=f"Day {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = list(selectors.household_recordings(world.sam, world.household_own, unread_only=True))
    assert len(rows) == 22 and all(r.child.full_name for r in rows)


# Supervisions ----------------------------------------------------------------------------------


def _draft(world, **fields):
    values = {"held_on": timezone.localdate(), "discussion": "Placement going well."}
    values.update(fields)
    return services.supervision_create(actor=world.sam, household=world.household_own, **values)


def test_a_draft_may_be_saved_without_the_safe_care_discussion_sc10(world) -> None:
    supervision = _draft(world, attendees=[world.carer_member])
    assert supervision.status == SupervisionStatus.DRAFT
    assert list(supervision.attendees.all()) == [world.carer_member]


def test_it_refuses_to_complete_without_the_safe_care_discussion_sc10(world) -> None:
    supervision = _draft(world, device_check_done=True, device_check_notes="Baby monitor only.")
    with pytest.raises(ValidationError) as error:
        services.supervision_complete(actor=world.sam, supervision=supervision)
    assert "SC-10" in str(error.value.message_dict["safe_care_discussion"])
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.DRAFT


def test_it_refuses_to_complete_without_a_due_device_check_dv2(world) -> None:
    # North's default: a device check at every supervision.
    supervision = _draft(world, safe_care_discussion="Talked about bedtimes.", device_check_done=False)
    with pytest.raises(ValidationError) as error:
        services.supervision_complete(actor=world.sam, supervision=supervision)
    assert "DV-2" in str(error.value.message_dict["device_check_done"])
    assert "DV-2" in str(error.value.message_dict["device_check_notes"])


def test_a_device_check_is_due_only_at_the_services_interval_when_set_so_dv2(world) -> None:
    service = world.service
    service.device_check_every_supervision = False
    service.device_check_months = 3
    service.save()
    household = world.household_own
    household.refresh_from_db()
    # completed_supervision_own (two weeks ago) recorded a device check.
    last = world.completed_supervision_own.held_on
    assert not selectors.device_check_due(household, held_on=last + dt.timedelta(days=30))
    assert selectors.device_check_due(household, held_on=last + dt.timedelta(days=93))
    # So a supervision today completes without one.
    supervision = _draft(world, safe_care_discussion="Talked about bedtimes.")
    services.supervision_complete(actor=world.sam, supervision=supervision)
    # With no check on record at all, one is due.
    world.completed_supervision_other.device_check_done = False
    world.completed_supervision_other.save()
    assert selectors.device_check_due(world.household_other, held_on=timezone.localdate())


def test_completing_opens_the_next_supervision_task_and_closes_the_previous_sc10(
    world, django_capture_on_commit_callbacks
) -> None:
    first = _draft(
        world,
        safe_care_discussion="Bedtimes.",
        device_check_done=True,
        register_complete=True,
        device_check_notes="None new.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_complete(actor=world.sam, supervision=first)
    task = Task.objects.get(household=world.household_own, kind="next_supervision", status=TaskStatus.OPEN)
    assert task.rule_id == "SC-10" and task.owner == world.sam
    # The carer is told there is a record to read, with no personal data in the message.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    for name in ("Xavier", "Patel", "Carol", "Smith"):
        assert name not in message.subject and name not in message.body

    second = services.supervision_create(
        actor=world.sam,
        household=world.household_own,
        held_on=timezone.localdate(),
        safe_care_discussion="Again.",
        device_check_done=True,
        register_complete=True,
        device_check_notes="None new.",
        complete=True,
    )
    assert second.is_completed
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert (
        Task.objects.filter(household=world.household_own, kind="next_supervision", status="open").count()
        == 1
    )


@pytest.mark.parametrize("today", ["Thursday 3 December 2026"], indirect=True)
def test_it_makes_the_next_supervision_due_the_services_weeks_after_the_one_held(today, world) -> None:
    supervision = _draft(
        world,
        safe_care_discussion="Bedtimes.",
        device_check_done=True,
        register_complete=True,
        device_check_notes="None new.",
    )
    services.supervision_complete(actor=world.sam, supervision=supervision)
    task = Task.objects.get(household=world.household_own, kind="next_supervision", status=TaskStatus.OPEN)
    assert task.due_on == dt.date(2027, 1, 14)
    assert task.due_basis == (
        "42 calendar days after the latest supervision held on Thursday 3 December 2026 (SC-10: the policy "
        "sets no deadline; this is the service's setting 'Supervision interval (weeks)')"
    )


@pytest.mark.parametrize("today", ["Friday 20 November 2026"], indirect=True)
def test_it_leaves_the_next_supervision_on_a_bank_holiday_as_a_calendar_deadline(today, world) -> None:
    service = world.household_own.service
    service.supervision_interval_weeks = 6
    service.save()
    supervision = _draft(
        world, safe_care_discussion="Bedtimes.", device_check_done=True, register_complete=True
    )
    services.supervision_update(
        actor=world.sam, supervision=supervision, device_check_notes="None new.", complete=True
    )
    task = Task.objects.get(household=world.household_own, kind="next_supervision", status=TaskStatus.OPEN)
    # Six weeks after Friday 20 November 2026 is New Year's Day; calendar deadlines do not move.
    assert task.due_on == dt.date(2027, 1, 1)


def _checked(world, **fields):
    values = {
        "safe_care_discussion": "Went through the agreement.",
        "device_check_done": True,
        "device_check_notes": "",
    }
    values.update(fields)
    return _draft(world, **values)


def test_it_refuses_to_complete_a_device_check_without_the_register_answer_dv2(world) -> None:
    supervision = _checked(world, device_check_notes="Doorbell camera only.")
    with pytest.raises(ValidationError) as error:
        services.supervision_complete(actor=world.sam, supervision=supervision)
    message = error.value.message_dict["register_complete"][0]
    assert message.startswith("Does the register list every camera and microphone in and around the home")
    assert "DV-2" in message


def test_it_needs_notes_when_the_register_does_not_list_every_device_dv2(world) -> None:
    service = world.household_own.service
    service.device_check_every_supervision = False
    service.save()
    # Not due at this supervision, so only the answer asks for notes.
    supervision = _checked(world, register_complete=False)
    with pytest.raises(ValidationError) as error:
        services.supervision_complete(actor=world.sam, supervision=supervision)
    assert "say which are missing or wrong" in error.value.message_dict["device_check_notes"][0]


def test_it_records_the_register_answer_and_the_notes_on_the_device_check_dv2(world) -> None:
    supervision = _checked(
        world, register_complete=False, device_check_notes="A new pet camera in the kitchen is not listed."
    )
    services.supervision_complete(actor=world.sam, supervision=supervision)
    check = DeviceCheck.objects.get(supervision=supervision)
    assert check.register_accurate is False
    assert check.notes == "A new pet camera in the kitchen is not listed."
    assert check.checked_on == supervision.held_on and check.checked_by == world.sam
    complete = _checked(world, register_complete=True, device_check_notes="Doorbell only, as listed.")
    services.supervision_complete(actor=world.sam, supervision=complete)
    assert DeviceCheck.objects.get(supervision=complete).register_accurate is True


def test_a_completed_record_is_locked_and_corrected_by_an_amendment(world) -> None:
    supervision = world.completed_supervision_own
    with pytest.raises(ValidationError) as error:
        services.supervision_update(actor=world.sam, supervision=supervision, discussion="Changed")
    assert "amendment" in str(error.value)
    services.supervision_acknowledge(actor=world.carol, supervision=supervision)
    amendment = services.supervision_amend(
        actor=world.sam, supervision=supervision, text="Date of visit corrected."
    )
    supervision.refresh_from_db()
    assert amendment.made_by == world.sam
    assert supervision.discussion == "How the placement is going."
    # The carers acknowledge the record again with its correction.
    assert supervision.acknowledged_at is None
    assert supervision.history.filter(acknowledged_by=world.carol).exists()


def test_the_carer_acknowledges_a_completed_record_but_not_a_draft(world) -> None:
    with pytest.raises(ValidationError):
        services.supervision_acknowledge(actor=world.carol, supervision=world.supervision_own)
    supervision = services.supervision_acknowledge(
        actor=world.carol, supervision=world.completed_supervision_own
    )
    assert supervision.acknowledged_by == world.carol and supervision.acknowledged_at
    with pytest.raises(PermissionDenied):
        services.supervision_acknowledge(actor=world.oscar, supervision=world.completed_supervision_own)


def test_two_people_editing_one_supervision_the_second_is_refused_and_nothing_is_lost(world) -> None:
    supervision = world.supervision_own
    opened = record_version(supervision)
    services.supervision_update(
        actor=world.sam, supervision=supervision, expected_version=opened, discussion="Sam's notes."
    )
    with pytest.raises(StaleEdit) as error:
        services.supervision_update(
            actor=world.fiona, supervision=supervision, expected_version=opened, discussion="Fiona's notes."
        )
    assert "Discussion" in str(error.value)
    supervision.refresh_from_db()
    assert supervision.discussion == "Sam's notes."


def test_only_the_households_supervisors_write_supervisions(world) -> None:
    for user in (world.carol, world.chris, world.asha):
        with pytest.raises(PermissionDenied):
            services.supervision_create(
                actor=user, household=world.household_own, held_on=timezone.localdate()
            )
    with pytest.raises(PermissionDenied):
        services.supervision_create(
            actor=world.sam, household=world.household_other, held_on=timezone.localdate()
        )


def test_attendees_must_live_in_the_household(world) -> None:
    with pytest.raises(ValidationError) as error:
        _draft(world, attendees=[world.member_other])
    assert "attendees" in error.value.message_dict


def test_recordings_read_at_a_supervision_are_linked_to_it_sc7(world) -> None:
    recording = _write(world)
    services.recordings_mark_read(actor=world.sam, recordings=[recording], supervision=world.supervision_own)
    assert RecordingRead.objects.get(recording=recording).supervision == world.supervision_own
    assert (
        not Recording.objects.filter(pk=recording.pk)
        .filter(pk__in=[r.pk for r in selectors.unread_for_supervision(world.sam, world.household_own)])
        .exists()
    )
