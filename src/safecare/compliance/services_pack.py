"""Inspection packs: asking for one, building it in the job runner, and erasing it after expiry.

- Who: the service-wide readers (compliance.make_pack: fostering managers, heads of fostering,
  heads of service), for their own service only.
- Asking records the pack (queued) and schedules its build (core.jobs); the period is two
  dates, the end on or before today and not before the start.
- The build runs in the job runner: the scheduled job takes the pack in its own transaction
  (a pack already taken is never taken twice) and, once that commits, hands the build to the
  queue, which commits its progress step by step so the pack's page shows how far it has got.
  It counts the figures (compliance.figures) over every duty of the service, reads each section
  (compliance.pack_sections), renders one PDF and stores it encrypted (files.storage). The PDF
  expires `export_expiry_days` after it was built; a daily job erases expired packs.
- A failure is kept on the pack as a sentence for staff (the details go to the log); "Try
  again" builds it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core import jobs
from safecare.core.audit import save_as
from safecare.core.models import Task, User
from safecare.core.notifications import notify
from safecare.core.pdf import render_pdf
from safecare.files import storage

from . import pack_sections as sections
from .figures import Period, Tallied, report
from .models import InspectionPack, PackStatus

logger = logging.getLogger("safecare.compliance.pack")

BUILD_JOB = "compliance_build_pack"
PURPOSES = {
    "ofsted": "Ofsted inspection",
    "regulation_35": "Regulation 35 review",
}
FAILED_MESSAGE = (
    "Something went wrong while the pack was being built. Try again; if it fails again, "
    "tell the system administrator the pack's reference."
)


def may_make_pack(user: User) -> bool:
    return bool(user.is_active and user.service_id is not None and user.has_perm("compliance.make_pack"))


def packs_visible_to(user: User) -> Any:
    """The service's packs, for those who may make them; none for anyone else."""
    if not may_make_pack(user):
        return InspectionPack.objects.none()
    return InspectionPack.objects.filter(service_id=user.service_id)


def request_pack(
    *, actor: User, start: dt.date | None, end: dt.date | None, purpose: str, today: dt.date | None = None
) -> InspectionPack:
    """Record a request for a pack of the actor's service for the period, and schedule its build."""
    if not may_make_pack(actor):
        raise ValidationError({"__all__": ["You cannot ask for an inspection pack."]})
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["start"] = ["From: enter the first day of the period the pack covers"]
    if end is None:
        errors["end"] = ["To: enter the last day of the period the pack covers"]
    elif end > today:
        errors["end"] = ["To: the period must end today or before"]
    if start is not None and end is not None and start > end and "end" not in errors:
        errors["start"] = ["From: the period must start on or before the day it ends"]
    purpose = " ".join(purpose.split())
    if not purpose:
        errors["purpose"] = ["Purpose: say what the pack is for, for example an Ofsted inspection"]
    elif len(purpose) > 200:
        errors["purpose"] = ["Purpose: use 200 characters or fewer"]
    if errors or start is None or end is None:
        raise ValidationError(errors)
    with transaction.atomic():
        pack = InspectionPack(
            service=actor.service,
            period_start=start,
            period_end=end,
            purpose=purpose,
            requested_by=actor,
            step="Waiting for the job runner",
        )
        save_as(pack, actor)
        _schedule(pack)
    return pack


def _schedule(pack: InspectionPack) -> None:
    attempt = uuid.uuid4().hex[:8]
    jobs.schedule(
        BUILD_JOB,
        f"compliance:pack:{pack.pk}:{attempt}",
        timezone.now(),
        service=pack.service,
        payload={"pack": pack.pk},
    )


def retry(*, actor: User, pack: InspectionPack) -> InspectionPack:
    """Build again a failed or expired pack, for the same period."""
    if not may_make_pack(actor) or pack.service_id != actor.service_id:
        raise ValidationError({"__all__": ["You cannot build this pack."]})
    if pack.status not in (PackStatus.FAILED, PackStatus.EXPIRED):
        raise ValidationError({"__all__": ["The pack is already built or being built."]})
    with transaction.atomic():
        pack.status = PackStatus.QUEUED
        pack.progress = 0
        pack.step = "Waiting for the job runner"
        pack.error = ""
        pack.file = None
        pack.built_at = None
        pack.expires_at = None
        save_as(pack, actor)
        _schedule(pack)
    return pack


# Building -----------------------------------------------------------------------------------


def claim(pack_id: int) -> bool:
    """The scheduled job: a queued pack is taken for building (in the job's transaction)."""
    pack = InspectionPack.objects.select_for_update().filter(pk=pack_id).first()
    if pack is None or pack.status != PackStatus.QUEUED:
        return False
    pack.status = PackStatus.BUILDING
    pack.progress = 0
    pack.step = "Starting"
    save_as(pack, None, update_fields=["status", "progress", "step"])
    return True


def _progress(pack_id: int, percent: int, step: str) -> None:
    """Committed at once, outside any transaction of the build, so the page sees it."""
    InspectionPack.objects.filter(pk=pack_id, status=PackStatus.BUILDING).update(
        progress=max(0, min(percent, 99)), step=step[:120]
    )


def build(pack_id: int) -> InspectionPack:
    """Build the PDF of a pack being built; on an error, the pack says it failed."""
    pack = InspectionPack.objects.select_related("service", "requested_by").get(pk=pack_id)
    if pack.status != PackStatus.BUILDING:
        return pack
    try:
        pdf = make_pdf(pack, progress=lambda p, s: _progress(pack_id, p, s))
        with transaction.atomic():
            pack = InspectionPack.objects.select_for_update().select_related("service").get(pk=pack_id)
            if pack.status != PackStatus.BUILDING:
                return pack
            stored = storage.store(
                service=pack.service,
                data=pdf,
                content_type="application/pdf",
                filename=f"inspection-pack-{pack.reference}.pdf",
                actor=None,
            )
            now = timezone.now()
            pack.file = stored
            pack.built_at = now
            pack.expires_at = now + dt.timedelta(days=pack.service.export_expiry_days)
            pack.status = PackStatus.READY
            pack.progress = 100
            pack.step = "Stored"
            pack.error = ""
            save_as(pack, None)
            notify(
                service=pack.service,
                recipients=[pack.requested_by],
                kind="inspection_pack_ready",
                subject="An inspection pack is ready",
                reference=pack.reference,
                url=reverse("compliance:pack", kwargs={"pk": pack.pk}),
                dedupe_key=f"inspection_pack_ready:{pack.pk}:{now.isoformat()}",
            )
        logger.info("inspection_pack_built pack=%s bytes=%s", pack.pk, len(pdf))
    except Exception:  # the pack keeps a sentence for staff; the details go to the log
        logger.exception("inspection_pack_failed pack=%s", pack_id)
        with transaction.atomic():
            pack = InspectionPack.objects.select_for_update().get(pk=pack_id)
            pack.status = PackStatus.FAILED
            pack.error = FAILED_MESSAGE
            pack.step = "Could not be built"
            save_as(pack, None)
    return pack


def gather(
    pack: InspectionPack, progress: Callable[[int, str], None] = lambda _p, _s: None
) -> dict[str, Any]:
    """Everything the PDF shows, counted now over the whole service."""
    service = pack.service
    today = timezone.localdate()
    period = Period(pack.period_start, pack.period_end)
    progress(5, "Counting the figures by policy")
    figures = report(Task.objects.filter(service=service), period, today=today, tallied=Tallied(service.pk))
    progress(30, "Listing the households with overdue duties")
    households = sections.overdue_households(service, today=today)
    progress(40, "Checking every device against the policy")
    devices = sections.devices_not_allowed(service, today=today)
    progress(50, "Listing the CCTV exceptions in force")
    cctv = sections.cctv_exceptions(service, today=today)
    progress(60, "Listing the open standards of care processes")
    concerns = sections.open_concerns(service)
    progress(70, "Listing the internet-monitoring agreements in force")
    agreements = sections.monitoring_agreements(service, today=today)
    progress(80, "Listing the changes to the service's settings")
    changes = sections.settings_changes(service, period)
    return {
        "service": service,
        "pack": pack,
        "period": period,
        "today": today,
        "built_at": timezone.now(),
        "report": figures,
        "households": households,
        "devices": devices,
        "cctv": cctv,
        "concerns": concerns,
        "agreements": agreements,
        "changes": changes,
    }


def make_pdf(pack: InspectionPack, progress: Callable[[int, str], None] = lambda _p, _s: None) -> bytes:
    context = gather(pack, progress)
    progress(90, "Writing the PDF")
    pdf = render_pdf("compliance/pack_pdf.html", context)
    progress(95, "Storing the PDF encrypted")
    return pdf


def expire_packs(now: dt.datetime | None = None) -> int:
    """The daily job: packs past their expiry are erased; the pack says it expired."""
    now = now or timezone.now()
    done = 0
    for pack in InspectionPack.objects.filter(status=PackStatus.READY, expires_at__lte=now).select_related(
        "file"
    ):
        with transaction.atomic():
            if pack.file is not None:
                storage.erase(pack.file)
            pack.status = PackStatus.EXPIRED
            pack.step = "Deleted after its expiry"
            save_as(pack, None, update_fields=["status", "step"])
        done += 1
    return done
