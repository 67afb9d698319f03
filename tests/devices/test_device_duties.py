"""Duties that follow the register and the household's facts (DV-2, DV-3, DV-4, DV-11, CX-6).

Through the services, as the pages and the API write, and through the case events
other apps publish (households.services, core.services_settings). The world's own
household (Patel): carer Carol, SSW Sam, Xavier placed (CSW Chris), a CCTV camera
in the lounge that needs an approved exception (tests/devices/world.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecare.core.models import Notification, Task, TaskStatus
from safecare.core.services_settings import service_settings_update
from safecare.devices import services_cctv, services_register
from safecare.devices.models import (
    CctvDecision,
    CctvReport,
    CctvRequest,
    ChildConsent,
    Device,
    DeviceStatus,
    DeviceType,
    Purpose,
    RequestStatus,
    RoomKind,
)
from safecare.devices.selectors import (
    CCTV_EXPIRY,
    CCTV_REOPENED,
    DEVICE_ARRIVAL_TOLD,
    DEVICE_CHECK,
    DEVICE_REMOVAL,
    device_verdict,
)
from safecare.devices.verdict import Level
from safecare.households.models import Household, HouseholdStatus
from safecare.households.services import household_change_status, member_add, placement_create, placement_end
from tests.devices.helpers import SECTIONS, agreed, hallway_camera
from tests.factories import AllocationFactory, ChildFactory, HouseholdFactory

pytestmark = pytest.mark.django_db

SPEAKER = {
    "device_type": DeviceType.SMART_SPEAKER,
    "room": "Xavier's bedroom",
    "room_kind": RoomKind.CHILD_BEDROOM,
    "positioning": "On the desk",
    "records_audio": True,
    "purpose": Purpose.HOME_USE,
    "internet_connected": True,
    "responsible_person": "Carol Patel",
    "retention_hours": 0,
}
BATHROOM_CAMERA = {
    "device_type": DeviceType.CCTV_CAMERA,
    "room": "Bathroom",
    "room_kind": RoomKind.BATHROOM,
    "positioning": "Over the door",
    "records_video": True,
    "purpose": Purpose.PROPERTY,
    "responsible_person": "Carol Patel",
    "retention_hours": 0,
}


def _open(kind: str, **filters: object):  # type: ignore[no-untyped-def]
    return Task.objects.filter(kind=kind, status=TaskStatus.OPEN, **filters)


def _today() -> dt.date:
    return timezone.localdate()


# DV-3, DV-4: a prohibited device is taken out --------------------------------------------------------


def test_dv3_a_prohibited_device_opens_a_task_to_take_it_out_and_the_alert_points_to_it(world) -> None:
    device = services_register.device_declare(
        actor=world.carol, household=world.household_own, **BATHROOM_CAMERA
    )
    task = _open(DEVICE_REMOVAL, household=world.household_own).get()
    assert (task.rule_id, task.owner, task.due_on) == (
        "DV-3",
        world.sam,
        world.service.calendar().add_working_days(_today(), 0),
    )
    assert task.due_basis.startswith(
        "the same working day as a camera or microphone the policy does not allow"
    )
    assert (
        "'A camera or microphone the policy does not allow taken out within (working days)'" in task.due_basis
    )
    alert = Notification.objects.get(
        recipient=world.sam, kind="device_prohibited", reference=device.reference
    )
    assert (alert.rule_id, alert.task) == ("DV-3", task)


def test_dv6_the_task_and_the_alert_name_the_rule_that_decided_the_verdict(world) -> None:
    # A smart speaker in a child's bedroom, where the service does not allow one: DV-6, not DV-3.
    device = services_register.device_declare(actor=world.carol, household=world.household_own, **SPEAKER)
    assert device_verdict(device).reasons[0].rule_id == "DV-6"
    assert _open(DEVICE_REMOVAL, household=world.household_own).get().rule_id == "DV-6"
    alert = Notification.objects.get(kind="device_prohibited", reference=device.reference)
    assert alert.rule_id == "DV-6"


def test_dv4_a_planned_device_to_watch_the_children_is_to_be_taken_out_too(world) -> None:
    services_register.device_declare(
        actor=world.sam,
        household=world.household_own,
        **{
            **BATHROOM_CAMERA,
            "status": DeviceStatus.PLANNED,
            "room": "Kitchen",
            "room_kind": RoomKind.COMMUNAL,
            "purpose": Purpose.MONITOR_CHILDREN,
        },
    )
    assert _open(DEVICE_REMOVAL, household=world.household_own).get().rule_id == "DV-4"


def test_dv3_the_task_outlives_the_review_and_closes_only_when_every_prohibited_device_is_gone(world) -> None:
    bathroom = services_register.device_declare(
        actor=world.carol, household=world.household_own, **BATHROOM_CAMERA
    )
    speaker = services_register.device_declare(actor=world.carol, household=world.household_own, **SPEAKER)
    services_register.device_review(actor=world.sam, device=bathroom, notes="Seen; it has to go.")
    services_register.device_review(actor=world.sam, device=speaker)
    assert _open(DEVICE_REMOVAL, household=world.household_own).count() == 1
    # A change that leaves it prohibited keeps the task.
    services_register.device_update(
        actor=world.sam, device=bathroom, version=None, positioning="Over the bath"
    )
    assert _open(DEVICE_REMOVAL, household=world.household_own).exists()
    services_register.device_remove(actor=world.carol, device=bathroom, removed_on=_today())
    assert _open(DEVICE_REMOVAL, household=world.household_own).exists()  # the speaker is still there
    # A change after which the policy allows it: the speaker moves to the living room.
    services_register.device_update(
        actor=world.carol,
        device=speaker,
        version=None,
        room="Living room",
        room_kind=RoomKind.COMMUNAL,
    )
    task = Task.objects.get(kind=DEVICE_REMOVAL, household=world.household_own)
    assert task.status == TaskStatus.DONE and task.completed_by == world.carol


def test_dv6_a_change_of_the_services_setting_that_allows_the_device_cancels_the_task_with_the_reason(
    world,
) -> None:
    services_register.device_declare(actor=world.carol, household=world.household_own, **SPEAKER)
    service_settings_update(
        actor=world.ada, service=world.service, values={"smart_speakers_in_bedrooms": True}
    )
    task = Task.objects.get(kind=DEVICE_REMOVAL, household=world.household_own)
    assert task.status == TaskStatus.CANCELLED
    assert task.closed_note == "The service changed its settings, and no device is prohibited any more."
    # And back: the speaker is prohibited again, and the task with it.
    service_settings_update(
        actor=world.ada, service=world.service, values={"smart_speakers_in_bedrooms": False}
    )
    assert _open(DEVICE_REMOVAL, household=world.household_own).get().rule_id == "DV-6"


def test_dv9_a_child_who_does_not_agree_to_the_monitor_makes_it_a_device_to_take_out(world) -> None:
    monitor = services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        device_type=DeviceType.BABY_MONITOR,
        room="Xavier's bedroom",
        room_kind=RoomKind.CHILD_BEDROOM,
        positioning="On the shelf",
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        monitored_child=world.child_own,
        monitored_sleeps_here=True,
        monitoring_reason="Seizures at night",
        responsible_person="Carol Patel",
        retention_hours=0,
        members_told_on=_today(),
    )
    assert not _open(DEVICE_REMOVAL, household=world.household_own).exists()
    services_register.device_agree_monitoring(actor=world.sam, device=monitor, consent=ChildConsent.REFUSED)
    assert _open(DEVICE_REMOVAL, household=world.household_own).get().rule_id == "DV-9"


# DV-11: a new arrival is told about the devices ---------------------------------------------------


def _told_before(world, days: int = 10) -> None:  # type: ignore[no-untyped-def]
    Device.objects.filter(household=world.household_own).update(
        members_told_on=_today() - dt.timedelta(days=days)
    )


def _place(world, *, start_on: dt.date, household=None):  # type: ignore[no-untyped-def]
    child = ChildFactory(service=world.service, first_name="Nia", last_name="Green")
    AllocationFactory(worker=world.chris, kind="childs", child=child)
    return placement_create(
        actor=world.harry, child=child, household=household or world.household_own, start_on=start_on
    )


def test_dv11_a_child_placed_after_the_household_was_told_opens_the_duty_until_everyone_is_told_again(
    world,
) -> None:
    _told_before(world)
    _place(world, start_on=_today())
    task = _open(DEVICE_ARRIVAL_TOLD, household=world.household_own).get()
    assert (task.rule_id, task.owner, task.title) == (
        "DV-11",
        world.sam,
        "Tell the new arrival about the cameras and microphones in the home",
    )
    # Its literal due date is in test_device_deadlines.py (a frozen clock, a closure day, Scotland).
    assert task.due_basis.startswith("the same working day as a child was placed on ")
    # A change that does not record the telling leaves it open.
    services_register.device_update(
        actor=world.sam, device=world.device_own, version=None, storage="A hard drive"
    )
    assert _open(DEVICE_ARRIVAL_TOLD, household=world.household_own).exists()
    services_register.device_update(
        actor=world.sam, device=world.device_own, version=None, members_told_on=_today()
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_dv11_every_device_in_use_must_record_the_telling(world) -> None:
    second = services_register.device_declare(
        actor=world.sam,
        household=world.household_own,
        device_type=DeviceType.VIDEO_DOORBELL,
        room="Front door",
        room_kind=RoomKind.OUTSIDE,
        positioning="Facing the path",
        records_video=True,
        purpose=Purpose.PROPERTY,
        responsible_person="Carol Patel",
        retention_hours=0,
        members_told_on=_today() - dt.timedelta(days=10),
    )
    _told_before(world)
    _place(world, start_on=_today())
    services_register.device_update(
        actor=world.sam, device=world.device_own, version=None, members_told_on=_today()
    )
    assert _open(DEVICE_ARRIVAL_TOLD, household=world.household_own).exists()
    services_register.device_update(actor=world.sam, device=second, version=None, members_told_on=_today())
    assert not _open(DEVICE_ARRIVAL_TOLD, household=world.household_own).exists()


def test_dv11_someone_moving_in_opens_the_duty(world) -> None:
    _told_before(world)
    member_add(
        actor=world.sam,
        household=world.household_own,
        kind="other_adult",
        first_name="Ravi",
        last_name="Patel",
        date_of_birth=dt.date(1990, 5, 1),
        moved_in_on=_today() - dt.timedelta(days=2),
    )
    task = _open(DEVICE_ARRIVAL_TOLD, household=world.household_own).get()
    assert task.due_basis.startswith("the same working day as someone moved in on ")


def test_dv11_no_duty_without_a_device_in_use_or_when_everyone_was_told_since(world) -> None:
    household = HouseholdFactory(service=world.service, team=world.fostering_team)
    services_register.device_declare(
        actor=world.frank,
        household=household,
        **{**BATHROOM_CAMERA, "status": DeviceStatus.PLANNED, "room_kind": RoomKind.OUTSIDE, "room": "Drive"},
    )
    _place(world, start_on=_today(), household=household)
    assert not _open(DEVICE_ARRIVAL_TOLD, household=household).exists()
    # The Patels were told today, the day the child arrives: nothing more to do.
    _place(world, start_on=_today())
    assert not _open(DEVICE_ARRIVAL_TOLD, household=world.household_own).exists()


def test_dv11_a_child_arriving_later_cannot_have_been_told_yet(world) -> None:
    _told_before(world)
    start = _today() + dt.timedelta(days=14)
    _place(world, start_on=start)
    services_register.device_update(
        actor=world.sam, device=world.device_own, version=None, members_told_on=_today()
    )
    task = _open(DEVICE_ARRIVAL_TOLD, household=world.household_own).get()
    assert (
        task.due_on >= start
    )  # due from the arrival, not from today; literal dates: test_device_deadlines.py


def test_dv11_the_duty_lapses_when_the_child_leaves_before_being_told(world) -> None:
    _told_before(world)
    placement = _place(world, start_on=_today() - dt.timedelta(days=3))
    placement_end(actor=world.harry, placement=placement, end_on=_today(), end_reason="planned_move")
    task = Task.objects.get(kind=DEVICE_ARRIVAL_TOLD, household=world.household_own)
    assert task.status == TaskStatus.CANCELLED and task.closed_note.startswith(
        "DV-11: The child's placement ended"
    )


# DV-2: the periodic check follows the service's setting -------------------------------------------


def test_dv2_switching_back_to_every_supervision_cancels_the_periodic_checks_with_the_reason(world) -> None:
    service_settings_update(
        actor=world.ada, service=world.service, values={"device_check_every_supervision": False}
    )
    assert _open(DEVICE_CHECK, household=world.household_own).exists()
    assert _open(DEVICE_CHECK, household=world.household_other).exists()
    service_settings_update(
        actor=world.ada, service=world.service, values={"device_check_every_supervision": True}
    )
    tasks = Task.objects.filter(kind=DEVICE_CHECK, service=world.service)
    assert set(tasks.values_list("status", flat=True)) == {TaskStatus.CANCELLED}
    assert all("at every supervision" in note for note in tasks.values_list("closed_note", flat=True))


def test_dv2_opening_the_checks_costs_a_fixed_number_of_queries_per_household(world) -> None:
    def switch() -> int:
        Task.objects.filter(kind=DEVICE_CHECK).delete()
        with CaptureQueriesContext(connection) as queries:
            service_settings_update(
                actor=world.ada, service=world.service, values={"device_check_every_supervision": False}
            )
        service_settings_update(
            actor=world.ada, service=world.service, values={"device_check_every_supervision": True}
        )
        world.service.refresh_from_db()
        return len(queries)

    counts = []
    for _ in range(3):
        counts.append(switch())
        HouseholdFactory(service=world.service, team=world.fostering_team, status=HouseholdStatus.APPROVED)
    assert counts[2] - counts[1] == counts[1] - counts[0] <= 8


# DV-4: an exception is for approved foster carers only ----------------------------------------------


def test_dv4_no_request_can_be_made_or_submitted_for_a_household_not_yet_approved(world) -> None:
    household = world.household_applicant
    with pytest.raises(ValidationError) as refused:
        services_cctv.request_create(actor=world.asha, household=household, **SECTIONS)
    (message,) = refused.value.message_dict["household"]
    assert message.startswith(
        "Household: DV-4 an exception for CCTV inside the home is for approved foster carers"
    )
    assert "in assessment" in message
    # A draft made before the rule (straight into the database) cannot be submitted either.
    request = CctvRequest.objects.create(service=world.service, household=household, created_by=world.asha)
    with pytest.raises(ValidationError) as refused:
        services_cctv.request_submit(actor=world.asha, request=request)
    assert "DV-4" in refused.value.message_dict["household"][0]


def _applicant_with_an_agreed_exception(world, *, status: str = DeviceStatus.IN_USE) -> Device:  # type: ignore[no-untyped-def]
    """An applicant's lounge camera covered by an exception agreed during the assessment (before the rule)."""
    household = world.household_applicant
    camera = Device.objects.create(
        service=world.service,
        household=household,
        device_type=DeviceType.CCTV_CAMERA,
        status=status,
        room="Lounge",
        room_kind=RoomKind.COMMUNAL,
        positioning="Facing the front door",
        records_video=True,
        purpose=Purpose.HOUSEHOLD_SAFETY,
        responsible_person="Ada Okafor",
        retention_hours=24,
        storage="A memory card",
        access="Ada Okafor",
        members_told_on=_today(),
        visitors_told_on=_today(),
        declared_by=world.asha,
        needs_review=False,
    )
    request = CctvRequest.objects.create(
        service=world.service,
        household=household,
        status=RequestStatus.AGREED,
        period_start=_today() - dt.timedelta(days=1),
        period_end=_today() + dt.timedelta(days=90),
        created_by=world.asha,
        **SECTIONS,
    )
    report = CctvReport.objects.create(
        request=request,
        service=world.service,
        number=1,
        content={},
        period_start=request.period_start,
        period_end=request.period_end,
        submitted_by=world.asha,
    )
    report.devices.set([camera])
    CctvDecision.objects.create(
        report=report,
        service=world.service,
        agreed=True,
        decided_by=world.helen,
        decider_role="head_of_fostering",
    )
    return camera


def test_dv4_an_applicant_with_a_camera_inside_is_refused_approval_even_with_an_agreed_exception(
    world,
) -> None:
    camera = _applicant_with_an_agreed_exception(world)
    # The verdict: an exception is for approved carers only, so none covers it.
    verdict = device_verdict(camera)
    assert verdict.level == Level.NEEDS_EXCEPTION and verdict.reasons[0].rule_id == "DV-4"
    with pytest.raises(ValidationError) as refused:
        household_change_status(
            actor=world.helen, household=world.household_applicant, to_status=HouseholdStatus.APPROVED
        )
    problems = refused.value.message_dict["to_status"]
    assert any(p.startswith("DV-4: CCTV camera in Lounge:") and "before approval" in p for p in problems)
    assert any(p.startswith("DV-4: CCTV request CX-") for p in problems)
    assert Household.objects.get(pk=world.household_applicant.pk).status == HouseholdStatus.IN_ASSESSMENT


def test_dv4_an_exception_agreed_during_the_assessment_is_not_carried_through_approval(world) -> None:
    # The camera is only planned: nothing inside today, but the exception would cover it once approved.
    _applicant_with_an_agreed_exception(world, status=DeviceStatus.PLANNED)
    with pytest.raises(ValidationError) as refused:
        household_change_status(
            actor=world.helen, household=world.household_applicant, to_status=HouseholdStatus.APPROVED
        )
    problems = refused.value.message_dict["to_status"]
    assert any(p.startswith("DV-4: CCTV request CX-") and "withdraw it" in p for p in problems), problems


# CX-6: the exception follows the children placed ----------------------------------------------------


def test_cx6_the_exception_holds_again_when_the_child_who_reopened_it_leaves(world) -> None:
    camera = hallway_camera(world)
    request = agreed(world, camera)
    newcomer = _place(world, start_on=_today() - dt.timedelta(days=1))
    request.refresh_from_db()
    assert request.status == RequestStatus.REOPENED
    assert not _open(CCTV_EXPIRY, household=world.household_own).exists()

    placement_end(actor=world.harry, placement=newcomer, end_on=_today(), end_reason="planned_move")
    request.refresh_from_db()
    assert request.status == RequestStatus.AGREED and request.reopened_reason == ""
    reopened = Task.objects.get(kind=CCTV_REOPENED, household=world.household_own)
    assert reopened.status == TaskStatus.CANCELLED
    assert reopened.closed_note.startswith("CX-6: the child not named in the agreed report left on ")
    assert _open(CCTV_EXPIRY, household=world.household_own).exists()
    assert device_verdict(Device.objects.get(pk=camera.pk)).level < Level.NEEDS_EXCEPTION
    assert Notification.objects.filter(recipient=world.helen, kind="cctv_restored").exists()


def test_cx6_it_stays_reopened_while_a_child_not_named_is_still_placed(world) -> None:
    Household.objects.filter(pk=world.household_own.pk).update(max_children=3)
    request = agreed(world, hallway_camera(world))
    first = _place(world, start_on=_today() - dt.timedelta(days=2))
    _place(world, start_on=_today() - dt.timedelta(days=1))
    placement_end(actor=world.harry, placement=first, end_on=_today(), end_reason="planned_move")
    request.refresh_from_db()
    assert request.status == RequestStatus.REOPENED
    assert _open(CCTV_REOPENED, household=world.household_own).exists()


def test_cx6_a_request_reopened_for_another_reason_still_needs_its_new_decision(world) -> None:
    request = agreed(world, hallway_camera(world))
    newcomer = _place(world, start_on=_today() - dt.timedelta(days=1))
    CctvRequest.objects.filter(pk=request.pk).update(reopened_reason="the cameras are moving")
    placement_end(actor=world.harry, placement=newcomer, end_on=_today(), end_reason="planned_move")
    request.refresh_from_db()
    assert request.status == RequestStatus.REOPENED
