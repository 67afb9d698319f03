"""Reads of tasks for inboxes and dashboards, already scoped through core.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .access import own_tasks, tasks_visible_to, team_tasks
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
    """My tasks: overdue, due today, due in the next 7 days, later. One query whatever the data.

    Each open task is numbered within its group, and carries its group's size; the first
    `limit` of each group are read (decision 0055).
    """
    today = today or timezone.localdate()
    week_end = today + dt.timedelta(days=7)
    group = Case(
        When(due_on__lt=today, then=Value(0)),
        When(due_on=today, then=Value(1)),
        When(due_on__lt=week_end, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    rows = list(
        _with_subjects(own_tasks(user).filter(status=TaskStatus.OPEN))
        .annotate(
            inbox_group=group,
            inbox_place=Window(RowNumber(), partition_by=[group], order_by=[F("due_on"), F("id")]),
            inbox_size=Window(Count("id"), partition_by=[group]),
        )
        .filter(inbox_place__lte=limit)
        .order_by("due_on", "id")
    )
    groups: list[list[Task]] = [[], [], [], []]
    sizes = [0, 0, 0, 0]
    for task in rows:
        groups[task.inbox_group].append(task)
        sizes[task.inbox_group] = task.inbox_size
    return Inbox(
        overdue=groups[0],
        due_today=groups[1],
        after_today=groups[2],
        later=groups[3],
        overdue_count=sizes[0],
        due_today_count=sizes[1],
        after_today_count=sizes[2],
        later_count=sizes[3],
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
    tasks = team_tasks(user) if scope == "team" else tasks_visible_to(user)
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
