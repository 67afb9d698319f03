"""SOC-8: the SSW or a fostering manager asks business support to arrange the meeting the
fostering manager decided to hold; business support sets its date, place and chair.

The policy gives business support no deadline: Safecare's default is 2 working days from the
request (the day of the request is day 0). Asked on Monday 15 March 2027, the date is due by
Wednesday 17 March 2027; asked on Thursday 25 March 2027, by Wednesday 31 March 2027 (Good
Friday 26 March and Easter Monday 29 March are not working days).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecare.core.models import Notification, Task, TaskStatus
from safecare.core.roles import Role
from safecare.standards import selectors, services, services_meeting
from safecare.standards.duties import ARRANGE, INVITATIONS
from safecare.standards.models import Arrangement, Meeting, MeetingProposal
from tests.factories import UserFactory

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date


# Helpers shared by the meeting tests (test_invitations, test_meeting_pages, test_meeting_api) ----


def decided(world: Any, *, convene: bool = True) -> MeetingProposal:
    """A meeting for the Patel household proposed (3 concerns in 12 months) and decided (SOC-5)."""
    for day in (D(2026, 11, 2), D(2027, 1, 4), D(2027, 3, 1)):
        soc_concern(world, day)
    proposal = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 12))
    assert proposal is not None
    return services.proposal_decide(
        actor=world.frank, proposal=proposal, convene=convene, reasons="Three concerns in a year"
    )


def asked(world: Any, proposal: MeetingProposal | None = None) -> Arrangement:
    return services_meeting.arrangement_request(
        actor=world.sam, proposal=proposal or decided(world), business_support=world.bella
    )


MEETS_ON = D(2027, 4, 12)


def arranged(world: Any, *, by: Any = None, meets_on: dt.date = MEETS_ON) -> Meeting:
    """Bella asked, and the meeting arranged for Monday 12 April 2027, chaired by Frank."""
    arrangement = asked(world)
    return services.meeting_arrange(
        actor=by or world.bella,
        proposal=arrangement.proposal,
        meets_on=meets_on,
        place="Room 2, Civic Centre",
        chair=world.frank,
    )


def pdf(text: str = "The standards of care procedure") -> bytes:
    """A real one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# SOC-8: the request ------------------------------------------------------------------------------


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_the_ssw_asks_bella_who_gets_the_duty_due_in_2_working_days_and_an_alert(today, world) -> None:
    arrangement = asked(world)
    assert (arrangement.business_support, arrangement.requested_by) == (world.bella, world.sam)
    task = Task.objects.get(kind=ARRANGE)
    assert (task.owner, task.rule_id, task.status, task.household) == (
        world.bella,
        "SOC-8",
        TaskStatus.OPEN,
        world.household_own,
    )
    assert task.due_on == D(2027, 3, 17)
    assert "the policy sets no deadline; this is Safecare's default" in task.due_basis
    alert = Notification.objects.get(kind="soc_arrange")
    assert (alert.recipient, alert.rule_id, alert.url) == (
        world.bella,
        "SOC-8",
        "/standards-of-care/meetings-to-arrange/",
    )
    # The alert's words name no carer, child or concern (its e-mail carries only these).
    assert alert.subject == "A standards of care meeting is to be arranged"


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_soc8_easter_does_not_count_in_the_2_working_days(today, world) -> None:
    asked(world)
    assert Task.objects.get(kind=ARRANGE).due_on == D(2027, 3, 31)


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_only_a_meeting_decided_on_is_arranged_and_only_once(today, world) -> None:
    not_held = decided(world, convene=False)
    with pytest.raises(ValidationError) as refused:
        asked(world, not_held)
    assert refused.value.message_dict["proposal"] == [
        "Meeting: SOC-8 business support arranges a meeting the fostering manager decided to hold"
    ]
    soc_concern(world, D(2027, 3, 2))
    proposal = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 15))
    assert proposal is not None
    services.proposal_decide(actor=world.frank, proposal=proposal, convene=True, reasons="A fourth")
    asked(world, proposal)
    with pytest.raises(ValidationError) as again:
        asked(world, proposal)
    assert again.value.message_dict["proposal"] == [
        "Meeting: SOC-8 business support has already been asked to arrange it"
    ]
    assert Arrangement.objects.count() == 1


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
@pytest.mark.parametrize("who", ["sam", "frank", "nobody", "inactive"])
def test_soc8_only_an_active_business_support_officer_of_the_service_is_named(today, world, who) -> None:
    officer = {
        "sam": world.sam,
        "frank": world.frank,
        "nobody": None,
        "inactive": UserFactory(service=world.service, role=Role.BUSINESS_SUPPORT, is_active=False),
    }[who]
    with pytest.raises(ValidationError) as refused:
        services_meeting.arrangement_request(
            actor=world.sam, proposal=decided(world), business_support=officer
        )
    assert refused.value.message_dict["business_support"] == [
        "Business support officer: choose an active business support officer of the service (SOC-8)"
    ]


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
@pytest.mark.parametrize("name", ["carol", "chris", "tom", "sue", "bella", "pat", "ada", "olga"])
def test_soc8_only_the_ssw_and_the_fostering_managers_ask(today, world, name) -> None:
    proposal = decided(world)
    with pytest.raises(PermissionDenied):
        services_meeting.arrangement_request(
            actor=world.users[name], proposal=proposal, business_support=world.bella
        )
    assert (
        services_meeting.arrangement_request(
            actor=world.fiona, proposal=proposal, business_support=world.bella
        ).requested_by
        == world.fiona
    )


# SOC-8: business support arranges it -------------------------------------------------------------


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_bella_arranges_the_meeting_she_was_asked_to_which_closes_her_duty(today, world) -> None:
    meeting = arranged(world)
    assert (meeting.arranged_by, meeting.chair, meeting.meets_on) == (
        world.bella,
        world.frank,
        D(2027, 4, 12),
    )
    assert Task.objects.get(kind=ARRANGE).status == TaskStatus.DONE
    invitations = Task.objects.get(kind=INVITATIONS)
    assert (invitations.owner, invitations.status) == (world.bella, TaskStatus.OPEN)
    # The report reaches the chair and the carer by Friday 2 April 2027 (SOC-7); so do the invitations.
    assert invitations.due_on == D(2027, 4, 2)


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_business_support_not_asked_cannot_arrange_it(today, world) -> None:
    other = UserFactory(service=world.service, role=Role.BUSINESS_SUPPORT, first_name="Bob")
    arrangement = asked(world)
    with pytest.raises(PermissionDenied):
        services.meeting_arrange(
            actor=other,
            proposal=arrangement.proposal,
            meets_on=D(2027, 4, 12),
            place="Room 2",
            chair=world.frank,
        )


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_bella_sees_the_meeting_she_arranges_and_nothing_else_of_the_case(today, world) -> None:
    meeting = arranged(world)
    bella = world.bella
    assert list(selectors.arrangements_visible_to(bella)) == [Arrangement.objects.get()]
    assert list(selectors.meetings_visible_to(bella)) == [meeting]
    assert not selectors.concerns_visible_to(bella).exists()
    assert not selectors.proposals_visible_to(bella).exists()
    assert not selectors.visits_visible_to(bella).exists()
    assert not selectors.reports_visible_to(bella).exists()
    assert not selectors.carer_responses_visible_to(bella).exists()
    assert not selectors.outcomes_visible_to(bella).exists()
    other = UserFactory(service=world.service, role=Role.BUSINESS_SUPPORT, first_name="Bob")
    assert not selectors.meetings_visible_to(other).exists()
    assert not selectors.arrangements_visible_to(other).exists()
