"""PH-1, PH-2 through the API: shared documents as metadata only (never the file or its
address), carers' reports read by the household's carers and staff, sent by carers as JSON."""

from __future__ import annotations

import json
from typing import Any

from safecare.core.models import AccessLog
from safecare.files.models import CarerReport, ReportRead
from safecare.files.services_documents import Upload

from .test_documents import make_pdf, share
from .test_reports import send


def _get(client: Any, path: str) -> Any:
    return client.get(f"/api/v1/{path}", HTTP_ACCEPT="application/json")


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/{path}", json.dumps(body), content_type="application/json")


def test_ph1_the_list_gives_metadata_only_never_the_file(world, client_for) -> None:
    document = share(world, pages=2)
    body = _get(client_for(world.carol), "shared-documents/").json()
    (item,) = body["results"]
    assert item == {
        "id": document.pk,
        "title": "Placement information for Xavier",
        "kind": "placement_information",
        "household": world.household_own.pk,
        "child": None,
        "page_count": 2,
        "shared_at": item["shared_at"],
        "withdrawn": False,
    }
    text = json.dumps(body)
    assert "/documents/" not in text and "download" not in text and "%PDF" not in text
    log = AccessLog.objects.filter(user_id=world.carol.pk, subject_type="shareddocument").latest("id")
    assert log.listed_ids == [document.pk] and log.via_api


def test_ph1_carers_never_see_a_withdrawn_document_through_the_api(world, client_for) -> None:
    from safecare.files import services_documents as services

    document = share(world)
    services.document_withdraw(actor=world.sam, document=document, reason="Wrong family")
    assert _get(client_for(world.carol), "shared-documents/").json()["results"] == []
    assert _get(client_for(world.carol), f"shared-documents/{document.pk}/").status_code == 404
    staff = _get(client_for(world.sam), f"shared-documents/{document.pk}/").json()
    assert staff["withdrawn"] is True
    assert _get(client_for(world.oscar), f"shared-documents/{document.pk}/").status_code == 404


def test_ph2_a_carer_sends_a_report_as_json_and_staff_reading_it_is_recorded(world, client_for) -> None:
    response = _post(
        client_for(world.carol),
        "carer-reports/",
        {
            "household": world.household_own.pk,
            "child": world.child_own.pk,
            "title": "Dentist",
            "body": "Went well.",
        },
    )
    assert response.status_code == 201, response.content
    report = CarerReport.objects.get()
    assert response.json()["attachment_count"] == 0
    assert (report.written_by, report.child) == (world.carol, world.child_own)
    assert _get(client_for(world.sam), f"carer-reports/{report.pk}/").status_code == 200
    assert ReportRead.objects.filter(report=report, reader=world.sam).exists()
    assert _get(client_for(world.oscar), f"carer-reports/{report.pk}/").status_code == 404


def test_ph2_a_report_refused_through_the_api_names_the_field(world, client_for) -> None:
    response = _post(client_for(world.carol), "carer-reports/", {"household": world.household_own.pk})
    assert response.status_code == 400
    assert set(response.json()) == {"title", "body"}
    assert (
        _post(client_for(world.sam), "carer-reports/", {"household": world.household_own.pk}).status_code
        == 404
    )
    assert (
        _post(
            client_for(world.oscar),
            "carer-reports/",
            {"household": world.household_own.pk, "title": "x", "body": "y"},
        ).status_code
        == 404
    )


def test_ph2_the_list_counts_attachments_and_is_scoped(world, client_for) -> None:
    report = send(world, uploads=[Upload("a.pdf", make_pdf(1))])
    (item,) = _get(client_for(world.carol), "carer-reports/").json()["results"]
    assert (item["id"], item["attachment_count"]) == (report.pk, 1)
    assert _get(client_for(world.oscar), "carer-reports/").json()["results"] == []
    assert [
        r["id"]
        for r in _get(client_for(world.sam), f"carer-reports/?household={world.household_own.pk}").json()[
            "results"
        ]
    ] == [report.pk]
