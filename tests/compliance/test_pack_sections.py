"""The sections of an inspection pack against a small world whose answers are known.

The clock stands at 10:00 on Thursday 1 April 2027; the pack covers 1 January to 31 March 2027.
Every expected row below was worked out by hand from the records `small_world` makes:

- duties: Patel (H-own, SSW sam) has two open past their due date (1 and 20 March) and one
  open due today (not overdue); Jones (H-other, no SSW) one open since 10 February; a duty of
  the other service is never listed;
- devices: Patel's CCTV camera in the bathroom is prohibited (DV-3); Jones's security camera
  in the lounge needs an approved exception nobody agreed (DV-4); Patel's lounge camera is
  covered by an agreed exception naming Xavier, and its doorbell watches the front door: both
  allowed, not listed;
- CCTV: Patel's exception CX-… was agreed for 1 January to 30 June 2027: in force, ends
  30 June 2027; Jones's agreed exception ended on 31 March 2027: not in force;
- standards of care: Patel's concern of 10 March routed to standards of care, not visited
  ("Visit due"); Jones's of 25 March with no route yet ("Route to decide"); Patel's of
  20 February with the LADO, no outcome yet ("With the LADO"); closed, so not listed: Patel's of
  5 March with no further action, and of 20 January whose allegation outcome is recorded;
- internet monitoring: Xavier's agreement from 15 February 2027, no review yet: the first is
  due one month after the start, 15 March 2027; Yasmin's from 10 January 2027, reviewed on
  10 February 2027: next within three months, 10 May 2027; an ended one is not listed;
- settings: helen changed the SCFA review interval 12 → 6 and the CCTV decider head of
  fostering → head of service on 15 February 2027, and added a closure day on 1 March 2027;
  frank's change on 15 December 2026 (smart speakers) is before the period: not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from safecare.compliance import pack_sections as sections
from safecare.compliance.figures import Period
from safecare.core.audit import save_as
from safecare.core.models import ClosureDay, FosteringService, Task, TaskStatus
from safecare.devices.models import (
    CctvDecision,
    CctvReport,
    CctvRequest,
    Device,
    DeviceStatus,
    DeviceType,
    Purpose,
    RequestStatus,
    RoomKind,
)
from safecare.monitoring.models import Agreement, AgreementEnd, EndReason, Review, ReviewOutcome, Signatory
from safecare.standards.models import AllegationOutcome, AllegationResult, Concern, RaisedBy, Route
from tests.factories import TaskFactory
from tests.monitoring.test_agreement import decision_for
from tests.standards.conftest import soc_concern

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2027, 4, 1)
PERIOD = Period(dt.date(2027, 1, 1), dt.date(2027, 3, 31))


def built_on_1_december() -> Iterator[Any]:
    """The clock at 10:00 on Tuesday 1 December 2026, when the world is built (so the service's
    own history begins before the period); `small_world` then moves it on to 1 April 2027.
    Ask for `clock` before `world`."""
    with time_machine.travel(_at(dt.date(2026, 12, 1), 10, 0), tick=False) as traveller:
        yield traveller


clock_fixture = pytest.fixture(name="clock")(built_on_1_december)


def _at(day: dt.date, hour: int = 14, minute: int = 30) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _device(world: Any, household: Any, kind: str, room: str, room_kind: str, purpose: str) -> Device:
    return Device.objects.create(
        service=household.service,
        household=household,
        device_type=kind,
        room=room,
        room_kind=room_kind,
        positioning="High in the corner",
        records_video=True,
        purpose=purpose,
        responsible_person="The carers",
        retention_hours=24,
        storage="On the camera's memory card",
        access="The carers only",
        members_told_on=dt.date(2027, 3, 1),
        visitors_told_on=dt.date(2027, 3, 1),
        declared_by=world.sam,
        needs_review=False,
    )


def _exception(
    world: Any, household: Any, devices: list[Device], children: list[Any], start: dt.date, end: dt.date
) -> CctvRequest:
    request = CctvRequest.objects.create(
        service=household.service,
        household=household,
        status=RequestStatus.AGREED,
        reasons="A former partner has threatened the household.",
        period_start=start,
        period_end=end,
        created_by=world.sam,
    )
    request.devices.set(devices)
    report = CctvReport.objects.create(
        request=request,
        service=household.service,
        number=1,
        content={"request": request.reference, "report": 1},
        period_start=start,
        period_end=end,
        submitted_by=world.sam,
    )
    report.children.set(children)
    report.devices.set(devices)
    CctvDecision.objects.create(
        report=report,
        service=household.service,
        agreed=True,
        conditions="Footage deleted after 24 hours.",
        decided_by=world.helen,
        decider_role=world.helen.role,
        decided_at=_at(start),
    )
    return request


def _agreement(world: Any, child: Any, starts_on: dt.date, ends_on: dt.date) -> Agreement:
    return Agreement.objects.create(
        service=child.service,
        child=child,
        decision=decision_for(world, child, decided_on=starts_on - dt.timedelta(days=5)),
        starts_on=starts_on,
        ends_on=ends_on,
        what="Messages on the phone.",
        how="A parental-control app.",
        by_whom="The carer.",
        who_sees="The carer and social worker.",
        action_plan="Online-safety sessions each week.",
        signatory=Signatory.YOUNG_PERSON,
        gillick_assessed_on=starts_on - dt.timedelta(days=2),
        gillick_assessment="Understands and agrees.",
        signed_by_name=child.full_name,
        signed_on=starts_on - dt.timedelta(days=1),
        recorded_by=world.chris,
    )


def small_world(world: Any, clock: Any) -> dict[str, Any]:
    """The records of the module's text, in world.service (North) and one in South, with the
    clock moved on from the day the world was built to 10:00 on 1 April 2027."""
    with time_machine.travel(_at(dt.date(2026, 12, 15)), tick=False):
        service = FosteringService.objects.get(pk=world.service.pk)
        service.smart_speakers_in_bedrooms = True
        save_as(service, world.frank)
    clock.move_to(_at(TODAY, 10, 0))
    for user, last in ((world.sam, "Singh"), (world.helen, "Hughes"), (world.frank, "Fisher")):
        user.last_name = last
        user.save(update_fields=["last_name"])
    own, other = world.household_own, world.household_other
    # The shared world's duties were due on the day it was built: set aside.
    Task.objects.filter(service=world.service).update(
        status=TaskStatus.CANCELLED, completed_at=_at(dt.date(2026, 12, 1))
    )
    # The shared world's own camera and request being signed (tests/devices/world.py) are set aside.
    Device.objects.filter(service=world.service).update(status=DeviceStatus.REMOVED)
    CctvRequest.objects.filter(service=world.service).update(status=RequestStatus.WITHDRAWN)
    # Duties.
    TaskFactory(
        service=world.service, household=own, owner=world.sam, rule_id="SC-3", due_on=dt.date(2027, 3, 1)
    )
    TaskFactory(
        service=world.service, household=own, owner=world.sam, rule_id="DV-2", due_on=dt.date(2027, 3, 20)
    )
    TaskFactory(
        service=world.service,
        household=own,
        owner=world.sam,
        rule_id="SC-3",
        due_on=dt.date(2027, 3, 5),
        status=TaskStatus.DONE,
        completed_at=_at(dt.date(2027, 3, 8)),
    )
    TaskFactory(service=world.service, household=other, rule_id="DV-3", due_on=dt.date(2027, 2, 10))
    TaskFactory(
        service=world.south, household=world.household_south, rule_id="SC-3", due_on=dt.date(2027, 2, 1)
    )
    # Devices and CCTV.
    bathroom = _device(
        world, own, DeviceType.CCTV_CAMERA, "Upstairs bathroom", RoomKind.BATHROOM, Purpose.HOUSEHOLD_SAFETY
    )
    lounge = _device(
        world, own, DeviceType.INTERNAL_SECURITY_CAMERA, "Lounge", RoomKind.COMMUNAL, Purpose.HOUSEHOLD_SAFETY
    )
    doorbell = _device(
        world, own, DeviceType.VIDEO_DOORBELL, "Front door", RoomKind.OUTSIDE, Purpose.PROPERTY
    )
    jones = _device(
        world,
        other,
        DeviceType.INTERNAL_SECURITY_CAMERA,
        "Jones lounge",
        RoomKind.COMMUNAL,
        Purpose.HOUSEHOLD_SAFETY,
    )
    south = _device(
        world,
        world.household_south,
        DeviceType.CCTV_CAMERA,
        "South bathroom",
        RoomKind.BATHROOM,
        Purpose.HOUSEHOLD_SAFETY,
    )
    in_force = _exception(world, own, [lounge], [world.child_own], dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    ended = _exception(world, other, [jones], [world.child_other], dt.date(2026, 10, 1), dt.date(2027, 3, 31))
    # Standards of care.
    visit_due = soc_concern(world, dt.date(2027, 3, 10))
    closed = soc_concern(world, dt.date(2027, 3, 5), route=Route.NO_FURTHER_ACTION)
    with_lado = soc_concern(world, dt.date(2027, 2, 20), route=Route.LADO)
    lado_done = soc_concern(world, dt.date(2027, 1, 20), route=Route.LADO)
    AllegationResult.objects.create(
        service=world.service,
        concern=lado_done,
        outcome=AllegationOutcome.UNSUBSTANTIATED,
        lado="LADO North",
        outcome_on=dt.date(2027, 2, 1),
        recorded_by=world.frank,
    )
    unrouted = Concern.objects.create(
        service=world.service,
        household=other,
        raised_by_kind=RaisedBy.ANONYMOUS,
        received_on=dt.date(2027, 3, 25),
        details="Shouting heard from the garden.",
        recorded_by=world.sam,
    )
    # Internet monitoring.
    xavier = _agreement(world, world.child_own, dt.date(2027, 2, 15), dt.date(2027, 8, 15))
    yasmin = _agreement(world, world.child_other, dt.date(2027, 1, 10), dt.date(2027, 7, 10))
    Review.objects.create(
        service=world.service,
        agreement=yasmin,
        held_on=dt.date(2027, 2, 10),
        young_person_took_part=True,
        others="The carer",
        outcome=ReviewOutcome.CONTINUE,
        notes="Going well.",
        recorded_by=world.chris,
    )
    stopped = _agreement(world, world.child_own, dt.date(2027, 1, 5), dt.date(2027, 6, 5))
    AgreementEnd.objects.create(
        service=world.service, agreement=stopped, ended_on=dt.date(2027, 2, 14), reason=EndReason.REPLACED
    )
    # Settings: the service was set up long before; one change before the period, one in it.
    service = FosteringService.objects.get(pk=world.service.pk)
    with time_machine.travel(_at(dt.date(2027, 2, 15)), tick=False):
        service.scfa_review_months = 6
        service.cctv_decider = "head_of_service"
        save_as(service, world.helen)
    with time_machine.travel(_at(dt.date(2027, 3, 1), 9, 15), tick=False):
        closure = ClosureDay(service=service, date=dt.date(2027, 5, 28), reason="Staff training")
        save_as(closure, world.helen)
    return {
        "bathroom": bathroom,
        "lounge": lounge,
        "doorbell": doorbell,
        "jones": jones,
        "south": south,
        "in_force": in_force,
        "ended": ended,
        "visit_due": visit_due,
        "closed": closed,
        "with_lado": with_lado,
        "lado_done": lado_done,
        "unrouted": unrouted,
        "xavier": xavier,
        "yasmin": yasmin,
        "stopped": stopped,
    }


def test_households_with_overdue_duties_oldest_first_with_their_ssw(clock: Any, world: Any) -> None:
    small_world(world, clock)
    rows = sections.overdue_households(world.service, today=TODAY)
    assert [(r.household.pk, r.ssw, r.overdue, r.oldest_due_on) for r in rows] == [
        (world.household_other.pk, "", 1, dt.date(2027, 2, 10)),
        (world.household_own.pk, "Sam Singh", 2, dt.date(2027, 3, 1)),
    ]


def test_devices_not_allowed_today_follow_the_registers_verdict(clock: Any, world: Any) -> None:
    made = small_world(world, clock)
    rows = sections.devices_not_allowed(world.service, today=TODAY)
    assert [(r.reference, r.verdict) for r in rows] == [
        (made["jones"].reference, "Needs an approved exception"),
        (made["bathroom"].reference, "Prohibited"),
    ]
    assert rows[1].rule_id == "DV-3" and rows[0].rule_id == "DV-4"


def test_cctv_exceptions_in_force_and_the_day_each_ends(clock: Any, world: Any) -> None:
    made = small_world(world, clock)
    rows = sections.cctv_exceptions(world.service, today=TODAY)
    assert [(r.reference, r.starts_on, r.ends_on, r.children) for r in rows] == [
        (made["in_force"].reference, dt.date(2027, 1, 1), dt.date(2027, 6, 30), ["Xavier Smith"]),
    ]
    # On its last day an exception is still in force; the day after, it is not.
    assert sections.cctv_exceptions(world.service, today=dt.date(2027, 3, 31))[-1].ends_on == dt.date(
        2027, 6, 30
    )
    assert len(sections.cctv_exceptions(world.service, today=dt.date(2027, 3, 31))) == 2
    assert sections.cctv_exceptions(world.service, today=dt.date(2027, 7, 1)) == []


def test_open_standards_of_care_processes_and_their_stage(clock: Any, world: Any) -> None:
    made = small_world(world, clock)
    rows = sections.open_concerns(world.service)
    assert [(r.reference, r.received_on, r.stage) for r in rows] == [
        (made["with_lado"].reference, dt.date(2027, 2, 20), "With the LADO"),
        (made["visit_due"].reference, dt.date(2027, 3, 10), "Visit due"),
        (made["unrouted"].reference, dt.date(2027, 3, 25), "Route to decide"),
    ]


def test_internet_monitoring_agreements_in_force_and_their_next_review(clock: Any, world: Any) -> None:
    made = small_world(world, clock)
    rows = sections.monitoring_agreements(world.service, today=TODAY)
    assert [(r.reference, r.child, r.last_review_on, r.next_review_on) for r in rows] == [
        (made["xavier"].reference, "Xavier Smith", None, dt.date(2027, 3, 15)),
        (made["yasmin"].reference, "Yasmin Brown", dt.date(2027, 2, 10), dt.date(2027, 5, 10)),
    ]


def test_changes_of_settings_in_the_period_with_who_and_old_to_new(clock: Any, world: Any) -> None:
    small_world(world, clock)
    changes = sections.settings_changes(world.service, PERIOD)
    assert [(timezone.localtime(c.when), c.who, c.what) for c in changes] == [
        (_at(dt.date(2027, 2, 15)), "Helen Hughes", "Settings changed"),
        (_at(dt.date(2027, 3, 1), 9, 15), "Helen Hughes", "Closure day added"),
    ]
    assert sorted((f.label, f.old, f.new) for f in changes[0].changes) == [
        ("Safe Caring Family Agreement review interval (months)", "12", "6"),
        ("Who decides a CCTV exception", "Head of fostering", "Head of service"),
    ]
    assert [(f.label, f.new) for f in changes[1].changes] == [("28 May 2027", "Staff training")]
    # Frank's change before the period is not listed; a period that includes it lists it.
    earlier = sections.settings_changes(world.service, Period(dt.date(2026, 12, 2), dt.date(2026, 12, 31)))
    assert [(c.who, [(f.label, f.old, f.new) for f in c.changes]) for c in earlier] == [
        ("Frank Fisher", [("Smart speakers allowed in children's bedrooms", "No", "Yes")]),
    ]


def test_each_section_reads_a_fixed_number_of_queries(
    clock: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    small_world(world, clock)
    with django_assert_max_num_queries(3):
        sections.overdue_households(world.service, today=TODAY)
    with django_assert_max_num_queries(3):
        sections.cctv_exceptions(world.service, today=TODAY)
    with django_assert_max_num_queries(1):
        sections.open_concerns(world.service)
    with django_assert_max_num_queries(1):
        sections.monitoring_agreements(world.service, today=TODAY)
    with django_assert_max_num_queries(4):
        sections.settings_changes(world.service, PERIOD)
