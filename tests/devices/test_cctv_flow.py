"""A CCTV exception request from draft to decision, then a new child placed (CX-1 to CX-6).

Goes through devices.services_cctv only, as the pages and the API do. The world's
own household (Patel) has carer Carol, SSW Sam, fostering team manager Fiona
(its team) and child Xavier placed, whose social worker is Chris; Helen is the
head of fostering, the service's default decider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import CctvDecider, Task, TaskStatus
from safecare.devices import services_cctv, services_register
from safecare.devices.models import (
    CctvRequest,
    Device,
    DeviceType,
    Purpose,
    RequestStatus,
    RoomKind,
)
from safecare.devices.selectors import (
    CCTV_CONSENT,
    CCTV_DECISION,
    CCTV_EXPIRY,
    CCTV_REOPENED,
    CHILD_AGREEMENT_DEVICES,
    SCFA_DEVICES,
    device_verdict,
)
from safecare.devices.verdict import Level
from safecare.households.models import HouseholdStatus
from safecare.households.services import household_change_status, placement_create
from tests.devices.clock import frozen
from tests.factories import AllocationFactory, ChildFactory

SECTIONS = {
    "reasons": "A former partner has threatened the household; the police advise a camera.",
    "alternatives": "New locks and an alarm were fitted in March; the threats continued.",
    "camera_positions": "One camera high in the hallway, facing the front door only.",
    "footage_access": "Both carers view it; footage with no use is deleted within 24 hours.",
    "evidence": "Kept only if the police ask for it as evidence.",
    "internet_security": "The system is not connected to the internet.",
    "children_effects": "Xavier's bedroom, the bathroom and the landing are out of view.",
}


@pytest.fixture
def hallway_camera(world):
    # The world's own request would be the household's one active request; clear it for this story.
    CctvRequest.objects.filter(household=world.household_own).update(status=RequestStatus.WITHDRAWN)
    return services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        device_type=DeviceType.CCTV_CAMERA,
        status="planned",
        room="Hallway",
        room_kind=RoomKind.COMMUNAL,
        positioning="High on the wall, facing the front door",
        records_video=True,
        purpose=Purpose.HOUSEHOLD_SAFETY,
        responsible_person="Carol Patel",
        retention_hours=24,
        storage="The recorder in the loft",
        access="Carol Patel",
    )


def _draft(world, camera):
    today = timezone.localdate()
    return services_cctv.request_create(
        actor=world.sam,
        household=world.household_own,
        period_start=today,
        period_end=today + dt.timedelta(days=180),
        devices=[camera],
        **SECTIONS,
    )


def _open_tasks(kind, **filters):
    return Task.objects.filter(kind=kind, status=TaskStatus.OPEN, **filters)


@pytest.fixture
def on_1_feb_2027() -> Iterator[None]:
    with frozen(dt.date(2027, 2, 1)):
        yield


@pytest.fixture
def early_february(on_1_feb_2027, world):  # the clock first: a world built on Monday 1 February 2027
    return world


def test_cx_request_from_draft_to_decision_then_a_new_child_reopens_it(early_february, hallway_camera):
    world = early_february
    # DV-4: a CCTV camera inside needs an approved exception.
    assert device_verdict(hallway_camera).level == Level.NEEDS_EXCEPTION

    request = services_cctv.request_create(
        actor=world.sam,
        household=world.household_own,
        period_start=dt.date(2027, 2, 1),
        period_end=dt.date(2027, 7, 31),
        devices=[hallway_camera],
        **SECTIONS,
    )
    assert request.status == RequestStatus.DRAFT
    report = services_cctv.request_submit(actor=world.sam, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.SIGNING
    assert [c.pk for c in report.children.all()] == [world.child_own.pk]
    assert _open_tasks(CCTV_CONSENT, child=world.child_own, owner=world.chris).exists()

    # CX-3: in order. The SSW cannot sign before the carers; the manager not before the SSW.
    with pytest.raises(ValidationError, match="CX-3"):
        services_cctv.report_sign(actor=world.sam, request=request, confirmed=True)
    with pytest.raises(ValidationError, match="CX-3"):
        services_cctv.report_sign(actor=world.fiona, request=request, confirmed=True)
    services_cctv.report_sign(actor=world.carol, request=request, confirmed=True)
    services_cctv.report_sign(actor=world.sam, request=request, confirmed=True)
    # Nobody decides before the fostering team manager has signed.
    with pytest.raises(ValidationError, match="CX-3"):
        services_cctv.request_decide(actor=world.helen, request=request, agreed=True)
    services_cctv.report_sign(actor=world.fiona, request=request, confirmed=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_DECISION
    assert _open_tasks(CCTV_DECISION, household=world.household_own, owner=world.helen).exists()

    # CX-4: the decision waits for every child's social worker.
    with pytest.raises(ValidationError, match="CX-4: Xavier Smith's social worker has not said"):
        services_cctv.request_decide(actor=world.helen, request=request, agreed=True)
    # Only the service's decider decides (head of fostering by default).
    with pytest.raises(PermissionDenied):
        services_cctv.request_decide(actor=world.harry, request=request, agreed=True)
    services_cctv.report_consent(actor=world.chris, request=request, child=world.child_own, agrees=True)
    decision = services_cctv.request_decide(
        actor=world.helen,
        request=request,
        agreed=True,
        comments="Proportionate to the threat.",
        conditions="Footage deleted within 24 hours.",
    )
    request.refresh_from_db()
    assert decision.agreed and request.status == RequestStatus.AGREED
    assert device_verdict(hallway_camera).level < Level.NEEDS_EXCEPTION
    # CX-5: agreements record the cameras (one duty per agreement, whether DV-10 opened it
    # when the camera was declared or the decision did); CX-6: a task before the period ends.
    assert _open_tasks(SCFA_DEVICES, household=world.household_own).exists()
    assert _open_tasks(CHILD_AGREEMENT_DEVICES, child=world.child_own).exists()
    # One month before the last day the exception covers, Saturday 31 July 2027: June has 30 days.
    expiry = _open_tasks(CCTV_EXPIRY, household=world.household_own).get()
    assert (expiry.rule_id, expiry.owner, expiry.due_on) == ("CX-6", world.sam, dt.date(2027, 6, 30))
    assert expiry.due_basis == (
        "1 month before the last day the CCTV exception covers on Saturday 31 July 2027 (CX-6: the policy "
        "sets no deadline; this is the service's setting 'Ask for a new CCTV decision this many months "
        "before an exception ends')"
    )

    # CX-6: a new child placed puts the verdict back until a new decision.
    newcomer = ChildFactory(service=world.service, first_name="Nia", last_name="Green")
    AllocationFactory(worker=world.chris, kind="childs", child=newcomer)
    placement_create(
        actor=world.chris, child=newcomer, household=world.household_own, start_on=timezone.localdate()
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REOPENED
    verdict = device_verdict(Device.objects.get(pk=hallway_camera.pk))
    assert verdict.level == Level.NEEDS_EXCEPTION
    assert "CX-6" in verdict.rule_ids
    assert _open_tasks(CCTV_REOPENED, household=world.household_own, owner=world.sam).exists()
    assert not _open_tasks(CCTV_EXPIRY, household=world.household_own).exists()

    # The next round names both children and needs both social workers.
    services_cctv.request_update(
        actor=world.sam,
        request=request,
        version=None,
        children_effects="Neither child's bedroom is in view.",
    )
    second = services_cctv.request_submit(actor=world.sam, request=request)
    assert second.number == 2
    assert {c.pk for c in second.children.all()} == {world.child_own.pk, newcomer.pk}
    assert not _open_tasks(CCTV_REOPENED, household=world.household_own).exists()


def test_cx1_every_section_is_required_before_submitting(world, hallway_camera):
    request = services_cctv.request_create(actor=world.sam, household=world.household_own)
    with pytest.raises(ValidationError) as refused:
        services_cctv.request_submit(actor=world.sam, request=request)
    errors = refused.value.message_dict
    for key in SECTIONS:
        assert any("CX-1" in m for m in errors[key]), key
    assert "CX-1" in errors["period_end"][0]
    assert "CX-1" in errors["devices"][0]


def test_cx2_a_camera_outside_a_communal_area_cannot_be_asked_for(world, hallway_camera):
    bedroom = Device.objects.create(
        service=world.service,
        household=world.household_own,
        device_type=DeviceType.INTERNAL_SECURITY_CAMERA,
        room="Main bedroom",
        room_kind=RoomKind.OTHER_BEDROOM,
        positioning="On the wardrobe",
        records_video=True,
        purpose=Purpose.PROPERTY,
        declared_by=world.carol,
    )
    with pytest.raises(ValidationError, match="CX-2"):
        services_cctv.request_create(actor=world.sam, household=world.household_own, devices=[bedroom])


def test_cx3_the_head_of_service_decides_where_the_service_says_so(world, hallway_camera):
    world.service.cctv_decider = CctvDecider.HEAD_OF_SERVICE
    world.service.save()
    request = _draft(world, hallway_camera)
    services_cctv.request_submit(actor=world.sam, request=request)
    for signer in (world.carol, world.sam, world.fiona):
        services_cctv.report_sign(actor=signer, request=request, confirmed=True)
    services_cctv.report_consent(actor=world.chris, request=request, child=world.child_own, agrees=True)
    with pytest.raises(PermissionDenied):
        services_cctv.request_decide(actor=world.helen, request=request, agreed=True)
    services_cctv.request_decide(actor=world.harry, request=request, agreed=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.AGREED


def test_cx4_a_social_worker_who_does_not_agree_blocks_agreement_but_not_refusal(world, hallway_camera):
    request = _draft(world, hallway_camera)
    services_cctv.request_submit(actor=world.sam, request=request)
    for signer in (world.carol, world.sam, world.fiona):
        services_cctv.report_sign(actor=signer, request=request, confirmed=True)
    services_cctv.report_consent(
        actor=world.chris, request=request, child=world.child_own, agrees=False, comments="Too intrusive."
    )
    with pytest.raises(ValidationError, match="CX-4: Xavier Smith's social worker does not agree"):
        services_cctv.request_decide(actor=world.helen, request=request, agreed=True)
    services_cctv.request_decide(
        actor=world.helen, request=request, agreed=False, comments="The CSW objects."
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.NOT_AGREED
    assert device_verdict(hallway_camera).level == Level.NEEDS_EXCEPTION


def test_dv4_an_applicant_with_a_camera_inside_cannot_be_approved(world):
    household = world.household_own
    household.status = HouseholdStatus.IN_ASSESSMENT
    household.approved_on = None
    household.save()
    Device.objects.create(
        service=world.service,
        household=household,
        device_type=DeviceType.CCTV_CAMERA,
        room="Kitchen",
        room_kind=RoomKind.COMMUNAL,
        positioning="Over the back door",
        records_video=True,
        purpose=Purpose.PROPERTY,
        declared_by=world.carol,
    )
    with pytest.raises(ValidationError) as refused:
        household_change_status(actor=world.helen, household=household, to_status=HouseholdStatus.APPROVED)
    assert any(m.startswith("DV-4: CCTV camera in Kitchen") for m in refused.value.messages)
