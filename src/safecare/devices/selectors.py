"""Reads of the devices app, already scoped to the user (core.access).

Devices and CCTV requests are seen by whoever sees the household (SPEC §3:
carers their own home, the CSW the home their child is placed in). Anything
else answers 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safecare.core.tasks import duty
from safecare.households.access import households_visible_to
from safecare.households.models import Household

from .assessment import assess
from .models import (
    ACTIVE_REQUEST_STATUSES,
    CctvReport,
    CctvRequest,
    Device,
    DeviceCheck,
    DeviceStatus,
)
from .verdict import Level, Verdict

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
