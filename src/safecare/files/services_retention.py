"""Records past their retention period, and their confirmed erasure (DP-2; decision 0048).

Fostering Services (England) Regulations 2011, reg. 32 (and the child's case record rules):

- a child's record is kept until their 75th birthday (SAFECARE_CHILD_RETENTION_YEARS): the
  last day kept is the day before it, and it may be deleted from the birthday itself (born
  2 March 1952: kept until 1 March 2027, deletable on 2 March 2027; born 29 February: the
  birthday in a common year is 28 February);
- a foster carer's record is kept for 10 years (SAFECARE_CARER_RETENTION_YEARS) after their
  approval ends: the household resigned or was deregistered, on the `effective_on` of that
  status change (ended 15 June 2016: kept until 14 June 2026, deletable 15 June 2026).

A daily job (`retention_review`) lists each record past its period as one RetentionCase,
once, and opens one duty for the named role (SAFECARE_RETENTION_ROLE) while any case waits.
Nothing is deleted without that role's confirmation. "Keep for now" needs a reason (a court
case, an inquiry) and is reviewed again a year later. "Delete this record" erases, in one
transaction: the files' bytes, the subject and every row that belongs to it across the apps,
their change history and the access-log rows naming them; what stays is the RetentionCase
(erased) and an Erasure tombstone counting what went, table by table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from safecare.core.append_only import erasure_permit, is_append_only
from safecare.core.audit import save_as
from safecare.core.models import AccessLog, FosteringService, Signature, TaskStatus, User
from safecare.core.notifications import notify
from safecare.core.tasks import task_complete, task_open
from safecare.households.models import (
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
)

from . import storage
from .duties import RETENTION
from .models import Erasure, RetentionCase, RetentionStatus, RetentionSubject, StoredFile

if TYPE_CHECKING:
    pass

RULE = "DP-2"
ENDED = (HouseholdStatus.RESIGNED, HouseholdStatus.DEREGISTERED)
# A "Keep for now" decision is looked at again after this long.
KEPT_REVIEWED_AFTER = relativedelta(years=1)


# Periods ------------------------------------------------------------------------------------


def child_deletable_from(born: dt.date) -> dt.date:
    """The 75th birthday: the child's record is kept until it, and may be deleted from it."""
    result: dt.date = born + relativedelta(years=settings.SAFECARE_CHILD_RETENTION_YEARS)
    return result


def carer_deletable_from(approval_ended: dt.date) -> dt.date:
    result: dt.date = approval_ended + relativedelta(years=settings.SAFECARE_CARER_RETENTION_YEARS)
    return result


def approval_ended_on(household: Household) -> dt.date | None:
    """When the household's approval ended: the last change to resigned or deregistered, if it
    is still the household's status."""
    if household.status not in ENDED:
        return None
    change = (
        HouseholdStatusChange.objects.filter(household=household, to_status__in=ENDED)
        .order_by("-effective_on", "-id")
        .first()
    )
    return change.effective_on if change is not None else None


def confirmers(service: FosteringService) -> list[User]:
    return list(
        User.objects.filter(service=service, role=settings.SAFECARE_RETENTION_ROLE, is_active=True).order_by(
            "pk"
        )
    )


def label_for(subject: str, subject_id: int) -> str:
    if subject == RetentionSubject.CHILD:
        return f"Child record C-{subject_id:05d}"
    return f"Foster carer record H-{subject_id:05d}"


# The daily review ---------------------------------------------------------------------------


def _listed(subject: str, ids: Iterable[int], day: dt.date) -> set[int]:
    """Subjects already listed: waiting, erased, or kept less than a year ago."""
    now = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    cases = RetentionCase.objects.filter(subject=subject, subject_id__in=list(ids))
    return set(
        cases.filter(
            models.Q(status__in=[RetentionStatus.AWAITING, RetentionStatus.ERASED])
            | models.Q(status=RetentionStatus.KEPT, decided_at__gt=now - KEPT_REVIEWED_AFTER)
        ).values_list("subject_id", flat=True)
    )


def review(day: dt.date) -> list[RetentionCase]:
    """List every record past its period on `day` (idempotent), and tell the named role."""
    found: list[RetentionCase] = []
    # Children: born on or before the day 75 years ago (and a day's margin for 29 February).
    latest_born = day - relativedelta(years=settings.SAFECARE_CHILD_RETENTION_YEARS) + dt.timedelta(days=1)
    children = [
        c
        for c in Child.objects.filter(date_of_birth__lte=latest_born)
        if child_deletable_from(c.date_of_birth) <= day
    ]
    listed = _listed(RetentionSubject.CHILD, [c.pk for c in children], day)
    for child in children:
        if child.pk not in listed:
            found.append(
                _case(
                    child.service, RetentionSubject.CHILD, child.pk, child_deletable_from(child.date_of_birth)
                )
            )
    households = []
    for household in Household.objects.filter(status__in=ENDED).select_related("service"):
        ended = approval_ended_on(household)
        if ended is not None and carer_deletable_from(ended) <= day:
            households.append((household, carer_deletable_from(ended)))
    listed = _listed(RetentionSubject.HOUSEHOLD, [h.pk for h, _ in households], day)
    for household, deletable in households:
        if household.pk not in listed:
            found.append(_case(household.service, RetentionSubject.HOUSEHOLD, household.pk, deletable))
    for service_id in {case.service_id for case in found}:
        _tell(FosteringService.objects.get(pk=service_id), day)
    return found


def _case(service: FosteringService, subject: str, subject_id: int, deletable_from: dt.date) -> RetentionCase:
    case = RetentionCase(
        service=service,
        subject=subject,
        subject_id=subject_id,
        label=label_for(subject, subject_id),
        keep_until=deletable_from - dt.timedelta(days=1),
    )
    save_as(case, None)
    return case


def _tell(service: FosteringService, day: dt.date) -> None:
    people = confirmers(service)
    task = task_open(
        service=service,
        rule_id=RULE,
        kind=RETENTION,
        title="Records past their retention period wait for your decision",
        due_on=day + dt.timedelta(days=28),
        owner=people[0] if len(people) == 1 else None,
        due_basis="28 days after the daily check listed records past their retention period (DP-2)",
    )
    notify(
        service=service,
        recipients=people,
        kind="retention_review",
        subject="Records past their retention period",
        reference=f"Retention {day.isoformat()}",
        url=reverse("files:retention_list"),
        dedupe_key=f"retention_review:{service.pk}:{day.isoformat()}",
        rule_id=RULE,
        task=task,
    )


def _close_duty_if_done(actor: User, service: FosteringService) -> None:
    if RetentionCase.objects.filter(service=service, status=RetentionStatus.AWAITING).exists():
        return
    from safecare.core.models import Task

    for task in Task.objects.filter(
        service=service, kind=RETENTION, status=TaskStatus.OPEN, household=None, child=None
    ):
        task_complete(actor=actor, task=task)


# Decisions ----------------------------------------------------------------------------------


def _may_decide(actor: User, case: RetentionCase) -> None:
    if not (
        actor.is_active
        and actor.role == settings.SAFECARE_RETENTION_ROLE
        and actor.service_id == case.service_id
        and actor.has_perm("files.confirm_retention")
    ):
        raise ValidationError({"__all__": ["You cannot decide on this record."]})
    if case.status != RetentionStatus.AWAITING:
        raise ValidationError({"__all__": ["This record has been decided on already."]})


def keep(*, actor: User, case: RetentionCase, reason: str) -> RetentionCase:
    """Keep the record for now, saying why (a court case, an inquiry); looked at again in a year."""
    _may_decide(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": ["Why keep it: say why the record is kept past its period (DP-2)"]})
    with transaction.atomic():
        case.status = RetentionStatus.KEPT
        case.decided_by = actor
        case.decided_at = timezone.now()
        case.reason = reason.strip()
        save_as(case, actor)
        _close_duty_if_done(actor, case.service)
    return case


def erase(*, actor: User, case: RetentionCase, reason: str = "") -> Erasure:
    """Delete the record, confirmed by the named role: everything in one transaction."""
    _may_decide(actor, case)
    with transaction.atomic():
        case = RetentionCase.objects.select_for_update().get(pk=case.pk)
        _may_decide(actor, case)
        plan = plan_for(case)
        removed, files = _carry_out(plan)
        case.status = RetentionStatus.ERASED
        case.decided_by = actor
        case.decided_at = timezone.now()
        case.reason = reason.strip()
        save_as(case, actor)
        erasure = Erasure.objects.create(
            service=case.service,
            case=case,
            subject=case.subject,
            subject_id=case.subject_id,
            removed=removed,
            files_removed=files,
            decided_by=actor,
        )
        _close_duty_if_done(actor, case.service)
    return erasure


# What an erasure removes --------------------------------------------------------------------

# The records that are a person: history rows pointing at them (without a database constraint)
# hold their content and go with them. Other history rows go by the id of a row erased.
PEOPLE = (Child, Household, HouseholdMember)


@dataclass
class Plan:
    subject: str
    root: models.Model
    rows: dict[type[models.Model], set[Any]] = field(default_factory=lambda: defaultdict(set))
    order: list[type[models.Model]] = field(default_factory=list)
    nullify: list[tuple[type[models.Model], str, set[Any]]] = field(default_factory=list)
    users: set[int] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        return {model._meta.db_table: len(pks) for model, pks in self.rows.items() if pks}


def _subject(case: RetentionCase) -> models.Model:
    model: type[models.Model] = Child if case.subject == RetentionSubject.CHILD else Household
    found = model._base_manager.filter(pk=case.subject_id).first()
    if found is None:
        raise ValidationError({"__all__": ["The record is no longer held."]})
    return found


def _child_fks(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is Child and getattr(f, "db_constraint", True)
    ]


def _reverse_relations(model: type[models.Model]) -> list[Any]:
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def plan_for(case: RetentionCase) -> Plan:
    """Every row that belongs to the subject, found by walking the relations that point to it.

    - A row belongs to the subject when it points to a row that does, by a relation whose
      deletion cascades or is protected (its owner). A relation that is set to null on delete
      is set to null instead: that row belongs to something else.
    - A carer's record keeps what is also a child's record (a row pointing to a child: the
      placement, the day's recordings, the photos): the children's records are kept until
      their 75th birthdays. The household row then stays, emptied of its name and postcode, as
      the reference those rows point to.
    - History rows: of every row erased (by its id), and those pointing to a person erased.
    - The user accounts of the household's carers are shared (they signed, they wrote): they
      are not deleted but closed and emptied of personal details.
    """
    root = _subject(case)
    plan = Plan(subject=case.subject, root=root)
    household_case = case.subject == RetentionSubject.HOUSEHOLD
    queue: list[tuple[type[models.Model], set[Any]]] = [(type(root), {root.pk})]
    while queue:
        model, pks = queue.pop(0)
        new = pks - plan.rows[model]
        if not new:
            continue
        if model not in plan.order:
            plan.order.append(model)
        plan.rows[model] |= new
        history = getattr(model, "history", None)
        if history is not None and not issubclass(model, HistoricalChanges):
            history_model = history.model
            ids = set(history_model._base_manager.filter(id__in=new).values_list("pk", flat=True))
            if ids:
                queue.append((history_model, ids))
        for rel in _reverse_relations(model):
            related: type[models.Model] = rel.related_model
            fk = rel.field
            if related._meta.proxy or not related._meta.managed:
                continue
            # A history row pointing here: followed for a person, or from its own history row
            # (a many-to-many's history); others go by the id of what they record.
            if (
                issubclass(related, HistoricalChanges)
                and not fk.db_constraint
                and not (model in PEOPLE or issubclass(model, HistoricalChanges))
            ):
                continue
            target = fk.target_field.attname
            values = (
                new
                if fk.target_field.primary_key
                else set(model._base_manager.filter(pk__in=new).values_list(target, flat=True))
            )
            on_delete = getattr(fk.remote_field, "on_delete", None)
            rows = related._base_manager.filter(**{f"{fk.attname}__in": values})
            if (
                on_delete in (models.SET_NULL, models.SET_DEFAULT)
                and fk.db_constraint
                and not is_append_only(related)
            ):
                ids = set(rows.values_list("pk", flat=True))
                if ids:
                    plan.nullify.append((related, fk.attname, ids))
                continue
            # A many-to-many link (a notice naming a child) goes with the row that names.
            if (
                household_case
                and not issubclass(related, HistoricalChanges)
                and not related._meta.auto_created
            ):
                for child_fk in _child_fks(related):
                    rows = rows.filter(**{f"{child_fk.attname}__isnull": True})
            ids = set(rows.values_list("pk", flat=True))
            if ids:
                queue.append((related, ids))
    if household_case:
        members = plan.rows.get(HouseholdMember, set())
        plan.users = set(
            HouseholdMember._base_manager.filter(pk__in=members, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
    return plan


def _chunks(values: Iterable[Any], size: int = 500) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _files_of(plan: Plan) -> set[Any]:
    found: set[Any] = set()
    for model, pks in plan.rows.items():
        for f in model._meta.concrete_fields:
            if (
                isinstance(f, models.ForeignKey)
                and f.related_model is StoredFile
                and getattr(f, "db_constraint", True)
            ):
                for chunk in _chunks(pks):
                    found |= {
                        v
                        for v in model._base_manager.filter(pk__in=chunk).values_list(f.attname, flat=True)
                        if v is not None
                    }
    return found


def _generic_rows(plan: Plan) -> tuple[dict[str, int], list[tuple[type[models.Model], models.QuerySet[Any]]]]:
    """Signatures of documents erased and access-log rows naming a row erased (by type and id)."""
    sets: list[tuple[type[models.Model], models.QuerySet[Any]]] = []
    for model, pks in plan.rows.items():
        if issubclass(model, HistoricalChanges):
            continue
        pk_field = model._meta.pk
        if pk_field is None or not isinstance(pk_field, models.AutoField | models.BigAutoField):
            continue
        ids = [int(pk) for pk in pks]
        content_type = ContentType.objects.get_for_model(model)
        for chunk in _chunks(ids):
            sets.append(
                (Signature, Signature._base_manager.filter(document_type=content_type, document_id__in=chunk))
            )
            sets.append(
                (
                    AccessLog,
                    AccessLog._base_manager.filter(
                        subject_type=str(model._meta.model_name), subject_id__in=chunk
                    ),
                )
            )
    return {}, sets


def _carry_out(plan: Plan) -> tuple[dict[str, int], int]:
    root_kept = plan.subject == RetentionSubject.HOUSEHOLD
    files = _files_of(plan)
    _counts, generic = _generic_rows(plan)
    # Erasing a household keeps the row itself (see plan_for), emptied below.
    deleting = {
        model: (pks - {plan.root.pk} if root_kept and model is type(plan.root) else pks)
        for model, pks in plan.rows.items()
    }
    tables = {m._meta.db_table for m, pks in deleting.items() if pks and is_append_only(m)}
    tables |= {AccessLog._meta.db_table, Signature._meta.db_table}
    user_history = User.history.model
    if plan.users:
        tables.add(user_history._meta.db_table)
    removed: dict[str, int] = defaultdict(int)
    with erasure_permit(tables):
        for model, column, ids in plan.nullify:
            for chunk in _chunks(ids):
                model._base_manager.filter(pk__in=chunk).update(**{column: None})
        for model, queryset in generic:
            count = queryset._raw_delete(queryset.db)
            if count:
                removed[model._meta.db_table] += count
        # The deepest rows first (the reverse of the order they were found in).
        for model in reversed(plan.order):
            pks = deleting.get(model, set())
            for chunk in _chunks(pks):
                queryset = model._base_manager.filter(pk__in=chunk)
                count = queryset._raw_delete(queryset.db)
                if count:
                    removed[model._meta.db_table] += count
        if root_kept:
            reference = label_for(RetentionSubject.HOUSEHOLD, plan.root.pk)
            Household._base_manager.filter(pk=plan.root.pk).update(name=f"Erased: {reference}", postcode="")
        for user_id in plan.users:
            User._base_manager.filter(pk=user_id).update(
                is_active=False, first_name="", last_name="", email="", username=f"erased-{user_id}"
            )
            count = user_history._base_manager.filter(id=user_id)._raw_delete(connection.alias)
            if count:
                removed[user_history._meta.db_table] += count
        for stored in StoredFile.objects.filter(pk__in=list(files)):
            storage.erase(stored)
        # Nothing left pointing at a row that went (deferred constraints are checked now).
        connection.check_constraints()
    return dict(sorted(removed.items())), len(files)
