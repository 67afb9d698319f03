"""Scheduled work (core.jobs, decision 0033): a rule acts on its date by itself, once.

Each test job's handler records its run as a team of the job's service, named afresh each
time (a change with its history row, as a real job's would be): the number of teams is the
number of times the work was done, and no constraint could hide a second run.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from safecare.core import jobs
from safecare.core.audit import save_as
from safecare.core.jobs import (
    UnknownJobKind,
    cancel,
    due_jobs,
    job,
    run_due_jobs,
    run_due_jobs_every_minute,
    run_one,
    run_scheduled_work,
    schedule,
)
from safecare.core.models import FosteringService, ScheduledJob, Team, TeamKind
from tests.factories import ServiceFactory

COUNT = "test_count_run"
FAIL = "test_always_fail"
SLOW = "test_slow_count_run"


def record_run(scheduled: ScheduledJob) -> None:
    team = Team(service=scheduled.service, name=f"Run {uuid.uuid4()}", kind=TeamKind.FOSTERING)
    save_as(team, None)


@job(COUNT)
def count_run(scheduled: ScheduledJob) -> None:
    record_run(scheduled)


@job(FAIL)
def always_fail(scheduled: ScheduledJob) -> None:
    record_run(scheduled)  # undone with the failure
    raise RuntimeError("the carer's record could not be found")


slow_run_started = threading.Event()


@job(SLOW)
def slow_count_run(scheduled: ScheduledJob) -> None:
    record_run(scheduled)
    slow_run_started.set()
    # Long enough for the other worker to reach the job while this one holds it.
    threading.Event().wait(0.5)


def runs(service: FosteringService) -> int:
    return Team.objects.filter(service=service).count()


@pytest.fixture
def service() -> FosteringService:
    return ServiceFactory()


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


@pytest.fixture
def no_daily_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the jobs a test schedules: the apps' daily checks are tested on their own."""
    monkeypatch.setattr(jobs, "_daily", {})


@pytest.mark.django_db
def test_a_job_scheduled_twice_with_one_key_exists_once(service: FosteringService, now: dt.datetime) -> None:
    first = schedule(COUNT, "soc11:process:1", now + dt.timedelta(days=28), service=service)
    again = schedule(COUNT, "soc11:process:1", now + dt.timedelta(days=30), service=service)
    assert again.pk == first.pk
    assert again.due_at == first.due_at  # the job as it was first scheduled
    assert ScheduledJob.objects.filter(key="soc11:process:1").count() == 1


@pytest.mark.django_db
def test_one_key_names_one_kind_of_job(service: FosteringService, now: dt.datetime) -> None:
    schedule(COUNT, "soc11:process:1", now, service=service)
    with pytest.raises(ValueError, match="already names a job"):
        schedule(FAIL, "soc11:process:1", now, service=service)


@pytest.mark.django_db
def test_a_kind_nobody_handles_is_refused_when_scheduled(now: dt.datetime) -> None:
    with pytest.raises(UnknownJobKind):
        schedule("nobody_handles_this", "k", now)
    assert not ScheduledJob.objects.exists()


@pytest.mark.django_db
def test_a_due_job_runs_once_however_often_the_runner_runs(
    service: FosteringService, now: dt.datetime
) -> None:
    scheduled = schedule(COUNT, "soc11:process:1", now - dt.timedelta(minutes=1), service=service)
    assert run_due_jobs(now) == 1
    assert run_due_jobs(now) == 0
    assert run_due_jobs(now + dt.timedelta(days=365)) == 0
    assert runs(service) == 1
    scheduled.refresh_from_db()
    assert scheduled.done_at is not None and scheduled.attempts == 1 and scheduled.last_error == ""


@pytest.mark.django_db
def test_a_job_runs_on_its_due_time_not_before(service: FosteringService, now: dt.datetime) -> None:
    due = now + dt.timedelta(days=28)
    schedule(COUNT, "soc11:process:1", due, service=service)
    assert run_due_jobs(now) == 0
    assert run_due_jobs(due - dt.timedelta(seconds=1)) == 0
    assert runs(service) == 0
    assert run_due_jobs(due) == 1
    assert runs(service) == 1


@pytest.mark.django_db
def test_the_runner_lists_the_jobs_due_and_not_done_oldest_first(
    service: FosteringService, now: dt.datetime
) -> None:
    later = schedule(COUNT, "later", now - dt.timedelta(minutes=1), service=service)
    earlier = schedule(COUNT, "earlier", now - dt.timedelta(days=1), service=service)
    schedule(COUNT, "not-yet", now + dt.timedelta(minutes=1), service=service)
    done = schedule(COUNT, "done", now - dt.timedelta(days=2), service=service)
    ScheduledJob.objects.filter(pk=done.pk).update(done_at=now)
    assert due_jobs(now) == [earlier.pk, later.pk]


@pytest.mark.django_db
def test_a_job_is_read_again_under_its_lock_before_it_runs(
    service: FosteringService, now: dt.datetime
) -> None:
    # Another worker may finish a job between this one listing it and locking it.
    scheduled = schedule(COUNT, "soc11:process:1", now, service=service)
    ScheduledJob.objects.filter(pk=scheduled.pk).update(done_at=now)
    assert run_one(scheduled.pk, now) is False
    # And a job moved to a later date meanwhile waits for it.
    moved = schedule(COUNT, "moved", now + dt.timedelta(days=1), service=service)
    assert run_one(moved.pk, now) is False
    assert runs(service) == 0
    assert run_one(moved.pk, now + dt.timedelta(days=1)) is True
    assert runs(service) == 1


@pytest.mark.django_db
def test_a_failing_job_keeps_its_error_and_is_tried_again_while_the_others_run(
    service: FosteringService, now: dt.datetime
) -> None:
    failing = schedule(FAIL, "fails", now - dt.timedelta(hours=1), service=service)
    schedule(COUNT, "after-it", now, service=service)
    assert run_due_jobs(now) == 1  # the other job, due after the failing one, still ran
    assert runs(service) == 1  # and the failing handler's change was undone
    failing.refresh_from_db()
    assert failing.done_at is None
    assert failing.attempts == 1
    assert "the carer's record could not be found" in failing.last_error
    assert run_due_jobs(now) == 0
    failing.refresh_from_db()
    assert failing.attempts == 2 and failing.done_at is None


@pytest.mark.django_db
def test_a_job_whose_handler_failed_is_done_once_it_succeeds(
    service: FosteringService, now: dt.datetime
) -> None:
    scheduled = schedule(FAIL, "fails-then-works", now, service=service)
    run_due_jobs(now)
    ScheduledJob.objects.filter(pk=scheduled.pk).update(kind=COUNT)  # the fault mended
    assert run_due_jobs(now) == 1
    scheduled.refresh_from_db()
    assert scheduled.done_at is not None and scheduled.attempts == 2 and scheduled.last_error == ""


@pytest.mark.django_db
def test_a_cancelled_job_never_runs(service: FosteringService, now: dt.datetime) -> None:
    schedule(COUNT, "soc11:process:1", now + dt.timedelta(days=28), service=service)
    assert cancel("soc11:process:1") is True
    assert cancel("soc11:process:1") is False
    assert run_due_jobs(now + dt.timedelta(days=29)) == 0
    assert runs(service) == 0
    # Cancelled, the key is free: the same event again schedules the job again.
    schedule(COUNT, "soc11:process:1", now, service=service)
    assert run_due_jobs(now) == 1


@pytest.mark.django_db
def test_a_done_job_is_kept(service: FosteringService, now: dt.datetime) -> None:
    scheduled = schedule(COUNT, "soc11:process:1", now, service=service)
    run_due_jobs(now)
    assert cancel("soc11:process:1") is False
    scheduled.refresh_from_db()
    with pytest.raises(ValidationError, match="kept"):
        scheduled.delete()
    assert ScheduledJob.objects.filter(pk=scheduled.pk, done_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_command_runs_the_due_jobs_and_says_how_many(
    service: FosteringService, now: dt.datetime, no_daily_checks: None
) -> None:
    schedule(COUNT, "due-1", now - dt.timedelta(days=1), service=service)
    schedule(COUNT, "due-2", now - dt.timedelta(minutes=1), service=service)
    schedule(COUNT, "not-yet", now + dt.timedelta(days=1), service=service)
    out = StringIO()
    call_command("run_due_jobs", stdout=out)
    assert out.getvalue().strip() == "Ran 2 due jobs."
    assert runs(service) == 2
    out = StringIO()
    call_command("run_due_jobs", stdout=out)
    assert out.getvalue().strip() == "Ran 0 due jobs."


@pytest.mark.django_db
def test_hueys_every_minute_task_runs_the_due_jobs(
    service: FosteringService, now: dt.datetime, no_daily_checks: None
) -> None:
    schedule(COUNT, "due", now - dt.timedelta(minutes=1), service=service)
    assert run_due_jobs_every_minute.call_local() == 1
    assert runs(service) == 1
    assert run_due_jobs_every_minute.call_local() == 0


def _worker(results: list[int], errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        results.append(run_due_jobs())
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()  # this thread's own connection


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_run_a_due_job_exactly_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: two connections running at once. SQLite serialises every write "
            "transaction, so two workers cannot hold one job at the same time there."
        )
    service = ServiceFactory()
    schedule(SLOW, "soc11:process:1", timezone.now() - dt.timedelta(minutes=1), service=service)
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)
    workers = [threading.Thread(target=_worker, args=(results, errors, start)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert not errors
    assert slow_run_started.is_set()
    assert sorted(results) == [0, 1]
    assert runs(service) == 1
    assert ScheduledJob.objects.get(key="soc11:process:1").attempts == 1


@pytest.mark.django_db
def test_a_daily_check_runs_once_a_day_however_often_the_runner_wakes(no_daily_checks: None) -> None:
    checked: list[dt.date] = []
    jobs.daily("test_check")(checked.append)
    london = ZoneInfo("Europe/London")
    nine = dt.datetime(2027, 3, 24, 9, 0, tzinfo=london)
    assert run_scheduled_work(nine) == 1
    run_scheduled_work(nine + dt.timedelta(minutes=1))
    run_scheduled_work(nine + dt.timedelta(hours=8))
    assert checked == [dt.date(2027, 3, 24)]
    run_scheduled_work(nine + dt.timedelta(days=1))
    assert checked == [dt.date(2027, 3, 24), dt.date(2027, 3, 25)]
    job = ScheduledJob.objects.get(key="daily:test_check:2027-03-24")
    assert job.done_at is not None
    assert job.due_at == dt.datetime(2027, 3, 24, 0, 0, tzinfo=london)
