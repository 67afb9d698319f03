"""PH-5: a family may keep a few significant photos of a child who has left, only as agreed with
the household's SSW, at most the service's setting (FosteringService.photos_kept_after_placement)
counting those already kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safecare.core.models import Notification, Task, TaskStatus
from safecare.files import selectors
from safecare.files import services_photos as services
from safecare.files.duties import DECIDE_KEEP
from safecare.files.models import KeepStatus, Photo
from safecare.households import services as household_services
from safecare.households.models import PlacementEndReason

from .test_photo_upload import rules_for, upload

pytestmark = pytest.mark.django_db

MONDAY_11_JANUARY_2027 = pytest.mark.parametrize("today", ["Monday 11 January 2027"], indirect=True)


def photos(world: Any, n: int) -> list[Photo]:
    rules_for(world.child_own, by=world.chris)
    return [upload(world, caption=f"Photo {i}") for i in range(n)]


def ask(world: Any, chosen: list[Photo], reason: str = "Her first birthday with us.") -> Any:
    return services.keep_request_make(actor=world.carol, child=world.child_own, photos=chosen, reason=reason)


@MONDAY_11_JANUARY_2027
def test_ph5_a_carer_asks_and_the_ssw_gets_a_task_and_an_alert(today, world) -> None:
    taken = photos(world, 3)
    request = ask(world, taken[:2])
    assert request.status == KeepStatus.ASKED and request.household == world.household_own
    task = Task.objects.get(kind=DECIDE_KEEP)
    # Monday 11 January 2027 + 5 working days = Monday 18 January 2027.
    assert task.owner == world.sam and task.due_on == dt.date(2027, 1, 18) and request.task == task
    alert = Notification.objects.get(kind="keep_request")
    assert alert.recipient == world.sam and alert.task == task


@MONDAY_11_JANUARY_2027
def test_ph5_the_ssw_agrees_to_some_the_family_keeps_those_after_the_end(today, world) -> None:
    taken = photos(world, 3)
    request = ask(world, taken)
    decided = services.keep_decide(
        actor=world.sam, keep_request=request, agreed=taken[:2], decision_note="Keep them in the album."
    )
    assert decided.status == KeepStatus.AGREED
    assert set(Photo.objects.filter(kept=True)) == set(taken[:2])
    assert Task.objects.get(kind=DECIDE_KEEP).status == TaskStatus.DONE
    assert [n.recipient for n in Notification.objects.filter(kind="keep_decided")] == [world.carol]
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=dt.date(2027, 1, 11),
        end_reason=PlacementEndReason.RETURN_HOME,
    )
    assert set(selectors.photos_visible_to(world.carol)) == set(taken[:2])


@MONDAY_11_JANUARY_2027
def test_ph5_more_than_the_setting_is_refused_naming_it(today, world) -> None:
    world.service.photos_kept_after_placement = 2
    world.service.save()
    taken = photos(world, 4)
    first = ask(world, taken[:1])
    services.keep_decide(actor=world.sam, keep_request=first, agreed=taken[:1], decision_note="")
    # The carer asking for more than is left is told in plain words.
    with pytest.raises(ValidationError) as refused:
        ask(world, taken[1:3])
    assert refused.value.message_dict["photos"] == [
        "Photos: Your family can keep at most 2 photos of Xavier; you already keep 1, so choose 1 or fewer"
    ]
    second = ask(world, taken[1:2])
    Photo.objects.filter(pk=taken[3].pk).update(kept=True)  # kept meanwhile
    with pytest.raises(ValidationError) as refused:
        services.keep_decide(actor=world.sam, keep_request=second, agreed=taken[1:2], decision_note="")
    message = refused.value.message_dict["agreed"][0]
    assert "PH-5" in message and "Photos a family may keep of a child who has left, at most" in message
    assert "is 2" in message


@MONDAY_11_JANUARY_2027
def test_ph5_a_refusal_needs_a_note(today, world) -> None:
    taken = photos(world, 1)
    request = ask(world, taken)
    with pytest.raises(ValidationError) as refused:
        services.keep_decide(actor=world.sam, keep_request=request, agreed=[], decision_note="")
    assert "decision_note" in refused.value.message_dict
    done = services.keep_decide(
        actor=world.sam, keep_request=request, agreed=[], decision_note="Too identifying."
    )
    assert done.status == KeepStatus.REFUSED and not Photo.objects.filter(kept=True).exists()


@MONDAY_11_JANUARY_2027
def test_ph5_a_carer_may_ask_after_the_end(today, world) -> None:
    taken = photos(world, 2)
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=dt.date(2027, 1, 11),
        end_reason=PlacementEndReason.RETURN_HOME,
    )
    request = ask(world, taken[:1])
    assert request.photos.get() == taken[0]


@MONDAY_11_JANUARY_2027
def test_ph5_only_the_households_carers_ask_and_only_its_ssw_decides(today, world) -> None:
    taken = photos(world, 1)
    with pytest.raises(PermissionDenied):
        services.keep_request_make(actor=world.oscar, child=world.child_own, photos=taken, reason="x")
    request = ask(world, taken)
    for who in ("chris", "carol", "asha"):
        with pytest.raises(PermissionDenied):
            services.keep_decide(actor=world.users[who], keep_request=request, agreed=taken, decision_note="")


@MONDAY_11_JANUARY_2027
def test_ph5_the_pages_ask_and_decide(today, world, client_for) -> None:
    taken = photos(world, 2)
    carol = client_for(world.carol)
    url = reverse("files:ask_to_keep", kwargs={"pk": world.child_own.pk})
    page = carol.get(url).content.decode()
    assert reverse("files:photo_thumbnail", kwargs={"pk": taken[0].pk}) in page  # she chooses seeing them
    assert "Photo 0" in page and 'name="photos"' in page
    sent = carol.post(url, {"photos": [taken[0].pk], "reason": "Christmas morning."})
    assert sent.status_code == 302
    request = world.household_own.keep_requests.get()
    decide = reverse("files:keep_request", kwargs={"pk": request.pk})
    assert carol.post(decide, {"agreed": [taken[0].pk]}).status_code == 404  # a carer never decides
    assert client_for(world.sam).post(decide, {"agreed": [taken[0].pk]}).status_code == 302
    assert Photo.objects.get(pk=taken[0].pk).kept
