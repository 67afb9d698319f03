"""A task due today reads "Due today", apart from those due in the next 7 days."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from safecare.core import selectors
from tests.conftest import sign_in
from tests.factories import TaskFactory

# Tuesday 1 December 2026, 10:00 in London.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _tasks(world) -> None:  # type: ignore[no-untyped-def]
    world.task_own.delete()  # the world's own task is due on the day the world was built
    for due, title in [
        (dt.date(2026, 11, 30), "Late duty"),
        (dt.date(2026, 12, 1), "Duty due today"),
        (dt.date(2026, 12, 2), "Duty due tomorrow"),
        (dt.date(2026, 12, 7), "Duty due on Monday"),
        (dt.date(2026, 12, 8), "Duty due next week"),
    ]:
        TaskFactory(service=world.service, owner=world.sam, title=title, due_on=due)


def _section(page: str, heading: str) -> str:
    """The part of the page from one h2 to the next."""
    match = re.search(rf'<h2 class="govuk-heading-m">{heading} .*?(?=<h2 |$)', page, re.S)
    assert match, heading
    return match.group(0)


def test_the_inbox_keeps_today_apart_from_the_next_7_days(clock, world) -> None:
    _tasks(world)
    inbox = selectors.task_inbox(world.sam, today=TODAY)
    assert [t.title for t in inbox.overdue] == ["Late duty"]
    assert [t.title for t in inbox.due_today] == ["Duty due today"]
    assert [t.title for t in inbox.after_today] == ["Duty due tomorrow", "Duty due on Monday"]
    assert [t.title for t in inbox.later] == ["Duty due next week"]
    assert (inbox.due_today_count, inbox.after_today_count, inbox.this_week_count) == (1, 2, 3)
    # What the page shows, in order, for the access log.
    assert [t.title for t in inbox.this_week] == ["Duty due today", "Duty due tomorrow", "Duty due on Monday"]


@pytest.mark.parametrize("path", ["/tasks/", "/"])
def test_my_tasks_show_a_task_due_today_under_due_today(clock, world, path) -> None:
    _tasks(world)
    page = sign_in(Client(), world.sam).get(path).content.decode()
    today = _section(page, "Due today")
    assert "(1)" in today and "Duty due today" in today
    assert '<strong class="govuk-tag govuk-tag--yellow">Due today</strong>' in today
    coming = _section(page, "Due in the next 7 days")
    assert "Duty due today" not in coming
    assert "Duty due tomorrow" in coming and "Duty due on Monday" in coming
    assert "Due today" not in coming


def test_nothing_due_today_says_so(clock, world) -> None:
    world.task_own.delete()
    page = sign_in(Client(), world.sam).get("/tasks/").content.decode()
    assert "Nothing due today." in _section(page, "Due today")


def test_the_service_dashboard_filters_and_marks_tasks_due_today(clock, world) -> None:
    _tasks(world)
    page = sign_in(Client(), world.frank).get("/tasks/service/?when=today").content.decode()
    assert "Duty due today" in page
    assert "Duty due tomorrow" not in page and "Late duty" not in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Due today</strong>' in page


def test_the_scrolling_box_around_a_task_table_takes_focus_and_has_a_name(clock, world) -> None:
    _tasks(world)
    page = sign_in(Client(), world.sam).get("/tasks/").content.decode()
    for label in ["Overdue tasks", "Tasks due today", "Tasks due in the next 7 days", "Tasks due later"]:
        assert f'<div class="app-table-scroll" tabindex="0" role="region" aria-label="{label}">' in page
