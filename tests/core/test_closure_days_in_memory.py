"""Closure days held in memory: a deadline costs no query, and a new closure day counts at once
(rules: How dates are counted).

Worked by hand: Monday 7 December 2026 plus 5 working days is Monday 14 December. With
Wednesday 9 December a closure day, it is Tuesday 15 December; without it again, the 14th.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecare.core import calendars
from safecare.core.deadlines import working_days_after
from safecare.core.models import ClosureDay, FosteringService
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def due(service: FosteringService) -> date:
    return working_days_after(service, date(2026, 12, 7), 5, event="the change", rule_id="SC-6").due_on


def test_after_the_first_deadline_the_next_ones_read_nothing_from_the_database() -> None:
    service = ServiceFactory()
    assert due(service) == date(2026, 12, 14)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert due(service) == date(2026, 12, 14)
    assert len(queries) == 0


def test_a_closure_day_added_or_removed_counts_for_the_same_service_object_at_once() -> None:
    service = ServiceFactory()
    assert due(service) == date(2026, 12, 14)
    closure = ClosureDay.objects.create(service=service, date=date(2026, 12, 9), reason="Staff training")
    assert due(service) == date(2026, 12, 15)
    closure.delete()
    assert due(service) == date(2026, 12, 14)


def test_a_closure_day_added_by_another_process_counts_when_the_service_is_next_loaded() -> None:
    service = ServiceFactory()
    assert due(service) == date(2026, 12, 14)
    # Another process adds the day: this process's memory still holds the days it read.
    held = dict(calendars._closure_days)
    ClosureDay.objects.create(service_id=service.pk, date=date(2026, 12, 9), reason="Staff training")
    calendars._closure_days.update(held)
    assert due(service) == date(2026, 12, 14)  # a row loaded before the change, as a request's
    assert due(FosteringService.objects.get(pk=service.pk)) == date(2026, 12, 15)


def test_two_services_keep_their_own_closure_days() -> None:
    closed, open_ = ServiceFactory(), ServiceFactory()
    ClosureDay.objects.create(service=closed, date=date(2026, 12, 9), reason="Staff training")
    assert (due(closed), due(open_)) == (date(2026, 12, 15), date(2026, 12, 14))
