"""The compliance tallies give the same figures as the tasks themselves (decision 0060).

The closed duties of a service are counted once a day into tallies; the figures then read the
closed duties of a period's whole months from the tallies and everything else from the tasks.
Every expected number below was worked out by hand from the duties of `service_tasks`
(tests/compliance/test_figures.py lists them with their fates), the same numbers as with no
tallies at all: a figure must not depend on whether, or when, the tallies were counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from safecare.compliance import tallies
from safecare.compliance.figures import Period, Tallied, report, whole_months
from safecare.compliance.jobs import count_tallies
from safecare.compliance.models import DutyTally, TallySeal
from safecare.core.models import Task, TaskStatus
from safecare.core.tasks import task_complete
from tests.compliance.test_figures import PERIOD, TODAY, _counts, _duty, _row, service_tasks  # noqa: F401
from tests.compliance.test_report_pages import _count, _many_duties
from tests.conftest import sign_in
from tests.factories import ServiceFactory, TeamFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
# After every duty of the world closed (the last at 00:30 on 30 March 2027, London time).
AFTER_ALL = dt.datetime(2027, 4, 1, 10, tzinfo=LONDON)


def _service_of(tasks: Any) -> Tallied:
    return Tallied(tasks.first().service_id)


def test_with_the_tallies_counted_the_figures_are_the_same(service_tasks) -> None:  # noqa: F811
    tallied = _service_of(service_tasks)
    tallies.count(service_tasks.first().service, now=AFTER_ALL)
    # The tallies hold the closed duties: SOC-7's three late ones of March, by days late.
    march = DutyTally.objects.filter(rule_id="SOC-7", due_month=dt.date(2027, 3, 1), outcome="late")
    assert sorted(march.values_list("late_days", "duties")) == [(1, 1), (5, 1), (10, 1)]

    result = report(service_tasks, PERIOD, today=TODAY, tallied=tallied)
    # due, on time, late, median days late, worst, open, overdue, cancelled
    assert _counts(_row(result, "SC-3").figures) == (5, 1, 3, 1, 3, 1, 1, 0)
    assert _counts(_row(result, "DV-3").figures) == (4, 0, 0, None, None, 1, 1, 3)
    assert _counts(_row(result, "SOC-7").figures) == (4, 1, 3, 5, 10, 0, 0, 0)
    assert _counts(result.total) == (13, 2, 6, 2, 10, 2, 2, 3)
    assert _row(result, "DV-3").reasons == [("The placement ended", 2), ("The device was removed", 1)]
    by_month = {
        m.month: (m.figures.due, m.figures.on_time, m.figures.late, m.figures.open, m.figures.cancelled)
        for m in result.months
    }
    assert by_month == {
        dt.date(2027, 1, 1): (3, 2, 1, 0, 0),
        dt.date(2027, 2, 1): (3, 0, 1, 1, 1),
        dt.date(2027, 3, 1): (7, 0, 4, 1, 2),
    }


def test_counting_again_replaces_the_tallies_and_keeps_the_count_before(service_tasks) -> None:  # noqa: F811
    service = service_tasks.first().service

    def counted(moment: dt.datetime) -> list[tuple[str, str, int]]:
        rows = DutyTally.objects.filter(service=service, closed_before=moment - tallies.SEAL_MARGIN)
        return sorted(rows.values_list("rule_id", "outcome", "duties"))

    days = [AFTER_ALL + dt.timedelta(days=n) for n in range(3)]
    for moment in days:
        tallies.count(service, now=moment)
    # The latest count, the same as the first; the one before it kept for reports that had just
    # read its seal; the first gone.
    assert counted(days[2]) == counted(days[1]) != []
    assert counted(days[0]) == []
    # Counting twice at the same moment doesn't count a duty twice.
    tallies.count(service, now=days[2])
    assert counted(days[2]) == counted(days[1])
    result = report(service_tasks, PERIOD, today=TODAY, tallied=_service_of(service_tasks))
    assert _counts(result.total) == (13, 2, 6, 2, 10, 2, 2, 3)


def test_a_duty_closed_after_the_count_is_read_from_the_tasks_once(service_tasks) -> None:  # noqa: F811
    service = service_tasks.first().service
    # Counted on 25 March 2027 at 10:00: the SC-3 duty done at 00:30 on 30 March (London) is
    # not in the tallies yet, and nor is the one closed below.
    tallies.count(service, now=dt.datetime(2027, 3, 25, 10, tzinfo=LONDON))
    open_sc3 = service_tasks.get(rule_id="SC-3", due_on=dt.date(2027, 3, 31))
    task_complete(actor=None, task=open_sc3)
    Task.objects.filter(pk=open_sc3.pk).update(completed_at=dt.datetime(2027, 3, 30, 16, tzinfo=LONDON))
    result = report(service_tasks, PERIOD, today=TODAY, tallied=_service_of(service_tasks))
    # SC-3 now: five due, two on time (met on the due date; met the day before it), three late
    # (3, 1 and 1 days), none open.
    assert _counts(_row(result, "SC-3").figures) == (5, 2, 3, 1, 3, 0, 0, 0)
    assert _counts(result.total) == (13, 3, 6, 2, 10, 1, 1, 3)


def test_a_duty_closed_in_the_hour_before_the_count_is_left_to_the_tasks(service_tasks) -> None:  # noqa: F811
    service = service_tasks.first().service
    # The count at 01:00 on 30 March (BST) stops at midnight: the SC-3 duty done at 00:30 is not
    # tallied, in case its transaction had not committed; it is read from the tasks instead.
    tallies.count(service, now=dt.datetime(2027, 3, 30, 1, tzinfo=LONDON))
    assert TallySeal.objects.get(service=service).closed_before == dt.datetime(2027, 3, 30, 0, tzinfo=LONDON)
    assert not DutyTally.objects.filter(rule_id="SC-3", due_month=dt.date(2027, 3, 1)).exists()
    result = report(service_tasks, PERIOD, today=TODAY, tallied=_service_of(service_tasks))
    assert _counts(_row(result, "SC-3").figures) == (5, 1, 3, 1, 3, 1, 1, 0)


def test_the_part_months_at_either_end_are_read_from_the_tasks(service_tasks) -> None:  # noqa: F811
    tallies.count(service_tasks.first().service, now=AFTER_ALL)
    period = Period(dt.date(2027, 1, 10), dt.date(2027, 3, 15))
    result = report(service_tasks, period, today=TODAY, tallied=_service_of(service_tasks))
    # Due 10 January to 15 March: SC-3 on 15 Jan (on time), 20 Jan (3 days late), 10 Feb
    # (1 day late); DV-3 on 1 Feb (open, overdue), 2 Feb, 1 and 2 Mar (cancelled); SOC-7 on
    # 10, 11 and 12 Mar (10, 5 and 1 days late). Days late 3, 1, 10, 5, 1: median 3, worst 10.
    assert _counts(result.total) == (10, 1, 5, 3, 10, 1, 1, 3)
    assert _counts(_row(result, "SOC-7").figures) == (3, 0, 3, 5, 10, 0, 0, 0)


def test_a_whole_year_is_read_from_its_years_tallies(service_tasks) -> None:  # noqa: F811
    tallies.count(service_tasks.first().service, now=AFTER_ALL)
    year = DutyTally.objects.filter(
        span="year", rule_id="SOC-7", outcome="late", due_month=dt.date(2027, 1, 1)
    )
    assert sorted(year.values_list("late_days", "duties")) == [(1, 1), (5, 1), (10, 1)]
    # December 2026 to December 2027: the year 2027 and the month before it. Besides the duties
    # of the first test, SC-3 due 31 December 2026 (met 30 January: 30 days late) and DV-3 due
    # 1 April 2027 (open, not yet overdue on its due date). Days late 3, 1, 1, 10, 5, 1 and 30:
    # median 3, worst 30.
    period = Period(dt.date(2026, 12, 1), dt.date(2027, 12, 31))
    result = report(service_tasks, period, today=TODAY, tallied=_service_of(service_tasks))
    assert _counts(result.total) == (15, 2, 7, 3, 30, 3, 2, 3)
    assert _counts(_row(result, "SC-3").figures) == (6, 1, 4, 2, 30, 1, 1, 0)
    by_month = {
        m.month: (m.figures.due, m.figures.on_time, m.figures.late, m.figures.open, m.figures.cancelled)
        for m in result.months
    }
    assert by_month == {
        dt.date(2026, 12, 1): (1, 0, 1, 0, 0),
        dt.date(2027, 1, 1): (3, 2, 1, 0, 0),
        dt.date(2027, 2, 1): (3, 0, 1, 1, 1),
        dt.date(2027, 3, 1): (7, 0, 4, 1, 2),
        dt.date(2027, 4, 1): (1, 0, 0, 1, 0),
    }


def test_the_first_months_of_a_year_are_not_read_from_the_years_tallies(service_tasks) -> None:  # noqa: F811
    tallies.count(service_tasks.first().service, now=AFTER_ALL)
    period = Period(dt.date(2027, 1, 1), dt.date(2027, 2, 28))
    result = report(service_tasks, period, today=TODAY, tallied=_service_of(service_tasks))
    # January and February 2027 only: SC-3 due 15 Jan (on time), 20 Jan (3 days late), 10 Feb
    # (1 day late); DV-3 due 1 Feb (open, overdue) and 2 Feb (cancelled); SOC-7 due 4 Jan (on time).
    assert _counts(result.total) == (6, 2, 2, 2, 3, 1, 1, 1)


def test_a_team_managers_figures_add_their_own_duties_of_other_teams(db) -> None:
    service = ServiceFactory()
    ours, theirs = TeamFactory(service=service), TeamFactory(service=service)
    manager = UserFactory(service=service, team=ours)
    worker = UserFactory(service=service, team=theirs)
    d = dt.date
    closed = dt.datetime(2027, 2, 20, 12, tzinfo=LONDON)
    for team, owner in [(ours, worker), (ours, None), (theirs, manager), (theirs, worker)]:
        Task.objects.create(
            service=service,
            rule_id="SC-3",
            kind=f"k{team.pk}{owner}",
            title="A duty",
            team=team,
            owner=owner,
            due_on=d(2027, 2, 15),
            status=TaskStatus.DONE,
            completed_at=closed,
        )
    tallies.count(service, now=AFTER_ALL)
    # The duties the manager may open: their team's two and their own of the other team.
    readable = Task.objects.filter(service=service).filter(team=ours) | Task.objects.filter(owner=manager)
    result = report(
        readable, Period(d(2027, 2, 1), d(2027, 2, 28)), today=TODAY, tallied=Tallied(service.pk, ours.pk)
    )
    # Three due, all met five days late.
    assert _counts(result.total) == (3, 0, 3, 5, 5, 0, 0, 0)


def test_the_tallies_of_another_service_are_never_counted(service_tasks) -> None:  # noqa: F811
    other = ServiceFactory()
    _duty(other, None, "SC-3", dt.date(2027, 2, 3), TaskStatus.DONE, dt.datetime(2027, 2, 1, tzinfo=LONDON))
    tallies.count(other, now=AFTER_ALL)
    tallies.count(service_tasks.first().service, now=AFTER_ALL)
    result = report(service_tasks, PERIOD, today=TODAY, tallied=_service_of(service_tasks))
    assert _counts(result.total) == (13, 2, 6, 2, 10, 2, 2, 3)


def test_the_daily_job_counts_every_service(service_tasks) -> None:  # noqa: F811
    other = ServiceFactory()
    count_tallies(dt.date(2027, 4, 1))
    assert set(TallySeal.objects.values_list("service_id", flat=True)) >= {
        service_tasks.first().service_id,
        other.pk,
    }


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2027, 1, 1), (2027, 3, 31), ((2027, 1, 1), (2027, 3, 31))),
        ((2027, 1, 10), (2027, 3, 15), ((2027, 2, 1), (2027, 2, 28))),
        ((2027, 1, 2), (2027, 2, 27), None),
        ((2027, 2, 1), (2027, 2, 28), ((2027, 2, 1), (2027, 2, 28))),
        ((2028, 2, 1), (2028, 2, 29), ((2028, 2, 1), (2028, 2, 29))),
        ((2027, 12, 1), (2028, 1, 30), ((2027, 12, 1), (2027, 12, 31))),
        ((2027, 3, 3), (2027, 3, 3), None),
    ],
)
def test_the_whole_months_of_a_period(start, end, expected) -> None:
    found = whole_months(Period(dt.date(*start), dt.date(*end)))
    assert found == (None if expected is None else (dt.date(*expected[0]), dt.date(*expected[1])))


def test_a_closed_duty_must_have_the_moment_it_closed(db) -> None:
    service = ServiceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            service=service,
            rule_id="SC-3",
            kind="k",
            title="A duty",
            due_on=dt.date(2027, 1, 4),
            status=TaskStatus.DONE,
            completed_at=None,
        )


def test_the_report_asks_as_few_queries_with_the_tallies_counted(client, world) -> None:
    sign_in(client, world.frank)
    url, params = reverse("compliance:report"), {"from": "2026-01-01", "to": "2026-11-30"}
    client.get(url, params)  # the session's first read
    _many_duties(world, 30)
    before = _count(client, url, params)
    tallies.count(world.service)
    _many_duties(world, 30)
    assert _count(client, url, params) == before == 7
