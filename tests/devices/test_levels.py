"""Stored verdict levels for the weekly devices check (DV-3 to DV-12, decision 0062).

The check lists the devices whose verdict is not allowed from levels kept in the database.
What these tests hold to: a level is read only while nothing its verdict reads has changed
since it was worked out, on the same day; every such change moves the household's stamp,
whatever wrote it (the ORM, a bulk update, SQL by hand); a change that no verdict reads does
not; and the list is the one the register's own verdicts give.

The shared world (tests/devices/world.py): household_own has a CCTV camera in its lounge
(needs an approved exception, DV-4) and a CCTV request being signed whose report names the
camera and Xavier (child_own, placed there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import FosteringService
from safecare.devices import levels
from safecare.devices.assessment import assess
from safecare.devices.jobs import refresh_levels
from safecare.devices.models import (
    CctvDecision,
    CctvRequest,
    Device,
    DeviceLevel,
    DeviceStatus,
    DeviceType,
    Purpose,
    RequestStatus,
    RoomKind,
    VerdictStamp,
)
from safecare.devices.selectors import DEVICE_SELECT
from safecare.households.access import households_visible_to
from safecare.households.models import (
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    Placement,
    PlacementEndReason,
)
from tests.conftest import sign_in
from tests.factories import ChildFactory, MemberFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _rev(household: Household) -> int:
    return VerdictStamp.objects.filter(household_id=household.pk).values_list("rev", flat=True).first() or 0


def _speaker(world: Any, room: str, room_kind: str) -> Device:
    """A smart speaker (a microphone, no camera) in the own household, declared today."""
    return Device.objects.create(
        service=world.service,
        household=world.household_own,
        device_type=DeviceType.SMART_SPEAKER,
        room=room,
        room_kind=room_kind,
        positioning="On the shelf",
        records_audio=True,
        purpose=Purpose.HOME_USE,
        responsible_person="The carers",
        retention_hours=0,
        storage="None",
        access="The carers",
        members_told_on=timezone.localdate(),
        declared_by=world.carol,
        needs_review=False,
    )


def _listed(client: Any, user: Any) -> dict[int, tuple[str, str]]:
    """The devices check's rows, as {device: (verdict, rule)}, read through the page."""
    response = sign_in(client, user).get(reverse("compliance:check", kwargs={"check": "devices"}))
    assert response.status_code == 200
    return {row["device_id"]: (row["verdict"], row["rule_id"]) for row in response.context["rows"]}


def _run(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _report(world: Any) -> Any:
    return world.cctv_request_own.reports.get()


# Every kind of write a verdict reads, each by a path that sends no signal from Python.
WRITES: dict[str, Callable[[Any], object]] = {
    "a device declared": lambda w: _speaker(w, "Kitchen", RoomKind.COMMUNAL),
    "a device changed, in SQL": lambda w: _run(
        "UPDATE devices_device SET room_kind = %s WHERE id = %s", [RoomKind.BATHROOM, w.device_own.pk]
    ),
    "a device taken off the register": lambda w: Device.objects.filter(pk=w.device_own.pk).update(
        status=DeviceStatus.REMOVED
    ),
    "a child placed": lambda w: PlacementFactory(
        household=w.household_own, child=ChildFactory(service=w.service), service=w.service
    ),
    "a placement ended": lambda w: Placement.objects.filter(pk=w.placement_own.pk).update(
        end_on=timezone.localdate(), end_reason=PlacementEndReason.PLANNED_MOVE
    ),
    "a member moved in": lambda w: MemberFactory(household=w.household_own, moved_in_on=timezone.localdate()),
    "a member moved out": lambda w: HouseholdMember.objects.filter(household=w.household_own).update(
        moved_out_on=timezone.localdate()
    ),
    "a child's date of birth corrected": lambda w: Child.objects.filter(pk=w.child_own.pk).update(
        date_of_birth=dt.date(2025, 6, 1)
    ),
    "a CCTV request agreed": lambda w: CctvRequest.objects.filter(pk=w.cctv_request_own.pk).update(
        status=RequestStatus.AGREED
    ),
    "a CCTV decision made": lambda w: CctvDecision.objects.create(
        report=_report(w),
        service=w.service,
        agreed=True,
        decided_by=w.helen,
        decider_role="head_of_fostering",
    ),
    "a device no longer covered by a report": lambda w: _report(w).devices.remove(w.device_own),
    "a child covered by a report": lambda w: _report(w).children.add(w.child_other),
    "the household's approval ended": lambda w: Household.objects.filter(pk=w.household_own.pk).update(
        status=HouseholdStatus.IN_ASSESSMENT
    ),
    "the service's smart speaker setting changed": lambda w: FosteringService.objects.filter(
        pk=w.service.pk
    ).update(smart_speakers_in_bedrooms=not w.service.smart_speakers_in_bedrooms),
    "the service's retention limit changed": lambda w: FosteringService.objects.filter(
        pk=w.service.pk
    ).update(max_inside_cctv_retention_hours=12),
}

# Writes no verdict reads.
UNREAD_WRITES: dict[str, Callable[[Any], object]] = {
    "the household renamed": lambda w: Household.objects.filter(pk=w.household_own.pk).update(name="Renamed"),
    "a child's first name corrected": lambda w: Child.objects.filter(pk=w.child_own.pk).update(
        first_name="Xavi"
    ),
    "the service renamed": lambda w: FosteringService.objects.filter(pk=w.service.pk).update(name="Renamed"),
}


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_write_a_verdict_reads_moves_the_households_stamp(world: Any, write: str) -> None:
    before = _rev(world.household_own)
    other = _rev(world.household_other)
    WRITES[write](world)
    assert _rev(world.household_own) > before
    if write not in ("the service's smart speaker setting changed", "the service's retention limit changed"):
        assert _rev(world.household_other) == other  # only the household written to


@pytest.mark.parametrize("write", list(UNREAD_WRITES), ids=list(UNREAD_WRITES))
def test_a_write_no_verdict_reads_leaves_the_stamp(world: Any, write: str) -> None:
    before = _rev(world.household_own)
    UNREAD_WRITES[write](world)
    assert _rev(world.household_own) == before


def test_a_service_setting_moves_the_stamp_of_every_household_of_the_service_and_no_other(world: Any) -> None:
    before = {h.pk: _rev(h) for h in (world.household_own, world.household_other, world.household_south)}
    FosteringService.objects.filter(pk=world.service.pk).update(cctv_decider="head_of_service")
    assert _rev(world.household_own) > before[world.household_own.pk]
    assert _rev(world.household_other) > before[world.household_other.pk]
    assert _rev(world.household_south) == before[world.household_south.pk]


def test_a_microphone_moved_into_the_bathroom_in_sql_is_listed_at_once(world: Any, client: Any) -> None:
    """DV-3: no camera or microphone in a bathroom. The speaker was allowed in the kitchen and its
    level stored; moved by SQL that no Python sees, it is listed as prohibited on the next read."""
    speaker = _speaker(world, "Kitchen", RoomKind.COMMUNAL)
    assert speaker.pk not in _listed(client, world.frank)
    assert DeviceLevel.objects.get(device=speaker).level == 0
    _run("UPDATE devices_device SET room_kind = %s WHERE id = %s", [RoomKind.BATHROOM, speaker.pk])
    assert _listed(client, world.frank)[speaker.pk] == ("prohibited", "DV-3")


def test_the_service_allowing_smart_speakers_in_bedrooms_changes_the_list(world: Any, client: Any) -> None:
    """DV-6: a smart speaker in a child's bedroom only where the service allows one."""
    FosteringService.objects.filter(pk=world.service.pk).update(smart_speakers_in_bedrooms=False)
    speaker = _speaker(world, "Xavier's bedroom", RoomKind.CHILD_BEDROOM)
    assert _listed(client, world.frank)[speaker.pk][0] == "prohibited"
    FosteringService.objects.filter(pk=world.service.pk).update(smart_speakers_in_bedrooms=True)
    assert speaker.pk not in _listed(client, world.frank)


def test_a_level_of_yesterday_is_not_read_today(world: Any, client: Any) -> None:
    """Ages, placements and exceptions turn with the date: a new day works every level out again."""
    _listed(client, world.frank)
    households = Household.objects.filter(service=world.service).values("pk")
    today = timezone.localdate()
    assert levels.stale_count(households, today) == 0  # all current
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        assert levels.stale_count(households, today + dt.timedelta(days=1)) > 0
        levels.refresh(households, today + dt.timedelta(days=1))
        assert levels.stale_count(households, today + dt.timedelta(days=1)) == 0
        assert set(DeviceLevel.objects.values_list("on", flat=True)) == {today + dt.timedelta(days=1)}


def test_a_level_older_than_its_stamp_is_worked_out_again_not_read(world: Any, client: Any) -> None:
    """A level stored at an older stamp (a change committed while it was worked out) is never
    read as current: here the stored level says allowed, the stamp has moved since."""
    speaker = _speaker(world, "Bathroom", RoomKind.BATHROOM)
    assert _listed(client, world.frank)[speaker.pk] == ("prohibited", "DV-3")
    DeviceLevel.objects.filter(device=speaker).update(level=0, rule_id="", reason="")
    VerdictStamp.objects.filter(household_id=world.household_own.pk).update(rev=10_000)
    assert _listed(client, world.frank)[speaker.pk] == ("prohibited", "DV-3")
    assert DeviceLevel.objects.get(device=speaker).rev == 10_000


def test_the_list_is_the_registers_own_verdicts(world: Any, client: Any) -> None:
    """Every device of the service not allowed by the register's own verdict is listed, with the
    same level and rule, most severe first; none allowed is listed."""
    for room, kind in (("Bathroom", RoomKind.BATHROOM), ("Kitchen", RoomKind.COMMUNAL)):
        _speaker(world, room, kind)
    devices = list(
        Device.objects.filter(service=world.service)
        .exclude(status=DeviceStatus.REMOVED)
        .select_related(*DEVICE_SELECT, "household__service")
    )
    found = assess(devices, today=timezone.localdate())
    expected = {
        d.pk: (found[d.pk].verdict.key, found[d.pk].verdict.deciding_rule)
        for d in devices
        if found[d.pk].verdict.level > 0
    }
    listed = _listed(client, world.helen)
    assert listed == expected
    assert len(expected) >= 3  # the two lounge cameras and the bathroom speaker
    severity = {"action_needed": 1, "needs_exception": 2, "prohibited": 3}
    order = [severity[verdict] for verdict, _ in listed.values()]
    assert order == sorted(order, reverse=True)


def _count(client: Any, user: Any) -> int:
    """How many rows the devices check says it has (its paginator's count)."""
    response = sign_in(client, user).get(reverse("compliance:check", kwargs={"check": "devices"}))
    return int(response.context["page_obj"].paginator.count)


@pytest.mark.parametrize("username", ["helen", "fiona"])
def test_the_count_is_the_devices_listed_when_worked_out_and_when_read(
    world: Any, client: Any, username: str
) -> None:
    """The count comes from the pass that works levels out, then from the pass that finds them
    current: both are the number of devices whose level is not allowed, never the allowed ones.
    A service-wide reader (Helen) and a team manager (Fiona) are counted by different filters."""
    user = world.users[username]
    _speaker(world, "Bathroom", RoomKind.BATHROOM)
    _speaker(world, "Kitchen", RoomKind.COMMUNAL)  # allowed: not counted
    world.cctv_request_own.save()  # the own household's levels are stale
    worked_out = _count(client, user)
    read = _count(client, user)
    listed = _listed(client, user)
    assert worked_out == read == len(listed) > 0
    on_register = Device.objects.filter(household__in=households_visible_to(user))
    assert read < on_register.exclude(status=DeviceStatus.REMOVED).count()  # some are allowed


def test_the_daily_job_works_out_every_services_levels(world: Any) -> None:
    today = timezone.localdate()
    refresh_levels(today)
    for service in (world.service, world.south):
        assert levels.stale_count(service, today) == 0
        assert levels.stale_count(Household.objects.filter(service=service).values("pk"), today) == 0
    assert DeviceLevel.objects.filter(device=world.device_south, on=today).exists()


def test_installing_the_triggers_again_changes_nothing(world: Any) -> None:
    levels.install(connection)
    levels.install(connection)
    before = _rev(world.household_own)
    Device.objects.filter(pk=world.device_own.pk).update(room="Hall")
    assert _rev(world.household_own) == before + 2  # one trigger, OLD and NEW: not two triggers


def test_a_household_with_no_stamp_yet_is_read_as_stamp_nought(world: Any, client: Any) -> None:
    """Records written before the triggers existed (an upgraded database) have no stamp: their
    levels are worked out at stamp 0 and listed like any other."""
    speaker = _speaker(world, "Bathroom", RoomKind.BATHROOM)
    VerdictStamp.objects.all().delete()
    assert _listed(client, world.frank)[speaker.pk] == ("prohibited", "DV-3")
    assert DeviceLevel.objects.get(device=speaker).rev == 0
    # Current now: a second read works nothing out again.
    households = Household.objects.filter(service=world.service).values("pk")
    assert levels.stale_count(households, timezone.localdate()) == 0
    assert _listed(client, world.frank)[speaker.pk] == ("prohibited", "DV-3")
