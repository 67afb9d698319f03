"""Who sees what through the API (rules: Who sees what): the same scopes as the web pages, 404 outside them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safecare.core.models import AccessLog
from tests.api.helpers import send, url
from tests.conftest import World


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_it_shows_a_carer_only_her_own_household_and_the_child_placed_with_her(
    world: World, client_for
) -> None:
    client = client_for(world.carol)

    assert ids(send(client, "GET", url("household-list"))) == {world.household_own.pk}
    assert ids(send(client, "GET", url("child-list"))) == {world.child_own.pk}
    placements = send(client, "GET", url("placement-list")).json()["results"]
    assert [(p["child"], p["household"]) for p in placements] == [
        (world.child_own.pk, world.household_own.pk)
    ]


def test_it_shows_a_supervising_social_worker_his_allocated_household_and_its_children(
    world: World, client_for
) -> None:
    client = client_for(world.sam)

    assert ids(send(client, "GET", url("household-list"))) == {world.household_own.pk}
    assert ids(send(client, "GET", url("child-list"))) == {world.child_own.pk}


def test_it_shows_another_service_nothing_of_north(world: World, client_for) -> None:
    client = client_for(world.olga)

    assert ids(send(client, "GET", url("household-list"))) == {world.household_south.pk}
    assert ids(send(client, "GET", url("child-list"))) == {world.child_south.pk}
    assert send(client, "GET", url("household-detail", world.household_own.pk)).status_code == 404
    assert send(client, "GET", url("child-detail", world.child_own.pk)).status_code == 404


@pytest.mark.parametrize("username", ["ada", "bella"])
def test_it_gives_service_admin_and_business_support_no_case_data(
    world: World, client_for, username: str
) -> None:
    # rules: Who sees what: service administrators and business support see no case content.
    client = client_for(world.users[username])
    world.task_own.owner = world.users[username]
    world.task_own.save()

    for name in ["household-list", "child-list", "placement-list", "task-list"]:
        assert ids(send(client, "GET", url(name))) == set(), name
    assert send(client, "GET", url("household-detail", world.household_own.pk)).status_code == 404
    assert send(client, "GET", url("child-detail", world.child_own.pk)).status_code == 404
    assert send(client, "GET", url("member-detail", world.carer_member.pk)).status_code == 404
    assert send(client, "GET", url("placement-detail", world.placement_own.pk)).status_code == 404
    assert send(client, "GET", url("task-detail", world.task_own.pk)).status_code == 404


@pytest.mark.parametrize(
    ("username", "name", "subject"),
    [
        ("carol", "household-detail", "household_other"),
        ("carol", "child-detail", "child_other"),
        ("carol", "placement-detail", "placement_other"),
        ("carol", "member-detail", "member_other"),
        ("sam", "household-detail", "household_south"),
        ("sam", "child-detail", "child_other"),
        ("chris", "household-detail", "household_other"),
        ("asha", "household-detail", "household_own"),
        ("sam", "task-detail", "task_other"),
    ],
)
def test_it_answers_404_for_a_record_outside_the_callers_scope(
    world: World, client_for, username: str, name: str, subject: str
) -> None:
    record = getattr(world, subject)

    response = send(client_for(world.users[username]), "GET", url(name, record.pk))

    assert response.status_code == 404
    assert AccessLog.objects.count() == 0


def test_it_answers_a_missing_record_exactly_like_one_out_of_scope(world: World, client_for) -> None:
    client = client_for(world.carol)

    missing = send(client, "GET", url("household-detail", 999_999))
    hidden = send(client, "GET", url("household-detail", world.household_other.pk))

    assert (missing.status_code, missing.json()) == (hidden.status_code, hidden.json())


def test_it_shows_a_carer_only_the_limited_fields_of_a_child(world: World, client_for) -> None:
    response = send(client_for(world.carol), "GET", url("child-detail", world.child_own.pk))

    assert response.status_code == 200
    assert response.json() == {
        "view": "carer",
        "id": world.child_own.pk,
        "first_name": "Xavier",
        "age": world.child_own.age_on(timezone.localdate()),
        "placement_start_on": world.placement_own.start_on.isoformat(),
    }
    assert "last_name" not in response.json()
    assert "date_of_birth" not in response.json()


def test_it_never_shows_a_carer_the_households_allocations_or_team(world: World, client_for) -> None:
    response = send(client_for(world.carol), "GET", url("household-detail", world.household_own.pk))

    body = response.json()
    assert body["view"] == "carer"
    assert body["name"] == "Patel household"
    assert "allocations" not in body
    assert "team" not in body


def test_it_shows_staff_the_households_allocations(world: World, client_for) -> None:
    body = send(client_for(world.fiona), "GET", url("household-detail", world.household_own.pk)).json()

    assert body["view"] == "full"
    assert body["team"] == world.fostering_team.pk
    assert [(a["kind"], a["worker"]) for a in body["allocations"]] == [("supervising", world.sam.pk)]


def test_it_shows_staff_the_full_child_record(world: World, client_for) -> None:
    body = send(client_for(world.chris), "GET", url("child-detail", world.child_own.pk)).json()

    assert body["view"] == "full"
    assert body["last_name"] == "Smith"
    assert body["current_placement"]["household"] == world.household_own.pk
    assert [(a["kind"], a["worker"]) for a in body["allocations"]] == [("childs", world.chris.pk)]


def test_it_shows_the_members_of_a_household_to_its_carer(world: World, client_for) -> None:
    response = send(client_for(world.carol), "GET", url("household-members", world.household_own.pk))

    assert response.status_code == 200
    assert [m["first_name"] for m in response.json()] == ["Carol"]


@pytest.mark.parametrize(
    ("name", "subject", "subject_type"),
    [
        ("household-detail", "household_own", "household"),
        ("child-detail", "child_own", "child"),
        ("household-members", "household_own", "household"),
    ],
)
def test_it_writes_an_access_log_row_for_every_retrieve(
    world: World, client_for, name: str, subject: str, subject_type: str
) -> None:
    # rules: Everywhere: every view of a child's or household's record is logged, web and API.
    record = getattr(world, subject)
    client = client_for(world.sam)

    send(client, "GET", url(name, record.pk))
    send(client, "GET", url(name, record.pk))

    rows = AccessLog.objects.filter(subject_type=subject_type, subject_id=record.pk)
    assert rows.count() == 2
    assert {(row.user_id, row.via_api, row.service_id) for row in rows} == {
        (world.sam.pk, True, world.service.pk)
    }


def test_it_logs_a_member_or_placement_read_as_a_view_of_the_household_or_child(
    world: World, client_for
) -> None:
    client = client_for(world.sam)

    send(client, "GET", url("member-detail", world.carer_member.pk))
    send(client, "GET", url("placement-detail", world.placement_own.pk))

    logged = set(AccessLog.objects.values_list("subject_type", "subject_id", "via_api"))
    assert logged == {("household", world.household_own.pk, True), ("child", world.child_own.pk, True)}


def test_it_writes_one_access_log_row_for_a_list_naming_what_it_returned(world: World, client_for) -> None:
    # A list is a read of every record on it (rules: Everywhere), logged once per request.
    response = send(client_for(world.frank), "GET", url("household-list"))

    (row,) = AccessLog.objects.all()
    assert (row.subject_type, row.subject_id, row.via_api) == ("household", None, True)
    assert row.listed_ids == [household["id"] for household in response.json()["results"]]
