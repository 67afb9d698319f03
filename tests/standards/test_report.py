"""SOC-7, SOC-8, SOC-12: the meeting report, written, QA'd, sent with its notice, received, answered.

The worked example: a meeting on Monday 12 April 2027, arranged on Monday 22 March 2027. The
report must reach the chair 5 clear working days before (6, 7, 8, 9 April and... counting back
from the meeting: Friday 9, Thursday 8, Wednesday 7, Tuesday 6 and Monday 5 April are the clear
days, so the chair by Friday 2 April 2027) and the carer 10 calendar days before (by Friday 2
April 2027). The minutes are due 3 weeks after the meeting: Monday 3 May 2027.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from safecare.core.models import Notification, Task, TaskStatus
from safecare.standards import services
from safecare.standards import services_report as report_services
from safecare.standards.duties import MINUTES, OUTCOME, REPORT, REPORT_QA, REPORT_TO_CARER, REPORT_TO_CHAIR
from safecare.standards.models import (
    AllegationOutcome,
    AllegationResult,
    Recipient,
    ReportVersion,
    Route,
    SharedHow,
    Visit,
    VisitAction,
)

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date
MEETING_DAY = D(2027, 4, 12)
WRITTEN = {
    "reason": "Three concerns about lunches and bedtimes since November.",
    "career": "Approved in 2019 for two children; training up to date.",
    "investigation": "Visits on 4 January and 1 March; the school spoken to.",
    "consultation": "The carers accept the lunches; Xavier says bedtimes are fine.",
    "current_situation": "Xavier settled; lunches packed since March.",
    "analysis": "Standard 6 (promoting good health) not met in January and February.",
    "working_well": "Warm relationships; school attendance.",
    "worried_about": "Routines slip when the carers are stretched.",
    "next_steps": "A written routine and respite once a month.",
}


def _meeting(world: Any) -> Any:
    for day in (D(2026, 11, 2), D(2027, 1, 4), D(2027, 3, 1)):
        soc_concern(world, day)
    proposal = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 22))
    assert proposal is not None
    services.proposal_decide(actor=world.frank, proposal=proposal, convene=True, reasons="Three in a year")
    return services.meeting_arrange(
        actor=world.sam,
        proposal=proposal,
        meets_on=MEETING_DAY,
        place="Council House, room 2",
        chair=world.frank,
    )


def _written(world: Any, meeting: Any, **changes: Any) -> Any:
    return report_services.report_save(actor=world.sam, meeting=meeting, values={**WRITTEN, **changes})


def _qa_done(world: Any, meeting: Any) -> ReportVersion:
    report = _written(world, meeting)
    version = report_services.report_submit(actor=world.sam, report=report)
    return report_services.report_qa(actor=world.fiona, version=version)


def _open(world: Any, kind: str) -> Task | None:
    return Task.objects.filter(household=world.household_own, kind=kind, status=TaskStatus.OPEN).first()


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_arranging_the_meeting_sets_every_duty_on_the_dates_of_the_rules(today, world) -> None:
    _meeting(world)
    due = {
        kind: _open(world, kind)
        for kind in (REPORT, REPORT_QA, REPORT_TO_CHAIR, REPORT_TO_CARER, OUTCOME, MINUTES)
    }
    assert {kind: (task.due_on, task.rule_id) for kind, task in due.items() if task} == {
        REPORT: (D(2027, 4, 2), "SOC-7"),
        REPORT_QA: (D(2027, 4, 2), "SOC-7"),
        REPORT_TO_CHAIR: (D(2027, 4, 2), "SOC-7"),
        REPORT_TO_CARER: (D(2027, 4, 2), "SOC-7"),
        OUTCOME: (D(2027, 4, 12), "SOC-10"),
        MINUTES: (D(2027, 5, 3), "SOC-9"),
    }
    assert (due[REPORT].owner, due[REPORT_QA].owner, due[OUTCOME].owner) == (
        world.sam,
        world.fiona,
        world.frank,
    )


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_report_goes_to_qa_only_with_every_section_written_each_missing_one_named(
    today, world
) -> None:
    meeting = _meeting(world)
    report = _written(world, meeting, analysis="", next_steps="  ")
    with pytest.raises(ValidationError) as refused:
        report_services.report_submit(actor=world.sam, report=report)
    assert refused.value.message_dict == {
        "analysis": [
            "Analysis of the foster carers' suitability and competency: write this section before the "
            "report goes to QA (SOC-7)"
        ],
        "next_steps": ["What needs to happen next?: write this section before the report goes to QA (SOC-7)"],
    }
    assert not ReportVersion.objects.exists()
    report.refresh_from_db()
    assert report.reason == WRITTEN["reason"]  # nothing written is lost


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_report_cannot_be_sent_before_the_fostering_team_manager_qa(today, world) -> None:
    meeting = _meeting(world)
    version = report_services.report_submit(actor=world.sam, report=_written(world, meeting))
    assert _open(world, REPORT) is None  # submitted: the writing duty closed with the version
    with pytest.raises(ValidationError) as refused:
        report_services.report_send(
            actor=world.sam, version=version, recipient=Recipient.CHAIR, how=SharedHow.SECURE_EMAIL
        )
    assert refused.value.message_dict["version"] == [
        "Version: SOC-7 the report cannot be sent before the fostering team manager has QA'd it"
    ]
    assert _open(world, REPORT_TO_CHAIR) is not None


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_only_the_fostering_team_manager_qas_and_only_the_ssw_submits(today, world) -> None:
    meeting = _meeting(world)
    report = _written(world, meeting)
    with pytest.raises(PermissionDenied):
        report_services.report_submit(actor=world.fiona, report=report)
    version = report_services.report_submit(actor=world.sam, report=report)
    for not_qa in (world.sam, world.frank, world.chris, world.carol):
        with pytest.raises(PermissionDenied):
            report_services.report_qa(actor=not_qa, version=version)
    report_services.report_qa(actor=world.fiona, version=version)
    assert report_services.is_qa_done(version)
    assert _open(world, REPORT_QA) is None


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_sent_to_chair_and_carer_with_how_and_receipt_each_duty_closing_with_its_sending(
    today, world
) -> None:
    meeting = _meeting(world)
    version = _qa_done(world, meeting)
    chair = report_services.report_send(
        actor=world.sam,
        version=version,
        recipient=Recipient.CHAIR,
        how=SharedHow.SECURE_EMAIL,
        receipt_confirmed=True,
    )
    assert (chair.recipient_name, chair.sent_on, chair.receipt.confirmed_on) == (
        world.frank.display_name,
        D(2027, 3, 22),
        D(2027, 3, 22),
    )
    assert _open(world, REPORT_TO_CHAIR) is None
    assert _open(world, REPORT_TO_CARER) is not None
    carer = report_services.report_send(
        actor=world.sam, version=version, recipient=Recipient.CARER, how=SharedHow.APP
    )
    assert _open(world, REPORT_TO_CARER) is None
    assert not hasattr(carer, "receipt")  # the carer confirms it herself, in the app
    told = Notification.objects.get(recipient=world.carol, kind="soc_report_shared")
    assert "Patel" not in told.subject and "Xavier" not in told.subject
    receipt = report_services.receipt_confirm(actor=world.carol, sending=carer)
    assert receipt.confirmed_on == D(2027, 3, 22)


@pytest.mark.parametrize("today", ["Saturday 3 April 2027"], indirect=True)
def test_soc7_a_sending_after_the_notice_is_refused_naming_both_latest_dates(today, world) -> None:
    with pytest.MonkeyPatch.context() as patch:
        # The meeting was arranged in time (22 March); now it is the Saturday after both dates.
        patch.setattr(services, "notice_problem", lambda notice, today: "")
        meeting = _meeting(world)
    version = _qa_done(world, meeting)
    for recipient in (Recipient.CHAIR, Recipient.CARER):
        with pytest.raises(ValidationError) as refused:
            report_services.report_send(
                actor=world.sam, version=version, recipient=recipient, how=SharedHow.FACE_TO_FACE
            )
        assert refused.value.message_dict["sent_on"] == [
            "Date it was sent: SOC-7 for the meeting on Monday 12 April 2027 the report had to reach the chair by "
            "Friday 2 April 2027 and the carer by Friday 2 April 2027; move the meeting to a later date first"
        ]
    # Recorded as sent on the last day it could be, it is accepted.
    sent = report_services.report_send(
        actor=world.sam,
        version=version,
        recipient=Recipient.CARER,
        how=SharedHow.FACE_TO_FACE,
        sent_on=D(2027, 4, 2),
    )
    assert sent.sent_on == D(2027, 4, 2)


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_an_advocate_is_owed_the_carers_10_days_and_needs_a_name(today, world) -> None:
    meeting = _meeting(world)
    version = _qa_done(world, meeting)
    with pytest.raises(ValidationError) as refused:
        report_services.report_send(
            actor=world.sam, version=version, recipient=Recipient.ADVOCATE, how=SharedHow.SECURE_EMAIL
        )
    assert refused.value.message_dict["recipient_name"] == ["Their name: give the advocate's name (SOC-7)"]
    assert report_services.latest_send_date(meeting, Recipient.ADVOCATE) == D(2027, 4, 2)
    with pytest.raises(ValidationError) as in_app:
        report_services.report_send(
            actor=world.sam,
            version=version,
            recipient=Recipient.ADVOCATE,
            recipient_name="Ann Advocate",
            how=SharedHow.APP,
        )
    assert in_app.value.message_dict["how"] == [
        "How it was shared: in Safecare only the carer receives the report (SOC-7)"
    ]


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_a_version_is_frozen_editing_makes_a_new_one_that_needs_its_own_qa(today, world) -> None:
    meeting = _meeting(world)
    first = _qa_done(world, meeting)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=first.pk).update(content={"sections": {}})
    report = _written(world, meeting, analysis="Standard 6 not met in January, February and March.")
    second = report_services.report_submit(actor=world.sam, report=report)
    assert (first.number, second.number) == (1, 2)
    assert first.content["sections"]["analysis"] == WRITTEN["analysis"]
    with pytest.raises(ValidationError) as stale:
        report_services.report_send(
            actor=world.sam, version=first, recipient=Recipient.CHAIR, how=SharedHow.SECURE_EMAIL
        )
    assert stale.value.message_dict["version"] == [
        "Version: SOC-7 a later version was submitted; send that one once QA'd"
    ]
    with pytest.raises(ValidationError):
        report_services.report_send(
            actor=world.sam, version=second, recipient=Recipient.CHAIR, how=SharedHow.SECURE_EMAIL
        )


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_csw_named_writes_with_the_ssw_and_nobody_else_does(today, world) -> None:
    meeting = _meeting(world)
    with pytest.raises(PermissionDenied):
        report_services.report_save(
            actor=world.chris, meeting=meeting, values={"consultation": "Xavier's views"}
        )
    report_services.report_save(actor=world.sam, meeting=meeting, values={"csw": world.chris})
    report = report_services.report_save(
        actor=world.chris, meeting=meeting, values={"consultation": "Xavier's views"}
    )
    assert report.consultation == "Xavier's views"
    with pytest.raises(ValidationError) as refused:
        report_services.report_save(actor=world.chris, meeting=meeting, values={"csw": None})
    assert "csw" in refused.value.message_dict
    for outsider in (world.tom, world.bella, world.carol, world.fiona):
        with pytest.raises(PermissionDenied):
            report_services.report_save(actor=outsider, meeting=meeting, values={"reason": "x"})
    with pytest.raises(PermissionDenied):
        report_services.report_submit(actor=world.chris, report=report)


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc12_the_chronology_lists_previous_relevant_concerns_with_action_and_outcome(today, world) -> None:
    lado = soc_concern(world, D(2025, 6, 9), route=Route.LADO)
    AllegationResult.objects.create(
        service=world.service,
        concern=lado,
        outcome=AllegationOutcome.UNSUBSTANTIATED,
        lado="LADO North",
        outcome_on=D(2025, 8, 1),
        recorded_by=world.frank,
    )
    meeting = _meeting(world)
    visited = meeting.proposal.concerns.order_by("received_on").first()
    visit = Visit.objects.create(
        service=world.service,
        household=world.household_own,
        concern=visited,
        visited_on=D(2026, 11, 6),
        concerns_discussed="Shouting.",
        carer_response="Agreed.",
        recorded_by=world.sam,
    )
    VisitAction.objects.create(
        service=world.service,
        visit=visit,
        what="Calm-down plan",
        owner=world.carol,
        due_on=D(2026, 12, 1),
        done_on=D(2026, 11, 30),
    )
    events = report_services.chronology(meeting)
    assert [event["date"] for event in events] == ["2025-06-09", "2026-11-02", "2027-01-04", "2027-03-01"]
    first, second = events[0], events[1]
    assert first["event"].startswith(f"{lado.reference}, raised by anonymous:")
    assert "An allegation: to the LADO" in first["action"]
    assert "Allegation outcome: Unsubstantiated" in first["action"]
    assert "Visited Friday 6 November 2026." in second["action"]
    assert (
        "Action: Calm-down plan (by Tuesday 1 December 2026, done Monday 30 November 2026)."
        in second["action"]
    )
    # Frozen in the version the SSW submits.
    version = report_services.report_submit(actor=world.sam, report=_written(world, meeting))
    assert version.content["chronology"] == events
    assert version.content["facts"]["concerns_raised_by"] == ["Anonymous", "Anonymous", "Anonymous"]


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc8_the_carer_responds_to_the_chair_once_the_report_reached_them(today, world) -> None:
    meeting = _meeting(world)
    with pytest.raises(ValidationError) as early:
        report_services.carer_response_send(actor=world.carol, meeting=meeting, text="I disagree.")
    assert early.value.message_dict["text"] == [
        "Your response: you can reply once the report has been shared with you"
    ]
    version = _qa_done(world, meeting)
    report_services.report_send(
        actor=world.sam, version=version, recipient=Recipient.CARER, how=SharedHow.APP
    )
    response = report_services.carer_response_send(
        actor=world.carol, meeting=meeting, text="The lunches were packed."
    )
    assert response.sent_by == world.carol
    assert Notification.objects.filter(recipient=world.frank, kind="soc_carer_response").count() == 1
    with pytest.raises(PermissionDenied):
        report_services.carer_response_send(actor=world.oscar, meeting=meeting, text="Not my meeting.")
    today.move_to(dt.datetime(2027, 4, 13, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as late:
        report_services.carer_response_send(actor=world.carol, meeting=meeting, text="After the meeting.")
    assert "the meeting has taken place" in late.value.message_dict["text"][0]


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_moving_the_meeting_moves_its_open_duties_and_keeps_the_notice(today, world) -> None:
    meeting = _meeting(world)
    with pytest.raises(ValidationError) as too_soon:
        report_services.meeting_reschedule(
            actor=world.sam, meeting=meeting, meets_on=D(2027, 3, 29), reason="Chair away"
        )
    assert "choose a later date" in too_soon.value.message_dict["meets_on"][0]
    moved = report_services.meeting_reschedule(
        actor=world.sam, meeting=meeting, meets_on=D(2027, 4, 26), reason="Chair away"
    )
    assert moved.meets_on == D(2027, 4, 26)
    # 26 April 2027: clear working days 19 to 23 April, so the chair by Friday 16 April; the
    # carer by Friday 16 April (10 calendar days); minutes by Monday 17 May.
    assert _open(world, REPORT_TO_CHAIR).due_on == D(2027, 4, 16)
    assert _open(world, REPORT_TO_CARER).due_on == D(2027, 4, 16)
    assert _open(world, MINUTES).due_on == D(2027, 5, 17)
    assert (
        Task.objects.filter(household=world.household_own, kind=MINUTES, status=TaskStatus.CANCELLED).count()
        == 1
    )


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc8_moving_the_meeting_invites_everyone_again_to_the_new_date(today, world) -> None:
    from safecare.standards.duties import INVITATIONS
    from safecare.standards.models import Invitee, InviteeRole

    meeting = _meeting(world)
    invitee = Invitee.objects.create(
        service=world.service,
        meeting=meeting,
        role=InviteeRole.CARER,
        user=world.carol,
        name="Carol Patel",
        invited_at=dt.datetime(2027, 3, 22, 9, 0, tzinfo=dt.UTC),
        documents=[{"kind": "procedure"}],
        added_by=world.sam,
    )
    Task.objects.filter(kind=INVITATIONS).update(status=TaskStatus.DONE, completed_at=timezone.now())
    report_services.meeting_reschedule(
        actor=world.sam, meeting=meeting, meets_on=D(2027, 4, 26), reason="Chair away"
    )
    invitee.refresh_from_db()
    assert (invitee.invited_at, invitee.documents) == (None, [])
    assert _open(world, INVITATIONS).due_on == D(2027, 4, 16)
