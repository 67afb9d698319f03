"""The notices API: same scopes and rules as the pages (SC-6, SC-8, SC-9, SC-11, SC-12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safecare.core.models import AccessLog, Task
from safecare.notices.models import CareArrangement, ChangeNotice
from safecare.notices.selectors import RISK_ASSESSMENT

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_sc6_a_carer_sends_a_change_notice_and_the_ssw_reviews_it(world, client_for) -> None:
    response = client_for(world.carol).post(
        f"{API}/change-notices/",
        {
            "household": world.household_own.pk,
            "kind": "new_regular_visitor",
            "happened_on": "2027-03-01",
            "details": "A friend now visits on Tuesdays",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rule_id"] == "SC-6" and body["task_reference"].startswith("T-")
    sam = client_for(world.sam)
    assert sam.get(f"{API}/change-notices/{body['id']}/").status_code == 200
    assert AccessLog.objects.filter(user=world.sam, via_api=True, subject_type="household").exists()
    reviewed = sam.post(
        f"{API}/change-notices/{body['id']}/review/", {"note": "Fine"}, content_type="application/json"
    )
    assert reviewed.status_code == 200 and reviewed.json()["reviewed_by"] == world.sam.pk


def test_a_carer_cannot_send_for_another_household_through_the_api(world, client_for) -> None:
    response = client_for(world.carol).post(
        f"{API}/change-notices/",
        {"household": world.household_other.pk, "kind": "other", "happened_on": "2027-03-01", "details": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ChangeNotice.objects.filter(household=world.household_other, details="x").exists()


def test_sc8_an_immediate_notice_through_the_api_opens_a_task_due_today(world, client_for) -> None:
    response = client_for(world.carol).post(
        f"{API}/immediate-notices/",
        {"household": world.household_own.pk, "kind": "own_ability", "details": "Struggling tonight"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["children"] == [world.child_own.pk]
    assert Task.objects.get(kind="immediate_notice_sc8").due_on == timezone.localdate()


def test_sc11_naming_a_child_not_placed_is_refused_naming_the_field(world, client_for) -> None:
    response = client_for(world.carol).post(
        f"{API}/immediate-notices/",
        {
            "household": world.household_own.pk,
            "kind": "risky_activity",
            "details": "x",
            "children": [world.child_other.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "children" in response.json()


def test_sc12_over_24_hours_consent_after_the_start_is_refused_and_listed_as_a_breach(
    world, client_for
) -> None:
    starts = timezone.now() + dt.timedelta(days=2)
    created = client_for(world.carol).post(
        f"{API}/care-arrangements/",
        {
            "household": world.household_own.pk,
            "child": world.child_own.pk,
            "carer_name": "Rose",
            "relationship": "Grandparent",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=36)).isoformat(),
            "reason": "Holiday",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["long_stay"] is True
    CareArrangement.objects.filter(pk=pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    sam = client_for(world.sam)
    refused = sam.post(
        f"{API}/care-arrangements/{pk}/decide/", {"consent": True}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "SC-12" in refused.json()["decision"][0]
    listed = sam.get(f"{API}/care-arrangements/?breach=true").json()
    ids = [row["id"] for row in listed.get("results", listed)]
    assert pk in ids and world.arrangement_own.pk not in ids


def test_sc9_the_csw_flags_and_records_an_assessment_through_the_api(world, client_for) -> None:
    chris = client_for(world.chris)
    flagged = chris.post(
        f"{API}/risk-flags/",
        {"child": world.child_own.pk, "level": "known", "reason": "Sets fires"},
        content_type="application/json",
    )
    assert flagged.status_code == 200, flagged.json()
    assert Task.objects.filter(kind=RISK_ASSESSMENT, child=world.child_own, status="open").exists()
    recorded = chris.post(
        f"{API}/risk-assessments/",
        {"child": world.child_own.pk, "completed_on": timezone.localdate().isoformat(), "summary": "Plan"},
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.json()
    assert not Task.objects.filter(kind=RISK_ASSESSMENT, child=world.child_own, status="open").exists()
    # The carer sees no risk record; a CSW of another child gets 404 for this one.
    assert client_for(world.carol).get(f"{API}/risk-assessments/").json().get("results", []) == []
    assert (
        client_for(world.sam)
        .post(
            f"{API}/risk-flags/",
            {"child": world.child_own.pk, "level": "none"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_the_notices_routes_are_in_the_openapi_schema(world, client_for) -> None:
    schema = client_for(world.harry).get("/api/schema/").content.decode()
    for path in (
        "/api/v1/change-notices/",
        "/api/v1/immediate-notices/{id}/respond/",
        "/api/v1/care-arrangements/{id}/decide/",
        "/api/v1/risk-flags/",
        "/api/v1/risk-assessments/",
    ):
        assert path in schema, path


def test_it_lets_the_csw_record_an_arrangement_after_the_fact_through_the_api(world, client_for) -> None:
    starts = timezone.now() - dt.timedelta(days=4)
    body = {
        "household": world.household_own.pk,
        "child": world.child_own.pk,
        "carer_name": "Dan Smith",
        "relationship": "The carer's brother",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=30)).isoformat(),
        "reason": "The carer was in hospital; told at the review",
    }
    response = client_for(world.chris).post(
        f"{API}/care-arrangements/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["requested_by"] == world.chris.pk
    assert response.json()["breach"] is True
    # A child not placed in that household when it began is refused, naming the field and SC-12.
    refused = client_for(world.sam).post(
        f"{API}/care-arrangements/", {**body, "child": world.child_other.pk}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "SC-12" in refused.json()["child"][0]


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_shows_two_back_to_back_arrangements_as_over_24_hours_through_the_api(
    today, world, client_for
) -> None:
    carer = client_for(world.carol)
    ids = []
    for starts, ends in (
        ("2026-12-04T18:00:00Z", "2026-12-05T14:00:00Z"),
        ("2026-12-05T14:00:00Z", "2026-12-06T10:00:00Z"),
    ):
        response = carer.post(
            f"{API}/care-arrangements/",
            {
                "household": world.household_own.pk,
                "child": world.child_own.pk,
                "carer_name": "Rose Patel",
                "relationship": "Grandparent",
                "starts_at": starts,
                "ends_at": ends,
                "reason": "A weekend away",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        ids.append(response.json()["id"])
    second = carer.get(f"{API}/care-arrangements/{ids[1]}/").json()
    assert second["long_stay"] is True
    assert second["counted_from"] == "2026-12-04T18:00:00Z"
