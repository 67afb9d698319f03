"""IM-7 to IM-9 through the API: /api/v1/im-agreements/ and /api/v1/im-reviews/.

The full readers get the agreement in full; the carers the agreement in force in the parts
they act on; the household's SSW that it exists and its end date; a refusal is a 400 naming
the field and the rule.
"""

from __future__ import annotations

import datetime as dt

from safecare.monitoring.models import Agreement, AgreementEnd, EndReason
from tests.api.helpers import send, url

from .test_agreement import MONDAY_15_MARCH_2027, PARTS, agree, decision_for

BODY = {
    "starts_on": "2027-03-15",
    "ends_on": "2027-09-15",
    **PARTS,
    "signatory": "young_person",
    "signed_on": "2027-03-12",
    "gillick_assessed_on": "2027-03-11",
    "gillick_assessment": "He understands it and agrees.",
}


@MONDAY_15_MARCH_2027
def test_each_reader_gets_what_they_may_read(today, world, client_for) -> None:
    agreement = agree(world)
    full = send(client_for(world.chris), "GET", url("im-agreement-detail", agreement.pk)).json()
    assert full["view"] == "full" and full["gillick_assessment"] and full["signatory"] == "young_person"
    assert full["ended_on"] is None
    carer = send(client_for(world.carol), "GET", url("im-agreement-detail", agreement.pk)).json()
    assert carer == {
        "view": "carer",
        "id": agreement.pk,
        "child": world.child_own.pk,
        "starts_on": "2027-03-01",
        "ends_on": "2027-09-01",
        **PARTS,
    }
    ssw = send(client_for(world.sam), "GET", url("im-agreement-list")).json()["results"]
    assert ssw == [
        {"view": "exists", "id": agreement.pk, "child": world.child_own.pk, "ends_on": "2027-09-01"}
    ]
    for person in (world.frank, world.helen, world.fiona, world.oscar):
        assert send(client_for(person), "GET", url("im-agreement-detail", agreement.pk)).status_code == 404
        assert send(client_for(person), "GET", url("im-agreement-list")).json()["results"] == []


@MONDAY_15_MARCH_2027
def test_the_carers_no_longer_read_an_agreement_that_has_ended(today, world, client_for) -> None:
    agreement = agree(world)
    AgreementEnd.objects.create(
        service=world.service, agreement=agreement, ended_on=dt.date(2027, 3, 15), reason=EndReason.REVIEW
    )
    assert send(client_for(world.carol), "GET", url("im-agreement-list")).json()["results"] == []
    full = send(client_for(world.tom), "GET", url("im-agreement-list")).json()["results"]
    assert [(a["id"], a["ended_on"], a["end_reason"]) for a in full] == [
        (agreement.pk, "2027-03-15", "review")
    ]


@MONDAY_15_MARCH_2027
def test_chris_records_an_agreement(today, world, client_for) -> None:
    decision = decision_for(world)
    response = send(
        client_for(world.chris),
        "POST",
        url("im-agreement-list"),
        {**BODY, "child": world.child_own.pk, "decision": decision.pk},
    )
    assert response.status_code == 201, response.json()
    assert Agreement.objects.get().ends_on == dt.date(2027, 9, 15)


@MONDAY_15_MARCH_2027
def test_the_corporate_parent_is_refused_naming_the_rule(today, world, client_for) -> None:
    decision = decision_for(world)
    response = send(
        client_for(world.chris),
        "POST",
        url("im-agreement-list"),
        {**BODY, "child": world.child_own.pk, "decision": decision.pk, "signatory": "local_authority"},
    )
    assert response.status_code == 400
    assert "IM-7" in response.json()["signatory"][0]


@MONDAY_15_MARCH_2027
def test_no_end_date_and_no_action_plan_are_refused_naming_im_8(today, world, client_for) -> None:
    decision = decision_for(world)
    body = {**BODY, "child": world.child_own.pk, "decision": decision.pk, "action_plan": ""}
    del body["ends_on"]
    errors = send(client_for(world.chris), "POST", url("im-agreement-list"), body).json()
    assert "IM-8" in errors["ends_on"][0] and "IM-8" in errors["action_plan"][0]


@MONDAY_15_MARCH_2027
def test_others_cannot_record_an_agreement(today, world, client_for) -> None:
    decision = decision_for(world)
    body = {**BODY, "child": world.child_own.pk, "decision": decision.pk}
    for person in (world.tom, world.carol, world.sam):
        assert send(client_for(person), "POST", url("im-agreement-list"), body).status_code in (403, 404)
    assert not Agreement.objects.exists()


@MONDAY_15_MARCH_2027
def test_chris_records_a_review_and_the_full_readers_read_it(today, world, client_for) -> None:
    agreement = agree(world)
    body = {
        "agreement": agreement.pk,
        "held_on": "2027-03-15",
        "young_person_took_part": True,
        "others": "Carol Patel",
        "outcome": "stop",
        "notes": "The risk has gone.",
    }
    response = send(client_for(world.chris), "POST", url("im-review-list"), body)
    assert response.status_code == 201, response.json()
    assert AgreementEnd.objects.get(agreement=agreement).reason == EndReason.REVIEW
    again = send(client_for(world.chris), "POST", url("im-review-list"), body)
    assert again.status_code == 400 and "IM-9" in again.json()["agreement"][0]
    assert [
        r["outcome"] for r in send(client_for(world.sue), "GET", url("im-review-list")).json()["results"]
    ] == ["stop"]
    assert send(client_for(world.carol), "GET", url("im-review-list")).json()["results"] == []
    assert send(client_for(world.tom), "POST", url("im-review-list"), body).status_code in (403, 404)
