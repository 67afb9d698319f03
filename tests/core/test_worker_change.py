"""A duty follows the worker who holds the case: a new child's or supervising social worker takes over
the open tasks of the one who left (SC-5, SC-9, CX-4 for the child; every household duty for the SSW)."""

from __future__ import annotations

import datetime as dt

from safecare.core.models import TaskStatus
from safecare.core.roles import Role
from safecare.core.tasks import task_open
from safecare.households.models import Allocation, AllocationKind
from safecare.households.services import allocation_end, allocation_set
from tests.factories import UserFactory


def _child_duty(world, owner):
    return task_open(
        service=world.service,
        rule_id="SC-9",
        kind="risk_assessment",
        title="Complete the risk assessment",
        due_on=dt.date(2027, 1, 4),
        owner=owner,
        household=world.household_own,
        child=world.child_own,
    )


def test_a_new_childs_social_worker_takes_over_the_childs_open_tasks(world) -> None:
    task = _child_duty(world, world.chris)
    successor = UserFactory(service=world.service, role=Role.CHILDS_SW, team=world.children_team)

    allocation_set(actor=world.frank, kind=AllocationKind.CHILDS, worker=successor, child=world.child_own)

    task.refresh_from_db()
    assert (task.owner, task.status) == (successor, TaskStatus.OPEN)


def test_a_childs_social_worker_who_leaves_with_nobody_new_leaves_the_task_with_the_team(world) -> None:
    task = _child_duty(world, world.chris)
    allocation = Allocation.objects.current().get(child=world.child_own, kind=AllocationKind.CHILDS)

    allocation_end(actor=world.frank, allocation=allocation)

    task.refresh_from_db()
    assert task.owner is None
    assert task.team == world.children_team


def test_a_new_supervising_social_worker_takes_over_the_households_open_tasks(world) -> None:
    task = task_open(
        service=world.service,
        rule_id="SC-10",
        kind="next_supervision",
        title="Hold the next supervision",
        due_on=dt.date(2027, 1, 4),
        owner=world.sam,
        household=world.household_own,
    )
    other_duty = world.task_other
    successor = UserFactory(service=world.service, role=Role.SUPERVISING_SW, team=world.other_fostering_team)

    allocation_set(
        actor=world.frank, kind=AllocationKind.SUPERVISING, worker=successor, household=world.household_own
    )

    task.refresh_from_db()
    other_duty.refresh_from_db()
    assert (task.owner, task.team) == (successor, world.other_fostering_team)
    assert other_duty.owner is None  # another household's duty is untouched
