"""Duties: what kinds there are, and every task opened and closed here, inside the caller's transaction.

Every kind of duty is declared once, with :func:`duty`, in its app's
``duties.py``: its key, its rule, and what fulfils it. A duty that a record
fulfils (an assessment, an agreement version, a review, a decision) closes
only when that record is made, through :func:`tasks_close` in the service that
makes it; nobody can tick it off by hand, on a page or through the API
(rules: Everywhere). A reminder, with no record behind it, may be marked done by a
person, with a note saying what was done. A repeating duty (a review, the next
supervision, the periodic device check) opens its next occurrence when the
record that fulfils it is made, so one is always open.

Opening an undeclared kind is refused, so every duty in the code is in the
registry, and a test walks the registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import save_as
from .events import Event, subscribe
from .models import Task, TaskStatus, Team

if TYPE_CHECKING:
    from safecare.households.models import Child, Household

    from .models import FosteringService, User


@dataclass(frozen=True)
class DutyKind:
    key: str
    rule_id: str
    # What closes it, in words a worker reads on the task ("a risk assessment of this child").
    # Empty: a reminder, which a person may mark done with a note.
    fulfilled_by: str
    # A review or a recurring check: its next occurrence opens when this one is fulfilled.
    repeats: bool = False

    @property
    def is_reminder(self) -> bool:
        return not self.fulfilled_by


_kinds: dict[str, DutyKind] = {}


def duty(key: str, *, rule_id: str, fulfilled_by: str, repeats: bool = False) -> str:
    """Declare a kind of duty; returns its key, the value stored in Task.kind."""
    kind = DutyKind(key=key, rule_id=rule_id, fulfilled_by=fulfilled_by, repeats=repeats)
    existing = _kinds.get(key)
    if existing is not None and existing != kind:
        raise ValueError(f"duty {key!r} is declared twice, differently")
    _kinds[key] = kind
    return key


def duty_kind(key: str) -> DutyKind | None:
    return _kinds.get(key)


def duty_kinds() -> list[DutyKind]:
    return sorted(_kinds.values(), key=lambda k: (k.rule_id, k.key))


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
    due_basis: str = "",
) -> Task:
    """Open the duty, or return the one already open for the same subject.

    Idempotent (the partial unique constraint task_one_open_per_duty backs it):
    a retried job or a double submission never makes two tasks.
    """
    if kind not in _kinds:
        raise LookupError(f"duty {kind!r} is not declared: declare it with core.tasks.duty()")
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
        due_basis=due_basis[:300],
    )
    save_as(task, actor)
    return task


def task_complete(*, actor: User | None, task: Task, status: str = TaskStatus.DONE, note: str = "") -> Task:
    if not task.is_open:
        return task
    task.status = status
    task.completed_by = actor
    task.completed_at = timezone.now()
    task.closed_note = note.strip()
    save_as(task, actor, update_fields=["status", "completed_by", "completed_at", "closed_note"])
    return task


def tasks_close(
    *,
    actor: User | None,
    service: FosteringService,
    kind: str,
    household: Household | None = None,
    child: Child | None = None,
) -> int:
    """Close the open duty of this kind for the subject, if any: the record that fulfils it was made."""
    closed = 0
    for task in Task.objects.select_for_update().filter(
        service=service, kind=kind, household=household, child=child, status=TaskStatus.OPEN
    ):
        task_complete(actor=actor, task=task)
        closed += 1
    return closed


def tasks_cancel(*, actor: User | None, tasks: Iterable[Task], reason: str) -> int:
    """Cancel duties whose facts have gone (a placement ended, a household deregistered), saying why."""
    cancelled = 0
    for task in tasks:
        if task.is_open:
            task_complete(actor=actor, task=task, status=TaskStatus.CANCELLED, note=reason)
            cancelled += 1
    return cancelled


def tasks_reassign(
    *,
    actor: User | None,
    tasks: Iterable[Task],
    previous: User | None,
    current: User | None,
) -> int:
    """A worker leaves a case: their open duties of it go to the worker who takes it over.

    With nobody allocated yet the duty stays with the team, unowned, so the team
    manager's dashboard shows it; it is never left with someone who no longer holds the case.
    """
    moved = 0
    for task in tasks:
        if not task.is_open or previous is None or task.owner_id != previous.pk:
            continue
        task.owner = current
        fields = ["owner"]
        if current is not None and current.team_id is not None:
            task.team = current.team
            fields.append("team")
        save_as(task, actor, update_fields=fields)
        moved += 1
    return moved


def mark_done_refusal(task: Task) -> str:
    """Why a person may not mark this task done by hand; empty when they may (a reminder)."""
    if not task.is_open:
        return "This task is already closed."
    kind = duty_kind(task.kind)
    if kind is not None and not kind.is_reminder:
        return (
            f"This task closes by itself when {kind.fulfilled_by} is recorded ({kind.rule_id}). "
            "It cannot be marked done without it."
        )
    return ""


@subscribe(Event.CHILDS_SOCIAL_WORKER_CHANGED)
def childs_social_worker_changed(
    *, actor: User, child: Child, previous: User | None, current: User | None
) -> None:
    """SC-5, SC-9, CX-4, DV-10: the child's duties follow the child's social worker."""
    tasks = Task.objects.select_for_update().filter(child=child, status=TaskStatus.OPEN, owner=previous)
    tasks_reassign(actor=actor, tasks=tasks, previous=previous, current=current)


@subscribe(Event.HOUSEHOLD_WORKER_CHANGED)
def household_worker_changed(
    *, actor: User, household: Household, previous: User | None, current: User | None, **_: object
) -> None:
    """The household's duties follow its supervising (or assessing) social worker."""
    tasks = Task.objects.select_for_update().filter(
        household=household, status=TaskStatus.OPEN, owner=previous
    )
    tasks_reassign(actor=actor, tasks=tasks, previous=previous, current=current)


@transaction.atomic
def task_mark_done(*, actor: User, task: Task, note: str = "") -> Task:
    """A person marks a reminder done from their inbox: the owner, or a manager who sees it.

    A duty a record fulfils is refused (rules: Everywhere): it closes with that record only.
    """
    from .access import tasks_visible_to

    task = tasks_visible_to(actor).select_for_update().filter(pk=task.pk).first()  # type: ignore[assignment]
    if task is None:
        raise PermissionDenied
    refusal = mark_done_refusal(task)
    if refusal:
        raise ValidationError({"note": [f"Mark as done: {refusal}"]})
    if not note.strip():
        raise ValidationError({"note": ["What was done: say what was done before marking it done"]})
    return task_complete(actor=actor, task=task, note=note)
