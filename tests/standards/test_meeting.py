"""SOC-7 and SOC-9: the meeting's date leaves room for the report's notice; minutes within 3 weeks.

The report reaches the chair at least 5 clear working days before the meeting, and the carer
at least 10 calendar days before it. The worked example of the rules: a meeting on Monday
12 April 2027 needs the report with the chair by Friday 2 April 2027 and with the carer by
Friday 2 April 2027.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecare.core.models import Task, TaskStatus
from safecare.standards import services
from safecare.standards.duties import MINUTES

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date


def _decided(world):  # type: ignore[no-untyped-def]
    for day in (D(2026, 11, 2), D(2027, 1, 4), D(2027, 3, 1)):
        soc_concern(world, day)
    proposal = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 22))
    assert proposal is not None
    return services.proposal_decide(
        actor=world.frank, proposal=proposal, convene=True, reasons="Three in a year"
    )


def _arrange(world, proposal, meets_on):  # type: ignore[no-untyped-def]
    return services.meeting_arrange(
        actor=world.sam,
        proposal=proposal,
        meets_on=meets_on,
        place="Council House, room 2",
        chair=world.frank,
    )


@pytest.mark.parametrize("today", ["Friday 2 April 2027"], indirect=True)
def test_soc7_a_meeting_on_12_april_can_be_arranged_on_the_last_day_both_can_be_sent(today, world) -> None:
    meeting = _arrange(world, _decided(world), D(2027, 4, 12))
    assert (meeting.meets_on, meeting.chair, meeting.arranged_by) == (D(2027, 4, 12), world.frank, world.sam)


@pytest.mark.parametrize("today", ["Monday 5 April 2027"], indirect=True)
def test_soc7_a_meeting_too_soon_is_refused_naming_both_latest_send_dates(today, world) -> None:
    with pytest.raises(ValidationError) as refused:
        _arrange(world, _decided(world), D(2027, 4, 12))
    assert refused.value.message_dict["meets_on"] == [
        "Date of the meeting: SOC-7 the report must reach the chair by Friday 2 April 2027 (5 clear working "
        "days before) and the carer by Friday 2 April 2027 (10 calendar days before); choose a later date"
    ]


@pytest.mark.parametrize("today", ["Monday 5 April 2027"], indirect=True)
def test_soc7_the_carers_10_calendar_days_can_come_first(today, world) -> None:
    # A meeting on Wednesday 14 April 2027: the chair by Tuesday 6 April (7, 8, 9, 12 and 13
    # April are the 5 clear working days), but the carer by Sunday 4 April, already gone.
    with pytest.raises(ValidationError) as refused:
        _arrange(world, _decided(world), D(2027, 4, 14))
    assert "the chair by Tuesday 6 April 2027" in refused.value.message_dict["meets_on"][0]
    assert "the carer by Sunday 4 April 2027" in refused.value.message_dict["meets_on"][0]


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_bank_holidays_in_the_notice_are_not_clear_working_days(today, world) -> None:
    # A meeting on Thursday 1 April 2027: Good Friday (26 March) and Easter Monday (29 March)
    # are not working days, so the 5 clear days are 23, 24, 25, 30 and 31 March: the chair by
    # Monday 22 March; the carer by Monday 22 March too.
    meeting = _arrange(world, _decided(world), D(2027, 4, 1))
    assert meeting.meets_on == D(2027, 4, 1)
    notice = services.report_notice(world.service, D(2027, 4, 1))
    assert (notice.chair_by, notice.carer_by) == (D(2027, 3, 22), D(2027, 3, 22))


@pytest.mark.parametrize("today", ["Tuesday 23 March 2027"], indirect=True)
def test_soc7_a_day_later_the_same_meeting_date_is_refused(today, world) -> None:
    with pytest.raises(ValidationError):
        _arrange(world, _decided(world), D(2027, 4, 1))


@pytest.mark.parametrize("today", ["Friday 2 April 2027"], indirect=True)
def test_soc7_the_meeting_needs_the_decision_to_meet_and_a_fostering_manager_in_the_chair(
    today, world
) -> None:
    proposal = _decided(world)
    with pytest.raises(ValidationError) as refused:
        services.meeting_arrange(
            actor=world.sam, proposal=proposal, meets_on=D(2027, 4, 12), place="", chair=world.sam
        )
    assert refused.value.message_dict["chair"] == [
        "Chair: SOC-7 the meeting is chaired by a fostering manager of the service"
    ]
    assert refused.value.message_dict["place"] == [
        "Where, or how to join: say where the meeting is held (SOC-8)"
    ]
    with pytest.raises(PermissionDenied):
        services.meeting_arrange(
            actor=world.chris, proposal=proposal, meets_on=D(2027, 4, 12), place="Room 2", chair=world.frank
        )


@pytest.mark.parametrize("today", ["Friday 2 April 2027"], indirect=True)
def test_soc9_the_chair_sends_the_minutes_within_3_weeks_and_the_duty_closes_with_that_record(
    today, world
) -> None:
    meeting = _arrange(world, _decided(world), D(2027, 4, 12))
    task = Task.objects.get(kind=MINUTES, status=TaskStatus.OPEN)
    # 3 weeks after Monday 12 April 2027 is Monday 3 May 2027: a bank holiday, but a calendar
    # deadline does not move.
    assert (task.due_on, task.owner, task.rule_id) == (D(2027, 5, 3), world.frank, "SOC-9")
    with pytest.raises(PermissionDenied):
        services.minutes_record(actor=world.helen, meeting=meeting, sent_on=D(2027, 4, 2))
    with pytest.raises(ValidationError) as early:
        services.minutes_record(actor=world.frank, meeting=meeting, sent_on=D(2027, 4, 1))
    assert early.value.message_dict["minutes_sent_on"] == [
        "Date the minutes were sent: cannot be before the meeting (SOC-9)"
    ]
    today.move_to(dt.datetime(2027, 4, 20, 10, 0, tzinfo=dt.UTC))
    recorded = services.minutes_record(actor=world.frank, meeting=meeting)
    assert recorded.minutes_sent_on == D(2027, 4, 20)
    assert Task.objects.get(kind=MINUTES).status == TaskStatus.DONE
