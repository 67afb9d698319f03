"""List endpoints cost the same number of queries for 3 rows as for 30, so a page's cost does not grow with the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import send, url
from tests.conftest import World
from tests.factories import (
    AllocationFactory,
    ChildFactory,
    HouseholdFactory,
    MemberFactory,
    PlacementFactory,
    TaskFactory,
    UserFactory,
)


def add_households(world: World, count: int) -> None:
    for _ in range(count):
        household = HouseholdFactory(service=world.service, team=world.fostering_team)
        MemberFactory(household=household)
        worker = UserFactory(service=world.service, role="supervising_sw")
        AllocationFactory(worker=worker, kind="supervising", household=household)


def add_children(world: World, count: int) -> None:
    start = timezone.localdate() - dt.timedelta(days=10)
    for _ in range(count):
        household = HouseholdFactory(service=world.service)
        child = ChildFactory(service=world.service, team=world.children_team)
        PlacementFactory(child=child, household=household, start_on=start)
        worker = UserFactory(service=world.service, role="childs_sw")
        AllocationFactory(worker=worker, kind="childs", child=child)


def add_tasks(world: World, count: int) -> None:
    for _ in range(count):
        owner = UserFactory(service=world.service, role="supervising_sw", team=world.fostering_team)
        TaskFactory(service=world.service, owner=owner, team=world.fostering_team)


def rows(client: Client, name: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = send(client, "GET", url(name))
    assert response.status_code == 200, response.content
    return response.json()["count"], len(queries)


@pytest.mark.parametrize(
    ("name", "username", "add"),
    [
        ("household-list", "frank", add_households),
        ("child-list", "helen", add_children),
        ("task-list", "harry", add_tasks),
        ("placement-list", "helen", add_children),
    ],
)
def test_a_list_costs_the_same_queries_for_3_rows_as_for_30(
    world: World,
    client_for,
    django_assert_num_queries,
    name: str,
    username: str,
    add: Callable[[World, int], None],
) -> None:
    client = client_for(world.users[username])
    send(client, "GET", url(name))  # the session's first touch writes to it once: not per row
    add(world, 3)
    few, queries = rows(client, name)

    add(world, 27)

    with django_assert_num_queries(queries):
        response = send(client, "GET", url(name))
    assert response.json()["count"] == few + 27


def test_a_carers_child_list_costs_the_same_queries_for_any_number_of_children(
    world: World, client_for, django_assert_num_queries
) -> None:
    world.household_own.max_children = 10
    world.household_own.save()
    client = client_for(world.carol)
    send(client, "GET", url("child-list"))
    _, queries = rows(client, "child-list")

    for _ in range(5):
        PlacementFactory(child=ChildFactory(service=world.service), household=world.household_own)

    with django_assert_num_queries(queries):
        response = send(client, "GET", url("child-list"))
    assert response.json()["count"] == 6
