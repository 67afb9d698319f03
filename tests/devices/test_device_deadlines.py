"""Due dates of the device and CCTV duties, with literal dates and where each comes from (rules: How dates are counted, Service settings, Everywhere).

Every deadline here is one the policies leave open, so each comes from a service
setting and the task says so (Task.due_basis). The service is in Scotland
(holiday_nation "SCT") and closed for training on Tuesday 3 August 2027, so the
dates below are right only if both the Scottish bank holidays and the closure day
are counted: the Scottish summer bank holiday is Monday 2 August 2027 (in England
it is 30 August).

From Wednesday 28 July 2027, in Scotland with the closure day:
  3 working days -> Wednesday 4 August (England with the closure: 2 August; Scotland without it: 3 August)
  4 working days -> Thursday 5 August (England with the closure: 4 August; Scotland without it: 4 August)
  5 working days -> Friday 6 August   (England with the closure: 5 August; Scotland without it: 5 August)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from safecare.core.models import ClosureDay, Task, TaskStatus
from safecare.core.services_settings import service_settings_update
from safecare.devices import services_cctv, services_register
from safecare.devices.models import DeviceCheck, DeviceType, Purpose, RoomKind
from safecare.devices.selectors import (
    CCTV_CONSENT,
    CCTV_DECISION,
    CCTV_EXPIRY,
    CCTV_REOPENED,
    CCTV_SIGN,
    CHILD_AGREEMENT_DEVICES,
    DEVICE_ARRIVAL_TOLD,
    DEVICE_CHECK,
    DEVICE_REMOVAL,
    DEVICE_REVIEW,
    SCFA_DEVICES,
)
from safecare.households.models import Household
from safecare.households.services import placement_create
from tests.devices.clock import frozen
from tests.devices.helpers import agreed, draft, hallway_camera
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

REVIEW = "New or changed camera or microphone reviewed within (working days)"
AGREEMENTS = "Agreements updated to describe every camera and microphone within (working days)"
REMOVAL = "A camera or microphone the policy does not allow taken out within (working days)"
ARRIVALS = (
    "Someone who moves in, or a child placed, told about the cameras and microphones within (working days)"
)
STEP = "Each step of a CCTV exception request (signing, answering, deciding) within (working days)"
EXPIRY = "Ask for a new CCTV decision this many months before an exception ends"
CHECK = "Device check interval (months), when not at every supervision"


def setting(rule_id: str, name: str) -> str:
    return f"({rule_id}: the policy sets no deadline; this is the service's setting '{name}')"


@pytest.fixture
def on_28_july_2027() -> Iterator[None]:
    with frozen(dt.date(2027, 7, 28)):
        yield


@pytest.fixture
def scotland(on_28_july_2027, world):  # type: ignore[no-untyped-def]
    """The world on Wednesday 28 July 2027, its service in Scotland and closed on Tuesday 3 August."""
    return _scottish(world)


def _scottish(world):  # type: ignore[no-untyped-def]
    world.service.holiday_nation = "SCT"
    world.service.save(update_fields=["holiday_nation"])
    ClosureDay.objects.create(service=world.service, date=dt.date(2027, 8, 3), reason="Staff training")
    return world


def _task(kind: str, **filters: object) -> Task:
    return Task.objects.get(kind=kind, status=TaskStatus.OPEN, **filters)


def _due(task: Task) -> tuple[dt.date, str, str]:
    return task.due_on, task.rule_id, task.due_basis


DOORBELL = {
    "device_type": DeviceType.VIDEO_DOORBELL,
    "room": "Front door",
    "room_kind": RoomKind.OUTSIDE,
    "positioning": "Beside the front door, facing the path",
    "records_video": True,
    "purpose": Purpose.PROPERTY,
    "responsible_person": "Carol Patel",
    "retention_hours": 0,
}


def test_dv2_the_review_of_a_carers_declaration_is_due_on_fri_6_aug_2027(scotland) -> None:
    world = scotland
    services_register.device_declare(actor=world.carol, household=world.household_own, **DOORBELL)
    assert _due(_task(DEVICE_REVIEW, household=world.household_own)) == (
        dt.date(2027, 8, 6),
        "DV-2",
        "5 working days after the service was told about a camera or microphone on Wednesday 28 July 2027 "
        + setting("DV-2", REVIEW),
    )


def test_dv10_the_agreement_update_is_due_on_thu_5_aug_2027_at_the_services_4_working_days(scotland) -> None:
    world = scotland
    world.service.device_agreement_update_working_days = 4
    world.service.save(update_fields=["device_agreement_update_working_days"])
    services_register.device_declare(actor=world.sam, household=world.household_own, **DOORBELL)
    # The Safe Caring Family Agreement in force lists no device yet.
    assert _due(_task(SCFA_DEVICES, household=world.household_own)) == (
        dt.date(2027, 8, 5),
        "DV-10",
        "4 working days after the service was told about a camera or microphone on Wednesday 28 July 2027 "
        + setting("DV-10", AGREEMENTS),
    )


@pytest.fixture
def on_2_aug_2027() -> Iterator[None]:
    with frozen(dt.date(2027, 8, 2)):
        yield


@pytest.fixture
def scottish_bank_holiday(on_2_aug_2027, world):  # type: ignore[no-untyped-def]
    return _scottish(world)


def test_dv3_a_prohibited_device_recorded_on_the_scottish_bank_holiday_goes_by_wed_4_aug_2027(
    scottish_bank_holiday,
) -> None:
    world = scottish_bank_holiday
    services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        **{
            **DOORBELL,
            "device_type": DeviceType.CCTV_CAMERA,
            "room": "Bathroom",
            "room_kind": RoomKind.BATHROOM,
        },
    )
    # The same working day: Monday 2 August is a bank holiday in Scotland, Tuesday 3 the closure day.
    assert _due(_task(DEVICE_REMOVAL, household=world.household_own)) == (
        dt.date(2027, 8, 4),
        "DV-3",
        "the same working day as a camera or microphone the policy does not allow was recorded on "
        "Monday 2 August 2027 " + setting("DV-3", REMOVAL),
    )


def test_dv11_a_child_placed_on_the_scottish_bank_holiday_is_told_by_wed_4_aug_2027(scotland) -> None:
    world = scotland
    child = ChildFactory(service=world.service, first_name="Nia", last_name="Green")
    placement_create(
        actor=world.harry, child=child, household=world.household_own, start_on=dt.date(2027, 8, 2)
    )
    assert _due(_task(DEVICE_ARRIVAL_TOLD, household=world.household_own)) == (
        dt.date(2027, 8, 4),
        "DV-11",
        "the same working day as a child was placed on Monday 2 August 2027 " + setting("DV-11", ARRIVALS),
    )


# The CCTV exception request: every step the policy gives no deadline --------------------------------


def test_cx_each_step_is_due_at_the_services_working_days_with_its_basis(scotland) -> None:
    world = scotland
    world.service.cctv_step_working_days = 3
    world.service.device_agreement_update_working_days = 2
    world.service.save(update_fields=["cctv_step_working_days", "device_agreement_update_working_days"])
    request = draft(world, hallway_camera(world), period_end=dt.date(2028, 1, 31))
    step = setting("CX-3", STEP)
    services_cctv.request_submit(actor=world.sam, request=request)
    assert _due(_task(CCTV_CONSENT, child=world.child_own)) == (
        dt.date(2027, 8, 4),
        "CX-4",
        "3 working days after the CCTV report was sent for signing on Wednesday 28 July 2027 "
        + setting("CX-4", STEP),
    )
    # CX-3: one signing step at a time: the carers (the SSW sees that they sign), the SSW, the manager.
    carers_step = _task(CCTV_SIGN, household=world.household_own)
    assert (carers_step.title, carers_step.owner) == (
        "Have the carers read and sign the CCTV report",
        world.sam,
    )
    assert _due(carers_step) == (
        dt.date(2027, 8, 4),
        "CX-3",
        "3 working days after the CCTV report was sent for signing on Wednesday 28 July 2027 " + step,
    )
    services_cctv.report_sign(actor=world.carol, request=request, confirmed=True)
    carers_step.refresh_from_db()
    assert carers_step.status == TaskStatus.DONE
    ssw_step = _task(CCTV_SIGN, household=world.household_own)
    assert (ssw_step.title, ssw_step.owner) == ("Read and sign the CCTV report", world.sam)
    assert _due(ssw_step) == (
        dt.date(2027, 8, 4),
        "CX-3",
        "3 working days after the carers signed the CCTV report on Wednesday 28 July 2027 " + step,
    )
    services_cctv.report_sign(actor=world.sam, request=request, confirmed=True)
    ssw_step.refresh_from_db()
    assert ssw_step.status == TaskStatus.DONE
    assert _task(CCTV_SIGN, household=world.household_own).owner == world.fiona
    assert _due(_task(CCTV_SIGN, household=world.household_own)) == (
        dt.date(2027, 8, 4),
        "CX-3",
        "3 working days after the supervising social worker signed the CCTV report on Wednesday 28 July 2027 "
        + step,
    )
    services_cctv.report_sign(actor=world.fiona, request=request, confirmed=True)
    assert _due(_task(CCTV_DECISION, household=world.household_own)) == (
        dt.date(2027, 8, 4),
        "CX-3",
        "3 working days after the last signature of the CCTV report on Wednesday 28 July 2027 " + step,
    )
    services_cctv.report_consent(actor=world.chris, request=request, child=world.child_own, agrees=True)
    # DV-10 opened the agreement duties when the camera was recorded; the decision's own (CX-5) are tested here.
    Task.objects.filter(kind__in=[SCFA_DEVICES, CHILD_AGREEMENT_DEVICES]).delete()
    with frozen(dt.date(2027, 7, 30)):
        services_cctv.request_decide(actor=world.helen, request=request, agreed=True, comments="Agreed.")
        # Friday 30 July: Monday 2 August (Scottish bank holiday) and Tuesday 3 (closed) do not count.
        assert _due(_task(SCFA_DEVICES, household=world.household_own)) == (
            dt.date(2027, 8, 5),
            "CX-5",
            "2 working days after the CCTV exception was agreed on Friday 30 July 2027 "
            + setting("CX-5", AGREEMENTS),
        )
        assert _task(SCFA_DEVICES, household=world.household_own).owner == world.sam
        # CX-6: the service's one month before the last day the exception covers.
        assert _due(_task(CCTV_EXPIRY, household=world.household_own)) == (
            dt.date(2027, 12, 31),
            "CX-6",
            "1 month before the last day the CCTV exception covers on Monday 31 January 2028 "
            + setting("CX-6", EXPIRY),
        )
        services_cctv.request_reopen(actor=world.sam, request=request, reason="A second camera is needed.")
        assert _due(_task(CCTV_REOPENED, household=world.household_own)) == (
            dt.date(2027, 8, 6),
            "CX-6",
            "3 working days after the request was reopened on Friday 30 July 2027 " + setting("CX-6", STEP),
        )


# CX-6: the task before the exception ends --------------------------------------------------------


@pytest.fixture
def on_1_feb_2027() -> Iterator[None]:
    with frozen(dt.date(2027, 2, 1)):
        yield


@pytest.fixture
def early_february(on_1_feb_2027, world):  # type: ignore[no-untyped-def]
    return world


def test_cx6_an_expiry_date_already_past_makes_the_task_due_today_and_says_so(early_february) -> None:
    world = early_february
    world.service.cctv_expiry_notice_months = 2
    world.service.save(update_fields=["cctv_expiry_notice_months"])
    agreed(world, hallway_camera(world), period_end=dt.date(2027, 3, 20))
    # Two months before Saturday 20 March 2027 was Wednesday 20 January 2027: already past.
    assert _due(_task(CCTV_EXPIRY, household=world.household_own)) == (
        dt.date(2027, 2, 1),
        "CX-6",
        "2 months before the last day the CCTV exception covers on Saturday 20 March 2027 "
        + setting("CX-6", EXPIRY)
        + "; that was Wednesday 20 January 2027, already past, so due today",
    )


# DV-2: the periodic check -----------------------------------------------------------------------


@pytest.fixture
def on_30_nov_2027() -> Iterator[None]:
    with frozen(dt.date(2027, 11, 30)):
        yield


@pytest.fixture
def late_november(on_30_nov_2027, world):  # type: ignore[no-untyped-def]
    return world


def test_dv2_a_check_on_30_nov_2027_makes_the_next_due_on_29_feb_2028(late_november) -> None:
    world = late_november
    world.service.device_check_every_supervision = False
    world.service.device_check_months = 3
    world.service.save(update_fields=["device_check_every_supervision", "device_check_months"])
    services_register.device_check_record(
        actor=world.sam,
        household=world.household_own,
        checked_on=dt.date(2027, 11, 30),
        register_accurate=True,
    )
    # Three calendar months after 30 November is the last day of February, in a leap year the 29th.
    assert _due(_task(DEVICE_CHECK, household=world.household_own)) == (
        dt.date(2028, 2, 29),
        "DV-2",
        "3 months after the last device check on Tuesday 30 November 2027 " + setting("DV-2", CHECK),
    )
    assert _task(DEVICE_CHECK, household=world.household_own).owner == world.sam


def test_dv2_switching_to_an_interval_opens_each_check_due_the_interval_after_the_last_check_or_approval(
    late_november,
) -> None:
    world = late_november
    Household.objects.filter(pk=world.household_own.pk).update(approved_on=dt.date(2027, 8, 31))
    DeviceCheck.objects.create(
        service=world.service,
        household=world.household_other,
        checked_on=dt.date(2027, 10, 31),
        checked_by=world.frank,
        register_accurate=True,
    )
    service_settings_update(
        actor=world.ada,
        service=world.service,
        values={"device_check_every_supervision": False, "device_check_months": 6},
    )
    assert _due(_task(DEVICE_CHECK, household=world.household_own)) == (
        dt.date(2028, 2, 29),
        "DV-2",
        "6 months after the household was approved on Tuesday 31 August 2027 " + setting("DV-2", CHECK),
    )
    assert _due(_task(DEVICE_CHECK, household=world.household_other)) == (
        dt.date(2028, 4, 30),
        "DV-2",
        "6 months after the last device check on Sunday 31 October 2027 " + setting("DV-2", CHECK),
    )
    # A household in assessment is checked from its approval on.
    assert not Task.objects.filter(kind=DEVICE_CHECK, household=world.household_applicant).exists()

    # A new interval moves the checks already open.
    service_settings_update(actor=world.ada, service=world.service, values={"device_check_months": 2})
    assert _due(_task(DEVICE_CHECK, household=world.household_own)) == (
        dt.date(2027, 10, 31),
        "DV-2",
        "2 months after the household was approved on Tuesday 31 August 2027 " + setting("DV-2", CHECK),
    )
    assert Task.objects.filter(kind=DEVICE_CHECK, household=world.household_own).count() == 1
