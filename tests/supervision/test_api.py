"""The recordings and supervisions API: same scopes, same rules, no lost edits (SC-7, SC-10, DV-2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog, Task
from safecare.devices.models import DeviceCheck
from safecare.supervision.models import Recording, RecordingRead
from tests.api.helpers import send, update, url
from tests.conftest import World, sign_in
from tests.security.table_supervision import EVERYONE, PATCH_ROUTES

pytestmark = pytest.mark.django_db


def _patch(client: Client, path: str) -> int:
    with transaction.atomic():
        etag = client.get(path).headers.get("ETag", '"0"')
        response = client.patch(path, data="{}", content_type="application/json", HTTP_IF_MATCH=etag)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("row", PATCH_ROUTES, ids=[f"PATCH {r['name']}" for r in PATCH_ROUTES])
def test_a_partial_update_answers_only_whom_the_table_allows(world: World, row: dict[str, Any]) -> None:
    own = reverse(row["name"], kwargs={"pk": getattr(world, row["own"]).pk})
    other = reverse(row["name"], kwargs={"pk": getattr(world, row["other"]).pk})
    assert _patch(Client(), own) == 403
    failures = []
    for username in sorted(EVERYONE):
        client = sign_in(Client(), world.users[username])
        for path, allowed in [(own, row["allowed"]), (other, row["allowed_other"])]:
            code = _patch(client, path)
            if (username in allowed) != (code == 200) or (username not in allowed and code != 404):
                failures.append(f"{username} PATCH {path}: {code}")
    assert not failures, "\n".join(failures)


def test_a_carer_records_a_day_through_the_api_and_the_ssw_reads_it_sc7_ph2(world, client_for) -> None:
    carer = client_for(world.carol)
    response = send(
        carer,
        "POST",
        url("recording-list"),
        {"child": world.child_own.pk, "recorded_on": timezone.localdate().isoformat(), "text": "Park."},
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    ssw = client_for(world.sam)
    unread = ssw.get(url("recording-list"), {"household": world.household_own.pk, "unread": "true"}).json()
    assert pk in [r["id"] for r in unread["results"]]
    read = send(ssw, "POST", url("recording-read", pk))
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert RecordingRead.objects.filter(recording_id=pk, reader=world.sam).exists()


def test_a_recording_about_a_child_not_placed_with_the_carer_is_refused_sc7(world, client_for) -> None:
    response = send(
        client_for(world.carol),
        "POST",
        url("recording-list"),
        {"child": world.child_other.pk, "recorded_on": timezone.localdate().isoformat(), "text": "x"},
    )
    assert response.status_code == 400
    assert "child" in response.json()


def test_a_recording_update_needs_if_match_and_a_stale_one_is_refused(world, client_for) -> None:
    carer = client_for(world.carol)
    path = url("recording-detail", world.recording_own.pk)
    assert send(carer, "PATCH", path, {"text": "No version."}).status_code == 428
    etag = carer.get(path).headers["ETag"]
    assert update(carer, path, {"text": "First."}).status_code == 200
    stale = send(carer, "PATCH", path, {"text": "Second."}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Recording.objects.get(pk=world.recording_own.pk).text == "First."
    assert carer.get(path).json()["edited"] is True


def test_reading_a_recording_is_logged_as_a_view_of_the_childs_record(world, client_for) -> None:
    client_for(world.chris).get(url("recording-detail", world.recording_own.pk))
    assert AccessLog.objects.filter(
        user=world.chris, subject_type="child", subject_id=world.child_own.pk, via_api=True
    ).exists()


def test_completing_through_the_api_is_refused_naming_sc10_and_dv2(world, client_for) -> None:
    ssw = client_for(world.sam)
    response = send(ssw, "POST", url("supervision-complete", world.supervision_own.pk))
    assert response.status_code == 400
    body = response.json()
    assert "SC-10" in " ".join(body["safe_care_discussion"])
    assert "DV-2" in " ".join(body["device_check_done"])


def test_it_refuses_a_device_check_without_the_register_answer_through_the_api_dv2(world, client_for) -> None:
    ssw = client_for(world.sam)
    path = url("supervision-detail", world.supervision_own.pk)
    fields = {"safe_care_discussion": "Bedtimes.", "device_check_done": True, "device_check_notes": ""}
    assert update(ssw, path, fields).status_code == 200
    refused = send(ssw, "POST", url("supervision-complete", world.supervision_own.pk))
    assert refused.status_code == 400
    assert "DV-2" in " ".join(refused.json()["register_complete"])
    answered = update(
        ssw, path, {"register_complete": False, "device_check_notes": "The pet camera is missing."}
    )
    assert answered.status_code == 200 and answered.json()["register_complete"] is False
    done = send(ssw, "POST", url("supervision-complete", world.supervision_own.pk))
    assert done.status_code == 200, done.json()
    check = DeviceCheck.objects.get(supervision=world.supervision_own)
    assert (check.register_accurate, check.notes) == (False, "The pet camera is missing.")


def test_the_ssw_writes_and_completes_a_supervision_through_the_api_sc10(world, client_for) -> None:
    ssw = client_for(world.sam)
    created = send(
        ssw,
        "POST",
        url("supervision-list"),
        {
            "household": world.household_own.pk,
            "held_on": timezone.localdate().isoformat(),
            "attendees": [world.carer_member.pk],
            "discussion": "Contact arrangements.",
        },
    )
    assert created.status_code == 201, created.json()
    path = url("supervision-detail", created.json()["id"])
    changed = update(
        ssw,
        path,
        {
            "safe_care_discussion": "Bedtimes.",
            "device_check_done": True,
            "register_complete": True,
            "device_check_notes": "None.",
        },
    )
    assert changed.status_code == 200, changed.json()
    etag = ssw.get(path).headers["ETag"]
    done = send(ssw, "POST", url("supervision-complete", created.json()["id"]), HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "completed"
    assert Task.objects.filter(household=world.household_own, kind="next_supervision", status="open").exists()
    # Locked now.
    assert update(ssw, path, {"discussion": "Changed."}).status_code == 400
    carer = client_for(world.carol)
    acknowledged = send(carer, "POST", url("supervision-acknowledge", created.json()["id"]))
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_by"]


def test_two_people_updating_one_supervision_the_second_gets_412(world, client_for) -> None:
    path = url("supervision-detail", world.supervision_own.pk)
    sam, fiona = client_for(world.sam), client_for(world.fiona)
    etag = sam.get(path).headers["ETag"]
    assert send(sam, "PATCH", path, {"discussion": "Sam's."}, HTTP_IF_MATCH=etag).status_code == 200
    assert send(fiona, "PATCH", path, {"discussion": "Fiona's."}, HTTP_IF_MATCH=etag).status_code == 412
    assert sam.get(path).json()["discussion"] == "Sam's."


def test_a_carer_does_not_see_draft_supervisions_in_the_list(world, client_for) -> None:
    results = client_for(world.carol).get(url("supervision-list")).json()["results"]
    ids = {r["id"] for r in results}
    assert world.completed_supervision_own.pk in ids and world.supervision_own.pk not in ids
