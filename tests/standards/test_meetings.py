"""SOC-5: 3 standards of care concerns within 12 months, or an action overdue, propose a meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safecare.core.dates import add_months
from safecare.core.models import Notification, Task, TaskStatus
from safecare.standards import services
from safecare.standards.duties import MEETING_DECISION
from safecare.standards.models import MeetingProposal, Route, Visit, VisitAction

from .conftest import decide, record, soc_concern

pytestmark = pytest.mark.django_db

D = dt.date


def _proposals(world, today: dt.date):
    return services.meeting_proposals(household=world.household_own, today=today)


def test_three_concerns_within_12_months_propose_a_meeting_listing_them(world) -> None:
    concerns = [soc_concern(world, day) for day in (D(2027, 1, 2), D(2027, 6, 1), D(2028, 1, 1))]
    proposal = _proposals(world, D(2028, 1, 3))
    assert proposal is not None
    assert proposal.three_concerns and not proposal.overdue
    assert list(proposal.concerns.order_by("received_on")) == concerns
    task = Task.objects.get(kind=MEETING_DECISION)
    assert proposal.task == task
    assert (task.owner, task.rule_id) == (world.frank, "SOC-5")
    references = ", ".join(c.reference for c in concerns)
    assert task.title == f"Decide on a standards of care meeting: 3 concerns within 12 months ({references})"
    assert [n.recipient for n in Notification.objects.filter(kind="soc_meeting_proposed")] == [world.frank]


def test_exactly_12_months_apart_is_outside(world) -> None:
    # add_months(1 January 2028, -12) is 1 January 2027, which is not after itself.
    for day in (D(2027, 1, 1), D(2027, 6, 1), D(2028, 1, 1)):
        soc_concern(world, day)
    assert _proposals(world, D(2028, 1, 3)) is None
    assert not Task.objects.filter(kind=MEETING_DECISION).exists()


def test_11_months_and_30_days_apart_is_inside(world) -> None:
    # 2 January 2027 + 11 months = 2 December 2027; + 30 days = 1 January 2028.
    for day in (D(2027, 1, 2), D(2027, 6, 1), D(2028, 1, 1)):
        soc_concern(world, day)
    assert _proposals(world, D(2028, 1, 1)) is not None


def test_a_leap_day_29_february_2028_is_within_12_months_of_28_february_2029(world) -> None:
    assert add_months(D(2029, 2, 28), -12) == D(2028, 2, 28)
    for day in (D(2028, 2, 29), D(2028, 9, 1), D(2029, 2, 28)):
        soc_concern(world, day)
    assert _proposals(world, D(2029, 3, 1)) is not None


def test_28_february_2028_and_28_february_2029_are_12_months_apart_so_outside(world) -> None:
    for day in (D(2028, 2, 28), D(2028, 9, 1), D(2029, 2, 28)):
        soc_concern(world, day)
    assert _proposals(world, D(2029, 3, 1)) is None


@pytest.mark.parametrize("route", [Route.LADO, Route.SAFEGUARDING, Route.COMPLAINTS, Route.NO_FURTHER_ACTION])
def test_concerns_on_other_routes_do_not_count(world, route) -> None:
    soc_concern(world, D(2027, 3, 1))
    soc_concern(world, D(2027, 4, 1))
    soc_concern(world, D(2027, 5, 1), route=route)
    assert _proposals(world, D(2027, 6, 1)) is None


def test_one_open_proposal_per_household_gathers_a_fourth_concern(world) -> None:
    for day in (D(2027, 3, 1), D(2027, 4, 1), D(2027, 5, 1)):
        soc_concern(world, day)
    first = _proposals(world, D(2027, 6, 1))
    assert _proposals(world, D(2027, 6, 1)) == first
    soc_concern(world, D(2027, 6, 1))
    assert _proposals(world, D(2027, 6, 2)) == first
    assert first.concerns.count() == 4
    assert MeetingProposal.objects.count() == 1
    assert Task.objects.filter(kind=MEETING_DECISION).count() == 1
    assert Notification.objects.filter(kind="soc_meeting_proposed").count() == 1


def test_a_decided_proposal_is_not_proposed_again_for_the_same_concerns(world) -> None:
    for day in (D(2027, 3, 1), D(2027, 4, 1), D(2027, 5, 1)):
        soc_concern(world, day)
    proposal = _proposals(world, D(2027, 6, 1))
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=world.frank, proposal=proposal, convene=None, reasons="")
    services.proposal_decide(actor=world.frank, proposal=proposal, convene=False, reasons="Carer improving.")
    assert Task.objects.get(kind=MEETING_DECISION).status == TaskStatus.DONE
    assert _proposals(world, D(2027, 6, 2)) is None
    soc_concern(world, D(2027, 7, 1))
    again = _proposals(world, D(2027, 7, 2))
    assert again is not None and again != proposal


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_the_third_concern_routed_to_standards_of_care_proposes_the_meeting_at_once(today, world) -> None:
    for day in (D(2026, 5, 1), D(2026, 11, 2)):
        soc_concern(world, day)
    concern = record(world, received_on=D(2027, 3, 24))
    decide(world, concern, Route.COMPLAINTS)
    assert not MeetingProposal.objects.exists()
    decide(world, concern)
    proposal = MeetingProposal.objects.get()
    assert proposal.proposed_on == D(2027, 3, 25)
    # The policy gives the decision no deadline: Safecare's default, 5 working days. Thursday 25 March is
    # day 0; Good Friday and Easter Monday do not count: Tue 30, Wed 31, Thu 1, Fri 2, Mon 5 April 2027.
    assert proposal.task.due_on == D(2027, 4, 5)


def _action(world, due_on: dt.date, done_on: dt.date | None = None) -> VisitAction:
    concern = soc_concern(world, due_on - dt.timedelta(days=20))
    visit = Visit.objects.create(
        service=world.service,
        household=world.household_own,
        concern=concern,
        visited_on=due_on - dt.timedelta(days=15),
        concerns_discussed="Lunches",
        carer_response="Agreed",
        recorded_by=world.sam,
    )
    return VisitAction.objects.create(
        service=world.service,
        visit=visit,
        what="Pack lunches",
        owner=world.carol,
        due_on=due_on,
        done_on=done_on,
    )


def test_an_action_overdue_proposes_a_meeting_from_the_daily_check(world) -> None:
    action = _action(world, D(2027, 4, 5))
    assert services.check_overdue_actions(D(2027, 4, 5)) == []  # due today: not yet overdue
    [proposal] = services.check_overdue_actions(D(2027, 4, 6))
    assert proposal.overdue and not proposal.three_concerns
    assert list(proposal.actions.all()) == [action]
    assert proposal.task.title == "Decide on a standards of care meeting: 1 agreed action overdue"
    assert services.check_overdue_actions(D(2027, 4, 7)) == [proposal]
    assert MeetingProposal.objects.count() == 1


def test_soc5_an_action_set_by_a_meetings_outcome_overdue_proposes_a_meeting_too(world) -> None:
    from django.utils import timezone

    from safecare.standards.models import Meeting

    earlier = MeetingProposal.objects.create(
        service=world.service,
        household=world.household_own,
        proposed_on=D(2027, 2, 1),
        pattern=True,
        convene=True,
        decided_by=world.frank,
        decided_at=timezone.now(),
        decision_reasons="A pattern",
    )
    meeting = Meeting.objects.create(
        service=world.service,
        household=world.household_own,
        proposal=earlier,
        meets_on=D(2027, 3, 1),
        place="Civic Centre",
        chair=world.frank,
        arranged_by=world.sam,
    )
    action = VisitAction.objects.create(
        service=world.service, meeting=meeting, what="Respite plan", owner=world.carol, due_on=D(2027, 4, 5)
    )
    assert services.check_overdue_actions(D(2027, 4, 5)) == []
    [proposal] = services.check_overdue_actions(D(2027, 4, 6))
    assert proposal.overdue and list(proposal.actions.all()) == [action]


def test_an_action_done_is_not_overdue(world) -> None:
    _action(world, D(2027, 4, 5), done_on=D(2027, 4, 5))
    assert services.check_overdue_actions(D(2027, 4, 6)) == []
    assert not MeetingProposal.objects.exists()


@pytest.mark.parametrize("name", ["sam", "fiona", "chris", "carol", "bella"])
def test_only_a_fostering_manager_or_a_head_decides_on_the_meeting(world, name) -> None:
    from django.core.exceptions import PermissionDenied

    for day in (D(2027, 3, 1), D(2027, 4, 1), D(2027, 5, 1)):
        soc_concern(world, day)
    proposal = _proposals(world, D(2027, 6, 1))
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=world.users[name], proposal=proposal, convene=True, reasons="Pattern")
    assert services.proposal_decide(
        actor=world.helen, proposal=proposal, convene=True, reasons="Pattern"
    ).convene


def test_soc5_the_scheduled_work_proposes_a_meeting_for_an_overdue_action_once_a_day(world) -> None:
    # Nobody opens the household on the day an action falls overdue: the daily check does.
    import datetime as dt
    from zoneinfo import ZoneInfo

    from safecare.core.jobs import run_scheduled_work

    action = _action(world, D(2027, 4, 5))
    morning = dt.datetime(2027, 4, 6, 7, 0, tzinfo=ZoneInfo("Europe/London"))
    run_scheduled_work(morning)
    run_scheduled_work(morning + dt.timedelta(hours=3))
    [proposal] = MeetingProposal.objects.all()
    assert proposal.overdue and list(proposal.actions.all()) == [action]
