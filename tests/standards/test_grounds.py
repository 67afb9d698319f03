"""SOC-5: a meeting is convened on grounds that are the fostering manager's judgement: a pattern
emerging, the carer refusing the action plan, a concern significant enough. The manager who
proposes it decides it, with the same reasons, and SOC-6 follows.

Decided on Wednesday 24 March 2027 (day 0): Thursday 25 March is day 1; Good Friday and
Easter Monday are bank holidays; Tuesday 30 March 2027 is day 2, when the support referral
is due.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import Task, TaskStatus
from safecare.standards import services, services_visit
from safecare.standards.duties import MEETING_DECISION, SUPPORT_REFERRAL
from safecare.standards.models import Meeting, MeetingOutcome, MeetingProposal, NationalMinimumStandard
from safecare.standards.services import ActionInput
from tests.api.helpers import send

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date
WEDNESDAY = "Wednesday 24 March 2027"
REASONS = "Mia was left with an unvetted friend overnight: significant on its own."


def _propose(world, who="frank", **kwargs):  # type: ignore[no-untyped-def]
    values = {"significant": True, "reasons": REASONS, **kwargs}
    values.setdefault("concerns", [soc_concern(world, D(2027, 3, 22))])
    return services_visit.meeting_grounds_propose(
        actor=world.users[who], household=world.household_own, **values
    )


def _refusal(world, **kwargs) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        _propose(world, **kwargs)
    return refused.value.message_dict


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc5_the_manager_s_grounds_convene_the_meeting_at_once_and_soc6_falls_due(today, world) -> None:
    concern = soc_concern(world, D(2027, 3, 22))
    proposal = _propose(world, concerns=[concern])

    proposal.refresh_from_db()
    assert (proposal.significant, proposal.pattern, proposal.refused_plan) == (True, False, False)
    assert (proposal.proposed_by, proposal.grounds_reasons, proposal.proposed_on) == (
        world.frank,
        REASONS,
        D(2027, 3, 24),
    )
    assert (proposal.convene, proposal.decided_by, proposal.decision_reasons) == (True, world.frank, REASONS)
    assert list(proposal.concerns.all()) == [concern]
    task = Task.objects.get(kind=SUPPORT_REFERRAL)
    assert (task.due_on, task.owner, task.status) == (D(2027, 3, 30), world.sam, TaskStatus.OPEN)
    assert not Task.objects.filter(kind=MEETING_DECISION).exists()


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc5_each_refusal_names_the_field_and_the_rule(today, world) -> None:
    assert _refusal(world, significant=False, reasons="  ", concerns=[]) == {
        "grounds": [
            "Grounds: choose at least one: a pattern of concerns, the carer refusing the action plan, or a "
            "concern significant enough (SOC-5)"
        ],
        "grounds_reasons": ["Why these grounds are met: give your reasons (SOC-5)"],
        "concerns": ["Concerns: choose the standards of care concerns behind the meeting (SOC-5)"],
    }
    assert _refusal(world, significant=False, pattern=True)["concerns"] == [
        "Concerns: a pattern is seen across concerns; choose at least two (SOC-5)"
    ]
    assert _refusal(world, significant=False, refused_plan=True)["refused_plan"] == [
        "The carer refuses the action plan: the action plan is the one agreed at the visit; choose "
        "a concern whose visit is recorded (SOC-5)"
    ]
    elsewhere = soc_concern(world, D(2027, 3, 22))
    elsewhere.household = world.household_other
    elsewhere.save()
    assert _refusal(world, concerns=[elsewhere])["concerns"] == [
        "Concerns: choose only this household's concerns on the standards of care route (SOC-5)"
    ]
    assert not MeetingProposal.objects.exists()


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc5_a_refused_plan_stands_on_a_concern_whose_visit_is_recorded(today, world) -> None:
    concern = soc_concern(world, D(2027, 3, 22))
    services.visit_record(
        actor=world.sam,
        concern=concern,
        visited_on=D(2027, 3, 23),
        standards=[NationalMinimumStandard.objects.get(service=world.service, number=6)],
        concerns_discussed="Shouting.",
        carer_response="Carol will not go on the course.",
        actions=[ActionInput("Attend the managing behaviour course", world.carol, D(2027, 4, 30))],
    )
    proposal = _propose(world, significant=False, refused_plan=True, concerns=[concern])
    assert proposal.refused_plan and proposal.convene


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
@pytest.mark.parametrize("name", ["sam", "fiona", "chris", "carol"])
def test_soc5_only_a_fostering_manager_or_a_head_proposes_on_their_own_grounds(today, world, name) -> None:
    with pytest.raises(PermissionDenied):
        _propose(world, name)


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc5_safecare_s_proposal_waiting_for_a_decision_takes_the_grounds_and_is_decided(
    today, world
) -> None:
    three = [soc_concern(world, day) for day in (D(2026, 11, 2), D(2027, 1, 4), D(2027, 3, 1))]
    waiting = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 24))
    assert waiting is not None and not waiting.decided
    fourth = soc_concern(world, D(2027, 3, 22))

    proposal = _propose(world, pattern=True, concerns=[three[2], fourth])

    assert proposal.pk == waiting.pk and MeetingProposal.objects.count() == 1
    proposal.refresh_from_db()
    assert (proposal.three_concerns, proposal.pattern, proposal.significant) == (True, True, True)
    assert proposal.proposed_by is None  # Safecare proposed it; the manager decided it
    assert (proposal.convene, proposal.decided_by, proposal.decision_reasons) == (True, world.frank, REASONS)
    assert set(proposal.concerns.all()) == {*three, fourth}
    assert Task.objects.get(kind=MEETING_DECISION).status == TaskStatus.DONE
    assert Task.objects.get(kind=SUPPORT_REFERRAL).due_on == D(2027, 3, 30)


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc5_no_second_meeting_while_one_is_convened_without_an_outcome(today, world) -> None:
    first = _propose(world)
    refused = _refusal(world)
    assert refused["household"] == [
        f"Household: a standards of care meeting is already convened for this household ({first.reference}) "
        "and has no outcome yet; these concerns belong to that meeting (SOC-5)"
    ]
    meeting = Meeting.objects.create(
        service=world.service,
        household=world.household_own,
        proposal=first,
        meets_on=D(2027, 3, 24),
        place="Civic Centre",
        chair=world.frank,
        arranged_by=world.frank,
    )
    MeetingOutcome.objects.create(
        service=world.service,
        meeting=meeting,
        kind="actions",
        summary="Actions agreed.",
        decided_on=D(2027, 3, 24),
        recorded_by=world.frank,
        recorded_at=timezone.now(),
    )
    assert _propose(world).pk != first.pk


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc5_the_manager_convenes_from_the_page_and_sees_the_grounds_on_the_proposal(
    today, world, client_for
) -> None:
    concern = soc_concern(world, D(2027, 3, 22))
    frank = client_for(world.frank)
    url = f"/households/{world.household_own.pk}/standards-of-care/propose/"
    form = frank.get(url).content.decode()
    assert concern.reference in form
    typed = {"grounds_reasons": REASONS, "concerns": [concern.pk]}
    refused = frank.post(url, typed)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "choose at least one: a pattern of concerns" in page
    assert REASONS in page  # nothing typed is lost

    done = frank.post(url, {**typed, "significant": "on"}, follow=True)
    proposal = MeetingProposal.objects.get()
    assert done.redirect_chain[-1][0] == f"/standards-of-care/proposals/{proposal.pk}/"
    shown = done.content.decode()
    assert "A concern significant enough on its own" in shown and REASONS in shown
    assert client_for(world.sam).get(url).status_code == 404


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc5_the_manager_s_grounds_through_the_api(today, world, client_for) -> None:
    concern = soc_concern(world, D(2027, 3, 22))
    url = "/api/v1/soc-meeting-grounds/"
    body = {
        "household": world.household_own.pk,
        "pattern": True,
        "grounds_reasons": REASONS,
        "concerns": [concern.pk],
    }
    assert send(client_for(world.sam), "POST", url, body).status_code == 404
    refused = send(client_for(world.frank), "POST", url, body)
    assert refused.status_code == 400
    assert refused.json() == {
        "concerns": ["Concerns: a pattern is seen across concerns; choose at least two (SOC-5)"]
    }
    created = send(client_for(world.frank), "POST", url, {**body, "pattern": False, "significant": True})
    assert created.status_code == 201, created.json()
    answer = created.json()
    assert (answer["significant"], answer["convene"], answer["proposed_by"], answer["grounds_reasons"]) == (
        True,
        True,
        world.frank.pk,
        REASONS,
    )
    assert answer["concerns"] == [concern.pk]
