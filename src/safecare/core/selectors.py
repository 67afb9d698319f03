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
    overdue: list[Task]
    this_week: list[Task]
    later: list[Task]
    overdue_count: int
    this_week_count: int
    later_count: int
    limit: int


def task_inbox(user: User, *, today: dt.date | None = None, limit: int = 50) -> Inbox:
    """My tasks: overdue, due in the next 7 days, later. Six queries whatever the data."""
    today = today or timezone.localdate()
    week_end = today + dt.timedelta(days=7)
    mine = _with_subjects(tasks_visible_to(user).filter(owner=user, status=TaskStatus.OPEN))
    overdue = mine.filter(due_on__lt=today)
    this_week = mine.filter(due_on__gte=today, due_on__lt=week_end)
    later = mine.filter(due_on__gte=week_end)
    return Inbox(
        overdue=list(overdue[:limit]),
        this_week=list(this_week[:limit]),
        later=list(later[:limit]),
        overdue_count=overdue.count(),
        this_week_count=this_week.count(),
        later_count=later.count(),
        limit=limit,
    )


WHEN_CHOICES = [
    ("", "Any time"),
    ("overdue", "Overdue"),
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
    elif when == "week":
        tasks = tasks.filter(due_on__gte=today, due_on__lt=today + dt.timedelta(days=7))
    elif when == "later":
        tasks = tasks.filter(due_on__gte=today + dt.timedelta(days=7))
    return _with_subjects(tasks).order_by("due_on", "id")
