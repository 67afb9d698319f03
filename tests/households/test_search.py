"""Staff search: households, children and people, inside the reader's scope, logged as a list."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from safecare.core.models import AccessLog
from safecare.households.models import Household

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def found(response) -> list[str]:
    return [str(item) for item in response.context["page_obj"]]


def tabs(response) -> list[tuple[str, bool]]:
    return [(f"{tab['label']} ({tab['count']})", tab["current"]) for tab in response.context["tabs"]]


def test_a_name_finds_the_household_and_its_people(world, client_for):
    response = client_for(world.frank).get(SEARCH, {"q": "patel"})
    assert response.status_code == 200
    assert tabs(response) == [
        ("Households (1)", True),
        ("Children (0)", False),
        ("People in households (1)", False),
    ]
    assert found(response) == ["Patel household"]
    assert f'href="/households/{world.household_own.pk}/"' in response.content.decode()
    people = client_for(world.frank).get(SEARCH, {"q": "patel", "kind": "people"})
    assert found(people) == ["Carol Patel"]
    assert f'href="/households/{world.household_own.pk}/sections/people/"' in people.content.decode()


def test_the_first_kind_with_results_is_shown_first(world, client_for):
    response = client_for(world.harry).get(SEARCH, {"q": "xavier"})
    assert tabs(response) == [
        ("Households (0)", False),
        ("Children (1)", True),
        ("People in households (0)", False),
    ]
    assert found(response) == ["Xavier Smith"]
    assert f'href="/children/{world.child_own.pk}/"' in response.content.decode()


@pytest.mark.parametrize("query", ["H-{:05d}", "h{}", "h-{}", " H-{} "])
def test_a_household_reference_finds_that_household(world, client_for, query):
    typed = query.format(world.household_own.pk)
    assert found(client_for(world.frank).get(SEARCH, {"q": typed})) == ["Patel household"]


def test_a_child_reference_finds_that_child(world, client_for):
    response = client_for(world.harry).get(SEARCH, {"q": f"C-{world.child_own.pk:05d}"})
    assert found(response) == ["Xavier Smith"]


def test_a_postcode_is_found_with_or_without_its_space(world, client_for):
    Household.objects.filter(pk=world.household_own.pk).update(postcode="LS1 4AB")
    client = client_for(world.frank)
    assert found(client.get(SEARCH, {"q": "ls14ab"})) == ["Patel household"]
    assert found(client.get(SEARCH, {"q": "LS1 4AB"})) == ["Patel household"]


def test_search_finds_only_what_the_reader_may_open(world, client_for):
    # Jones household is another team's: fiona may not open it; Southern is another service's.
    fiona = client_for(world.fiona)
    assert text(fiona.get(SEARCH, {"q": "jones"})).count("Nothing you can open matches") == 1
    assert "Southern" not in text(client_for(world.frank).get(SEARCH, {"q": "southern"}))
    # chris sees his own child, not the other child placed elsewhere.
    chris = client_for(world.chris)
    assert found(chris.get(SEARCH, {"q": "yasmin"})) == []
    assert found(chris.get(SEARCH, {"q": f"C-{world.child_other.pk:05d}"})) == []


def test_every_word_must_match(world, client_for):
    client = client_for(world.harry)
    assert found(client.get(SEARCH, {"q": "xavier smith"})) == ["Xavier Smith"]
    assert found(client.get(SEARCH, {"q": "xavier brown"})) == []


def test_a_page_of_results_is_logged_as_the_list_it_shows(world, client_for):
    client = client_for(world.frank)
    client.get(SEARCH, {"q": "patel"})
    client.get(SEARCH, {"q": "patel", "kind": "people"})
    rows = AccessLog.objects.filter(user=world.frank).order_by("id")
    assert [(row.subject_type, row.listed_ids) for row in rows] == [
        ("household", [world.household_own.pk]),
        ("householdmember", [world.member_own.pk]),
    ]


def test_an_empty_search_is_a_friendly_page_and_logs_nothing(world, client_for):
    response = client_for(world.frank).get(SEARCH, {"q": "  "})
    assert response.status_code == 200
    assert "Type what you are looking for and select Search." in text(response)
    assert not AccessLog.objects.filter(user=world.frank).exists()


def test_an_unknown_kind_shows_the_first_with_results(world, client_for):
    response = client_for(world.frank).get(SEARCH, {"q": "patel", "kind": "devices"})
    assert response.status_code == 200
    assert found(response) == ["Patel household"]


def test_carers_and_administrators_have_no_search(world, client_for):
    for user in (world.carol, world.ada):
        client = client_for(user)
        assert client.get(SEARCH, {"q": "patel"}).status_code == 404
    assert 'role="search"' not in client_for(world.carol).get("/").content.decode()
    assert 'role="search"' in client_for(world.sam).get("/").content.decode()
    assert reverse("households:search") == SEARCH


def test_a_close_spelling_finds_the_name_on_postgresql_and_only_the_name_as_typed_on_sqlite(
    world, client_for
):
    # Decision 0028: pg_trgm word similarity where PostgreSQL has it, words as typed on SQLite.
    from django.db import connection

    client = client_for(world.frank)
    expected = ["Patel household"] if connection.vendor == "postgresql" else []
    assert found(client.get(SEARCH, {"q": "patle"})) == expected
    assert found(client.get(SEARCH, {"q": "zebra"})) == []
