"""Reads of the devices app, already scoped to the user (core.access).

Devices and CCTV requests are seen by whoever sees the household (rules: Who sees what:
carers their own home, the CSW the home their child is placed in). Anything
else answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from safecare.core.roles import Role
from safecare.core.tasks import duty
from safecare.households.access import children_visible_to, households_visible_to
from safecare.households.models import Child, Household, Placement

from .assessment import assess, contexts, placements_of
from .models import (
    ACTIVE_REQUEST_STATUSES,
    CctvReport,
    CctvRequest,
    Device,
    DeviceCheck,
    DeviceStatus,
)
from .verdict import DeviceFacts, Finding, Level, Verdict, needs_decider_decision

if TYPE_CHECKING:
    from safecare.core.models import User

# Task kinds: one per duty (core.tasks).
DEVICE_REVIEW = duty(
    "device_review", rule_id="DV-2", fulfilled_by="the review of every new or changed device"
)
DEVICE_CHECK = duty(
    "device_check",
    rule_id="DV-2",
    fulfilled_by="a check of the device register with the carers",
    repeats=True,
)
SCFA_DEVICES = duty(
    "scfa_devices",
    rule_id="DV-10",
    fulfilled_by="a version of the Safe Caring Family Agreement describing every device",
)
CHILD_AGREEMENT_DEVICES = duty(
    "child_agreement_devices",
    rule_id="DV-10",
    fulfilled_by="a version of the child-specific agreement describing every device",
)
CCTV_SIGN = duty("cctv_sign", rule_id="CX-3", fulfilled_by="the signature of the CCTV report")
CCTV_CONSENT = duty("cctv_consent", rule_id="CX-4", fulfilled_by="the child's social worker's answer")
CCTV_DECISION = duty("cctv_decision", rule_id="CX-3", fulfilled_by="the decision on the CCTV request")
CCTV_EXPIRY = duty(
    "cctv_expiry",
    rule_id="CX-6",
    fulfilled_by="a new request for the cameras, or their removal, before the exception ends",
)
CCTV_REOPENED = duty(
    "cctv_reopened", rule_id="CX-6", fulfilled_by="a new decision on the reopened request, or its withdrawal"
)
# DV-3, DV-4 (and whichever rule decided the verdict): a device the policy does not allow is taken out.
# One per household; each task carries the rule of the verdict that opened it.
DEVICE_REMOVAL = duty(
    "device_removal",
    rule_id="DV-3",
    fulfilled_by="the device's removal from the register, or a change after which the policy allows it",
)
# DV-11: someone who came to live in the home is told about the devices.
DEVICE_ARRIVAL_TOLD = duty(
    "device_arrival_told",
    rule_id="DV-11",
    fulfilled_by="the date everyone was told, on or after the latest arrival, on every device in use",
)

DEVICE_SELECT = ("household", "monitored_child", "monitored_member")


def devices_visible_to(user: User) -> QuerySet[Device]:
    return Device.objects.filter(household__in=households_visible_to(user))


def requests_visible_to(user: User) -> QuerySet[CctvRequest]:
    return CctvRequest.objects.filter(household__in=households_visible_to(user))


def reports_visible_to(user: User) -> QuerySet[CctvReport]:
    return CctvReport.objects.filter(request__in=requests_visible_to(user))


def household_for(user: User, pk: int) -> Household:
    try:
        return households_visible_to(user).select_related("service", "team").get(pk=pk)
    except Household.DoesNotExist as error:
        raise Http404 from error


def device_for(user: User, pk: int) -> Device:
    try:
        return (
            devices_visible_to(user)
            .select_related(*DEVICE_SELECT, "household__service", "declared_by", "reviewed_by")
            .get(pk=pk)
        )
    except Device.DoesNotExist as error:
        raise Http404 from error


def request_for(user: User, pk: int) -> CctvRequest:
    try:
        return requests_visible_to(user).select_related("household__service", "created_by").get(pk=pk)
    except CctvRequest.DoesNotExist as error:
        raise Http404 from error


# Who is told which child a device or a CCTV report is about (rules: Who sees what; decision
# 0023). The people who sign and decide a CCTV report, and the household's side of the service,
# see every child placed anyway: each child's name, and in the report the date of birth the
# policy's form asks for. A carer sees first names. Anyone else sees the children they may open,
# and "another child placed here" for the rest.
NAMES_EVERY_CHILD = frozenset(
    {
        Role.SUPERVISING_SW,
        Role.FOSTERING_TEAM_MANAGER,
        Role.FOSTERING_MANAGER,
        Role.HEAD_OF_FOSTERING,
        Role.HEAD_OF_SERVICE,
    }
)
ANOTHER_CHILD = "Another child placed here"


def sees_every_child_named(user: User) -> bool:
    return getattr(user, "role", None) in NAMES_EVERY_CHILD


def child_names_for(user: User, children: list[Child]) -> dict[int, str]:
    """How each child is named to this user, by id: one query at most, for the children they may not see."""
    role = getattr(user, "role", None)
    if role == Role.CARER:
        return {child.pk: child.first_name for child in children}
    if role in NAMES_EVERY_CHILD:
        return {child.pk: child.full_name for child in children}
    ids = [child.pk for child in children]
    visible = set(children_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return {child.pk: child.full_name if child.pk in visible else ANOTHER_CHILD for child in children}


def agreement_labels_for(user: User, household: Household) -> Callable[[Sequence[str]], list[str]]:
    """DV-10's "not yet in" labels as this user may read them: a child-specific agreement of a child
    they may not open is "another child's child-specific agreement" (decision 0023). One query at most."""
    return agreement_labels_by_household(user, [household.pk])[household.pk]


def agreement_labels_by_household(
    user: User, household_ids: Sequence[int]
) -> dict[int, Callable[[Sequence[str]], list[str]]]:
    """`agreement_labels_for` for the households of a whole page at once: one query, the children
    placed in them and whether this user may open each, whatever the number (decision 0055)."""
    if sees_every_child_named(user):
        return {pk: list for pk in household_ids}
    placements = (
        Placement.objects.current(timezone.localdate())
        .filter(household_id__in=list(household_ids))
        .select_related("child")
        .annotate(child_visible=Exists(children_visible_to(user).filter(pk=OuterRef("child_id"))))
        .order_by("household_id", "child_id")
    )
    placed_in: dict[int, list[Child]] = {pk: [] for pk in household_ids}
    names: dict[int, str] = {}
    for placement in placements:
        child = placement.child
        placed_in[placement.household_id].append(child)
        if user.role == Role.CARER:
            names[child.pk] = child.first_name
        else:
            names[child.pk] = child.full_name if placement.child_visible else ANOTHER_CHILD  # type: ignore[attr-defined]

    def relabelling(placed: list[Child]) -> Callable[[Sequence[str]], list[str]]:
        hidden = [child for child in placed if names[child.pk] == ANOTHER_CHILD]

        def relabel(labels: Sequence[str]) -> list[str]:
            out = []
            for label in labels:
                for child in hidden:
                    label = label.replace(f"{child.full_name}'s ", "another child's ")
                if user.role == Role.CARER:
                    for child in placed:
                        label = label.replace(f"{child.full_name}'s ", f"{child.first_name}'s ")
                out.append(label)
            return out

        return relabel

    return {pk: relabelling(placed) for pk, placed in placed_in.items()}


def awaits_decider(device: Device) -> bool:
    """DV-9: whether this device is a monitor the CCTV decider decides (one filming or uploading for an
    older child, in the room where they sleep), as things stand today. The page and the service ask the same."""
    if device.status == DeviceStatus.REMOVED:
        return False
    today = timezone.localdate()
    household = device.household
    context = contexts({household.pk: household}, placements_of([household.pk], today), today)[household.pk]
    return needs_decider_decision(DeviceFacts.of(device, today=today), context)


def current_devices(household: Household) -> QuerySet[Device]:
    """The register: every device planned or in use (removed ones are history)."""
    return (
        Device.objects.filter(household=household)
        .exclude(status=DeviceStatus.REMOVED)
        .select_related(*DEVICE_SELECT)
        .order_by("room", "id")
    )


def device_verdict(device: Device, *, today: dt.date | None = None) -> Verdict:
    return assess([device], today=today or timezone.localdate())[device.pk].verdict


@dataclass(frozen=True)
class RegisterRow:
    device: Device
    verdict: Verdict
    # DV-10: the agreements that do not describe this device as it is now.
    not_in: tuple[str, ...]


def register(household: Household, *, today: dt.date | None = None) -> list[RegisterRow]:
    """The household's register with each device's verdict and DV-10 flags: fixed queries."""
    devices = list(current_devices(household).select_related("household__service"))
    found = assess(devices, today=today or timezone.localdate())
    return [RegisterRow(device=d, verdict=found[d.pk].verdict, not_in=found[d.pk].not_in) for d in devices]


def register_and_removed(
    household: Household, *, today: dt.date | None = None
) -> tuple[list[RegisterRow], list[Device]]:
    """The register (as `register`) and the devices taken off it, latest first, from one read of
    the household's devices."""
    devices = list(
        Device.objects.filter(household=household)
        .select_related(*DEVICE_SELECT, "household__service")
        .order_by("room", "id")
    )
    on_register = [d for d in devices if d.status != DeviceStatus.REMOVED]
    removed = sorted(
        (d for d in devices if d.status == DeviceStatus.REMOVED),
        key=lambda d: (d.removed_on or dt.date.min, d.pk),
        reverse=True,
    )
    found = assess(on_register, today=today or timezone.localdate())
    rows = [
        RegisterRow(device=d, verdict=found[d.pk].verdict, not_in=found[d.pk].not_in) for d in on_register
    ]
    return rows, removed


TAKE_IT_OUT = "take it out"


def to_do(verdict: Verdict) -> list[Finding]:
    """What the household must do about one device, the first thing first.

    A prohibited device has one thing to do: take it out. Its passwords, dates and
    records no longer matter, so nothing else is asked (a carer told to secure a camera
    in a bathroom with a password would read it as allowed). A device that needs an
    approved exception is taken out or agreed, and its missing items follow.
    """
    if verdict.level == Level.PROHIBITED:
        reason = verdict.reasons[0]
        carer = reason.for_carers
        if TAKE_IT_OUT not in carer.lower():
            carer = f"{carer} Take it out."
        return [replace(reason, message=f"{TAKE_IT_OUT}: {reason.message}", carer_message=carer)]
    items = []
    if verdict.level == Level.NEEDS_EXCEPTION:
        reason = verdict.reasons[0]
        items.append(
            replace(reason, message=f"take it out, or the service must agree an exception: {reason.message}")
        )
    return [*items, *verdict.missing]


def register_to_do(rows: list[RegisterRow]) -> list[tuple[Device, Finding]]:
    """The register's "What needs doing", device by device: prohibited devices first."""
    ordered = sorted(rows, key=lambda row: row.verdict.level != Level.PROHIBITED)
    return [(row.device, finding) for row in ordered for finding in to_do(row.verdict)]


@dataclass(frozen=True)
class CoveredDevice:
    """DV-10: a device an agreement version lists, with a warning when the policy does not allow it today."""

    entry: dict[str, Any]
    # "Not allowed: prohibited (DV-3: ...)"; empty when the device is allowed today, or off the register.
    warning: str


def agreement_devices(
    household_id: int, entries: list[dict[str, Any]], *, today: dt.date | None = None
) -> list[CoveredDevice]:
    """The devices an agreement version covers, each with today's verdict when it is not allowed.

    A version lists the register as it was when it was written; a device on it that is
    prohibited, or that needs an exception nobody has agreed, is flagged so the signed
    agreement never reads as if it were allowed. Fixed queries, however many devices.
    """
    ids = [e["device"] for e in entries if isinstance(e, dict) and isinstance(e.get("device"), int)]
    devices = list(
        Device.objects.filter(household_id=household_id, pk__in=ids)
        .exclude(status=DeviceStatus.REMOVED)
        .select_related(*DEVICE_SELECT, "household__service")
    )
    found = assess(devices, today=today or timezone.localdate()) if devices else {}
    covered = []
    for entry in entries:
        device_id = entry.get("device") if isinstance(entry, dict) else None
        assessed = found.get(device_id) if isinstance(device_id, int) else None
        warning = ""
        if assessed is not None and assessed.verdict.level >= Level.NEEDS_EXCEPTION:
            verdict = assessed.verdict
            reason = verdict.reasons[0]
            warning = f"Not allowed: {verdict.label.lower()} ({reason.rule_id}: {reason.message})"
        covered.append(CoveredDevice(entry=entry, warning=warning))
    return covered


def active_request(household: Household) -> CctvRequest | None:
    return (
        CctvRequest.objects.filter(household=household, status__in=ACTIVE_REQUEST_STATUSES)
        .order_by("-created_at")
        .first()
    )


def latest_report(request: CctvRequest) -> CctvReport | None:
    return request.reports.order_by("-number").first()


def last_device_check(household: Household, *, before: dt.date | None = None) -> DeviceCheck | None:
    checks = DeviceCheck.objects.filter(household=household)
    if before is not None:
        checks = checks.filter(checked_on__lte=before)
    return checks.select_related("checked_by").order_by("-checked_on", "-id").first()


def household_panel(user: User, household: Household) -> dict[str, Any]:
    """What the household page shows of the register: a fixed few queries."""
    today = timezone.localdate()
    rows = register(household, today=today)
    counts = {level: 0 for level in Level}
    for row in rows:
        counts[row.verdict.level] += 1
    return {
        "household": household,
        "rows": rows,
        "counts": {level.key: n for level, n in counts.items()},
        "worst": max((r.verdict.level for r in rows), default=None),
        "flagged": sum(1 for r in rows if r.not_in),
        "request": active_request(household),
        "last_check": last_device_check(household),
        "can_declare": user.has_perm("devices.declare_device"),
        "today": today,
    }
