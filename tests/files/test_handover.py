"""PH-5: when a placement ends the child's photos pass to the child's social worker for life-story
work (a task due 5 working days after the end, an alert), the carers are told, and their access
ends except the photos agreed to be kept. Ended through the real service that ends placements."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safecare.core.models import Notification, Task, TaskStatus
from safecare.files import selectors
from safecare.files import services_photos as services
from safecare.files.duties import RECEIVE_PHOTOS
from safecare.files.models import Handover, Photo
from safecare.households import services as household_services
from safecare.households.models import Allocation, PlacementEndReason

from .test_photo_upload import rules_for, upload

pytestmark = pytest.mark.django_db

FRIDAY_8_JANUARY_2027 = pytest.mark.parametrize("today", ["Friday 8 January 2027"], indirect=True)
THURSDAY_23_DECEMBER_2027 = pytest.mark.parametrize("today", ["Thursday 23 December 2027"], indirect=True)


def end_placement(world: Any, on: dt.date) -> None:
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=on,
        end_reason=PlacementEndReason.PLANNED_MOVE,
    )


def photos(world: Any, n: int = 2) -> list[Photo]:
    rules_for(world.child_own, by=world.chris)
    return [upload(world, caption=f"Photo {i}") for i in range(n)]


@FRIDAY_8_JANUARY_2027
def test_ph5_the_end_of_a_placement_passes_the_photos_to_the_csw_due_in_5_working_days(today, world) -> None:
    taken = photos(world)
    end_placement(world, dt.date(2027, 1, 8))
    handover = Handover.objects.get(placement=world.placement_own)
    assert handover.photo_count == 2
    assert all(p.passed_on_at is not None for p in Photo.objects.all())
    task = Task.objects.get(kind=RECEIVE_PHOTOS)
    # Friday 8 January 2027 + 5 working days (no bank holiday) = Friday 15 January 2027.
    assert task.due_on == dt.date(2027, 1, 15)
    assert task.owner == world.chris and task.child == world.child_own and task.rule_id == "PH-5"
    assert "5 working days after the placement ended on Friday 8 January 2027" in task.due_basis
    assert handover.task == task
    to_receive = Notification.objects.get(kind="photos_to_receive")
    assert to_receive.recipient == world.chris and to_receive.task == task
    passed = Notification.objects.filter(kind="photos_passed_on")
    assert [n.recipient for n in passed] == [world.carol]  # still living in the household
    assert "Xavier" not in to_receive.subject and "Xavier" not in passed[0].subject  # no personal data
    assert {p.pk for p in taken} == set(Photo.objects.values_list("pk", flat=True))


@THURSDAY_23_DECEMBER_2027
def test_ph5_the_due_date_skips_christmas_and_new_year_bank_holidays(today, world) -> None:
    end_placement(world, dt.date(2027, 12, 23))
    # Fri 24 Dec (1); Mon 27 and Tue 28 Dec are Christmas and Boxing Day observed; Wed 29 (2),
    # Thu 30 (3), Fri 31 (4); Mon 3 Jan 2028 is New Year's Day observed; Tue 4 Jan 2028 (5).
    assert Task.objects.get(kind=RECEIVE_PHOTOS).due_on == dt.date(2028, 1, 4)


@FRIDAY_8_JANUARY_2027
def test_ph5_once_per_placement(today, world) -> None:
    photos(world, 1)
    end_placement(world, dt.date(2027, 1, 8))
    again = services.placement_ended(actor=world.chris, placement=world.placement_own)
    assert Handover.objects.count() == 1 and again == Handover.objects.get()
    assert Task.objects.filter(kind=RECEIVE_PHOTOS).count() == 1
    assert Notification.objects.filter(kind="photos_to_receive").count() == 1


@FRIDAY_8_JANUARY_2027
def test_ph5_no_csw_allocated_the_task_stays_with_the_team_and_its_manager_is_told(today, world) -> None:
    Allocation.objects.filter(child=world.child_own).delete()
    end_placement(world, dt.date(2027, 1, 8))
    task = Task.objects.get(kind=RECEIVE_PHOTOS)
    assert task.owner is None and task.team == world.children_team
    assert Notification.objects.get(kind="photos_to_receive").recipient == world.tom


@FRIDAY_8_JANUARY_2027
def test_ph5_after_the_end_the_carer_sees_only_kept_photos_and_the_csw_still_sees_all(today, world) -> None:
    first, second = photos(world)
    end_placement(world, dt.date(2027, 1, 8))
    Photo.objects.filter(pk=first.pk).update(kept=True)
    # On the day it ends, the child has left: the carer's access ended with it.
    assert list(selectors.photos_visible_to(world.carol)) == [Photo.objects.get(pk=first.pk)]
    assert set(selectors.photos_visible_to(world.chris)) == {first, second}
    # A CSW whose allocation ended sees none.
    Allocation.objects.filter(child=world.child_own, worker=world.chris).update(ended_at=today_now())
    assert not selectors.photos_visible_to(world.chris).exists()


def today_now() -> Any:
    from django.utils import timezone

    return timezone.now()


@FRIDAY_8_JANUARY_2027
def test_ph5_the_csw_receives_the_photos_which_closes_the_task(today, world) -> None:
    photos(world, 1)
    end_placement(world, dt.date(2027, 1, 8))
    handover = Handover.objects.get()
    with pytest.raises(PermissionDenied):
        services.handover_receive(actor=world.sam, handover=handover)
    done = services.handover_receive(actor=world.chris, handover=handover)
    assert done.received_by == world.chris
    assert Task.objects.get(kind=RECEIVE_PHOTOS).status == TaskStatus.DONE
    with pytest.raises(ValidationError):
        services.handover_receive(actor=world.chris, handover=handover)


@FRIDAY_8_JANUARY_2027
def test_ph5_the_handover_page_downloads_a_zip_and_records_receipt(today, world, client_for) -> None:
    photos(world, 2)
    end_placement(world, dt.date(2027, 1, 8))
    handover = Handover.objects.get()
    client = client_for(world.chris)
    url = reverse("files:handover", kwargs={"pk": handover.pk})
    page = client.get(url).content.decode()
    assert "I have received the photos" in page
    download = client.get(reverse("files:handover_download", kwargs={"pk": handover.pk}))
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    assert len(zipfile.ZipFile(io.BytesIO(download.content)).namelist()) == 2
    assert client.post(url).status_code == 302
    assert Handover.objects.get().received_by == world.chris
    # The SSW sees the handover but does not receive it.
    sam = client_for(world.sam)
    assert sam.get(url).status_code == 200
    assert sam.post(url).status_code == 404


@FRIDAY_8_JANUARY_2027
def test_ph5_an_end_recorded_ahead_passes_on_the_photos_taken_before_the_child_leaves(today, world) -> None:
    photos(world, 1)
    end_placement(world, dt.date(2027, 1, 15))  # recorded a week ahead
    # Friday 15 January 2027 + 5 working days = Friday 22 January 2027.
    assert Task.objects.get(kind=RECEIVE_PHOTOS).due_on == dt.date(2027, 1, 22)
    later = upload(world, caption="Last week together")  # Xavier still lives there
    assert later.passed_on_at is not None
    assert Handover.objects.get().photo_count == 2
