"""Compliance figures against a world whose duties' fates are known (decision 0049).

Every expected number below was worked out by hand from the duties listed in `_world`, not
from the code: a duty falls due in the period when its due date is in it; met on or before the
due date is on time (on the due date included); the days late are calendar days from the due
date to the day it was done in London; open ones past their due date are overdue.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safecare.compliance.figures import Period, duties, median, report
from safecare.core.models import Task, TaskStatus
from safecare.core.tasks import task_complete
from safecare.households import services as household_services
from tests.factories import ChildFactory, ServiceFactory, TaskFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
PERIOD = Period(dt.date(2027, 1, 1), dt.date(2027, 3, 31))
TODAY = dt.date(2027, 4, 1)  # a Thursday


def _at(day: dt.date, hour: int = 14, minute: int = 0, tz: dt.tzinfo = LONDON) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _duty(service, worker, rule_id, due_on, status=TaskStatus.OPEN, done_at=None, note=""):  # type: ignore[no-untyped-def]
    return TaskFactory(
        service=service,
        owner=worker,
        rule_id=rule_id,
        due_on=due_on,
        status=status,
        completed_at=done_at,
        closed_note=note,
    )


@pytest.fixture
def service_tasks(db):  # type: ignore[no-untyped-def]
    service = ServiceFactory()
    worker = UserFactory(service=service)
    d = dt.date
    done, cancelled = TaskStatus.DONE, TaskStatus.CANCELLED
    # SC-3: on time (met on its due date), 3 days late, 1 day late, 1 day late only in London's
    # time (done at 23:30 UTC on its due date, 00:30 the next day in British Summer Time), and open
    # past its due date.
    _duty(service, worker, "SC-3", d(2027, 1, 15), done, _at(d(2027, 1, 15), 17, 59))
    _duty(service, worker, "SC-3", d(2027, 1, 20), done, _at(d(2027, 1, 23)))
    _duty(service, worker, "SC-3", d(2027, 2, 10), done, _at(d(2027, 2, 11), 0, 30))
    _duty(service, worker, "SC-3", d(2027, 3, 29), done, _at(d(2027, 3, 29), 23, 30, dt.UTC))
    _duty(service, worker, "SC-3", d(2027, 3, 31))
    # DV-3: open and overdue, two cancelled with the same reason, one with another.
    _duty(service, worker, "DV-3", d(2027, 2, 1))
    _duty(service, worker, "DV-3", d(2027, 2, 2), cancelled, _at(d(2027, 1, 30)), "The placement ended")
    _duty(service, worker, "DV-3", d(2027, 3, 1), cancelled, _at(d(2027, 2, 20)), "The placement ended")
    _duty(service, worker, "DV-3", d(2027, 3, 2), cancelled, _at(d(2027, 2, 21)), "The device was removed")
    # SOC-7: late by 10, 5 and 1 days; one on time, done early.
    _duty(service, worker, "SOC-7", d(2027, 3, 10), done, _at(d(2027, 3, 20)))
    _duty(service, worker, "SOC-7", d(2027, 3, 11), done, _at(d(2027, 3, 16)))
    _duty(service, worker, "SOC-7", d(2027, 3, 12), done, _at(d(2027, 3, 13), 9))
    _duty(service, worker, "SOC-7", d(2027, 1, 4), done, _at(d(2026, 12, 30)))
    # Outside the period: due the day before it starts and the day after it ends.
    _duty(service, worker, "SC-3", d(2026, 12, 31), done, _at(d(2027, 1, 30)))
    _duty(service, worker, "DV-3", d(2027, 4, 1))
    # Another service's duty, in the period: never counted.
    _duty(ServiceFactory(), None, "SC-3", d(2027, 2, 1))
    return Task.objects.filter(service=service)


def _row(result, rule_id):  # type: ignore[no-untyped-def]
    for policy in result.policies:
        for row in policy.rules:
            if row.rule_id == rule_id:
                return row
    raise AssertionError(f"{rule_id} is not in the report")


def _counts(figures):  # type: ignore[no-untyped-def]
    return (
        figures.due,
        figures.on_time,
        figures.late,
        figures.median_days_late,
        figures.worst_days_late,
        figures.open,
        figures.overdue,
        figures.cancelled,
    )


def test_each_rules_figures_are_the_fates_of_its_duties_due_in_the_period(service_tasks) -> None:
    result = report(service_tasks, PERIOD, today=TODAY)
    # due, on time, late, median days late, worst, open, overdue, cancelled
    assert _counts(_row(result, "SC-3").figures) == (5, 1, 3, 1, 3, 1, 1, 0)
    assert _counts(_row(result, "DV-3").figures) == (4, 0, 0, None, None, 1, 1, 3)
    assert _counts(_row(result, "SOC-7").figures) == (4, 1, 3, 5, 10, 0, 0, 0)
    assert _counts(result.total) == (13, 2, 6, 2, 10, 2, 2, 3)


def test_rules_are_grouped_by_policy_in_the_rulebooks_order(service_tasks) -> None:
    result = report(service_tasks, PERIOD, today=TODAY)
    assert [(p.letters, [r.rule_id for r in p.rules]) for p in result.policies] == [
        ("SC", ["SC-3"]),
        ("DV", ["DV-3"]),
        ("SOC", ["SOC-7"]),
    ]
    policy = result.policies[1]
    assert (policy.name, policy.total.due, policy.total.cancelled) == ("Cameras and microphones", 4, 3)


def test_the_reasons_for_cancelling_are_counted(service_tasks) -> None:
    result = report(service_tasks, PERIOD, today=TODAY)
    assert _row(result, "DV-3").reasons == [("The placement ended", 2), ("The device was removed", 1)]


def test_the_trend_counts_each_month_by_due_date(service_tasks) -> None:
    result = report(service_tasks, PERIOD, today=TODAY)
    by_month = {
        m.month: (m.figures.due, m.figures.on_time, m.figures.late, m.figures.open, m.figures.cancelled)
        for m in result.months
    }
    assert by_month == {
        dt.date(2027, 1, 1): (3, 2, 1, 0, 0),
        dt.date(2027, 2, 1): (3, 0, 1, 1, 1),
        dt.date(2027, 3, 1): (7, 0, 4, 1, 2),
    }


def test_the_same_duty_open_is_not_yet_overdue_on_its_due_date(service_tasks) -> None:
    # On 31 March the SC-3 duty due that day is open, not overdue; DV-3's of 1 February is.
    result = report(service_tasks, PERIOD, today=dt.date(2027, 3, 31))
    assert (_row(result, "SC-3").figures.open, _row(result, "SC-3").figures.overdue) == (1, 0)
    assert _row(result, "DV-3").figures.overdue == 1


def test_the_drill_down_lists_the_duties_behind_each_number(service_tasks) -> None:
    late = duties(service_tasks, PERIOD, outcome="late", today=TODAY, rule_id="SC-3")
    assert sorted((t.due_on, t.late_by.days) for t in late) == [
        (dt.date(2027, 1, 20), 3),
        (dt.date(2027, 2, 10), 1),
        (dt.date(2027, 3, 29), 1),
    ]
    on_time = duties(service_tasks, PERIOD, outcome="on_time", today=TODAY)
    assert sorted(t.due_on for t in on_time) == [dt.date(2027, 1, 4), dt.date(2027, 1, 15)]
    march = duties(service_tasks, PERIOD, outcome="cancelled", today=TODAY, month=dt.date(2027, 3, 1))
    assert [t.closed_note for t in march.order_by("due_on")] == [
        "The placement ended",
        "The device was removed",
    ]


def test_a_duty_due_over_christmas_in_working_days_is_judged_by_its_own_due_date(world) -> None:
    # SC-4 and SC-5: an emergency placement on Wednesday 23 December 2026 makes the agreements'
    # updates due 5 working days later. Christmas Day (Friday 25), Boxing Day's substitute (Monday
    # 28) and New Year's Day (Friday 1 January) are bank holidays: 24, 29, 30, 31 December and
    # Monday 4 January 2027 are the five working days.
    with time_machine.travel(_at(dt.date(2026, 12, 23), 10), tick=False):
        child = ChildFactory(service=world.service, date_of_birth=dt.date(2015, 1, 1))
        household_services.allocation_set(actor=world.harry, kind="childs", worker=world.chris, child=child)
        household_services.placement_create(
            actor=world.harry,
            child=child,
            household=world.household_other,
            start_on=dt.date(2026, 12, 23),
            emergency=True,
        )
    update = Task.objects.get(child=child, rule_id="SC-4")
    agreement = Task.objects.get(child=child, rule_id="SC-5")
    assert update.due_on == agreement.due_on == dt.date(2027, 1, 4)
    with time_machine.travel(_at(dt.date(2027, 1, 4), 16), tick=False):
        task_complete(actor=world.sam, task=update)  # on its due date: on time
    with time_machine.travel(_at(dt.date(2027, 1, 5), 9), tick=False):
        task_complete(actor=world.chris, task=agreement)  # the next day: 1 day late
    result = report(
        Task.objects.filter(child=child),
        Period(dt.date(2027, 1, 4), dt.date(2027, 1, 4)),
        today=dt.date(2027, 1, 6),
    )
    assert _counts(_row(result, "SC-4").figures) == (1, 1, 0, None, None, 0, 0, 0)
    assert _counts(_row(result, "SC-5").figures) == (1, 0, 1, 1, 1, 0, 0, 0)
    # Counted in calendar days from 23 December the duty would have been due on 28 December:
    # nothing of it falls due then.
    assert (
        report(
            Task.objects.filter(child=child, rule_id__in=["SC-4", "SC-5"]),
            Period(dt.date(2026, 12, 28), dt.date(2026, 12, 31)),
            today=dt.date(2027, 1, 6),
        ).total.due
        == 0
    )


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [
        ({}, None),
        ({4: 1}, 4),
        ({1: 1, 3: 1}, 2),
        ({1: 1, 2: 1}, 1.5),
        ({1: 2, 10: 1}, 1),
        ({1: 1, 5: 1, 10: 1}, 5),
        ({2: 3, 9: 3}, 5.5),
        ({1: 5, 100: 4}, 1),
    ],
)
def test_the_median_of_days_late(histogram, expected) -> None:
    assert median(histogram) == expected


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends on or after its start"):
        Period(dt.date(2027, 2, 1), dt.date(2027, 1, 31))
