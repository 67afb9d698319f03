"""The device register's writes and duties (DV-1, DV-2, DV-9, DV-10, DV-11).

Through devices.services_register, as the pages and the API write. The world's own
household (Patel) has carer Carol, SSW Sam and child Xavier placed (CSW Chris),
and a current Safe Caring Family Agreement and child-specific agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.agreements.models import Agreement, AgreementKind
from safecare.agreements.services import version_create, version_sign
from safecare.core.concurrency import StaleEdit, record_version
from safecare.core.models import Notification, Task, TaskStatus
from safecare.devices import services_register
from safecare.devices.duties import agreement_gaps
from safecare.devices.models import ChildConsent, DeviceCheck, DeviceType, Purpose, RoomKind
from safecare.devices.selectors import (
    CHILD_AGREEMENT_DEVICES,
    DEVICE_CHECK,
    DEVICE_REVIEW,
    SCFA_DEVICES,
    device_verdict,
)
from safecare.devices.verdict import Level
from safecare.households.models import MemberKind
from tests.devices.clock import frozen
from tests.factories import ChildFactory, MemberFactory

DOORBELL = {
    "device_type": DeviceType.VIDEO_DOORBELL,
    "room": "Front door",
    "room_kind": RoomKind.OUTSIDE,
    "positioning": "Beside the front door, facing the path",
    "records_video": True,
    "records_audio": True,
    "purpose": Purpose.PROPERTY,
    "internet_connected": True,
    "cloud_upload": True,
    "strong_password": True,
    "two_factor": True,
    "software_up_to_date": True,
    "responsible_person": "Carol Patel",
    "retention_hours": 720,
    "storage": "The maker's cloud service",
    "access": "Carol Patel",
}


def _open(kind, **filters):
    return Task.objects.filter(kind=kind, status=TaskStatus.OPEN, **filters)


def test_dv2_a_carers_declaration_is_a_task_for_the_ssw_to_review(world):
    device = services_register.device_declare(actor=world.carol, household=world.household_own, **DOORBELL)
    assert device.needs_review
    task = _open(DEVICE_REVIEW, household=world.household_own).get()
    assert task.owner == world.sam and task.rule_id == "DV-2"
    # Two declarations, one review duty; it closes with the last review.
    second = services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        **{**DOORBELL, "room": "Back door", "positioning": "Over the back door"},
    )
    assert _open(DEVICE_REVIEW, household=world.household_own).count() == 1
    services_register.device_review(actor=world.sam, device=device, notes="Seen on the visit.")
    assert _open(DEVICE_REVIEW, household=world.household_own).exists()
    services_register.device_review(actor=world.sam, device=second)
    assert not _open(DEVICE_REVIEW, household=world.household_own).exists()
    # The SSW's alert names no child, carer or device (rules: Everywhere).
    alert = Notification.objects.filter(recipient=world.sam, kind="device_declared").first()
    assert alert is not None
    for message in mail.outbox:
        assert "Patel" not in message.body and "Front door" not in message.body


def test_dv2_a_change_by_the_carer_is_reviewed_again(world):
    device = services_register.device_declare(actor=world.sam, household=world.household_own, **DOORBELL)
    assert not device.needs_review and not _open(DEVICE_REVIEW, household=world.household_own).exists()
    services_register.device_update(
        actor=world.carol, device=device, version=record_version(device), room_kind=RoomKind.COMMUNAL
    )
    device.refresh_from_db()
    assert device.needs_review
    assert _open(DEVICE_REVIEW, household=world.household_own).exists()


def test_dv2_two_people_editing_one_device_cannot_overwrite_each_other(world):
    device = services_register.device_declare(actor=world.carol, household=world.household_own, **DOORBELL)
    opened = record_version(device)
    services_register.device_update(actor=world.sam, device=device, version=opened, retention_hours=48)
    with pytest.raises(StaleEdit, match="How long recordings are kept"):
        services_register.device_update(
            actor=world.carol, device=device, version=opened, storage="A hard drive"
        )
    device.refresh_from_db()
    assert device.retention_hours == 48 and device.storage == DOORBELL["storage"]


def test_dv1_bad_input_names_the_field_and_the_rule(world):
    with pytest.raises(ValidationError) as refused:
        services_register.device_declare(
            actor=world.carol,
            household=world.household_own,
            **{**DOORBELL, "records_video": False, "records_audio": False, "positioning": ""},
        )
    errors = refused.value.message_dict
    assert "DV-1" in errors["records_video"][0]
    assert "DV-1" in errors["positioning"][0]


def test_dv2_only_the_households_own_people_declare(world):
    with pytest.raises(PermissionDenied):
        services_register.device_declare(actor=world.oscar, household=world.household_own, **DOORBELL)
    with pytest.raises(PermissionDenied):
        services_register.device_declare(actor=world.chris, household=world.household_own, **DOORBELL)


def test_dv3_a_prohibited_device_alerts_the_ssw_at_once(world):
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
    assert Notification.objects.filter(recipient=world.sam, kind="device_prohibited", rule_id="DV-3").exists()


def test_dv2_a_removed_device_leaves_the_register_and_keeps_its_history(world):
    device = services_register.device_declare(actor=world.carol, household=world.household_own, **DOORBELL)
    services_register.device_remove(actor=world.carol, device=device, removed_on=timezone.localdate())
    device.refresh_from_db()
    assert device.status == "removed" and device.history.count() == 2
    with pytest.raises(ValidationError, match="already removed"):
        services_register.device_remove(actor=world.carol, device=device, removed_on=timezone.localdate())


# DV-9 ---------------------------------------------------------------------------------------------


def test_dv9_an_older_childs_monitor_needs_both_workers_and_the_childs_consent(world):
    # Xavier (the world's child) is older than two.
    monitor = services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        device_type=DeviceType.BABY_MONITOR,
        room="Xavier's bedroom",
        room_kind=RoomKind.CHILD_BEDROOM,
        positioning="On the shelf, facing the bed",
        records_video=True,
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        monitored_child=world.child_own,
        monitored_sleeps_here=True,
        monitoring_reason="Seizures at night",
        responsible_person="Carol Patel",
        retention_hours=0,
        members_told_on=timezone.localdate(),
    )
    assert len(device_verdict(monitor).missing) == 3
    with pytest.raises(PermissionDenied):
        services_register.device_agree_monitoring(actor=world.carol, device=monitor)
    services_register.device_agree_monitoring(actor=world.chris, device=monitor)
    services_register.device_agree_monitoring(actor=world.sam, device=monitor, consent=ChildConsent.GIVEN)
    monitor.refresh_from_db()
    # DV-9: a monitor that films an older child is also decided by the CCTV decider; nothing else is missing.
    verdict = device_verdict(monitor)
    assert verdict.level == Level.NEEDS_EXCEPTION and verdict.missing == []
    assert verdict.deciding_rule == "DV-9" and "needs a decision" in verdict.deciding.message
    # Who it monitors changes: the agreements are asked for again.
    services_register.device_update(
        actor=world.carol, device=monitor, version=None, monitoring_reason="Sleepwalking"
    )
    monitor.refresh_from_db()
    assert monitor.csw_agreed_on is None
    assert "the child's social worker has not agreed yet" in [
        f.message for f in device_verdict(monitor).missing
    ]


def test_dv9_a_monitor_is_only_for_a_child_placed_or_living_here(world):
    stranger = ChildFactory(service=world.service)
    with pytest.raises(ValidationError, match="DV-9"):
        services_register.device_declare(
            actor=world.carol,
            household=world.household_own,
            device_type=DeviceType.BABY_MONITOR,
            room="Nursery",
            room_kind=RoomKind.CHILD_BEDROOM,
            positioning="By the cot",
            records_audio=True,
            purpose=Purpose.SLEEPING_CHILD,
            monitored_child=stranger,
        )
    own_baby = MemberFactory(
        household=world.household_own,
        kind=MemberKind.CARERS_CHILD,
        date_of_birth=timezone.localdate() - dt.timedelta(days=100),
    )
    monitor = services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        device_type=DeviceType.BABY_MONITOR,
        room="Nursery",
        room_kind=RoomKind.CHILD_BEDROOM,
        positioning="By the cot",
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        monitored_member=own_baby,
        monitored_sleeps_here=True,
        responsible_person="Carol Patel",
        retention_hours=0,
        members_told_on=timezone.localdate(),
    )
    assert device_verdict(monitor).level == Level.ALLOWED


# DV-10 --------------------------------------------------------------------------------------------


def _new_version(world, agreement, *, signers):
    latest = agreement.versions.order_by("-number").first()
    version = version_create(
        actor=world.sam,
        sections=dict(latest.sections),
        participants=list(latest.participants.all()),
        based_on=latest.number,
        agreement=agreement,
    )
    for signer in signers:
        version_sign(actor=signer, version=version, confirmed=True)
    return version


def test_dv10_a_device_not_in_the_current_agreements_is_flagged_until_they_describe_it(world):
    child_agreement = Agreement.objects.get(household=world.household_own, kind=AgreementKind.CHILD)
    first = child_agreement.versions.get()
    for signer in (world.carol, world.sam, world.chris):
        version_sign(actor=signer, version=first, confirmed=True)
    device = services_register.device_declare(actor=world.carol, household=world.household_own, **DOORBELL)
    gaps = agreement_gaps(world.household_own)
    assert gaps[device.pk] == [
        "the Safe Caring Family Agreement",
        "Xavier Smith's child-specific agreement",
    ]
    assert _open(SCFA_DEVICES, household=world.household_own, rule_id="DV-10").exists()
    assert _open(CHILD_AGREEMENT_DEVICES, child=world.child_own, rule_id="DV-10").exists()

    scfa = Agreement.objects.get(household=world.household_own, kind=AgreementKind.HOUSEHOLD)
    version = _new_version(world, scfa, signers=[world.carol, world.sam])
    assert {entry["device"] for entry in version.devices} == {world.device_own.pk, device.pk}
    assert agreement_gaps(world.household_own)[device.pk] == ["Xavier Smith's child-specific agreement"]
    assert not _open(SCFA_DEVICES, household=world.household_own).exists()

    _new_version(world, child_agreement, signers=[world.carol, world.sam, world.chris])
    assert agreement_gaps(world.household_own) == {}
    assert not _open(CHILD_AGREEMENT_DEVICES, child=world.child_own).exists()

    # Moving the device makes the agreements out of date again.
    services_register.device_update(actor=world.sam, device=device, version=None, room="Side gate")
    assert len(agreement_gaps(world.household_own)[device.pk]) == 2
    assert _open(SCFA_DEVICES, household=world.household_own).exists()


# Periodic device check (DV-2) ---------------------------------------------------------------------


@pytest.fixture
def on_30_nov_2027() -> Iterator[None]:
    with frozen(dt.date(2027, 11, 30)):
        yield


@pytest.fixture
def late_november(on_30_nov_2027, world):  # the clock first: a world built on that day
    return world


def test_dv2_a_check_on_a_visit_is_recorded_and_the_next_falls_due_at_the_interval(late_november):
    world = late_november
    world.service.device_check_every_supervision = False
    world.service.device_check_months = 3
    world.service.save()
    checked_on = dt.date(2027, 11, 30)
    with pytest.raises(ValidationError, match="DV-2"):
        services_register.device_check_record(
            actor=world.sam, household=world.household_own, checked_on=checked_on, register_accurate=None
        )
    services_register.device_check_record(
        actor=world.sam, household=world.household_own, checked_on=checked_on, register_accurate=True
    )
    task = _open(DEVICE_CHECK, household=world.household_own).get()
    assert task.rule_id == "DV-2" and task.owner == world.sam
    # Three calendar months after Tuesday 30 November 2027: the last day of February, a leap day.
    assert task.due_on == dt.date(2028, 2, 29)
    assert task.due_basis == (
        "3 months after the last device check on Tuesday 30 November 2027 (DV-2: the policy sets no "
        "deadline; this is the service's setting 'Device check interval (months), when not at every "
        "supervision')"
    )
    with pytest.raises(PermissionDenied):
        services_register.device_check_record(
            actor=world.carol, household=world.household_own, checked_on=checked_on, register_accurate=True
        )


def test_dv2_a_supervision_with_the_device_check_is_a_check_of_the_register(world):
    from safecare.supervision import services as supervision_services

    supervision = supervision_services.supervision_create(
        actor=world.sam,
        household=world.household_own,
        held_on=timezone.localdate(),
        safe_care_discussion="We went through the safe care agreement together.",
        discussion="A good visit.",
        device_check_done=True,
        register_complete=True,
        device_check_notes="The doorbell camera is the only device.",
    )
    supervision_services.supervision_complete(actor=world.sam, supervision=supervision)
    check = DeviceCheck.objects.get(household=world.household_own)
    assert check.supervision == supervision and check.checked_by == world.sam


def test_dv10_the_agreement_page_lists_the_devices_its_version_covers(world, client):
    from tests.conftest import sign_in

    services_register.device_declare(actor=world.sam, household=world.household_own, **DOORBELL)
    scfa = Agreement.objects.get(household=world.household_own, kind=AgreementKind.HOUSEHOLD)
    version = _new_version(world, scfa, signers=[])
    page = sign_in(client, world.sam).get(f"/agreements/versions/{version.pk}/")
    assert page.status_code == 200
    assert "Video doorbell in Front door: Beside the front door, facing the path" in page.content.decode()


def test_dv6_the_verdict_follows_a_change_of_the_services_setting_at_once(world):
    speaker = services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        device_type=DeviceType.SMART_SPEAKER,
        room="Xavier's bedroom",
        room_kind=RoomKind.CHILD_BEDROOM,
        positioning="On the desk",
        records_audio=True,
        purpose=Purpose.HOME_USE,
        responsible_person="Carol Patel",
        retention_hours=0,
        members_told_on=timezone.localdate(),
    )
    assert device_verdict(speaker).level == Level.PROHIBITED
    world.service.smart_speakers_in_bedrooms = True
    world.service.save()
    speaker.household.service.refresh_from_db()
    assert device_verdict(speaker).level == Level.ALLOWED
