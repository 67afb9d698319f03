"""The verdict engine, table-driven (SPEC §4.2 DV-3 to DV-9, DV-11, DV-12; §4.3 CX-2, CX-6).

The verdict is a pure function, so these tests need no database: every device
type in every room kind under every combination of the service's settings is
checked against a table written from the policies, then each rule that adds to
the table (security, retention, baby monitors, exceptions) has its own table.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safecare.devices.models import ChildConsent, DeviceStatus, DeviceType, Purpose, RoomKind
from safecare.devices.verdict import Context, DeviceFacts, Grant, Level, Settings, verdict

TODAY = dt.date(2027, 3, 24)
A, X, E, P = Level.ALLOWED, Level.ACTION_NEEDED, Level.NEEDS_EXCEPTION, Level.PROHIBITED
T = DeviceType
R = RoomKind

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
BABY = 101  # a baby placed in the home, monitored by the baby monitors below

# (type, room kind) -> (level, rule) when the service does NOT allow speakers in children's bedrooms.
TABLE: dict[tuple[str, str], tuple[Level, str]] = {
    (T.BABY_MONITOR, R.CHILD_BEDROOM): (A, "DV-9"),
    (T.BABY_MONITOR, R.OTHER_BEDROOM): (A, "DV-9"),
    (T.BABY_MONITOR, R.BATHROOM): (P, "DV-3"),
    (T.BABY_MONITOR, R.COMMUNAL): (A, "DV-9"),
    (T.BABY_MONITOR, R.OUTSIDE): (A, "DV-9"),
    (T.CCTV_CAMERA, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.CCTV_CAMERA, R.OTHER_BEDROOM): (P, "CX-2"),
    (T.CCTV_CAMERA, R.BATHROOM): (P, "DV-3"),
    (T.CCTV_CAMERA, R.COMMUNAL): (E, "DV-4"),
    (T.CCTV_CAMERA, R.OUTSIDE): (A, "DV-5"),
    (T.VIDEO_DOORBELL, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.VIDEO_DOORBELL, R.OTHER_BEDROOM): (P, "CX-2"),
    (T.VIDEO_DOORBELL, R.BATHROOM): (P, "DV-3"),
    (T.VIDEO_DOORBELL, R.COMMUNAL): (E, "DV-4"),
    (T.VIDEO_DOORBELL, R.OUTSIDE): (A, "DV-5"),
    (T.INTERNAL_SECURITY_CAMERA, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.INTERNAL_SECURITY_CAMERA, R.OTHER_BEDROOM): (P, "CX-2"),
    (T.INTERNAL_SECURITY_CAMERA, R.BATHROOM): (P, "DV-3"),
    (T.INTERNAL_SECURITY_CAMERA, R.COMMUNAL): (E, "DV-4"),
    (T.INTERNAL_SECURITY_CAMERA, R.OUTSIDE): (A, "DV-5"),
    (T.SMART_SPEAKER, R.CHILD_BEDROOM): (P, "DV-6"),
    (T.SMART_SPEAKER, R.OTHER_BEDROOM): (A, "DV-6"),
    (T.SMART_SPEAKER, R.BATHROOM): (P, "DV-3"),
    (T.SMART_SPEAKER, R.COMMUNAL): (A, "DV-6"),
    (T.SMART_SPEAKER, R.OUTSIDE): (A, "DV-6"),
    (T.PET_CAMERA, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.PET_CAMERA, R.OTHER_BEDROOM): (P, "DV-8"),
    (T.PET_CAMERA, R.BATHROOM): (P, "DV-3"),
    (T.PET_CAMERA, R.COMMUNAL): (A, "DV-8"),
    (T.PET_CAMERA, R.OUTSIDE): (A, "DV-5"),
    (T.OTHER, R.CHILD_BEDROOM): (P, "DV-3"),
    (T.OTHER, R.OTHER_BEDROOM): (P, "CX-2"),
    (T.OTHER, R.BATHROOM): (P, "DV-3"),
    (T.OTHER, R.COMMUNAL): (E, "DV-4"),
    (T.OTHER, R.OUTSIDE): (A, "DV-5"),
}
# DV-6: where the service allows smart speakers in children's bedrooms, that one cell changes.
SPEAKERS_ALLOWED = {(T.SMART_SPEAKER, R.CHILD_BEDROOM): (A, "DV-6")}

SETTINGS = [
    Settings(
        smart_speakers_in_bedrooms=speakers, security_requires_both=both, max_inside_retention_hours=hours
    )
    for speakers, both, hours in itertools.product([False, True], [True, False], [24, 72])
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
        fields.update(monitored_child_id=BABY, monitored_age_months=6)
    fields.update(overrides)
    return DeviceFacts(**fields)  # type: ignore[arg-type]


def context(settings: Settings | None = None, **overrides: object) -> Context:
    fields: dict[str, object] = {"today": TODAY, "placed_child_ids": frozenset({BABY})}
    if settings is not None:
        fields["settings"] = settings
    fields.update(overrides)
    return Context(**fields)  # type: ignore[arg-type]


def test_the_table_covers_every_type_and_room_kind() -> None:
    assert set(TABLE) == set(itertools.product(T, R))


CASES = [
    pytest.param(t, r, s, id=f"{t}-{r}-speakers{int(s.smart_speakers_in_bedrooms)}"
                 f"-both{int(s.security_requires_both)}-{s.max_inside_retention_hours}h")
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
    assert expected_rule in [f.rule_id for f in result.reasons], result.findings


# DV-3: nothing overrides "prohibited" ----------------------------------------------------------------


@given(
    device_type=st.sampled_from(list(T)),
    video=st.booleans(),
    audio=st.booleans(),
    purpose=st.sampled_from(list(Purpose)),
    settings=st.sampled_from(SETTINGS),
    status=st.sampled_from([DeviceStatus.PLANNED, DeviceStatus.IN_USE]),
    consent=st.sampled_from(list(ChildConsent)),
)
def test_dv3_no_exception_or_setting_permits_anything_in_a_bathroom_or_toilet(
    device_type: str,
    video: bool,
    audio: bool,
    purpose: str,
    settings: Settings,
    status: str,
    consent: str,
) -> None:
    grant = Grant("CX-00001", frozenset({7}), frozenset({BABY}), TODAY, TODAY)
    facts = device(
        device_type,
        R.BATHROOM,
        records_video=video or not audio,
        records_audio=audio,
        purpose=purpose,
        status=status,
        csw_agreed=True,
        ssw_agreed=True,
        child_consent=consent,
        monitoring_reason="A health condition",
    )
    result = verdict(facts, context(settings, grants=(grant,)))
    assert result.level == Level.PROHIBITED
    assert "DV-3" in result.rule_ids


@pytest.mark.parametrize("device_type", sorted(set(T) - {T.BABY_MONITOR, T.SMART_SPEAKER}))
@pytest.mark.parametrize("room_kind", [R.CHILD_BEDROOM, R.OTHER_BEDROOM])
def test_cx2_an_exception_naming_a_camera_in_a_bedroom_does_not_permit_it(
    device_type: str, room_kind: str
) -> None:
    grant = Grant("CX-00001", frozenset({7}), frozenset({BABY}), TODAY, TODAY)
    assert verdict(device(device_type, room_kind), context(grants=(grant,))).level == Level.PROHIBITED


@pytest.mark.parametrize("device_type", sorted(set(T) - {T.BABY_MONITOR}))
@pytest.mark.parametrize("room_kind", list(R))
def test_dv4_no_device_may_be_used_to_supervise_children(device_type: str, room_kind: str) -> None:
    result = verdict(device(device_type, room_kind, purpose=Purpose.MONITOR_CHILDREN), context())
    assert result.level == Level.PROHIBITED
    assert set(result.rule_ids) & {"DV-3", "DV-4"}


def test_dv6_a_speaker_with_a_camera_stays_out_of_a_childs_bedroom_even_where_speakers_are_allowed() -> None:
    speaker = device(T.SMART_SPEAKER, R.CHILD_BEDROOM, records_video=True)
    result = verdict(speaker, context(Settings(smart_speakers_in_bedrooms=True)))
    assert result.level == Level.PROHIBITED and "DV-3" in result.rule_ids


# CX-3, CX-6: an approved exception, for its period and its children -----------------------------------

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


# DV-1, DV-11, DV-12: what must be recorded ------------------------------------------------------------


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


def test_dv11_a_planned_device_needs_nobody_told_yet() -> None:
    planned = device(T.CCTV_CAMERA, R.OUTSIDE, members_told_on=None, status=DeviceStatus.PLANNED)
    assert verdict(planned, context()).level == Level.ALLOWED


def test_dv11_visitors_are_told_of_cameras_inside() -> None:
    grant = Grant("CX-1", frozenset({7}), frozenset({BABY}), TODAY, TODAY)
    result = verdict(device(T.CCTV_CAMERA, R.COMMUNAL, visitors_told_on=None), context(grants=(grant,)))
    assert result.level == Level.ACTION_NEEDED
    assert any(f.rule_id == "DV-11" and "visitors" in f.message for f in result.missing)


@pytest.mark.parametrize(
    ("hours", "limit", "expected"),
    [(0, 24, A), (24, 24, A), (25, 24, X), (72, 24, X), (72, 72, A), (73, 72, X)],
)
def test_dv12_inside_cctv_footage_is_kept_no_longer_than_the_service_allows(
    hours: int, limit: int, expected: Level
) -> None:
    grant = Grant("CX-1", frozenset({7}), frozenset({BABY}), TODAY, TODAY)
    facts = device(
        T.CCTV_CAMERA, R.COMMUNAL, retention_hours=hours, storage="A recorder", access="The carers"
    )
    result = verdict(facts, context(Settings(max_inside_retention_hours=limit), grants=(grant,)))
    assert result.level == expected
    assert ("DV-12" in result.rule_ids) == (expected == X)


def test_dv12_the_inside_limit_does_not_apply_outside() -> None:
    facts = device(T.CCTV_CAMERA, R.OUTSIDE, retention_hours=720, storage="Cloud", access="The carers")
    assert verdict(facts, context()).level == Level.ALLOWED


# DV-9: baby monitors --------------------------------------------------------------------------------


def monitor(**overrides: object) -> DeviceFacts:
    return device(T.BABY_MONITOR, R.CHILD_BEDROOM, **overrides)


@pytest.mark.parametrize(
    ("overrides", "expected", "missing"),
    [
        ({"monitored_age_months": 0}, A, 0),
        ({"monitored_age_months": 23}, A, 0),
        # An older child: a reason, both workers' agreement and the child's consent.
        ({"monitored_age_months": 24}, X, 4),
        ({"monitored_age_months": 96, "monitoring_reason": "Epilepsy at night"}, X, 3),
        (
            {
                "monitored_age_months": 96,
                "monitoring_reason": "Epilepsy at night",
                "csw_agreed": True,
                "ssw_agreed": True,
                "child_consent": ChildConsent.GIVEN,
            },
            A,
            0,
        ),
        (
            {
                "monitored_age_months": 30,
                "monitoring_reason": "Sleep apnoea",
                "csw_agreed": True,
                "ssw_agreed": True,
                "child_consent": ChildConsent.NOT_ABLE,
            },
            A,
            0,
        ),
        # The carers' own child: no child's social worker to agree.
        (
            {
                "monitored_child_id": None,
                "monitored_is_member": True,
                "monitored_age_months": 60,
                "monitoring_reason": "Night terrors",
                "ssw_agreed": True,
                "child_consent": ChildConsent.GIVEN,
            },
            A,
            0,
        ),
        # Nobody named, or a child no longer placed here.
        ({"monitored_child_id": None, "monitored_age_months": None}, X, 1),
        ({"monitored_child_id": 999}, X, 1),
    ],
)
def test_dv9_a_baby_monitor_in_a_bedroom(overrides: dict[str, object], expected: Level, missing: int) -> None:
    result = verdict(monitor(**overrides), context())
    assert result.level == expected, result.findings
    assert len([f for f in result.missing if f.rule_id == "DV-9"]) == missing


def test_dv9_a_child_who_does_not_agree_is_not_monitored() -> None:
    facts = monitor(
        monitored_age_months=120,
        monitoring_reason="Seizures",
        csw_agreed=True,
        ssw_agreed=True,
        child_consent=ChildConsent.REFUSED,
    )
    result = verdict(facts, context())
    assert result.level == Level.PROHIBITED and "DV-9" in result.rule_ids


def test_the_verdict_names_its_reasons_and_the_missing_items_separately() -> None:
    result = verdict(device(T.CCTV_CAMERA, R.COMMUNAL, responsible_person=""), context())
    assert result.level == Level.NEEDS_EXCEPTION
    assert [f.rule_id for f in result.reasons] == ["DV-4"]
    assert [f.rule_id for f in result.missing] == ["DV-1"]
    assert result.rule_ids == ["DV-1", "DV-4"]
    assert result.label == "Needs an approved exception" and result.key == "needs_exception"
