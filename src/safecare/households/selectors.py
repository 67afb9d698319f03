"""Reads for household and child pages, already scoped to the user through core.access.

List pages run a fixed number of queries whatever the page holds (select_related,
subqueries and one prefetch per related list), so a page of 50 costs the same
as a page of 3.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import date as date_format
from django.utils import timezone

from safecare.core.models import AccessLog, Task, TaskStatus, Team, User
from safecare.households.access import children_visible_to, households_visible_to, placements_visible_to

from .approval import ApprovalProblem, approval_problems
from .duties import SAFER_CARING_GUIDANCE
from .models import (
    Allocation,
    AllocationKind,
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MemberKind,
    Placement,
    PlacementQuerySet,
    TrainingRecord,
    Visitor,
)

if TYPE_CHECKING:
    from simple_history.models import HistoricalChanges


# Lists ---------------------------------------------------------------------------------------


def _placed_count(today: dt.date) -> Coalesce:
    placed = (
        Placement.objects.current(today)
        .filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(placed, output_field=models.IntegerField()), Value(0))


# The orders a list may be sorted in, "-" for the reverse: anything else is the default. Each
# ends on the id, so rows that tie keep one order from page to page. A reference is its id.
HOUSEHOLD_SORTS: dict[str, list[Any]] = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "reference": ["id"],
    "-reference": ["-id"],
    # In the order a household goes through them (HouseholdStatus), not alphabetically.
    "status": ["status_order", "name", "id"],
    "-status": ["-status_order", "-name", "-id"],
}
CHILD_SORTS: dict[str, list[Any]] = {
    "name": ["last_name", "first_name", "id"],
    "-name": ["-last_name", "-first_name", "-id"],
    "reference": ["id"],
    "-reference": ["-id"],
    # Youngest first: the latest date of birth.
    "age": ["-date_of_birth", "last_name", "first_name", "id"],
    "-age": ["date_of_birth", "-last_name", "-first_name", "-id"],
}


def sort_key(sort: str | None, sorts: dict[str, list[Any]]) -> str:
    """The sort asked for if it is one of `sorts`, else the default, by name."""
    return sort if sort in sorts else "name"


def _status_order() -> Case:
    return Case(
        *[When(status=status, then=Value(n)) for n, status in enumerate(HouseholdStatus.values)],
        default=Value(len(HouseholdStatus.values)),
        output_field=models.IntegerField(),
    )


def household_list(
    user: User, *, search: str = "", status: str = "", sort: str = "name"
) -> QuerySet[Household]:
    """Households the user may see, with what the list shows, in a fixed number of queries."""
    today = timezone.localdate()
    households = households_visible_to(user, today=today)
    if search:
        households = households.filter(name__icontains=search)
    if status:
        households = households.filter(status=status)
    return (
        households.select_related("team")
        .annotate(placed_count=_placed_count(today), status_order=_status_order())
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.current()
                .filter(kind__in=[AllocationKind.SUPERVISING, AllocationKind.ASSESSING])
                .select_related("worker"),
                to_attr="current_allocations",
            )
        )
        .order_by(*HOUSEHOLD_SORTS[sort_key(sort, HOUSEHOLD_SORTS)])
    )


def child_list(user: User, *, search: str = "", sort: str = "name") -> QuerySet[Child]:
    """Children the user may see, each with their current placement and CSW."""
    today = timezone.localdate()
    children = children_visible_to(user, today=today)
    for word in search.split():
        children = children.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return (
        children.select_related("team")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.current(today).select_related("household"),
                to_attr="current_placements",
            ),
            Prefetch(
                "allocations",
                queryset=Allocation.objects.current()
                .filter(kind=AllocationKind.CHILDS)
                .select_related("worker"),
                to_attr="current_csw",
            ),
        )
        .order_by(*CHILD_SORTS[sort_key(sort, CHILD_SORTS)])
    )


def placement_households(service_id: int) -> QuerySet[Household]:
    """Approved households of the service, for choosing where to place a child.

    Deliberately wider than households_visible_to: a child's social worker may
    need to place with a household they cannot open. The choice shows name and
    reference only, and only approved households, so it reveals nothing else.
    """
    return (
        Household.objects.filter(service_id=service_id, status=HouseholdStatus.APPROVED)
        .only("id", "name")
        .order_by("name", "id")
    )


# One record ----------------------------------------------------------------------------------


def household_for(user: User, pk: int) -> Household:
    """The household if the user may see it; 404 otherwise, as if it did not exist."""
    return get_object_or_404(households_visible_to(user).select_related("team", "service"), pk=pk)


def child_for(user: User, pk: int, *, with_csw: bool = False) -> Child:
    """The child, if this user may see it (404 otherwise). `with_csw`: with the name of the
    child's social worker read in the same query, for `child_csw`."""
    children = children_visible_to(user).select_related("team", "service")
    if with_csw:
        # The latest allocation, as `child_csw` reads it (Allocation's own order).
        csw = Allocation.objects.current().filter(child=OuterRef("pk"), kind=AllocationKind.CHILDS)
        children = children.annotate(
            **{
                f"csw_{field}": Subquery(csw.order_by("-started_at").values(f"worker__{field}")[:1])
                for field in ("id", "username", "first_name", "last_name")
            }
        )
    child = get_object_or_404(children, pk=pk)
    child.seen_by = user.pk  # type: ignore[attr-defined]  # see `seen_by`
    return child


def seen_by(child: Child, user: User) -> bool:
    """Whether this child was read through this user's children scope in this request
    (`child_for`), so a panel on the child's page need not ask the scope again."""
    return getattr(child, "seen_by", None) == user.pk


def placement_for(user: User, pk: int) -> Placement:
    return get_object_or_404(
        placements_visible_to(user).select_related("child", "household", "service"), pk=pk
    )


@dataclass
class HouseholdSummary:
    """The carer's own page: who lives there and the children placed, no staff internals."""

    members: list[HouseholdMember]
    placements: list[Placement]


def _placements_seen(user: User, household: Household, today: dt.date) -> list[Placement]:
    # Only the children this user may see: a CSW sees their own child in a
    # household, not every child placed there.
    visible = cast(PlacementQuerySet, placements_visible_to(user, today=today))
    return list(
        visible.current(today).filter(household=household).select_related("child").order_by("start_on", "id")
    )


def household_summary(user: User, household: Household) -> HouseholdSummary:
    """The carer's household page: the people living there now and the children placed."""
    today = timezone.localdate()
    members = household.members.order_by("kind", "date_of_birth", "id")
    return HouseholdSummary(
        members=[m for m in members if m.is_current(today)],
        placements=_placements_seen(user, household, today),
    )


# The staff household page, one section at a time: each section reads only what it shows.


@dataclass
class HouseholdOverview:
    allocations: list[Allocation]
    guidance_task: Task | None
    approval_problems: list[ApprovalProblem] = field(default_factory=list)


def household_overview(household: Household) -> HouseholdOverview:
    """The summary section: allocated workers, the SC-3 duty, and what stands in the way of approval."""
    overview = HouseholdOverview(
        allocations=list(household.allocations.current().select_related("worker").order_by("kind")),
        guidance_task=Task.objects.filter(
            household=household, kind=SAFER_CARING_GUIDANCE, status=TaskStatus.OPEN
        ).first(),
    )
    if household.status == HouseholdStatus.IN_ASSESSMENT:
        overview.approval_problems = approval_problems(household)
    return overview


@dataclass
class HouseholdPeople:
    members: list[HouseholdMember]
    placements: list[Placement]
    visitors: list[Visitor]
    training: list[TrainingRecord]


def household_people(user: User, household: Household) -> HouseholdPeople:
    """The people section: members, the children placed whom the user may see, visitors, training."""
    today = timezone.localdate()
    return HouseholdPeople(
        members=list(household.members.order_by("kind", "date_of_birth", "id")),
        placements=_placements_seen(user, household, today),
        visitors=list(household.visitors.order_by("-since", "id")),
        training=list(
            household.training.select_related("member", "recorded_by").order_by("-completed_on", "id")
        ),
    )


def household_status_changes(household: Household) -> list[Any]:
    """The history section: every status change, newest first."""
    return list(household.status_changes.select_related("changed_by"))


def child_placements(user: User, child: Child, *, with_household_seen: bool = False) -> list[Placement]:
    """The child's placements this user may see, latest first. `with_household_seen`: each says
    whether the user may open its household (`household_seen`), in the same query."""
    placements = placements_visible_to(user).filter(child=child).select_related("household")
    if with_household_seen:
        placements = placements.annotate(
            household_seen=Exists(households_visible_to(user).filter(pk=OuterRef("household_id")))
        )
    return list(placements.order_by("-start_on"))


def current_carers(household: Household, *, besides: User | None = None) -> list[User]:
    """The household's carers now, with an account to sign in with: those told of what concerns them.

    `besides`: the person who made a decision is left out; they know already.
    """
    today = timezone.localdate()
    members = household.members.filter(kind=MemberKind.CARER, user__isnull=False).select_related("user")
    return [
        m.user
        for m in members.order_by("id")
        if m.user is not None and m.is_current(today) and (besides is None or m.user.pk != besides.pk)
    ]


def household_worker(household: Household) -> User | None:
    """The household's supervising social worker, else its assessing social worker."""
    allocations = {a.kind: a.worker for a in household.allocations.current().select_related("worker")}
    return allocations.get(AllocationKind.SUPERVISING) or allocations.get(AllocationKind.ASSESSING)


def child_csw(child: Child) -> User | None:
    """The child's social worker. A child read by `child_for(..., with_csw=True)` has the
    worker's name with it: the worker is then a User holding only the name, to show it."""
    if hasattr(child, "csw_id"):
        if child.csw_id is None:
            return None
        return User(
            pk=child.csw_id,
            username=child.csw_username,  # type: ignore[attr-defined]
            first_name=child.csw_first_name,  # type: ignore[attr-defined]
            last_name=child.csw_last_name,  # type: ignore[attr-defined]
        )
    allocation = (
        child.allocations.current().filter(kind=AllocationKind.CHILDS).select_related("worker").first()
    )
    return allocation.worker if allocation else None


# History -------------------------------------------------------------------------------------


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    record: str
    action: str
    changes: list[Change]


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Bookkeeping, or the record the page is about: never a change anyone needs to read.
NOT_SHOWN = {"id", "service", "created_at"}
EMPTY = "(blank)"


@dataclass
class _Source:
    rows: QuerySet[Any]
    label: Callable[[Any, _Names], str]
    exclude: frozenset[str] = frozenset()


class _Names:
    """Names for the foreign keys in history rows, fetched once per model.

    Children and households are named only when the reader may see them now;
    otherwise by reference, so a history page never reveals a record the
    reader could not open.
    """

    def __init__(self, user: User) -> None:
        self.user = user
        self.wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], int], str] = {}

    def want(self, model: type[models.Model] | None, pk: Any) -> None:
        if model is not None and pk is not None:
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            if model is Child:
                visible = set(children_visible_to(self.user).filter(pk__in=ids).values_list("pk", flat=True))
                for child in Child.objects.filter(pk__in=ids).only("id", "first_name", "last_name"):
                    self.names[model, child.pk] = (
                        child.full_name if child.pk in visible else f"a child ({child.reference})"
                    )
            elif model is Household:
                visible = set(
                    households_visible_to(self.user).filter(pk__in=ids).values_list("pk", flat=True)
                )
                for household in Household.objects.filter(pk__in=ids).only("id", "name"):
                    self.names[model, household.pk] = (
                        household.name if household.pk in visible else f"a household ({household.reference})"
                    )
            elif model is User:
                for user in User.objects.filter(pk__in=ids).only("id", "first_name", "last_name", "username"):
                    self.names[model, user.pk] = user.display_name
            elif model in (Team, HouseholdMember):
                for obj in model._default_manager.filter(pk__in=ids):
                    self.names[model, obj.pk] = str(obj)

    def name(self, model: type[models.Model] | None, pk: Any) -> str:
        if pk is None:
            return EMPTY
        if model is None:
            return str(pk)
        return self.names.get((model, pk), f"#{pk}")


def _tracked(row: HistoricalChanges, exclude: Iterable[str]) -> list[models.Field[Any, Any]]:
    skip = NOT_SHOWN | set(exclude)
    return [f for f in row.tracked_fields if f.editable and f.name not in skip]


def _display(field: models.Field[Any, Any], value: Any, names: _Names) -> str:
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return names.name(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "D j M Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "D j M Y")
    return str(value)


def _history(user: User, sources: list[_Source]) -> list[HistoryEntry]:
    names = _Names(user)
    raw: list[tuple[Any, _Source, list[tuple[models.Field[Any, Any], Any, Any]]]] = []
    for source in sources:
        previous: dict[Any, Any] = {}
        for row in source.rows.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(row.id)
            previous[row.id] = row
            fields = {f.name: f for f in _tracked(row, source.exclude)}
            if row.history_type == "+" or before is None:
                pairs = [(f, None, getattr(row, f.attname)) for f in fields.values()]
                pairs = [(f, old, new) for f, old, new in pairs if new not in (None, "")]
            elif row.history_type == "-":
                pairs = []
            else:
                delta = row.diff_against(before, included_fields=list(fields))
                pairs = [(fields[c.field], c.old, c.new) for c in delta.changes]
                if not pairs:
                    continue
            for f, old, new in pairs:
                if f.is_relation:
                    names.want(f.related_model, old)
                    names.want(f.related_model, new)
            raw.append((row, source, pairs))
            for model, pk in _label_needs(row):
                names.want(model, pk)
    names.fetch()
    entries = [
        HistoryEntry(
            when=row.history_date,
            who=row.history_user.display_name if row.history_user else "The system",
            record=source.label(row, names),
            action=ACTIONS.get(row.history_type, row.history_type),
            changes=[
                Change(
                    f.verbose_name[:1].upper() + f.verbose_name[1:],
                    _display(f, old, names),
                    _display(f, new, names),
                )
                for f, old, new in pairs
            ],
        )
        for row, source, pairs in raw
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _label_needs(row: Any) -> list[tuple[type[models.Model], Any]]:
    needs: list[tuple[type[models.Model], Any]] = []
    for attname, model in (
        ("child_id", Child),
        ("member_id", HouseholdMember),
        ("worker_id", User),
    ):
        if hasattr(row, attname):
            needs.append((model, getattr(row, attname)))
    return needs


def household_history(user: User, household: Household) -> list[HistoryEntry]:
    """Every change to the household and the records that hang off it: who, when, before, after."""
    pk = household.pk
    return _history(
        user,
        [
            _Source(Household.history.filter(id=pk), lambda r, n: "Household"),
            _Source(
                HouseholdMember.history.filter(household_id=pk),
                lambda r, n: f"Member: {r.first_name} {r.last_name}",
                frozenset({"household"}),
            ),
            _Source(
                Visitor.history.filter(household_id=pk),
                lambda r, n: f"Visitor: {r.name}",
                frozenset({"household"}),
            ),
            _Source(
                TrainingRecord.history.filter(household_id=pk),
                lambda r, n: f"Training: {n.name(HouseholdMember, r.member_id)}",
                frozenset({"household"}),
            ),
            _Source(
                Placement.history.filter(household_id=pk),
                lambda r, n: f"Placement: {n.name(Child, r.child_id)}",
                frozenset({"household"}),
            ),
            _Source(
                Allocation.history.filter(household_id=pk),
                lambda r, n: f"Allocation: {AllocationKind(r.kind).label}",
                frozenset({"household", "child"}),
            ),
        ],
    )


def child_history(user: User, child: Child) -> list[HistoryEntry]:
    pk = child.pk
    return _history(
        user,
        [
            _Source(Child.history.filter(id=pk), lambda r, n: "Child"),
            _Source(
                Placement.history.filter(child_id=pk),
                lambda r, n: "Placement",
                frozenset({"child"}),
            ),
            _Source(
                Allocation.history.filter(child_id=pk),
                lambda r, n: f"Allocation: {AllocationKind(r.kind).label}",
                frozenset({"household", "child"}),
            ),
        ],
    )


def access_log(subject: Household | Child) -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.filter(
            service_id=subject.service_id,
            subject_type=subject._meta.model_name,
            subject_id=subject.pk,
        )
        .select_related("user")
        .order_by("-at", "-id")
    )
