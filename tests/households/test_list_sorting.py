"""The household and child lists sort by their column headings, keep the sort across pages and
searches, and treat a sort they do not know as the default, by name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from safecare.households.models import Household
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [str(row) for row in response.context["page_obj"]]


def headers(response) -> dict[str, tuple[str, str]]:
    """Each sortable heading: its text, its aria-sort and its link."""
    found = re.findall(
        r'<th scope="col" class="govuk-table__header" aria-sort="(\w+)"><a [^>]*href="([^"]+)">([^<]+)',
        response.content.decode(),
    )
    return {label: (sort, href.replace("&amp;", "&")) for sort, href, label in found}


def households(client, **query) -> list[str]:
    return names(client.get(reverse("households:list"), query))


def test_households_are_sorted_by_name_unless_asked_otherwise(world, client_for):
    client = client_for(world.frank)
    assert households(client) == ["Jones household", "Okafor household", "Patel household"]
    assert households(client, sort="-name") == ["Patel household", "Okafor household", "Jones household"]
    # The reference is the order the households were added in.
    assert households(client, sort="reference") == ["Patel household", "Jones household", "Okafor household"]
    assert households(client, sort="-reference") == ["Okafor household", "Jones household", "Patel household"]


def test_households_sort_by_status_in_the_order_of_the_workflow_then_by_name(world, client_for):
    client = client_for(world.frank)
    assert households(client, sort="status") == ["Okafor household", "Jones household", "Patel household"]
    assert households(client, sort="-status") == ["Patel household", "Jones household", "Okafor household"]


@pytest.mark.parametrize("sort", ["bogus", "-", "name;drop", "id", "-id", "team", ""])
def test_a_sort_the_list_does_not_know_is_the_default(world, client_for, sort):
    client = client_for(world.frank)
    response = client.get(reverse("households:list"), {"sort": sort})
    assert response.status_code == 200
    assert names(response) == ["Jones household", "Okafor household", "Patel household"]
    child_response = client_for(world.harry).get(reverse("households:child_list"), {"sort": sort})
    assert child_response.status_code == 200
    assert names(child_response) == ["Yasmin Brown", "Xavier Smith"]


def test_the_headings_say_how_the_list_is_sorted_and_link_to_the_other_sorts(world, client_for):
    client = client_for(world.frank)
    assert headers(client.get(reverse("households:list"), {"q": "house"})) == {
        "Household": ("ascending", "?q=house&sort=-name"),
        "Reference": ("none", "?q=house&sort=reference"),
        "Status": ("none", "?q=house&sort=status"),
    }
    # Sorting starts again at the first page.
    assert headers(client.get(reverse("households:list"), {"sort": "-name", "page": "2"})) == {
        "Household": ("descending", "?sort=name"),
        "Reference": ("none", "?sort=reference"),
        "Status": ("none", "?sort=status"),
    }


def test_the_sort_is_kept_across_pages_and_in_the_search_form(world, client_for):
    for n in range(50):
        Household.objects.create(service=world.service, name=f"Zz household {n:02d}")
    client = client_for(world.frank)
    first = client.get(reverse("households:list"), {"sort": "-name"})
    assert names(first)[:2] == ["Zz household 49", "Zz household 48"]
    content = first.content.decode()
    assert 'href="?sort=-name&amp;page=2"' in content
    assert '<input type="hidden" name="sort" value="-name">' in content
    second = client.get(reverse("households:list"), {"sort": "-name", "page": "2"})
    assert names(second)[-3:] == ["Patel household", "Okafor household", "Jones household"]


def test_children_sort_by_name_reference_and_age(world, client_for):
    ChildFactory(
        service=world.service,
        team=world.children_team,
        first_name="Abel",
        last_name="Young",
        date_of_birth=dt.date(2024, 1, 5),
    )
    client = client_for(world.harry)

    def children(**query) -> list[str]:
        return names(client.get(reverse("households:child_list"), query))

    assert children() == ["Yasmin Brown", "Xavier Smith", "Abel Young"]
    assert children(sort="-name") == ["Abel Young", "Xavier Smith", "Yasmin Brown"]
    assert children(sort="reference") == ["Xavier Smith", "Yasmin Brown", "Abel Young"]
    # Youngest first, then by name.
    assert children(sort="age") == ["Abel Young", "Yasmin Brown", "Xavier Smith"]
    assert children(sort="-age") == ["Xavier Smith", "Yasmin Brown", "Abel Young"]
    assert headers(client.get(reverse("households:child_list"), {"sort": "age"})) == {
        "Child": ("none", "?sort=name"),
        "Reference": ("none", "?sort=reference"),
        "Age": ("ascending", "?sort=-age"),
    }
