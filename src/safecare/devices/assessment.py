"""Verdicts and DV-10 flags for many devices at once, in a fixed number of queries.

The verdict itself is the pure function in devices.verdict; this module reads
its inputs from the database (the service's settings, whether the household is
approved, the children placed today, when the latest of the people living
there arrived, the agreed CCTV exceptions) and the agreements in force, for
every household of a page together. The register page, the approval rule, the API
and the alerts all read through here, so there is one way to compute a
verdict (decision 0013).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import CharField, DateField, IntegerField, Max, Q, QuerySet, Value

from safecare.households.models import Child, Household, HouseholdMember, HouseholdStatus, Placement

from .models import CctvReport, CctvRequest, Device, DeviceStatus, RequestStatus
from .verdict import Context, DeviceFacts, Grant, Settings, Verdict, verdict

# What an agreement must say of a device (DV-10): where, how positioned, why, and what it captures.
DESCRIBED = ("type", "room", "room_kind", "positioning", "captures", "purpose", "purpose_detail")


def _described(entry: dict[str, object]) -> tuple[object, ...]:
    return tuple(entry.get(key, "") for key in DESCRIBED)


def covers(listed: Iterable[dict[str, object]], device: Device) -> bool:
    """DV-10: whether an agreement version's device list describes this device as it is now."""
    wanted = _described(device.agreement_entry())
    return any(e.get("device") == device.pk and _described(e) == wanted for e in listed)


# Households named by a query of their ids (a subquery) rather than a list: thousands of ids in
# a list cost more to send than the query they filter (each a parameter to write and parse).
HouseholdIds = Iterable[int] | QuerySet[Household, int]


def _ids(household_ids: HouseholdIds) -> list[int] | QuerySet[Household, int]:
    return household_ids if isinstance(household_ids, QuerySet) else list(household_ids)


def placements_of(
    household_ids: HouseholdIds, today: dt.date, *, with_children: bool = True
) -> dict[int, list[Placement]]:
    """The placements under way today of each household, with their children loaded unless
    `with_children` is False (the verdicts read the children's ids only, contexts below)."""
    placements: dict[int, list[Placement]] = defaultdict(list)
    found = Placement.objects.current(today).filter(household_id__in=_ids(household_ids))
    if with_children:
        found = found.select_related("child")
    for placement in found.order_by("child_id"):
        placements[placement.household_id].append(placement)
    return placements


# DV-4: an exception is for approved foster carers only; these households are not approved yet.
NOT_YET_APPROVED = frozenset({HouseholdStatus.APPLICANT, HouseholdStatus.IN_ASSESSMENT})


def latest_arrivals(
    household_ids: Iterable[int],
    placements: dict[int, list[Placement]],
    today: dt.date,
    *,
    among: QuerySet[Household, int] | None = None,
) -> dict[int, dt.date]:
    """DV-11: the latest day someone living in each household today arrived: one query.

    A child placed now arrived on the placement's start; a member living here now on the day
    they moved in (a member with no date recorded has always lived here). Someone who has left
    is not told again, so only the people living there today count. `among`: the same
    households as a query of their ids, to filter on instead of the list.
    """
    ids = list(household_ids)
    moved_in = {
        row["household_id"]: row["latest"]
        for row in HouseholdMember.objects.filter(
            Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=today),
            household_id__in=ids if among is None else among,
            moved_in_on__lte=today,
        )
        .values("household_id")
        .annotate(latest=Max("moved_in_on"))
        .order_by()
    }
    return arrivals_from(ids, placements, moved_in)


def arrivals_from(
    household_ids: Iterable[int], placements: dict[int, list[Placement]], moved_in: dict[int, dt.date]
) -> dict[int, dt.date]:
    """DV-11: the latest arrival of each household, from its placements under way and the latest
    day a member living there today moved in (latest_arrivals)."""
    latest: dict[int, dt.date] = {}
    for pk in household_ids:
        days = [p.start_on for p in placements.get(pk, [])]
        if pk in moved_in:
            days.append(moved_in[pk])
        if days:
            latest[pk] = max(days)
    return latest


def placed_and_arrived(
    ids: list[int], today: dt.date, *, with_children: bool = True
) -> tuple[dict[int, list[Placement]], dict[int, dt.date]]:
    """The placements under way today of each household and the latest arrival there (DV-11,
    `latest_arrivals`), in one query: the placements and the members living there today, as a
    UNION ALL. With `with_children`, each placement's child comes with its name (the DV-10
    labels say whose agreement it is); the verdicts alone need its id only."""
    none_text = Value(None, output_field=CharField())
    placed = (
        Placement.objects.current(today)
        .filter(household_id__in=ids)
        .order_by()
        .values_list(
            "household_id",
            "child_id",
            "start_on",
            "id",
            *(("child__first_name", "child__last_name") if with_children else (none_text, none_text)),
        )
    )
    moved_in = (
        HouseholdMember.objects.filter(
            Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=today),
            household_id__in=ids,
            moved_in_on__lte=today,
        )
        .order_by()
        .values_list(
            "household_id",
            Value(None, output_field=IntegerField()),
            "moved_in_on",
            Value(None, output_field=IntegerField()),
            none_text,
            none_text,
        )
    )
    placements: dict[int, list[Placement]] = defaultdict(list)
    latest_member: dict[int, dt.date] = {}
    for household_id, child_id, day, pk, first_name, last_name in placed.union(moved_in, all=True):
        if child_id is None:
            latest_member[household_id] = max(day, latest_member.get(household_id, day))
            continue
        placement = Placement(pk=pk, household_id=household_id, child_id=child_id, start_on=day)
        if with_children:
            placement.child = Child(pk=child_id, first_name=first_name, last_name=last_name)
        placements[household_id].append(placement)
    for found in placements.values():
        found.sort(key=lambda placement: placement.child_id)
    return placements, arrivals_from(ids, placements, latest_member)


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    # DV-10: the agreements whose current version does not describe the device as it is now.
    not_in: tuple[str, ...]


# A row of the agreed exceptions' query (`_agreed`): a report, or a device or child one covers.
_REPORT, _DEVICE, _CHILD = 0, 1, 2


@dataclass
class _Agreed:
    request_id: int
    household_id: int
    number: int
    reference: str
    reopened: bool
    reopened_reason: str
    start: dt.date
    end: dt.date
    devices: set[int]
    children: set[int]


def _agreed(households: list[int] | QuerySet[Household, int]) -> list[_Agreed]:
    """The latest agreed round of each CCTV request in force or reopened, with the devices and
    children it covers: one query (a UNION of the reports and what each covers), however many."""
    agreed = {
        "request__household_id__in": households,
        "request__status__in": [RequestStatus.AGREED, RequestStatus.REOPENED],
        "decision__agreed": True,
    }
    covering = {f"cctvreport__{key}": value for key, value in agreed.items()}
    none_int = Value(None, output_field=IntegerField())
    none_text = Value(None, output_field=CharField())
    none_date = Value(None, output_field=DateField())
    rows = (
        CctvReport.objects.filter(**agreed)
        .order_by()
        .values_list(
            Value(_REPORT, output_field=IntegerField()),
            "id",
            "request_id",
            "request__household_id",
            "number",
            "request__status",
            "request__reopened_reason",
            "period_start",
            "period_end",
        )
        .union(
            *(
                through.objects.filter(**covering)
                .order_by()
                .values_list(
                    Value(kind, output_field=IntegerField()),
                    "cctvreport_id",
                    column,
                    none_int,
                    none_int,
                    none_text,
                    none_text,
                    none_date,
                    none_date,
                )
                for kind, through, column in (
                    (_DEVICE, CctvReport.devices.through, "device_id"),
                    (_CHILD, CctvReport.children.through, "child_id"),
                )
            ),
            all=True,
        )
    )
    reports: dict[int, _Agreed] = {}
    covered: list[tuple[int, int, int]] = []
    for kind, report_id, pk, household_id, number, status, reason, start, end in rows:
        if kind == _REPORT:
            reports[report_id] = _Agreed(
                request_id=pk,
                household_id=household_id,
                number=number,
                reference=CctvRequest(pk=pk).reference,
                reopened=status == RequestStatus.REOPENED,
                reopened_reason=reason or "",
                start=start,
                end=end,
                devices=set(),
                children=set(),
            )
        else:
            covered.append((kind, report_id, pk))
    for kind, report_id, pk in covered:
        report = reports.get(report_id)
        if report is not None:
            (report.devices if kind == _DEVICE else report.children).add(pk)
    # The latest agreed round of each request; earlier rounds are history.
    latest: dict[int, _Agreed] = {}
    for report in reports.values():
        if report.request_id not in latest or report.number > latest[report.request_id].number:
            latest[report.request_id] = report
    return sorted(latest.values(), key=lambda report: report.request_id)


def contexts(
    households: dict[int, Household],
    placements: dict[int, list[Placement]],
    today: dt.date,
    *,
    among: QuerySet[Household, int] | None = None,
    arrivals: dict[int, dt.date] | None = None,
) -> dict[int, Context]:
    """Each household's verdict context (settings, approval, children placed, latest arrival, exceptions).

    A few queries whatever the number of households: the agreed exceptions with the children and
    devices each covers (one query), and the members' arrivals (unless `arrivals` are given). `among`: the same households as a query of their
    ids (a subquery), for thousands.
    """
    grants: dict[int, list[Grant]] = defaultdict(list)
    for report in _agreed(list(households) if among is None else among):
        grants[report.household_id].append(
            Grant(
                request_reference=report.reference,
                device_ids=frozenset(report.devices),
                child_ids=frozenset(report.children),
                start=report.start,
                end=report.end,
                reopened_reason=(report.reopened_reason or "reopened") if report.reopened else "",
            )
        )
    if arrivals is None:
        arrivals = latest_arrivals(households, placements, today, among=among)
    # One Settings a service, not one a household: the households of a page share their service.
    settings: dict[int, Settings] = {}
    for household in households.values():
        if household.service_id not in settings:
            settings[household.service_id] = Settings.of(household.service)
    return {
        pk: Context(
            today=today,
            settings=settings[household.service_id],
            placed_child_ids=frozenset(p.child_id for p in placements[pk]),
            grants=tuple(grants[pk]),
            household_approved=household.status not in NOT_YET_APPROVED,
            latest_arrival=arrivals.get(pk),
        )
        for pk, household in households.items()
    }


Listed = list[dict[str, object]] | None  # a current version's devices; None with no version in force


def agreements_in_force(household_ids: Iterable[int]) -> tuple[dict[int, Listed], dict[int, Listed]]:
    """DV-10: the device lists of the current versions: SCFAs by household, child agreements by placement."""
    from safecare.agreements.models import Agreement, AgreementKind

    scfas: dict[int, Listed] = {}
    by_placement: dict[int, Listed] = {}
    agreements = Agreement.objects.filter(household_id__in=list(household_ids)).select_related(
        "current_version"
    )
    for agreement in agreements:
        listed = agreement.current_version.devices if agreement.current_version else None
        if agreement.kind == AgreementKind.HOUSEHOLD:
            scfas.setdefault(agreement.household_id, listed)
        elif agreement.placement_id is not None:
            by_placement[agreement.placement_id] = listed
    return scfas, by_placement


def agreement_gaps(
    devices: Sequence[Device], households: dict[int, Household], placements: dict[int, list[Placement]]
) -> dict[int, tuple[str, ...]]:
    """DV-10, for the devices of many households at once: the agreements that do not describe each."""
    scfas, by_placement = agreements_in_force(households)
    gaps: dict[int, tuple[str, ...]] = {}
    for device in devices:
        if device.status == DeviceStatus.REMOVED:
            gaps[device.pk] = ()  # Off the register: no agreement need describe it.
            continue
        labels = []
        listed = scfas.get(device.household_id)
        if listed is None or not covers(listed, device):
            labels.append("the Safe Caring Family Agreement")
        for placement in placements[device.household_id]:
            listed = by_placement.get(placement.pk)
            if listed is None or not covers(listed, device):
                labels.append(f"{placement.child.full_name}'s child-specific agreement")
        gaps[device.pk] = tuple(labels)
    return gaps


def assess(devices: Sequence[Device], *, today: dt.date) -> dict[int, Assessment]:
    """Each device's verdict and DV-10 flags, with one context per household: fixed queries.

    The devices must come with household__service, monitored_child and monitored_member loaded.
    """
    if not devices:
        return {}
    households = {d.household_id: d.household for d in devices}
    placements, arrivals = placed_and_arrived(list(households), today)
    found = contexts(households, placements, today, arrivals=arrivals)
    gaps = agreement_gaps(devices, households, placements)
    return {
        d.pk: Assessment(
            verdict=verdict(DeviceFacts.of(d, today=today), found[d.household_id]),
            not_in=gaps[d.pk],
        )
        for d in devices
    }
