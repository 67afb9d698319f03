"""The verdict engine, table-driven (DV-3 to DV-12; CX-2, CX-3, CX-6).

The verdict is a pure function, so these tests need no database. Every expected
answer below is written from the rules, not from what the code computes:

- DV-3: no camera in any bedroom or sleeping area, adults' included; no camera
  or microphone in a child's bedroom, a bathroom or a toilet. A device with a
  camera is a camera whatever its type. The only exception is a baby monitor
  for the child sleeping in that room (DV-9).
- DV-4: CCTV inside only through an approved exception, for approved carers
  only, and never to watch the children: any device whose purpose is watching
  the children is prohibited unless it is that DV-9 monitor.
- DV-5: a camera outside only to protect the property from crime.
- DV-6: smart speakers in communal areas; in a child's bedroom as the service says.
- DV-8: a pet camera in a communal area, watching animals, only when nobody is
  home or overnight; otherwise it is an inside camera.
- DV-9: a sleeping baby (younger than the service's age); an older child only
  with a reason, the CSW's and the SSW's agreement and consent, and for a
  monitor that films or uploads, the CCTV decider's decision.
- DV-11: told on or after the latest arrival; visitors told of cameras inside.
- DV-12: retention within the service's limit for every camera inside.

Every type in every room kind under every combination of the service's settings
is checked against a table; then each rule has its own table; then property
tests try every combination of setting, exception and type against the three
things nothing may ever allow.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safecare.core.models import CctvDecider, FosteringService
from safecare.devices.models import (
    ChildConsent,
    Device,
    DeviceStatus,
    DeviceType,
    Purpose,
    RecordsWhen,
    RoomKind,
)
from safecare.devices.verdict import (
    Context,
    DeviceFacts,
    Grant,
    Level,
    Settings,
    exception_may_cover,
    is_camera_inside,
    is_inside_camera,
    is_set_up_as_dv9_monitor,
    months_old,
    verdict,
)
from safecare.households.models import Child, HouseholdMember

TODAY = dt.date(2027, 3, 24)
A, X, E, P = Level.ALLOWED, Level.ACTION_NEEDED, Level.NEEDS_EXCEPTION, Level.PROHIBITED
T = DeviceType
R = RoomKind
BEDROOMS = [R.CHILD_BEDROOM, R.OTHER_BEDROOM]
INSIDE = [R.CHILD_BEDROOM, R.OTHER_BEDROOM, R.BATHROOM, R.COMMUNAL]

# What each type usually captures: speakers listen, the rest see.
CAPTURES = {t: (t != T.SMART_SPEAKER, t == T.SMART_SPEAKER) for t in T}
PURPOSES = {
    T.BABY_MONITOR: Purpose.SLEEPING_CHILD,
    T.CCTV_CAMERA: Purpose.PROPERTY,
    T.VIDEO_DOORBELL: Purpose.PROPERTY,
    T.INTERNAL_SECURITY_CAMERA: Purpose.HOUSEHOLD_SAFETY,
    T.SMART_SPEAKER: Purpose.HOME_USE,
    T.PET_CAMERA: Purpose.PETS,
    T.OTHER: Purpose.OTHER,
}
BABY = 101  # a baby placed in the home, whom the baby monitors below are for, sleeping where they are
TEEN = 102  # a 14-year-old placed in the home

# (type, room kind) -> (level, the rule that decides it) when the service does NOT allow speakers in
# children's bedrooms. Each device as it usually is (CAPTURES, PURPOSES); the baby monitor is for the
# baby who sleeps in that room; the pet camera records only when nobody is home.
TABLE: dict[tuple[str, str], tuple[Level, str]] = {
    # DV-9: allowed in the bedroom where the baby sleeps, a child's or the carers' own.
    (T.BABY_MONITOR, R.CHILD_BEDROOM): (A, "DV-9"),
    (T.BABY_MONITOR, R.OTHER_BEDROOM): (A, "DV-9"),
    (T.BABY_MONITOR, R.BATHROOM): (P, "DV-3"),
    # A communal area or the garden is no sleeping area: a monitor there is watching the children (DV-4).
    (T.BABY_MONITOR, R.COMMUNAL): (P, "DV-4"),
    (T.BABY_MONITOR, R.OUTSIDE): (P, "DV-4"),
    (T.CCTV_CAMERA, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.CCTV_CAMERA, R.OTHER_BEDROOM): (P, "DV-3"),
    (T.CCTV_CAMERA, R.BATHROOM): (P, "DV-3"),
    (T.CCTV_CAMERA, R.COMMUNAL): (E, "DV-4"),
    (T.CCTV_CAMERA, R.OUTSIDE): (A, "DV-5"),
    (T.VIDEO_DOORBELL, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.VIDEO_DOORBELL, R.OTHER_BEDROOM): (P, "DV-3"),
    (T.VIDEO_DOORBELL, R.BATHROOM): (P, "DV-3"),
    (T.VIDEO_DOORBELL, R.COMMUNAL): (E, "DV-4"),
    (T.VIDEO_DOORBELL, R.OUTSIDE): (A, "DV-5"),
    (T.INTERNAL_SECURITY_CAMERA, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.INTERNAL_SECURITY_CAMERA, R.OTHER_BEDROOM): (P, "DV-3"),
    (T.INTERNAL_SECURITY_CAMERA, R.BATHROOM): (P, "DV-3"),
    (T.INTERNAL_SECURITY_CAMERA, R.COMMUNAL): (E, "DV-4"),
    # Its purpose is the household's safety, not protecting the property from crime.
    (T.INTERNAL_SECURITY_CAMERA, R.OUTSIDE): (P, "DV-5"),
    (T.SMART_SPEAKER, R.CHILD_BEDROOM): (P, "DV-6"),
    (T.SMART_SPEAKER, R.OTHER_BEDROOM): (A, "DV-6"),
    (T.SMART_SPEAKER, R.BATHROOM): (P, "DV-3"),
    (T.SMART_SPEAKER, R.COMMUNAL): (A, "DV-6"),
    (T.SMART_SPEAKER, R.OUTSIDE): (A, "DV-6"),
    (T.PET_CAMERA, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.PET_CAMERA, R.OTHER_BEDROOM): (P, "DV-3"),
    (T.PET_CAMERA, R.BATHROOM): (P, "DV-3"),
    (T.PET_CAMERA, R.COMMUNAL): (A, "DV-8"),
    (T.PET_CAMERA, R.OUTSIDE): (P, "DV-5"),
    (T.OTHER, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.OTHER, R.OTHER_BEDROOM): (P, "DV-3"),
    (T.OTHER, R.BATHROOM): (P, "DV-3"),
    (T.OTHER, R.COMMUNAL): (E, "DV-4"),
    (T.OTHER, R.OUTSIDE): (P, "DV-5"),
}
# DV-6: where the service allows smart speakers in children's bedrooms, that one cell changes.
SPEAKERS_ALLOWED = {(T.SMART_SPEAKER, R.CHILD_BEDROOM): (A, "DV-6")}
# DV-3: the same devices, each with a camera that the register says it has but that records nothing.
# Only the smart speaker changes: with a camera it is a camera, and the service's setting is about speakers.
WITH_A_CAMERA = {
    (T.SMART_SPEAKER, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.SMART_SPEAKER, R.OTHER_BEDROOM): (P, "DV-3"),
    (T.SMART_SPEAKER, R.COMMUNAL): (E, "DV-4"),
    (T.SMART_SPEAKER, R.OUTSIDE): (P, "DV-5"),
}

SETTINGS = [
    Settings(
        smart_speakers_in_bedrooms=speakers,
        security_requires_both=both,
        max_inside_retention_hours=hours,
        baby_months=baby,
    )
    for speakers, both, hours, baby in itertools.product([False, True], [True, False], [24, 72], [24, 12])
]


def device(device_type: str, room_kind: str, **overrides: object) -> DeviceFacts:
    video, audio = CAPTURES[device_type]
    fields: dict[str, object] = {
        "device_id": 7,
        "device_type": device_type,
        "room_kind": room_kind,
        "records_video": video,
        "records_audio": audio,
        "purpose": PURPOSES[device_type],
    }
    if device_type == T.BABY_MONITOR:
        fields.update(monitored_child_id=BABY, monitored_age_months=6, monitored_sleeps_here=True)
    if device_type == T.PET_CAMERA:
        fields.update(records_when=RecordsWhen.NOBODY_HOME)
    fields.update(overrides)
    return DeviceFacts(**fields)  # type: ignore[arg-type]


def context(settings: Settings | None = None, **overrides: object) -> Context:
    fields: dict[str, object] = {"today": TODAY, "placed_child_ids": frozenset({BABY, TEEN})}
    if settings is not None:
        fields["settings"] = settings
    fields.update(overrides)
    return Context(**fields)  # type: ignore[arg-type]


def grant_for(*device_ids: int, children: frozenset[int] = frozenset({BABY, TEEN})) -> Grant:
    return Grant("CX-00001", frozenset(device_ids or {7}), children, TODAY, TODAY)


def test_the_table_covers_every_type_and_room_kind() -> None:
    assert set(TABLE) == set(itertools.product(T, R))


CASES = [
    pytest.param(t, r, s, id=f"{t}-{r}-speakers{int(s.smart_speakers_in_bedrooms)}"
                 f"-both{int(s.security_requires_both)}-{s.max_inside_retention_hours}h-baby{s.baby_months}")
    for (t, r), s in itertools.product(TABLE, SETTINGS)
]  # fmt: skip


@pytest.mark.parametrize(("device_type", "room_kind", "settings"), CASES)
def test_verdict_of_every_type_in_every_room_under_every_setting(
    device_type: str, room_kind: str, settings: Settings
) -> None:
    expected_level, expected_rule = TABLE[(device_type, room_kind)]
    if settings.smart_speakers_in_bedrooms:
        expected_level, expected_rule = SPEAKERS_ALLOWED.get(
            (device_type, room_kind), (expected_level, expected_rule)
        )
    result = verdict(device(device_type, room_kind), context(settings))
    assert result.level == expected_level, result.findings
    assert result.deciding_rule == expected_rule, result.findings


@pytest.mark.parametrize(("device_type", "room_kind", "settings"), CASES)
def test_dv3_every_type_with_a_camera_is_a_camera_even_if_it_records_nothing(
    device_type: str, room_kind: str, settings: Settings
) -> None:
    expected_level, expected_rule = WITH_A_CAMERA.get(
        (device_type, room_kind), TABLE[(device_type, room_kind)]
    )
    if settings.smart_speakers_in_bedrooms and (device_type, room_kind) not in WITH_A_CAMERA:
        expected_level, expected_rule = SPEAKERS_ALLOWED.get(
            (device_type, room_kind), (expected_level, expected_rule)
        )
    facts = device(device_type, room_kind, records_video=False, records_audio=True, has_camera=True)
    result = verdict(facts, context(settings))
    assert result.level == expected_level, result.findings
    assert result.deciding_rule == expected_rule, result.findings


# 1. DV-4, DV-9: nothing watches the children but a baby monitor where the child it names sleeps -------


def test_dv4_a_cloud_video_baby_monitor_watching_a_teenager_in_the_lounge_is_prohibited() -> None:
    facts = device(
        T.BABY_MONITOR,
        R.COMMUNAL,
        records_video=True,
        records_audio=True,
        internet_connected=True,
        cloud_upload=True,
        purpose=Purpose.MONITOR_CHILDREN,
        monitored_child_id=TEEN,
        monitored_age_months=14 * 12,
        monitored_sleeps_here=False,
    )
    result = verdict(facts, context())
    assert result.level == P
    assert result.deciding_rule == "DV-4"


@pytest.mark.parametrize(
    ("room_kind", "overrides", "expected", "rule"),
    [
        # The loophole that was: a monitor in a communal room, for a baby or for watching the children.
        (R.COMMUNAL, {}, P, "DV-4"),
        (R.COMMUNAL, {"purpose": Purpose.MONITOR_CHILDREN}, P, "DV-4"),
        (R.COMMUNAL, {"records_video": False, "records_audio": True}, P, "DV-4"),
        (R.OUTSIDE, {"records_video": False, "records_audio": True}, P, "DV-4"),
        # A monitor that names no child, a child who no longer lives here, or that is not in the
        # room the child sleeps in, is not a DV-9 monitor: a camera in a bedroom (DV-3).
        (R.CHILD_BEDROOM, {"monitored_child_id": None, "monitored_age_months": None}, P, "DV-3"),
        (R.CHILD_BEDROOM, {"monitored_child_id": 999}, P, "DV-3"),
        (R.CHILD_BEDROOM, {"monitored_sleeps_here": False}, P, "DV-3"),
        (R.OTHER_BEDROOM, {"monitored_sleeps_here": False}, P, "DV-3"),
        # Sound only: DV-3 in a child's bedroom; elsewhere it is watching the children (DV-4).
        (R.CHILD_BEDROOM, {"records_video": False, "records_audio": True, "monitored_sleeps_here": False}, P, "DV-3"),
        (R.OTHER_BEDROOM, {"records_video": False, "records_audio": True, "monitored_sleeps_here": False}, P, "DV-4"),
        # For another purpose than a sleeping child it is the camera it is.
        (R.CHILD_BEDROOM, {"purpose": Purpose.MONITOR_CHILDREN}, P, "DV-3"),
        (R.COMMUNAL, {"purpose": Purpose.HOUSEHOLD_SAFETY}, E, "DV-4"),
        (R.OUTSIDE, {"purpose": Purpose.PROPERTY}, A, "DV-5"),
        (R.OUTSIDE, {"purpose": Purpose.OTHER}, P, "DV-5"),
        # The DV-9 monitor itself, with sound only or with a camera, in the baby's or the carers' room.
        (R.CHILD_BEDROOM, {"records_video": False, "records_audio": True}, A, "DV-9"),
        (R.OTHER_BEDROOM, {"records_video": False, "records_audio": True}, A, "DV-9"),
        (R.OTHER_BEDROOM, {}, A, "DV-9"),
        # A child of the household, living here or moved out.
        (R.OTHER_BEDROOM, {"monitored_child_id": None, "monitored_is_member": True}, A, "DV-9"),
        (R.OTHER_BEDROOM, {"monitored_child_id": None, "monitored_is_member": True, "monitored_moved_out": True}, P, "DV-3"),
    ],
)  # fmt: skip
def test_dv4_dv9_a_baby_monitor_is_allowed_only_where_the_child_it_names_sleeps(
    room_kind: str, overrides: dict[str, object], expected: Level, rule: str
) -> None:
    result = verdict(device(T.BABY_MONITOR, room_kind, **overrides), context())
    assert result.level == expected, result.findings
    assert result.deciding_rule == rule, result.findings


@pytest.mark.parametrize("device_type", list(T))
@pytest.mark.parametrize("room_kind", list(R))
@pytest.mark.parametrize("purpose", [Purpose.MONITOR_CHILDREN, Purpose.SLEEPING_CHILD])
def test_dv4_no_device_may_be_used_to_watch_the_children(
    device_type: str, room_kind: str, purpose: str
) -> None:
    facts = device(device_type, room_kind, purpose=purpose)
    result = verdict(facts, context(Settings(smart_speakers_in_bedrooms=True), grants=(grant_for(7),)))
    dv9 = device_type == T.BABY_MONITOR and purpose == Purpose.SLEEPING_CHILD and room_kind in BEDROOMS
    if dv9:
        assert result.level == A, result.findings
    else:
        assert result.level == P, result.findings
        assert result.deciding_rule in {"DV-3", "DV-4"}, result.findings


# 2. DV-3: no camera in any bedroom; nothing in a bathroom or toilet --------------------------------


def test_dv3_a_smart_speaker_with_a_camera_in_the_carers_bedroom_is_prohibited() -> None:
    speaker = device(
        T.SMART_SPEAKER, R.OTHER_BEDROOM, records_video=False, records_audio=True, has_camera=True
    )
    result = verdict(speaker, context(Settings(smart_speakers_in_bedrooms=True)))
    assert result.level == P and result.deciding_rule == "DV-3"
    assert "smart speaker with a camera is a camera" in result.deciding.message


def test_dv3_a_speaker_with_a_camera_stays_out_of_a_childs_bedroom_even_where_speakers_are_allowed() -> None:
    speaker = device(T.SMART_SPEAKER, R.CHILD_BEDROOM, records_video=True)
    result = verdict(speaker, context(Settings(smart_speakers_in_bedrooms=True)))
    assert result.level == P and result.deciding_rule == "DV-3"


@pytest.mark.parametrize("device_type", sorted(set(T) - {T.BABY_MONITOR}))
@pytest.mark.parametrize("room_kind", BEDROOMS)
def test_cx2_an_exception_naming_a_camera_in_a_bedroom_does_not_permit_it(
    device_type: str, room_kind: str
) -> None:
    facts = device(device_type, room_kind, records_video=True)
    result = verdict(facts, context(grants=(grant_for(7),)))
    assert result.level == P and result.deciding_rule == "DV-3"
    assert "CX-2" in [f.rule_id for f in result.reasons]


# 3. DV-5: outside, only to protect the property from crime ----------------------------------------

NOT_WATCHING = sorted(set(Purpose) - {Purpose.MONITOR_CHILDREN, Purpose.SLEEPING_CHILD})


@pytest.mark.parametrize("device_type", list(T))
@pytest.mark.parametrize("purpose", NOT_WATCHING)
def test_dv5_a_camera_outside_is_allowed_only_to_protect_the_property(device_type: str, purpose: str) -> None:
    facts = device(device_type, R.OUTSIDE, records_video=True, purpose=purpose)
    result = verdict(facts, context())
    if purpose == Purpose.PROPERTY:
        assert result.level == A and result.deciding_rule == "DV-5", result.findings
    else:
        assert result.level == P and result.deciding_rule == "DV-5", result.findings


@pytest.mark.parametrize(
    ("device_type", "purpose", "expected"),
    [
        (T.SMART_SPEAKER, Purpose.HOME_USE, A),  # a speaker in the garden, for music
        (T.SMART_SPEAKER, Purpose.PROPERTY, A),
        (T.OTHER, Purpose.PROPERTY, A),
        (T.OTHER, Purpose.HOUSEHOLD_SAFETY, P),
        (T.OTHER, Purpose.OTHER, P),
        (T.SMART_SPEAKER, Purpose.MONITOR_CHILDREN, P),
    ],
)
def test_dv5_a_microphone_outside_is_held_to_the_same_purpose_except_a_smart_speaker(
    device_type: str, purpose: str, expected: Level
) -> None:
    facts = device(device_type, R.OUTSIDE, records_video=False, records_audio=True, purpose=purpose)
    assert verdict(facts, context()).level == expected


# 4. DV-8: pet cameras, for animals, when nobody is home or overnight --------------------------------


@pytest.mark.parametrize(
    ("room_kind", "purpose", "records_when", "expected", "rule"),
    [
        (R.COMMUNAL, Purpose.PETS, RecordsWhen.NOBODY_HOME, A, "DV-8"),
        (R.COMMUNAL, Purpose.PETS, RecordsWhen.OVERNIGHT, A, "DV-8"),
        (R.COMMUNAL, Purpose.PETS, RecordsWhen.NOBODY_HOME_OR_OVERNIGHT, A, "DV-8"),
        # The hours are not recorded yet.
        (R.COMMUNAL, Purpose.PETS, RecordsWhen.NOT_RECORDED, X, "DV-8"),
        # Used at other times, or for something else: an inside camera (DV-4).
        (R.COMMUNAL, Purpose.PETS, RecordsWhen.OTHER_TIMES, E, "DV-4"),
        (R.COMMUNAL, Purpose.HOUSEHOLD_SAFETY, RecordsWhen.NOBODY_HOME, E, "DV-4"),
        (R.COMMUNAL, Purpose.OTHER, RecordsWhen.OVERNIGHT, E, "DV-4"),
        # Watching the children: never.
        (R.COMMUNAL, Purpose.MONITOR_CHILDREN, RecordsWhen.NOBODY_HOME, P, "DV-4"),
        (R.COMMUNAL, Purpose.MONITOR_CHILDREN, RecordsWhen.OTHER_TIMES, P, "DV-4"),
        # Outside communal areas: prohibited.
        (R.OTHER_BEDROOM, Purpose.PETS, RecordsWhen.OVERNIGHT, P, "DV-3"),
        (R.CHILD_BEDROOM, Purpose.PETS, RecordsWhen.NOBODY_HOME, P, "DV-3"),
        (R.BATHROOM, Purpose.PETS, RecordsWhen.NOBODY_HOME, P, "DV-3"),
    ],
)
def test_dv8_a_pet_camera_watches_animals_only_when_nobody_is_home_or_overnight(
    room_kind: str, purpose: str, records_when: str, expected: Level, rule: str
) -> None:
    facts = device(T.PET_CAMERA, room_kind, purpose=purpose, records_when=records_when)
    result = verdict(facts, context())
    assert result.level == expected, result.findings
    assert result.deciding_rule == rule, result.findings


def test_dv8_missing_hours_are_asked_for() -> None:
    result = verdict(device(T.PET_CAMERA, R.COMMUNAL, records_when=""), context())
    assert [f.message for f in result.missing if f.rule_id == "DV-8"] == [
        "record when the pet camera records: only when nobody is home, overnight, or both"
    ]


def test_dv8_a_pet_camera_used_at_other_times_is_covered_by_an_agreed_exception_like_any_inside_camera() -> (
    None
):
    facts = device(T.PET_CAMERA, R.COMMUNAL, records_when=RecordsWhen.OTHER_TIMES)
    assert verdict(facts, context(grants=(grant_for(7),))).level == A


# 5. DV-9: a baby, an older child, and the CCTV decider --------------------------------------------


def monitor(**overrides: object) -> DeviceFacts:
    return device(T.BABY_MONITOR, R.CHILD_BEDROOM, **overrides)


AGREED = {
    "monitoring_reason": "Epilepsy at night",
    "csw_agreed": True,
    "ssw_agreed": True,
    "child_consent": ChildConsent.GIVEN,
}
SOUND_ONLY = {"records_video": False, "records_audio": True}


@pytest.mark.parametrize(
    ("overrides", "expected", "missing"),
    [
        ({"monitored_age_months": 0}, A, 0),
        ({"monitored_age_months": 23}, A, 0),
        # An older child, sound only: a reason, both workers' agreement and the child's consent.
        ({"monitored_age_months": 24, **SOUND_ONLY}, X, 4),
        ({"monitored_age_months": 96, "monitoring_reason": "Epilepsy at night", **SOUND_ONLY}, X, 3),
        ({"monitored_age_months": 96, **AGREED, **SOUND_ONLY}, A, 0),
        ({"monitored_age_months": 30, **AGREED, "child_consent": ChildConsent.NOT_ABLE, **SOUND_ONLY}, A, 0),
        # The carers' own child: no child's social worker to agree.
        (
            {
                "monitored_child_id": None,
                "monitored_is_member": True,
                "monitored_age_months": 60,
                "monitoring_reason": "Night terrors",
                "ssw_agreed": True,
                "child_consent": ChildConsent.GIVEN,
                **SOUND_ONLY,
            },
            A,
            0,
        ),
        # An older child's monitor that films or uploads: also the CCTV decider's decision.
        ({"monitored_age_months": 96, **AGREED}, E, 0),
        ({"monitored_age_months": 96, **AGREED, "decider_agreed": True}, A, 0),
        ({"monitored_age_months": 96, **AGREED, **SOUND_ONLY, "cloud_upload": True, "strong_password": True,
          "two_factor": True, "software_up_to_date": True}, E, 0),
        ({"monitored_age_months": 96, **AGREED, **SOUND_ONLY, "has_camera": True}, E, 0),
        ({"monitored_age_months": 96, **AGREED, "decider_agreed": False}, P, 0),
        # The decision is still needed while agreements are missing; both are listed.
        ({"monitored_age_months": 96}, E, 4),
        # A baby's monitor needs none of this, camera and cloud or not.
        ({"monitored_age_months": 6, "cloud_upload": True, "strong_password": True, "two_factor": True,
          "software_up_to_date": True}, A, 0),
    ],
)  # fmt: skip
def test_dv9_a_monitor_in_the_room_where_the_child_sleeps(
    overrides: dict[str, object], expected: Level, missing: int
) -> None:
    result = verdict(monitor(**overrides), context())
    assert result.level == expected, result.findings
    assert result.deciding_rule == "DV-9", result.findings
    assert len([f for f in result.missing if f.rule_id == "DV-9"]) == missing


@pytest.mark.parametrize(
    ("facts", "set_up"),
    [
        # A baby monitor keeping a sleeping child safe, naming the child, in the bedroom they sleep in.
        (monitor(), True),
        (device(T.BABY_MONITOR, R.OTHER_BEDROOM), True),
        (monitor(monitored_child_id=None, monitored_is_member=True), True),
        # Whether the child it names still lives here is the verdict's business, not the register's.
        (monitor(monitored_child_id=999), True),
        (monitor(monitored_child_id=None, monitored_is_member=True, monitored_moved_out=True), True),
        # Anything else is no DV-9 monitor as the register describes it.
        (monitor(monitored_child_id=None), False),
        (monitor(monitored_sleeps_here=False), False),
        (monitor(purpose=Purpose.MONITOR_CHILDREN), False),
        (device(T.BABY_MONITOR, R.COMMUNAL), False),
        (device(T.CCTV_CAMERA, R.CHILD_BEDROOM, purpose=Purpose.SLEEPING_CHILD, monitored_child_id=BABY,
                monitored_sleeps_here=True), False),
    ],
)  # fmt: skip
def test_dv9_a_monitor_is_set_up_as_one_when_the_register_names_the_child_sleeping_in_its_bedroom(
    facts: DeviceFacts, set_up: bool
) -> None:
    assert is_set_up_as_dv9_monitor(facts) is set_up


def test_dv9_needs_decision_names_the_services_decider() -> None:
    settings = Settings(decider="the head of service")
    result = verdict(monitor(monitored_age_months=96, **AGREED), context(settings))
    assert result.level == E
    assert "needs a decision" in result.deciding.message and "the head of service" in result.deciding.message


def test_dv9_a_child_who_does_not_agree_is_not_monitored() -> None:
    result = verdict(
        monitor(monitored_age_months=120, **{**AGREED, "child_consent": ChildConsent.REFUSED}), context()
    )
    assert result.level == P and result.deciding_rule == "DV-9"


@pytest.mark.parametrize(
    ("age", "baby_months", "expected"), [(17, 18, A), (18, 18, X), (35, 36, A), (36, 36, X)]
)
def test_dv9_the_age_of_a_baby_is_the_services_setting(age: int, baby_months: int, expected: Level) -> None:
    result = verdict(
        monitor(monitored_age_months=age, **SOUND_ONLY), context(Settings(baby_months=baby_months))
    )
    assert result.level == expected, result.findings


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (dt.date(2025, 3, 24), dt.date(2027, 3, 23), 23),  # one day short of the 2nd birthday
        (dt.date(2025, 3, 24), dt.date(2027, 3, 24), 24),  # the 2nd birthday
        (dt.date(2025, 3, 24), dt.date(2025, 3, 24), 0),
        (dt.date(2025, 3, 24), dt.date(2025, 4, 23), 0),
        (dt.date(2025, 3, 24), dt.date(2025, 4, 24), 1),
        # Born on 29 February: two in a year with no 29 February on 1 March, in a leap year on the 29th.
        (dt.date(2024, 2, 29), dt.date(2026, 2, 28), 23),
        (dt.date(2024, 2, 29), dt.date(2026, 3, 1), 24),
        (dt.date(2026, 2, 28), dt.date(2028, 2, 27), 23),
        (dt.date(2026, 2, 28), dt.date(2028, 2, 28), 24),
        (dt.date(2024, 2, 29), dt.date(2028, 2, 28), 47),
        (dt.date(2024, 2, 29), dt.date(2028, 2, 29), 48),
        # A month with no such day: the month completes on the 1st of the next.
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28), 0),
        (dt.date(2025, 1, 31), dt.date(2025, 3, 1), 1),
        (dt.date(2025, 8, 31), dt.date(2027, 2, 28), 17),
        (dt.date(2025, 8, 31), dt.date(2027, 3, 1), 18),
        # Across a new year.
        (dt.date(2025, 12, 15), dt.date(2027, 12, 14), 23),
        (dt.date(2025, 12, 15), dt.date(2027, 12, 15), 24),
    ],
)
def test_dv9_months_old_at_the_edges(born: dt.date, on: dt.date, months: int) -> None:
    assert months_old(born, on) == months


def _facts_on(born: dt.date, on: dt.date, **device_fields: object) -> DeviceFacts:
    child = Child(pk=BABY, first_name="Ada", last_name="Lovelace", date_of_birth=born)
    registered = Device(
        pk=7,
        device_type=T.BABY_MONITOR,
        room="Ada's bedroom",
        room_kind=R.CHILD_BEDROOM,
        positioning="On the shelf, facing the cot",
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        responsible_person="The carers",
        retention_hours=0,
        members_told_on=on,
        monitored_child=child,
        monitored_sleeps_here=True,
        **device_fields,
    )
    return DeviceFacts.of(registered, today=on)


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (dt.date(2025, 3, 24), dt.date(2027, 3, 23), A),  # a baby until the day before the 2nd birthday
        (dt.date(2025, 3, 24), dt.date(2027, 3, 24), X),  # on the 2nd birthday: an older child
        (dt.date(2024, 2, 29), dt.date(2026, 2, 28), A),
        (dt.date(2024, 2, 29), dt.date(2026, 3, 1), X),
    ],
)
def test_dv9_a_registered_monitor_is_for_a_baby_until_the_second_birthday(
    born: dt.date, on: dt.date, expected: Level
) -> None:
    facts = _facts_on(born, on)
    result = verdict(facts, Context(today=on, placed_child_ids=frozenset({BABY})))
    assert result.level == expected, result.findings


def test_dv9_a_registered_monitor_for_a_child_of_the_household_who_moved_out_is_not_for_a_child_here() -> (
    None
):
    member = HouseholdMember(
        pk=5, first_name="Sam", last_name="Lee", date_of_birth=dt.date(2026, 6, 1), moved_out_on=TODAY
    )
    registered = Device(
        pk=7,
        device_type=T.BABY_MONITOR,
        room="Carers' bedroom",
        room_kind=R.OTHER_BEDROOM,
        positioning="Beside the cot",
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        responsible_person="The carers",
        retention_hours=0,
        members_told_on=TODAY,
        monitored_member=member,
        monitored_sleeps_here=True,
    )
    facts = DeviceFacts.of(registered, today=TODAY)
    assert facts.monitored_is_member and facts.monitored_moved_out
    assert verdict(facts, context()).level == P


@pytest.mark.parametrize(
    ("attributes", "months"),
    [
        ({}, 24),
        ({"dv9_baby_age_months": 18}, 18),
        ({"baby_age_months": 30}, 30),
        # A setting of 0 months would make no child a baby: the service's default stands.
        ({"baby_age_months": 0}, 24),
        # One month is a setting like any other.
        ({"baby_age_months": 1}, 1),
    ],
)
def test_dv9_settings_read_the_services_baby_age_whatever_the_setting_is_called(
    attributes: dict[str, int], months: int
) -> None:
    service = FosteringService(name="A service", slug="a-service", cctv_decider=CctvDecider.HEAD_OF_SERVICE)
    for name in ("dv9_baby_age_months", "baby_age_months"):
        if hasattr(service, name) and name not in attributes:
            setattr(service, name, None)
    for name, value in attributes.items():
        setattr(service, name, value)
    settings = Settings.of(service)
    assert settings.baby_months == months
    assert settings.decider == "the head of service"


# 6. DV-11: everyone told, again after someone arrives; visitors told of cameras inside --------------


@pytest.mark.parametrize(
    ("told", "arrived", "expected"),
    [
        (dt.date(2027, 1, 10), None, A),
        (dt.date(2027, 1, 10), dt.date(2027, 1, 9), A),
        (dt.date(2027, 1, 10), dt.date(2027, 1, 10), A),  # told on the day they arrived
        (dt.date(2027, 1, 10), dt.date(2027, 1, 11), X),
        (dt.date(2027, 1, 10), dt.date(2027, 3, 24), X),
    ],
)
def test_dv11_everyone_is_told_again_after_someone_arrives(
    told: dt.date, arrived: dt.date | None, expected: Level
) -> None:
    facts = device(T.CCTV_CAMERA, R.OUTSIDE, members_told_on=told)
    result = verdict(facts, context(latest_arrival=arrived))
    assert result.level == expected, result.findings
    if expected == X:
        assert [f.rule_id for f in result.missing] == ["DV-11"]
        assert "arrived to live here" in result.missing[0].message


def test_dv11_a_planned_device_needs_nobody_told_yet() -> None:
    planned = device(T.CCTV_CAMERA, R.OUTSIDE, members_told_on=None, status=DeviceStatus.PLANNED)
    assert verdict(planned, context(latest_arrival=TODAY)).level == A


@pytest.mark.parametrize(
    ("facts", "asked"),
    [
        (device(T.CCTV_CAMERA, R.COMMUNAL, visitors_told_on=None), True),
        (device(T.SMART_SPEAKER, R.COMMUNAL, has_camera=True, visitors_told_on=None), True),
        (device(T.PET_CAMERA, R.COMMUNAL, records_when=RecordsWhen.OTHER_TIMES, visitors_told_on=None), True),
        # A DV-8 pet camera, a DV-9 monitor, a camera outside and a speaker are no inside cameras.
        (device(T.PET_CAMERA, R.COMMUNAL, visitors_told_on=None), False),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM, visitors_told_on=None), False),
        (device(T.CCTV_CAMERA, R.OUTSIDE, visitors_told_on=None), False),
        (device(T.SMART_SPEAKER, R.COMMUNAL, visitors_told_on=None), False),
    ],
)
def test_dv11_visitors_are_told_of_cameras_inside(facts: DeviceFacts, asked: bool) -> None:
    result = verdict(facts, context(grants=(grant_for(7),)))
    told = any(f.rule_id == "DV-11" and "visitors" in f.message for f in result.missing)
    assert told == asked, result.findings


# 7. DV-12: retention within the limit for every camera inside ---------------------------------------


@pytest.mark.parametrize(
    ("hours", "limit", "expected"),
    [(0, 24, A), (24, 24, A), (25, 24, X), (72, 24, X), (72, 72, A), (73, 72, X)],
)
def test_dv12_inside_cctv_footage_is_kept_no_longer_than_the_service_allows(
    hours: int, limit: int, expected: Level
) -> None:
    facts = device(
        T.CCTV_CAMERA, R.COMMUNAL, retention_hours=hours, storage="A recorder", access="The carers"
    )
    result = verdict(facts, context(Settings(max_inside_retention_hours=limit), grants=(grant_for(7),)))
    assert result.level == expected
    assert ("DV-12" in result.rule_ids) == (expected == X)


KEPT = {"retention_hours": 720, "storage": "The maker's cloud", "access": "The carers"}


@pytest.mark.parametrize(
    ("facts", "flagged"),
    [
        # A video monitor in the baby's bedroom keeping 30 days in the cloud.
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM, cloud_upload=True, strong_password=True, two_factor=True,
                software_up_to_date=True, **KEPT), True),
        (device(T.BABY_MONITOR, R.OTHER_BEDROOM, **KEPT), True),
        (device(T.PET_CAMERA, R.COMMUNAL, **KEPT), True),
        (device(T.SMART_SPEAKER, R.COMMUNAL, has_camera=True, **KEPT), True),
        # Prohibited (DV-3): taken out, so nothing else is asked of it (decision 0020).
        (device(T.CCTV_CAMERA, R.OTHER_BEDROOM, **KEPT), False),
        (device(T.CCTV_CAMERA, R.BATHROOM, **KEPT), False),
        # Outside, or no camera: the inside limit does not apply.
        (device(T.CCTV_CAMERA, R.OUTSIDE, **KEPT), False),
        (device(T.SMART_SPEAKER, R.COMMUNAL, **KEPT), False),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM, **SOUND_ONLY, **KEPT), False),
    ],
)  # fmt: skip
def test_dv12_every_camera_inside_the_home_is_held_to_the_limit_monitors_included(
    facts: DeviceFacts, flagged: bool
) -> None:
    result = verdict(facts, context())
    assert ("DV-12" in [f.rule_id for f in result.missing]) == flagged, result.findings


def test_dv12_a_video_monitor_keeping_30_days_in_the_cloud_is_action_needed() -> None:
    facts = device(
        T.BABY_MONITOR,
        R.CHILD_BEDROOM,
        internet_connected=True,
        cloud_upload=True,
        strong_password=True,
        two_factor=True,
        software_up_to_date=True,
        **KEPT,
    )
    result = verdict(facts, context())
    assert result.level == X
    assert [f.rule_id for f in result.missing] == ["DV-12"]
    assert "720 hours" in result.missing[0].message and "24 hours" in result.missing[0].message


# 8. DV-4: an exception is for approved carers only -------------------------------------------------


@pytest.mark.parametrize(
    "device_type", [T.CCTV_CAMERA, T.VIDEO_DOORBELL, T.INTERNAL_SECURITY_CAMERA, T.OTHER]
)
@pytest.mark.parametrize("approved", [True, False])
def test_dv4_an_applicants_camera_inside_is_never_covered_by_an_exception(
    device_type: str, approved: bool
) -> None:
    result = verdict(
        device(device_type, R.COMMUNAL), context(grants=(grant_for(7),), household_approved=approved)
    )
    if approved:
        assert result.level == A and result.deciding_rule == "CX-3"
    else:
        assert result.level == E and result.deciding_rule == "DV-4"
        assert "removed before approval" in result.deciding.message
        assert "before you can be approved" in result.deciding.carer_message


def test_dv4_an_applicants_camera_outside_and_speakers_are_not_inside_cameras() -> None:
    applicant = context(household_approved=False)
    assert verdict(device(T.CCTV_CAMERA, R.OUTSIDE), applicant).level == A
    assert verdict(device(T.SMART_SPEAKER, R.COMMUNAL), applicant).level == A
    assert verdict(device(T.PET_CAMERA, R.COMMUNAL), applicant).level == A
    assert verdict(device(T.BABY_MONITOR, R.CHILD_BEDROOM), applicant).level == A


# CX-3, CX-6: an approved exception, for its period and its children ---------------------------------

INSIDE_CAMERAS = [T.CCTV_CAMERA, T.VIDEO_DOORBELL, T.INTERNAL_SECURITY_CAMERA, T.OTHER]


@pytest.mark.parametrize("device_type", INSIDE_CAMERAS)
@pytest.mark.parametrize(
    ("grant", "placed", "expected", "rule"),
    [
        (Grant("CX-1", frozenset({7}), frozenset({BABY}), TODAY, TODAY), {BABY}, A, "CX-3"),
        (Grant("CX-1", frozenset({7}), frozenset({BABY, 102}), TODAY, TODAY), {BABY}, A, "CX-3"),
        (Grant("CX-1", frozenset({7}), frozenset(), TODAY, TODAY), set(), A, "CX-3"),
        # A new child placed who is not named (CX-6).
        (Grant("CX-1", frozenset({7}), frozenset({BABY}), TODAY, TODAY), {BABY, 102}, E, "CX-6"),
        # The period has ended, or has not started (CX-6).
        (Grant("CX-1", frozenset({7}), frozenset({BABY}), TODAY - dt.timedelta(days=90), TODAY - dt.timedelta(days=1)), {BABY}, E, "CX-6"),
        (Grant("CX-1", frozenset({7}), frozenset({BABY}), TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=9)), {BABY}, E, "CX-6"),
        # Reopened, waiting for a new decision (CX-6).
        (Grant("CX-1", frozenset({7}), frozenset({BABY}), TODAY, TODAY, reopened_reason="a new child"), {BABY}, E, "CX-6"),
        # An exception for another camera covers nothing here.
        (Grant("CX-1", frozenset({8}), frozenset({BABY}), TODAY, TODAY), {BABY}, E, "DV-4"),
    ],
)  # fmt: skip
def test_cx6_an_exception_covers_its_cameras_for_its_period_and_its_children(
    device_type: str, grant: Grant, placed: set[int], expected: Level, rule: str
) -> None:
    result = verdict(
        device(device_type, R.COMMUNAL, visitors_told_on=TODAY),
        context(placed_child_ids=frozenset(placed), grants=(grant,)),
    )
    assert result.level == expected, result.findings
    assert rule in result.rule_ids


# 9. One notion of an inside camera -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "camera_inside", "inside_camera"),
    [
        (device(T.CCTV_CAMERA, R.COMMUNAL), True, True),
        (device(T.CCTV_CAMERA, R.OTHER_BEDROOM), True, True),
        (device(T.CCTV_CAMERA, R.OUTSIDE), False, False),
        (device(T.OTHER, R.COMMUNAL, records_video=False, records_audio=True), False, False),
        (device(T.OTHER, R.COMMUNAL, records_video=False, records_audio=True, has_camera=True), True, True),
        (device(T.SMART_SPEAKER, R.COMMUNAL), False, False),
        (device(T.SMART_SPEAKER, R.COMMUNAL, has_camera=True), True, True),
        # A pet camera is a camera whatever it says it records.
        (device(T.PET_CAMERA, R.COMMUNAL, records_video=False, records_audio=True), True, False),
        (device(T.PET_CAMERA, R.COMMUNAL, records_when=RecordsWhen.OTHER_TIMES), True, True),
        (device(T.PET_CAMERA, R.COMMUNAL, purpose=Purpose.HOUSEHOLD_SAFETY), True, True),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM), True, False),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM, monitored_sleeps_here=False), True, True),
        (device(T.BABY_MONITOR, R.COMMUNAL), True, True),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM, **SOUND_ONLY), False, False),
    ],
)
def test_an_inside_camera_is_a_camera_inside_that_is_no_dv9_monitor_or_dv8_pet_camera(
    facts: DeviceFacts, camera_inside: bool, inside_camera: bool
) -> None:
    assert is_camera_inside(facts) == camera_inside
    assert is_inside_camera(facts, context()) == inside_camera


# CX-2: what a CCTV exception may name -----------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "may_cover"),
    [
        # A camera inside the home, in a communal area, not there to watch the children.
        (device(T.CCTV_CAMERA, R.COMMUNAL), True),
        (device(T.INTERNAL_SECURITY_CAMERA, R.COMMUNAL), True),
        (device(T.SMART_SPEAKER, R.COMMUNAL, has_camera=True), True),
        (device(T.PET_CAMERA, R.COMMUNAL, records_when=RecordsWhen.OTHER_TIMES), True),
        # Never in a bedroom, bathroom or toilet, whatever it is for.
        (device(T.CCTV_CAMERA, R.OTHER_BEDROOM), False),
        (device(T.INTERNAL_SECURITY_CAMERA, R.CHILD_BEDROOM), False),
        (device(T.CCTV_CAMERA, R.BATHROOM), False),
        # Never to supervise or watch the children, even in a communal area.
        (device(T.CCTV_CAMERA, R.COMMUNAL, purpose=Purpose.MONITOR_CHILDREN), False),
        (device(T.INTERNAL_SECURITY_CAMERA, R.COMMUNAL, purpose=Purpose.SLEEPING_CHILD), False),
        # Not a camera inside the home (DV-4): outside, a microphone, a DV-8 pet camera, a DV-9 monitor.
        (device(T.CCTV_CAMERA, R.OUTSIDE), False),
        (device(T.SMART_SPEAKER, R.COMMUNAL), False),
        (device(T.PET_CAMERA, R.COMMUNAL), False),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM), False),
    ],
)
def test_cx2_an_exception_may_name_only_a_camera_inside_in_a_communal_area_not_watching_the_children(
    facts: DeviceFacts, may_cover: bool
) -> None:
    assert exception_may_cover(facts, context()) is may_cover


# 10. The finding that decides names its rule; carers read it in plain words -------------------------


@pytest.mark.parametrize(
    ("facts", "ctx", "rule"),
    [
        (device(T.SMART_SPEAKER, R.BATHROOM), context(), "DV-3"),
        (device(T.CCTV_CAMERA, R.OTHER_BEDROOM), context(grants=(grant_for(7),)), "DV-3"),
        (device(T.CCTV_CAMERA, R.COMMUNAL, purpose=Purpose.MONITOR_CHILDREN), context(grants=(grant_for(7),)), "DV-4"),
        (device(T.CCTV_CAMERA, R.OUTSIDE, purpose=Purpose.OTHER), context(), "DV-5"),
        (device(T.SMART_SPEAKER, R.CHILD_BEDROOM), context(), "DV-6"),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM, monitored_age_months=96, child_consent=ChildConsent.REFUSED), context(), "DV-9"),
    ],
)  # fmt: skip
def test_the_finding_that_decides_a_prohibited_verdict_names_its_rule(
    facts: DeviceFacts, ctx: Context, rule: str
) -> None:
    result = verdict(facts, ctx)
    assert result.level == P
    assert result.deciding.rule_id == rule == result.deciding_rule
    assert result.deciding.level == P


@pytest.mark.parametrize(
    ("facts", "rule"),
    [
        (device(T.PET_CAMERA, R.COMMUNAL, records_when="", responsible_person="", members_told_on=None), "DV-8"),
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM, monitored_age_months=96, **SOUND_ONLY, responsible_person=""),
         "DV-9"),
    ],
)  # fmt: skip
def test_where_a_device_is_and_what_it_is_for_comes_before_what_is_recorded_of_it(
    facts: DeviceFacts, rule: str
) -> None:
    result = verdict(facts, context())
    assert result.level == X
    assert result.deciding_rule == rule
    assert result.missing[0].rule_id == rule and result.missing[-1].rule_id in {"DV-1", "DV-11"}


def test_an_exception_naming_a_camera_it_cannot_cover_is_named_as_cx2() -> None:
    result = verdict(device(T.CCTV_CAMERA, R.BATHROOM), context(grants=(grant_for(7),)))
    assert [f.rule_id for f in result.reasons] == ["DV-3", "CX-2"]


@pytest.mark.parametrize(
    ("facts", "ctx", "words"),
    [
        (device(T.CCTV_CAMERA, R.CHILD_BEDROOM), context(), "You cannot have a camera in a child's bedroom."),
        (device(T.SMART_SPEAKER, R.OTHER_BEDROOM, has_camera=True), context(),
         "You cannot have a camera in any bedroom, including your own."),
        (device(T.SMART_SPEAKER, R.BATHROOM), context(),
         "You cannot have a camera or microphone in a bathroom or toilet."),
        (device(T.CCTV_CAMERA, R.COMMUNAL), context(), "You need the fostering service to agree an exception"),
        (device(T.CCTV_CAMERA, R.OUTSIDE, purpose=Purpose.OTHER), context(),
         "A camera outside your home can only be used to protect your property from crime."),
        (device(T.BABY_MONITOR, R.COMMUNAL), context(),
         "You cannot use a camera or microphone to supervise or watch the children."),
    ],
)  # fmt: skip
def test_carers_read_a_plain_message_and_staff_the_rule(facts: DeviceFacts, ctx: Context, words: str) -> None:
    result = verdict(facts, ctx)
    assert words in result.deciding.carer_message
    assert result.deciding.for_carers == result.deciding.carer_message
    assert str(result.deciding).startswith(result.deciding.rule_id + ": ")


# DV-7: security of connected devices, as the service requires -----------------------------------------

BOTH = Settings(security_requires_both=True)
EITHER = Settings(security_requires_both=False)


@pytest.mark.parametrize("device_type", list(T))
@pytest.mark.parametrize(
    ("settings", "password", "two_factor", "up_to_date", "expected", "missing"),
    [
        (BOTH, True, True, True, A, 0),
        (BOTH, True, False, True, X, 1),
        (BOTH, False, True, True, X, 1),
        (BOTH, False, False, False, X, 3),
        (BOTH, True, True, False, X, 1),
        (EITHER, True, False, True, A, 0),
        (EITHER, False, True, True, A, 0),
        (EITHER, False, False, True, X, 1),
        (EITHER, True, True, False, X, 1),
    ],
)
@pytest.mark.parametrize("connection", ["internet_connected", "cloud_upload"])
def test_dv7_connected_devices_need_the_security_the_service_requires(
    device_type: str,
    settings: Settings,
    password: bool,
    two_factor: bool,
    up_to_date: bool,
    expected: Level,
    missing: int,
    connection: str,
) -> None:
    facts = device(
        device_type,
        R.OUTSIDE,
        purpose=Purpose.PROPERTY,  # DV-5: the one purpose allowed outside
        strong_password=password,
        two_factor=two_factor,
        software_up_to_date=up_to_date,
        **{connection: True},
    )
    result = verdict(facts, context(settings))
    assert result.level == expected
    assert len([f for f in result.missing if f.rule_id == "DV-7"]) == missing


def test_dv7_a_device_with_no_connection_needs_no_security_measures() -> None:
    assert verdict(device(T.CCTV_CAMERA, R.OUTSIDE), context(BOTH)).level == Level.ALLOWED


def test_dv7_missing_security_is_listed_alongside_a_needed_exception() -> None:
    result = verdict(device(T.CCTV_CAMERA, R.COMMUNAL, internet_connected=True), context(BOTH))
    assert result.level == Level.NEEDS_EXCEPTION
    assert {f.rule_id for f in result.missing} >= {"DV-7"}


# DV-1: what must be recorded ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "rule", "words"),
    [
        ({"positioning": " "}, "DV-1", "positioned"),
        ({"responsible_person": ""}, "DV-1", "responsible"),
        ({"retention_hours": None}, "DV-1", "how long"),
        ({"retention_hours": 48, "storage": "", "access": "The carers"}, "DV-1", "stored"),
        ({"retention_hours": 48, "storage": "An SD card", "access": ""}, "DV-1", "access"),
        ({"members_told_on": None}, "DV-11", "everyone in the household"),
    ],
)
def test_dv1_dv11_missing_records_are_listed_as_actions(
    overrides: dict[str, object], rule: str, words: str
) -> None:
    result = verdict(device(T.CCTV_CAMERA, R.OUTSIDE, **overrides), context())
    assert result.level == Level.ACTION_NEEDED
    assert any(f.rule_id == rule and words in f.message for f in result.missing), result.findings


def test_the_verdict_names_its_reasons_and_the_missing_items_separately() -> None:
    result = verdict(device(T.CCTV_CAMERA, R.COMMUNAL, responsible_person=""), context())
    assert result.level == Level.NEEDS_EXCEPTION
    assert [f.rule_id for f in result.reasons] == ["DV-4"]
    assert [f.rule_id for f in result.missing] == ["DV-1"]
    assert result.rule_ids == ["DV-1", "DV-4"]
    assert result.label == "Needs an approved exception" and result.key == "needs_exception"


# Property tests: what no setting, exception, answer or device type can ever allow -------------------

CAMERA_KINDS = {T.CCTV_CAMERA, T.INTERNAL_SECURITY_CAMERA, T.VIDEO_DOORBELL, T.PET_CAMERA}


@st.composite
def any_device(draw: st.DrawFn, room_kinds: list[str] | None = None) -> DeviceFacts:
    audio = draw(st.booleans())
    video = draw(st.booleans()) or not audio
    child = draw(st.sampled_from([None, BABY, TEEN, 999]))
    return DeviceFacts(
        device_id=7,
        device_type=draw(st.sampled_from(list(T))),
        room_kind=draw(st.sampled_from(room_kinds or list(R))),
        records_video=video,
        records_audio=audio,
        has_camera=draw(st.booleans()),
        purpose=draw(st.sampled_from(list(Purpose))),
        status=draw(st.sampled_from([DeviceStatus.PLANNED, DeviceStatus.IN_USE])),
        records_when=draw(st.sampled_from(list(RecordsWhen))),
        monitored_child_id=child,
        monitored_is_member=child is None and draw(st.booleans()),
        monitored_moved_out=draw(st.booleans()),
        monitored_age_months=draw(st.sampled_from([None, 0, 6, 23, 24, 96, 168])),
        monitored_sleeps_here=draw(st.booleans()),
        monitoring_reason=draw(st.sampled_from(["", "A health condition"])),
        csw_agreed=draw(st.booleans()),
        ssw_agreed=draw(st.booleans()),
        child_consent=draw(st.sampled_from(list(ChildConsent))),
        decider_agreed=draw(st.sampled_from([None, True, False])),
        internet_connected=draw(st.booleans()),
        cloud_upload=draw(st.booleans()),
        strong_password=True,
        two_factor=True,
        software_up_to_date=True,
    )


@st.composite
def any_context(draw: st.DrawFn) -> Context:
    settings = Settings(
        smart_speakers_in_bedrooms=draw(st.booleans()),
        security_requires_both=draw(st.booleans()),
        max_inside_retention_hours=draw(st.sampled_from([1, 24, 744])),
        baby_months=draw(st.sampled_from([1, 24, 60])),
    )
    placed = frozenset(draw(st.sets(st.sampled_from([BABY, TEEN]))))
    grants = tuple(
        Grant(f"CX-{n}", frozenset({7}), placed, TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1))
        for n in range(draw(st.integers(0, 2)))
    )
    return Context(
        today=TODAY,
        settings=settings,
        placed_child_ids=placed,
        grants=grants,
        household_approved=draw(st.booleans()),
        latest_arrival=draw(st.sampled_from([None, TODAY])),
    )


def _a_monitor_for_the_child_sleeping_there(facts: DeviceFacts, ctx: Context) -> bool:
    """DV-9, stated again from the rule: a baby monitor, for a sleeping child, who lives here and sleeps in that bedroom."""
    named_here = (
        facts.monitored_child_id is not None and facts.monitored_child_id in ctx.placed_child_ids
    ) or (facts.monitored_child_id is None and facts.monitored_is_member and not facts.monitored_moved_out)
    return (
        facts.device_type == T.BABY_MONITOR
        and facts.purpose == Purpose.SLEEPING_CHILD
        and facts.room_kind in BEDROOMS
        and facts.monitored_sleeps_here
        and named_here
    )


@given(facts=any_device(room_kinds=BEDROOMS), ctx=any_context())
def test_dv3_nothing_lets_a_camera_into_any_bedroom_but_a_monitor_for_the_child_sleeping_there(
    facts: DeviceFacts, ctx: Context
) -> None:
    camera = facts.records_video or facts.has_camera or facts.device_type in CAMERA_KINDS
    result = verdict(facts, ctx)
    if camera and not _a_monitor_for_the_child_sleeping_there(facts, ctx):
        assert result.level == P, result.findings
        assert result.deciding_rule == "DV-3"


@given(facts=any_device(room_kinds=[R.CHILD_BEDROOM]), ctx=any_context())
def test_dv3_nothing_lets_a_microphone_into_a_childs_bedroom_but_a_dv9_monitor_or_an_allowed_speaker(
    facts: DeviceFacts, ctx: Context
) -> None:
    result = verdict(facts, ctx)
    speaker_allowed = (
        facts.device_type == T.SMART_SPEAKER
        and not (facts.records_video or facts.has_camera)
        and ctx.settings.smart_speakers_in_bedrooms
        and facts.purpose not in {Purpose.MONITOR_CHILDREN, Purpose.SLEEPING_CHILD}
    )
    if not (speaker_allowed or _a_monitor_for_the_child_sleeping_there(facts, ctx)):
        assert result.level == P, result.findings


@given(facts=any_device(), ctx=any_context())
def test_dv4_nothing_watching_the_children_is_allowed_but_a_monitor_for_the_child_sleeping_there(
    facts: DeviceFacts, ctx: Context
) -> None:
    result = verdict(facts, ctx)
    if facts.purpose in {Purpose.MONITOR_CHILDREN, Purpose.SLEEPING_CHILD} and not (
        _a_monitor_for_the_child_sleeping_there(facts, ctx)
    ):
        assert result.level == P, result.findings
        assert result.deciding_rule in {"DV-3", "DV-4", "DV-6"}, result.findings


@given(facts=any_device(room_kinds=[R.BATHROOM]), ctx=any_context())
def test_dv3_nothing_is_ever_allowed_in_a_bathroom_or_toilet(facts: DeviceFacts, ctx: Context) -> None:
    result = verdict(facts, ctx)
    assert result.level == P
    assert result.deciding_rule == "DV-3"


@given(facts=any_device(), ctx=any_context())
def test_every_prohibited_or_needs_exception_finding_has_a_carer_message_and_every_finding_a_rule(
    facts: DeviceFacts, ctx: Context
) -> None:
    result = verdict(facts, ctx)
    assert result.findings
    for finding in result.findings:
        assert finding.rule_id.partition("-")[0] in {"DV", "CX"} and finding.message
        if finding.level >= Level.NEEDS_EXCEPTION:
            # Plain words for the carers: no rule ids, a whole sentence.
            assert finding.carer_message.endswith("."), finding
            assert "DV-" not in finding.carer_message and "CX-" not in finding.carer_message, finding
    assert result.deciding.level == result.level


@given(facts=any_device(), ctx=any_context())
def test_dv4_an_applicants_camera_inside_is_never_below_needs_exception(
    facts: DeviceFacts, ctx: Context
) -> None:
    applicant = Context(
        today=ctx.today,
        settings=ctx.settings,
        placed_child_ids=ctx.placed_child_ids,
        grants=ctx.grants,
        household_approved=False,
    )
    if is_inside_camera(facts, applicant):
        assert verdict(facts, applicant).level >= E


def test_a_prohibited_device_is_told_only_why_it_must_go_not_how_to_keep_it() -> None:
    # DV-3: a camera in a bathroom is taken out; a password, visitors told or a shorter
    # retention would not make it allowed, so the verdict does not ask for them.
    facts = device(T.CCTV_CAMERA, R.BATHROOM, internet_connected=True, retention_hours=720)
    result = verdict(facts, context())
    assert result.level == Level.PROHIBITED
    assert {f.level for f in result.findings} == {Level.PROHIBITED}
    assert [f.rule_id for f in result.findings] == ["DV-3"]
    # The same camera in the hallway needs an exception, and what it lacks is listed.
    hallway = verdict(
        device(T.CCTV_CAMERA, R.COMMUNAL, internet_connected=True, retention_hours=720), context()
    )
    assert hallway.level == Level.NEEDS_EXCEPTION
    assert {"DV-7", "DV-12"} <= {f.rule_id for f in hallway.missing}


# What each DV-9 and CX-6 finding says, word for word: staff act on the message, carers read the
# plain-English one, so a change to either is a change to what people are told. -----------------

OLDER = {"monitored_age_months": 120, "monitoring_reason": "Seizures at night"}


def _messages(facts: DeviceFacts, ctx: Context | None = None) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.message, f.carer_message) for f in verdict(facts, ctx or context()).findings]


def test_dv9_a_child_who_does_not_agree_is_told_plainly_the_monitor_goes() -> None:
    facts = device(T.BABY_MONITOR, R.CHILD_BEDROOM, child_consent=ChildConsent.REFUSED, **OLDER)
    assert _messages(facts) == [
        (
            "DV-9",
            "the child does not agree to being monitored",
            "The child does not agree to the monitor, so it cannot be used. Take it out.",
        )
    ]


def test_dv9_the_deciders_refusal_names_the_decider_and_tells_the_carers_to_take_it_out() -> None:
    facts = device(
        T.BABY_MONITOR, R.CHILD_BEDROOM, records_video=True, decider_agreed=False, csw_agreed=True,
        ssw_agreed=True, child_consent=ChildConsent.GIVEN, **OLDER,
    )  # fmt: skip
    assert _messages(facts) == [
        (
            "DV-9",
            "the head of fostering did not agree to a monitor that records video or uploads to the cloud "
            "for an older child",
            "The fostering service did not agree to this monitor, so it cannot be used. Take it out.",
        )
    ]


def test_dv9_each_step_still_missing_for_an_older_child_is_named() -> None:
    facts = device(T.BABY_MONITOR, R.CHILD_BEDROOM, records_video=True, monitored_age_months=120)
    assert _messages(facts) == [
        ("DV-9", "say why an older child is monitored: difficulties with sleep or a health condition", ""),
        ("DV-9", "the child's social worker has not agreed yet", ""),
        ("DV-9", "the supervising social worker has not agreed yet", ""),
        (
            "DV-9",
            "record the child's consent, or that they are not of an age or understanding to give it",
            "",
        ),
        (
            "DV-9",
            "needs a decision: a monitor that records video or uploads to the cloud for a child who is not "
            "a baby is also decided by the head of fostering",
            "Because this monitor films or uploads to the cloud, and the child is not a baby, the head of "
            "fostering must also agree to it.",
        ),
    ]


LAPSED_CARER = (
    "The CCTV exception for this camera no longer covers it. It needs a new decision, or take the camera out."
)


@pytest.mark.parametrize(
    ("grant", "placed", "message"),
    [
        (
            Grant(
                "CX-00001",
                frozenset({7}),
                frozenset({BABY, TEEN}),
                TODAY,
                TODAY,
                reopened_reason="a new child",
            ),
            {BABY, TEEN},
            "the exception CX-00001 was reopened (a new child); it needs a new decision",
        ),
        (
            Grant(
                "CX-00001", frozenset({7}), frozenset({BABY, TEEN}), dt.date(2027, 1, 1), dt.date(2027, 3, 23)
            ),
            {BABY, TEEN},
            "the exception CX-00001 ended on 23 March 2027",
        ),
        (
            Grant(
                "CX-00001", frozenset({7}), frozenset({BABY, TEEN}), dt.date(2027, 3, 25), dt.date(2027, 9, 1)
            ),
            {BABY, TEEN},
            "the exception CX-00001 starts on 25 March 2027",
        ),
        (
            Grant("CX-00001", frozenset({7}), frozenset({BABY}), TODAY, TODAY),
            {BABY, TEEN},
            "a child has been placed who is not named in the exception CX-00001",
        ),
    ],
)
def test_cx6_an_exception_that_no_longer_covers_the_camera_says_why(
    grant: Grant, placed: set[int], message: str
) -> None:
    facts = device(T.CCTV_CAMERA, R.COMMUNAL, retention_hours=24, positioning="On the wall",
                   responsible_person="Carol", storage="Recorder", access="Carol",
                   members_told_on=TODAY, visitors_told_on=TODAY)  # fmt: skip
    found = verdict(facts, context(grants=(grant,), placed_child_ids=frozenset(placed))).findings
    assert ("CX-6", message, LAPSED_CARER) in [(f.rule_id, f.message, f.carer_message) for f in found]


def test_findings_are_listed_in_rule_order_by_number_not_by_text() -> None:
    # DV-3 before DV-12 (numbers, not strings), and each policy's rules together.
    from safecare.devices.verdict import _rule_order

    assert sorted(["DV-12", "DV-3", "CX-6", "DV-9"], key=_rule_order) == ["CX-6", "DV-3", "DV-9", "DV-12"]
    assert _rule_order("DV-12") == ("DV", 12)
    assert _rule_order("SOC-4") == ("SOC", 4)
    assert _rule_order("HH") == ("HH", 0)


# What the verdict says, word for word, where it allows a device, refuses a microphone in a child's
# bedroom or a device outside: staff act on these words and carers read the plain-English ones.

SOUND_ONLY_OTHER = {"records_video": False, "records_audio": True, "purpose": Purpose.HOUSEHOLD_SAFETY}


@pytest.mark.parametrize(
    ("facts", "ctx", "expected"),
    [
        (device(T.BABY_MONITOR, R.CHILD_BEDROOM), None,
         ("DV-9", "a baby monitor for the child who sleeps in this room, declared and used as agreed")),
        (device(T.PET_CAMERA, R.COMMUNAL), None,
         ("DV-8", "a pet camera in a communal area, watching animals only when nobody is home or overnight")),
        (device(T.SMART_SPEAKER, R.OUTSIDE), None,
         ("DV-6", "a smart speaker outside the home, declared on the register")),
        (device(T.CCTV_CAMERA, R.OUTSIDE), None,
         ("DV-5", "outside the home, to protect the property from crime, declared on the register")),
        (device(T.SMART_SPEAKER, R.COMMUNAL), None,
         ("DV-6", "a smart speaker with no camera where the service allows one")),
        (device(T.OTHER, R.COMMUNAL, **SOUND_ONLY_OTHER), None,
         ("DV-1", "a microphone with no camera, not used to watch the children, declared on the register")),
        (device(T.CCTV_CAMERA, R.COMMUNAL, retention_hours=24, storage="Recorder", access="Carol",
                visitors_told_on=TODAY), "grant",
         ("CX-3", "covered by an agreed CCTV exception")),
    ],
)  # fmt: skip
def test_an_allowed_device_says_which_rule_allows_it_and_why(
    facts: DeviceFacts, ctx: str | None, expected: tuple[str, str]
) -> None:
    found = verdict(facts, context(grants=(grant_for(7),)) if ctx else context())
    assert found.level == Level.ALLOWED, found.findings
    assert [(f.rule_id, f.message) for f in found.findings] == [expected]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (device(T.SMART_SPEAKER, R.CHILD_BEDROOM),
         ("DV-6", "this service does not allow smart speakers or any microphone in a child's bedroom",
          "Your fostering service does not allow smart speakers in a child's bedroom.")),
        (device(T.OTHER, R.CHILD_BEDROOM, **SOUND_ONLY_OTHER),
         ("DV-3", "no camera or microphone may be in a child's bedroom; the only exception is a baby monitor "
                  "for the child who sleeps there",
          "You cannot have a camera or microphone in a child's bedroom.")),
        (device(T.CCTV_CAMERA, R.OUTSIDE, purpose=Purpose.HOUSEHOLD_SAFETY),
         ("DV-5", "a camera outside the home is allowed only to protect the property from crime, not for "
                  "the safety of people in the household",
          "A camera outside your home can only be used to protect your property from crime.")),
        (device(T.OTHER, R.OUTSIDE, **SOUND_ONLY_OTHER),
         ("DV-5", "a microphone outside the home is allowed only to protect the property from crime "
                  "(or a smart speaker with no camera, for everyday use)",
          "A microphone outside your home can only be used to protect your property from crime.")),
        (device(T.OTHER, R.OUTSIDE, purpose=Purpose.HOUSEHOLD_SAFETY),
         ("DV-5", "a camera outside the home is allowed only to protect the property from crime, not for "
                  "the safety of people in the household; a device with a camera is a camera whatever its type",
          "A camera outside your home can only be used to protect your property from crime.")),
    ],
)  # fmt: skip
def test_a_prohibited_microphone_or_outside_device_is_told_why_in_words(
    facts: DeviceFacts, expected: tuple[str, str, str]
) -> None:
    found = verdict(facts, context())
    assert found.level == Level.PROHIBITED
    assert [(f.rule_id, f.message, f.carer_message) for f in found.findings] == [expected]


NEEDS_EXCEPTION_CARER = (
    "You need the fostering service to agree an exception before you can have a camera inside your home. "
    "A camera is only ever agreed in a shared room, and never to watch the children."
)
AGREED_BY = " needs an exception agreed by the service (the head of fostering decides); cameras inside should be removed before approval"


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (device(T.CCTV_CAMERA, R.COMMUNAL),
         "CCTV or a security camera inside the home" + AGREED_BY),
        (device(T.PET_CAMERA, R.COMMUNAL, records_when=RecordsWhen.OTHER_TIMES),
         "a pet camera that records at other times than when nobody is home or overnight, or watches something "
         "other than animals, is a camera inside the home (DV-8): it" + AGREED_BY),
        (device(T.BABY_MONITOR, R.COMMUNAL, purpose=Purpose.HOUSEHOLD_SAFETY),
         "a baby monitor that is not for a sleeping child in their own room is a camera inside the home: it"
         + AGREED_BY),
        (device(T.SMART_SPEAKER, R.COMMUNAL, has_camera=True),
         "a smart speaker with a camera is a camera inside the home: it" + AGREED_BY),
    ],
)  # fmt: skip
def test_dv4_a_camera_inside_says_it_needs_an_exception_and_who_decides(
    facts: DeviceFacts, message: str
) -> None:
    found = [f for f in verdict(facts, context()).findings if f.rule_id == "DV-4"]
    assert [(f.level, f.message, f.carer_message) for f in found] == [
        (Level.NEEDS_EXCEPTION, message, NEEDS_EXCEPTION_CARER)
    ]


def test_dv4_an_applicants_camera_inside_is_to_be_taken_out_before_approval() -> None:
    found = [
        f for f in verdict(device(T.CCTV_CAMERA, R.COMMUNAL), context(household_approved=False)).findings
        if f.rule_id == "DV-4"
    ]  # fmt: skip
    assert [(f.level, f.message, f.carer_message) for f in found] == [
        (
            Level.NEEDS_EXCEPTION,
            "CCTV or a security camera inside the home must be removed before approval: an exception is for "
            "approved foster carers only, so none can cover a camera in an applicant's home",
            "Cameras inside your home must be taken out before you can be approved as foster carers.",
        )
    ]


def test_what_is_missing_from_the_register_is_asked_for_in_words() -> None:
    # DV-1, DV-7, DV-11, DV-12: what the SSW asks the carers to record or do.
    facts = device(
        T.CCTV_CAMERA, R.COMMUNAL, positioning="", responsible_person="", retention_hours=48, storage="",
        access="", internet_connected=True, strong_password=False, two_factor=False,
        software_up_to_date=False, members_told_on=None, visitors_told_on=None,
    )  # fmt: skip
    missing = [(f.rule_id, f.message) for f in verdict(facts, context(grants=(grant_for(7),))).missing]
    assert missing == [
        ("DV-1", "record how it is positioned"),
        ("DV-1", "record who is responsible for it"),
        ("DV-1", "record where recordings are stored"),
        ("DV-1", "record who can access the recordings"),
        ("DV-7", "protect it with a strong password"),
        ("DV-7", "turn on two-factor authentication"),
        ("DV-7", "keep its software up to date"),
        ("DV-11", "record the date everyone in the household was told where it is and why"),
        ("DV-11", "record how and when visitors are told there are cameras inside"),
        (
            "DV-12",
            "recordings are kept for 48 hours; recordings from a camera inside the home must be deleted "
            "within 24 hours when they have no use",
        ),
    ]


def test_a_device_with_no_retention_recorded_is_asked_for_it() -> None:
    facts = device(T.SMART_SPEAKER, R.COMMUNAL, retention_hours=None)
    assert ("DV-1", "record how long recordings are kept, or that none are kept") in [
        (f.rule_id, f.message) for f in verdict(facts, context()).missing
    ]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (device(T.CCTV_CAMERA, R.CHILD_BEDROOM, purpose=Purpose.PROPERTY),
         ("DV-3", "no camera or microphone may be in a child's bedroom, whatever kind of device it is; the only "
                  "exception is a baby monitor for the child who sleeps there",
          "You cannot have a camera in a child's bedroom.")),
        (device(T.SMART_SPEAKER, R.OTHER_BEDROOM, has_camera=True),
         ("DV-3", "no camera may be in any bedroom or sleeping area, adults' included, whatever kind of device "
                  "it is; no exception can be agreed for a bedroom; a smart speaker with a camera is a camera; "
                  "the only exception is a baby monitor for the child who sleeps there",
          "You cannot have a camera in any bedroom, including your own.")),
        (device(T.OTHER, R.OTHER_BEDROOM, records_video=True, purpose=Purpose.PROPERTY),
         ("DV-3", "no camera may be in any bedroom or sleeping area, adults' included, whatever kind of device "
                  "it is; no exception can be agreed for a bedroom; a device with a camera is a camera whatever "
                  "its type; the only exception is a baby monitor for the child who sleeps there",
          "You cannot have a camera in any bedroom, including your own.")),
        (device(T.INTERNAL_SECURITY_CAMERA, R.COMMUNAL, purpose=Purpose.MONITOR_CHILDREN),
         ("DV-4", "cameras and microphones must never be used to supervise or watch the children; the only "
                  "exception is a baby monitor for a sleeping child, in the bedroom where that child sleeps (DV-9)",
          "You cannot use a camera or microphone to supervise or watch the children.")),
    ],
)  # fmt: skip
def test_a_camera_in_a_bedroom_or_watching_the_children_is_told_why_in_words(
    facts: DeviceFacts, expected: tuple[str, str, str]
) -> None:
    found = verdict(facts, context())
    assert [(f.rule_id, f.message, f.carer_message) for f in found.findings] == [expected]


# The words of the findings, as staff and carers read them -------------------------------------------

NOT_QUALIFYING = (
    "A baby monitor is only allowed in the bedroom where the child it is for sleeps, to keep them "
    "safe while they sleep. Tell us which child it is for and that they sleep in that room, or take it out."
)
MICROPHONE_IN_A_CHILDS_BEDROOM = (
    "no microphone may be in a child's bedroom; the only exception is a baby "
    "monitor for the child who sleeps there"
)


def _listening_monitor(**overrides: object) -> DeviceFacts:
    """A baby monitor that only listens, in a child's bedroom: a microphone, unless it is the DV-9 monitor."""
    return device(T.BABY_MONITOR, R.CHILD_BEDROOM, records_video=False, **overrides)


@pytest.mark.parametrize(
    ("overrides", "why_not"),
    [
        ({"purpose": Purpose.PROPERTY}, "it is not used to keep a sleeping child safe"),
        ({"monitored_child_id": None}, "it names no child"),
        ({"monitored_child_id": 999}, "the child it names does not live here now"),
        ({"monitored_child_id": None, "monitored_is_member": True, "monitored_moved_out": True},
         "the child it names does not live here now"),
        ({"monitored_sleeps_here": False}, "the register does not say the child it is for sleeps in this room"),
        ({"purpose": Purpose.PROPERTY, "monitored_child_id": None, "monitored_sleeps_here": False},
         "it is not used to keep a sleeping child safe; it names no child; the register does not say the "
         "child it is for sleeps in this room"),
    ],
)  # fmt: skip
def test_dv3_a_baby_monitor_that_is_not_the_dv9_monitor_is_told_each_reason_why_not(
    overrides: dict[str, object], why_not: str
) -> None:
    found = verdict(_listening_monitor(**overrides), context()).findings
    assert [(f.rule_id, f.message, f.carer_message) for f in found] == [
        (
            "DV-3",
            f"{MICROPHONE_IN_A_CHILDS_BEDROOM} (this baby monitor does not qualify: {why_not})",
            NOT_QUALIFYING,
        )
    ]


def test_dv4_a_baby_monitor_in_the_lounge_watches_the_children_and_is_told_it_is_not_in_a_bedroom() -> None:
    found = verdict(device(T.BABY_MONITOR, R.COMMUNAL), context()).findings
    assert [(f.rule_id, f.message, f.carer_message) for f in found] == [
        (
            "DV-4",
            "cameras and microphones must never be used to supervise or watch the children; the only exception "
            "is a baby monitor for a sleeping child, in the bedroom where that child sleeps (DV-9) (this baby "
            "monitor does not qualify: it is not in a bedroom)",
            "You cannot use a camera or microphone to supervise or watch the children. " + NOT_QUALIFYING,
        )
    ]


def test_cx2_an_exception_naming_a_camera_in_a_bathroom_is_told_it_cannot_cover_it() -> None:
    found = verdict(device(T.CCTV_CAMERA, R.BATHROOM), context(grants=(grant_for(7),))).findings
    assert [(f.rule_id, f.message, f.carer_message) for f in found] == [
        ("DV-3", "no camera or microphone may be in a bathroom or toilet",
         "You cannot have a camera or microphone in a bathroom or toilet."),
        ("CX-2", "the exception CX-00001 cannot cover it: cameras inside the home can only be in communal areas, "
                 "never in a bedroom, bathroom or toilet, and never to supervise children",
         "A CCTV exception can never cover a camera in a bedroom, bathroom or toilet, or one used to watch the "
         "children."),
    ]  # fmt: skip


def test_cx2_an_exception_for_another_camera_says_nothing_about_this_one() -> None:
    found = verdict(device(T.CCTV_CAMERA, R.BATHROOM), context(grants=(grant_for(8),))).findings
    assert [f.rule_id for f in found] == ["DV-3"]


def test_cx2_an_exception_naming_a_device_the_service_allows_adds_nothing() -> None:
    # DV-6: where the service allows smart speakers in children's bedrooms, one is allowed; an
    # exception that happens to name it neither covers nor condemns it.
    allowed = Settings(smart_speakers_in_bedrooms=True)
    result = verdict(device(T.SMART_SPEAKER, R.CHILD_BEDROOM), context(allowed, grants=(grant_for(7),)))
    assert (result.level, [f.rule_id for f in result.findings]) == (A, ["DV-6"])


def test_dv4_a_device_of_another_type_filming_a_shared_room_is_named_as_a_security_camera() -> None:
    filming = device(T.OTHER, R.COMMUNAL, records_video=True, purpose=Purpose.PROPERTY)
    found = verdict(filming, context(household_approved=False)).findings
    assert [(f.rule_id, f.message) for f in found] == [
        (
            "DV-4",
            "CCTV or a security camera inside the home must be removed before approval: an exception is for "
            "approved foster carers only, so none can cover a camera in an applicant's home",
        )
    ]


def test_dv5_a_camera_outside_with_no_purpose_recorded_is_refused_for_this() -> None:
    found = verdict(device(T.CCTV_CAMERA, R.OUTSIDE, purpose=""), context()).findings
    assert [(f.rule_id, f.message) for f in found if f.rule_id == "DV-5"] == [
        ("DV-5", "a camera outside the home is allowed only to protect the property from crime, not for this")
    ]


def test_dv7_where_either_protection_will_do_the_carers_are_asked_for_either() -> None:
    either = Settings(security_requires_both=False)
    connected = device(T.CCTV_CAMERA, R.OUTSIDE, internet_connected=True, software_up_to_date=True)
    assert [(f.rule_id, f.message) for f in verdict(connected, context(either)).missing] == [
        ("DV-7", "protect it with a strong password or two-factor authentication")
    ]


def test_dv1_recordings_kept_for_an_hour_need_where_they_are_stored_and_who_sees_them() -> None:
    kept = device(T.CCTV_CAMERA, R.OUTSIDE, retention_hours=1)
    assert [(f.rule_id, f.message) for f in verdict(kept, context()).missing] == [
        ("DV-1", "record where recordings are stored"),
        ("DV-1", "record who can access the recordings"),
    ]


def test_cx6_an_ended_exception_is_named_after_one_for_another_camera() -> None:
    other_camera = Grant("CX-00002", frozenset({8}), frozenset({BABY, TEEN}), TODAY, TODAY)
    ended = Grant(
        "CX-00001", frozenset({7}), frozenset({BABY, TEEN}), dt.date(2026, 3, 24), dt.date(2027, 3, 23)
    )
    found = verdict(device(T.CCTV_CAMERA, R.COMMUNAL), context(grants=(other_camera, ended))).findings
    assert ("CX-6", "the exception CX-00001 ended on 23 March 2027") in [
        (f.rule_id, f.message) for f in found
    ]
