"""A child is placed only with a household approved, within its terms, on the placement's start date.

The household's status on a day comes from its status history (decision 0015).
The clock stands at Thursday 3 December 2026 in every test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safecare.core.models import Task
from safecare.households import services
from safecare.households.models import HouseholdStatus, Placement
from tests.conftest import World
from tests.factories import PlacementFactory
from tests.households.helpers import (
    approved_household,
    child_of_chris,
    date_boxes,
    error_summary,
    is_checked,
    on,
    shows_date,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(world: World) -> Iterator[dt.date]:
    # After the world is made, so it is the shared one, dated the real day.
    with on(dt.date(2026, 12, 3)):
        yield dt.date(2026, 12, 3)


def refusal(**placement: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        services.placement_create(**placement)  # type: ignore[arg-type]
    return refused.value.message_dict


# The household's status on the start date -----------------------------------------------------


def test_a_placement_starting_years_before_the_household_was_approved_is_refused(world, today) -> None:
    # Seen on the running software: a placement from 2020 into a household approved in
    # November 2026 was accepted, and its duties were "overdue since 2019".
    household = approved_household(world, dt.date(2026, 11, 3))
    child = child_of_chris(world)

    problems = refusal(actor=world.chris, child=child, household=household, start_on=dt.date(2020, 5, 1))

    assert problems == {"start_on": ["Start date: the household was not approved until 3 November 2026"]}
    assert not Placement.objects.filter(child=child).exists()
    assert not Task.objects.filter(child=child).exists()


@pytest.mark.parametrize("recorded", [True, False], ids=["approved here", "approved before its history"])
def test_a_household_is_approved_from_its_approval_date_and_not_the_day_before(
    world, today, recorded
) -> None:
    household = approved_household(world, dt.date(2026, 11, 3), recorded=recorded)
    child = child_of_chris(world)

    problems = refusal(actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 2))
    placement = services.placement_create(
        actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 3)
    )

    assert problems == {"start_on": ["Start date: the household was not approved until 3 November 2026"]}
    assert (placement.household, placement.start_on) == (household, dt.date(2026, 11, 3))


def test_a_placement_starting_while_the_household_was_on_hold_is_refused(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    services.household_change_status(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 11, 10),
    )
    services.household_change_status(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 20),
    )
    child = child_of_chris(world)

    on_hold = refusal(actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 15))
    last_day_on_hold = refusal(
        actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 19)
    )
    before_the_hold = services.placement_create(
        actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 9)
    )

    assert on_hold == {
        "start_on": [
            "Start date: the household was on hold on 15 November 2026, not approved; "
            "it was approved again from 20 November 2026"
        ]
    }
    assert last_day_on_hold == {
        "start_on": [
            "Start date: the household was on hold on 19 November 2026, not approved; "
            "it was approved again from 20 November 2026"
        ]
    }
    assert before_the_hold.start_on == dt.date(2026, 11, 9)


def test_a_placement_after_the_household_was_approved_again_is_accepted(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    services.household_change_status(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 11, 10),
    )
    services.household_change_status(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 20),
    )

    placement = services.placement_create(
        actor=world.chris, child=child_of_chris(world), household=household, start_on=dt.date(2026, 11, 20)
    )

    assert placement.start_on == dt.date(2026, 11, 20)


# The terms of approval, as they are today, on the start date ----------------------------------


def test_the_childs_age_on_the_start_date_is_held_to_the_approved_ages(world, today) -> None:
    household = approved_household(world, dt.date(2026, 1, 5), age_min=5, age_max=10)
    # Five on 15 November 2026: four on the 14th.
    child = child_of_chris(world, born=dt.date(2021, 11, 15))

    problems = refusal(actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 14))
    placement = services.placement_create(
        actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 15)
    )

    assert problems == {
        "household": ["Household: approved for ages 5 to 10; the child will be 4 on the start date"]
    }
    assert placement.start_on == dt.date(2026, 11, 15)


def test_the_number_of_children_approved_for_holds_on_the_start_date(world, today) -> None:
    household = approved_household(world, dt.date(2026, 1, 5), max_children=1)
    PlacementFactory(
        child=child_of_chris(world),
        household=household,
        start_on=dt.date(2026, 11, 5),
        end_on=dt.date(2026, 11, 20),
        end_reason="planned_move",
    )
    child = child_of_chris(world)

    problems = refusal(actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 10))
    placement = services.placement_create(
        actor=world.chris, child=child, household=household, start_on=dt.date(2026, 11, 20)
    )

    assert problems == {"household": ["Household: approved for 1 child at a time; 1 already placed then"]}
    assert placement.start_on == dt.date(2026, 11, 20)


# The placement page --------------------------------------------------------------------------


def test_the_page_names_the_approval_date_and_keeps_what_was_typed(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    child = child_of_chris(world)

    response = client_for(world.chris).post(
        reverse("households:placement_create", kwargs={"pk": child.pk}),
        {"household": household.pk, **date_boxes("start_on", "1", "5", "2020"), "emergency": "on"},
    )

    assert response.status_code == 200
    assert "Start date: the household was not approved until 3 November 2026" in error_summary(response)
    content = response.content.decode()
    assert f'value="{household.name} ({household.reference})"' in content
    assert shows_date(response, "start_on", "1", "5", "2020")
    assert is_checked(response, "emergency")
    assert not Placement.objects.filter(child=child).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("31", "11", "2026"), "Start date must be a real date"),
        (("1", "", "2026"), "Start date must include a month"),
        (("", "", "2026"), "Start date must include a day and month"),
        (("1", "11", "26"), "Start date must include a year with 4 numbers, like 2027"),
        (("", "", ""), "Start date: enter the date the placement starts. For example, 27 3 2027."),
    ],
)
def test_the_page_names_a_start_date_that_is_missing_or_not_a_real_date(
    world, today, client_for, typed, message
) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    child = child_of_chris(world)

    response = client_for(world.chris).post(
        reverse("households:placement_create", kwargs={"pk": child.pk}),
        {"household": household.pk, **date_boxes("start_on", *typed)},
    )

    assert response.status_code == 200
    assert message in error_summary(response)
    assert f'value="{household.name} ({household.reference})"' in response.content.decode()
