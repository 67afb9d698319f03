"""Scheduled work: rules that act on a date by themselves (decision 0033).

SOC-11, for one: a carer who resigns in writing during a Standards of Care process is
deregistered 28 calendar days later, whether or not anyone opens the record that day.

The ScheduledJob table is the source of truth, not the queue:

- ``schedule(kind, key, due_at, service=..., payload=...)`` records a job in the caller's
  transaction, so the job exists exactly when the event that causes it was saved. The key
  names the job once: scheduling it again returns the job already there.
- ``cancel(key)`` removes a job that is not done (the resignation withdrawn). A done job stays.
- ``run_due_jobs()`` runs every job that is due and not done, each in a transaction of its
  own: it locks the row, runs the handler, and marks the job done in that same transaction,
  so what the handler changed and "done" commit together or not at all. On PostgreSQL the
  lock skips a row another worker holds (two workers never run one job); on SQLite every
  write transaction is serialised, and the job is read again inside it. A handler's error is
  counted and kept on the job, which stays due for the next run; the other jobs still run.

Huey only wakes ``run_due_jobs`` every minute (``manage.py run_huey``); nothing is put on the
queue when a job is scheduled, so a queue lost or emptied loses no work. ``manage.py
run_due_jobs`` runs the due jobs once, by hand.

A check a rule makes every day (SOC-5: an agreed action overdue proposes a meeting) is
registered with ``@daily("name")``: each day it becomes one job, keyed by the check and the
day, due at the start of that day, so it runs once a day however often the runner wakes, on
however many workers. A check looks at the state on its day (an action overdue stays
overdue), so a day when nothing ran needs no making up.

A handler is registered with ``@job("kind")`` in a module its app imports when it is ready,
takes the ScheduledJob, and is idempotent: it checks the state it changes (a carer already
deregistered is left alone) and records its changes with their history (``audit.save_as``).
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import FosteringService, ScheduledJob

logger = logging.getLogger("safecare.jobs")

Handler = Callable[[ScheduledJob], None]
_handlers: dict[str, Handler] = {}
# What is kept of a failure: the end of the traceback, where the error is.
ERROR_KEPT = 4000


class UnknownJobKind(LookupError):
    """No handler is registered for a job's kind."""


def job(kind: str) -> Callable[[Handler], Handler]:
    """Register the handler that does the work of jobs of this kind."""

    def register(handler: Handler) -> Handler:
        existing = _handlers.get(kind)
        if existing is not None and existing is not handler:
            raise ValueError(f"A handler is already registered for jobs of kind {kind!r}.")
        _handlers[kind] = handler
        return handler

    return register


DailyCheck = Callable[[dt.date], object]
_daily: dict[str, DailyCheck] = {}
DAILY = "daily_check"


def daily(name: str) -> Callable[[DailyCheck], DailyCheck]:
    """Register a check to run once a day, given the day (see the module's text)."""

    def register(check: DailyCheck) -> DailyCheck:
        existing = _daily.get(name)
        if existing is not None and existing is not check:
            raise ValueError(f"A daily check is already registered as {name!r}.")
        _daily[name] = check
        return check

    return register


def schedule_daily_checks(now: dt.datetime) -> list[ScheduledJob]:
    """Today's job for every daily check (each once, by its key), due at the start of today."""
    today = timezone.localdate(now)
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return [
        schedule(
            DAILY,
            f"daily:{name}:{today.isoformat()}",
            start,
            payload={"check": name, "day": today.isoformat()},
        )
        for name in sorted(_daily)
    ]


def handler_for(kind: str) -> Handler:
    try:
        return _handlers[kind]
    except KeyError:
        raise UnknownJobKind(f"No handler is registered for jobs of kind {kind!r}.") from None


def schedule(
    kind: str,
    key: str,
    due_at: dt.datetime,
    *,
    service: FosteringService | None = None,
    payload: dict[str, Any] | None = None,
) -> ScheduledJob:
    """The job named `key`, recorded to run at `due_at` unless it exists already.

    Runs in the caller's transaction: the job is committed with the event that causes it, or
    not at all. Scheduling a key again returns the job already there, as it is (due date and
    all); to move a date, cancel the job and schedule it again.
    """
    handler_for(kind)  # a kind nobody handles would never run: refuse it now
    if timezone.is_naive(due_at):
        raise ValueError("A job's due time must carry its time zone.")
    scheduled, _created = ScheduledJob.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "due_at": due_at, "service": service, "payload": payload or {}},
    )
    if scheduled.kind != kind:
        raise ValueError(f"The key {key!r} already names a job of kind {scheduled.kind!r}.")
    return scheduled


def cancel(key: str) -> bool:
    """Remove the job named `key` if it is not done; whether one was removed.

    A done job is never removed: it records what happened.
    """
    deleted, _by_model = ScheduledJob.objects.filter(key=key, done_at__isnull=True).delete()
    return deleted > 0


def due_jobs(now: dt.datetime) -> list[int]:
    return list(
        ScheduledJob.objects.filter(done_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("id", flat=True)
    )


def run_due_jobs(now: dt.datetime | None = None) -> int:
    """Run every job due at `now` (by default, now) and not done; how many were done."""
    now = now or timezone.now()
    return sum(1 for job_id in due_jobs(now) if run_one(job_id, now))


def run_one(job_id: int, now: dt.datetime) -> bool:
    """Run one due job under its row lock; whether it was done by this call."""
    with transaction.atomic():
        rows = ScheduledJob.objects.filter(pk=job_id, done_at__isnull=True, due_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            # Another worker holds it: that worker runs it, this one goes on to the next.
            rows = rows.select_for_update(skip_locked=True)
        scheduled = rows.first()
        if scheduled is None:
            return False  # done, cancelled or taken meanwhile
        scheduled.attempts += 1
        try:
            # A savepoint: a failing handler's changes are undone, the row lock is kept.
            with transaction.atomic():
                handler_for(scheduled.kind)(scheduled)
        except Exception as error:
            scheduled.last_error = "".join(traceback.format_exception(error))[-ERROR_KEPT:]
            scheduled.save(update_fields=["attempts", "last_error"])
            logger.exception(
                "scheduled_job_failed id=%s kind=%s key=%s attempts=%d",
                scheduled.pk,
                scheduled.kind,
                scheduled.key,
                scheduled.attempts,
            )
            return False
        scheduled.done_at = timezone.now()
        scheduled.last_error = ""
        scheduled.save(update_fields=["attempts", "done_at", "last_error"])
    logger.info("scheduled_job_done id=%s kind=%s key=%s", scheduled.pk, scheduled.kind, scheduled.key)
    return True


@job(DAILY)
def _run_daily_check(scheduled: ScheduledJob) -> None:
    check = _daily.get(scheduled.payload["check"])
    if check is None:
        raise UnknownJobKind(f"No daily check is registered as {scheduled.payload['check']!r}.")
    check(dt.date.fromisoformat(scheduled.payload["day"]))


def run_scheduled_work(now: dt.datetime | None = None) -> int:
    """Today's daily checks scheduled, then every due job run; how many jobs were done."""
    now = now or timezone.now()
    schedule_daily_checks(now)
    return run_due_jobs(now)


@db_periodic_task(crontab(minute="*"), name="run_due_jobs")  # type: ignore[untyped-decorator]  # huey has no types
def run_due_jobs_every_minute() -> int:
    """Huey's trigger (`manage.py run_huey`): the table says what is due."""
    return run_scheduled_work()
