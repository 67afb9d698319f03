"""Scheduled work of inspection packs (core.jobs): built by the job runner, erased after expiry.

- Asking for a pack schedules its build (`compliance_build_pack`). The job takes the pack in
  its own transaction and, once that commits, hands the build to the queue (Huey), which
  builds it outside any one transaction, committing its progress as it goes, so the pack's
  page shows the progress bar moving.
- Every day, every service's closed duties are counted into its compliance tallies
  (`compliance_tallies`, compliance.tallies), and packs past their expiry (the service's `export_expiry_days` after they were
  built) are erased (`inspection_pack_expiry`).
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import transaction
from huey.contrib.djhuey import db_task

from safecare.core.jobs import daily, job
from safecare.core.models import FosteringService, ScheduledJob

from . import services_pack, tallies


@db_task()  # type: ignore[untyped-decorator]  # huey has no types
def build_pack(pack_id: int) -> None:
    services_pack.build(pack_id)


@job(services_pack.BUILD_JOB)
def start_pack_build(scheduled: ScheduledJob) -> None:
    """The pack is taken for building; the build starts once this is committed."""
    pack_id = int(scheduled.payload["pack"])
    if services_pack.claim(pack_id):
        transaction.on_commit(functools.partial(build_pack, pack_id))


@daily("inspection_pack_expiry")
def erase_expired_packs(day: dt.date) -> None:
    services_pack.expire_packs()


@daily("compliance_tallies")
def count_tallies(day: dt.date) -> None:
    """Every service's closed duties counted again (each service's count is one transaction)."""
    for service in FosteringService.objects.order_by("pk"):
        tallies.count(service)
