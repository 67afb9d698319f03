"""The sections of an inspection pack, one selector each, over the whole service.

Each section reads a fixed number of queries whatever the number of records, and asks the app
that owns the records for its own verdicts and names: the devices app's verdict (devices.assessment),
the CCTV exceptions agreed and in force (the latest agreed round of an agreed request whose
period includes the day), a concern's stage as the standards pages name it, the next review of
an internet-monitoring agreement as the monitoring app counts it (IM-9), and the service's own
history of its settings. Children are named in full, as in the service's other printed records
(they go to inspectors, not to carers); households by name and reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from safecare.core.models import ClosureDay, FosteringService, Task, TaskStatus, User
from safecare.households.models import Allocation, AllocationKind, Household

from .figures import Period

# How many rows a section lists at most: a pack is for reading, not a dump of the database.
MAX_ROWS = 500


def _ssws(household_ids: list[int]) -> dict[int, str]:
    """The current supervising social worker of each household: one query."""
    names: dict[int, str] = {}
    for allocation in (
        Allocation.objects.current()
        .filter(kind=AllocationKind.SUPERVISING, household_id__in=household_ids)
        .select_related("worker")
        .order_by("household_id", "-started_at", "-id")
    ):
        names.setdefault(int(allocation.household_id or 0), allocation.worker.display_name)
    return names


# Households with overdue duties ---------------------------------------------------------------


@dataclass(frozen=True)
class OverdueHousehold:
    household: Household
    ssw: str
    overdue: int
    oldest_due_on: dt.date


def overdue_households(service: FosteringService, *, today: dt.date) -> list[OverdueHousehold]:
    """Every household with an open duty whose due date has passed: three queries."""
    counts = list(
        Task.objects.filter(
            service=service, status=TaskStatus.OPEN, due_on__lt=today, household__isnull=False
        )
        .values("household_id")
        .annotate(n=Count("id"), oldest=Min("due_on"))
        .order_by("oldest", "household_id")[:MAX_ROWS]
    )
    ids = [int(row["household_id"]) for row in counts]
    households = Household.objects.in_bulk(ids)
    ssws = _ssws(ids)
    return [
        OverdueHousehold(
            household=households[int(row["household_id"])],
            ssw=ssws.get(int(row["household_id"]), ""),
            overdue=int(row["n"]),
            oldest_due_on=row["oldest"],
        )
        for row in counts
        if int(row["household_id"]) in households
    ]


# Devices not allowed today -------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceRow:
    household: Household
    reference: str
    kind: str
    room: str
    verdict: str
    rule_id: str
    reason: str


def devices_not_allowed(service: FosteringService, *, today: dt.date) -> list[DeviceRow]:
    """Devices on a register whose verdict today is "needs an approved exception" or "prohibited".

    The verdicts are the devices app's own (devices.assessment.assess), as the register shows them:
    a fixed number of queries for every household of the service together.
    """
    from safecare.devices.assessment import assess
    from safecare.devices.models import Device, DeviceStatus
    from safecare.devices.selectors import DEVICE_SELECT
    from safecare.devices.verdict import Level

    devices = list(
        Device.objects.filter(household__service=service)
        .exclude(status=DeviceStatus.REMOVED)
        .select_related(*DEVICE_SELECT, "household__service")
        .order_by("household__name", "household_id", "room", "id")
    )
    found = assess(devices, today=today)
    rows = []
    for device in devices:
        verdict = found[device.pk].verdict
        if verdict.level < Level.NEEDS_EXCEPTION:
            continue
        deciding = verdict.deciding
        rows.append(
            DeviceRow(
                household=device.household,
                reference=device.reference,
                kind=device.get_device_type_display(),
                room=device.room,
                verdict=verdict.label,
                rule_id=deciding.rule_id,
                reason=deciding.message,
            )
        )
    return rows[:MAX_ROWS]


# CCTV exceptions in force --------------------------------------------------------------------


@dataclass(frozen=True)
class CctvRow:
    household: Household
    reference: str
    starts_on: dt.date
    ends_on: dt.date
    cameras: list[str]
    children: list[str]
    decided_on: dt.date
    conditions: str


def cctv_exceptions(service: FosteringService, *, today: dt.date) -> list[CctvRow]:
    """CX-3, CX-6: the agreed exceptions in force today, and the day each ends: three queries.

    In force: the request is agreed, and the latest round the decider agreed covers today (as
    the verdict reads an exception: devices.assessment.contexts). It ends on that round's last day.
    A reopened request covers nothing until a new decision, so it is not listed.
    """
    from safecare.devices.models import CctvReport, RequestStatus

    reports = (
        CctvReport.objects.filter(
            request__service=service, request__status=RequestStatus.AGREED, decision__agreed=True
        )
        .select_related("request__household", "decision")
        .prefetch_related("children", "devices")
        .order_by("request_id", "-number")
    )
    rows: list[CctvRow] = []
    seen: set[int] = set()
    for report in reports:
        if report.request_id in seen:
            continue
        seen.add(report.request_id)
        if not report.period_start <= today <= report.period_end:
            continue
        decision = report.decision
        rows.append(
            CctvRow(
                household=report.request.household,
                reference=report.request.reference,
                starts_on=report.period_start,
                ends_on=report.period_end,
                cameras=[
                    f"{d.reference} {d.get_device_type_display()} ({d.room})" for d in report.devices.all()
                ],
                children=sorted(c.full_name for c in report.children.all()),
                decided_on=timezone.localtime(decision.decided_at).date(),
                conditions=decision.conditions,
            )
        )
    rows.sort(key=lambda row: (row.ends_on, row.reference))
    return rows[:MAX_ROWS]


# Open standards of care processes -----------------------------------------------------------


@dataclass(frozen=True)
class ConcernRow:
    household: Household
    reference: str
    received_on: dt.date
    route: str
    stage: str


def open_concerns(service: FosteringService) -> list[ConcernRow]:
    """SOC-1 to SOC-4: the concerns still being dealt with, and where each stands: two queries.

    The stage is named as the concern's own page names it (standards.views.status_of). Closed,
    and so not listed: no further action, handed to the complaints procedure, and an allegation
    whose outcome is recorded.
    """
    from safecare.standards.models import AllegationResult, Concern, Route, Visit
    from safecare.standards.views import ROUTE_LABELS, status_of

    concerns = (
        Concern.objects.filter(service=service)
        .with_route()
        .annotate(
            visited=Exists(Visit.objects.filter(concern=OuterRef("pk"))),
            outcome=Subquery(AllegationResult.objects.filter(concern=OuterRef("pk")).values("outcome")[:1]),
        )
        .filter(
            Q(current_route__isnull=True) | ~Q(current_route__in=[Route.NO_FURTHER_ACTION, Route.COMPLAINTS]),
            outcome__isnull=True,
        )
        .select_related("household")
        .order_by("received_on", "id")[:MAX_ROWS]
    )
    return [
        ConcernRow(
            household=concern.household,
            reference=concern.reference,
            received_on=concern.received_on,
            route=ROUTE_LABELS.get(concern.current_route, "Not decided yet"),  # type: ignore[attr-defined]
            stage=status_of(concern.current_route, concern.visited, concern.outcome),  # type: ignore[attr-defined]
        )
        for concern in concerns
    ]


# Internet-monitoring agreements in force -----------------------------------------------------


@dataclass(frozen=True)
class AgreementRow:
    reference: str
    child: str
    starts_on: dt.date
    ends_on: dt.date
    last_review_on: dt.date | None
    next_review_on: dt.date


def monitoring_agreements(service: FosteringService, *, today: dt.date) -> list[AgreementRow]:
    """IM-7 to IM-9: the agreements in force today and the date each must next be reviewed by.

    In force: not ended, started, and before its end date (monitoring.services_agree.in_force).
    The next review is the monitoring app's own count (services_agree.review_due): a month after
    monitoring started, then at most three months after the last review held. One query.
    """
    from safecare.monitoring.models import Agreement

    agreements = (
        Agreement.objects.filter(service=service, end__isnull=True, starts_on__lte=today, ends_on__gt=today)
        .annotate(last_review_on=Max("reviews__held_on"))
        .select_related("child")
        .order_by("starts_on", "id")[:MAX_ROWS]
    )
    rows = []
    for agreement in agreements:
        last: dt.date | None = agreement.last_review_on
        rows.append(
            AgreementRow(
                reference=agreement.reference,
                child=agreement.child.full_name,
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                last_review_on=last,
                next_review_on=_next_review(agreement, last),
            )
        )
    rows.sort(key=lambda row: (row.next_review_on, row.reference))
    return rows


def _next_review(agreement: Any, last_held_on: dt.date | None) -> dt.date:
    """IM-9, as monitoring.services_agree.review_due counts it, without its query for the last
    review (the list has already read it): a month after the start, then three months after
    the last review held."""
    from safecare.core.deadlines import months_after
    from safecare.monitoring.services_agree import review_due

    if last_held_on is not None:
        return review_due(agreement, last_held_on=last_held_on).due_on
    return months_after(agreement.starts_on, 1, event="monitoring started", rule_id="IM-9").due_on


# Changes of the service's settings ----------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class SettingsChange:
    when: dt.datetime
    who: str
    what: str  # "Settings changed", "Closure day added", "Closure day removed"
    changes: list[FieldChange] = field(default_factory=list)


# The history's own bookkeeping, never a setting.
NOT_SETTINGS = {"id", "history_id", "history_date", "history_user", "history_type", "history_change_reason"}


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def _display(model_field: Any, value: Any) -> str:
    choices = dict(model_field.flatchoices) if getattr(model_field, "flatchoices", None) else {}
    return _shown(choices.get(value, value))


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def settings_changes(service: FosteringService, period: Period) -> list[SettingsChange]:
    """Who changed which setting of the service, from what to what, and when, in the period.

    Each history row of the service in the period is compared with the row before it (the
    first row of the period with the last before it): four queries.
    """
    start, end = _bounds(period)
    history = FosteringService.history.model
    rows = list(
        history.objects.filter(id=service.pk, history_date__gte=start, history_date__lt=end)
        .select_related("history_user")
        .order_by("history_date", "history_id")[:MAX_ROWS]
    )
    before = (
        history.objects.filter(id=service.pk, history_date__lt=start)
        .order_by("-history_date", "-history_id")
        .first()
    )
    # What the history keeps: a field it leaves out (the closures stamp) is no setting.
    kept = {f.name for f in history._meta.concrete_fields}
    fields = [
        f for f in FosteringService._meta.concrete_fields if f.name not in NOT_SETTINGS and f.name in kept
    ]
    changes: list[SettingsChange] = []
    previous = before
    for row in rows:
        found: list[FieldChange] = []
        if previous is not None:
            for model_field in fields:
                old = getattr(previous, model_field.attname)
                new = getattr(row, model_field.attname)
                if old != new:
                    found.append(
                        FieldChange(
                            label=_sentence(str(model_field.verbose_name)),
                            old=_display(model_field, old),
                            new=_display(model_field, new),
                        )
                    )
        previous = row
        if row.history_type == "+" and not found:
            changes.append(
                SettingsChange(when=row.history_date, who=_who(row.history_user), what="Service set up")
            )
        elif found:
            changes.append(
                SettingsChange(
                    when=row.history_date, who=_who(row.history_user), what="Settings changed", changes=found
                )
            )

    closures = ClosureDay.history.model
    by_kind = {"+": "Closure day added", "-": "Closure day removed", "~": "Closure day changed"}
    for closure in (
        closures.objects.filter(service_id=service.pk, history_date__gte=start, history_date__lt=end)
        .select_related("history_user")
        .order_by("history_date", "history_id")[:MAX_ROWS]
    ):
        changes.append(
            SettingsChange(
                when=closure.history_date,
                who=_who(closure.history_user),
                what=by_kind.get(closure.history_type, "Closure day changed"),
                changes=[FieldChange(label=f"{closure.date:%-d %B %Y}", old="", new=closure.reason)],
            )
        )
    changes.sort(key=lambda change: change.when)
    return changes[:MAX_ROWS]


def _who(user: User | None) -> str:
    return user.display_name if user is not None else "The system"


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]
