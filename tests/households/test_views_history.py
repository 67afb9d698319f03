"""Change history and access log pages (rules: Everywhere): who, when, before and after; read-only."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.households import services
from safecare.households.models import PlacementEndReason
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def history_items(response) -> list[str]:
    """Each 'field: before changed to after' line of the changes table, as a screen reader says it."""
    content = response.content.decode().replace('<span aria-hidden="true">→</span>', "")
    items = re.findall(r"<li><span class=\"govuk-!-font-weight-bold\">(.*?)</li>", content, flags=re.S)
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", item))).strip() for item in items]


def test_the_history_lists_a_change_with_who_before_and_after(world, client_for):
    edit_url = reverse("households:edit", kwargs={"pk": world.household_own.pk})
    sam = client_for(world.sam)
    version = re.search(r'name="version" value="(\d+)"', sam.get(edit_url).content.decode()).group(1)
    sam.post(
        edit_url,
        {
            "name": "Patel-Shah household",
            "team": world.fostering_team.pk,
            "max_children": 3,
            "age_min": 0,
            "age_max": 17,
            "version": version,
        },
    )
    response = client_for(world.fiona).get(
        reverse("households:household_history", kwargs={"pk": world.household_own.pk})
    )
    assert response.status_code == 200
    items = history_items(response)
    assert "Name : Patel household changed to Patel-Shah household" in items
    assert "Number of children approved for : 2 changed to 3" in items
    page = text(response)
    assert f"{world.sam.display_name} Household: changed" in page


def test_the_history_covers_members_placements_and_allocations(world, client_for):
    services.member_update(actor=world.sam, member=world.member_own, moved_in_on=timezone.localdate())
    services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=timezone.localdate(),
        end_reason=PlacementEndReason.PLANNED_MOVE,
    )
    response = client_for(world.harry).get(
        reverse("households:household_history", kwargs={"pk": world.household_own.pk})
    )
    page = text(response)
    assert f"{world.sam.display_name} Member: Carol Patel: changed" in page
    assert f"{world.chris.display_name} Placement: Xavier Smith: changed" in page
    assert "Allocation: Supervising social worker: created" in page
    items = history_items(response)
    assert "End reason : (blank) changed to Planned move" in items


def test_the_history_names_a_child_the_reader_can_no_longer_see_by_reference_only(world, client_for):
    # fiona sees children only while they are placed with her team's households.
    services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=timezone.localdate(),
        end_reason=PlacementEndReason.RETURN_HOME,
    )
    page = text(
        client_for(world.fiona).get(
            reverse("households:household_history", kwargs={"pk": world.household_own.pk})
        )
    )
    assert "Xavier" not in page
    assert f"Placement: a child ({world.child_own.reference})" in page


def test_the_access_log_lists_who_viewed_the_record(world, client_for):
    client_for(world.sam).get(reverse("households:detail", kwargs={"pk": world.household_own.pk}))
    url = reverse("households:household_history", kwargs={"pk": world.household_own.pk})
    page = text(client_for(world.fiona).get(url, {"show": "views"}))
    assert world.sam.display_name in page
    assert reverse("households:detail", kwargs={"pk": world.household_own.pk}) in page


def test_the_childs_history_lists_changes_and_views(world, client_for):
    services.child_update(actor=world.chris, child=world.child_own, first_name="Xavi")
    client_for(world.carol).get(reverse("households:child_detail", kwargs={"pk": world.child_own.pk}))
    client = client_for(world.tom)
    url = reverse("households:child_history", kwargs={"pk": world.child_own.pk})
    assert "First name : Xavier changed to Xavi" in history_items(client.get(url))
    assert world.carol.display_name in text(client.get(url, {"show": "views"}))


def test_a_worker_without_the_history_permission_gets_404(world, client_for):
    # sam sees the household but reading its history is for managers.
    url = reverse("households:household_history", kwargs={"pk": world.household_own.pk})
    assert client_for(world.sam).get(url).status_code == 404
    assert (
        client_for(world.chris)
        .get(reverse("households:child_history", kwargs={"pk": world.child_own.pk}))
        .status_code
        == 404
    )


def test_the_history_is_read_only(world, client_for):
    client = client_for(world.harry)
    for url in (
        reverse("households:household_history", kwargs={"pk": world.household_own.pk}),
        reverse("households:child_history", kwargs={"pk": world.child_own.pk}),
    ):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405


def test_a_manager_outside_the_childs_scope_gets_404_on_its_history(world, client_for):
    child = ChildFactory(service=world.service, first_name="Nobody")
    url = reverse("households:child_history", kwargs={"pk": child.pk})
    assert client_for(world.tom).get(url).status_code == 404
    assert client_for(world.olga).get(url).status_code == 404
    assert client_for(world.harry).get(url).status_code == 200
