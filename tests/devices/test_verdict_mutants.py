"""The verdict's facts and settings, read whole, and the kinds a CCTV exception covers.

tests/devices/test_verdict.py states the verdict rule by rule. These tests state what
the verdict reads: every fact of a registered device (DeviceFacts.of) and every setting
of the service (Settings.of), each with a value no default would give, so a fact read
wrongly or not at all shows; the age in whole months that makes a child a baby (DV-9);
and the kinds of camera a CCTV exception request can name (DV-4, CX-1). No database:
the models are built in memory.
"""

from __future__ import annotations

import datetime as dt

import pytest

from safecare.core.models import CctvDecider, ConnectedDeviceSecurity, FosteringService
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
    SURVEILLANCE_TYPES,
    Context,
    DeviceFacts,
    Level,
    Settings,
    months_old,
    verdict,
)
from safecare.households.models import Child, HouseholdMember

TODAY = dt.date(2027, 3, 24)


# --- DeviceFacts.of: every fact of the register ---------------------------------------------


def test_the_facts_of_a_registered_device_are_every_field_the_register_holds() -> None:
    child = Child(pk=31, first_name="Ada", last_name="Lovelace", date_of_birth=dt.date(2024, 1, 10))
    registered = Device(
        pk=7,
        device_type=DeviceType.BABY_MONITOR,
        room="Ada's bedroom",
        room_kind=RoomKind.CHILD_BEDROOM,
        records_video=True,
        records_audio=True,
        has_camera=True,
        purpose=Purpose.SLEEPING_CHILD,
        status=DeviceStatus.PLANNED,
        positioning="On the shelf, facing the cot",
        responsible_person="Carol Patel",
        retention_hours=12,
        storage="The maker's cloud",
        access="The carers",
        internet_connected=True,
        cloud_upload=True,
        strong_password=True,
        two_factor=True,
        software_up_to_date=True,
        members_told_on=dt.date(2027, 1, 4),
        visitors_told_on=dt.date(2027, 1, 5),
        records_when=RecordsWhen.OVERNIGHT,
        monitored_child=child,
        monitored_sleeps_here=True,
        monitoring_reason="Seizures at night",
        csw_agreed_on=dt.date(2027, 2, 1),
        ssw_agreed_on=dt.date(2027, 2, 2),
        child_consent=ChildConsent.NOT_ABLE,
        decider_agreed=True,
    )
    assert DeviceFacts.of(registered, today=TODAY) == DeviceFacts(
        device_id=7,
        device_type=DeviceType.BABY_MONITOR,
        room_kind=RoomKind.CHILD_BEDROOM,
        records_video=True,
        records_audio=True,
        has_camera=True,
        purpose=Purpose.SLEEPING_CHILD,
        status=DeviceStatus.PLANNED,
        positioning="On the shelf, facing the cot",
        responsible_person="Carol Patel",
        retention_hours=12,
        storage="The maker's cloud",
        access="The carers",
        internet_connected=True,
        cloud_upload=True,
        strong_password=True,
        two_factor=True,
        software_up_to_date=True,
        members_told_on=dt.date(2027, 1, 4),
        visitors_told_on=dt.date(2027, 1, 5),
        records_when=RecordsWhen.OVERNIGHT,
        monitored_child_id=31,
        monitored_is_member=False,
        monitored_moved_out=False,
        monitored_age_months=38,  # 10 January 2024 to 24 March 2027
        monitored_sleeps_here=True,
        monitoring_reason="Seizures at night",
        csw_agreed=True,
        ssw_agreed=True,
        child_consent=ChildConsent.NOT_ABLE,
        decider_agreed=True,
    )


def test_the_facts_of_a_device_with_nothing_recorded_yet() -> None:
    registered = Device(
        device_type=DeviceType.SMART_SPEAKER,
        room="Kitchen",
        room_kind=RoomKind.COMMUNAL,
        records_audio=True,
        purpose=Purpose.HOME_USE,
    )
    facts = DeviceFacts.of(registered, today=TODAY)
    assert facts.device_id is None
    assert (facts.records_video, facts.has_camera) == (False, False)
    assert (facts.positioning, facts.responsible_person, facts.storage, facts.access) == ("", "", "", "")
    assert (facts.retention_hours, facts.members_told_on, facts.visitors_told_on) == (None, None, None)
    assert (facts.monitored_child_id, facts.monitored_age_months) == (None, None)
    assert not facts.monitored_is_member and not facts.monitored_moved_out
    assert (facts.csw_agreed, facts.ssw_agreed, facts.decider_agreed) == (False, False, None)


@pytest.mark.parametrize(
    ("moved_out_on", "moved_out"),
    [
        (None, False),
        (TODAY + dt.timedelta(days=1), False),
        (TODAY, True),
        (TODAY - dt.timedelta(days=9), True),
    ],
)
def test_a_monitor_for_a_child_of_the_household_knows_whether_that_child_has_moved_out(
    moved_out_on: dt.date | None, moved_out: bool
) -> None:
    # A member who moves out today no longer lives here today.
    member = HouseholdMember(
        pk=5, first_name="Sam", last_name="Lee", date_of_birth=dt.date(2026, 6, 1), moved_out_on=moved_out_on
    )
    registered = Device(
        device_type=DeviceType.BABY_MONITOR,
        room="Carers' bedroom",
        room_kind=RoomKind.OTHER_BEDROOM,
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        monitored_member=member,
    )
    facts = DeviceFacts.of(registered, today=TODAY)
    assert facts.monitored_is_member
    assert facts.monitored_child_id is None
    assert facts.monitored_moved_out is moved_out
    assert facts.monitored_age_months == 9  # 1 June 2026 to 24 March 2027


# --- Settings.of: every setting of the service ----------------------------------------------


def test_the_verdict_follows_every_setting_of_the_service() -> None:
    service = FosteringService(
        name="A service",
        slug="a-service",
        smart_speakers_in_bedrooms=True,
        connected_device_security=ConnectedDeviceSecurity.PASSWORD_OR_2FA,
        max_inside_cctv_retention_hours=48,
        baby_age_months=18,
        cctv_decider=CctvDecider.HEAD_OF_SERVICE,
    )
    assert Settings.of(service) == Settings(
        smart_speakers_in_bedrooms=True,
        security_requires_both=False,
        max_inside_retention_hours=48,
        baby_months=18,
        decider="the head of service",
    )


def test_the_services_default_settings_are_the_verdicts_defaults() -> None:
    assert Settings.of(FosteringService(name="A service", slug="a-service")) == Settings(
        smart_speakers_in_bedrooms=False,
        security_requires_both=True,
        max_inside_retention_hours=24,
        baby_months=24,
        decider="the head of fostering",
    )


# --- DV-9: a baby's age in whole months ------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (dt.date(2026, 5, 1), dt.date(2026, 3, 1), 0),  # not born yet: never a negative age
        (dt.date(2025, 12, 20), dt.date(2026, 1, 5), 0),
        (dt.date(2025, 12, 20), dt.date(2026, 1, 20), 1),
        (dt.date(2024, 11, 15), dt.date(2026, 11, 14), 23),
        (dt.date(2024, 11, 15), dt.date(2026, 11, 15), 24),
        (dt.date(2020, 7, 9), dt.date(2027, 3, 24), 80),
    ],
)
def test_dv9_a_childs_age_in_whole_months(born: dt.date, on: dt.date, months: int) -> None:
    assert months_old(born, on) == months


@pytest.mark.parametrize(
    ("age", "level"), [(0, Level.ALLOWED), (23, Level.ALLOWED), (24, Level.ACTION_NEEDED)]
)
def test_dv9_a_sound_monitor_is_for_a_baby_under_two_then_needs_agreement(age: int, level: Level) -> None:
    monitor = DeviceFacts(
        device_type=DeviceType.BABY_MONITOR,
        room_kind=RoomKind.CHILD_BEDROOM,
        records_video=False,
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        monitored_child_id=31,
        monitored_age_months=age,
        monitored_sleeps_here=True,
    )
    assert verdict(monitor, Context(today=TODAY, placed_child_ids=frozenset({31}))).level == level


# --- DV-4, CX-1: the cameras a CCTV exception request can name -------------------------------


def test_a_cctv_exception_can_name_cctv_internal_security_cameras_doorbells_and_other_cameras() -> None:
    # Pet cameras, baby monitors and smart speakers are allowed in a communal area under their own
    # rules (DV-6, DV-8, DV-9) and need no exception.
    assert set(SURVEILLANCE_TYPES) == {
        DeviceType.CCTV_CAMERA,
        DeviceType.INTERNAL_SECURITY_CAMERA,
        DeviceType.VIDEO_DOORBELL,
        DeviceType.OTHER,
    }
