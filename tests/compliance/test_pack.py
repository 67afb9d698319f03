"""Inspection packs: asking for one, the build in the job runner, the PDF, its download and expiry.

The PDF is read back with pypdf and checked against the small world of test_pack_sections
(1 April 2027; period 1 January to 31 March 2027), whose figures were worked out by hand:

- SC-3: two fell due (1 March, open and overdue; 5 March, done 8 March: 3 days late):
  due 2, on time 0, late 1, median and worst 3 days, open 1, overdue 1, cancelled 0;
- DV-2 (20 March) and DV-3 (10 February): each open and overdue: DV total due 2, open 2, overdue 2;
- all: due 4, on time 0, late 1, median and worst 3, open 3, overdue 3, cancelled 0;
- by month: February 2027 due 1 (open, overdue); March 2027 due 3 (1 late, 2 open and overdue).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from safecare.compliance import services_pack as packs
from safecare.compliance.models import InspectionPack, PackStatus
from safecare.core.jobs import run_due_jobs
from safecare.core.models import AccessLog
from safecare.files import storage

from .test_pack_sections import built_on_1_december, small_world

clock_fixture = pytest.fixture(name="clock")(built_on_1_december)

pytestmark = pytest.mark.django_db

PACKS = reverse("compliance:packs")
DASH = "\u2013"  # the figures' mark for "no days late"


def _dates(start: dt.date, end: dt.date) -> dict[str, str]:
    return {
        "start_day": str(start.day),
        "start_month": str(start.month),
        "start_year": str(start.year),
        "end_day": str(end.day),
        "end_month": str(end.month),
        "end_year": str(end.year),
    }


def _ask(world: Any, **kwargs: Any) -> InspectionPack:
    actor = kwargs.pop("actor", world.frank)
    values = {
        "start": dt.date(2027, 1, 1),
        "end": dt.date(2027, 3, 31),
        "purpose": "Ofsted inspection",
        **kwargs,
    }
    return packs.request_pack(actor=actor, **values)


def _build(capture: Any) -> None:
    with capture(execute=True):
        run_due_jobs()


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


# Asking ---------------------------------------------------------------------------------------


def test_the_page_offers_the_last_twelve_months_and_the_purposes(world: Any, client_for: Any) -> None:
    page = client_for(world.frank).get(PACKS)
    assert page.status_code == 200
    text = page.content.decode()
    day = timezone.localdate()
    year_ago = day.replace(year=day.year - 1) + dt.timedelta(days=1)
    assert f'name="end_year" value="{day.year}"' in text and f'name="end_day" value="{day.day}"' in text
    assert f'name="start_day" value="{year_ago.day}"' in text
    assert "Ofsted inspection" in text and "Regulation 35 review" in text and "Something else" in text


def test_a_period_ending_after_today_is_refused_naming_the_field_and_nothing_typed_is_lost(
    world: Any, client_for: Any
) -> None:
    day = timezone.localdate()
    tomorrow = day + dt.timedelta(days=1)
    page = client_for(world.frank).post(
        PACKS,
        {**_dates(day - dt.timedelta(days=30), tomorrow), "purpose": "other", "other": "Annual audit"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and "the period must end today or before" in text
    assert 'href="#id_end_day"' in text
    assert f'name="end_day" value="{tomorrow.day}"' in text and 'value="Annual audit"' in text
    assert not InspectionPack.objects.exists()


def test_a_start_after_the_end_is_refused_naming_from(world: Any, client_for: Any) -> None:
    day = timezone.localdate()
    page = client_for(world.frank).post(
        PACKS, {**_dates(day - dt.timedelta(days=1), day - dt.timedelta(days=2)), "purpose": "ofsted"}
    )
    text = page.content.decode()
    assert "the period must start on or before the day it ends" in text and 'href="#id_start_day"' in text
    assert not InspectionPack.objects.exists()


def test_something_else_needs_saying_what(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        packs.request_pack(
            actor=world.frank, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), purpose="  "
        )
    assert "purpose" in refused.value.message_dict


def test_only_the_service_wide_readers_may_ask(world: Any) -> None:
    for user in (world.fiona, world.sam, world.carol, world.sue):
        with pytest.raises(ValidationError):
            _ask(world, actor=user)
    assert not InspectionPack.objects.exists()


# Building ---------------------------------------------------------------------------------------


def test_the_pdf_holds_the_figures_and_every_sections_rows(
    clock: Any, world: Any, client_for: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    made = small_world(world, clock)
    client = client_for(world.frank)
    response = client.post(
        PACKS, {**_dates(dt.date(2027, 1, 1), dt.date(2027, 3, 31)), "purpose": "regulation_35"}
    )
    pack = InspectionPack.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("compliance:pack", args=[pack.pk])
    assert (pack.status, pack.progress, pack.purpose) == (PackStatus.QUEUED, 0, "Regulation 35 review")
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "0% built" in page

    seen: list[tuple[str, int]] = []
    real = packs._progress

    def watch(pack_id: int, percent: int, step: str) -> None:
        real(pack_id, percent, step)
        row = InspectionPack.objects.get(pk=pack_id)
        seen.append((row.status, row.progress))

    monkeypatch.setattr(packs, "_progress", watch)
    _build(django_capture_on_commit_callbacks)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY and pack.progress == 100 and pack.file is not None
    assert {status for status, _ in seen} == {PackStatus.BUILDING}
    percents = [p for _, p in seen]
    assert percents == sorted(percents) and percents[0] < 30 and percents[-1] >= 90
    assert pack.built_at is not None and pack.expires_at == pack.built_at + dt.timedelta(days=14)

    page = client.get(reverse("compliance:pack", args=[pack.pk])).content.decode()
    assert "http-equiv" not in page and reverse("compliance:pack_download", args=[pack.pk]) in page
    csv_link = (
        f"{reverse('compliance:figures_csv')}?from_day=1&amp;from_month=1&amp;from_year=2027"
        "&amp;to_day=31&amp;to_month=3&amp;to_year=2027"
    )
    assert csv_link in page
    csv = client.get(csv_link.replace("&amp;", "&"))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")

    pdf = storage.read(pack.file)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    # The cover.
    assert "North Fostering" in text and "1 January 2027 to 31 March 2027" in text
    assert "Regulation 35 review" in text and "Built on 1 April 2027" in text
    assert "Asked for by Frank Fisher (Fostering manager)" in text
    assert "OFFICIAL-SENSITIVE" in text and re.search(r"Page 1 of \d+", text)
    # The figures: per rule, per policy, in all, and by month.
    assert "SC total 2 0 1 3 3 1 1 0" in text
    assert f"DV total 2 0 0 {DASH} {DASH} 2 2 0" in text
    assert "Total 4 0 1 3 3 3 3 0" in text
    assert "February 2027 1 0 0 1 1 0" in text and "March 2027 3 0 1 2 2 0" in text
    # Households with overdue duties: by name and reference, their SSW, how many, the oldest.
    own, other = world.household_own, world.household_other
    assert f"Patel household ({own.reference}) Sam Singh 2 1 March 2027" in text
    assert f"Jones household ({other.reference}) None allocated 1 10 February 2027" in text
    # Devices not allowed today.
    assert f"{made['bathroom'].reference} CCTV camera Upstairs bathroom Prohibited DV-3" in text
    assert (
        f"{made['jones'].reference} Internal security camera Jones lounge Needs an approved exception DV-4"
        in text
    )
    assert (
        made["lounge"].reference + " Internal"
        not in text.split("CCTV exceptions in force")[0].split("Devices not allowed today")[-1]
    )
    assert made["doorbell"].reference not in text
    # CCTV exceptions in force, and when they end.
    assert f"{made['in_force'].reference}, agreed 1 January 2027 1 January 2027 30 June 2027" in text
    assert made["ended"].reference not in text
    # Open standards of care processes and their stage.
    assert f"{made['visit_due'].reference} 10 March 2027" in text and "Visit due" in text
    assert f"{made['unrouted'].reference} 25 March 2027 Not decided yet Route to decide" in text
    assert made["closed"].reference not in text
    # Internet-monitoring agreements in force and their next review.
    assert (
        f"{made['xavier'].reference} Xavier Smith 15 February 2027 15 August 2027 None yet 15 March 2027"
        in text
    )
    assert (
        f"{made['yasmin'].reference} Yasmin Brown 10 January 2027 10 July 2027 10 February 2027 10 May 2027"
        in text
    )
    assert made["stopped"].reference not in text
    # Changes to the settings in the period: who, what, old and new; not the one before it.
    assert "15 February 2027 14:30 Helen Hughes Settings changed" in text
    assert "Safe Caring Family Agreement review interval (months) 12 6" in text
    assert "Who decides a CCTV exception Head of fostering Head of service" in text
    assert "1 March 2027 09:15 Helen Hughes Closure day added 28 May 2027 Staff training" in text
    assert "Smart speakers allowed" not in text


def test_every_section_says_when_it_has_nothing(
    clock: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.move_to(dt.datetime(2027, 4, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    from safecare.core.models import Task, TaskStatus
    from safecare.devices.models import CctvRequest, Device, DeviceStatus, RequestStatus

    Task.objects.filter(service=world.service).update(
        status=TaskStatus.CANCELLED, completed_at=timezone.now()
    )
    Device.objects.filter(service=world.service).update(status=DeviceStatus.REMOVED)
    CctvRequest.objects.filter(service=world.service).update(status=RequestStatus.WITHDRAWN)
    pack = _ask(world, start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31))
    _build(django_capture_on_commit_callbacks)
    pack.refresh_from_db()
    assert pack.file is not None
    text = _text(storage.read(pack.file))
    assert "No duty fell due between 1 January 2027 and 31 March 2027." in text
    assert text.count("None on 1 April 2027.") == 5
    assert "None between 1 January 2027 and 31 March 2027." in text


def test_a_pack_being_built_is_not_taken_twice(world: Any) -> None:
    pack = _ask(world, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert packs.claim(pack.pk) is True
    assert packs.claim(pack.pk) is False
    assert InspectionPack.objects.get(pk=pack.pk).status == PackStatus.BUILDING


def test_a_failed_build_says_so_to_staff_without_the_details_and_offers_try_again(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("secret stack detail")

    monkeypatch.setattr(packs, "render_pdf", broken)
    pack = _ask(world, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    _build(django_capture_on_commit_callbacks)
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED and pack.file is None
    assert "secret stack detail" not in pack.error and "Traceback" not in pack.error
    client = client_for(world.frank)
    page = client.get(reverse("compliance:pack", args=[pack.pk])).content.decode()
    assert "could not be built" in page and "Try again" in page and "secret stack detail" not in page
    assert client.get(reverse("compliance:pack_download", args=[pack.pk])).status_code == 404
    monkeypatch.undo()
    assert client.post(reverse("compliance:pack", args=[pack.pk])).status_code == 302
    assert InspectionPack.objects.get(pk=pack.pk).status == PackStatus.QUEUED
    _build(django_capture_on_commit_callbacks)
    assert InspectionPack.objects.get(pk=pack.pk).status == PackStatus.READY


# Download and expiry ------------------------------------------------------------------------------


def _ready(world: Any, capture: Any) -> InspectionPack:
    pack = _ask(world, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    _build(capture)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
    return pack


def test_the_download_is_a_pdf_served_no_store_and_logged(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pack = _ready(world, django_capture_on_commit_callbacks)
    url = reverse("compliance:pack_download", args=[pack.pk])
    for name in ("frank", "helen", "harry"):
        before = AccessLog.objects.count()
        response = client_for(world.users[name]).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-") and "no-store" in response["Cache-Control"]
        assert f'filename="inspection-pack-{pack.reference}.pdf"' in response["Content-Disposition"]
        log = AccessLog.objects.order_by("-id").first()
        assert AccessLog.objects.count() == before + 1
        assert log is not None and (log.subject_type, log.subject_id, log.user_id) == (
            "inspectionpack",
            pack.pk,
            world.users[name].pk,
        )
    for name in ("fiona", "sam", "carol", "sue", "olga"):
        client = client_for(world.users[name])
        assert client.get(url).status_code == 404, name
        assert client.get(reverse("compliance:pack", args=[pack.pk])).status_code == 404, name
        assert client.get(PACKS).status_code == (200 if name == "olga" else 404), name


def test_another_services_pack_answers_404(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pack = _ask(world, actor=world.olga, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    _build(django_capture_on_commit_callbacks)
    client = client_for(world.frank)
    assert client.get(reverse("compliance:pack", args=[pack.pk])).status_code == 404
    assert client.get(reverse("compliance:pack_download", args=[pack.pk])).status_code == 404
    assert pack.reference not in client.get(PACKS).content.decode()


def test_expiry_after_the_services_days_erases_the_file(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.service.export_expiry_days = 7
    world.service.save(update_fields=["export_expiry_days"])
    pack = _ready(world, django_capture_on_commit_callbacks)
    assert pack.built_at is not None and pack.file is not None
    assert pack.expires_at == pack.built_at + dt.timedelta(days=7)
    assert packs.expire_packs(now=pack.built_at + dt.timedelta(days=6, hours=23)) == 0
    assert packs.expire_packs(now=pack.built_at + dt.timedelta(days=7)) == 1
    pack.refresh_from_db()
    assert pack.status == PackStatus.EXPIRED
    with pytest.raises(storage.FileUnavailable):
        storage.read(pack.file)
    client = client_for(world.frank)
    assert client.get(reverse("compliance:pack_download", args=[pack.pk])).status_code == 404
    page = client.get(reverse("compliance:pack", args=[pack.pk])).content.decode()
    assert "expired" in page and "Build the pack again" in page


def test_the_daily_job_erases_expired_packs(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from safecare.compliance.jobs import erase_expired_packs

    pack = _ready(world, django_capture_on_commit_callbacks)
    InspectionPack.objects.filter(pk=pack.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    erase_expired_packs(timezone.localdate())
    assert InspectionPack.objects.get(pk=pack.pk).status == PackStatus.EXPIRED


# The list's queries -------------------------------------------------------------------------------


def test_the_list_reads_the_same_few_queries_with_1_or_20_packs(world: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.frank)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PACKS).status_code == 200
        return len(queries)

    _ask(world, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    client.get(PACKS)  # the first page of a session also reads what signing in left
    one = count()
    for _ in range(19):
        _ask(world, actor=world.helen, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    twenty = count()
    assert one == twenty and twenty <= 10, (one, twenty)
