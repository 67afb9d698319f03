"""The verdict on a camera or microphone (DV-3 to DV-12; CX-2, CX-3, CX-6).

`verdict()` is one pure function: the device's facts, the service's settings,
the children placed today, the household's approval and the CCTV exceptions
granted go in; a level and the findings behind it (each with its rule id) come
out. Nothing is read from the database here, so the whole table of type, room
kind and setting is tested without one, and the pages and the API compute it
afresh on every read: a new placement, a changed setting or a decision shows at
once (decisions 0013 and 0014). The weekly check over a whole service reads a
stored level instead, kept current by database triggers on everything this
function reads (devices.levels, decision 0062): a new input here needs its
trigger there.

Levels, least to most severe: allowed, action needed, needs approved
exception, prohibited. The verdict is the most severe finding, and the first
finding at that level is the one that decided it (`Verdict.deciding`): it names
the rule (DV-3, DV-4, DV-5, DV-6, DV-8, DV-9 or CX-2) so alerts can say why.
A monitor for an older child that still needs the CCTV decider's decision
(DV-9) is at the level "needs approved exception": it needs a decision before it
is allowed, like an inside camera.

The words the rules use, defined once here:

- A device *sees* (`sees`) when it has a camera: it records or streams video,
  the register says it has a camera (even one that records nothing), or it is a
  kind of device that always has one (CCTV, security camera, video doorbell,
  pet camera). A device with a camera is a camera whatever its type (DV-3): a
  smart speaker with a screen and camera is a camera.
- A *sleeping area* is a bedroom: a child's, or another bedroom where the child
  sleeps (a baby in the carers' room). A communal area is never one.
- A *DV-9 monitor* (`is_dv9_monitor`) is a baby monitor used to keep a sleeping
  child safe, naming a child who lives here, in a bedroom the register says that
  child sleeps in. It is the only device with a camera allowed in a bedroom, and
  the only device allowed whose purpose is watching a child.
- A *DV-8 pet camera* (`is_dv8_pet_camera`) is a pet camera in a communal area
  watching animals, recording only when nobody is home, overnight, or both.
  Until the hours are recorded it is "action needed".
- An *inside camera* (`is_inside_camera`) is any device that sees, inside the
  home, that is not a DV-9 monitor or a DV-8 pet camera. It is what DV-4 calls
  CCTV inside: in a communal area it needs an approved exception (and only an
  approved household can have one); anywhere else it is prohibited. Visitors are
  told of it (DV-11).
- DV-12's retention limit applies to every camera inside the home
  (`is_camera_inside`), monitors and pet cameras included.

Microphones with no camera: never in a bathroom or toilet (DV-3); in a child's
bedroom only a smart speaker where the service allows one (DV-6) or a DV-9
monitor; never to watch the children (DV-4). Outside the home a microphone is
held to DV-5 like a camera (only to protect the property from crime), except a
smart speaker for everyday use. Elsewhere inside (a communal area, an adult's
room) a microphone with no camera is allowed once declared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from .models import (
    INSIDE_ROOM_KINDS,
    ChildConsent,
    DeviceStatus,
    DeviceType,
    Purpose,
    RecordsWhen,
    RoomKind,
)

if TYPE_CHECKING:
    from safecare.core.models import FosteringService

    from .models import Device

# DV-9: "a sleeping baby" is a child younger than this many months: a service setting, 24 by default.
DEFAULT_BABY_MONTHS = 24

# Kinds of device that always have a camera, whatever the register says they record.
CAMERA_TYPES = frozenset(
    {
        DeviceType.CCTV_CAMERA,
        DeviceType.INTERNAL_SECURITY_CAMERA,
        DeviceType.VIDEO_DOORBELL,
        DeviceType.PET_CAMERA,
    }
)
# DV-4: the purposes that are watching the children. Keeping a sleeping child safe is one of them:
# only a DV-9 monitor may have it.
WATCHING_CHILDREN = frozenset({Purpose.MONITOR_CHILDREN, Purpose.SLEEPING_CHILD})
# A sleeping area is a bedroom; a communal area is never one.
BEDROOMS = frozenset({RoomKind.CHILD_BEDROOM, RoomKind.OTHER_BEDROOM})
# DV-8: the hours a pet camera may record.
PET_HOURS = frozenset({RecordsWhen.NOBODY_HOME, RecordsWhen.OVERNIGHT, RecordsWhen.NOBODY_HOME_OR_OVERNIGHT})

# The kinds that are CCTV by name, for the verdict's wording. What counts is `is_inside_camera`,
# which also counts a smart speaker with a camera, a pet camera used at other times and a baby
# monitor that is not a DV-9 monitor; what an exception may name is `exception_may_cover`.
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
    # For staff: what the rule says of this device, with the rule id beside it.
    message: str
    # For the carers: the same in plain words, saying what they can do. Every prohibited or
    # needs-exception finding has one; other findings are already written as things to do.
    carer_message: str = ""

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.message}"

    @property
    def for_carers(self) -> str:
        return self.carer_message or self.message


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
    def deciding(self) -> Finding:
        """The finding that decided the verdict: the first at its level (where it is comes first)."""
        return self.reasons[0]

    @property
    def deciding_rule(self) -> str:
        return self.deciding.rule_id

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
    """The service's settings that the verdict follows."""

    smart_speakers_in_bedrooms: bool = False
    security_requires_both: bool = True  # strong password AND two-factor; else either
    max_inside_retention_hours: int = 24
    # DV-9: a child younger than this many months is a baby.
    baby_months: int = DEFAULT_BABY_MONTHS
    # DV-9, CX-3: who decides (the head of fostering, or the head of service), in words.
    decider: str = "the head of fostering"

    @classmethod
    def of(cls, service: FosteringService) -> Settings:
        from safecare.core.models import ConnectedDeviceSecurity

        return cls(
            smart_speakers_in_bedrooms=service.smart_speakers_in_bedrooms,
            security_requires_both=service.connected_device_security
            == ConnectedDeviceSecurity.PASSWORD_AND_2FA,
            max_inside_retention_hours=service.max_inside_cctv_retention_hours,
            baby_months=baby_months_of(service),
            decider=f"the {service.get_cctv_decider_display().lower()}",
        )


def baby_months_of(service: FosteringService) -> int:
    """DV-9: the service's age of a baby, in months; 24 where the service has no such setting yet.

    Read by name, so the verdict works before and after the setting is added to the service.
    """
    for name in ("dv9_baby_age_months", "baby_age_months"):
        months = getattr(service, name, None)
        if isinstance(months, int) and months > 0:
            return months
    return DEFAULT_BABY_MONTHS


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
    has_camera: bool = False
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
    # DV-8: when a pet camera records.
    records_when: str = RecordsWhen.NOT_RECORDED
    # DV-9: who a baby monitor is for, whether they sleep in its room, their age in whole months
    # on the day of the verdict, and whether a child of the household has moved out.
    monitored_child_id: int | None = None
    monitored_is_member: bool = False
    monitored_moved_out: bool = False
    monitored_age_months: int | None = None
    monitored_sleeps_here: bool = False
    monitoring_reason: str = ""
    csw_agreed: bool = False
    ssw_agreed: bool = False
    child_consent: str = ChildConsent.NOT_ASKED
    # DV-9: the CCTV decider's answer for an older child's monitor that films or uploads.
    decider_agreed: bool | None = None

    @classmethod
    def of(cls, device: Device, *, today: dt.date) -> DeviceFacts:
        monitored = device.monitored_child or device.monitored_member
        age_months = months_old(monitored.date_of_birth, today) if monitored is not None else None
        member = device.monitored_member
        moved_out = member is not None and not member.is_current(today)
        return cls(
            device_id=device.pk,
            device_type=device.device_type,
            room_kind=device.room_kind,
            records_video=device.records_video,
            records_audio=device.records_audio,
            has_camera=device.has_camera,
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
            records_when=device.records_when,
            monitored_child_id=device.monitored_child_id,
            monitored_is_member=device.monitored_member_id is not None,
            monitored_moved_out=moved_out,
            monitored_age_months=age_months,
            monitored_sleeps_here=device.monitored_sleeps_here,
            monitoring_reason=device.monitoring_reason,
            csw_agreed=device.csw_agreed_on is not None,
            ssw_agreed=device.ssw_agreed_on is not None,
            child_consent=device.child_consent,
            decider_agreed=device.decider_agreed,
        )


@dataclass(frozen=True)
class Context:
    """What the verdict reads beyond the device: settings, the household, children placed, exceptions."""

    today: dt.date
    settings: Settings = field(default_factory=Settings)
    placed_child_ids: frozenset[int] = frozenset()
    grants: tuple[Grant, ...] = ()
    # DV-4: an exception is for approved foster carers only (not an applicant or a household in
    # assessment, whose cameras inside are removed before approval).
    household_approved: bool = True
    # DV-11: the latest day a child now placed, or a member now living here, arrived.
    latest_arrival: dt.date | None = None


def months_old(born: dt.date, on: dt.date) -> int:
    """Whole months from `born` to `on`. A month is complete on the same day of the month, or, when
    that month is too short (29 February, 31 January), on the first of the next month."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day:
        months -= 1
    return max(months, 0)


# The words of the rules ---------------------------------------------------------------------------


def sees(device: DeviceFacts) -> bool:
    """DV-3: the device has a camera, whatever its type and whether or not it records."""
    return device.records_video or device.has_camera or device.device_type in CAMERA_TYPES


def is_camera_inside(device: DeviceFacts) -> bool:
    """A camera anywhere inside the home, monitors and pet cameras included (DV-12)."""
    return sees(device) and device.room_kind in INSIDE_ROOM_KINDS


def _monitored_lives_here(device: DeviceFacts, context: Context) -> bool:
    if device.monitored_child_id is not None:
        return device.monitored_child_id in context.placed_child_ids
    return device.monitored_is_member and not device.monitored_moved_out


def is_set_up_as_dv9_monitor(device: DeviceFacts) -> bool:
    """DV-9 as the register describes the device: a baby monitor keeping a sleeping child safe, naming
    the child, in the bedroom where that child sleeps. Agreements and the decider's decision are
    asked of such a device only (whether the child still lives here is the verdict's business)."""
    return (
        device.device_type == DeviceType.BABY_MONITOR
        and device.purpose == Purpose.SLEEPING_CHILD
        and device.room_kind in BEDROOMS
        and device.monitored_sleeps_here
        and (device.monitored_child_id is not None or device.monitored_is_member)
    )


def is_dv9_monitor(device: DeviceFacts, context: Context) -> bool:
    """DV-9: a baby monitor keeping a sleeping child safe, in the bedroom where the child it names sleeps."""
    return is_set_up_as_dv9_monitor(device) and _monitored_lives_here(device, context)


def is_dv8_pet_camera(device: DeviceFacts) -> bool:
    """DV-8: a pet camera in a communal area watching animals, not recording at other times."""
    return (
        device.device_type == DeviceType.PET_CAMERA
        and device.purpose == Purpose.PETS
        and device.room_kind == RoomKind.COMMUNAL
        and device.records_when != RecordsWhen.OTHER_TIMES
    )


def _for_a_baby(device: DeviceFacts, context: Context) -> bool:
    age = device.monitored_age_months
    return age is not None and age < context.settings.baby_months


def needs_decider_decision(device: DeviceFacts, context: Context) -> bool:
    """DV-9: a monitor for a child who is not a baby, that films or uploads to the cloud, is also decided
    by the service's CCTV decider (decision 0014: whatever the reason it is asked for)."""
    return (
        is_dv9_monitor(device, context)
        and not _for_a_baby(device, context)
        and (sees(device) or device.cloud_upload)
    )


def is_inside_camera(device: DeviceFacts, context: Context) -> bool:
    """DV-4: CCTV inside the home in all but name: a camera inside that is no DV-9 monitor or DV-8 pet camera."""
    return is_camera_inside(device) and not is_dv9_monitor(device, context) and not is_dv8_pet_camera(device)


def exception_may_cover(device: DeviceFacts, context: Context) -> bool:
    """CX-2: what a CCTV exception may name: a camera inside the home (DV-4) in a communal area,
    not there to watch the children."""
    return (
        is_inside_camera(device, context)
        and device.room_kind == RoomKind.COMMUNAL
        and device.purpose not in WATCHING_CHILDREN
    )


# The verdict -------------------------------------------------------------------------------------


def verdict(device: DeviceFacts, context: Context) -> Verdict:
    placement = _placement_findings(device, context)
    prohibited = [f for f in placement if f.level == Level.PROHIBITED]
    # A device the policy does not allow is taken out: what else it would need (an exception, a
    # password, telling visitors) is moot, and listing it would read as a way to keep it.
    findings = prohibited or [*placement, *_record_findings(device, context)]
    level = max((f.level for f in findings), default=Level.ALLOWED)
    if not findings:
        findings.append(Finding(Level.ALLOWED, *_allowed_because(device, context)))
    return Verdict(level=level, findings=tuple(findings))


def _prohibited(rule_id: str, message: str, carer_message: str) -> Finding:
    return Finding(Level.PROHIBITED, rule_id, message, carer_message)


def _needs_exception(rule_id: str, message: str, carer_message: str) -> Finding:
    return Finding(Level.NEEDS_EXCEPTION, rule_id, message, carer_message)


def _missing(rule_id: str, message: str) -> Finding:
    return Finding(Level.ACTION_NEEDED, rule_id, message)


# Where it is and what it is for: DV-3 to DV-6, DV-8, DV-9, CX-2, CX-6 ----------------------------

MONITOR_ONLY_WHERE_CHILD_SLEEPS = (
    "A baby monitor is only allowed in the bedroom where the child it is for sleeps, to keep them "
    "safe while they sleep. Tell us which child it is for and that they sleep in that room, or take it out."
)


def _placement_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    room = device.room_kind
    camera = sees(device)

    # DV-3: no camera or microphone in a bathroom or toilet. Nothing overrides this.
    if room == RoomKind.BATHROOM:
        return [
            _prohibited(
                "DV-3",
                "no camera or microphone may be in a bathroom or toilet",
                "You cannot have a camera or microphone in a bathroom or toilet.",
            ),
            *_exception_cannot_cover(device, context),
        ]

    # DV-9: the one device with a camera allowed in a bedroom, and the one that may watch a child.
    if is_dv9_monitor(device, context):
        return _dv9_findings(device, context)

    # DV-3: no camera in any bedroom or sleeping area, whatever kind of device it is.
    if room in BEDROOMS and camera:
        return [_camera_in_a_bedroom(device, context), *_exception_cannot_cover(device, context)]

    # DV-3, DV-6: a microphone (with no camera) in a child's bedroom.
    if room == RoomKind.CHILD_BEDROOM:
        found = _microphone_in_a_childs_bedroom(device, context)
        return [*found, *_exception_cannot_cover(device, context)] if found else []

    # DV-4: nothing may supervise or watch the children, but a DV-9 monitor.
    if device.purpose in WATCHING_CHILDREN:
        return [_watching_the_children(device, context), *_exception_cannot_cover(device, context)]

    if room == RoomKind.OUTSIDE:
        return _outside_findings(device)

    if not camera:
        return []  # A microphone in a communal area or an adult's room, declared (DV-6 for speakers).

    # A camera in a communal area.
    if is_dv8_pet_camera(device):
        if device.records_when not in PET_HOURS:
            return [
                _missing(
                    "DV-8",
                    "record when the pet camera records: only when nobody is home, overnight, or both",
                )
            ]
        return []
    return _inside_camera_findings(device, context)


def _why_not_a_dv9_monitor(device: DeviceFacts, context: Context) -> str:
    """What stops a baby monitor being a DV-9 monitor, for the staff message."""
    if device.device_type != DeviceType.BABY_MONITOR:
        return ""
    reasons = []
    if device.purpose != Purpose.SLEEPING_CHILD:
        reasons.append("it is not used to keep a sleeping child safe")
    if device.monitored_child_id is None and not device.monitored_is_member:
        reasons.append("it names no child")
    elif not _monitored_lives_here(device, context):
        reasons.append("the child it names does not live here now")
    if device.room_kind not in BEDROOMS:
        reasons.append("it is not in a bedroom")
    elif not device.monitored_sleeps_here:
        reasons.append("the register does not say the child it is for sleeps in this room")
    return " (this baby monitor does not qualify: " + "; ".join(reasons) + ")" if reasons else ""


def _a_camera(device: DeviceFacts) -> str:
    """DV-3: why a device that is not sold as a camera counts as one."""
    if device.device_type in CAMERA_TYPES:
        return ""
    if device.device_type == DeviceType.SMART_SPEAKER:
        return "; a smart speaker with a camera is a camera"
    return "; a device with a camera is a camera whatever its type"


def _camera_in_a_bedroom(device: DeviceFacts, context: Context) -> Finding:
    why_not = _why_not_a_dv9_monitor(device, context)
    if device.room_kind == RoomKind.CHILD_BEDROOM:
        message = "no camera or microphone may be in a child's bedroom, whatever kind of device it is"
        carer = "You cannot have a camera in a child's bedroom."
    else:
        message = (
            "no camera may be in any bedroom or sleeping area, adults' included, whatever kind of device "
            "it is; no exception can be agreed for a bedroom"
        )
        carer = "You cannot have a camera in any bedroom, including your own."
    message += _a_camera(device) + "; the only exception is a baby monitor for the child who sleeps there"
    if device.device_type == DeviceType.BABY_MONITOR:
        carer = MONITOR_ONLY_WHERE_CHILD_SLEEPS
    return _prohibited("DV-3", message + why_not, carer)


def _microphone_in_a_childs_bedroom(device: DeviceFacts, context: Context) -> list[Finding]:
    if device.device_type == DeviceType.SMART_SPEAKER:
        if not context.settings.smart_speakers_in_bedrooms:
            return [
                _prohibited(
                    "DV-6",
                    "this service does not allow smart speakers or any microphone in a child's bedroom",
                    "Your fostering service does not allow smart speakers in a child's bedroom.",
                )
            ]
        if device.purpose in WATCHING_CHILDREN:
            return [_watching_the_children(device, context)]
        return []  # DV-6: the service allows smart speakers in children's bedrooms.
    if device.device_type == DeviceType.BABY_MONITOR:
        return [
            _prohibited(
                "DV-3",
                "no microphone may be in a child's bedroom; the only exception is a baby monitor for the "
                "child who sleeps there" + _why_not_a_dv9_monitor(device, context),
                MONITOR_ONLY_WHERE_CHILD_SLEEPS,
            )
        ]
    return [
        _prohibited(
            "DV-3",
            "no camera or microphone may be in a child's bedroom; the only exception is a baby monitor "
            "for the child who sleeps there",
            "You cannot have a camera or microphone in a child's bedroom.",
        )
    ]


def _watching_the_children(device: DeviceFacts, context: Context) -> Finding:
    carer = "You cannot use a camera or microphone to supervise or watch the children."
    if device.device_type == DeviceType.BABY_MONITOR:
        carer += " " + MONITOR_ONLY_WHERE_CHILD_SLEEPS
    return _prohibited(
        "DV-4",
        "cameras and microphones must never be used to supervise or watch the children; the only "
        "exception is a baby monitor for a sleeping child, in the bedroom where that child sleeps (DV-9)"
        + _why_not_a_dv9_monitor(device, context),
        carer,
    )


def _exception_cannot_cover(device: DeviceFacts, context: Context) -> list[Finding]:
    """CX-2: an exception naming a camera outside a communal area, or one watching the children, covers nothing."""
    return [
        _prohibited(
            "CX-2",
            f"the exception {grant.request_reference} cannot cover it: cameras inside the home can only "
            "be in communal areas, never in a bedroom, bathroom or toilet, and never to supervise children",
            "A CCTV exception can never cover a camera in a bedroom, bathroom or toilet, or one used to "
            "watch the children.",
        )
        for grant in context.grants
        if device.device_id is not None and device.device_id in grant.device_ids
    ]


def _outside_findings(device: DeviceFacts) -> list[Finding]:
    """DV-5: outside the home, only to protect the property from crime."""
    if device.purpose == Purpose.PROPERTY:
        return []
    if sees(device):
        return [
            _prohibited(
                "DV-5",
                "a camera outside the home is allowed only to protect the property from crime, not for "
                f"{Purpose(device.purpose).label.lower() if device.purpose in Purpose.values else 'this'}"
                + _a_camera(device),
                "A camera outside your home can only be used to protect your property from crime.",
            )
        ]
    if device.device_type == DeviceType.SMART_SPEAKER:
        return []  # DV-6: a smart speaker with no camera, for everyday use.
    return [
        _prohibited(
            "DV-5",
            "a microphone outside the home is allowed only to protect the property from crime "
            "(or a smart speaker with no camera, for everyday use)",
            "A microphone outside your home can only be used to protect your property from crime.",
        )
    ]


def _inside_camera_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    """DV-4: a camera in a communal area that is no DV-8 pet camera needs an approved exception."""
    kind = device.device_type
    if kind == DeviceType.PET_CAMERA:
        what = (
            "a pet camera that records at other times than when nobody is home or overnight, or watches "
            "something other than animals, is a camera inside the home (DV-8): it"
        )
    elif kind == DeviceType.BABY_MONITOR:
        what = "a baby monitor that is not for a sleeping child in their own room is a camera inside the home: it"
    elif kind in SURVEILLANCE_TYPES or kind in CAMERA_TYPES:
        what = "CCTV or a security camera inside the home"
    else:
        what = "a smart speaker with a camera is a camera inside the home: it"
    if not context.household_approved:
        return [
            _needs_exception(
                "DV-4",
                f"{what} must be removed before approval: an exception is for approved foster carers "
                "only, so none can cover a camera in an applicant's home",
                "Cameras inside your home must be taken out before you can be approved as foster carers.",
            )
        ]
    if _covering_grant(device, context) is not None:
        return []
    return [
        _needs_exception(
            "DV-4",
            f"{what} needs an exception agreed by the service ({context.settings.decider} decides); "
            "cameras inside should be removed before approval",
            "You need the fostering service to agree an exception before you can have a camera inside "
            "your home. A camera is only ever agreed in a shared room, and never to watch the children.",
        ),
        *_lapsed_grant_findings(device, context),
    ]


def _dv9_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    """DV-9: for a sleeping baby; for an older child only with agreement, consent and, for a monitor
    that films or uploads, the CCTV decider's decision."""
    if _for_a_baby(device, context):
        return []  # A sleeping baby.
    films_or_uploads = needs_decider_decision(device, context)
    decider = context.settings.decider
    if device.child_consent == ChildConsent.REFUSED:
        return [
            _prohibited(
                "DV-9",
                "the child does not agree to being monitored",
                "The child does not agree to the monitor, so it cannot be used. Take it out.",
            )
        ]
    if films_or_uploads and device.decider_agreed is False:
        return [
            _prohibited(
                "DV-9",
                f"{decider} did not agree to a monitor that records video or uploads to the cloud for "
                "an older child",
                "The fostering service did not agree to this monitor, so it cannot be used. Take it out.",
            )
        ]
    findings = []
    if not device.monitoring_reason.strip():
        findings.append(
            _missing(
                "DV-9", "say why an older child is monitored: difficulties with sleep or a health condition"
            )
        )
    # The child's social worker agrees for a child in care; for the carers' own child the SSW alone.
    if not device.monitored_is_member and not device.csw_agreed:
        findings.append(_missing("DV-9", "the child's social worker has not agreed yet"))
    if not device.ssw_agreed:
        findings.append(_missing("DV-9", "the supervising social worker has not agreed yet"))
    if device.child_consent == ChildConsent.NOT_ASKED:
        findings.append(
            _missing(
                "DV-9",
                "record the child's consent, or that they are not of an age or understanding to give it",
            )
        )
    if films_or_uploads and device.decider_agreed is None:
        findings.append(
            _needs_exception(
                "DV-9",
                f"needs a decision: a monitor that records video or uploads to the cloud for a child who is "
                f"not a baby is also decided by {decider}",
                f"Because this monitor films or uploads to the cloud, and the child is not a baby, "
                f"{decider} must also agree to it.",
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


LAPSED = (
    "The CCTV exception for this camera no longer covers it. It needs a new decision, or take the camera out."
)


def _lapsed_grant_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    """Why an exception that names this camera no longer covers it (CX-6)."""
    findings = []
    for grant in context.grants:
        if device.device_id not in grant.device_ids:
            continue
        if grant.reopened_reason:
            message = (
                f"the exception {grant.request_reference} was reopened ({grant.reopened_reason}); "
                "it needs a new decision"
            )
        elif context.today > grant.end:
            message = f"the exception {grant.request_reference} ended on {grant.end:%-d %B %Y}"
        elif context.today < grant.start:
            message = f"the exception {grant.request_reference} starts on {grant.start:%-d %B %Y}"
        elif not context.placed_child_ids <= grant.child_ids:
            message = f"a child has been placed who is not named in the exception {grant.request_reference}"
        else:
            continue
        findings.append(_needs_exception("CX-6", message, LAPSED))
    return findings


def _allowed_because(device: DeviceFacts, context: Context) -> tuple[str, str]:
    if is_dv9_monitor(device, context):
        return "DV-9", "a baby monitor for the child who sleeps in this room, declared and used as agreed"
    if is_dv8_pet_camera(device):
        return (
            "DV-8",
            "a pet camera in a communal area, watching animals only when nobody is home or overnight",
        )
    if device.room_kind == RoomKind.OUTSIDE:
        if device.device_type == DeviceType.SMART_SPEAKER and not sees(device):
            return "DV-6", "a smart speaker outside the home, declared on the register"
        return "DV-5", "outside the home, to protect the property from crime, declared on the register"
    if device.device_type == DeviceType.SMART_SPEAKER and not sees(device):
        return "DV-6", "a smart speaker with no camera where the service allows one"
    if not sees(device):
        return "DV-1", "a microphone with no camera, not used to watch the children, declared on the register"
    return "CX-3", "covered by an agreed CCTV exception"


# What must be recorded about it: DV-1, DV-7, DV-11, DV-12 ------------------------------------------


def _record_findings(device: DeviceFacts, context: Context) -> list[Finding]:
    found: list[Finding] = []
    if not device.positioning.strip():
        found.append(_missing("DV-1", "record how it is positioned"))
    if not device.responsible_person.strip():
        found.append(_missing("DV-1", "record who is responsible for it"))
    if device.retention_hours is None:
        found.append(_missing("DV-1", "record how long recordings are kept, or that none are kept"))
    elif device.retention_hours > 0:
        if not device.storage.strip():
            found.append(_missing("DV-1", "record where recordings are stored"))
        if not device.access.strip():
            found.append(_missing("DV-1", "record who can access the recordings"))

    # DV-7: connected devices are protected against hacking, as the service requires.
    if device.internet_connected or device.cloud_upload:
        if context.settings.security_requires_both:
            if not device.strong_password:
                found.append(_missing("DV-7", "protect it with a strong password"))
            if not device.two_factor:
                found.append(_missing("DV-7", "turn on two-factor authentication"))
        elif not (device.strong_password or device.two_factor):
            found.append(_missing("DV-7", "protect it with a strong password or two-factor authentication"))
        if not device.software_up_to_date:
            found.append(_missing("DV-7", "keep its software up to date"))

    in_use = device.status == DeviceStatus.IN_USE
    # DV-11: everyone living in the home is told, again when someone arrives; for cameras inside, visitors too.
    if in_use:
        told, arrived = device.members_told_on, context.latest_arrival
        if told is None:
            found.append(
                _missing("DV-11", "record the date everyone in the household was told where it is and why")
            )
        elif arrived is not None and told < arrived:
            found.append(
                _missing(
                    "DV-11",
                    f"someone arrived to live here on {arrived:%-d %B %Y}, after everyone was told on "
                    f"{told:%-d %B %Y}: tell everyone again, and record the date",
                )
            )
        if is_inside_camera(device, context) and device.visitors_told_on is None:
            found.append(_missing("DV-11", "record how and when visitors are told there are cameras inside"))

    # DV-12: footage from any camera inside the home is deleted within the service's limit.
    limit = context.settings.max_inside_retention_hours
    if is_camera_inside(device) and device.retention_hours is not None and device.retention_hours > limit:
        found.append(
            _missing(
                "DV-12",
                f"recordings are kept for {device.retention_hours} hours; recordings from a camera inside "
                f"the home must be deleted within {limit} hours when they have no use",
            )
        )
    return found
