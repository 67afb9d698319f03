"""DP-1: the subject access pages: record a request, watch the export build, download it until
it expires, mark it sent (decision 0047)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.core.jobs import run_due_jobs
from safecare.core.models import AccessLog, TaskStatus
from safecare.files import services_export as exports
from safecare.files.models import ExportStatus, SubjectAccessRequest

pytestmark = pytest.mark.django_db


def _list_url(world: Any) -> str:
    return reverse("files:export_list", kwargs={"pk": world.household_own.pk})


def _date(day: dt.date) -> dict[str, str]:
    return {
        "received_on_day": str(day.day),
        "received_on_month": str(day.month),
        "received_on_year": str(day.year),
    }


def _record(world: Any) -> SubjectAccessRequest:
    return exports.request_record(
        actor=world.frank,
        household=world.household_own,
        member=world.carer_member,
        received_on=timezone.localdate(),
    )


def _build(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_due_jobs()


def test_dp1_a_manager_records_a_request_and_sees_the_export_building(world: Any, client_for: Any) -> None:
    client = client_for(world.frank)
    page = client.get(_list_url(world))
    assert page.status_code == 200
    assert "Carol Patel" in page.content.decode()
    today = timezone.localdate()
    response = client.post(_list_url(world), {"member": world.carer_member.pk, **_date(today)})
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "files:export_detail", kwargs={"pk": sar.pk}
    )
    detail = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in detail
    assert '<progress id="export-progress"' in detail and "0% built" in detail
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(status=ExportStatus.BUILDING, progress=45)
    detail = client.get(response["Location"]).content.decode()
    assert "45% built" in detail and 'value="45"' in detail
    status = client.get(reverse("files:export_status", kwargs={"pk": sar.pk}))
    assert status.json() == {"status": "building", "progress": 45, "ready": False}
    assert status["Cache-Control"] == "no-store"


def test_dp1_a_date_in_the_future_is_refused_on_the_form_and_nothing_typed_is_lost(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.frank)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = client.post(_list_url(world), {"member": world.carer_member.pk, **_date(tomorrow)})
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be in the future" in text and f'value="{tomorrow.year}"' in text
    assert not SubjectAccessRequest.objects.exists()


def test_dp1_a_ready_export_is_downloaded_no_store_and_logged_then_marked_sent(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sar = _record(world)
    _build(django_capture_on_commit_callbacks)
    client = client_for(world.frank)
    detail_url = reverse("files:export_detail", kwargs={"pk": sar.pk})
    detail = client.get(detail_url).content.decode()
    download_url = reverse("files:export_download", kwargs={"pk": sar.pk})
    assert download_url in detail and "http-equiv" not in detail
    before = AccessLog.objects.count()
    response = client.get(download_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert f'filename="subject-access-{sar.pk}.zip"' in response["Content-Disposition"]
    assert "index.pdf" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    log = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert log is not None and (log.subject_type, log.subject_id, log.user_id) == (
        "subjectaccessrequest",
        sar.pk,
        world.frank.pk,
    )
    response = client.post(reverse("files:export_sent", kwargs={"pk": sar.pk}))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.sent_by == world.frank and sar.task is not None and sar.task.status == TaskStatus.DONE
    assert "The request is answered." in client.get(detail_url).content.decode()


def test_dp1_after_expiry_the_page_says_so_and_offers_to_build_again(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sar = _record(world)
    _build(django_capture_on_commit_callbacks)
    sar.refresh_from_db()
    assert sar.built_at is not None
    client = client_for(world.frank)
    assert exports.expire_exports(now=sar.built_at + dt.timedelta(days=15)) == 1
    page = client.get(reverse("files:export_detail", kwargs={"pk": sar.pk})).content.decode()
    assert "expired" in page and "Build the export again" in page
    assert client.get(reverse("files:export_download", kwargs={"pk": sar.pk})).status_code == 404
    response = client.post(reverse("files:export_retry", kwargs={"pk": sar.pk}))
    assert response.status_code == 302
    assert SubjectAccessRequest.objects.get(pk=sar.pk).status == ExportStatus.QUEUED


def test_dp1_a_failed_export_offers_try_again(world: Any, client_for: Any) -> None:
    sar = _record(world)
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(status=ExportStatus.FAILED, error="boom")
    page = client_for(world.frank).get(reverse("files:export_detail", kwargs={"pk": sar.pk})).content.decode()
    assert "could not be built" in page and "Try again" in page and "boom" not in page


def test_dp1_the_list_reads_a_constant_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.frank)
    _record(world)
    with django_assert_max_num_queries(40) as few:
        client.get(_list_url(world))
    for _ in range(5):
        _record(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_list_url(world))


def test_dp1_other_staff_and_carers_get_404(world: Any, client_for: Any) -> None:
    sar = _record(world)
    for user in (world.carol, world.chris, world.sam, world.sue, world.olga):
        client = client_for(user)
        assert client.get(_list_url(world)).status_code == 404
        assert client.get(reverse("files:export_detail", kwargs={"pk": sar.pk})).status_code == 404
        assert client.get(reverse("files:export_download", kwargs={"pk": sar.pk})).status_code == 404
