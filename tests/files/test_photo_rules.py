"""PH-3: the photography issues known at placement planning, the child's own views and the school
and community permissions, recorded per child (with their history); two editors cannot silently
overwrite each other."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safecare.core.concurrency import StaleEdit
from safecare.files import services_photos as services
from safecare.files.models import Permission, PhotoRules

pytestmark = pytest.mark.django_db


def values(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "wants_no_photos": False,
        "childs_views": "Likes photos of football.",
        "issues_from_child": "",
        "issues_from_social_worker": "Birth father must not learn the school.",
        "issues_from_birth_parents": "",
        "planning_meeting_on": timezone.localdate() - dt.timedelta(days=50),
        "school_photos": Permission.NO,
        "community_photos": Permission.YES,
    }
    return {**base, **changes}


def record(world: Any, actor: Any = None, expected_version: int | None = 0, **changes: Any) -> PhotoRules:
    return services.photo_rules_record(
        actor=actor or world.chris,
        child=world.child_own,
        expected_version=expected_version,
        **values(**changes),
    )


def test_ph3_the_childs_social_worker_records_the_rules(world) -> None:
    rules = record(world)
    assert rules.version == 1
    assert rules.school_photos == Permission.NO and rules.community_photos == Permission.YES
    assert rules.permissions_decided_with == world.chris  # decided with the child's social worker
    assert rules.history.count() == 1


def test_ph3_the_households_ssw_records_them_decided_with_the_csw(world) -> None:
    rules = record(world, actor=world.sam)
    assert rules.recorded_by == world.sam
    assert rules.permissions_decided_with == world.chris


def test_ph3_no_csw_allocated_permissions_stay_not_decided(world) -> None:
    from safecare.households.models import Allocation

    Allocation.objects.filter(child=world.child_own).update(ended_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        record(world, actor=world.tom)
    assert "PH-3" in refused.value.messages[0]
    rules = record(
        world, actor=world.tom, school_photos=Permission.NOT_DECIDED, community_photos="not_decided"
    )
    assert rules.permissions_decided_with is None


def test_ph3_an_update_keeps_the_history_and_moves_the_version(world) -> None:
    record(world)
    rules = record(world, expected_version=1, childs_views="Now says no photos at all.", wants_no_photos=True)
    assert rules.version == 2
    assert rules.history.count() == 2
    assert PhotoRules.objects.count() == 1


def test_ph3_two_editors_cannot_silently_overwrite(world) -> None:
    record(world)
    record(world, expected_version=1, childs_views="Chris's change.")
    with pytest.raises(StaleEdit) as refused:
        record(world, actor=world.sam, expected_version=1, issues_from_child="Sam's change.")
    message = refused.value.message_dict[NON_FIELD_ERRORS][0]
    assert "Someone else saved changes" in message and "own views" in message
    assert PhotoRules.objects.get().childs_views == "Chris's change."


def test_ph3_two_first_editors_cannot_both_create(world) -> None:
    record(world)
    with pytest.raises(StaleEdit):
        record(world, actor=world.sam, expected_version=0)


def test_ph3_a_child_who_wants_no_photos_has_their_words_recorded(world) -> None:
    with pytest.raises(ValidationError) as refused:
        record(world, wants_no_photos=True, childs_views="")
    assert "childs_views" in refused.value.message_dict


def test_ph3_the_meeting_is_not_in_the_future(world) -> None:
    with pytest.raises(ValidationError) as refused:
        record(world, planning_meeting_on=timezone.localdate() + dt.timedelta(days=1))
    assert "planning_meeting_on" in refused.value.message_dict


@pytest.mark.parametrize("who", ["carol", "fiona", "sue", "frank", "oscar"])
def test_ph3_only_the_childs_and_households_workers_record_them(world, who) -> None:
    with pytest.raises(PermissionDenied):
        record(world, actor=world.users[who])


# The page ---------------------------------------------------------------------------------------


def _url(world: Any) -> str:
    return reverse("files:record_photo_rules", kwargs={"pk": world.child_own.pk})


def test_ph3_the_page_records_and_then_refuses_a_stale_save_keeping_what_was_typed(world, client_for) -> None:
    client = client_for(world.chris)
    form = {
        "version": "0",
        "childs_views": "Happy with photos.",
        "school_photos": "yes",
        "community_photos": "not_decided",
    }
    assert client.post(_url(world), form).status_code == 302
    assert PhotoRules.objects.get().school_photos == Permission.YES
    other = client_for(world.sam)
    assert other.post(_url(world), {**form, "version": "1", "childs_views": "Sam's words"}).status_code == 302
    stale = client.post(_url(world), {**form, "version": "1", "childs_views": "Chris's words"})
    page = stale.content.decode()
    assert stale.status_code == 200 and "Someone else saved changes" in page
    assert "Chris&#x27;s words" in page  # kept
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice
    assert PhotoRules.objects.get().childs_views == "Sam's words"


def test_ph3_the_carer_sees_the_rules_on_the_childs_photos_page(world, client_for) -> None:
    record(world)
    page = client_for(world.carol).get(reverse("files:child_photos", kwargs={"pk": world.child_own.pk}))
    assert page.status_code == 200
    assert "Upload photos" in page.content.decode()
