"""Status changes: dates that cannot run ahead or go back, final statuses confirmed, SC-3's deadline.

Decision 0015. The clock stands at Thursday 3 December 2026 in every test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safecare.core.models import Task, TaskStatus
from safecare.households import services
from safecare.households.models import (
    Household,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    MemberKind,
    TrainingCourse,
)
from tests.conftest import World
from tests.factories import HouseholdFactory, PlacementFactory, TaskFactory
from tests.households.helpers import (
    approved_household,
    child_of_chris,
    date_boxes,
    error_summary,
    is_checked,
    on,
    shows_date,
    text,
)

pytestmark = pytest.mark.django_db

FUTURE = (
    "Date the change takes effect: cannot be in the future; record the change on or after the day "
    "it takes effect (today is 3 December 2026)"
)


@pytest.fixture
def today(world: World) -> Iterator[dt.date]:
    with on(dt.date(2026, 12, 3)):
        yield dt.date(2026, 12, 3)


def refusal(**change: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        services.household_change_status(**change)  # type: ignore[arg-type]
    return refused.value.message_dict


def approvable(world: World) -> Household:
    """The Okafor household, in assessment, with everything approval needs (SC-1, SC-2)."""
    household = world.household_applicant
    carer = HouseholdMember.objects.get(household=household, kind=MemberKind.CARER)
    services.training_record(
        actor=world.asha,
        household=household,
        member=carer,
        course=TrainingCourse.SKILLS_TO_FOSTER,
        completed_on=dt.date(2026, 10, 1),
    )
    return household


# Effective dates: never in the future ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to_status", "actor", "effective_on"),
    [
        ("applicant", HouseholdStatus.IN_ASSESSMENT, "asha", dt.date(2026, 12, 4)),
        ("in_assessment", HouseholdStatus.APPROVED, "frank", dt.date(2026, 12, 4)),
        ("approved", HouseholdStatus.ON_HOLD, "sam", dt.date(2026, 12, 4)),
        ("approved", HouseholdStatus.RESIGNED, "sam", dt.date(2027, 1, 4)),
        # Decades ahead: the date typed for a deregistration was once 2056.
        ("approved", HouseholdStatus.DEREGISTERED, "frank", dt.date(2056, 12, 3)),
    ],
)
def test_a_status_change_dated_in_the_future_is_refused(
    world, today, start, to_status, actor, effective_on
) -> None:
    if start == "in_assessment":
        household = approvable(world)
    elif start == "applicant":
        household = HouseholdFactory(
            service=world.service, status=HouseholdStatus.APPLICANT, approved_on=None
        )
    else:
        household = approved_household(world, dt.date(2026, 11, 3))
    rows = household.status_changes.count()

    problems = refusal(
        actor=world.users[actor],
        household=household,
        to_status=to_status,
        effective_on=effective_on,
        confirmed=True,
    )

    assert problems == {"effective_on": [FUTURE]}
    household.refresh_from_db()
    assert household.status == start
    assert household.status_changes.count() == rows


def test_an_approval_dated_tomorrow_leaves_the_household_in_assessment_and_unplaceable(world, today) -> None:
    # Seen on the running software: the household showed as approved at once, and took placements.
    household = approvable(world)

    problems = refusal(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 12, 4),
    )
    with pytest.raises(ValidationError) as placing:
        services.placement_create(
            actor=world.chris, child=child_of_chris(world), household=household, start_on=dt.date(2026, 12, 4)
        )

    assert problems == {"effective_on": [FUTURE]}
    household.refresh_from_db()
    assert (household.status, household.approved_on) == (HouseholdStatus.IN_ASSESSMENT, None)
    assert not Task.objects.filter(household=household, rule_id="SC-3").exists()
    assert list(placing.value.message_dict) == ["household"]


def test_a_status_change_dated_today_is_made(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    change = services.household_change_status(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 12, 3),
    )

    assert (change.from_status, change.to_status, change.effective_on) == (
        "approved",
        "on_hold",
        dt.date(2026, 12, 3),
    )


# Effective dates: never before the previous change ---------------------------------------------


@pytest.mark.parametrize("recorded", [True, False], ids=["approved here", "approved before its history"])
def test_a_status_change_before_the_previous_one_is_refused_naming_its_date(world, today, recorded) -> None:
    household = approved_household(world, dt.date(2026, 11, 3), recorded=recorded)

    problems = refusal(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 11, 2),
    )
    same_day = services.household_change_status(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 11, 3),
    )

    assert problems == {
        "effective_on": [
            "Date the change takes effect: cannot be before the household's previous status change, "
            "which took effect on 3 November 2026"
        ]
    }
    assert same_day.effective_on == dt.date(2026, 11, 3)


def test_a_resumption_before_the_hold_it_ends_is_refused(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    services.household_change_status(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 11, 20),
    )

    problems = refusal(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 19),
    )

    assert problems == {
        "effective_on": [
            "Date the change takes effect: cannot be before the household's previous status change, "
            "which took effect on 20 November 2026"
        ]
    }


def test_a_household_cannot_go_on_hold_before_a_child_it_took_in_arrived(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    PlacementFactory(child=child_of_chris(world), household=household, start_on=dt.date(2026, 11, 10))

    problems = refusal(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 11, 9),
    )
    on_the_day = services.household_change_status(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.ON_HOLD,
        effective_on=dt.date(2026, 11, 10),
    )

    assert problems == {
        "effective_on": [
            "Date the change takes effect: a child was placed with the household on 10 November 2026, "
            "while it was approved; the change cannot take effect before that"
        ]
    }
    assert on_the_day.to_status == HouseholdStatus.ON_HOLD


# Final statuses: confirmed, no child placed, duties cancelled ------------------------------------


@pytest.mark.parametrize(
    ("to_status", "actor", "words"),
    [
        (HouseholdStatus.RESIGNED, "sam", "resigned"),
        (HouseholdStatus.DEREGISTERED, "frank", "been deregistered"),
    ],
)
def test_a_final_status_is_refused_unless_confirmed(world, today, to_status, actor, words) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    problems = refusal(actor=world.users[actor], household=household, to_status=to_status)

    assert problems == {
        "confirm": [
            f"Confirm: a household that has {words} can never be changed back (a return is a new application "
            "with a full assessment); confirm that you understand this cannot be undone"
        ]
    }
    household.refresh_from_db()
    assert household.status == HouseholdStatus.APPROVED


def test_a_final_status_is_refused_while_a_child_is_placed(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    placement = PlacementFactory(
        child=child_of_chris(world), household=household, start_on=dt.date(2026, 11, 10)
    )

    problems = refusal(
        actor=world.frank, household=household, to_status=HouseholdStatus.DEREGISTERED, confirmed=True
    )
    services.placement_end(
        actor=world.chris, placement=placement, end_on=dt.date(2026, 12, 1), end_reason="planned_move"
    )
    change = services.household_change_status(
        actor=world.frank, household=household, to_status=HouseholdStatus.DEREGISTERED, confirmed=True
    )

    assert problems == {
        "to_status": [
            "New status: 1 child is still placed with the household; a household that has been deregistered "
            "cannot have children placed with it: end the placement first"
        ]
    }
    assert (change.to_status, change.effective_on) == (HouseholdStatus.DEREGISTERED, dt.date(2026, 12, 3))


def test_a_final_status_cannot_take_effect_before_the_last_child_left(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    PlacementFactory(
        child=child_of_chris(world),
        household=household,
        start_on=dt.date(2026, 11, 10),
        end_on=dt.date(2026, 11, 25),
        end_reason="planned_move",
    )

    problems = refusal(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.RESIGNED,
        effective_on=dt.date(2026, 11, 24),
        confirmed=True,
    )
    change = services.household_change_status(
        actor=world.sam,
        household=household,
        to_status=HouseholdStatus.RESIGNED,
        effective_on=dt.date(2026, 11, 25),
        confirmed=True,
    )

    assert problems == {
        "effective_on": [
            "Date the change takes effect: a placement with the household ended on 25 November 2026; "
            "the household cannot have resigned before the last child left"
        ]
    }
    assert change.effective_on == dt.date(2026, 11, 25)


def test_deregistration_cancels_every_open_duty_of_the_household_saying_why(world, today) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    former = child_of_chris(world)
    PlacementFactory(
        child=former,
        household=household,
        start_on=dt.date(2026, 11, 10),
        end_on=dt.date(2026, 11, 25),
        end_reason="return_home",
    )
    households_duty = TaskFactory(service=world.service, household=household, owner=world.sam)
    childs_duty_here = TaskFactory(
        service=world.service, household=household, child=former, owner=world.chris
    )
    done = TaskFactory(
        service=world.service, household=household, status=TaskStatus.DONE, closed_note="Rang them"
    )
    # Not the household's: the child's own duty, and another household's.
    childs_own_duty = TaskFactory(service=world.service, child=former, owner=world.chris)
    elsewhere = world.task_own

    services.household_change_status(
        actor=world.frank, household=household, to_status=HouseholdStatus.DEREGISTERED, confirmed=True
    )

    def state(task: Task) -> tuple[str, str, object]:
        task.refresh_from_db()
        return task.status, task.closed_note, task.completed_by

    reason = "The household was deregistered on 3 December 2026"
    assert state(households_duty) == (TaskStatus.CANCELLED, reason, world.frank)
    assert state(childs_duty_here) == (TaskStatus.CANCELLED, reason, world.frank)
    assert state(done) == (TaskStatus.DONE, "Rang them", None)
    assert state(childs_own_duty) == (TaskStatus.OPEN, "", None)
    assert state(elsewhere) == (TaskStatus.OPEN, "", None)


def test_resignation_cancels_the_sc3_duty_with_the_date_it_took_effect(world, today) -> None:
    household = approvable(world)
    services.household_change_status(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 24),
    )
    guidance = Task.objects.get(household=household, rule_id="SC-3")

    services.household_change_status(
        actor=world.asha,
        household=household,
        to_status=HouseholdStatus.RESIGNED,
        effective_on=dt.date(2026, 12, 1),
        confirmed=True,
    )

    guidance.refresh_from_db()
    assert (guidance.status, guidance.closed_note) == (
        TaskStatus.CANCELLED,
        "The household resigned on 1 December 2026",
    )
    assert not Task.objects.filter(household=household, status=TaskStatus.OPEN).exists()


# SC-3: 14 calendar days after approval, from core.deadlines ------------------------------------


def test_sc3_the_guidance_is_due_14_calendar_days_after_approval_and_says_so(world, today) -> None:
    household = approvable(world)

    services.household_change_status(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 24),
    )

    task = Task.objects.get(household=household, rule_id="SC-3", status=TaskStatus.OPEN)
    assert task.due_on == dt.date(2026, 12, 8)
    assert task.due_basis == (
        "14 calendar days after approval on Tuesday 24 November 2026 (SC-3: the policy's own deadline)"
    )


def test_sc3_a_deadline_falling_on_a_weekend_stays_there(world, today) -> None:
    # Calendar deadlines do not move off weekends (decision 0007).
    household = approvable(world)

    services.household_change_status(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 21),
    )

    task = Task.objects.get(household=household, rule_id="SC-3", status=TaskStatus.OPEN)
    assert task.due_on == dt.date(2026, 12, 5)  # a Saturday


# The status page --------------------------------------------------------------------------------


def status_url(household: Household) -> str:
    return reverse("households:status", kwargs={"pk": household.pk})


def test_the_page_asks_to_confirm_a_final_status(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    page = text(client_for(world.frank).get(status_url(household)))

    assert "Resigned and deregistered cannot be undone." in page
    assert "I understand this cannot be undone" in page


def test_the_page_refuses_a_final_status_not_confirmed_and_keeps_what_was_typed(
    world, today, client_for
) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    duty = TaskFactory(service=world.service, household=household, owner=world.sam)
    frank = client_for(world.frank)
    answers = {
        "to_status": "deregistered",
        **date_boxes("effective_on", "2", "12", "2026"),
        "reason": "ADM decision 1 December",
    }

    refused = frank.post(status_url(household), answers)

    assert refused.status_code == 200
    assert (
        "I understand this cannot be undone: a household that has been deregistered can never be changed back"
        in error_summary(refused)
    )
    content = refused.content.decode()
    assert is_checked(refused, "to_status", "deregistered")
    assert shows_date(refused, "effective_on", "2", "12", "2026")
    assert "ADM decision 1 December</textarea>" in content
    household.refresh_from_db()
    assert household.status == HouseholdStatus.APPROVED
    assert not HouseholdStatusChange.objects.filter(household=household, to_status="deregistered").exists()

    confirmed = frank.post(status_url(household), {**answers, "confirm": "on"}, follow=True)

    assert "Khan household is now deregistered." in text(confirmed)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.DEREGISTERED
    duty.refresh_from_db()
    assert (duty.status, duty.closed_note) == (
        TaskStatus.CANCELLED,
        "The household was deregistered on 2 December 2026",
    )


def test_the_page_refuses_a_future_date_and_keeps_the_reason(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    response = client_for(world.sam).post(
        status_url(household), {"to_status": "on_hold", "effective_on": "4/12/2026", "reason": "Moving house"}
    )

    assert response.status_code == 200
    assert FUTURE in error_summary(response)
    assert "Moving house</textarea>" in response.content.decode()
    household.refresh_from_db()
    assert household.status == HouseholdStatus.APPROVED


def test_the_page_refuses_a_final_status_while_a_child_is_placed(world, today, client_for) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))
    PlacementFactory(child=child_of_chris(world), household=household, start_on=dt.date(2026, 11, 10))

    response = client_for(world.sam).post(
        status_url(household), {"to_status": "resigned", "effective_on": "3/12/2026", "confirm": "on"}
    )

    assert response.status_code == 200
    assert (
        "New status: 1 child is still placed with the household; a household that has resigned cannot have "
        "children placed with it: end the placement first"
    ) in error_summary(response)
    assert is_checked(response, "confirm")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"to_status": "on_hold", **date_boxes("effective_on", "31", "11", "2026")},
            "Date the change takes effect must be a real date",
        ),
        (
            {"to_status": "on_hold", **date_boxes("effective_on", "", "", "")},
            "Date the change takes effect: enter the date the change took effect. For example, 27 3 2027.",
        ),
        ({"effective_on": "3/12/2026"}, "New status: choose the household's new status"),
    ],
)
def test_the_page_names_the_field_and_the_rule_for_bad_input(
    world, today, client_for, answers, message
) -> None:
    household = approved_household(world, dt.date(2026, 11, 3))

    response = client_for(world.sam).post(status_url(household), {**answers, "reason": "Typed before"})

    assert response.status_code == 200
    assert message in error_summary(response)
    assert "Typed before</textarea>" in response.content.decode()


# SC-10: the repeating supervision duty is open from approval --------------------------------


def test_sc10_approval_opens_the_first_supervision_due_six_weeks_later(world, today) -> None:
    household = approvable(world)

    services.household_change_status(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 24),
    )

    task = Task.objects.get(household=household, kind="next_supervision", status=TaskStatus.OPEN)
    # Six weeks (the service's default interval) after Tuesday 24 November 2026.
    assert task.due_on == dt.date(2027, 1, 5)
    assert task.rule_id == "SC-10"
    assert "after approval on Tuesday 24 November 2026" in task.due_basis


def test_sc10_the_first_supervision_follows_the_services_interval(world, today) -> None:
    world.service.supervision_interval_weeks = 4
    world.service.save()
    household = approvable(world)

    services.household_change_status(
        actor=world.frank,
        household=household,
        to_status=HouseholdStatus.APPROVED,
        effective_on=dt.date(2026, 11, 24),
    )

    task = Task.objects.get(household=household, kind="next_supervision", status=TaskStatus.OPEN)
    assert task.due_on == dt.date(2026, 12, 22)
