"""Every write to households, members, children and placements.

Keyword-only arguments, one transaction, the history row naming the actor and
any tasks the event creates or fulfils, all inside it (STYLE: services).
Views, the API, commands and jobs all call these: a rule is written once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safecare.core.audit import assign, save_as
from safecare.core.concurrency import check_version
from safecare.core.deadlines import calendar_days_after
from safecare.core.events import Event, publish
from safecare.core.models import Task, TaskStatus
from safecare.core.tasks import task_open, tasks_cancel, tasks_close

from . import plausible
from .approval import approval_problems
from .duties import SAFER_CARING_GUIDANCE
from .models import (
    Allocation,
    AllocationKind,
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    Placement,
    TrainingRecord,
    Visitor,
)
from .selectors import household_worker
from .workflow import FINAL, PLACEABLE, allowed_next, permission_for, status_history, status_on

if TYPE_CHECKING:
    from safecare.core.models import FosteringService, Team, User


def _day(day: dt.date) -> str:
    """A date as people write it in a message: 3 November 2026."""
    return f"{day.day} {day:%B %Y}"


def _validate(instance: Any, exclude: list[str] | None = None) -> None:
    # Model validation (choices, validators, check constraints) before any write,
    # so bad input becomes a message naming the field, never a database error.
    instance.full_clean(exclude=exclude, validate_unique=False)


# Households ------------------------------------------------------------------------------


@transaction.atomic
def household_create(
    *,
    actor: User,
    service: FosteringService,
    name: str,
    team: Team | None = None,
    max_children: int = 1,
    age_min: int = 0,
    age_max: int = 17,
    postcode: str = "",
) -> Household:
    household = Household(
        service=service,
        name=name,
        team=team,
        max_children=max_children,
        age_min=age_min,
        age_max=age_max,
        postcode=postcode,
    )
    _validate(household)
    save_as(household, actor)
    if actor.role == "assessing_sw":
        allocation_set(actor=actor, kind=AllocationKind.ASSESSING, worker=actor, household=household)
    return household


@transaction.atomic
def household_update(
    *, actor: User, household: Household, expected_version: int | str | None = None, **fields: Any
) -> Household:
    allowed = {"name", "team", "max_children", "age_min", "age_max", "postcode"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"household_update cannot change {sorted(unknown)}")
    household = Household.objects.select_for_update().get(pk=household.pk)
    check_version(household, expected_version)
    changed = assign(household, fields)
    if changed:
        _validate(household)
        save_as(household, actor, update_fields=changed)
    return household


def household_transition_problems(household: Household, to_status: str) -> list[str]:
    """Why this move of the workflow may not happen now; empty when it may."""
    if to_status not in allowed_next(household.status):
        return [
            f"a household that is {household.get_status_display().lower()} cannot become "
            f"{HouseholdStatus(to_status).label.lower()}"
        ]
    if household.status == HouseholdStatus.IN_ASSESSMENT and to_status == HouseholdStatus.APPROVED:
        return [str(problem) for problem in approval_problems(household)]
    return []


EFFECTIVE_ON = "Date the change takes effect"


def _last_change_on(household: Household) -> dt.date | None:
    """When the household's status last changed: its latest change, or its approval."""
    days = [change.effective_on for change in status_history(household)]
    if household.approved_on is not None:
        days.append(household.approved_on)
    return max(days, default=None)


def status_change_problems(
    *, household: Household, to_status: str, effective_on: dt.date, confirmed: bool = False
) -> dict[str, list[str]]:
    """Why this status change may not be made; empty when it may. Keys are form fields.

    A change takes effect today or on a day already past, never before the
    previous change (decision 0015). A final status (resigned, deregistered) is
    confirmed, and made only once no child is placed with the household on or
    after its date.
    """
    moves = household_transition_problems(household, to_status)
    if moves:
        return {"to_status": moves}
    problems: dict[str, list[str]] = {}
    today = timezone.localdate()
    if effective_on > today:
        problems.setdefault("effective_on", []).append(
            f"{EFFECTIVE_ON}: cannot be in the future; record the change on or after the day "
            f"it takes effect (today is {_day(today)})"
        )
    last = _last_change_on(household)
    if last is not None and effective_on < last:
        problems.setdefault("effective_on", []).append(
            f"{EFFECTIVE_ON}: cannot be before the household's previous status change, "
            f"which took effect on {_day(last)}"
        )
    placements = Placement.objects.filter(household=household)
    if household.status in PLACEABLE and to_status not in PLACEABLE | FINAL:
        # Every placement started on a day the household was approved: it cannot go
        # on hold before a child it took in arrived. (A final status checks more, below.)
        latest_start = (
            placements.filter(start_on__gt=effective_on)
            .order_by("-start_on")
            .values_list("start_on", flat=True)
        ).first()
        if latest_start is not None:
            problems.setdefault("effective_on", []).append(
                f"{EFFECTIVE_ON}: a child was placed with the household on {_day(latest_start)}, while it "
                "was approved; the change cannot take effect before that"
            )
    if to_status in FINAL:
        still_placed = placements.filter(end_on__isnull=True).count()
        if still_placed:
            children, placements_word = (
                ("1 child is", "placement")
                if still_placed == 1
                else (f"{still_placed} children are", "placements")
            )
            problems.setdefault("to_status", []).append(
                f"New status: {children} still placed with the household; a household that has "
                f"{_final_words(to_status)} cannot have children placed with it: end the {placements_word} first"
            )
        last_end = (
            placements.filter(end_on__gt=effective_on).order_by("-end_on").values_list("end_on", flat=True)
        ).first()
        if last_end is not None:
            problems.setdefault("effective_on", []).append(
                f"{EFFECTIVE_ON}: a placement with the household ended on {_day(last_end)}; the household "
                f"cannot have {_final_words(to_status)} before the last child left"
            )
        if not confirmed:
            problems.setdefault("confirm", []).append(
                f"Confirm: a household that has {_final_words(to_status)} can never be changed back "
                "(a return is a new application with a full assessment); confirm that you understand "
                "this cannot be undone"
            )
    return problems


def _final_words(to_status: str) -> str:
    return "resigned" if to_status == HouseholdStatus.RESIGNED else "been deregistered"


def _final_reason(to_status: str, effective_on: dt.date) -> str:
    if to_status == HouseholdStatus.RESIGNED:
        return f"The household resigned on {_day(effective_on)}"
    return f"The household was deregistered on {_day(effective_on)}"


@transaction.atomic
def household_change_status(
    *,
    actor: User,
    household: Household,
    to_status: str,
    effective_on: dt.date | None = None,
    reason: str = "",
    confirmed: bool = False,
) -> HouseholdStatusChange:
    """The one entry point of the household workflow: guard, change, record, tasks.

    `effective_on` (today when not given) is the day the change took effect;
    `confirmed` says the person confirmed a final change (resigned,
    deregistered), which cannot be undone.
    """
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not actor.has_perm(permission_for(to_status)):
        raise PermissionDenied(f"{actor} may not make a household {to_status}")
    effective_on = effective_on or timezone.localdate()
    problems = status_change_problems(
        household=household, to_status=to_status, effective_on=effective_on, confirmed=confirmed
    )
    if problems:
        raise ValidationError(problems)
    change = HouseholdStatusChange.objects.create(
        household=household,
        from_status=household.status,
        to_status=to_status,
        changed_by=actor,
        effective_on=effective_on,
        reason=reason,
    )
    first_approval = to_status == HouseholdStatus.APPROVED and household.approved_on is None
    household.status = to_status
    fields = ["status"]
    if first_approval:
        household.approved_on = effective_on
        fields.append("approved_on")
    save_as(household, actor, update_fields=fields)
    if to_status in FINAL:
        # Nothing is left to do for a household that has ended: every open duty of it,
        # the duties about the children once placed there included (they name the
        # household), is cancelled, saying why. Before the event, so a procedure
        # reacting to it may still open a duty of its own.
        tasks_cancel(
            actor=actor,
            tasks=Task.objects.select_for_update().filter(
                service=household.service, household=household, status=TaskStatus.OPEN
            ),
            reason=_final_reason(to_status, effective_on),
        )
    publish(Event.HOUSEHOLD_STATUS_CHANGED, actor=actor, household=household, change=change)
    if to_status == HouseholdStatus.IN_ASSESSMENT:
        publish(Event.ASSESSMENT_STARTED, actor=actor, household=household)
    if first_approval:
        publish(Event.HOUSEHOLD_APPROVED, actor=actor, household=household, approved_on=effective_on)
    if first_approval and household.safer_caring_guidance_given_on is None:
        # SC-3: carers receive "Safer Caring: A New Approach" during assessment
        # or within 14 calendar days of approval; the SSW (else the assessing SW) owns it.
        deadline = calendar_days_after(effective_on, 14, event="approval", rule_id="SC-3")
        task_open(
            service=household.service,
            rule_id="SC-3",
            kind=SAFER_CARING_GUIDANCE,
            title="Give the carers 'Safer Caring: A New Approach'",
            due_on=deadline.due_on,
            due_basis=deadline.basis,
            owner=household_worker(household),
            team=household.team,
            household=household,
            actor=actor,
        )
    return change


@transaction.atomic
def household_record_guidance(*, actor: User, household: Household, given_on: dt.date) -> Household:
    """SC-3: the guidance was given; the duty, if open, is fulfilled."""
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "Date given: the guidance cannot be given in the future"})
    household.safer_caring_guidance_given_on = given_on
    save_as(household, actor, update_fields=["safer_caring_guidance_given_on"])
    tasks_close(actor=actor, service=household.service, kind=SAFER_CARING_GUIDANCE, household=household)
    return household


# Members, visitors, training -----------------------------------------------------------------


@transaction.atomic
def member_add(*, actor: User, household: Household, **fields: Any) -> HouseholdMember:
    member = HouseholdMember(household=household, **fields)
    _validate(member)
    save_as(member, actor)
    # DV-11 among others: someone new lives here and must be told about the devices.
    publish(Event.MEMBER_MOVED_IN, actor=actor, member=member)
    return member


@transaction.atomic
def member_update(
    *, actor: User, member: HouseholdMember, expected_version: int | str | None = None, **fields: Any
) -> HouseholdMember:
    member = HouseholdMember.objects.select_for_update().get(pk=member.pk)
    check_version(member, expected_version)
    changed = assign(member, fields)
    if changed:
        _validate(member)
        save_as(member, actor, update_fields=changed)
        if "moved_in_on" in changed:
            publish(Event.MEMBER_MOVED_IN, actor=actor, member=member)
    return member


@transaction.atomic
def visitor_add(*, actor: User, household: Household, **fields: Any) -> Visitor:
    visitor = Visitor(household=household, **fields)
    _validate(visitor)
    if visitor.until and visitor.until < visitor.since:
        raise ValidationError({"until": "Until: must be on or after the date the visits began"})
    save_as(visitor, actor)
    return visitor


@transaction.atomic
def training_record(
    *,
    actor: User,
    household: Household,
    member: HouseholdMember,
    course: str,
    completed_on: dt.date,
    title: str = "",
) -> TrainingRecord:
    if member.household_id != household.pk:
        raise ValidationError({"member": "Member: must live in this household"})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "Completed on: cannot be in the future"})
    if early := plausible.training_too_early(completed_on, "Completed on"):
        raise ValidationError({"completed_on": [early]})
    record = TrainingRecord(
        household=household,
        member=member,
        course=course,
        completed_on=completed_on,
        title=title,
        recorded_by=actor,
    )
    _validate(record)
    save_as(record, actor)
    return record


# Children and placements ---------------------------------------------------------------------


@transaction.atomic
def child_create(
    *,
    actor: User,
    service: FosteringService,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    team: Team | None = None,
    csw: User | None = None,
    different_child: bool = False,
) -> Child:
    """Add a child. The same child again (name and date of birth) is refused unless the person
    adding confirms it is a different child: two records would each miss half of the child's history."""
    child = Child(
        service=service, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, team=team
    )
    _validate(child)
    if date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": "Date of birth: cannot be in the future"})
    if not different_child and plausible.same_child(service, first_name, last_name, date_of_birth):
        raise ValidationError(
            {"different_child": [plausible.same_child_message(first_name, last_name, date_of_birth)]}
        )
    save_as(child, actor)
    if csw is None and actor.role == "childs_sw":
        csw = actor
    if csw is not None:
        allocation_set(actor=actor, kind=AllocationKind.CHILDS, worker=csw, child=child)
    return child


@transaction.atomic
def child_update(
    *, actor: User, child: Child, expected_version: int | str | None = None, **fields: Any
) -> Child:
    child = Child.objects.select_for_update().get(pk=child.pk)
    check_version(child, expected_version)
    changed = assign(child, fields)
    if changed:
        _validate(child)
        save_as(child, actor, update_fields=changed)
    return child


def _not_approved_on(household: Household, day: dt.date) -> str:
    """Why the household was not approved on `day`, from its status history; empty if it was."""
    history = status_history(household)
    status = status_on(household, day, history)
    if status in PLACEABLE:
        return ""
    if household.approved_on is not None and day < household.approved_on:
        return f"the household was not approved until {_day(household.approved_on)}"
    again = next((c.effective_on for c in history if c.effective_on > day and c.to_status in PLACEABLE), None)
    words = f"the household was {HouseholdStatus(status).label.lower()} on {_day(day)}, not approved"
    return f"{words}; it was approved again from {_day(again)}" if again else words


def placement_problems(
    *, household: Household, child: Child, start_on: dt.date, end_on: dt.date | None = None
) -> dict[str, list[str]]:
    """Why this placement may not be made; empty when it may. Keys are form fields.

    The household is approved now and was approved on the start date (its status
    history says so, decision 0015); the terms of approval it has now (ages,
    number of children) hold on the start date and while the placement lasts.
    """
    problems: dict[str, list[str]] = {}
    if household.service_id != child.service_id:
        problems.setdefault("household", []).append("Household: must belong to the child's fostering service")
        return problems
    if household.status not in PLACEABLE:
        problems.setdefault("household", []).append(
            f"Household: a child can only be placed with an approved household; "
            f"this one is {household.get_status_display().lower()}"
        )
    else:
        not_approved = _not_approved_on(household, start_on)
        if not_approved:
            problems.setdefault("start_on", []).append(f"Start date: {not_approved}")
    age = child.age_on(start_on)
    if not household.age_min <= age <= household.age_max:
        problems.setdefault("household", []).append(
            f"Household: approved for ages {household.age_min} to {household.age_max}; "
            f"the child will be {age} on the start date"
        )
    # Terms of approval: the most children at once during the new placement must stay
    # within the number approved. Concurrency peaks at some placement's start day.
    overlapping = list(
        Placement.objects.filter(household=household)
        .exclude(end_on__isnull=False, end_on__lte=start_on)
        .exclude(start_on__gte=end_on if end_on else dt.date.max)
        .values_list("start_on", "end_on")
    )
    checkpoints = {start_on} | {s for s, _ in overlapping if s > start_on}
    peak = max(sum(1 for s, e in overlapping if s <= day and (e is None or e > day)) for day in checkpoints)
    if peak + 1 > household.max_children:
        problems.setdefault("household", []).append(
            f"Household: approved for {household.max_children} "
            f"{'child' if household.max_children == 1 else 'children'} at a time; "
            f"{peak} already placed then"
        )
    clash = (
        Placement.objects.filter(child=child)
        .exclude(end_on__isnull=False, end_on__lte=start_on)
        .exclude(start_on__gte=end_on if end_on else dt.date.max)
    )
    if clash.exists():
        problems.setdefault("start_on", []).append(
            "Start date: the child already has a placement over these dates; end it first"
        )
    return problems


@transaction.atomic
def placement_create(
    *,
    actor: User,
    child: Child,
    household: Household,
    start_on: dt.date,
    emergency: bool = False,
) -> Placement:
    if not actor.has_perm("households.manage_placements"):
        raise PermissionDenied(f"{actor} may not place children")
    # Lock the household so two placements made at once cannot both pass the
    # terms-of-approval check.
    household = Household.objects.select_for_update().get(pk=household.pk)
    problems = placement_problems(household=household, child=child, start_on=start_on)
    if problems:
        raise ValidationError(problems)
    placement = Placement(
        service=child.service, child=child, household=household, start_on=start_on, emergency=emergency
    )
    save_as(placement, actor)
    # The duties a new placement raises (SC-4, SC-5, SC-9, CX-6), in the same transaction.
    publish(Event.PLACEMENT_STARTED, actor=actor, placement=placement)
    return placement


@transaction.atomic
def placement_end(*, actor: User, placement: Placement, end_on: dt.date, end_reason: str) -> Placement:
    """End a placement. From end_on the carers no longer see the child (core.access)."""
    if not actor.has_perm("households.manage_placements"):
        raise PermissionDenied(f"{actor} may not end placements")
    if placement.end_on is not None:
        raise ValidationError({"end_on": "End date: this placement has already ended"})
    if end_on < placement.start_on:
        raise ValidationError({"end_on": "End date: cannot be before the placement started"})
    placement.end_on = end_on
    placement.end_reason = end_reason
    _validate(placement)
    save_as(placement, actor, update_fields=["end_on", "end_reason"])
    publish(Event.PLACEMENT_ENDED, actor=actor, placement=placement)
    return placement


# Allocations ---------------------------------------------------------------------------------

ALLOCATION_ROLES = {
    AllocationKind.ASSESSING: "assessing_sw",
    AllocationKind.SUPERVISING: "supervising_sw",
    AllocationKind.CHILDS: "childs_sw",
}


@transaction.atomic
def allocation_set(
    *,
    actor: User,
    kind: str,
    worker: User,
    household: Household | None = None,
    child: Child | None = None,
) -> Allocation:
    """Allocate a worker, ending the current allocation of the same kind (one at a time)."""
    subject = household or child
    if subject is None or (household is not None and child is not None):
        raise ValueError("allocate to exactly one household or child")
    if worker.service_id != subject.service_id:
        raise ValidationError({"worker": "Worker: must belong to the same fostering service"})
    if worker.role != ALLOCATION_ROLES[AllocationKind(kind)]:
        raise ValidationError(
            {
                "worker": f"Worker: a {AllocationKind(kind).label.lower()} allocation needs a worker in that role"
            }
        )
    current = (
        Allocation.objects.select_for_update().current().filter(kind=kind, household=household, child=child)
    )
    previous = None
    for allocation in current:
        if allocation.worker_id == worker.pk:
            return allocation
        previous = allocation.worker
        allocation.ended_at = timezone.now()
        save_as(allocation, actor, update_fields=["ended_at"])
    allocation = Allocation(
        service=subject.service, worker=worker, kind=kind, household=household, child=child
    )
    save_as(allocation, actor)
    _publish_worker_change(actor, allocation, previous=previous, current=worker)
    return allocation


def _publish_worker_change(
    actor: User, allocation: Allocation, *, previous: User | None, current: User | None
) -> None:
    """The duties of the worker who leaves go to the worker who comes (or to nobody, until one does)."""
    if allocation.child is not None and allocation.kind == AllocationKind.CHILDS:
        publish(
            Event.CHILDS_SOCIAL_WORKER_CHANGED,
            actor=actor,
            child=allocation.child,
            previous=previous,
            current=current,
        )
    elif allocation.household is not None:
        publish(
            Event.HOUSEHOLD_WORKER_CHANGED,
            actor=actor,
            household=allocation.household,
            kind=allocation.kind,
            previous=previous,
            current=current,
        )


@transaction.atomic
def allocation_end(*, actor: User, allocation: Allocation) -> Allocation:
    if allocation.ended_at is None:
        allocation.ended_at = timezone.now()
        save_as(allocation, actor, update_fields=["ended_at"])
        _publish_worker_change(actor, allocation, previous=allocation.worker, current=None)
    return allocation
