"""Task services: every duty opened and closed here, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .audit import save_as
from .models import Task, TaskStatus, Team

if TYPE_CHECKING:
    from safecare.households.models import Child, Household

    from .models import FosteringService, User


def task_open(
    *,
    service: FosteringService,
    rule_id: str,
    kind: str,
    title: str,
    due_on: dt.date,
    owner: User | None,
    team: Team | None = None,
    household: Household | None = None,
    child: Child | None = None,
    actor: User | None = None,
) -> Task:
    """Open the duty, or return the one already open for the same subject.

    Idempotent (the partial unique constraint task_one_open_per_duty backs it):
    a retried job or a double submission never makes two tasks.
    """
    existing = Task.objects.filter(
        service=service, kind=kind, household=household, child=child, status=TaskStatus.OPEN
    ).first()
    if existing is not None:
        return existing
    if team is None and owner is not None:
        team = owner.team
    task = Task(
        service=service,
        rule_id=rule_id,
        kind=kind,
        title=title,
        due_on=due_on,
        owner=owner,
        team=team,
        household=household,
        child=child,
    )
    save_as(task, actor)
    return task


def task_complete(*, actor: User, task: Task, status: str = TaskStatus.DONE) -> Task:
    if not task.is_open:
        return task
    task.status = status
    task.completed_by = actor
    task.completed_at = timezone.now()
    save_as(task, actor, update_fields=["status", "completed_by", "completed_at"])
    return task


def tasks_close(
    *,
    actor: User,
    service: FosteringService,
    kind: str,
    household: Household | None = None,
    child: Child | None = None,
) -> int:
    """Close the open duty of this kind for the subject, if any (the event fulfilled it)."""
    closed = 0
    for task in Task.objects.select_for_update().filter(
        service=service, kind=kind, household=household, child=child, status=TaskStatus.OPEN
    ):
        task_complete(actor=actor, task=task)
        closed += 1
    return closed


@transaction.atomic
def task_mark_done(*, actor: User, task: Task) -> Task:
    """A person marks a task done from their inbox: the owner, or a manager who sees it."""
    from .access import tasks_visible_to

    if not tasks_visible_to(actor).filter(pk=task.pk).exists():
        raise PermissionDenied
    return task_complete(actor=actor, task=task)
