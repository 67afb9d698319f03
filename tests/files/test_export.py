"""DP-1: a carer's subject access export (UK GDPR arts. 12(3) and 15; decision 0047).

- Recording the request opens the duty to answer it one calendar month from receipt
  (received 31 January 2027: due 28 February 2027; received 15 March 2027: due 15 April 2027),
  owned by the person who recorded it, and schedules the build.
- The build (job runner) writes one ZIP: index.pdf, data.json and the household's files,
  stored encrypted; it expires after the service's export_expiry_days (14 by default).
- Third parties' details are withheld as decision 0047 says; staff are named.
- The duty closes only when the export is marked as sent to the carer.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from safecare.core.jobs import run_due_jobs
from safecare.core.models import Notification, ScheduledJob, TaskStatus
from safecare.files import services_export as exports
from safecare.files import storage
from safecare.files.duties import SUBJECT_ACCESS
from safecare.files.models import ExportStatus, Photo, SubjectAccessRequest
from safecare.households.models import MemberKind
from safecare.standards.models import Concern, RaisedBy
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PHOTO = b"\xff\xd8 the photo's bytes \xff\xd9"


def test_dp1_the_answer_is_due_one_calendar_month_from_receipt() -> None:
    assert exports.due_on(dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert exports.due_on(dt.date(2027, 3, 15)) == dt.date(2027, 4, 15)
    assert exports.due_on(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)


def _record(world: Any, received_on: dt.date | None = None, actor: Any = None) -> SubjectAccessRequest:
    return exports.request_record(
        actor=actor or world.frank,
        household=world.household_own,
        member=world.carer_member,
        received_on=received_on or timezone.localdate(),
    )


def _build(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_due_jobs()


def test_dp1_recording_a_request_opens_the_duty_and_schedules_the_build(world: Any) -> None:
    with time_machine.travel(dt.datetime(2027, 2, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        sar = _record(world, received_on=dt.date(2027, 1, 31))
    assert sar.status == ExportStatus.QUEUED and sar.progress == 0
    task = sar.task
    assert task is not None
    assert (task.kind, task.rule_id, task.due_on, task.owner) == (
        SUBJECT_ACCESS,
        "DP-1",
        dt.date(2027, 2, 28),
        world.frank,
    )
    assert task.household == world.household_own and task.status == TaskStatus.OPEN
    job = ScheduledJob.objects.get(kind=exports.BUILD_JOB)
    assert job.payload == {"request": sar.pk}


def test_dp1_a_request_is_refused_with_a_future_date_or_someone_not_a_carer(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(world, received_on=timezone.localdate() + dt.timedelta(days=1))
    assert "received_on" in refused.value.message_dict
    child_member = MemberFactory(household=world.household_own, kind=MemberKind.CARERS_CHILD)
    with pytest.raises(ValidationError) as refused:
        exports.request_record(
            actor=world.frank,
            household=world.household_own,
            member=child_member,
            received_on=timezone.localdate(),
        )
    assert "member" in refused.value.message_dict
    with pytest.raises(ValidationError):
        exports.request_record(
            actor=world.frank,
            household=world.household_own,
            member=world.member_other,
            received_on=timezone.localdate(),
        )
    # Only the managers who see every household.
    for user in (world.sam, world.fiona, world.sue, world.carol):
        with pytest.raises(ValidationError):
            _record(world, actor=user)
    assert not SubjectAccessRequest.objects.exists()


def _photo(world: Any) -> Photo:
    stored = storage.store(service=world.service, data=PHOTO, content_type="image/jpeg", actor=world.carol)
    return Photo.objects.create(
        service=world.service,
        child=world.child_own,
        household=world.household_own,
        file=stored,
        width=10,
        height=10,
        caption="At the beach",
        uploaded_by=world.carol,
        rules_confirmed_at=timezone.now(),
    )


def _concerns(world: Any) -> None:
    named = Concern.objects.create(
        service=world.service,
        household=world.household_own,
        raised_by_kind=RaisedBy.NAMED,
        raised_by="Mrs Nora Neighbour",
        received_on=timezone.localdate(),
        details="Shouting heard late at night.",
        recorded_by=world.sam,
    )
    named.children.set([world.child_own, world.child_other])
    Concern.objects.create(
        service=world.service,
        household=world.household_own,
        raised_by_kind=RaisedBy.ROLE,
        raised_by="The school",
        received_on=timezone.localdate(),
        details="Late twice this week.",
        recorded_by=world.sam,
    )


def _zip(sar: SubjectAccessRequest) -> zipfile.ZipFile:
    assert sar.file is not None
    return zipfile.ZipFile(io.BytesIO(storage.read(sar.file)))


def test_dp1_the_build_writes_one_encrypted_zip_and_tells_the_recorder(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo = _photo(world)
    sar = _record(world)
    _build(django_capture_on_commit_callbacks)
    sar.refresh_from_db()
    assert sar.status == ExportStatus.READY and sar.progress == 100
    assert sar.built_at is not None and sar.expires_at == sar.built_at + dt.timedelta(days=14)
    assert sar.file is not None and sar.file.content_type == "application/zip"
    # Encrypted at rest: the stored blob is not a ZIP.
    with storage.file_storage().open(sar.file.name, "rb") as handle:
        assert not handle.read().startswith(b"PK")
    archive = _zip(sar)
    names = set(archive.namelist())
    assert {"index.pdf", "data.json", f"files/photos/photo-{photo.pk}.jpg"} <= names
    assert archive.read(f"files/photos/photo-{photo.pk}.jpg") == PHOTO
    assert archive.read("index.pdf").startswith(b"%PDF")
    data = json.loads(archive.read("data.json"))
    assert data["records"]["households"]["household"][0]["id"] == world.household_own.pk
    assert data["records"]["files"]["photos"][0]["caption"] == "At the beach"
    assert data["records"]["files"]["photos"][0]["uploaded_at"].startswith(str(timezone.localdate().year))
    # The recorder is told; the duty stays open until the export is given.
    alert = Notification.objects.get(kind="export_ready")
    assert alert.recipient == world.frank and "Carol" not in alert.subject
    assert sar.task is not None
    sar.task.refresh_from_db()
    assert sar.task.status == TaskStatus.OPEN


def test_dp1_the_progress_is_committed_step_by_step(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    original = exports._progress

    def record(request_id: int, percent: int) -> None:
        original(request_id, percent)
        seen.append(SubjectAccessRequest.objects.get(pk=request_id).progress)

    monkeypatch.setattr(exports, "_progress", record)
    sar = _record(world)
    assert exports.claim(sar.pk)
    exports.build(sar.pk)
    assert len(seen) >= 5 and seen == sorted(seen) and seen[-1] < 100
    sar.refresh_from_db()
    assert sar.progress == 100


def test_dp1_third_parties_are_withheld_and_staff_and_placed_children_named(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Decision 0047: DPA 2018 Sch. 2 Part 3 para 16."""
    _concerns(world)
    partner = MemberFactory(
        household=world.household_own, kind=MemberKind.CARER, first_name="Raj", last_name="Patel"
    )
    sar = _record(world)
    _build(django_capture_on_commit_callbacks)
    sar.refresh_from_db()
    text = _zip(sar).read("data.json").decode()
    data = json.loads(text)
    # The name of the person who raised a concern is withheld; a role is not a name.
    assert "Nora Neighbour" not in text
    concerns = {c["details"]: c for c in data["records"]["standards"]["concerns"]}
    assert concerns["Shouting heard late at night."]["raised_by"] == exports.WITHHELD_RAISER
    assert concerns["Late twice this week."]["raised_by"] == "The school"
    # A child placed with the household is named; another child is not.
    assert sorted(concerns["Shouting heard late at night."]["children"]) == sorted(
        ["Xavier Smith", exports.WITHHELD_CHILD]
    )
    assert "Yasmin" not in text
    # Staff acting in their role are named.
    assert "Sam" in concerns["Late twice this week."]["recorded_by"]
    # The other carer: named as a member of the household, their date of birth withheld.
    members = {m["id"]: m for m in data["records"]["households"]["members"]}
    assert members[partner.pk]["date_of_birth"] == exports.WITHHELD
    assert members[world.carer_member.pk]["date_of_birth"] == world.carer_member.date_of_birth.isoformat()
    assert data["withheld"]["children not placed with the household"] == 1


def test_dp1_the_duty_closes_only_when_the_export_is_sent(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sar = _record(world)
    with pytest.raises(ValidationError):
        exports.mark_sent(actor=world.frank, sar=sar)  # not built yet
    _build(django_capture_on_commit_callbacks)
    sar.refresh_from_db()
    assert sar.task is not None and sar.task.status == TaskStatus.OPEN
    exports.mark_sent(actor=world.helen, sar=sar)
    sar.refresh_from_db()
    assert (sar.sent_by, sar.sent_at is not None) == (world.helen, True)
    assert sar.task is not None
    sar.task.refresh_from_db()
    assert sar.task.status == TaskStatus.DONE and sar.task.completed_by == world.helen


def test_dp1_a_failed_build_keeps_the_error_and_can_be_tried_again(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(exports, "gather_and_zip", broken)
    sar = _record(world)
    _build(django_capture_on_commit_callbacks)
    sar.refresh_from_db()
    assert sar.status == ExportStatus.FAILED and "the disk is full" in sar.error
    monkeypatch.undo()
    exports.retry(actor=world.frank, sar=sar)
    _build(django_capture_on_commit_callbacks)
    sar.refresh_from_db()
    assert sar.status == ExportStatus.READY and sar.error == ""


def test_dp1_an_export_is_erased_when_it_expires(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    sar = _record(world)
    _build(django_capture_on_commit_callbacks)
    sar.refresh_from_db()
    assert sar.file is not None and sar.built_at is not None
    stored = sar.file
    with time_machine.travel(sar.built_at + dt.timedelta(days=13, hours=23), tick=False):
        assert exports.expire_exports() == 0
    with time_machine.travel(sar.built_at + dt.timedelta(days=14), tick=False):
        assert exports.expire_exports() == 1
    sar.refresh_from_db()
    stored.refresh_from_db()
    assert sar.status == ExportStatus.EXPIRED and stored.erased_at is not None
    with pytest.raises(storage.FileUnavailable):
        storage.read(stored)
    # And it can be built again.
    exports.retry(actor=world.frank, sar=sar)
    assert SubjectAccessRequest.objects.get(pk=sar.pk).status == ExportStatus.QUEUED


def test_dp1_through_the_api_a_request_is_recorded_and_read_without_its_file(
    world: Any, client_for: Any
) -> None:
    from tests.api.helpers import send

    frank = client_for(world.frank)
    body = {"household": world.household_own.pk, "member": world.carer_member.pk, "received_on": "2026-01-31"}
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        created = send(frank, "POST", "/api/v1/subject-access-requests/", body)
        assert created.status_code == 201, created.json()
        assert created.json()["due_on"] == "2026-02-28" and created.json()["status"] == "queued"
        assert "file" not in created.json()
        refused = send(
            frank, "POST", "/api/v1/subject-access-requests/", {**body, "member": world.member_other.pk}
        )
        assert refused.status_code == 400 and "member" in refused.json()
        listed = send(frank, "GET", "/api/v1/subject-access-requests/", {"household": world.household_own.pk})
        assert [r["id"] for r in listed.json()["results"]] == [created.json()["id"]]
        assert send(client_for(world.sam), "GET", "/api/v1/subject-access-requests/").json()["results"] == []
        assert (
            send(client_for(world.sam), "POST", "/api/v1/subject-access-requests/", body).status_code == 404
        )
