"""IM-1 to IM-6 and where a young person lives through /api/v1/: the services' rules and the pages' scopes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecare.core.models import Task, TaskStatus
from safecare.monitoring.duties import ADVOCATE, ASSESS, PLANS_UPDATE
from tests.api.helpers import send

from .test_assessment import evaluate
from .test_worry import assess, tell

pytestmark = pytest.mark.django_db

API = "/api/v1"
D = dt.date


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_im1_to_im6_through_the_api(today, world, client_for) -> None:
    carol, chris = client_for(world.carol), client_for(world.chris)
    worry = send(
        carol,
        "POST",
        f"{API}/im-worries/",
        {
            "child": world.child_own.pk,
            "risk": "to_others",
            "details": "Sharing images.",
            "noticed_on": "2027-03-24",
        },
    )
    assert worry.status_code == 201, worry.json()
    worry_id = worry.json()["id"]
    assert Task.objects.get(kind=ASSESS).due_on == D(2027, 3, 25)
    assert send(carol, "GET", f"{API}/im-assessments/").json()["results"] == []

    body = {
        "worry": worry_id,
        "assessed_on": "2027-03-25",
        "young_person_took_part": True,
        "findings": "",
        "level": "significant",
    }
    refused = send(chris, "POST", f"{API}/im-assessments/", body)
    assert refused.status_code == 400
    assert refused.json() == {"findings": ["The risks found: write down the risks found (IM-2)"]}
    body["findings"] = "He shares images of others."
    assessment = send(chris, "POST", f"{API}/im-assessments/", body).json()["id"]
    assert Task.objects.get(kind=ASSESS).status == TaskStatus.DONE

    strategy = send(
        chris,
        "POST",
        f"{API}/im-strategy-discussions/",
        {"assessment": assessment, "held_on": "2027-03-25", "manager": world.tom.pk, "outcome": "Refer."},
    )
    assert strategy.status_code == 201, strategy.json()
    referral = send(
        chris,
        "POST",
        f"{API}/im-panel-referrals/",
        {"assessment": assessment, "panel": "channel", "referred_on": "2027-03-25"},
    )
    assert referral.status_code == 201
    outcome_url = f"{API}/im-panel-referrals/{referral.json()['id']}/outcome/"
    done = send(
        chris,
        "POST",
        outcome_url,
        {"outcome": "Support offered.", "outcome_on": "2027-03-25", "minutes": "M."},
    )
    assert done.status_code == 200 and done.json()["outcome_on"] == "2027-03-25"
    assert Task.objects.get(kind=PLANS_UPDATE).due_on == D(2027, 4, 5)
    again = send(chris, "POST", outcome_url, {"outcome": "X.", "outcome_on": "2027-03-25", "minutes": "M."})
    assert again.status_code == 400 and list(again.json()) == ["outcome"]

    decision_body = {
        "assessment": assessment,
        "monitor": True,
        "reasons": "Risk to others.",
        "decided_on": "2027-03-25",
    }
    early = send(chris, "POST", f"{API}/im-decisions/", decision_body)
    assert early.status_code == 400
    assert early.json()["evaluation"] == [
        "Evaluation: evaluate the assessment with the team manager and the service manager before deciding (IM-4)"
    ]
    evaluation = send(
        chris,
        "POST",
        f"{API}/im-evaluations/",
        {
            "assessment": assessment,
            "evaluated_on": "2027-03-25",
            "team_manager": world.tom.pk,
            "service_manager": world.sue.pk,
            "summary": "Warranted.",
            "legal_advice_taken": True,
            "legal_advice_reasons": "Images of others: legal advice on the data.",
        },
    )
    assert evaluation.status_code == 201, evaluation.json()
    missing = send(chris, "POST", f"{API}/im-decisions/", decision_body)
    assert missing.status_code == 400
    assert set(missing.json()) == {
        "less_restrictive_evidence",
        "legal_and_necessary",
        "reasonable_and_proportionate",
    }
    decision = send(
        chris,
        "POST",
        f"{API}/im-decisions/",
        {
            **decision_body,
            "less_restrictive_evidence": "Talks did not stop it.",
            "legal_and_necessary": "To protect others.",
            "reasonable_and_proportionate": "Images only, 3 months.",
        },
    )
    assert decision.status_code == 201 and decision.json()["assessment"] == assessment

    discussion = send(
        chris,
        "POST",
        f"{API}/im-discussions/",
        {
            "decision": decision.json()["id"],
            "held_on": "2027-03-25",
            "young_person_views": "Agrees.",
            "family_support": False,
            "advocate_offered": True,
            "advocate_wanted": True,
        },
    )
    assert discussion.status_code == 201, discussion.json()
    assert Task.objects.get(kind=ADVOCATE).due_on == D(2027, 4, 5)
    arranged = send(
        chris,
        "POST",
        f"{API}/im-discussions/{discussion.json()['id']}/advocate/",
        {"advocate": "Ana Cole", "arranged_on": "2027-03-25"},
    )
    assert arranged.status_code == 200 and arranged.json()["advocate"] == "Ana Cole"
    assert Task.objects.get(kind=ADVOCATE).status == TaskStatus.DONE

    residence = send(
        chris,
        "POST",
        f"{API}/im-residences/",
        {
            "child": world.child_own.pk,
            "kind": "supported_accommodation",
            "provider": "Northway",
            "address_kind": "A flat",
            "from_on": "2027-03-01",
        },
    )
    assert residence.status_code == 201, residence.json()


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_the_api_scopes_are_the_pages_scopes(today, world, client_for) -> None:
    worry = tell(world)
    assessment = assess(world, worry)
    evaluate(world, assessment)
    for reader in (world.chris, world.tom, world.sue):
        client = client_for(reader)
        assert send(client, "GET", f"{API}/im-assessments/{assessment.pk}/").status_code == 200
        assert [row["id"] for row in send(client, "GET", f"{API}/im-evaluations/").json()["results"]]
    for outsider in (world.carol, world.sam, world.fiona, world.frank, world.helen, world.harry, world.olga):
        client = client_for(outsider)
        assert send(client, "GET", f"{API}/im-assessments/{assessment.pk}/").status_code == 404
        assert send(client, "GET", f"{API}/im-evaluations/").json()["results"] == []
        refused = send(
            client,
            "POST",
            f"{API}/im-decisions/",
            {"assessment": assessment.pk, "monitor": False, "reasons": "x", "decided_on": "2027-03-15"},
        )
        assert refused.status_code == 404
    carol = client_for(world.carol)
    assert send(carol, "GET", f"{API}/im-worries/{worry.pk}/").status_code == 200
    assert send(client_for(world.oscar), "GET", f"{API}/im-worries/{worry.pk}/").status_code == 404
    not_his = send(
        client_for(world.oscar),
        "POST",
        f"{API}/im-worries/",
        {"child": world.child_own.pk, "risk": "from_others", "details": "x", "noticed_on": "2027-03-15"},
    )
    assert not_his.status_code == 404


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_a_list_costs_the_same_queries_for_1_worry_as_for_6(today, world, client_for) -> None:
    sue = client_for(world.sue)
    tell(world)
    send(sue, "GET", f"{API}/im-worries/")
    for name in ("im-worries", "im-assessments"):
        with CaptureQueriesContext(connection) as few:
            send(sue, "GET", f"{API}/{name}/")
        for _ in range(5):
            assess(world, tell(world))
        with CaptureQueriesContext(connection) as many:
            response = send(sue, "GET", f"{API}/{name}/")
        assert response.json()["count"] >= 5
        assert len(many.captured_queries) == len(few.captured_queries), name
