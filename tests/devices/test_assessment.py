"""What the verdict reads from the database for many households at once (DV-4, DV-11).

DV-11: the date everyone was told must be on or after the latest arrival of
someone living in the home today (a child placed, or a member moving in).
DV-4: an exception is for approved carers only, so the household's approval is
part of the verdict's context. Both are computed for many households in a
fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecare.devices.assessment import assess, contexts, latest_arrivals, placements_of
from safecare.devices.models import Device, DeviceType, Purpose, RoomKind
from safecare.devices.verdict import Level
from safecare.households.models import HouseholdStatus, MemberKind
from tests.factories import ChildFactory, HouseholdFactory, MemberFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _arrival(world, today: dt.date) -> dt.date | None:  # type: ignore[no-untyped-def]
    pk = world.household_own.pk
    return latest_arrivals([pk], placements_of([pk], today), today).get(pk)


def test_dv11_the_latest_arrival_is_the_latest_child_placed_or_member_moved_in_living_here_today(
    world,
) -> None:
    today = timezone.localdate()
    placed = today - dt.timedelta(days=60)  # Xavier's placement in the world
    assert _arrival(world, today) == placed
    # A member who moved in later counts; one who has moved out again, or moves in tomorrow, does not.
    MemberFactory(
        household=world.household_own, kind=MemberKind.OTHER_ADULT, moved_in_on=today - dt.timedelta(days=10)
    )
    MemberFactory(
        household=world.household_own,
        kind=MemberKind.OTHER_ADULT,
        moved_in_on=today - dt.timedelta(days=5),
        moved_out_on=today - dt.timedelta(days=1),
    )
    MemberFactory(
        household=world.household_own, kind=MemberKind.OTHER_ADULT, moved_in_on=today + dt.timedelta(days=1)
    )
    assert _arrival(world, today) == today - dt.timedelta(days=10)
    # A child placed today arrives today; a placement starting tomorrow has not arrived.
    PlacementFactory(
        child=ChildFactory(service=world.service),
        household=world.household_own,
        start_on=today + dt.timedelta(days=1),
    )
    assert _arrival(world, today) == today - dt.timedelta(days=10)
    PlacementFactory(child=ChildFactory(service=world.service), household=world.household_own, start_on=today)
    assert _arrival(world, today) == today


def test_dv11_a_household_with_nobody_arrived_on_record_has_no_latest_arrival(world) -> None:
    empty = HouseholdFactory(service=world.service)
    MemberFactory(household=empty)  # no moving-in date: has always lived here
    today = timezone.localdate()
    assert latest_arrivals([empty.pk], placements_of([empty.pk], today), today) == {}


def _camera(household, told: dt.date, room_kind: str = RoomKind.OUTSIDE, author=None) -> Device:  # type: ignore[no-untyped-def]
    return Device.objects.create(
        service=household.service,
        household=household,
        device_type=DeviceType.CCTV_CAMERA,
        room="Drive" if room_kind == RoomKind.OUTSIDE else "Lounge",
        room_kind=room_kind,
        positioning="Facing the drive",
        records_video=True,
        purpose=Purpose.PROPERTY,
        responsible_person="The carers",
        retention_hours=0,
        members_told_on=told,
        visitors_told_on=told,
        declared_by=author,
        needs_review=False,
    )


def test_dv11_a_child_placed_after_everyone_was_told_makes_it_due_again(world) -> None:
    today = timezone.localdate()
    camera = _camera(world.household_own, told=today - dt.timedelta(days=30), author=world.sam)
    camera = Device.objects.select_related("household__service").get(pk=camera.pk)
    assert assess([camera], today=today)[camera.pk].verdict.level == Level.ALLOWED
    PlacementFactory(
        child=ChildFactory(service=world.service),
        household=world.household_own,
        start_on=today - dt.timedelta(days=2),
    )
    verdict = assess([camera], today=today)[camera.pk].verdict
    assert verdict.level == Level.ACTION_NEEDED
    assert [f.rule_id for f in verdict.missing] == ["DV-11"]
    assert "arrived to live here" in verdict.missing[0].message


@pytest.mark.parametrize(
    ("status", "approved"),
    [
        (HouseholdStatus.APPLICANT, False),
        (HouseholdStatus.IN_ASSESSMENT, False),
        (HouseholdStatus.APPROVED, True),
        (HouseholdStatus.ON_HOLD, True),
    ],
)
def test_dv4_the_context_says_whether_the_household_is_approved(world, status: str, approved: bool) -> None:
    household = HouseholdFactory(service=world.service, status=status)
    today = timezone.localdate()
    found = contexts({household.pk: household}, placements_of([household.pk], today), today)
    assert found[household.pk].household_approved is approved


def test_dv4_an_applicants_camera_inside_needs_removing_before_approval(world) -> None:
    camera = _camera(
        world.household_applicant, told=timezone.localdate(), room_kind=RoomKind.COMMUNAL, author=world.asha
    )
    camera = Device.objects.select_related("household__service").get(pk=camera.pk)
    verdict = assess([camera], today=timezone.localdate())[camera.pk].verdict
    assert verdict.level == Level.NEEDS_EXCEPTION and verdict.deciding_rule == "DV-4"
    assert "removed before approval" in verdict.deciding.message


def _count(devices: list[Device]) -> int:
    today = timezone.localdate()
    loaded = list(
        Device.objects.filter(pk__in=[d.pk for d in devices]).select_related(
            "household__service", "monitored_child", "monitored_member"
        )
    )
    with CaptureQueriesContext(connection) as captured:
        assess(loaded, today=today)
    return len(captured.captured_queries)


def test_the_verdicts_of_many_households_cost_the_same_queries_as_one(world) -> None:
    today = timezone.localdate()
    one = [_camera(world.household_own, told=today, author=world.sam)]
    few = _count(one)
    many = list(one)
    for n in range(4):
        household = HouseholdFactory(
            service=world.service, status=HouseholdStatus.APPROVED if n % 2 else "applicant"
        )
        PlacementFactory(child=ChildFactory(service=world.service), household=household, start_on=today)
        MemberFactory(household=household, moved_in_on=today - dt.timedelta(days=n))
        many += [_camera(household, told=today, author=world.sam) for _ in range(3)]
    assert _count(many) == few
