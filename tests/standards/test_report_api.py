"""The meeting report through /api/v1/ (SOC-7, SOC-8, SOC-12): the pages' rules and scopes."""

from __future__ import annotations

import datetime as dt

import pytest

from safecare.standards.models import ReportSending
from tests.api.helpers import send, update

from .test_report import WRITTEN
from .test_report_pages import _meeting

pytestmark = pytest.mark.django_db

API = "/api/v1"
D = dt.date


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_report_from_draft_to_the_carer_through_the_api(today, world, client_for) -> None:
    meeting = _meeting(world)
    sam, fiona, carol = client_for(world.sam), client_for(world.fiona), client_for(world.carol)

    created = send(sam, "POST", f"{API}/soc-reports/", {"meeting": meeting.pk, **WRITTEN, "analysis": ""})
    assert created.status_code == 201, created.json()
    report_url = f"{API}/soc-reports/{created.json()['id']}/"

    refused = send(sam, "POST", f"{report_url}submit/")
    assert refused.status_code == 400
    assert refused.json()["analysis"] == [
        "Analysis of the foster carers' suitability and competency: write this section before the report goes to QA (SOC-7)"
    ]
    no_etag = send(sam, "PATCH", report_url, {"analysis": "Standard 6 not met."})
    assert no_etag.status_code == 428
    assert update(sam, report_url, {"analysis": "Standard 6 not met."}).status_code == 200

    submitted = send(sam, "POST", f"{report_url}submit/")
    assert submitted.status_code == 201
    version = submitted.json()
    assert (version["number"], version["qa_done"]) == (1, False)
    assert [s["signed_as"] for s in version["signatures"]] == ["supervising social worker"]
    version_url = f"{API}/soc-report-versions/{version['id']}/"

    early = send(sam, "POST", f"{version_url}send/", {"recipient": "chair", "how": "secure_email"})
    assert early.status_code == 400
    assert early.json()["version"] == [
        "Version: SOC-7 the report cannot be sent before the fostering team manager has QA'd it"
    ]
    assert send(sam, "POST", f"{version_url}qa/").status_code == 404  # not the team manager
    assert send(fiona, "POST", f"{version_url}qa/").json()["qa_done"] is True

    assert carol.get(version_url).status_code == 404  # not sent to her yet
    sent = send(sam, "POST", f"{version_url}send/", {"recipient": "carer", "how": "app"})
    assert sent.status_code == 201
    assert sent.json()["receipt_confirmed_on"] is None
    read = carol.get(version_url).json()
    assert read["content"]["sections"]["worried_about"] == WRITTEN["worried_about"]
    assert carol.get(f"{API}/soc-reports/").json()["results"] == []  # never the draft

    sending = ReportSending.objects.get()
    confirmed = send(carol, "POST", f"{API}/soc-report-sendings/{sending.pk}/confirm-receipt/", {})
    assert confirmed.json()["receipt_confirmed_on"] == "2027-03-22"

    answer = send(
        carol, "POST", f"{API}/soc-carer-responses/", {"meeting": meeting.pk, "text": "I disagree."}
    )
    assert answer.status_code == 201
    assert [
        r["text"] for r in client_for(world.frank).get(f"{API}/soc-carer-responses/").json()["results"]
    ] == ["I disagree."]


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_api_scopes_are_the_pages_scopes(today, world, client_for) -> None:
    meeting = _meeting(world)
    created = send(client_for(world.sam), "POST", f"{API}/soc-reports/", {"meeting": meeting.pk, **WRITTEN})
    report_id = created.json()["id"]
    for outsider in (world.chris, world.tom, world.oscar, world.olga, world.carol):
        client = client_for(outsider)
        assert client.get(f"{API}/soc-reports/{report_id}/").status_code == 404, outsider
        assert send(
            client, "POST", f"{API}/soc-reports/", {"meeting": meeting.pk, **WRITTEN}
        ).status_code in (
            400,
            404,
        ), outsider
    # Readers who do not write it cannot change it.
    for reader in (world.fiona, world.frank):
        assert (
            update(client_for(reader), f"{API}/soc-reports/{report_id}/", {"reason": "x"}).status_code == 404
        )
    # A CSW named on the report reads and writes it.
    assert (
        update(client_for(world.sam), f"{API}/soc-reports/{report_id}/", {"csw": world.chris.pk}).status_code
        == 200
    )
    chris = client_for(world.chris)
    assert chris.get(f"{API}/soc-reports/{report_id}/").status_code == 200
    assert (
        update(chris, f"{API}/soc-reports/{report_id}/", {"consultation": "Xavier's views."}).status_code
        == 200
    )
    assert update(chris, f"{API}/soc-reports/{report_id}/", {"csw": None}).status_code == 400
