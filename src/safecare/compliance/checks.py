"""The weekly checks a manager runs (SC-4, SC-5, SC-7, SC-10, DV-*): each a filtered list.

Every list is read through the reader's households (households.access.households_visible_to):
the service-wide readers see every household of the service, a fostering team manager the
households of their team. Each list is one query (devices: the stored verdict levels, worked
out again where one is not current, decision 0062), so a page costs the same whatever the
number of households.

What each check lists, and the service setting it reads:

- ``supervision`` (SC-10): approved households whose last completed supervision was held
  more than the supervision interval ago ("longer than the setting": strictly more than
  7 x weeks days; on exactly the interval a household is not listed). A household never
  supervised counts from its approval date; with no approval date it is listed.
- ``unread-recordings`` (SC-7): households with a recording written more than the setting's
  days ago (the day it was written, in the service's time zone) whose current revision
  nobody has read. An edit raises the revision, so an edited recording is unread again.
- ``agreement-reviews`` (SC-4, SC-5): agreements whose version in force came into force so
  long ago that its review fell due before today (the review is due the setting's months
  after the day it came into force, as agreements.services.review_deadline says): the
  Safe Caring Family Agreements of approved households and the child-specific agreements
  of placements under way; and approved households with no agreement in force at all.
- ``child-agreements`` (SC-5): children placed today with no child-specific agreement in
  force for that placement.
- ``devices`` (DV-*): cameras and microphones on the register (planned or in use) whose
  verdict, worked out by the devices app (devices.assessment, devices.verdict), is anything
  other than allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from safecare.agreements.models import Agreement, AgreementKind
from safecare.core.dates import add_months
from safecare.core.models import FosteringService, User
from safecare.devices import levels
from safecare.devices.models import Device
from safecare.devices.verdict import Level
from safecare.households.access import households_visible_to, sees_every_household
from safecare.households.models import (
    Allocation,
    AllocationKind,
    Child,
    Household,
    HouseholdStatus,
    Placement,
)
from safecare.supervision.models import Recording, Supervision, SupervisionStatus

SUPERVISION = "supervision"
UNREAD_RECORDINGS = "unread-recordings"
AGREEMENT_REVIEWS = "agreement-reviews"
CHILD_AGREEMENTS = "child-agreements"
DEVICES = "devices"


@dataclass(frozen=True)
class Check:
    slug: str
    title: str
    rule_ids: str
    # What one row is, for "3 households": singular and plural.
    noun: tuple[str, str]
    # The service setting the check reads ("" for none) and how its value reads.
    setting: str
    setting_text: Callable[[FosteringService], str]
    # What the page lists, in plain words.
    lists: str

    def count_label(self, n: int) -> str:
        return f"{n} {self.noun[0] if n == 1 else self.noun[1]}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


CHECKS: dict[str, Check] = {
    check.slug: check
    for check in (
        Check(
            slug=SUPERVISION,
            title="Households not supervised within the interval",
            rule_ids="SC-10",
            noun=("household", "households"),
            setting="supervision_interval_weeks",
            setting_text=lambda s: f"Supervision every {_plural(s.supervision_interval_weeks, 'week')}",
            lists="Approved households whose last completed supervision was held longer ago than the "
            "supervision interval, or who have had none since they were approved.",
        ),
        Check(
            slug=UNREAD_RECORDINGS,
            title="Carers' recordings nobody has read",
            rule_ids="SC-7",
            noun=("household", "households"),
            setting="recordings_unread_days",
            setting_text=lambda s: (
                f"Recordings unread for more than {_plural(s.recordings_unread_days, 'day')}"
            ),
            lists="Households with at least one daily recording, written more than the set number of "
            "days ago, whose latest version nobody has read. A recording changed after it was read "
            "is unread again.",
        ),
        Check(
            slug=AGREEMENT_REVIEWS,
            title="Safe care agreements not reviewed within the interval",
            rule_ids="SC-4, SC-5",
            noun=("agreement or household", "agreements or households"),
            setting="scfa_review_months",
            setting_text=lambda s: f"Agreements reviewed every {_plural(s.scfa_review_months, 'month')}",
            lists="Safe Caring Family Agreements of approved households, and child-specific agreements "
            "of children placed now, whose review was due before today: the review is due the "
            "interval after the version in force came into force. Approved households with no "
            "Safe Caring Family Agreement in force are listed first.",
        ),
        Check(
            slug=CHILD_AGREEMENTS,
            title="Children placed without a child-specific agreement",
            rule_ids="SC-5",
            noun=("child", "children"),
            setting="",
            setting_text=lambda s: "",
            lists="Children placed today with no child-specific safe caring agreement in force for "
            "their placement.",
        ),
        Check(
            slug=DEVICES,
            title="Cameras and microphones not allowed as they are",
            rule_ids="DV-3 to DV-12",
            noun=("device", "devices"),
            setting="",
            setting_text=lambda s: "",
            lists="Cameras and microphones on the register, planned or in use, whose verdict is anything "
            "other than allowed: action needed, needs an approved exception, or prohibited.",
        ),
    )
}


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the service's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _ssw_name() -> Subquery:
    return Subquery(
        Allocation.objects.current()
        .filter(household=OuterRef("pk"), kind=AllocationKind.SUPERVISING)
        .annotate(name=Concat("worker__first_name", Value(" "), "worker__last_name"))
        .order_by("-started_at")
        .values("name")[:1]
    )


# SC-10 ---------------------------------------------------------------------------------------


def supervision_cutoff(service: FosteringService, today: dt.date) -> dt.date:
    """Supervised on or after this day is within the interval: exactly the interval ago is not late."""
    return today - dt.timedelta(weeks=service.supervision_interval_weeks)


def supervision_overdue(user: User, service: FosteringService, today: dt.date) -> QuerySet[Household]:
    completed = Supervision.objects.filter(household=OuterRef("pk"), status=SupervisionStatus.COMPLETED)
    last = Subquery(completed.order_by("-held_on").values("held_on")[:1])
    cutoff = supervision_cutoff(service, today)
    # Listed when `since` (the last completed supervision, else the approval date) is unknown or
    # before the cutoff; asked without working out `since` for every household: none completed
    # on or after the cutoff, and either one completed before it or an approval date that is
    # unknown or before it. `since` is worked out for the households listed only.
    return (
        households_visible_to(user, today=today)
        .filter(status=HouseholdStatus.APPROVED)
        .filter(~Exists(completed.filter(held_on__gte=cutoff)))
        .filter(Q(approved_on__isnull=True) | Q(approved_on__lt=cutoff) | Exists(completed))
        .annotate(last_supervision=last, since=Coalesce(last, F("approved_on")))
        .annotate(ssw_name=_ssw_name())
        .order_by(F("since").asc(nulls_first=True), "name", "id")
    )


# SC-7 ----------------------------------------------------------------------------------------


def unread_cutoff(service: FosteringService, today: dt.date) -> dt.datetime:
    """Written before this moment is older than the setting: the day written is before today - N days."""
    return _day_start(today - dt.timedelta(days=service.recordings_unread_days))


def _unread_recordings(service: FosteringService, today: dt.date) -> QuerySet[Recording]:
    # Recording.unread: nobody has read its current revision (the database works it out from
    # the latest revision read, which RecordingRead.save keeps). The unread recordings are read
    # off their partial index, not by anti-joining every recording ever written with its reads.
    return Recording.objects.filter(unread=True, created_at__lt=unread_cutoff(service, today))


def unread_recordings(user: User, service: FosteringService, today: dt.date) -> QuerySet[Household]:
    unread = _unread_recordings(service, today).filter(household=OuterRef("pk")).order_by()
    number = unread.values("household").annotate(n=Count("pk")).values("n")
    oldest = unread.values("household").annotate(first=Min("created_at")).values("first")
    return (
        households_visible_to(user, today=today)
        # From the unread recordings' side: the households with one, off the partial index.
        .filter(pk__in=_unread_recordings(service, today).values("household_id"))
        .annotate(
            unread_count=Subquery(number, output_field=IntegerField()),
            oldest_unread=Subquery(oldest),
            ssw_name=_ssw_name(),
        )
        .order_by("oldest_unread", "name", "id")
    )


# SC-4, SC-5 ----------------------------------------------------------------------------------


def review_due(service: FosteringService, in_force_on: dt.date) -> dt.date:
    """When the review of a version in force since `in_force_on` is due (agreements.services.review_deadline)."""
    return add_months(in_force_on, service.scfa_review_months)


def review_cutoff(service: FosteringService, today: dt.date) -> dt.date:
    """The last day a version may have come into force and have its review due before today.

    The review is due `add_months(day, n)`; that is before today exactly when the day is on or
    before this one. add_months clamps to a month's last day, so several days share a due date:
    the cutoff is the last of them.
    """
    yesterday = today - dt.timedelta(days=1)
    cutoff = add_months(yesterday, -service.scfa_review_months)
    while review_due(service, cutoff + dt.timedelta(days=1)) <= yesterday:
        cutoff += dt.timedelta(days=1)
    return cutoff


def _in_force() -> Q:
    return Q(current_version__isnull=False, current_since__isnull=False)


ROW_FIELDS = (
    "missing",
    "kind",
    "agreement_id",
    "household_id",
    "household_name",
    "child_id",
    "placement_id",
    "child_first",
    "child_last",
    "since",
)


def agreement_reviews(user: User, service: FosteringService, today: dt.date) -> QuerySet[Any]:
    """Rows (dicts) of agreements overdue for review, and approved households with none in force.

    One query (a UNION): `missing` is 1 for a household with no agreement in force, listed first.
    Every column is an annotation named `r_...`, so both halves select them in the same order.
    """
    overdue = overdue_agreements(user, service, today).annotate(
        r_missing=Value(0, output_field=IntegerField()),
        r_kind=F("kind"),
        r_agreement_id=F("pk"),
        r_household_id=F("household_id"),
        r_household_name=F("household__name"),
        r_child_id=F("child_id"),
        r_placement_id=F("placement_id"),
        r_child_first=F("child__first_name"),
        r_child_last=F("child__last_name"),
        r_since=F("current_since"),
    )
    missing = households_without_scfa(user, today).annotate(
        r_missing=Value(1, output_field=IntegerField()),
        r_kind=Value(AgreementKind.HOUSEHOLD.value, output_field=Agreement._meta.get_field("kind")),
        r_agreement_id=Value(None, output_field=IntegerField()),
        r_household_id=F("pk"),
        r_household_name=F("name"),
        r_child_id=Value(None, output_field=IntegerField()),
        r_placement_id=Value(None, output_field=IntegerField()),
        r_child_first=Value(None, output_field=Child._meta.get_field("first_name")),
        r_child_last=Value(None, output_field=Child._meta.get_field("last_name")),
        r_since=Value(None, output_field=Agreement._meta.get_field("current_since")),
    )
    columns = [f"r_{name}" for name in ROW_FIELDS]
    rows: QuerySet[Any] = (
        overdue.order_by()
        .values(*columns)
        .union(missing.order_by().values(*columns), all=True)
        .order_by("-r_missing", "r_since", "r_household_name", "r_agreement_id")
    )
    return rows


def agreement_row(service: FosteringService, row: dict[str, Any]) -> dict[str, Any]:
    """A row as the page shows it: the day the version came into force and the day its review was due."""
    row = {name: row[f"r_{name}"] for name in ROW_FIELDS}
    since = row["since"]
    if isinstance(since, str):  # SQLite gives a UNION's datetime column back as text.
        since = dt.datetime.fromisoformat(since)
    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since, dt.UTC)
    in_force_on = timezone.localdate(since) if since is not None else None
    child_name = f"{row['child_first']} {row['child_last']}" if row["child_id"] else ""
    return {
        **row,
        "child_name": child_name,
        "in_force_on": in_force_on,
        "due_on": review_due(service, in_force_on) if in_force_on is not None else None,
        "kind_label": AgreementKind(row["kind"]).label,
    }


# SC-5 ----------------------------------------------------------------------------------------


def children_without_agreement(user: User, service: FosteringService, today: dt.date) -> QuerySet[Child]:
    in_force = Agreement.objects.filter(_in_force(), kind=AgreementKind.CHILD, placement=OuterRef("pk"))
    placements = (
        Placement.objects.current(today)
        .filter(household__in=households_visible_to(user, today=today))
        .filter(~Exists(in_force))
    )
    uncovered = placements.filter(child=OuterRef("pk")).order_by("-start_on", "-id")
    return (
        Child.objects.filter(service_id=user.service_id)
        .filter(Exists(uncovered))
        .annotate(
            placed_on=Subquery(uncovered.values("start_on")[:1]),
            household_id=Subquery(uncovered.values("household_id")[:1]),
            household_name=Subquery(uncovered.values("household__name")[:1]),
        )
        .order_by("placed_on", "last_name", "first_name", "id")
    )


# DV ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceRow:
    """A device the devices check lists, with its verdict's level and the finding that decided it."""

    device: Device
    level: Level
    rule_id: str
    reason: str

    @property
    def pk(self) -> int:
        return int(self.device.pk)


class DevicesNotAllowed(Sequence[DeviceRow]):
    """The devices of the reader's households whose verdict is not allowed, most severe first,
    then by household, room and device: a sequence a paginator pages.

    Read from the stored levels (devices.levels, decision 0062), worked out again first
    wherever one is not current: one pass finds none to work out and counts, one query reads a
    page. Working levels out again costs four queries more, for up to 500 households at a
    time, and happens only after a change or on a new day. A reader who sees every household
    of the service is filtered by the service itself, not by a list of its households.
    """

    def __init__(self, user: User, service: FosteringService, today: dt.date) -> None:
        households: levels.Households = (
            service
            if sees_every_household(user)
            else households_visible_to(user, today=today).order_by().values("pk")
        )
        self._count = levels.refresh(households, today, service=service)
        self.devices = levels.not_allowed(households, today)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> DeviceRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[DeviceRow]: ...

    def __getitem__(self, index: int | slice) -> DeviceRow | list[DeviceRow]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        return [
            DeviceRow(device, Level(device.stored), device.stored_rule, device.stored_reason)  # type: ignore[attr-defined]
            for device in self.devices[index]
        ]


def devices_not_allowed(user: User, service: FosteringService, today: dt.date) -> DevicesNotAllowed:
    """The devices of the reader's households whose verdict is not allowed, most severe first."""
    return DevicesNotAllowed(user, service, today)


# Counts for the index ------------------------------------------------------------------------


def _count(queryset: QuerySet[Any]) -> Subquery:
    return Subquery(
        queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")[:1],
        output_field=IntegerField(),
    )


def counts(user: User, service: FosteringService, today: dt.date) -> dict[str, int]:
    """How many rows each check lists, in one query: all but the devices.

    The devices are counted on their own page only: counting them needs their stored levels made
    current first (devices.levels, decision 0062), which would double this page's cost.
    """
    found = (
        FosteringService.objects.filter(pk=service.pk)
        .annotate(
            n_supervision=_count(supervision_overdue(user, service, today)),
            n_unread=_count(unread_recordings(user, service, today)),
            n_reviews=_count(overdue_agreements(user, service, today)),
            n_missing=_count(households_without_scfa(user, today)),
            n_children=_count(children_without_agreement(user, service, today)),
        )
        .values("n_supervision", "n_unread", "n_reviews", "n_missing", "n_children")
        .get()
    )
    return {
        SUPERVISION: found["n_supervision"] or 0,
        UNREAD_RECORDINGS: found["n_unread"] or 0,
        AGREEMENT_REVIEWS: (found["n_reviews"] or 0) + (found["n_missing"] or 0),
        CHILD_AGREEMENTS: found["n_children"] or 0,
    }


def overdue_agreements(user: User, service: FosteringService, today: dt.date) -> QuerySet[Agreement]:
    households = households_visible_to(user, today=today)
    before = _day_start(review_cutoff(service, today) + dt.timedelta(days=1))
    return Agreement.objects.filter(_in_force(), current_since__lt=before, household__in=households).filter(
        Q(kind=AgreementKind.HOUSEHOLD, household__status=HouseholdStatus.APPROVED)
        | Q(kind=AgreementKind.CHILD, placement__in=Placement.objects.current(today))
    )


def households_without_scfa(user: User, today: dt.date) -> QuerySet[Household]:
    scfa_in_force = Agreement.objects.filter(
        _in_force(), household=OuterRef("pk"), kind=AgreementKind.HOUSEHOLD
    )
    return (
        households_visible_to(user, today=today)
        .filter(status=HouseholdStatus.APPROVED)
        .filter(~Exists(scfa_in_force))
    )


# One check, run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """A check's rows for one reader (a queryset or a list, paginated by the caller) and how to show them."""

    check: Check
    rows: QuerySet[Any] | list[Any] | DevicesNotAllowed
    # The kind of record the list names in the access log, and each row's record id.
    model: type[Model]
    record_id: Callable[[Any], int]
    present: Callable[[Any], dict[str, Any]]


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def listing(slug: str, user: User, service: FosteringService, today: dt.date) -> Listing | None:
    """The rows of the check `slug` for this reader, or None for no such check."""
    check = CHECKS.get(slug)
    if check is None:
        return None
    if slug == SUPERVISION:

        def supervised(household: Household) -> dict[str, Any]:
            since = household.since  # type: ignore[attr-defined]
            return {
                "household_id": household.pk,
                "household_name": household.name,
                "household_reference": household.reference,
                "ssw": household.ssw_name or "",  # type: ignore[attr-defined]
                "last_supervision": household.last_supervision,  # type: ignore[attr-defined]
                "approved_on": household.approved_on,
                "days_since": (today - since).days if since is not None else None,
            }

        return Listing(check, supervision_overdue(user, service, today), Household, _pk, supervised)
    if slug == UNREAD_RECORDINGS:

        def unread(household: Household) -> dict[str, Any]:
            return {
                "household_id": household.pk,
                "household_name": household.name,
                "household_reference": household.reference,
                "ssw": household.ssw_name or "",  # type: ignore[attr-defined]
                "unread_recordings": household.unread_count,  # type: ignore[attr-defined]
                "oldest_written_on": _day(household.oldest_unread),  # type: ignore[attr-defined]
            }

        return Listing(check, unread_recordings(user, service, today), Household, _pk, unread)
    if slug == AGREEMENT_REVIEWS:
        return Listing(
            check,
            agreement_reviews(user, service, today),
            Household,
            lambda row: int(row["r_household_id"]),
            lambda row: agreement_row(service, row),
        )
    if slug == CHILD_AGREEMENTS:

        def placed(child: Child) -> dict[str, Any]:
            placed_on = child.placed_on  # type: ignore[attr-defined]
            return {
                "child_id": child.pk,
                "child_name": child.full_name,
                "child_reference": child.reference,
                "household_id": child.household_id,  # type: ignore[attr-defined]
                "household_name": child.household_name,  # type: ignore[attr-defined]
                "placed_on": placed_on,
                "days_since_placed": (today - placed_on).days,
            }

        return Listing(check, children_without_agreement(user, service, today), Child, _pk, placed)

    def device_row(row: DeviceRow) -> dict[str, Any]:
        device = row.device
        return {
            "device_id": device.pk,
            "device": device.get_device_type_display(),
            "description": device.description,
            "household_id": device.household_id,
            "household_name": device.household.name,
            "room": device.room,
            "room_kind": device.get_room_kind_display(),
            "status": device.get_status_display(),
            "verdict": row.level.key,
            "verdict_label": row.level.label,
            "rule_id": row.rule_id,
            "reason": row.reason,
            "declared_on": _day(device.declared_at),
        }

    return Listing(check, devices_not_allowed(user, service, today), Device, _pk, device_row)


def _pk(record: Any) -> int:
    return int(record.pk)
