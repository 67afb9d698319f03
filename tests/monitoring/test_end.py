"""IM-8: monitoring ends by itself at the start of the agreement's end date, once.

The agreement (tests/monitoring/test_agreement.py's `agree`) runs from Monday 1 March 2027
until Wednesday 1 September 2027: monitoring ends at midnight starting 1 September, London time.
"""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from safecare.core.jobs import due_jobs, run_due_jobs, run_one
from safecare.core.models import Notification, ScheduledJob, Task, TaskStatus
from safecare.monitoring import jobs
from safecare.monitoring import services_agree as services
from safecare.monitoring.duties import REVIEW
from safecare.monitoring.models import AgreementEnd, EndReason

from .test_agreement import MONDAY_15_MARCH_2027, agree

LONDON = ZoneInfo("Europe/London")
END_OF_31_AUGUST = dt.datetime(2027, 8, 31, 23, 59, tzinfo=LONDON)
START_OF_1_SEPTEMBER = dt.datetime(2027, 9, 1, 0, 0, tzinfo=LONDON)


def _ended(world) -> list[tuple[str, dt.date, object]]:
    return [(e.reason, e.ended_on, e.recorded_by) for e in AgreementEnd.objects.all()]


def _alerted() -> list[str]:
    return sorted(n.recipient.username for n in Notification.objects.filter(kind="im_agreement_ended"))


@MONDAY_15_MARCH_2027
def test_im8_monitoring_ends_at_the_start_of_the_end_date_and_not_before(today, world) -> None:
    agreement = agree(world)
    assert run_due_jobs(END_OF_31_AUGUST) == 0
    assert not AgreementEnd.objects.exists()
    assert run_due_jobs(START_OF_1_SEPTEMBER) == 1
    # Ended by the rule, on its date: nobody recorded it.
    assert _ended(world) == [(EndReason.END_DATE, dt.date(2027, 9, 1), None)]
    # The young person's social worker and the carers are told; the subject names nobody.
    assert _alerted() == ["carol", "chris"]
    alert = Notification.objects.filter(kind="im_agreement_ended").first()
    assert alert is not None and alert.subject == "Internet monitoring under an agreement has ended"
    assert alert.reference == agreement.reference
    # The open review duty is cancelled with the reason.
    task = Task.objects.get(kind=REVIEW, child=world.child_own)
    assert task.status == TaskStatus.CANCELLED
    assert task.closed_note == (
        f"IM-9: agreement {agreement.reference} ended on Wednesday 1 September 2027: its end date came"
    )


@MONDAY_15_MARCH_2027
def test_im8_the_end_job_run_twice_ends_the_agreement_once(today, world) -> None:
    agree(world)
    assert run_due_jobs(START_OF_1_SEPTEMBER) == 1
    assert run_due_jobs(START_OF_1_SEPTEMBER + dt.timedelta(minutes=1)) == 0
    assert AgreementEnd.objects.count() == 1
    assert _alerted() == ["carol", "chris"]


@MONDAY_15_MARCH_2027
def test_im8_two_workers_holding_the_same_due_list_run_it_once(today, world) -> None:
    agree(world)
    # Both workers read the job as due before either ran it.
    first, second = due_jobs(START_OF_1_SEPTEMBER), due_jobs(START_OF_1_SEPTEMBER)
    assert run_one(first[0], START_OF_1_SEPTEMBER) is True
    assert run_one(second[0], START_OF_1_SEPTEMBER) is False
    assert AgreementEnd.objects.count() == 1
    assert _alerted() == ["carol", "chris"]


@MONDAY_15_MARCH_2027
def test_im8_the_handler_itself_is_idempotent(today, world) -> None:
    agreement = agree(world)
    scheduled = ScheduledJob.objects.get(key=f"im8:agreement:{agreement.pk}:end")
    jobs.end_agreement_on_its_date(scheduled)
    jobs.end_agreement_on_its_date(scheduled)
    assert services.agreement_end_on_its_date(agreement_id=agreement.pk) is None
    assert _ended(world) == [(EndReason.END_DATE, dt.date(2027, 9, 1), None)]
    assert _alerted() == ["carol", "chris"]


@MONDAY_15_MARCH_2027
def test_im8_an_agreement_replaced_is_left_alone_on_its_end_date(today, world) -> None:
    first = agree(world)
    agree(world, first.decision, starts_on=dt.date(2027, 3, 15), ends_on=dt.date(2027, 12, 15))
    assert run_due_jobs(START_OF_1_SEPTEMBER) == 0
    assert [(e.agreement_id, e.reason) for e in AgreementEnd.objects.all()] == [
        (first.pk, EndReason.REPLACED)
    ]
    assert _alerted() == []


def _worker(results: list[int], errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        results.append(run_due_jobs(START_OF_1_SEPTEMBER))
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@MONDAY_15_MARCH_2027
def test_im8_two_workers_at_once_end_the_agreement_once(today, world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: two connections running at once. SQLite serialises every write "
            "transaction, so two workers cannot hold one job at the same time there."
        )
    agree(world)
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)
    workers = [threading.Thread(target=_worker, args=(results, errors, start)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert not errors
    assert sorted(results) == [0, 1]
    assert AgreementEnd.objects.count() == 1
    assert _alerted() == ["carol", "chris"]
