"""The standards of care API: the pages' scopes and rules through /api/v1/ (SOC-1 to SOC-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safecare.core.models import AccessLog
from safecare.standards.models import Concern, MeetingProposal, RouteDecision, Visit, VisitAction
from tests.api.helpers import send

from .records import NO, make_records

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def soc(world):
    return make_records(world)


def _ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def _concern(client, world, **changes: Any) -> Any:
    body = {
        "household": world.household_own.pk,
        "raised_by_kind": "role",
        "raised_by": "Head teacher, Hill Primary",
        "received_on": timezone.localdate().isoformat(),
        "details": "Xavier came to school without lunch three days running.",
        "children": [world.child_own.pk],
    }
    return send(client, "POST", f"{API}/soc-concerns/", {**body, **changes})


def _route(client, concern_id: int, route: str = "standards_of_care", **changes: Any) -> Any:
    body = {"concern": concern_id, **NO, "route": route, "reasons": "Practice, not harm."}
    return send(client, "POST", f"{API}/soc-route-decisions/", {**body, **changes})


# SOC-1 -----------------------------------------------------------------------------------------


def test_soc1_the_ssw_records_a_concern_and_reads_it_back_logged(soc, client_for) -> None:
    sam = client_for(soc.sam)
    created = _concern(sam, soc)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["reference"] == f"CC-{body['id']:06d}"
    assert (body["raised_by_kind"], body["raised_by"]) == ("role", "Head teacher, Hill Primary")
    assert (body["children"], body["route"], body["visit"], body["allegation_result"]) == (
        [soc.child_own.pk],
        None,
        None,
        None,
    )
    listed = sam.get(f"{API}/soc-concerns/", {"household": soc.household_own.pk})
    assert _ids(listed) == [body["id"], soc.soc_concern_own.pk]
    log = AccessLog.objects.filter(user=soc.sam, via_api=True).latest("id")
    assert (log.subject_type, log.listed_ids) == ("concern", [body["id"], soc.soc_concern_own.pk])
    frank = client_for(soc.frank)
    assert _ids(frank.get(f"{API}/soc-concerns/")) == [
        body["id"],
        soc.soc_concern_other.pk,
        soc.soc_concern_own.pk,
    ]
    assert _ids(frank.get(f"{API}/soc-concerns/", {"household": soc.household_other.pk})) == [
        soc.soc_concern_other.pk
    ]
    read = sam.get(f"{API}/soc-concerns/{soc.soc_concern_own.pk}/")
    assert read.status_code == 200
    assert (read.json()["route"], read.json()["visit"]) == ("standards_of_care", soc.soc_visit_own.pk)
    log = AccessLog.objects.filter(user=soc.sam, via_api=True).latest("id")
    assert (log.subject_type, log.subject_id) == ("household", soc.household_own.pk)


def test_soc1_an_anonymous_concern_keeps_no_name_and_the_refusal_names_field_and_rule(
    soc, client_for
) -> None:
    response = _concern(client_for(soc.sam), soc, raised_by_kind="anonymous", raised_by="Mrs Brown")
    assert response.status_code == 400
    assert response.json() == {
        "raised_by": ["Their name or role: leave it empty for an anonymous concern (SOC-1)"]
    }


def test_soc1_an_empty_concern_is_refused_naming_each_field_and_the_rule(soc, client_for) -> None:
    response = send(client_for(soc.sam), "POST", f"{API}/soc-concerns/", {"household": soc.household_own.pk})
    assert response.status_code == 400
    assert response.json() == {
        "raised_by_kind": ["Who raised it: choose a named person, a role, or anonymous (SOC-1)"],
        "received_on": ["Date the information was received: give the date (SOC-1)"],
        "details": ["What was said: write down the concern as it was told (SOC-1)"],
    }


def test_soc1_a_child_not_placed_in_the_household_is_refused(soc, client_for) -> None:
    response = _concern(client_for(soc.sam), soc, children=[soc.child_other.pk])
    assert response.status_code == 400
    assert response.json() == {
        "children": ["Children involved: only children placed in this household (SOC-1)"]
    }


def test_soc1_a_concern_about_a_household_the_caller_does_not_see_is_not_found(soc, client_for) -> None:
    response = _concern(client_for(soc.sam), soc, household=soc.household_other.pk, children=[])
    assert response.status_code == 404
    assert not Concern.objects.filter(household=soc.household_other, raised_by_kind="role").exists()


def test_the_childs_social_worker_records_a_concern_but_reads_none_of_the_procedure(soc, client_for) -> None:
    chris = client_for(soc.chris)
    assert _concern(chris, soc).status_code == 201
    assert _ids(chris.get(f"{API}/soc-concerns/")) == []
    assert _ids(chris.get(f"{API}/soc-visits/")) == []
    for path in (
        f"soc-concerns/{soc.soc_concern_own.pk}/",
        f"soc-route-decisions/{soc.soc_decision_own.pk}/",
        f"soc-visits/{soc.soc_visit_own.pk}/",
        f"soc-visit-actions/{soc.soc_action_own.pk}/",
        f"soc-meeting-proposals/{soc.soc_proposal_own.pk}/",
    ):
        assert chris.get(f"{API}/{path}").status_code == 404, path


# A carer: her visit and its actions, never the concern or its route ------------------------------


def test_a_carer_reads_her_visit_and_actions_but_not_the_concern_who_raised_it_or_the_route(
    soc, client_for
) -> None:
    carol = client_for(soc.carol)
    visits = carol.get(f"{API}/soc-visits/").json()["results"]
    assert [visit["id"] for visit in visits] == [soc.soc_visit_own.pk]
    assert visits[0]["concern"] is None
    assert "raised_by" not in visits[0] and "route" not in visits[0]
    assert [action["id"] for action in visits[0]["actions"]] == [soc.soc_action_own.pk]
    assert _ids(carol.get(f"{API}/soc-visit-actions/")) == [soc.soc_action_own.pk]
    assert _ids(carol.get(f"{API}/soc-concerns/")) == []
    assert _ids(carol.get(f"{API}/soc-route-decisions/")) == []
    assert _ids(carol.get(f"{API}/soc-meeting-proposals/")) == []
    assert carol.get(f"{API}/soc-concerns/{soc.soc_concern_own.pk}/").status_code == 404
    assert carol.get(f"{API}/soc-route-decisions/{soc.soc_decision_own.pk}/").status_code == 404
    assert carol.get(f"{API}/soc-visits/{soc.soc_visit_other.pk}/").status_code == 404
    # Staff read which concern the visit was about.
    assert client_for(soc.sam).get(f"{API}/soc-visits/{soc.soc_visit_own.pk}/").json()["concern"] == (
        soc.soc_concern_own.pk
    )


def test_a_carer_cannot_mark_her_action_done(soc, client_for) -> None:
    response = send(
        client_for(soc.carol),
        "POST",
        f"{API}/soc-visit-actions/{soc.soc_action_own.pk}/done/",
        {"done_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    assert VisitAction.objects.get(pk=soc.soc_action_own.pk).done_on is None


# SOC-2, SOC-3 ----------------------------------------------------------------------------------


def test_soc2_the_fostering_manager_routes_a_concern_and_lists_its_decisions(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    frank = client_for(soc.frank)
    decided = _route(frank, concern_id)
    assert decided.status_code == 201, decided.json()
    assert (decided.json()["route"], decided.json()["thresholds_met"], decided.json()["decided_by"]) == (
        "standards_of_care",
        False,
        soc.frank.pk,
    )
    assert _ids(frank.get(f"{API}/soc-route-decisions/", {"concern": concern_id})) == [decided.json()["id"]]
    assert frank.get(f"{API}/soc-concerns/{concern_id}/").json()["route"] == "standards_of_care"


def test_soc2_only_a_fostering_manager_or_a_head_routes_a_concern(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    assert _route(client_for(soc.sam), concern_id).status_code == 404
    assert not RouteDecision.objects.filter(concern_id=concern_id).exists()


def test_soc2_a_concern_of_another_service_is_not_found(soc, client_for) -> None:
    assert _route(client_for(soc.olga), soc.soc_concern_own.pk).status_code == 404
    assert RouteDecision.objects.filter(concern=soc.soc_concern_own).count() == 1


def test_soc2_each_question_unanswered_is_named(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    response = send(client_for(soc.frank), "POST", f"{API}/soc-route-decisions/", {"concern": concern_id})
    assert response.status_code == 400
    assert response.json() == {
        "harmed_child": ["The carer has harmed a child, or may have: answer yes or no (SOC-2)"],
        "offence_against_child": [
            "The carer may have committed a criminal offence against or related to a child: "
            "answer yes or no (SOC-2)"
        ],
        "risk_of_harm": [
            "The carer has behaved in a way that suggests a risk of harm to children: answer yes or no (SOC-2)"
        ],
        "unsuitable": ["The carer may not be suitable to work with children: answer yes or no (SOC-2)"],
        "carers_own_child": ["It concerns the carer's own child: answer yes or no (SOC-2)"],
        "other_borough": ["The carer lives in another borough: answer yes or no (SOC-2)"],
        "route": ["Route: choose one of the routes (SOC-2)"],
        "reasons": ["Reasons: say why this route was chosen (SOC-2)"],
    }


def test_soc2_a_threshold_met_is_refused_standards_of_care(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    response = _route(client_for(soc.frank), concern_id, harmed_child=True)
    assert response.status_code == 400
    assert response.json()["route"] == [
        "Route: a concern that meets an allegations threshold (harm to a child, an offence against "
        "or related to a child, a risk of harm to children, or unsuitability to work with children) "
        "goes to the LADO under the allegations procedure, not to 'Standards of care' (SOC-2)"
    ]


def test_soc3_no_evidence_of_harm_never_becomes_standards_of_care_through_the_api(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    frank = client_for(soc.frank)
    lado = _route(frank, concern_id, "lado", harmed_child=True, lado="LADO North, Kent County Council")
    assert lado.status_code == 201, lado.json()
    outcome = send(
        frank,
        "POST",
        f"{API}/soc-allegation-outcomes/",
        {
            "concern": concern_id,
            "outcome": "no_evidence",
            "lado": "LADO North",
            "outcome_on": timezone.localdate().isoformat(),
        },
    )
    assert outcome.status_code == 201, outcome.json()
    assert _ids(frank.get(f"{API}/soc-allegation-outcomes/", {"concern": concern_id})) == [
        outcome.json()["id"]
    ]
    assert (
        frank.get(f"{API}/soc-concerns/{concern_id}/").json()["allegation_result"]["outcome"] == "no_evidence"
    )
    refused = _route(frank, concern_id)
    assert refused.status_code == 400
    assert refused.json() == {
        "route": [
            "Route: SOC-3: the allegation investigation of this concern found no evidence of harm, so it "
            "never becomes a standards of care procedure (NMS 22.10). A standards of care concern about "
            "the carer's practice must be raised separately, as a new concern."
        ]
    }
    assert RouteDecision.objects.filter(concern_id=concern_id).count() == 1


def test_soc3_an_outcome_for_a_concern_not_with_the_lado_is_refused(soc, client_for) -> None:
    response = send(
        client_for(soc.frank),
        "POST",
        f"{API}/soc-allegation-outcomes/",
        {"concern": soc.soc_concern_own.pk, "outcome": "substantiated", "lado": "LADO North",
         "outcome_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "outcome": ["Outcome: only a concern routed to the LADO has an allegation outcome (SOC-3)"]
    }


# SOC-4, SOC-5 ----------------------------------------------------------------------------------


def _visit_body(soc, concern_id: int, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body = {
        "concern": concern_id,
        "visited_on": today.isoformat(),
        "standards": [_standard(soc, 4), _standard(soc, 6)],
        "concerns_discussed": "Packed lunches on school days.",
        "carer_response": "Carol will pack lunches the night before.",
        "actions": [
            {"what": "Pack lunches the night before", "owner": soc.carol.pk, "due_on": f"{today:%Y-%m-%d}"},
            {"what": "Check with the school", "owner": soc.sam.pk,
             "due_on": (today + dt.timedelta(days=14)).isoformat()},
        ],
    }  # fmt: skip
    return {**body, **changes}


def _standard(soc, number: int) -> int:
    from safecare.standards.models import NationalMinimumStandard

    return NationalMinimumStandard.objects.get(service=soc.service, number=number).pk


def test_soc4_the_ssw_records_the_visit_with_its_actions_and_marks_one_done(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    assert _route(client_for(soc.frank), concern_id).status_code == 201
    sam = client_for(soc.sam)
    created = send(sam, "POST", f"{API}/soc-visits/", _visit_body(soc, concern_id))
    assert created.status_code == 201, created.json()
    visit = created.json()
    assert visit["reference"] == f"SV-{visit['id']:06d}"
    assert sorted(visit["standards"]) == sorted([_standard(soc, 4), _standard(soc, 6)])
    assert [(a["what"], a["owner"], a["done_on"]) for a in visit["actions"]] == [
        ("Pack lunches the night before", soc.carol.pk, None),
        ("Check with the school", soc.sam.pk, None),
    ]
    first = visit["actions"][0]["id"]
    done = send(
        sam, "POST", f"{API}/soc-visit-actions/{first}/done/", {"done_on": timezone.localdate().isoformat()}
    )
    assert done.status_code == 200, done.json()
    assert done.json()["done_on"] == timezone.localdate().isoformat()
    again = send(
        sam, "POST", f"{API}/soc-visit-actions/{first}/done/", {"done_on": timezone.localdate().isoformat()}
    )
    assert again.status_code == 400
    assert again.json() == {"done_on": ["Done on: this action is already recorded as done (SOC-4)"]}
    # The carer reads the visit and the actions, hers among them, once the SSW signs and shares it.
    assert visit["id"] not in _ids(client_for(soc.carol).get(f"{API}/soc-visits/"))
    assert send(sam, "POST", f"{API}/soc-visits/{visit['id']}/sign/", {"confirm": True}).status_code == 200
    assert visit["id"] in _ids(client_for(soc.carol).get(f"{API}/soc-visits/"))


def test_soc4_a_visit_without_standards_or_actions_is_refused_naming_each(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    assert _route(client_for(soc.frank), concern_id).status_code == 201
    response = send(
        client_for(soc.sam),
        "POST",
        f"{API}/soc-visits/",
        _visit_body(soc, concern_id, standards=[], actions=[]),
    )
    assert response.status_code == 400
    assert response.json() == {
        "standards": ["Relevant National Minimum Standards: name at least one (SOC-4)"],
        "actions": ["Actions: agree at least one action, with who does it and by when (SOC-4)"],
    }


def test_soc4_an_action_given_to_someone_of_another_service_is_refused(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    assert _route(client_for(soc.frank), concern_id).status_code == 201
    body = _visit_body(soc, concern_id)
    body["actions"][1]["owner"] = soc.olga.pk
    response = send(client_for(soc.sam), "POST", f"{API}/soc-visits/", body)
    assert response.status_code == 400
    assert response.json() == {
        "actions": [
            "Actions: action 2 can be given only to a carer of this household or a worker who sees it (SOC-4)"
        ]
    }
    assert not Visit.objects.filter(concern_id=concern_id).exists()


def test_soc4_a_concern_not_on_the_standards_of_care_route_has_no_visit(soc, client_for) -> None:
    concern_id = _concern(client_for(soc.sam), soc).json()["id"]
    response = send(client_for(soc.sam), "POST", f"{API}/soc-visits/", _visit_body(soc, concern_id))
    assert response.status_code == 400
    assert response.json() == {
        "concern": [
            "Concern: only a concern on the standards of care route has a visit; this one's route is "
            "not decided yet (SOC-4)"
        ]
    }


def test_soc5_the_fostering_manager_decides_a_proposed_meeting(soc, client_for) -> None:
    proposal = MeetingProposal.objects.create(
        service=soc.service, household=soc.household_own, proposed_on=timezone.localdate(), overdue=True
    )
    frank = client_for(soc.frank)
    waiting = frank.get(f"{API}/soc-meeting-proposals/", {"decided": "false"})
    assert _ids(waiting) == [proposal.pk]
    path = f"{API}/soc-meeting-proposals/{proposal.pk}/decide/"
    assert (
        send(client_for(soc.sam), "POST", path, {"convene": True, "decision_reasons": "x"}).status_code == 404
    )
    refused = send(frank, "POST", path, {})
    assert refused.status_code == 400
    assert refused.json() == {
        "convene": ["Convene a standards of care meeting: answer yes or no (SOC-5)"],
        "decision_reasons": ["Reasons: say why (SOC-5)"],
    }
    decided = send(frank, "POST", path, {"convene": True, "decision_reasons": "Actions are still not done."})
    assert decided.status_code == 200, decided.json()
    assert (decided.json()["decided"], decided.json()["convene"], decided.json()["decided_by"]) == (
        True,
        True,
        soc.frank.pk,
    )


def test_soc4_the_standards_list_is_the_services_active_list_in_order(soc, client_for) -> None:
    from safecare.standards.models import NationalMinimumStandard

    NationalMinimumStandard.objects.filter(service=soc.service, number=18).update(active=False)
    response = client_for(soc.sam).get(f"{API}/national-minimum-standards/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [n for n in range(1, 32) if n != 18]
    assert rows[3] == {"id": _standard(soc, 4), "number": 4, "title": "Safeguarding children"}
