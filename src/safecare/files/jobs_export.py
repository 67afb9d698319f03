"""Scheduled work of subject access and retention (core.jobs; decisions 0047, 0048).

- A recorded request schedules its build (`files_build_export`). The job takes the request
  in its own transaction and, once that commits, hands the build to the queue (Huey), which
  builds it outside any one transaction, committing its progress as it goes, so the request's
  page shows the progress bar moving.
- Every day, exports past their expiry are erased (`export_expiry`), and records past their
  retention period are listed for the named role to confirm (`retention_review`).
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import transaction
from huey.contrib.djhuey import db_task

from safecare.core.jobs import daily, job
from safecare.core.models import ScheduledJob

from . import services_export, services_retention


@db_task()  # type: ignore[untyped-decorator]  # huey has no types
def build_export(request_id: int) -> None:
    services_export.build(request_id)


@job(services_export.BUILD_JOB)
def start_export_build(scheduled: ScheduledJob) -> None:
    """The request is taken for building; the build starts once this is committed."""
    request_id = int(scheduled.payload["request"])
    if services_export.claim(request_id):
        transaction.on_commit(functools.partial(build_export, request_id))


@daily("export_expiry")
def erase_expired_exports(day: dt.date) -> None:
    services_export.expire_exports()


@daily("retention_review")
def list_records_past_retention(day: dt.date) -> None:
    services_retention.review(day)
