"""Stored verdict levels, for the weekly devices check over a whole service (decision 0062).

A device's verdict is worked out afresh whenever a device or a household page shows it
(devices.verdict, decision 0013). The weekly check lists every device of a service whose
verdict is not "allowed", most severe first, 50 a page: working out thousands of verdicts
on every request to show 50 costs a second on a county. So each device's level is kept in
`DeviceLevel`, with the day it was worked out and the household's `VerdictStamp` at that
moment, and the check reads a level only while both are current:

- The stamp is the database's own: the triggers below add one to a household's stamp in
  the same transaction as any insert, update or delete of what its verdicts read (its
  devices, placements, members, CCTV requests, reports, decisions and what each report
  covers; its status; a child's date of birth; the service's device settings). A write by
  any path, the ORM, a bulk update or SQL by hand, moves the stamp.
- A level is of one day: ages, placements and exceptions turn with the date, so a level of
  yesterday is not read today.

`refresh` works the levels out again for the households whose stored levels are missing,
of another day or of an older stamp. It reads each stamp before the verdicts' inputs, so a
change committed meanwhile leaves the level older than the stamp, and it is worked out
again on the next read: a stale level is never read as current. A daily job
(`device_levels`) refreshes every service in the night, so the first reader of the day
does not wait.

Triggers are installed after every `migrate` (post_migrate, DevicesConfig.ready),
idempotently, like the append-only ones (core.append_only).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, F, IntegerField, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan

from safecare.core.models import FosteringService
from safecare.households.models import Household

from .assessment import contexts, placed_and_arrived
from .models import Device, DeviceLevel, DeviceStatus, VerdictStamp
from .verdict import DeviceFacts, Level, Verdict, verdict

STAMP = VerdictStamp._meta.db_table
# Levels written at once from which the planner's statistics are renewed (PostgreSQL).
ANALYZE_AFTER = 1000


@dataclass(frozen=True)
class Trigger:
    """What moves a household's stamp when a row of `table` is written.

    `households` is a query of household ids, `{row}` standing for the written row (OLD or
    NEW). `columns`: the columns whose update counts (all when empty); inserts and deletes
    always count unless `on_insert_delete` is False.
    """

    table: str
    households: str
    columns: tuple[str, ...] = ()
    on_insert_delete: bool = True


_REPORT_HOUSEHOLD = "SELECT q.household_id FROM devices_cctvrequest q JOIN devices_cctvreport p ON p.request_id = q.id WHERE p.id = {row}.cctvreport_id"

TRIGGERS = (
    Trigger("devices_device", "SELECT {row}.household_id"),
    Trigger("households_placement", "SELECT {row}.household_id"),
    Trigger("households_householdmember", "SELECT {row}.household_id"),
    Trigger("devices_cctvrequest", "SELECT {row}.household_id"),
    Trigger("devices_cctvreport", "SELECT household_id FROM devices_cctvrequest WHERE id = {row}.request_id"),
    Trigger(
        "devices_cctvdecision",
        "SELECT q.household_id FROM devices_cctvrequest q JOIN devices_cctvreport p ON p.request_id = q.id "
        "WHERE p.id = {row}.report_id",
    ),
    Trigger("devices_cctvreport_devices", _REPORT_HOUSEHOLD),
    Trigger("devices_cctvreport_children", _REPORT_HOUSEHOLD),
    # A child's age decides a baby monitor's verdict (DV-9): where the child is placed, or monitored.
    Trigger(
        "households_child",
        "SELECT household_id FROM households_placement WHERE child_id = {row}.id "
        "UNION SELECT household_id FROM devices_device WHERE monitored_child_id = {row}.id",
        columns=("date_of_birth",),
        on_insert_delete=False,
    ),
    # DV-4: only an approved household may have an exception; the service is where its settings are.
    Trigger(
        "households_household", "SELECT {row}.id", columns=("status", "service_id"), on_insert_delete=False
    ),
    # The settings the verdicts read (devices.verdict.Settings.of).
    Trigger(
        "core_fosteringservice",
        "SELECT id FROM households_household WHERE service_id = {row}.id",
        columns=(
            "smart_speakers_in_bedrooms",
            "connected_device_security",
            "max_inside_cctv_retention_hours",
            "baby_age_months",
            "cctv_decider",
        ),
        on_insert_delete=False,
    ),
)


def _bump(households: str, row: str) -> str:
    """One more on the stamp of each household the row names (a row made at the first)."""
    # The table and the queries are this module's constants: nothing from a request.
    return (
        f"INSERT INTO {STAMP} (household_id, rev) "  # noqa: S608
        f"SELECT id, 1 FROM households_household WHERE id IN ({households.format(row=row)}) "
        f"ON CONFLICT (household_id) DO UPDATE SET rev = {STAMP}.rev + 1"
    )


def _name(trigger: Trigger, suffix: str = "") -> str:
    return f"{trigger.table}_verdict_stamp{suffix}"


def _events(trigger: Trigger) -> tuple[str, ...]:
    update = "UPDATE OF " + ", ".join(trigger.columns) if trigger.columns else "UPDATE"
    return ("INSERT", update, "DELETE") if trigger.on_insert_delete else (update,)


def install_sql(vendor: str) -> list[str]:
    """The statements that (re)install every trigger, for this database."""
    statements: list[str] = []
    for trigger in TRIGGERS:
        if vendor == "postgresql":
            function = _name(trigger)
            statements += [
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$\n"
                "BEGIN\n"
                f"    IF TG_OP IN ('UPDATE', 'DELETE') THEN {_bump(trigger.households, 'OLD')}; END IF;\n"
                f"    IF TG_OP IN ('INSERT', 'UPDATE') THEN {_bump(trigger.households, 'NEW')}; END IF;\n"
                "    RETURN NULL;\n"
                "END;\n"
                "$$ LANGUAGE plpgsql",
                f'DROP TRIGGER IF EXISTS "{function}" ON "{trigger.table}"',
                f'CREATE TRIGGER "{function}" AFTER {" OR ".join(_events(trigger))} ON "{trigger.table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            ]
        elif vendor == "sqlite":
            for event in _events(trigger):
                name = _name(trigger, "_" + event.split()[0].lower())
                rows = {"INSERT": ("NEW",), "DELETE": ("OLD",)}.get(event.split()[0], ("OLD", "NEW"))
                body = " ".join(f"{_bump(trigger.households, row)};" for row in rows)
                statements += [
                    f'DROP TRIGGER IF EXISTS "{name}"',
                    f'CREATE TRIGGER "{name}" AFTER {event} ON "{trigger.table}" FOR EACH ROW BEGIN {body} END',
                ]
    return statements


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in install_sql(connection.vendor):
            cursor.execute(statement)


def install_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(connections[using])


# Working the levels out --------------------------------------------------------------------

# Of its household, and of the child or member a monitor is for, what the verdict reads
# (devices.verdict.DeviceFacts.of, devices.assessment.contexts) and a list's household name.
_DEVICE_RELATED = (
    "household__name",
    "household__status",
    "household__service_id",
    "monitored_child__date_of_birth",
    "monitored_member__date_of_birth",
    "monitored_member__moved_out_on",
)


@contextmanager
def _collected_after() -> Iterator[None]:
    """Tens of thousands of objects made at once (a county's devices, households and
    placements): the cyclic garbage collector would otherwise run over every object of the
    process again and again meanwhile (a third of the time on a county). It is paused while
    they are made and collects as usual afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# The households a check reads: a query of their ids, a list of them, or a whole service (the
# devices then filtered by their household's service, which the planner joins far better than
# a subquery of thousands of ids).
Households = QuerySet[Household, Any] | list[int] | FosteringService


def _within(households: Households) -> Q:
    if isinstance(households, FosteringService):
        return Q(household__service_id=households.pk)
    return Q(household__in=households)


def on_register(households: Households) -> QuerySet[Device]:
    """The devices of these households on the register (planned or in use), each with what its
    verdict reads, in the weekly check's order: household, room, device."""
    return (
        Device.objects.filter(_within(households))
        .exclude(status=DeviceStatus.REMOVED)
        .select_related("household", "monitored_child", "monitored_member")
        # Every field of the device: a device read in part costs more to build than one read whole.
        .only(*(f.attname for f in Device._meta.concrete_fields), *_DEVICE_RELATED)
    )


def verdicts(
    devices: list[Device], today: dt.date, *, service: FosteringService | None = None
) -> list[Verdict]:
    """Each device's verdict (devices.verdict), with a fixed number of queries for any number.

    `service`: the reader's, already loaded, used for its households instead of reading it.
    """
    if not devices:
        return []
    with _collected_after():
        households = {d.household_id: d.household for d in devices}
        services: dict[int, FosteringService] = {service.pk: service} if service is not None else {}
        missing = {h.service_id for h in households.values()} - set(services)
        if missing:
            services.update(FosteringService.objects.in_bulk(missing))
        for household in households.values():
            household.service = services[household.service_id]
        placements, arrivals = placed_and_arrived(list(households), today, with_children=False)
        found = contexts(households, placements, today, arrivals=arrivals)
        return [verdict(DeviceFacts.of(d, today=today), found[d.household_id]) for d in devices]


def _current(devices: QuerySet[Device], today: dt.date) -> QuerySet[Device]:
    """These devices where their stored level is current (worked out today, at its household's
    stamp now), as joins: the device's level
    and, outer-joined, its household's stamp (none yet is 0). The planner reads a join's rows
    far better than a correlated subquery's, and picks hash joins."""
    return devices.alias(stamp_now=Coalesce(F("household__verdict_stamp__rev"), Value(0))).filter(
        stored_level__on=today, stored_level__rev=F("stamp_now")
    )


def _registered(households: Households) -> QuerySet[Device]:
    return Device.objects.filter(_within(households)).exclude(status=DeviceStatus.REMOVED)


def _listed(households: Households, today: dt.date) -> QuerySet[Device]:
    """The devices of these households on the register whose current level is not allowed."""
    return _current(_registered(households), today).filter(stored_level__level__gt=Level.ALLOWED)


def count_not_allowed_of(households: Households, today: dt.date) -> Subquery:
    """As a subquery: how many devices of these households have a current level other than allowed."""
    return Subquery(
        _listed(households, today)
        .order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(n=Count("*"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def count_not_allowed(households: Households, today: dt.date) -> int:
    """How many devices of these households have a current level other than allowed."""
    return _listed(households, today).count()


def _is_current(today: dt.date) -> Q:
    """Whether a device's stored level is current: worked out today, at its household's stamp
    now. Outer-joined: a device with no level yet is stale; a household with no stamp yet is 0."""
    on = Coalesce(F("stored_level__on"), Value(dt.date.min))
    rev = Coalesce(F("stored_level__rev"), Value(-1))
    stamp_now = Coalesce(F("household__verdict_stamp__rev"), Value(0))
    return Q(Exact(on, today)) & Q(Exact(rev, stamp_now))


def _tally(households: Households, today: dt.date) -> dict[str, int]:
    """In one pass over these households' devices on the register: how many have a level that is
    not current (`stale`), and how many have a current level other than allowed (`listed`)."""
    current = _is_current(today)
    level = Coalesce(F("stored_level__level"), Value(int(Level.ALLOWED)))
    return _registered(households).aggregate(
        stale=Count("pk", filter=~current),
        listed=Count("pk", filter=current & Q(GreaterThan(level, int(Level.ALLOWED)))),
    )


def stale_count(households: Households, today: dt.date) -> int:
    """How many of these households' devices on the register have a level that is not current."""
    return _tally(households, today)["stale"]


def refresh(households: Households, today: dt.date, *, service: FosteringService | None = None) -> int:
    """Work out again the levels of these households' devices wherever one is not current, and
    return how many of them are not allowed now.

    When every level is current, one query finds so and counts. Otherwise the stale devices are
    read with the count of the others, so a page that refreshes asks no count of its own.
    """
    tally = _tally(households, today)
    if not tally["stale"]:
        return tally["listed"]
    # The devices whose level is not current, each with its household's stamp, read in the same
    # statement and before anything else the verdicts read: a change committed after leaves the
    # level older than the stamp, so it is worked out again next time, never read as current.
    # A household's devices go stale together (any change to them moves its stamp). The count of
    # the others is read again here, in the same statement, so it matches these rows exactly.
    stale = list(
        on_register(households)
        .exclude(_is_current(today))
        .annotate(
            stamp_rev=Coalesce(F("household__verdict_stamp__rev"), Value(0)),
            # Not correlated: the database works it out once, not once a row.
            already=count_not_allowed_of(households, today),
        )
        .order_by("household_id", "id")
    )
    if not stale:
        # Made current meanwhile by another reader: count them as they are now.
        return count_not_allowed(households, today)
    levels: list[DeviceLevel] = []
    for devices in _by_households(stale, 500):  # a bounded list of ids in each query
        for device, found in zip(devices, verdicts(devices, today, service=service), strict=True):
            deciding = found.deciding if found.level != Level.ALLOWED else None
            levels.append(
                DeviceLevel(
                    device_id=device.pk,
                    household_id=device.household_id,
                    level=int(found.level),
                    rule_id=deciding.rule_id if deciding else "",
                    reason=deciding.message if deciding else "",
                    rev=device.stamp_rev,  # type: ignore[attr-defined]
                    on=today,
                )
            )
    DeviceLevel.objects.bulk_create(
        levels,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["device"],
        update_fields=["household_id", "level", "rule_id", "reason", "rev", "on"],
    )
    if len(levels) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Thousands of levels written at once (a new day, a new database): the planner's counts
        # of the table are renewed, or it plans the check's joins for the table it saw before.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DeviceLevel._meta.db_table}, {STAMP}")
    already: int = stale[0].already or 0
    return already + sum(1 for level in levels if level.level != Level.ALLOWED)


def _by_households(devices: Sequence[Device], most: int) -> Iterator[list[Device]]:
    """The devices (in household order) in runs of at most `most` households."""
    run: list[Device] = []
    households: set[int] = set()
    for device in devices:
        if device.household_id not in households and len(households) == most:
            yield run
            run, households = [], set()
        households.add(device.household_id)
        run.append(device)
    if run:
        yield run


# What a row of the weekly check shows of a device (compliance.checks.listing).
_LISTED = (
    "id",
    "device_type",
    "description",
    "household_id",
    "household__name",
    "room",
    "room_kind",
    "status",
    "declared_at",
)


def not_allowed(households: Households, today: dt.date) -> QuerySet[Device]:
    """The devices of these households whose current level is not allowed, most severe first,
    then by household, room and device, each with its level, rule and reason (`stored`,
    `stored_rule`, `stored_reason`) and what a row of the check shows of it."""
    return (
        _listed(households, today)
        .select_related("household")
        .only(*_LISTED)
        .annotate(
            stored=F("stored_level__level"),
            stored_rule=F("stored_level__rule_id"),
            stored_reason=F("stored_level__reason"),
        )
        .order_by("-stored_level__level", "household__name", "household_id", "room", "id")
    )


def refresh_service(service: FosteringService, today: dt.date) -> int | None:
    """Every household of the service (the daily job)."""
    return refresh(service, today, service=service)
