"""SOC-10: the chair records the meeting's outcome on or after the meeting's day: actions for
the carer, a referral to the fostering panel, or no further action.

The meeting of these tests is on Monday 12 April 2027, arranged on Friday 2 April 2027 (the
last day the report can still reach the chair and the carer in time, SOC-7), chaired by
Frank, the fostering manager.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import Notification, Task, TaskStatus
from safecare.core.roles import Role
from safecare.standards import selectors, services, services_panel
from safecare.standards.duties import OUTCOME, PANEL_RECOMMENDATION
from safecare.standards.models import (
    Meeting,
    MeetingOutcome,
    MeetingProposal,
    OutcomeKind,
    PanelReferral,
    VisitAction,
)
from safecare.standards.services import ActionInput
from tests.factories import UserFactory

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date
LONDON = ZoneInfo("Europe/London")
ARRANGED = "Friday 2 April 2027"
MEETS_ON = D(2027, 4, 12)


def at(today: Any, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """Move the stopped clock to `day` at hh:mm London time."""
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    today.move_to(moment)
    return moment


def arranged(world: Any, *, chair: Any = None) -> Meeting:
    """The Patel household's meeting on Monday 12 April 2027, through the services (SOC-5 to SOC-7).

    Call it on Friday 2 April 2027 or before."""
    for day in (D(2026, 11, 2), D(2027, 1, 4), D(2027, 3, 1)):
        soc_concern(world, day)
    proposal = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 22))
    assert proposal is not None
    proposal = services.proposal_decide(
        actor=world.frank, proposal=proposal, convene=True, reasons="Three concerns in a year"
    )
    return services.meeting_arrange(
        actor=world.sam,
        proposal=proposal,
        meets_on=MEETS_ON,
        place="Council House, room 2",
        chair=chair or world.frank,
    )


def outcome(world: Any, meeting: Meeting, kind: str = OutcomeKind.PANEL, **kwargs: Any) -> MeetingOutcome:
    values: dict[str, Any] = {
        "summary": "The carers' suitability is in question: the panel should consider it.",
        "actions": (),
    }
    values.update(kwargs)
    return services_panel.outcome_record(
        actor=values.pop("by", world.frank), meeting=meeting, kind=kind, **values
    )


def two_actions(world: Any) -> list[ActionInput]:
    return [
        ActionInput(what="Attend the managing behaviour course", owner=world.carol, due_on=D(2027, 5, 10)),
        ActionInput(what="Visit monthly to review the routine", owner=world.sam, due_on=D(2027, 4, 13)),
    ]


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_arranging_the_meeting_makes_the_outcome_the_chairs_duty_due_on_the_meeting_day(
    today, world
) -> None:
    arranged(world)
    task = Task.objects.get(kind=OUTCOME)
    assert (task.due_on, task.owner, task.rule_id, task.status) == (
        D(2027, 4, 12),
        world.frank,
        "SOC-10",
        TaskStatus.OPEN,
    )


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_an_outcome_before_the_meeting_is_refused_naming_the_date_and_soc_10(today, world) -> None:
    meeting = arranged(world)
    at(today, D(2027, 4, 11), 23, 59)  # Sunday, the day before
    with pytest.raises(ValidationError) as refused:
        outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION)
    assert refused.value.message_dict["decided_on"] == [
        "Date of the outcome: SOC-10 the outcome is recorded on or after the meeting on Monday 12 April 2027"
    ]
    at(today, D(2027, 4, 12), 9)
    with pytest.raises(ValidationError) as early:
        outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION, decided_on=D(2027, 4, 11))
    assert list(early.value.message_dict) == ["decided_on"]
    assert not MeetingOutcome.objects.exists()


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_actions_for_the_carer_are_the_meetings_agreed_actions_and_close_the_outcome_duty(
    today, world
) -> None:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    recorded = outcome(
        world, meeting, OutcomeKind.ACTIONS, summary="Agreed a plan for bedtimes.", actions=two_actions(world)
    )
    assert (recorded.kind, recorded.decided_on, recorded.recorded_by) == (
        OutcomeKind.ACTIONS,
        D(2027, 4, 12),
        world.frank,
    )
    actions = list(VisitAction.objects.filter(meeting=meeting).order_by("due_on"))
    assert [(a.what, a.owner, a.due_on, a.visit) for a in actions] == [
        ("Visit monthly to review the routine", world.sam, D(2027, 4, 13), None),
        ("Attend the managing behaviour course", world.carol, D(2027, 5, 10), None),
    ]
    assert Task.objects.get(kind=OUTCOME).status == TaskStatus.DONE
    assert not PanelReferral.objects.exists()
    # The carer is told in the app, and reads the outcome and her actions (SOC-10).
    [told] = Notification.objects.filter(kind="soc_outcome")
    assert (told.recipient, told.url) == (world.carol, f"/standards-of-care/meetings/{meeting.pk}/")
    assert "Patel" not in told.subject
    assert list(selectors.outcomes_visible_to(world.carol)) == [recorded]
    assert set(selectors.visit_actions_visible_to(world.carol).filter(meeting=meeting)) == set(actions)
    # An action set by the outcome is marked done like a visit's (SOC-4, SOC-5).
    at(today, D(2027, 4, 13), 12)
    done = services.action_done(actor=world.sam, action=actions[0], done_on=D(2027, 4, 13))
    assert done.done_on == D(2027, 4, 13)


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_each_action_has_what_a_carer_or_the_ssw_and_a_date_after_the_meeting(today, world) -> None:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    with pytest.raises(ValidationError) as none:
        outcome(world, meeting, OutcomeKind.ACTIONS, actions=[])
    assert none.value.message_dict["actions"] == [
        "Actions: set at least one action, with who does it and by when (SOC-10)"
    ]
    with pytest.raises(ValidationError) as refused:
        outcome(
            world,
            meeting,
            OutcomeKind.ACTIONS,
            actions=[
                ActionInput(what="", owner=world.fiona, due_on=D(2027, 4, 12)),
                ActionInput(what="Read the guidance", owner=None, due_on=None),
                ActionInput(what="Review the plan", owner=world.oscar, due_on=D(2027, 4, 13)),
            ],
        )
    assert refused.value.message_dict["actions"] == [
        "Actions: action 1 needs what will be done (SOC-10)",
        "Actions: action 1 can be given only to a carer of the household or its supervising social "
        "worker (SOC-10)",
        "Actions: action 1 must be due after the meeting on Monday 12 April 2027 (SOC-10)",
        "Actions: action 2 needs who does it (SOC-10)",
        "Actions: action 2 needs a timescale: the date it is done by (SOC-10)",
        "Actions: action 3 can be given only to a carer of the household or its supervising social "
        "worker (SOC-10)",
    ]
    with pytest.raises(ValidationError) as mixed:
        outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION, actions=two_actions(world))
    assert mixed.value.message_dict["actions"] == [
        "Actions: only an outcome of actions for the carer sets actions (SOC-10)"
    ]
    assert not VisitAction.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_referral_to_the_panel_is_the_panels_duty_for_28_days_and_alerts_its_members(
    today, world
) -> None:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    outcome(world, meeting)
    referral = PanelReferral.objects.get()
    assert (referral.household, referral.meeting, referral.referred_on) == (
        world.household_own,
        meeting,
        D(2027, 4, 12),
    )
    task = Task.objects.get(kind=PANEL_RECOMMENDATION)
    # The policy gives the panel no deadline: Safecare's default, 28 calendar days after Monday
    # 12 April 2027 is Monday 10 May 2027. Pat is the service's one panel member.
    assert (task.due_on, task.owner, task.rule_id, task.status) == (
        D(2027, 5, 10),
        world.pat,
        "SOC-10",
        TaskStatus.OPEN,
    )
    assert "Safecare's default" in task.due_basis
    [alert] = Notification.objects.filter(kind="soc_panel_referral")
    assert (alert.recipient, alert.url) == (world.pat, f"/standards-of-care/panel/{referral.pk}/")
    assert list(selectors.panel_referrals_visible_to(world.pat)) == [referral]
    assert Task.objects.get(kind=OUTCOME).status == TaskStatus.DONE


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_with_two_panel_members_the_panels_duty_is_shared_and_both_are_alerted(today, world) -> None:
    second = UserFactory(username="penny", service=world.service, role=Role.PANEL_MEMBER, first_name="Penny")
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    outcome(world, meeting)
    assert Task.objects.get(kind=PANEL_RECOMMENDATION).owner is None
    alerted = {n.recipient for n in Notification.objects.filter(kind="soc_panel_referral")}
    assert alerted == {world.pat, second}


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_no_further_action_ends_the_process_and_the_outcome_is_recorded_once(today, world) -> None:
    meeting = arranged(world)
    at(today, D(2027, 4, 14), 9)
    recorded = outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION, summary="Concerns resolved.")
    assert recorded.decided_on == D(2027, 4, 14)
    assert not PanelReferral.objects.exists()
    with pytest.raises(ValidationError) as again:
        outcome(world, meeting, OutcomeKind.PANEL)
    assert again.value.message_dict["kind"] == [
        "Outcome: the outcome of this meeting is already recorded (SOC-10)"
    ]
    with pytest.raises(ValidationError) as empty:
        outcome(world, arranged_again(world), "", summary=" ")
    assert empty.value.message_dict["kind"] == [
        "Outcome: choose actions for the carer, a referral to the fostering panel, or no further action "
        "(SOC-10)"
    ]
    assert empty.value.message_dict["summary"] == [
        "The chair's summary and recommendations: write the summary (SOC-10)"
    ]


def arranged_again(world: Any) -> Meeting:
    """A second meeting of the same household, made directly (its date already past)."""
    proposal = MeetingProposal.objects.create(
        service=world.service,
        household=world.household_own,
        proposed_on=D(2027, 4, 1),
        pattern=True,
        convene=True,
        decided_by=world.frank,
        decided_at=timezone.now(),
    )
    return Meeting.objects.create(
        service=world.service,
        household=world.household_own,
        proposal=proposal,
        meets_on=D(2027, 4, 13),
        place="Room 3",
        chair=world.frank,
        arranged_by=world.frank,
    )


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_only_the_chair_records_the_outcome(today, world) -> None:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    for someone in (world.helen, world.harry, world.sam, world.fiona, world.carol, world.pat, world.olga):
        with pytest.raises(PermissionDenied):
            outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION, by=someone)
    assert not MeetingOutcome.objects.exists()


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_when_the_chairs_account_has_closed_a_fostering_manager_records_it(today, world) -> None:
    chair = UserFactory(
        username="fran", service=world.service, role=Role.FOSTERING_MANAGER, first_name="Fran"
    )
    meeting = arranged(world, chair=chair)
    at(today, MEETS_ON, 15)
    with pytest.raises(PermissionDenied):
        outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION, by=world.frank)
    chair.is_active = False
    chair.save()
    with pytest.raises(PermissionDenied):
        outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION, by=world.helen)  # a head, not a manager
    recorded = outcome(world, meeting, OutcomeKind.NO_FURTHER_ACTION, by=world.frank)
    assert recorded.recorded_by == world.frank
