"""Reads of tasks for inboxes and dashboards, already scoped through core.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .access import tasks_visible_to
from .models import Task, TaskStatus, User


def _with_subjects(tasks: QuerySet[Task]) -> QuerySet[Task]:
    # One query for a page of tasks whatever the page shows of them.
    return tasks.select_related("household", "child", "owner", "team")


@dataclass(frozen=True)
class Inbox:
    """A person's open tasks by when they fall due.

    `this_week` is every task shown from today to 6 days ahead, `due_today` then
    `after_today` (what the page lists, for the access log); the page shows the two apart,
    so a task due today reads "Due today", not "in the next 7 days".
    """

    overdue: list[Task]
    due_today: list[Task]
    after_today: list[Task]
    later: list[Task]
    overdue_count: int
    due_today_count: int
    after_today_count: int
    later_count: int
    limit: int

    @property
    def this_week(self) -> list[Task]:
        return [*self.due_today, *self.after_today]

    @property
    def this_week_count(self) -> int:
        return self.due_today_count + self.after_today_count


def task_inbox(user: User, *, today: dt.date | None = None, limit: int = 50) -> Inbox:
    """My tasks: overdue, due today, due in the next 7 days, later. Eight queries whatever the data."""
    today = today or timezone.localdate()
    week_end = today + dt.timedelta(days=7)
    mine = _with_subjects(tasks_visible_to(user).filter(owner=user, status=TaskStatus.OPEN))
    overdue = mine.filter(due_on__lt=today)
    due_today = mine.filter(due_on=today)
    after_today = mine.filter(due_on__gt=today, due_on__lt=week_end)
    later = mine.filter(due_on__gte=week_end)
    return Inbox(
        overdue=list(overdue[:limit]),
        due_today=list(due_today[:limit]),
        after_today=list(after_today[:limit]),
        later=list(later[:limit]),
        overdue_count=overdue.count(),
        due_today_count=due_today.count(),
        after_today_count=after_today.count(),
        later_count=later.count(),
        limit=limit,
    )


WHEN_CHOICES = [
    ("", "Any time"),
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("week", "Due in the next 7 days"),
    ("later", "Later"),
]


def task_dashboard(
    user: User,
    *,
    scope: str,
    rule_id: str = "",
    owner_id: int | None = None,
    when: str = "",
    status: str = TaskStatus.OPEN,
    today: dt.date | None = None,
) -> QuerySet[Task]:
    """Team or service dashboard with filters by rule, owner, due and status."""
    today = today or timezone.localdate()
    tasks = tasks_visible_to(user)
    if scope == "team":
        tasks = tasks.filter(team_id=user.team_id) if user.team_id else tasks.none()
    if status:
        tasks = tasks.filter(status=status)
    if rule_id:
        tasks = tasks.filter(rule_id=rule_id)
    if owner_id:
        tasks = tasks.filter(owner_id=owner_id)
    if when == "overdue":
        tasks = tasks.filter(due_on__lt=today)
    elif when == "today":
        tasks = tasks.filter(due_on=today)
    elif when == "week":
        tasks = tasks.filter(due_on__gte=today, due_on__lt=today + dt.timedelta(days=7))
    elif when == "later":
        tasks = tasks.filter(due_on__gte=today + dt.timedelta(days=7))
    return _with_subjects(tasks).order_by("due_on", "id")
