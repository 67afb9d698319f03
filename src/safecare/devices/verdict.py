"""The verdict on a camera or microphone (SPEC §4.2: DV-3 to DV-9, DV-11, DV-12; CX-2, CX-6).

`verdict()` is one pure function: the device's facts, the service's settings,
the children placed today and the CCTV exceptions granted go in; a level and
the findings behind it (each with its rule id) come out. Nothing is read from
the database here, so the whole table of type, room kind and setting is tested
without one, and the pages and the API compute it afresh on every read: a new
placement, a changed setting or a decision shows at once (decision 0013).

Levels, least to most severe: allowed, action needed, needs approved
exception, prohibited. The verdict is the most severe finding; nothing lowers
a "prohibited" finding, and no exception covers a device outside a communal
area (CX-2), so no exception ever permits a camera or microphone in a bathroom
or toilet, or a camera in a bedroom.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from .models import ChildConsent, DeviceStatus, DeviceType, Purpose, RoomKind

if TYPE_CHECKING:
    from safecare.core.models import FosteringService

    from .models import Device
# DV-9: "a sleeping baby". The policy gives no age; under two is the usual meaning (decision 0013).
BABY_MONTHS = 24

# Devices that are CCTV in all but name when they are inside the home (DV-4).
SURVEILLANCE_TYPES = frozenset(
    {DeviceType.CCTV_CAMERA, DeviceType.INTERNAL_SECURITY_CAMERA, DeviceType.VIDEO_DOORBELL, DeviceType.OTHER}
)


class Level(IntEnum):
    ALLOWED = 0
    ACTION_NEEDED = 1
    NEEDS_EXCEPTION = 2
    PROHIBITED = 3

    @property
    def key(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.ALLOWED: "Allowed",
    Level.ACTION_NEEDED: "Action needed",
    Level.NEEDS_EXCEPTION: "Needs an approved exception",
    Level.PROHIBITED: "Prohibited",
}


@dataclass(frozen=True)
class Finding:
    level: Level
    rule_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.message}"


@dataclass(frozen=True)
class Verdict:
    level: Level
    findings: tuple[Finding, ...]

    @property
    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings}, key=_rule_order)

    @property
    def missing(self) -> list[Finding]:
        """What the household or the workers still have to do (the action-needed items)."""
        return [f for f in self.findings if f.level == Level.ACTION_NEEDED]

    @property
    def reasons(self) -> list[Finding]:
        """The findings that set the verdict's level."""
        return [f for f in self.findings if f.level == self.level]

    @property
    def key(self) -> str:
        return self.level.key

    @property
    def label(self) -> str:
        return self.level.label


def _rule_order(rule_id: str) -> tuple[str, int]:
    prefix, _, number = rule_id.partition("-")
    return (prefix, int(number) if number.isdigit() else 0)


@dataclass(frozen=True)
class Settings:
    """The service's settings that the verdict follows (SPEC §6)."""

    smart_speakers_in_bedrooms: bool = False
    security_requires_both: bool = True  # strong password AND two-factor; else either
    max_inside_retention_hours: int = 24

    @classmethod
    def of(cls, service: FosteringService) -> Settings:
        from safecare.core.models import ConnectedDeviceSecurity

        return cls(
            smart_speakers_in_bedrooms=service.smart_speakers_in_bedrooms,
            security_requires_both=service.connected_device_security
            == ConnectedDeviceSecurity.PASSWORD_AND_2FA,
            max_inside_retention_hours=service.max_inside_cctv_retention_hours,
        )


@dataclass(frozen=True)
class Grant:
    """An agreed CCTV exception (CX-3): for these cameras and children, for this period (CX-6)."""

    request_reference: str
    device_ids: frozenset[int]
    child_ids: frozenset[int]
    start: dt.date
    end: dt.date
    # A reopened exception (CX-6) no longer covers anything until a new decision.
    reopened_reason: str = ""


@dataclass(frozen=True)
class DeviceFacts:
    """Everything about one device the verdict reads."""

    device_type: str
    room_kind: str
    records_video: bool = True
    records_audio: bool = False
    purpose: str = Purpose.PROPERTY
    status: str = DeviceStatus.IN_USE
    device_id: int | None = None
    positioning: str = "Points at the front door"
    responsible_person: str = "A carer"
    retention_hours: int | None = 0
    storage: str = ""
    access: str = ""
    internet_connected: bool = False
    cloud_upload: bool = False
    strong_password: bool = False
    two_factor: bool = False
    software_up_to_date: bool = False
    members_told_on: dt.date | None = dt.date(2026, 1, 1)
    visitors_told_on: dt.date | None = dt.date(2026, 1, 1)
    # DV-9: who a baby monitor is for. Age in whole months on the day of the verdict.
    monitored_child_id: int | None = None
    monitored_is_member: bool = False
    monitored_age_months: int | None = None
    monitoring_reason: str = ""
    csw_agreed: bool = False
    ssw_agreed: bool = False
    child_consent: str = ChildConsent.NOT_ASKED

    @classmethod
    def of(cls, device: Device, *, today: dt.date) -> DeviceFacts:
        monitored = device.monitored_child or device.monitored_member
        age_months = _months_between(monitored.date_of_birth, today) if monitored is not None else None
        return cls(
            device_id=device.pk,
            device_type=device.device_type,
            room_kind=device.room_kind,
            records_video=device.records_video,
            records_audio=device.records_audio,
            purpose=device.purpose,
            status=device.status,
            positioning=device.positioning,
            responsible_person=device.responsible_person,
            retention_hours=device.retention_hours,
            storage=device.storage,
            access=device.access,
            internet_connected=device.internet_connected,
            cloud_upload=device.cloud_upload,
            strong_password=device.strong_password,
            two_factor=device.two_factor,
            software_up_to_date=device.software_up_to_date,
            members_told_on=device.members_told_on,
            visitors_told_on=device.visitors_told_on,
            monitored_child_id=device.monitored_child_id,
            monitored_is_member=device.monitored_member_id is not None,
            monitored_age_months=age_months,
            monitoring_reason=device.monitoring_reason,
            csw_agreed=device.csw_agreed_on is not None,
            ssw_agreed=device.ssw_agreed_on is not None,
            child_consent=device.child_consent,
        )


@dataclass(frozen=True)
class Context:
    """What the verdict reads beyond the device: settings, children placed today, exceptions granted."""

    today: dt.date
    settings: Settings = field(default_factory=Settings)
    placed_child_ids: frozenset[int] = frozenset()
    grants: tuple[Grant, ...] = ()


def _months_between(born: dt.date, today: dt.date) -> int:
    months = (today.year - born.year) * 12 + (today.month - born.month)
    if today.day < born.day:
        months -= 1
    return max(months, 0)


def verdict(device: DeviceFacts, context: Context) -> Verdict:
    findings = [*_placement_findings(device, context), *_record_findings(device, context)]
    level = max((f.level for f in findings), default=Level.ALLOWED)
    if not findings:
        findings.append(Finding(Level.ALLOWED, *_allowed_because(device)))
    return Verdict(level=level, findings=tuple(findings))


# Where it is and what it is: DV-3 to DV-6, DV-8, DV-9, CX-2, CX-6 --------------------------------


def _placement_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    kind, room = device.device_type, device.room_kind
    camera = device.records_video

    # DV-3: no camera or microphone in a bathroom or toilet. Nothing overrides this.
    if room == RoomKind.BATHROOM:
        return [Finding(Level.PROHIBITED, "DV-3", "no camera or microphone may be in a bathroom or toilet")]

    # DV-4: no device may be used to supervise or monitor children, except a baby monitor (DV-9).
    if device.purpose == Purpose.MONITOR_CHILDREN and kind != DeviceType.BABY_MONITOR:
        return [
            Finding(
                Level.PROHIBITED,
                "DV-4",
                "cameras and microphones must never be used to supervise or monitor children; "
                "only a baby monitor may watch a sleeping child (DV-9)",
            )
        ]

    if kind == DeviceType.BABY_MONITOR:
        return _baby_monitor_findings(device, context)

    if room == RoomKind.CHILD_BEDROOM:
        if kind == DeviceType.SMART_SPEAKER:
            if not context.settings.smart_speakers_in_bedrooms:
                return [
                    Finding(
                        Level.PROHIBITED,
                        "DV-6",
                        "this service does not allow smart speakers or any microphone in a child's bedroom",
                    )
                ]
            if camera:
                return [
                    Finding(
                        Level.PROHIBITED,
                        "DV-3",
                        "no camera may be in a child's bedroom; the service allows smart speakers "
                        "there, but not one with a camera",
                    )
                ]
            return []
        return [
            Finding(
                Level.PROHIBITED,
                "DV-3",
                "no camera or microphone may be in a child's bedroom; the only exception is a baby monitor",
            )
        ]

    if room == RoomKind.OUTSIDE:
        return []  # DV-5: outside the home, to protect property, declared on the register.

    # Inside the home, in a communal area or another bedroom.
    if kind == DeviceType.SMART_SPEAKER:
        return []  # DV-6: smart speakers are allowed in communal areas and adults' rooms.
    if kind == DeviceType.PET_CAMERA:
        if room == RoomKind.COMMUNAL:
            return []  # DV-8
        return [
            Finding(
                Level.PROHIBITED,
                "DV-8",
                "pet cameras are allowed only in communal areas; no camera may be in a bedroom (CX-2)",
            )
        ]
    # CCTV, internal security cameras, doorbells and other surveillance inside the home (DV-4).
    if room != RoomKind.COMMUNAL:
        return [
            Finding(
                Level.PROHIBITED,
                "CX-2",
                "CCTV and other surveillance inside the home can only ever be in communal areas, "
                "never in a bedroom, even with an approved exception",
            )
        ]
    grant = _covering_grant(device, context)
    if grant is None:
        return [
            Finding(
                Level.NEEDS_EXCEPTION,
                "DV-4",
                "CCTV or a security camera inside the home needs an exception agreed by the service; "
                "cameras inside should be removed before approval",
            ),
            *_lapsed_grant_findings(device, context),
        ]
    return []


def _baby_monitor_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    """DV-9: for a sleeping baby; for an older child only with agreement and consent."""
    if device.room_kind != RoomKind.CHILD_BEDROOM:
        return []  # A monitor's parent unit or a monitor in a shared room: allowed, declared.
    if device.monitored_child_id is None and not device.monitored_is_member:
        return [Finding(Level.ACTION_NEEDED, "DV-9", "say which child the baby monitor is for")]
    if (
        device.monitored_child_id is not None
        and device.status != DeviceStatus.REMOVED
        and device.monitored_child_id not in context.placed_child_ids
    ):
        return [
            Finding(
                Level.ACTION_NEEDED,
                "DV-9",
                "the child this baby monitor is for is not placed here now: remove it or say who it is for",
            )
        ]
    if device.monitored_age_months is not None and device.monitored_age_months < BABY_MONTHS:
        return []  # A sleeping baby.
    if device.child_consent == ChildConsent.REFUSED:
        return [
            Finding(Level.PROHIBITED, "DV-9", "the child does not agree to being monitored in their bedroom")
        ]
    findings = []
    if not device.monitoring_reason.strip():
        findings.append(
            Finding(
                Level.ACTION_NEEDED,
                "DV-9",
                "say why an older child is monitored: difficulties with sleep or a health condition",
            )
        )
    # The child's social worker agrees for a child in care; for the carers' own child the SSW alone.
    if not device.monitored_is_member and not device.csw_agreed:
        findings.append(Finding(Level.ACTION_NEEDED, "DV-9", "the child's social worker has not agreed yet"))
    if not device.ssw_agreed:
        findings.append(
            Finding(Level.ACTION_NEEDED, "DV-9", "the supervising social worker has not agreed yet")
        )
    if device.child_consent == ChildConsent.NOT_ASKED:
        findings.append(
            Finding(
                Level.ACTION_NEEDED,
                "DV-9",
                "record the child's consent, or that they are not of an age or understanding to give it",
            )
        )
    return findings


def _covering_grant(device: DeviceFacts, context: Context) -> Grant | None:
    """CX-6: an exception covers a camera only for its period and the children it names."""
    for grant in context.grants:
        if (
            device.device_id in grant.device_ids
            and not grant.reopened_reason
            and grant.start <= context.today <= grant.end
            and context.placed_child_ids <= grant.child_ids
        ):
            return grant
    return None


def _lapsed_grant_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    """Why an exception that names this camera no longer covers it (CX-6)."""
    findings = []
    for grant in context.grants:
        if device.device_id not in grant.device_ids:
            continue
        if grant.reopened_reason:
            findings.append(
                Finding(
                    Level.NEEDS_EXCEPTION,
                    "CX-6",
                    f"the exception {grant.request_reference} was reopened ({grant.reopened_reason}); "
                    "it needs a new decision",
                )
            )
        elif context.today > grant.end:
            findings.append(
                Finding(
                    Level.NEEDS_EXCEPTION,
                    "CX-6",
                    f"the exception {grant.request_reference} ended on {grant.end:%-d %B %Y}",
                )
            )
        elif context.today < grant.start:
            findings.append(
                Finding(
                    Level.NEEDS_EXCEPTION,
                    "CX-6",
                    f"the exception {grant.request_reference} starts on {grant.start:%-d %B %Y}",
                )
            )
        elif not context.placed_child_ids <= grant.child_ids:
            findings.append(
                Finding(
                    Level.NEEDS_EXCEPTION,
                    "CX-6",
                    f"a child has been placed who is not named in the exception {grant.request_reference}",
                )
            )
    return findings


def _allowed_because(device: DeviceFacts) -> tuple[str, str]:
    kind, room = device.device_type, device.room_kind
    if kind == DeviceType.BABY_MONITOR:
        return "DV-9", "a baby monitor, declared and used as agreed"
    if kind == DeviceType.SMART_SPEAKER:
        return "DV-6", "a smart speaker where the service allows one"
    if kind == DeviceType.PET_CAMERA and room == RoomKind.COMMUNAL:
        return "DV-8", "a pet camera in a communal area"
    if room == RoomKind.OUTSIDE:
        return "DV-5", "outside the home, declared on the register"
    return "CX-3", "covered by an agreed CCTV exception"


# What must be recorded about it: DV-1, DV-7, DV-11, DV-12 ------------------------------------------


def _inside_camera(device: DeviceFacts) -> bool:
    return device.device_type in SURVEILLANCE_TYPES and device.room_kind == RoomKind.COMMUNAL


def _record_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    def missing(rule: str, message: str) -> Finding:
        return Finding(Level.ACTION_NEEDED, rule, message)

    found: list[Finding] = []
    if not device.positioning.strip():
        found.append(missing("DV-1", "record how it is positioned"))
    if not device.responsible_person.strip():
        found.append(missing("DV-1", "record who is responsible for it"))
    if device.retention_hours is None:
        found.append(missing("DV-1", "record how long recordings are kept, or that none are kept"))
    elif device.retention_hours > 0:
        if not device.storage.strip():
            found.append(missing("DV-1", "record where recordings are stored"))
        if not device.access.strip():
            found.append(missing("DV-1", "record who can access the recordings"))

    # DV-7: connected devices are protected against hacking, as the service requires.
    if device.internet_connected or device.cloud_upload:
        both = context.settings.security_requires_both
        if both:
            if not device.strong_password:
                found.append(missing("DV-7", "protect it with a strong password"))
            if not device.two_factor:
                found.append(missing("DV-7", "turn on two-factor authentication"))
        elif not (device.strong_password or device.two_factor):
            found.append(missing("DV-7", "protect it with a strong password or two-factor authentication"))
        if not device.software_up_to_date:
            found.append(missing("DV-7", "keep its software up to date"))

    in_use = device.status == DeviceStatus.IN_USE
    # DV-11: everyone living in the home is told; for cameras inside, visitors too.
    if in_use and device.members_told_on is None:
        found.append(
            missing("DV-11", "record the date everyone in the household was told where it is and why")
        )
    if in_use and _inside_camera(device) and device.visitors_told_on is None:
        found.append(missing("DV-11", "record how and when visitors are told there are cameras inside"))

    # DV-12: footage from CCTV inside is deleted within the service's limit when it has no use.
    limit = context.settings.max_inside_retention_hours
    if _inside_camera(device) and device.retention_hours is not None and device.retention_hours > limit:
        found.append(
            missing(
                "DV-12",
                f"footage is kept for {device.retention_hours} hours; footage from CCTV inside the home "
                f"with no use must be deleted within {limit} hours",
            )
        )
    return found
