"""SOC-10 through /api/v1/: the outcome, the referral to the panel, the panel's recommendation, the
agency decision maker's decision and the review request, with the pages' scopes and refusals.

Dates as in test_panel: the meeting on Monday 12 April 2027, the panel on Monday 10 May 2027,
the ADM's decision on Wednesday 19 May 2027 (deregistration day Wednesday 16 June 2027).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safecare.core.models import AccessLog, ScheduledJob
from safecare.standards.models import AdmDecision, PanelReferral, ReviewRequest, VisitAction
from tests.api.helpers import send

from .test_outcome import ARRANGED, MEETS_ON, arranged, at

pytestmark = pytest.mark.django_db

API = "/api/v1"
D = dt.date


def _ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def _outcome(client: Any, meeting: Any, **changes: Any) -> Any:
    body = {"meeting": meeting.pk, "kind": "panel", "summary": "The carers' suitability is in question."}
    return send(client, "POST", f"{API}/soc-outcomes/", {**body, **changes})


def _through_the_panel(today: Any, world: Any, client_for: Any) -> PanelReferral:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    assert _outcome(client_for(world.frank), meeting).status_code == 201
    referral = PanelReferral.objects.get()
    at(today, D(2027, 5, 10), 16)
    recommended = send(
        client_for(world.pat),
        "POST",
        f"{API}/soc-panel-recommendations/",
        {
            "referral": referral.pk,
            "recommendation": "deregister",
            "reasons": "Plan not kept.",
            "panel_on": "2027-05-10",
        },
    )
    assert recommended.status_code == 201, recommended.json()
    return referral


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_chair_records_actions_for_the_carer_and_the_carer_reads_them(
    today, world, client_for
) -> None:
    meeting = arranged(world)
    frank = client_for(world.frank)
    early = _outcome(frank, meeting, kind="no_further_action")
    assert early.status_code == 400
    assert early.json()["decided_on"] == [
        "Date of the outcome: SOC-10 the outcome is recorded on or after the meeting on Monday 12 April 2027"
    ]
    at(today, MEETS_ON, 15)
    frank = client_for(world.frank)  # signed in again: a session ends after a time unused
    wrong_owner = _outcome(
        frank,
        meeting,
        kind="actions",
        actions=[{"what": "Course", "owner": world.fiona.pk, "due_on": "2027-05-10"}],
    )
    assert wrong_owner.status_code == 400, wrong_owner.json()
    assert wrong_owner.json()["actions"] == [
        "Actions: action 1 can be given only to a carer of the household or its supervising social worker "
        "(SOC-10)"
    ]
    created = _outcome(
        frank,
        meeting,
        kind="actions",
        summary="A plan for bedtimes.",
        actions=[{"what": "Attend the course", "owner": world.carol.pk, "due_on": "2027-05-10"}],
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    action = VisitAction.objects.get(meeting=meeting)
    assert (body["kind"], body["decided_on"], body["panel_referral"]) == ("actions", "2027-04-12", None)
    assert body["actions"] == [
        {
            "id": action.pk,
            "what": "Attend the course",
            "owner": world.carol.pk,
            "due_on": "2027-05-10",
            "done_on": None,
        }
    ]
    carol = client_for(world.carol)
    assert _ids(carol.get(f"{API}/soc-outcomes/")) == [body["id"]]
    assert carol.get(f"{API}/soc-outcomes/{body['id']}/").status_code == 200
    assert AccessLog.objects.filter(user=world.carol, subject_type="household", via_api=True).exists()
    # Not the chair: 404, as for a record out of scope.
    assert _outcome(client_for(world.helen), meeting).status_code == 404
    assert _outcome(client_for(world.pat), meeting).status_code == 404


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_referral_is_the_panels_and_then_the_adms_and_nothing_else_of_the_case(
    today, world, client_for
) -> None:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    assert _outcome(client_for(world.frank), meeting).status_code == 201
    referral = PanelReferral.objects.get()
    pat, adam = client_for(world.pat), client_for(world.adam)
    assert _ids(pat.get(f"{API}/soc-panel-referrals/")) == [referral.pk]
    assert _ids(adam.get(f"{API}/soc-panel-referrals/")) == []  # not until the panel has recommended
    assert adam.get(f"{API}/soc-panel-referrals/{referral.pk}/").status_code == 404
    read = pat.get(f"{API}/soc-panel-referrals/{referral.pk}/").json()
    assert (read["reference"], read["state"], read["recommendation"]) == (
        referral.reference,
        "Waiting for the panel's recommendation",
        None,
    )
    # The panel reads the outcome of the meeting referred, never the concerns, visits or meetings.
    assert len(_ids(pat.get(f"{API}/soc-outcomes/"))) == 1
    for path in ("soc-concerns", "soc-visits", "soc-meeting-proposals", "soc-visit-actions", "households"):
        assert _ids(pat.get(f"{API}/{path}/")) == [], path
    # The carer never reads the referral.
    assert _ids(client_for(world.carol).get(f"{API}/soc-panel-referrals/")) == []


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_adm_decides_and_a_review_stops_the_deregistration(today, world, client_for) -> None:
    referral = _through_the_panel(today, world, client_for)
    adam = client_for(world.adam)
    at(today, D(2027, 5, 19), 11)
    adam = client_for(world.adam)
    refused = send(
        adam,
        "POST",
        f"{API}/soc-adm-decisions/",
        {"referral": referral.pk, "decision": "deregister", "reasons": "Now", "after_review": True},
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["after_review"]
    made = send(
        adam,
        "POST",
        f"{API}/soc-adm-decisions/",
        {"referral": referral.pk, "decision": "deregister", "reasons": "Agreed."},
    )
    assert made.status_code == 201, made.json()
    assert (made.json()["after_review"], made.json()["decided_on"]) == (False, "2027-05-19")
    read = adam.get(f"{API}/soc-panel-referrals/{referral.pk}/").json()
    assert read["deregisters_on"] == "2027-06-16"
    assert ScheduledJob.objects.filter(key=f"soc10:deregister:{referral.pk}").exists()
    # Only a fostering manager records the review request; the carer's request cancels the job.
    review = {"referral": referral.pk, "received_on": "2027-06-15", "note": "By letter."}
    at(today, D(2027, 6, 15), 12)
    adam = client_for(world.adam)
    assert send(client_for(world.sam), "POST", f"{API}/soc-review-requests/", review).status_code == 404
    assert send(adam, "POST", f"{API}/soc-review-requests/", review).status_code == 404
    created = send(client_for(world.frank), "POST", f"{API}/soc-review-requests/", review)
    assert created.status_code == 201, created.json()
    assert not ScheduledJob.objects.filter(key=f"soc10:deregister:{referral.pk}").exists()
    again = send(client_for(world.frank), "POST", f"{API}/soc-review-requests/", review)
    assert again.json()["referral"] == [
        "Review request: SOC-10 the carer's request for a review is already recorded"
    ]
    assert ReviewRequest.objects.count() == 1
    assert _ids(adam.get(f"{API}/soc-review-requests/", {"referral": referral.pk})) == [created.json()["id"]]
    assert len(_ids(client_for(world.sam).get(f"{API}/soc-adm-decisions/"))) == 1
    assert AdmDecision.objects.count() == 1


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_only_a_panel_member_recommends_and_only_the_adm_decides(today, world, client_for) -> None:
    referral = _through_the_panel(today, world, client_for)
    body = {"referral": referral.pk, "recommendation": "continue", "reasons": "x", "panel_on": "2027-05-10"}
    for name in ("frank", "adam", "sam", "carol"):
        assert (
            send(client_for(world.users[name]), "POST", f"{API}/soc-panel-recommendations/", body).status_code
            == 404
        )
    decision = {"referral": referral.pk, "decision": "continue", "reasons": "x"}
    for name in ("frank", "pat", "helen"):
        assert (
            send(client_for(world.users[name]), "POST", f"{API}/soc-adm-decisions/", decision).status_code
            == 404
        )
    twice = send(client_for(world.pat), "POST", f"{API}/soc-panel-recommendations/", body)
    assert twice.status_code == 400
    assert twice.json()["recommendation"] == [
        "Recommendation: the panel's recommendation is already recorded (SOC-10)"
    ]
