"""The access policy (rules: Who sees what), scope by scope. Deny by default; dates read per call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from safecare.core import access as core_access
from safecare.households import access, services
from tests.factories import (
    AllocationFactory,
    HouseholdFactory,
    MemberFactory,
    PlacementFactory,
    TaskFactory,
    UserFactory,
)


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


# --- Placements: a carer sees the current placement with them, nothing else ---------------


def _earlier_placement(child, household, today: dt.date):  # type: ignore[no-untyped-def]
    """A placement that ended the day before the child's current one began (60 days ago)."""
    return PlacementFactory(
        child=child,
        household=household,
        start_on=today - dt.timedelta(days=200),
        end_on=today - dt.timedelta(days=61),
        end_reason="planned_move",
    )


def test_a_carer_does_not_see_a_childs_earlier_placement_elsewhere(world) -> None:
    earlier = _earlier_placement(world.child_own, world.household_other, timezone.localdate())
    assert set(access.placements_visible_to(world.carol)) == {world.placement_own}
    # The child's social worker sees the child's whole history.
    assert set(access.placements_visible_to(world.chris)) == {world.placement_own, earlier}


def test_a_carer_does_not_see_an_earlier_placement_of_the_same_child_with_them(world) -> None:
    _earlier_placement(world.child_own, world.household_own, timezone.localdate())
    assert set(access.placements_visible_to(world.carol)) == {world.placement_own}


def test_a_carer_sees_a_childs_placement_with_them_not_the_one_elsewhere_at_the_same_time(world) -> None:
    with_carol = PlacementFactory(
        child=world.child_other, household=world.household_own, start_on=timezone.localdate()
    )
    visible = set(access.placements_visible_to(world.carol))
    assert with_carol in visible
    assert world.placement_other not in visible


def test_a_placement_recorded_in_another_service_is_not_visible_even_for_a_child_the_user_sees(
    world,
) -> None:
    PlacementFactory(
        child=world.child_own,
        household=world.household_south,
        service=world.south,
        start_on=timezone.localdate() - dt.timedelta(days=5),
    )
    assert set(access.placements_visible_to(world.chris)) == {world.placement_own}


# --- Who sees households through children, and whose children ----------------------------


def test_a_childrens_team_manager_sees_the_households_their_teams_children_live_in(world) -> None:
    assert names(access.households_visible_to(world.tom)) == {"Patel household"}


def test_a_service_manager_sees_every_child_and_the_households_children_live_in(world) -> None:
    assert set(access.children_visible_to(world.sue)) == {world.child_own, world.child_other}
    # The applicants' household has no child placed: not a household a service manager sees.
    assert names(access.households_visible_to(world.sue)) == {"Patel household", "Jones household"}


@pytest.mark.parametrize("username", ["helen", "harry"])
def test_heads_of_service_and_fostering_see_every_child_of_their_service(world, username) -> None:
    assert set(access.children_visible_to(world.users[username])) == {world.child_own, world.child_other}


def test_a_fostering_manager_sees_the_children_placed_in_every_household(world) -> None:
    assert set(access.children_visible_to(world.frank)) == {world.child_own, world.child_other}


def test_a_fostering_team_manager_sees_the_children_placed_with_their_teams_households(world) -> None:
    assert set(access.children_visible_to(world.fiona)) == {world.child_own}


def test_a_childs_social_worker_sees_where_the_child_lives_now_not_where_they_lived_before(world) -> None:
    _earlier_placement(world.child_own, world.household_other, timezone.localdate())
    assert names(access.households_visible_to(world.chris)) == {"Patel household"}


def test_a_childs_social_worker_does_not_see_another_workers_child_or_where_they_live(world) -> None:
    colleague = UserFactory(username="cara", service=world.service, role="childs_sw")
    AllocationFactory(worker=colleague, kind="childs", child=world.child_other)
    assert set(access.children_visible_to(world.chris)) == {world.child_own}
    assert names(access.households_visible_to(world.chris)) == {"Patel household"}
    assert names(access.households_visible_to(colleague)) == {"Jones household"}


# --- Allocations give access only to the worker, and only of the role's kind --------------


def test_an_assessing_social_worker_does_not_see_households_another_worker_assesses(world) -> None:
    colleague = UserFactory(username="amir", service=world.service, role="assessing_sw")
    AllocationFactory(worker=colleague, kind="assessing", household=world.household_other)
    assert names(access.households_visible_to(world.asha)) == {"Okafor household"}
    assert names(access.households_visible_to(colleague)) == {"Jones household"}


def test_a_social_worker_sees_a_household_only_through_an_allocation_of_their_roles_kind(world) -> None:
    AllocationFactory(worker=world.asha, kind="supervising", household=world.household_other)
    AllocationFactory(worker=world.sam, kind="assessing", household=world.household_other)
    assert names(access.households_visible_to(world.asha)) == {"Okafor household"}
    assert names(access.households_visible_to(world.sam)) == {"Patel household"}


# --- A carer's own household --------------------------------------------------------------


def test_an_account_linked_to_a_member_who_is_not_a_carer_sees_nothing_of_the_household(world) -> None:
    # Carol is recorded as another adult living there, no longer as a foster carer.
    member = world.carer_member
    member.kind = "other_adult"
    member.save()
    assert not access.households_visible_to(world.carol).exists()
    assert not access.children_visible_to(world.carol).exists()


def test_a_carer_who_is_to_move_out_next_week_still_sees_the_household_and_child(world) -> None:
    member = world.carer_member
    member.moved_out_on = timezone.localdate() + dt.timedelta(days=7)
    member.save()
    assert names(access.households_visible_to(world.carol)) == {"Patel household"}
    assert set(access.children_visible_to(world.carol)) == {world.child_own}


def test_the_scopes_answer_for_the_day_asked(world) -> None:
    # Carol moved out today: today she sees nothing; asked about yesterday, she lived there.
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    member = world.carer_member
    member.moved_out_on = today
    member.save()
    assert not access.households_visible_to(world.carol, today=today).exists()
    assert names(access.households_visible_to(world.carol, today=yesterday)) == {"Patel household"}
    assert set(access.children_visible_to(world.carol, today=yesterday)) == {world.child_own}
    assert set(access.placements_visible_to(world.carol, today=yesterday)) == {world.placement_own}
    assert world.carer_member in set(access.members_visible_to(world.carol, today=yesterday))
    assert not access.members_visible_to(world.carol, today=today).exists()


def test_members_are_visible_with_their_household_only(world) -> None:
    for username, households in [
        ("carol", {world.household_own.pk}),
        ("chris", {world.household_own.pk}),
        ("asha", {world.household_applicant.pk}),
    ]:
        members = access.members_visible_to(world.users[username])
        assert {member.household_id for member in members} == households
    assert world.carer_member in set(access.members_visible_to(world.chris))
    assert not access.members_visible_to(world.ada).exists()


# --- Team managers without a team ---------------------------------------------------------


def test_a_fostering_team_manager_without_a_team_sees_no_household(world) -> None:
    HouseholdFactory(service=world.service, team=None, name="Teamless household")
    manager = UserFactory(username="fern", service=world.service, role="fostering_team_manager", team=None)
    assert not access.households_visible_to(manager).exists()
    assert not access.children_visible_to(manager).exists()


def test_a_childrens_team_manager_without_a_team_sees_no_child(world) -> None:
    assert world.child_other.team_id is None
    manager = UserFactory(username="tess", service=world.service, role="childrens_team_manager", team=None)
    assert not access.children_visible_to(manager).exists()
    assert not access.households_visible_to(manager).exists()


# --- Who is an active user ----------------------------------------------------------------


@pytest.mark.parametrize("username", ["carol", "sam", "chris", "tom", "sue", "frank", "harry"])
def test_an_inactive_account_sees_nothing_in_any_scope(world, username) -> None:
    user = world.users[username]
    user.is_active = False
    assert not access.households_visible_to(user).exists()
    assert not access.children_visible_to(user).exists()
    assert not access.placements_visible_to(user).exists()
    assert not access.members_visible_to(user).exists()
    assert not core_access.tasks_visible_to(user).exists()
    assert not core_access.sees_case_content(user)


def test_an_account_without_a_service_or_a_role_sees_nothing(world) -> None:
    serviceless = UserFactory(username="root", service=None, role="head_of_service")
    roleless = UserFactory(username="nobody", service=world.service, role="")
    for user in (serviceless, roleless):
        assert not core_access.is_active(user)
        assert not access.households_visible_to(user).exists()
        assert not access.children_visible_to(user).exists()
        assert not core_access.tasks_visible_to(user).exists()


def test_someone_not_signed_in_sees_nothing(world) -> None:
    visitor = AnonymousUser()
    assert not core_access.is_active(visitor)  # type: ignore[arg-type]
    assert not access.households_visible_to(visitor).exists()  # type: ignore[arg-type]
    assert not core_access.sees_case_content(visitor)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("username", "sees"),
    [("carol", True), ("sam", True), ("chris", True), ("harry", True), ("ada", False), ("bella", False)],
)
def test_administrators_and_business_support_see_no_case_content(world, username, sees) -> None:
    assert core_access.sees_case_content(world.users[username]) is sees


# --- Tasks -----------------------------------------------------------------------------------


def test_a_social_worker_sees_their_own_tasks_not_the_rest_of_their_team(world) -> None:
    colleague = UserFactory(username="nina", service=world.service, role="supervising_sw")
    team_task = TaskFactory(service=world.service, owner=colleague, team=world.fostering_team)
    assert set(core_access.tasks_visible_to(world.sam)) == {world.task_own}
    assert set(core_access.tasks_visible_to(world.fiona)) == {world.task_own, team_task}


def test_a_childrens_team_manager_sees_their_teams_tasks(world) -> None:
    children_task = TaskFactory(service=world.service, owner=None, team=world.children_team)
    assert set(core_access.tasks_visible_to(world.tom)) == {children_task}
    assert children_task not in set(core_access.tasks_visible_to(world.fiona))


def test_a_team_manager_without_a_team_sees_only_their_own_tasks(world) -> None:
    manager = UserFactory(username="tess", service=world.service, role="childrens_team_manager", team=None)
    own = TaskFactory(service=world.service, owner=manager, team=None)
    TaskFactory(service=world.service, owner=None, team=None)
    assert set(core_access.tasks_visible_to(manager)) == {own}
