"""List pages cost the same number of queries for 3 rows as for 30, so a page's cost does not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.households.models import Child, Household
from tests.factories import (
    AllocationFactory,
    ChildFactory,
    HouseholdFactory,
    MemberFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_households(world, count: int) -> None:
    for n in range(count):
        household = HouseholdFactory(
            service=world.service, name=f"Extra household {n}", team=world.fostering_team
        )
        MemberFactory(household=household)
        worker = UserFactory(service=world.service, role="supervising_sw")
        AllocationFactory(worker=worker, kind="supervising", household=household)
        PlacementFactory(child=ChildFactory(service=world.service), household=household)


def add_children(world, count: int) -> None:
    for n in range(count):
        child = ChildFactory(service=world.service, team=world.children_team, last_name=f"Extra{n}")
        worker = UserFactory(service=world.service, role="childs_sw")
        AllocationFactory(worker=worker, kind="childs", child=child)
        PlacementFactory(child=child, household=world.household_other)


def test_the_household_list_query_count_does_not_grow_with_the_households(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.frank)
    url = reverse("households:list")
    client.get(url)  # the first request of a session writes the session once
    households = Household.objects.filter(service=world.service)
    add_households(world, 3 - households.count())
    assert households.count() == 3
    with_three = queries_for(client, url)
    add_households(world, 27)
    with django_assert_num_queries(with_three):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30


def test_the_child_list_query_count_does_not_grow_with_the_children(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.harry)
    url = reverse("households:child_list")
    client.get(url)
    children = Child.objects.filter(service=world.service)
    add_children(world, 3 - children.count())
    assert children.count() == 3
    with_three = queries_for(client, url)
    add_children(world, 27)
    with django_assert_num_queries(with_three):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
