"""Status changes and placements through the API: dates, final statuses, refusals as 400 naming the field.

Decision 0015. The clock stands at Thursday 3 December 2026 in every test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from safecare.core.models import TaskStatus
from safecare.households.models import HouseholdStatus, HouseholdStatusChange, Placement
from tests.api.helpers import send, url
from tests.conftest import World
from tests.factories import PlacementFactory, TaskFactory
from tests.households.helpers import approved_household, child_of_chris, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(world: World) -> Iterator[dt.date]:
    with on(dt.date(2026, 12, 3)):
        yield dt.date(2026, 12, 3)


def change_status(client, household, **body):  # type: ignore[no-untyped-def]
    return send(client, "POST", url("household-status", household.pk), body)


# Effective dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("effective_on", ["2026-12-04", "2056-12-03"])
def test_it_refuses_a_status_change_dated_in_the_future(world, today, client_for, effective_on) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    response = change_status(
        client_for(world.frank), household, to_status="deregistered", effective_on=effective_on, confirm=True
    )

    assert response.status_code == 400
    assert response.json() == {
        "effective_on": [
            "Date the change takes effect: cannot be in the future; record the change on or after the day "
            "it takes effect (today is 3 December 2026)"
        ]
    }
    household.refresh_from_db()
    assert household.status == HouseholdStatus.APPROVED


def test_it_refuses_a_status_change_before_the_previous_one(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    response = change_status(client_for(world.sam), household, to_status="on_hold", effective_on="2026-11-02")

    assert response.status_code == 400
    assert response.json() == {
        "effective_on": [
            "Date the change takes effect: cannot be before the household's previous status change, "
            "which took effect on 3 November 2026"
        ]
    }


def test_it_names_a_date_that_is_not_real(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    response = change_status(client_for(world.sam), household, to_status="on_hold", effective_on="2026-11-31")

    assert response.status_code == 400
    assert response.json() == {
        "effective_on": ["Date the change takes effect: must be a real date, as YYYY-MM-DD"]
    }


# Final statuses ----------------------------------------------------------------------------------


def test_it_refuses_a_deregistration_without_confirm_true_then_makes_it_and_cancels_the_duties(
    world, today, client_for
) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    duty = TaskFactory(service=world.service, household=household, owner=world.sam)
    frank = client_for(world.frank)

    unconfirmed = change_status(frank, household, to_status="deregistered", effective_on="2026-12-02")
    not_true = change_status(
        frank, household, to_status="deregistered", effective_on="2026-12-02", confirm=False
    )
    confirmed = change_status(
        frank, household, to_status="deregistered", effective_on="2026-12-02", confirm=True
    )

    expected = {
        "confirm": [
            "Confirm: a household that has been deregistered can never be changed back (a return is a new "
            "application with a full assessment); confirm that you understand this cannot be undone"
        ]
    }
    assert (unconfirmed.status_code, unconfirmed.json()) == (400, expected)
    assert (not_true.status_code, not_true.json()) == (400, expected)
    assert confirmed.status_code == 201, confirmed.content
    assert (confirmed.json()["to_status"], confirmed.json()["effective_on"]) == ("deregistered", "2026-12-02")
    duty.refresh_from_db()
    assert (duty.status, duty.closed_note) == (
        TaskStatus.CANCELLED,
        "The household was deregistered on 2 December 2026",
    )


def test_it_names_a_confirm_that_is_not_true_or_false(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    response = change_status(client_for(world.sam), household, to_status="resigned", confirm="perhaps")

    assert response.status_code == 400
    assert response.json() == {"confirm": ["Confirm: must be true or false"]}
    assert (
        not HouseholdStatusChange.objects.filter(household=household).exclude(to_status="approved").exists()
    )


def test_it_refuses_a_final_status_while_a_child_is_placed(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    PlacementFactory(child=child_of_chris(world), household=household, start_on=dt.date(2026, 11, 10))

    response = change_status(client_for(world.sam), household, to_status="resigned", confirm=True)

    assert response.status_code == 400
    assert response.json() == {
        "to_status": [
            "New status: 1 child is still placed with the household; a household that has resigned cannot "
            "have children placed with it: end the placement first"
        ]
    }


# Placements --------------------------------------------------------------------------------------


def test_it_refuses_a_placement_starting_before_the_household_was_approved(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    child = child_of_chris(world)

    response = send(
        client_for(world.chris),
        "POST",
        url("placement-list"),
        {"child": child.pk, "household": household.pk, "start_on": "2020-05-01"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "start_on": ["Start date: the household was not approved until 3 November 2026"]
    }
    assert not Placement.objects.filter(child=child).exists()


def test_it_names_a_placement_start_date_that_is_missing_or_not_real(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    child = child_of_chris(world)
    chris = client_for(world.chris)

    missing = send(chris, "POST", url("placement-list"), {"child": child.pk, "household": household.pk})
    not_real = send(
        chris,
        "POST",
        url("placement-list"),
        {"child": child.pk, "household": household.pk, "start_on": "2026-02-30"},
    )

    assert (missing.status_code, missing.json()) == (
        400,
        {"start_on": ["Start date: required, as YYYY-MM-DD"]},
    )
    assert (not_real.status_code, not_real.json()) == (
        400,
        {"start_on": ["Start date: must be a real date, as YYYY-MM-DD"]},
    )
