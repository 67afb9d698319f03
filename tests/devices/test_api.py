"""The devices API: the register and CCTV requests, with the pages' scopes and rules (DV-1 to DV-12, CX-1 to CX-6).

The world (tests/devices/world.py): household_own (Patel) has carer Carol, SSW
Sam, team manager Fiona and child Xavier (CSW Chris) placed, a CCTV camera in
its lounge (device_own) and a request being signed (cctv_request_own);
household_other (Jones) is Oscar's. Helen is the head of fostering, the
service's CCTV decider.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecare.core.models import AccessLog
from safecare.devices import selectors, services_cctv, services_register
from safecare.devices.assessment import assess
from safecare.devices.models import (
    CctvDecision,
    CctvReport,
    CctvRequest,
    Device,
    DeviceType,
    Purpose,
    RequestStatus,
    RoomKind,
)
from tests.api.helpers import send, update, url
from tests.conftest import World, sign_in
from tests.factories import ChildFactory, HouseholdFactory, PlacementFactory
from tests.security.table_devices_api import (
    DECLARERS,
    EVERYONE,
    READERS,
    READERS_OTHER,
    WORKERS,
)

pytestmark = pytest.mark.django_db

SECTIONS = {
    "reasons": "A former partner has threatened the household; the police advise a camera.",
    "alternatives": "New locks and an alarm were fitted in March; the threats continued.",
    "camera_positions": "One camera high in the hallway, facing the front door only.",
    "footage_access": "Both carers view it; footage with no use is deleted within 24 hours.",
    "evidence": "Kept only if the police ask for it as evidence.",
    "internet_security": "The system is not connected to the internet.",
    "children_effects": "Xavier's bedroom, the bathroom and the landing are out of view.",
}


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _camera(household: Any, author: Any, room: str = "Hallway") -> Device:
    return Device.objects.create(
        service=household.service,
        household=household,
        device_type=DeviceType.CCTV_CAMERA,
        room=room,
        room_kind=RoomKind.COMMUNAL,
        positioning="High on the wall, facing the front door",
        records_video=True,
        purpose=Purpose.HOUSEHOLD_SAFETY,
        responsible_person="The carers",
        retention_hours=24,
        storage="The recorder in the loft",
        access="The carers",
        members_told_on=timezone.localdate(),
        declared_by=author,
    )


def _agree(request: CctvRequest, decider: Any) -> None:
    """Made directly: an agreed exception (CX-3) for the request's latest report."""
    report = request.reports.order_by("-number").first()
    assert report is not None
    CctvDecision.objects.create(
        report=report, service=request.service, agreed=True, decided_by=decider, decider_role=decider.role
    )
    CctvRequest.objects.filter(pk=request.pk).update(status=RequestStatus.AGREED)


# Scope ------------------------------------------------------------------------------------------


def test_dv_the_list_shows_each_role_the_devices_of_the_households_they_see(world: World, client_for) -> None:
    path = url("device-list")
    own, other, south = world.device_own.pk, world.device_other.pk, world.device_south.pk
    assert _ids(send(client_for(world.carol), "GET", path)) == {own}
    assert _ids(send(client_for(world.oscar), "GET", path)) == {other}
    # The CSW sees the devices of the home their child is placed in (rules: Who sees what).
    assert _ids(send(client_for(world.chris), "GET", path)) == {own}
    assert _ids(send(client_for(world.frank), "GET", path)) == {own, other}
    assert _ids(send(client_for(world.olga), "GET", path)) == {south}
    assert _ids(send(client_for(world.ada), "GET", path)) == set()
    filtered = send(client_for(world.frank), "GET", path, {"household": world.household_other.pk})
    assert _ids(filtered) == {other}


def test_dv_a_device_out_of_scope_answers_404_and_a_view_is_logged(world: World, client_for) -> None:
    path = url("device-detail", world.device_own.pk)
    assert send(client_for(world.oscar), "GET", path).status_code == 404
    assert send(client_for(world.olga), "GET", path).status_code == 404
    response = send(client_for(world.carol), "GET", path)
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == world.device_own.reference
    assert body["needs_review"] is False and response.headers["ETag"]
    # DV-4: a CCTV camera inside the home needs an agreed exception; the world's is still being signed.
    assert body["verdict"]["level"] == "needs_exception"
    assert "DV-4" in body["verdict"]["rule_ids"]
    assert {"rule_id": "DV-4", "level": "needs_exception"}.items() <= body["verdict"]["findings"][0].items()
    # DV-10: no agreement in force describes the camera yet.
    assert "the Safe Caring Family Agreement" in body["agreements_missing"]
    assert AccessLog.objects.filter(
        user=world.carol, via_api=True, subject_type="household", subject_id=world.household_own.pk
    ).exists()


# The register -----------------------------------------------------------------------------------


def test_dv3_a_carer_declares_a_camera_in_a_childs_bedroom_and_its_verdict_is_prohibited(
    world: World, client_for
) -> None:
    response = send(
        client_for(world.carol),
        "POST",
        url("device-list"),
        {
            "household": world.household_own.pk,
            "device_type": "cctv_camera",
            "room": "Xavier's bedroom",
            "room_kind": "child_bedroom",
            "positioning": "On the shelf, facing the bed",
            "records_video": True,
            "purpose": "household_safety",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verdict"]["level"] == "prohibited" and body["verdict"]["label"] == "Prohibited"
    assert "DV-3" in body["verdict"]["rule_ids"]
    assert any(f["rule_id"] == "DV-3" and f["level"] == "prohibited" for f in body["verdict"]["findings"])
    # DV-2: a carer's declaration waits for the SSW's review.
    assert body["needs_review"] is True and body["declared_by"] == world.carol.pk


def test_dv_a_carer_cannot_declare_for_another_household(world: World, client_for) -> None:
    response = send(
        client_for(world.carol),
        "POST",
        url("device-list"),
        {
            "household": world.household_other.pk,
            "device_type": "smart_speaker",
            "room": "Kitchen",
            "room_kind": "communal",
            "positioning": "On the counter",
            "records_audio": True,
            "purpose": "home_use",
        },
    )
    assert response.status_code == 404
    assert not Device.objects.filter(household=world.household_other, room="Kitchen").exists()


def test_dv1_a_refusal_names_the_field_and_the_rule(world: World, client_for) -> None:
    response = send(
        client_for(world.carol),
        "POST",
        url("device-list"),
        {
            "household": world.household_own.pk,
            "device_type": "pet_camera",
            "room": "Kitchen",
            "room_kind": "communal",
            "positioning": "On the fridge",
            "purpose": "pets",
        },
    )
    assert response.status_code == 400
    assert "DV-1" in response.json()["records_video"][0]
    misspelt = send(
        client_for(world.carol), "POST", url("device-list"), {"household": world.household_own.pk, "rom": "x"}
    )
    assert misspelt.status_code == 400 and "rom" in misspelt.json()


def test_dv2_a_patch_needs_if_match_and_a_stale_one_answers_412(world: World, client_for) -> None:
    carol = client_for(world.carol)
    path = url("device-detail", world.device_own.pk)
    unversioned = send(carol, "PATCH", path, {"room": "Front room"})
    assert unversioned.status_code == 428
    etag = send(carol, "GET", path).headers["ETag"]
    services_register.device_update(
        actor=world.sam, device=world.device_own, version=None, storage="A hard drive"
    )
    stale = send(carol, "PATCH", path, {"room": "Front room"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Device.objects.get(pk=world.device_own.pk).room == "Lounge"
    changed = update(carol, path, {"room": "Front room"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["room"] == "Front room" and changed.json()["needs_review"] is True
    assert changed.headers["ETag"] != etag


def test_dv2_the_ssw_reviews_and_the_carer_removes_a_device(world: World, client_for) -> None:
    device = world.device_own
    nothing = send(client_for(world.sam), "POST", url("device-review", device.pk), {})
    assert nothing.status_code == 400 and "non_field_errors" in nothing.json()
    changed = update(client_for(world.carol), url("device-detail", device.pk), {"retention_hours": 12})
    assert changed.status_code == 200 and changed.json()["needs_review"] is True
    assert send(client_for(world.chris), "POST", url("device-review", device.pk), {}).status_code == 404
    reviewed = send(
        client_for(world.sam), "POST", url("device-review", device.pk), {"notes": "Seen on visit"}
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["needs_review"] is False and reviewed.json()["review_notes"] == "Seen on visit"

    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refused = send(client_for(world.carol), "POST", url("device-remove", device.pk), {"removed_on": future})
    assert refused.status_code == 400 and "removed_on" in refused.json()
    removed = send(
        client_for(world.carol),
        "POST",
        url("device-remove", device.pk),
        {"removed_on": timezone.localdate().isoformat()},
    )
    assert removed.status_code == 200, removed.content
    body = removed.json()
    assert body["status"] == "removed" and body["needs_review"] is True
    # Off the register: no agreement need describe it any more (DV-10).
    assert body["agreements_missing"] == []


def test_dv9_the_ssw_and_the_csw_agree_to_a_monitor_for_an_older_child(world: World, client_for) -> None:
    declared = send(
        client_for(world.carol),
        "POST",
        url("device-list"),
        {
            "household": world.household_own.pk,
            "device_type": "baby_monitor",
            "room": "Xavier's bedroom",
            "room_kind": "child_bedroom",
            "positioning": "On the chest of drawers",
            "records_audio": True,
            "purpose": "sleeping_child",
            "monitored_child": world.child_own.pk,
            "monitored_sleeps_here": True,
            "monitoring_reason": "Seizures at night",
            "responsible_person": "Carol Patel",
            "retention_hours": 0,
            "members_told_on": timezone.localdate().isoformat(),
        },
    )
    assert declared.status_code == 201, declared.content
    pk = declared.json()["id"]
    assert declared.json()["verdict"]["level"] == "action_needed"
    assert "DV-9" in declared.json()["verdict"]["rule_ids"]
    path = url("device-agree-monitoring", pk)
    assert send(client_for(world.carol), "POST", path, {}).status_code == 404
    by_ssw = send(client_for(world.sam), "POST", path, {"child_consent": "given"})
    assert by_ssw.status_code == 200, by_ssw.content
    assert by_ssw.json()["ssw_agreed_by"] == world.sam.pk and by_ssw.json()["child_consent"] == "given"
    by_csw = send(client_for(world.chris), "POST", path, {})
    assert by_csw.status_code == 200, by_csw.content
    assert by_csw.json()["csw_agreed_by"] == world.chris.pk
    assert by_csw.json()["verdict"]["level"] == "allowed"

    # A child of another service is no child of this household (DV-9), whatever its id.
    refused = update(
        client_for(world.carol), url("device-detail", pk), {"monitored_child": world.child_south.pk}
    )
    assert refused.status_code == 400 and "DV-9" in refused.json()["monitored_child"][0]


# CCTV inside the home ---------------------------------------------------------------------------


def test_cx_a_request_from_draft_to_decision_and_a_new_round_through_the_api(
    world: World, client_for
) -> None:
    # The world's request would be the household's one active request; clear it for this story.
    CctvRequest.objects.filter(household=world.household_own).update(status=RequestStatus.WITHDRAWN)
    carol, sam, fiona = client_for(world.carol), client_for(world.sam), client_for(world.fiona)
    chris, helen = client_for(world.chris), client_for(world.helen)
    camera = _camera(world.household_own, world.carol)
    today = timezone.localdate()

    draft = {k: v for k, v in SECTIONS.items() if k != "children_effects"}
    created = send(
        sam,
        "POST",
        url("cctv-request-list"),
        {
            "household": world.household_own.pk,
            **draft,
            "period_start": today.isoformat(),
            "period_end": (today + dt.timedelta(days=180)).isoformat(),
            "devices": [camera.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["latest_report"] is None and body["devices"] == [camera.pk]
    path = url("cctv-request-detail", body["id"])

    # CX-1: every section is required before submitting, and the refusal names the missing one.
    refused = send(sam, "POST", url("cctv-request-submit", body["id"]))
    assert refused.status_code == 400
    assert list(refused.json()) == ["children_effects"] and "CX-1" in refused.json()["children_effects"][0]
    assert update(sam, path, {"children_effects": SECTIONS["children_effects"]}).status_code == 200
    submitted = send(sam, "POST", url("cctv-request-submit", body["id"]))
    assert submitted.status_code == 200, submitted.content
    report = submitted.json()["latest_report"]
    assert submitted.json()["status"] == "signing" and report["number"] == 1
    assert report["children"] == [{"id": world.child_own.pk, "name": "Xavier Smith"}]
    assert [s["capacity"] for s in report["signing_steps"]] == ["carer", "SSW", "fostering team manager"]

    # CX-3: in order; the refusal says who is still to sign.
    early = send(fiona, "POST", url("cctv-request-sign", body["id"]), {"confirm": True})
    assert early.status_code == 400
    assert "CX-3" in early.json()["confirm"][0] and "Carol Patel" in early.json()["confirm"][0]
    # A carer reads the children's first names only, and signs the report as read.
    read = send(carol, "GET", path).json()["latest_report"]
    assert read["children"] == [{"id": world.child_own.pk, "name": "Xavier"}]
    assert read["your_capacity"] == "carer"
    signed = send(
        carol,
        "POST",
        url("cctv-request-sign", body["id"]),
        {"confirm": True, "content_hash": read["content_hash"]},
    )
    assert signed.status_code == 200, signed.content
    # Someone who sees the request but is not one of its signers may not act on it.
    assert send(client_for(world.frank), "POST", url("cctv-request-sign", body["id"]), {}).status_code == 404
    assert send(sam, "POST", url("cctv-request-sign", body["id"]), {"confirm": True}).status_code == 200
    last = send(fiona, "POST", url("cctv-request-sign", body["id"]), {"confirm": True})
    assert last.status_code == 200 and last.json()["status"] == "awaiting_decision"
    assert all(step["done"] for step in last.json()["latest_report"]["signing_steps"])

    # CX-4: no decision until every child's social worker has answered.
    blocked = send(helen, "POST", url("cctv-request-decide", body["id"]), {"agreed": True})
    assert blocked.status_code == 400 and "CX-4" in blocked.json()["agreed"][0]
    answered = send(
        chris,
        "POST",
        url("cctv-request-consent", body["id"]),
        {"child": world.child_own.pk, "agrees": True, "comments": "Proportionate"},
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["latest_report"]["consents"][0]["comments"] == "Proportionate"
    assert (
        send(client_for(world.harry), "POST", url("cctv-request-decide", body["id"]), {}).status_code == 404
    )
    decided = send(
        helen,
        "POST",
        url("cctv-request-decide", body["id"]),
        {"agreed": True, "comments": "Proportionate to the threat", "conditions": "Deleted within 24 hours"},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "agreed"
    decision = decided.json()["latest_report"]["decision"]
    assert decision["agreed"] is True and decision["conditions"] == "Deleted within 24 hours"
    # CX-3: the exception covers the camera; what is left is to record (DV-11), not to agree.
    covered = decided.json()["cameras"][0]["verdict"]
    assert covered["level"] == "action_needed" and "DV-4" not in covered["rule_ids"]

    # CX-5: the carers read the decision; the CSW's comments are not theirs to read.
    as_carer = send(carol, "GET", path).json()["latest_report"]
    assert as_carer["decision"]["agreed"] is True and as_carer["consents"][0]["comments"] is None
    assert send(client_for(world.oscar), "GET", path).status_code == 404

    # CX-6: reopened, the camera needs a new decision; the next round keeps the first one's.
    reopened = send(
        sam, "POST", url("cctv-request-reopen", body["id"]), {"reason": "A second camera is wanted"}
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"
    assert "CX-6" in reopened.json()["cameras"][0]["verdict"]["rule_ids"]
    assert update(sam, path, {"camera_positions": "Still one camera, in the hallway"}).status_code == 200
    again = send(sam, "POST", url("cctv-request-submit", body["id"]))
    assert again.status_code == 200, again.content
    assert again.json()["latest_report"]["number"] == 2
    assert again.json()["latest_report"]["decision"] is None
    assert [(r["number"], r["decision"]["agreed"]) for r in again.json()["earlier_reports"]] == [(1, True)]


def test_cx_a_request_patch_needs_if_match_and_a_stale_one_answers_412(world: World, client_for) -> None:
    CctvRequest.objects.filter(pk=world.cctv_request_own.pk).update(status=RequestStatus.DRAFT)
    sam = client_for(world.sam)
    path = url("cctv-request-detail", world.cctv_request_own.pk)
    assert send(sam, "PATCH", path, {"evidence": "None"}).status_code == 428
    etag = send(sam, "GET", path).headers["ETag"]
    services_cctv.request_update(
        actor=world.fiona, request=world.cctv_request_own, version=None, evidence="Kept"
    )
    assert send(sam, "PATCH", path, {"evidence": "None"}, HTTP_IF_MATCH=etag).status_code == 412
    # CX-2: only cameras in communal areas can be asked for; others' cameras are no choice at all.
    bedroom = _camera(world.household_own, world.sam, room="Main bedroom")
    Device.objects.filter(pk=bedroom.pk).update(room_kind=RoomKind.OTHER_BEDROOM)
    refused = update(sam, path, {"devices": [bedroom.pk]})
    assert refused.status_code == 400 and "CX-2" in refused.json()["devices"][0]
    foreign = update(sam, path, {"devices": [world.device_other.pk]})
    assert foreign.status_code == 400 and "devices" in foreign.json()


def test_cx_revise_and_withdraw(world: World, client_for) -> None:
    sam = client_for(world.sam)
    pk = world.cctv_request_own.pk
    assert send(client_for(world.carol), "POST", url("cctv-request-revise", pk)).status_code == 404
    revised = send(sam, "POST", url("cctv-request-revise", pk))
    assert revised.status_code == 200 and revised.json()["status"] == "draft"
    # The submitted round keeps its place in the history.
    assert revised.json()["latest_report"]["number"] == 1
    withdrawn = send(sam, "POST", url("cctv-request-withdraw", pk))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = send(sam, "POST", url("cctv-request-withdraw", pk))
    assert again.status_code == 400


def test_cx_the_request_list_is_scoped(world: World, client_for) -> None:
    path = url("cctv-request-list")
    own, other = world.cctv_request_own.pk, world.cctv_request_other.pk
    assert _ids(send(client_for(world.carol), "GET", path)) == {own}
    assert _ids(send(client_for(world.oscar), "GET", path)) == {other}
    assert _ids(send(client_for(world.helen), "GET", path, {"household": world.household_own.pk})) == {own}
    assert _ids(send(client_for(world.olga), "GET", path)) == {world.cctv_request_south.pk}
    assert send(client_for(world.olga), "GET", url("cctv-request-detail", own)).status_code == 404


# The verdicts of a page -------------------------------------------------------------------------


def test_assess_gives_each_device_the_verdict_and_flags_of_its_households_register(world: World) -> None:
    _agree(world.cctv_request_own, world.helen)
    # A new SCFA version in force describes the lounge camera (a version is written with the
    # register as it stands); Xavier's agreement is not in force yet.
    from safecare.agreements.services import version_create, version_sign
    from tests.agreements.world import sections

    version = version_create(
        actor=world.sam,
        household=world.household_own,
        sections=sections(),
        participants=world.household_own.members.all(),
        based_on=world.agreement_version_own.number,
    )
    version_sign(actor=world.carol, version=version, confirmed=True)
    version_sign(actor=world.sam, version=version, confirmed=True)
    _camera(world.household_own, world.carol, room="Hallway")
    today = timezone.localdate()
    devices = list(
        Device.objects.filter(service=world.service).select_related(
            "household__service", "monitored_child", "monitored_member"
        )
    )
    found = assess(devices, today=today)
    expected = {
        row.device.pk: (row.verdict, row.not_in)
        for household in (world.household_own, world.household_other)
        for row in selectors.register(household, today=today)
    }
    assert {pk: (a.verdict, a.not_in) for pk, a in found.items()} == expected
    # The agreed exception covers the lounge camera (CX-3) and not the hallway's (DV-4).
    lounge = found[world.device_own.pk]
    assert "DV-4" not in lounge.verdict.rule_ids
    assert lounge.not_in == ("Xavier Smith's child-specific agreement",)


def _household_with_cameras(world: World, cameras: int) -> None:
    household = HouseholdFactory(service=world.service, team=world.fostering_team)
    child = ChildFactory(service=world.service)
    PlacementFactory(child=child, household=household, start_on=timezone.localdate() - dt.timedelta(days=10))
    devices = [_camera(household, world.frank, room=f"Room {n}") for n in range(cameras)]
    today = timezone.localdate()
    request = CctvRequest.objects.create(
        service=world.service,
        household=household,
        status=RequestStatus.SIGNING,
        period_start=today,
        period_end=today + dt.timedelta(days=90),
        created_by=world.frank,
    )
    request.devices.set(devices)
    report = CctvReport.objects.create(
        request=request,
        service=world.service,
        number=1,
        content={},
        period_start=today,
        period_end=today + dt.timedelta(days=90),
        submitted_by=world.frank,
    )
    report.children.set([child])
    report.devices.set(devices)
    _agree(request, world.helen)


def _queries(client: Client, name: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = send(client, "GET", url(name))
    assert response.status_code == 200, response.content
    return response.json()["count"], len(queries)


@pytest.mark.parametrize(
    ("name", "username", "expected"),
    [
        # The agreed exceptions are read with the devices and children each covers, in one query,
        # and the placements with the members' arrivals in another.
        ("device-list", "frank", 9),
        # A service manager is told "another child" for a child they may not open: the children
        # of every household of the page are looked up together, not household by household.
        ("device-list", "sue", 10),
        ("cctv-request-list", "frank", 7),
    ],
)
def test_a_list_costs_the_same_queries_for_several_households_and_devices_as_for_one(
    world: World, client_for, django_assert_num_queries, name: str, username: str, expected: int
) -> None:
    # An agreed exception from the start, so the grants' queries are in both counts.
    _agree(world.cctv_request_own, world.helen)
    client = client_for(world.users[username])
    send(client, "GET", url(name))  # the session's first touch writes to it once: not per row
    few, queries = _queries(client, name)
    assert queries == expected

    for _ in range(3):
        _household_with_cameras(world, cameras=3)

    with django_assert_num_queries(queries):
        response = send(client, "GET", url(name))
    assert response.json()["count"] == few + (9 if name == "device-list" else 3)


def test_a_carers_device_list_costs_the_same_queries_for_any_number_of_devices(
    world: World, client_for, django_assert_num_queries
) -> None:
    client = client_for(world.carol)
    send(client, "GET", url("device-list"))
    _, queries = _queries(client, "device-list")
    for n in range(5):
        _camera(world.household_own, world.carol, room=f"Room {n}")
    with django_assert_num_queries(queries):
        response = send(client, "GET", url("device-list"))
    assert response.json()["count"] == 6


# Partial updates, walked like tests/api/test_access_table.py ------------------------------------


def _patch(client: Client, path: str) -> int:
    with transaction.atomic():
        etag = client.get(path).headers.get("ETag", '"0"')
        response = client.patch(path, data="{}", content_type="application/json", HTTP_IF_MATCH=etag)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize(
    ("name", "own", "other", "allowed", "allowed_other"),
    [
        ("device-detail", "device_own", "device_other", READERS & DECLARERS, READERS_OTHER & DECLARERS),
        # A request is changed while it is a draft (CX-1).
        (
            "cctv-request-detail",
            "cctv_request_own",
            "cctv_request_other",
            READERS & WORKERS,
            READERS_OTHER & WORKERS,
        ),
    ],
)
def test_a_partial_update_answers_only_whom_the_table_allows(
    world: World, name: str, own: str, other: str, allowed: set[str], allowed_other: set[str]
) -> None:
    CctvRequest.objects.all().update(status=RequestStatus.DRAFT)
    own_path = url(name, getattr(world, own).pk)
    other_path = url(name, getattr(world, other).pk)
    south_path = url(name, getattr(world, own.replace("_own", "_south")).pk)
    assert _patch(Client(), own_path) == 403
    failures = []
    for username in sorted(EVERYONE):
        client = sign_in(Client(), world.users[username])
        checks = [(own_path, username in allowed), (other_path, username in allowed_other)]
        if username != "olga":
            checks.append((south_path, False))
        for path, may in checks:
            code = _patch(client, path)
            if (may and code != 200) or (not may and code != 404):
                failures.append(f"{username} PATCH {path}: {code}")
    assert not failures, "\n".join(failures)


def test_dv4_the_api_refuses_a_request_for_a_household_not_yet_approved(world: World, client_for) -> None:
    refused = send(
        client_for(world.asha),
        "POST",
        url("cctv-request-list"),
        {"household": world.household_applicant.pk, **SECTIONS},
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["household"][0].startswith(
        "Household: DV-4 an exception for CCTV inside the home is for approved foster carers only"
    )
    assert not CctvRequest.objects.filter(household=world.household_applicant).exists()
