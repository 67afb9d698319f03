"""Writes through the API: every one through a service, refusals as 400 naming the field and rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safecare.core.models import TaskStatus
from safecare.households.models import (
    Child,
    Household,
    HouseholdStatus,
    HouseholdStatusChange,
    Placement,
)
from tests.api.helpers import send, update, url
from tests.conftest import World
from tests.factories import ChildFactory, TaskFactory

TODAY = timezone.localdate


# Households ---------------------------------------------------------------------------------------


def test_it_records_a_household_and_allocates_its_assessing_social_worker(world: World, client_for) -> None:
    response = send(
        client_for(world.asha),
        "POST",
        url("household-list"),
        {
            "name": "Nowak household",
            "team": world.fostering_team.pk,
            "max_children": 2,
            "postcode": "LS1 1AA",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    household = Household.objects.get(pk=body["id"])
    assert (household.name, household.service, household.status) == (
        "Nowak household",
        world.service,
        "applicant",
    )
    assert [(a["kind"], a["worker"]) for a in body["allocations"]] == [("assessing", world.asha.pk)]
    # The change history names the person who made it, whatever the channel.
    assert household.history.first().history_user == world.asha


@pytest.mark.parametrize("username", ["carol", "chris", "sam", "ada", "bella"])
def test_it_answers_404_to_a_household_creation_by_someone_without_the_permission(
    world: World, client_for, username: str
) -> None:
    before = Household.objects.count()

    response = send(
        client_for(world.users[username]), "POST", url("household-list"), {"name": "Nowak household"}
    )

    assert response.status_code == 404
    assert Household.objects.count() == before


def test_it_refuses_a_team_of_another_service(world: World, client_for) -> None:
    south_team = world.household_south.service.teams.create(name="South team", kind="fostering")

    response = send(
        client_for(world.frank),
        "POST",
        url("household-list"),
        {"name": "Nowak household", "team": south_team.pk},
    )

    assert response.status_code == 400
    assert response.json() == {"team": ["Team: must be a team of your fostering service"]}


def test_it_changes_a_household_through_the_service(world: World, client_for) -> None:
    response = update(
        client_for(world.sam), url("household-detail", world.household_own.pk), {"max_children": 3}
    )

    assert response.status_code == 200, response.content
    world.household_own.refresh_from_db()
    assert world.household_own.max_children == 3
    assert world.household_own.history.first().history_user == world.sam


def test_it_refuses_a_field_it_would_otherwise_ignore(world: World, client_for) -> None:
    # The status moves only through the workflow; a typo must not pass for a change.
    response = update(
        client_for(world.frank),
        url("household-detail", world.household_own.pk),
        {"status": "deregistered", "max_chidren": 4},
    )

    assert response.status_code == 400
    assert sorted(response.json()) == ["max_chidren", "status"]
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.APPROVED


def test_it_answers_404_to_a_carer_changing_her_own_household(world: World, client_for) -> None:
    # She may see it, not change it: deny without revealing.
    response = update(
        client_for(world.carol), url("household-detail", world.household_own.pk), {"max_children": 3}
    )

    assert response.status_code == 404
    world.household_own.refresh_from_db()
    assert world.household_own.max_children == 2


def test_it_returns_a_model_rule_broken_by_a_change_as_400(world: World, client_for) -> None:
    response = update(
        client_for(world.sam),
        url("household-detail", world.household_own.pk),
        {"age_min": 12, "age_max": 5},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


# Household status (the workflow) -----------------------------------------------------------------


def test_it_refuses_approval_without_skills_to_foster_sc_2(world: World, client_for) -> None:
    # SC-2: applicants complete Skills to Foster training before they are approved.
    response = send(
        client_for(world.helen),
        "POST",
        url("household-status", world.household_applicant.pk),
        {"to_status": "approved", "reason": "Panel recommended approval"},
    )

    assert response.status_code == 400
    assert response.json() == {"to_status": ["SC-2: Ada Okafor has not completed Skills to Foster training"]}
    world.household_applicant.refresh_from_db()
    assert world.household_applicant.status == HouseholdStatus.IN_ASSESSMENT
    assert not HouseholdStatusChange.objects.exists()


def test_it_refuses_a_status_change_the_workflow_does_not_allow(world: World, client_for) -> None:
    response = send(
        client_for(world.frank),
        "POST",
        url("household-status", world.household_own.pk),
        {"to_status": "applicant"},
    )

    assert response.status_code == 400
    assert response.json() == {"to_status": ["a household that is approved cannot become applicant"]}


def test_it_puts_a_household_on_hold_and_records_who_and_why(world: World, client_for) -> None:
    effective = TODAY() - dt.timedelta(days=1)

    response = send(
        client_for(world.sam),
        "POST",
        url("household-status", world.household_own.pk),
        {"to_status": "on_hold", "effective_on": effective.isoformat(), "reason": "Family bereavement"},
    )

    assert response.status_code == 201, response.content
    change = HouseholdStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by, change.effective_on, change.reason) == (
        "approved",
        "on_hold",
        world.sam,
        effective,
        "Family bereavement",
    )
    assert response.json()["id"] == change.pk


def test_it_leaves_approval_to_a_manager(world: World, client_for) -> None:
    response = send(
        client_for(world.asha),
        "POST",
        url("household-status", world.household_applicant.pk),
        {"to_status": "approved"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["to_status"]
    assert "manager" in response.json()["to_status"][0]


def test_it_answers_404_to_a_status_change_by_someone_who_may_only_see_the_household(
    world: World, client_for
) -> None:
    response = send(
        client_for(world.chris),
        "POST",
        url("household-status", world.household_own.pk),
        {"to_status": "on_hold"},
    )

    assert response.status_code == 404
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.APPROVED


def test_it_names_a_missing_or_unknown_status(world: World, client_for) -> None:
    response = send(
        client_for(world.sam),
        "POST",
        url("household-status", world.household_own.pk),
        {"to_status": "closed"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["to_status"]


# Members ---------------------------------------------------------------------------------------------


def test_it_records_a_member_of_the_household(world: World, client_for) -> None:
    response = send(
        client_for(world.sam),
        "POST",
        url("household-members", world.household_own.pk),
        {"kind": "carers_child", "first_name": "Priya", "last_name": "Patel", "date_of_birth": "2010-04-01"},
    )

    assert response.status_code == 201, response.content
    member = world.household_own.members.get(first_name="Priya")
    assert member.history.first().history_user == world.sam


def test_it_answers_404_to_a_carer_recording_a_member(world: World, client_for) -> None:
    response = send(
        client_for(world.carol),
        "POST",
        url("household-members", world.household_own.pk),
        {"kind": "other_adult", "first_name": "Raj", "last_name": "Patel", "date_of_birth": "1950-01-01"},
    )

    assert response.status_code == 404
    assert not world.household_own.members.filter(first_name="Raj").exists()


def test_it_refuses_a_member_who_moved_out_before_moving_in(world: World, client_for) -> None:
    response = update(
        client_for(world.sam),
        url("member-detail", world.carer_member.pk),
        {"moved_in_on": "2020-01-01", "moved_out_on": "2019-01-01"},
    )

    assert response.status_code == 400
    world.carer_member.refresh_from_db()
    assert world.carer_member.moved_out_on is None


def test_it_changes_a_member(world: World, client_for) -> None:
    response = update(
        client_for(world.fiona),
        url("member-detail", world.carer_member.pk),
        {"last_name": "Patel-Shah"},
    )

    assert response.status_code == 200, response.content
    world.carer_member.refresh_from_db()
    assert world.carer_member.last_name == "Patel-Shah"


# Children --------------------------------------------------------------------------------------------


def test_it_records_a_child_and_allocates_the_social_worker_who_did(world: World, client_for) -> None:
    response = send(
        client_for(world.chris),
        "POST",
        url("child-list"),
        {
            "first_name": "Ben",
            "last_name": "Cole",
            "date_of_birth": "2015-06-01",
            "team": world.children_team.pk,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [(a["kind"], a["worker"]) for a in body["allocations"]] == [("childs", world.chris.pk)]
    assert Child.objects.get(pk=body["id"]).service == world.service


def test_it_refuses_a_date_of_birth_in_the_future(world: World, client_for) -> None:
    tomorrow = TODAY() + dt.timedelta(days=1)

    response = send(
        client_for(world.chris),
        "POST",
        url("child-list"),
        {"first_name": "Ben", "last_name": "Cole", "date_of_birth": tomorrow.isoformat()},
    )

    assert response.status_code == 400
    assert response.json() == {"date_of_birth": ["Date of birth: cannot be in the future"]}
    assert not Child.objects.filter(first_name="Ben").exists()


def test_the_same_child_sent_again_is_refused_unless_it_is_a_different_child(
    world: World, client_for
) -> None:
    # Plausibility (decision 0027): the same child added again makes two half-records.
    chris = client_for(world.chris)
    ben = {"first_name": "Ben", "last_name": "Cole", "date_of_birth": "2015-06-01"}
    assert send(chris, "POST", url("child-list"), ben).status_code == 201
    again = send(chris, "POST", url("child-list"), {**ben, "first_name": "BEN"})
    assert again.status_code == 400
    assert again.json() == {
        "different_child": [
            "A child called BEN Cole born on 1 June 2015 is already recorded: open their record instead, "
            "or confirm this is a different child"
        ]
    }
    assert send(chris, "POST", url("child-list"), {**ben, "different_child": True}).status_code == 201
    assert Child.objects.filter(first_name__iexact="Ben", last_name="Cole").count() == 2


def test_a_child_born_more_than_25_years_ago_is_refused(world: World, client_for) -> None:
    response = send(
        client_for(world.chris),
        "POST",
        url("child-list"),
        {"first_name": "Ben", "last_name": "Cole", "date_of_birth": "1900-06-01"},
    )
    assert response.status_code == 400
    assert "a child's record is for a child or a care leaver under 25" in response.json()["date_of_birth"][0]


def test_it_refuses_a_csw_who_is_not_a_childs_social_worker(world: World, client_for) -> None:
    response = send(
        client_for(world.tom),
        "POST",
        url("child-list"),
        {"first_name": "Ben", "last_name": "Cole", "date_of_birth": "2015-06-01", "csw": world.sam.pk},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["csw"]


def test_it_answers_404_to_a_carer_recording_or_changing_a_child(world: World, client_for) -> None:
    client = client_for(world.carol)

    created = send(client, "POST", url("child-list"), {"first_name": "Ben", "last_name": "Cole"})
    changed = update(client, url("child-detail", world.child_own.pk), {"first_name": "Bob"})

    assert (created.status_code, changed.status_code) == (404, 404)
    world.child_own.refresh_from_db()
    assert world.child_own.first_name == "Xavier"


def test_it_changes_a_child(world: World, client_for) -> None:
    response = update(client_for(world.tom), url("child-detail", world.child_own.pk), {"first_name": "Xav"})

    assert response.status_code == 200, response.content
    world.child_own.refresh_from_db()
    assert world.child_own.first_name == "Xav"
    assert world.child_own.history.first().history_user == world.tom


# Placements ------------------------------------------------------------------------------------------


def test_it_refuses_a_placement_into_an_unapproved_household(world: World, client_for) -> None:
    child = ChildFactory(service=world.service)

    response = send(
        client_for(world.helen),
        "POST",
        url("placement-list"),
        {"child": child.pk, "household": world.household_applicant.pk, "start_on": TODAY().isoformat()},
    )

    assert response.status_code == 400
    assert response.json() == {
        "household": [
            "Household: a child can only be placed with an approved household; this one is in assessment"
        ]
    }
    assert not Placement.objects.filter(child=child).exists()


def test_it_refuses_a_placement_beyond_the_terms_of_approval(world: World, client_for) -> None:
    world.household_own.max_children = 1
    world.household_own.save()
    child = ChildFactory(service=world.service)

    response = send(
        client_for(world.helen),
        "POST",
        url("placement-list"),
        {"child": child.pk, "household": world.household_own.pk, "start_on": TODAY().isoformat()},
    )

    assert response.status_code == 400
    assert response.json() == {
        "household": ["Household: approved for 1 child at a time; 1 already placed then"]
    }


def test_it_refuses_a_second_placement_of_a_placed_child(world: World, client_for) -> None:
    response = send(
        client_for(world.chris),
        "POST",
        url("placement-list"),
        {"child": world.child_own.pk, "household": world.household_other.pk, "start_on": TODAY().isoformat()},
    )

    assert response.status_code == 400
    assert response.json() == {
        "start_on": ["Start date: the child already has a placement over these dates; end it first"]
    }


def test_it_lets_a_csw_place_her_child_with_any_approved_household_of_the_service(
    world: World, client_for
) -> None:
    client = client_for(world.chris)
    child_id = send(
        client,
        "POST",
        url("child-list"),
        {"first_name": "Ben", "last_name": "Cole", "date_of_birth": "2015-06-01"},
    ).json()["id"]

    response = send(
        client,
        "POST",
        url("placement-list"),
        {
            "child": child_id,
            "household": world.household_other.pk,
            "start_on": TODAY().isoformat(),
            "emergency": True,
        },
    )

    assert response.status_code == 201, response.content
    placement = Placement.objects.get(pk=response.json()["id"])
    assert (placement.child_id, placement.household, placement.emergency) == (
        child_id,
        world.household_other,
        True,
    )
    assert placement.history.first().history_user == world.chris


@pytest.mark.parametrize("household", ["household_applicant", "household_south"])
def test_it_answers_a_household_a_csw_may_not_place_with_as_not_an_approved_household(
    world: World, client_for, household: str
) -> None:
    child = ChildFactory(service=world.service)
    from tests.factories import AllocationFactory

    AllocationFactory(worker=world.chris, kind="childs", child=child)

    response = send(
        client_for(world.chris),
        "POST",
        url("placement-list"),
        {"child": child.pk, "household": getattr(world, household).pk, "start_on": TODAY().isoformat()},
    )

    assert response.status_code == 400
    assert response.json() == {
        "household": [
            "Household: a child can only be placed with an approved household of your fostering service"
        ]
    }


def test_it_refuses_to_place_a_child_the_caller_cannot_see(world: World, client_for) -> None:
    response = send(
        client_for(world.chris),
        "POST",
        url("placement-list"),
        {"child": world.child_other.pk, "household": world.household_own.pk, "start_on": TODAY().isoformat()},
    )

    assert response.status_code == 400
    assert response.json() == {"child": ["Child: no child you can see has this id"]}


def test_it_ends_a_placement_and_the_carer_no_longer_sees_the_child(world: World, client_for) -> None:
    placement = world.placement_own

    response = send(
        client_for(world.chris),
        "POST",
        url("placement-end", placement.pk),
        {"end_on": TODAY().isoformat(), "end_reason": "planned_move"},
    )

    assert response.status_code == 200, response.content
    placement.refresh_from_db()
    assert (placement.end_on, placement.end_reason) == (TODAY(), "planned_move")
    assert send(client_for(world.carol), "GET", url("child-detail", world.child_own.pk)).status_code == 404


def test_it_refuses_an_end_before_the_start(world: World, client_for) -> None:
    placement = world.placement_own
    before = placement.start_on - dt.timedelta(days=1)

    response = send(
        client_for(world.chris),
        "POST",
        url("placement-end", placement.pk),
        {"end_on": before.isoformat(), "end_reason": "planned_move"},
    )

    assert response.status_code == 400
    assert response.json() == {"end_on": ["End date: cannot be before the placement started"]}


def test_it_answers_404_to_a_carer_ending_a_placement(world: World, client_for) -> None:
    response = send(
        client_for(world.carol),
        "POST",
        url("placement-end", world.placement_own.pk),
        {"end_on": TODAY().isoformat(), "end_reason": "planned_move"},
    )

    assert response.status_code == 404
    world.placement_own.refresh_from_db()
    assert world.placement_own.end_on is None


# Tasks -----------------------------------------------------------------------------------------------


def test_it_filters_tasks_by_rule_owner_status_and_overdue(world: World, client_for) -> None:
    def task(rule_id: str, days: int, owner: str = "sam", status: str = TaskStatus.OPEN) -> Any:
        due = TODAY() + dt.timedelta(days=days)
        return TaskFactory(
            service=world.service, owner=world.users[owner], rule_id=rule_id, due_on=due, status=status
        )

    late, soon, done = task("XX-1", -2), task("XX-1", 2), task("XX-1", -9, status=TaskStatus.DONE)
    other_rule = task("XX-2", 0, owner="asha")
    client = client_for(world.frank)

    def found(**query: str) -> list[int]:
        response = send(client, "GET", url("task-list"), query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert set(found()) == {late.pk, soon.pk, done.pk, other_rule.pk, world.task_own.pk, world.task_other.pk}
    assert found(rule_id="XX-1") == [done.pk, late.pk, soon.pk]
    assert found(owner=str(world.asha.pk)) == [other_rule.pk]
    assert found(rule_id="XX-1", status="done") == [done.pk]
    assert found(overdue="true") == [late.pk]
    assert found(rule_id="XX-1", overdue="false") == [done.pk, soon.pk]
    assert found(rule_id="XX-1", overdue="false", status="open") == [soon.pk]


def test_it_refuses_an_unknown_task_filter_value(world: World, client_for) -> None:
    response = send(client_for(world.frank), "GET", url("task-list"), {"status": "lost"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_it_shows_a_worker_only_her_own_tasks(world: World, client_for) -> None:
    mine = send(client_for(world.sam), "GET", url("task-list")).json()["results"]

    assert [task["id"] for task in mine] == [world.task_own.pk]
    assert mine[0]["owner_name"] == world.sam.display_name


def test_it_marks_a_reminder_done_with_a_note(world: World, client_for) -> None:
    task = world.task_own

    response = send(client_for(world.sam), "POST", url("task-done", task.pk), {"note": "Rang the carers"})

    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert (task.status, task.completed_by, task.closed_note) == (
        TaskStatus.DONE,
        world.sam,
        "Rang the carers",
    )
    assert response.json()["status"] == "done"


def test_it_refuses_a_reminder_marked_done_without_a_note(world: World, client_for) -> None:
    response = send(client_for(world.sam), "POST", url("task-done", world.task_own.pk), {})

    assert response.status_code == 400
    assert response.json() == {"note": ["What was done: say what was done before marking it done"]}


def test_it_answers_404_to_marking_someone_elses_task_done(world: World, client_for) -> None:
    task = world.task_own

    response = send(client_for(world.asha), "POST", url("task-done", task.pk))

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


# rules: Everywhere: two people changing one record at once cannot silently overwrite each other.


def test_it_requires_if_match_on_a_change(world, client_for) -> None:
    response = send(
        client_for(world.sam), "PATCH", url("household-detail", world.household_own.pk), {"max_children": 3}
    )
    assert response.status_code == 428
    world.household_own.refresh_from_db()
    assert world.household_own.max_children == 2


def test_it_refuses_a_change_over_someone_elses_naming_what_they_changed(world, client_for) -> None:
    path = url("household-detail", world.household_own.pk)
    sam, fiona = client_for(world.sam), client_for(world.fiona)
    sams_etag = sam.get(path).headers["ETag"]
    assert update(fiona, path, {"postcode": "NR1 1AA"}).status_code == 200
    response = send(sam, "PATCH", path, {"max_children": 3}, HTTP_IF_MATCH=sams_etag)
    assert response.status_code == 412
    assert "Postcode" in response.json()["detail"]
    world.household_own.refresh_from_db()
    assert (world.household_own.postcode, world.household_own.max_children) == ("NR1 1AA", 2)
