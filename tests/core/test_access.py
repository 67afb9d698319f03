"""The access policy (SPEC §3), scope by scope. Deny by default; dates read per call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safecare.core import access as core_access
from safecare.households import access, services
from tests.factories import AllocationFactory, MemberFactory, PlacementFactory


def names(queryset) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(obj) for obj in queryset}


def test_a_carer_sees_only_their_own_household_and_children_placed_now(world) -> None:
    assert names(access.households_visible_to(world.carol)) == {"Patel household"}
    assert set(access.children_visible_to(world.carol)) == {world.child_own}


def test_ending_a_placement_ends_the_carers_access_the_same_day(world) -> None:
    placement = world.placement_own
    services.placement_end(
        actor=world.chris, placement=placement, end_on=timezone.localdate(), end_reason="other"
    )
    assert not access.children_visible_to(world.carol).exists()
    assert not access.placements_visible_to(world.carol).exists()


def test_a_placement_starting_tomorrow_is_not_yet_visible_to_the_carer(world) -> None:
    placement = world.placement_own
    placement.start_on = timezone.localdate() + dt.timedelta(days=1)
    placement.save()
    assert not access.children_visible_to(world.carol).exists()


def test_a_carer_who_moved_out_loses_the_household(world) -> None:
    member = world.carer_member
    member.moved_out_on = timezone.localdate()
    member.save()
    assert not access.households_visible_to(world.carol).exists()


def test_a_carer_sees_their_household_once_whoever_else_lives_there(world) -> None:
    MemberFactory(household=world.household_own, kind="carers_child", first_name="Ravi")
    MemberFactory(household=world.household_own, kind="other_adult", first_name="Gran")
    assert list(access.households_visible_to(world.carol)) == [world.household_own]


def test_a_carer_who_moved_out_loses_the_household_while_others_still_live_there(world) -> None:
    MemberFactory(household=world.household_own, kind="carers_child", first_name="Ravi")
    member = world.carer_member
    member.moved_out_on = timezone.localdate()
    member.save()
    assert not access.households_visible_to(world.carol).exists()
    assert not access.children_visible_to(world.carol).exists()


def test_a_supervising_social_worker_sees_allocated_households_and_children_placed(world) -> None:
    assert names(access.households_visible_to(world.sam)) == {"Patel household"}
    assert set(access.children_visible_to(world.sam)) == {world.child_own}


def test_reallocation_moves_access_to_the_new_worker(world) -> None:
    from tests.factories import UserFactory

    new_ssw = UserFactory(username="nina", service=world.service, role="supervising_sw")
    services.allocation_set(
        actor=world.ada, kind="supervising", worker=new_ssw, household=world.household_own
    )
    assert not access.households_visible_to(world.sam).exists()
    assert names(access.households_visible_to(new_ssw)) == {"Patel household"}


def test_an_assessing_social_worker_sees_only_the_households_they_assess(world) -> None:
    assert names(access.households_visible_to(world.asha)) == {"Okafor household"}
    assert not access.children_visible_to(world.asha).exists()


def test_a_childs_social_worker_sees_their_child_and_where_the_child_lives(world) -> None:
    assert set(access.children_visible_to(world.chris)) == {world.child_own}
    assert names(access.households_visible_to(world.chris)) == {"Patel household"}


def test_a_fostering_team_manager_sees_their_teams_households(world) -> None:
    assert names(access.households_visible_to(world.fiona)) == {"Patel household", "Okafor household"}


def test_a_childrens_team_manager_sees_their_teams_children(world) -> None:
    assert set(access.children_visible_to(world.tom)) == {world.child_own}


@pytest.mark.parametrize("username", ["frank", "helen", "harry"])
def test_service_wide_roles_see_every_household_of_their_service_only(world, username) -> None:
    visible = names(access.households_visible_to(world.users[username]))
    assert visible == {"Patel household", "Jones household", "Okafor household"}


@pytest.mark.parametrize("username", ["ada", "bella", "pat", "adam"])
def test_roles_without_cases_see_no_case_records(world, username) -> None:
    user = world.users[username]
    assert not access.households_visible_to(user).exists()
    assert not access.children_visible_to(user).exists()
    assert not access.placements_visible_to(user).exists()
    assert not core_access.tasks_visible_to(user).exists()


def test_another_services_head_sees_nothing_of_this_service(world) -> None:
    assert names(access.households_visible_to(world.olga)) == {"Southern household"}
    assert set(access.children_visible_to(world.olga)) == {world.child_south}


def test_an_inactive_account_sees_nothing(world) -> None:
    world.frank.is_active = False
    assert not access.households_visible_to(world.frank).exists()


def test_an_ended_allocation_gives_no_access(world) -> None:
    allocation = world.household_own.allocations.get()
    services.allocation_end(actor=world.ada, allocation=allocation)
    assert not access.households_visible_to(world.sam).exists()


def test_a_csw_allocated_to_a_child_in_another_service_record_sees_nothing_there(world) -> None:
    # Allocation rows are per service; a cross-service row cannot widen a scope.
    AllocationFactory(worker=world.chris, kind="childs", child=world.child_south, service=world.south)
    assert world.child_south not in set(access.children_visible_to(world.chris))


def test_tasks_scope_own_team_service(world) -> None:
    assert set(core_access.tasks_visible_to(world.sam)) == {world.task_own}
    assert set(core_access.tasks_visible_to(world.fiona)) == {world.task_own}
    assert set(core_access.tasks_visible_to(world.frank)) == {world.task_own, world.task_other}
    assert not core_access.tasks_visible_to(world.carol).exists()


def test_a_second_current_placement_elsewhere_is_not_visible_to_the_first_carer(world) -> None:
    PlacementFactory(child=world.child_other, household=world.household_own, start_on=timezone.localdate())
    assert world.child_other in set(access.children_visible_to(world.carol))
