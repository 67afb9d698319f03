"""The standards of care meeting's page asks the same few queries whatever the meeting holds
(decision 0061): its report sent and answered, its outcome with actions, its referral to the
panel with the recommendation and the ADM's decision, and each reader sees what they saw."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.standards import services_panel
from safecare.standards import services_report as report_services
from safecare.standards.models import (
    ApprovalChoice,
    CarerResponse,
    OutcomeKind,
    Recipient,
    SharedHow,
    VisitAction,
)

from .test_outcome import at, outcome
from .test_report import MEETING_DAY, WRITTEN
from .test_report_pages import _meeting

pytestmark = pytest.mark.django_db

D = dt.date


def _count(client: Any, url: str) -> tuple[int, str]:
    client.get(url)  # the session's first read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _decided_meeting(today: Any, world: Any) -> Any:
    """A meeting with everything its page shows: the report sent to the carer and answered, the
    outcome, the referral to the panel, its recommendation and the ADM's decision."""
    meeting = _meeting(world)
    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    report_services.report_qa(actor=world.fiona, version=version)
    report_services.report_send(
        actor=world.sam, version=version, recipient=Recipient.CARER, how=SharedHow.APP
    )
    report_services.carer_response_send(actor=world.carol, meeting=meeting, text="I would like to add this.")
    at(today, MEETING_DAY, 15)
    outcome(world, meeting, OutcomeKind.PANEL)
    at(today, D(2027, 5, 10), 16)
    services_panel.recommendation_record(
        actor=world.pat,
        referral=meeting.panel_referral,
        recommendation=ApprovalChoice.CONTINUE,
        reasons="The carers keep to the plan.",
        panel_on=D(2027, 5, 10),
    )
    at(today, D(2027, 5, 19), 11)
    services_panel.adm_decide(
        actor=world.adam, referral=meeting.panel_referral, decision=ApprovalChoice.CONTINUE, reasons="Agreed."
    )
    return meeting


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_the_meeting_page_asks_ten_queries_or_fewer_whatever_the_meeting_holds(
    today, world, client_for
) -> None:
    meeting = _decided_meeting(today, world)
    url = reverse("standards:meeting_detail", kwargs={"pk": meeting.pk})
    # Session, user, second factor, the meeting with its parts, the access log, the invitees, the
    # report's latest version and its signatures, its sendings, the carer's responses.
    readers = {"sam": 10, "frank": 10, "fiona": 10}
    before = {}
    for name in readers:
        count, page = _count(client_for(world.users[name]), url)
        before[name] = count
        assert "Decided: " in page  # where the referral stands, from the ADM's decision
    # More of everything the page lists: actions (as an outcome of actions sets
    # them) and the carer's responses.
    for number in range(5):
        VisitAction.objects.create(
            service=meeting.service,
            meeting=meeting,
            what=f"Action {number}",
            owner=world.sam,
            due_on=D(2027, 6, 1),
        )
    for number in range(3):
        CarerResponse.objects.create(
            service=meeting.service, meeting=meeting, text=f"Response {number}", sent_by=world.carol
        )
    after = {}
    for name in readers:
        after[name], page = _count(client_for(world.users[name]), url)
        assert "Action 4" in page and "Response 2" in page
    assert before == after == readers
