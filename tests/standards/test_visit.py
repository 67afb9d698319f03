"""SOC-4: the SSW's visit names the standards, records what was said and agrees actions with timescales."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecare.core.models import Task, TaskStatus
from safecare.standards import services
from safecare.standards.duties import VISIT, VISIT_SHARE
from safecare.standards.models import NationalMinimumStandard, Route, VisitAction
from safecare.standards.services import ActionInput

from .conftest import decide, record

pytestmark = pytest.mark.django_db


def _standard(world, number: int) -> NationalMinimumStandard:
    return NationalMinimumStandard.objects.get(service=world.service, number=number)


def _visit(world, concern, *, by=None, visited_on=None, standards=None, actions=None, **kwargs):
    values = {
        "visited_on": visited_on or concern.received_on,
        "standards": [_standard(world, 6)] if standards is None else standards,
        "concerns_discussed": "Packed lunches on school days.",
        "carer_response": "Carol agreed and will pack lunches from Monday.",
        "actions": [ActionInput("Pack a lunch every school day", world.carol, concern.received_on)]
        if actions is None
        else actions,
    }
    values.update(kwargs)
    return services.visit_record(actor=by or world.sam, concern=concern, **values)


@pytest.mark.parametrize("today", ["Thursday 1 April 2027"], indirect=True)
def test_the_visit_closes_its_task_and_the_record_is_due_to_be_sent_5_working_days_later(
    today, world
) -> None:
    concern = record(world, received_on=dt.date(2027, 3, 24))
    decide(world, concern)
    visit = _visit(
        world,
        concern,
        visited_on=dt.date(2027, 4, 1),
        standards=[_standard(world, 6), _standard(world, 21)],
        actions=[
            ActionInput("Pack a lunch every school day", world.carol, dt.date(2027, 4, 5)),
            ActionInput("Check in with the school", world.sam, dt.date(2027, 4, 16)),
        ],
    )
    assert [s.number for s in visit.standards.all()] == [6, 21]
    assert [(a.what, a.owner, a.due_on, a.done_on) for a in visit.actions.all()] == [
        ("Pack a lunch every school day", world.carol, dt.date(2027, 4, 5), None),
        ("Check in with the school", world.sam, dt.date(2027, 4, 16), None),
    ]
    assert Task.objects.get(kind=VISIT).status == TaskStatus.DONE
    share = Task.objects.get(kind=VISIT_SHARE)
    assert (share.owner, share.rule_id, share.status) == (world.sam, "SOC-4", TaskStatus.OPEN)
    # Thursday 1 April is day 0: Fri 2, Mon 5, Tue 6, Wed 7, Thu 8 April 2027.
    assert share.due_on == dt.date(2027, 4, 8)


def test_a_visit_names_a_standard_what_was_discussed_the_response_and_actions_with_owners_and_dates(
    world,
) -> None:
    concern = record(world)
    decide(world, concern)
    with pytest.raises(ValidationError) as refused:
        _visit(world, concern, standards=[], concerns_discussed=" ", carer_response="", actions=[])
    assert refused.value.message_dict == {
        "standards": ["Relevant National Minimum Standards: name at least one (SOC-4)"],
        "concerns_discussed": ["The concerns discussed: say what was discussed (SOC-4)"],
        "carer_response": ["The carer's response: write down what the carer said (SOC-4)"],
        "actions": ["Actions: agree at least one action, with who does it and by when (SOC-4)"],
    }
    with pytest.raises(ValidationError) as refused:
        _visit(world, concern, actions=[ActionInput("", None, None), ActionInput("Call", world.oscar, None)])
    assert refused.value.message_dict == {
        "actions": [
            "Actions: action 1 needs what will be done (SOC-4)",
            "Actions: action 1 needs who does it (SOC-4)",
            "Actions: action 1 needs a timescale: the date it is done by (SOC-4)",
            "Actions: action 2 can be given only to a carer of this household or a worker who sees it (SOC-4)",
            "Actions: action 2 needs a timescale: the date it is done by (SOC-4)",
        ]
    }
    assert not VisitAction.objects.exists()
    assert Task.objects.get(kind=VISIT).status == TaskStatus.OPEN


def test_only_a_concern_on_the_standards_of_care_route_has_a_visit(world) -> None:
    concern = record(world)
    with pytest.raises(ValidationError) as refused:
        _visit(world, concern)
    assert refused.value.message_dict["concern"] == [
        "Concern: only a concern on the standards of care route has a visit; this one's route is not decided "
        "yet (SOC-4)"
    ]
    decide(world, concern, Route.COMPLAINTS)
    with pytest.raises(ValidationError):
        _visit(world, concern)


@pytest.mark.parametrize("name", ["frank", "fiona", "chris", "carol"])
def test_only_the_households_ssw_records_the_visit(world, name) -> None:
    concern = record(world)
    decide(world, concern)
    with pytest.raises(PermissionDenied):
        _visit(world, concern, by=world.users[name])


@pytest.mark.parametrize("today", ["Wednesday 24 March 2027"], indirect=True)
def test_the_visit_task_stays_open_for_a_second_concern_and_moves_to_its_date(today, world) -> None:
    first = record(world, received_on=dt.date(2027, 3, 15))
    second = record(world, received_on=dt.date(2027, 3, 24))
    decide(world, first)
    decide(world, second)
    task = Task.objects.get(kind=VISIT)
    # Received Monday 15 March 2027: 5 working days later is Monday 22 March.
    assert task.due_on == dt.date(2027, 3, 22)
    _visit(world, first)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    # Received Wednesday 24 March 2027: Good Friday and Easter Monday do not count: Friday 2 April.
    assert task.due_on == dt.date(2027, 4, 2)
    _visit(world, second)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_an_action_done_is_recorded_by_the_ssw(world) -> None:
    concern = record(world)
    decide(world, concern)
    action = _visit(world, concern).actions.get()
    with pytest.raises(PermissionDenied):
        services.action_done(actor=world.carol, action=action, done_on=concern.received_on)
    done = services.action_done(actor=world.sam, action=action, done_on=concern.received_on)
    assert done.done_on == concern.received_on
