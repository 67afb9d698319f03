"""DV-9: the CCTV decider decides a monitor that films or uploads for a child who is not a baby.

The world's household (Patel) has Xavier placed (nine years old), carer Carol,
SSW Sam and Xavier's CSW Chris; Helen is the head of fostering (the service's
decider by default) and Harry the head of service.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import CctvDecider
from safecare.devices import services_monitoring, services_register
from safecare.devices.models import ChildConsent, DeviceType, Purpose, RoomKind
from safecare.devices.selectors import device_verdict
from safecare.devices.verdict import Level

pytestmark = pytest.mark.django_db


def _monitor(world, **fields):  # type: ignore[no-untyped-def]
    values = {
        "device_type": DeviceType.BABY_MONITOR,
        "room": "Xavier's bedroom",
        "room_kind": RoomKind.CHILD_BEDROOM,
        "positioning": "On the shelf, facing the bed",
        "records_video": True,
        "records_audio": True,
        "purpose": Purpose.SLEEPING_CHILD,
        "monitored_child": world.child_own,
        "monitored_sleeps_here": True,
        "monitoring_reason": "Seizures at night",
        "responsible_person": "Carol Patel",
        "retention_hours": 0,
        "members_told_on": timezone.localdate(),
        **fields,
    }
    return services_register.device_declare(actor=world.carol, household=world.household_own, **values)


def _agreed_by_both_workers(world, **fields):  # type: ignore[no-untyped-def]
    monitor = _monitor(world, **fields)
    services_register.device_agree_monitoring(actor=world.chris, device=monitor)
    services_register.device_agree_monitoring(actor=world.sam, device=monitor, consent=ChildConsent.GIVEN)
    monitor.refresh_from_db()
    return monitor


def test_dv9_a_video_monitor_for_an_older_child_needs_the_deciders_decision_then_is_allowed(world) -> None:
    monitor = _agreed_by_both_workers(world)
    verdict = device_verdict(monitor)
    assert verdict.level == Level.NEEDS_EXCEPTION and verdict.deciding_rule == "DV-9"
    decided = services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)
    assert decided.decider_agreed is True
    assert decided.decider_decided_by == world.helen and decided.decider_decided_on == timezone.localdate()
    assert device_verdict(decided).level == Level.ALLOWED
    assert decided.history.latest().history_user == world.helen


def test_dv9_the_decider_may_not_agree_and_must_say_why(world) -> None:
    monitor = _monitor(world)
    with pytest.raises(ValidationError) as refused:
        services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=False)
    assert "DV-9" in refused.value.message_dict["decider_comments"][0]
    decided = services_monitoring.monitor_decide(
        actor=world.helen, device=monitor, agreed=False, comments="A sensor mat is enough."
    )
    verdict = device_verdict(decided)
    assert verdict.level == Level.PROHIBITED and verdict.deciding_rule == "DV-9"
    assert decided.decider_comments == "A sensor mat is enough."


def test_dv9_the_decider_agrees_only_after_both_social_workers(world) -> None:
    monitor = _monitor(world)
    with pytest.raises(ValidationError, match="child's social worker and the supervising social worker"):
        services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)


@pytest.mark.parametrize("username", ["carol", "sam", "chris", "frank", "harry"])
def test_dv9_only_the_services_decider_decides(world, username: str) -> None:
    monitor = _agreed_by_both_workers(world)
    with pytest.raises(PermissionDenied):
        services_monitoring.monitor_decide(actor=world.users[username], device=monitor, agreed=True)


def test_dv9_the_head_of_service_decides_where_the_service_says_so(world) -> None:
    world.service.cctv_decider = CctvDecider.HEAD_OF_SERVICE
    world.service.save()
    monitor = _agreed_by_both_workers(world)
    with pytest.raises(PermissionDenied):
        services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)
    world.harry.refresh_from_db()
    services_monitoring.monitor_decide(actor=world.harry, device=monitor, agreed=True)
    monitor.refresh_from_db()
    assert monitor.decider_decided_by == world.harry


@pytest.mark.parametrize(
    "fields",
    [
        # Sound only, nothing in the cloud: the two workers and the child decide.
        {"records_video": False},
        # A monitor that is no DV-9 monitor: it is prohibited, not decided.
        {"monitored_sleeps_here": False},
    ],
)
def test_dv9_a_monitor_that_needs_no_decision_cannot_be_decided(world, fields: dict[str, object]) -> None:
    monitor = _monitor(world, **fields)
    with pytest.raises(ValidationError, match="DV-9"):
        services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)


def test_dv9_the_decision_cannot_be_dated_in_the_future(world) -> None:
    monitor = _agreed_by_both_workers(world)
    with pytest.raises(ValidationError) as refused:
        services_monitoring.monitor_decide(
            actor=world.helen,
            device=monitor,
            agreed=True,
            decided_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "decider_decided_on" in refused.value.message_dict
