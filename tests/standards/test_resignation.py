"""SOC-11: a written resignation during a standards of care process deregisters the household
28 calendar days later, by itself; it can never be withdrawn or declined; the panel is told.

The worked example of the rules: a resignation received on 15 March 2027 deregisters the
household on 12 April 2027.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecare.core.jobs import run_scheduled_work
from safecare.core.models import ScheduledJob, Task, TaskStatus
from safecare.households.models import HouseholdStatus, PlacementEndReason
from safecare.households.services import placement_end
from safecare.standards import services
from safecare.standards.duties import PANEL_TOLD
from safecare.standards.jobs import deregister_after_resignation

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date
LONDON = ZoneInfo("Europe/London")
MONDAY = "Monday 15 March 2027"


def _resigned(world):  # type: ignore[no-untyped-def]
    concern = soc_concern(world, D(2027, 3, 1))
    resignation = services.resignation_record(
        actor=world.frank, household=world.household_own, received_on=D(2027, 3, 15)
    )
    return concern, resignation


def _at(today, day: dt.date, hour: int = 0, minute: int = 5) -> dt.datetime:  # type: ignore[no-untyped-def]
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    today.move_to(moment)
    return moment


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_received_15_march_2027_the_household_is_deregistered_on_12_april_by_itself(
    today, world
) -> None:
    _concern, resignation = _resigned(world)
    assert resignation.deregisters_on == D(2027, 4, 12)
    job = ScheduledJob.objects.get(key=f"soc11:resignation:{resignation.pk}")
    assert job.due_at == dt.datetime(2027, 4, 12, 0, 0, tzinfo=LONDON)
    placement_end(
        actor=world.frank,
        placement=world.placement_own,
        end_on=D(2027, 3, 20),
        end_reason=PlacementEndReason.PLANNED_MOVE,
    )
    run_scheduled_work(_at(today, D(2027, 4, 11), 23, 59))
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.APPROVED
    run_scheduled_work(_at(today, D(2027, 4, 12)))
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.DEREGISTERED
    change = world.household_own.status_changes.get(to_status=HouseholdStatus.DEREGISTERED)
    assert (change.effective_on, change.changed_by) == (D(2027, 4, 12), world.frank)
    assert change.reason.startswith("SOC-11: deregistered 28 calendar days after the written resignation")


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_the_deregistration_run_twice_changes_the_status_once_and_writes_one_history_row(
    today, world
) -> None:
    _concern, resignation = _resigned(world)
    placement_end(
        actor=world.frank,
        placement=world.placement_own,
        end_on=D(2027, 3, 20),
        end_reason=PlacementEndReason.PLANNED_MOVE,
    )
    _at(today, D(2027, 4, 12))
    job = ScheduledJob.objects.get(key=f"soc11:resignation:{resignation.pk}")
    deregister_after_resignation(job)
    deregister_after_resignation(job)
    assert world.household_own.status_changes.filter(to_status=HouseholdStatus.DEREGISTERED).count() == 1
    history = world.household_own.history.filter(status=HouseholdStatus.DEREGISTERED)
    assert history.count() == 1


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_a_child_still_placed_keeps_the_job_due_with_the_workflows_refusal(today, world) -> None:
    _concern, resignation = _resigned(world)
    run_scheduled_work(_at(today, D(2027, 4, 12)))
    job = ScheduledJob.objects.get(key=f"soc11:resignation:{resignation.pk}")
    assert job.done_at is None and job.attempts == 1
    assert "still placed with the household" in job.last_error
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.APPROVED


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_the_resignation_cannot_be_withdrawn_or_declined(today, world) -> None:
    _concern, resignation = _resigned(world)
    with pytest.raises(ValidationError) as refused:
        services.resignation_withdraw(actor=world.frank, resignation=resignation)
    assert refused.value.message_dict["household"] == [
        "Household: SOC-11 a resignation received during a standards of care process cannot be withdrawn "
        "or declined; the household is deregistered on Monday 12 April 2027, and a return needs a full new "
        "assessment"
    ]
    with pytest.raises(ValidationError):
        services.resignation_record(
            actor=world.frank, household=world.household_own, received_on=D(2027, 3, 15)
        )


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_the_fostering_manager_tells_the_panel_of_the_resignation_and_the_concerns(
    today, world
) -> None:
    concern, _resignation = _resigned(world)
    task = Task.objects.get(kind=PANEL_TOLD, status=TaskStatus.OPEN)
    # 5 working days after Monday 15 March 2027.
    assert (task.due_on, task.owner, task.rule_id) == (D(2027, 3, 22), world.frank, "SOC-11")
    assert task.title == (
        f"Tell the fostering panel of the resignation and the standards of care concerns ({concern.reference})"
    )


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_applies_only_during_a_standards_of_care_process_and_only_for_a_fostering_manager(
    today, world
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.resignation_record(
            actor=world.frank, household=world.household_own, received_on=D(2027, 3, 15)
        )
    assert refused.value.message_dict["household"][0].startswith(
        "Household: SOC-11 applies to a resignation during a standards of care process"
    )
    soc_concern(world, D(2027, 3, 1))
    with pytest.raises(PermissionDenied):
        services.resignation_record(
            actor=world.sam, household=world.household_own, received_on=D(2027, 3, 15)
        )


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_during_a_process_resigned_is_not_a_status_to_pick_it_is_a_resignation_to_record(
    today, world
) -> None:
    from safecare.households.services import household_change_status

    soc_concern(world, D(2027, 3, 1))
    placement_end(
        actor=world.frank,
        placement=world.placement_own,
        end_on=D(2027, 3, 15),
        end_reason=PlacementEndReason.PLANNED_MOVE,
    )
    with pytest.raises(ValidationError) as refused:
        household_change_status(
            actor=world.frank,
            household=world.household_own,
            to_status=HouseholdStatus.RESIGNED,
            reason="Resigned by letter",
            confirmed=True,
        )
    assert refused.value.message_dict["to_status"][0].startswith(
        "New status: SOC-11 the household has a standards of care process open"
    )
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.APPROVED
    assert not Task.objects.filter(household=world.household_own, status=TaskStatus.CANCELLED).exists()
