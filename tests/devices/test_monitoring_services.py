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


# The decider's decision is taken on the whole picture, and it follows the device ----------------


def test_dv9_not_agreeing_opens_the_removal_task_and_agreeing_after_all_closes_it(world) -> None:
    from safecare.core.models import Task, TaskStatus

    monitor = _agreed_by_both_workers(world)
    services_monitoring.monitor_decide(
        actor=world.helen, device=monitor, agreed=False, comments="Use a sensor mat."
    )
    removal = Task.objects.get(kind="device_removal", household=world.household_own)
    assert removal.status == TaskStatus.OPEN and removal.rule_id == "DV-9"
    services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)
    removal.refresh_from_db()
    assert removal.status == TaskStatus.DONE


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cloud_upload", True),
        ("retention_hours", 720),
        ("room_kind", RoomKind.OTHER_BEDROOM),
        ("monitoring_reason", "Sleepwalking"),
    ],
)
def test_dv9_a_change_to_what_was_decided_asks_the_decider_again(world, field: str, value: object) -> None:
    monitor = _agreed_by_both_workers(world)
    services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)
    monitor.refresh_from_db()
    services_register.device_update(actor=world.sam, device=monitor, version=None, **{field: value})
    monitor.refresh_from_db()
    assert monitor.decider_agreed is None and monitor.decider_decided_by is None
    assert device_verdict(monitor).level != Level.ALLOWED


def test_dv9_a_change_of_words_keeps_the_deciders_decision(world) -> None:
    monitor = _agreed_by_both_workers(world)
    services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)
    monitor.refresh_from_db()
    services_register.device_update(
        actor=world.sam, device=monitor, version=None, description="White, on the shelf"
    )
    monitor.refresh_from_db()
    assert monitor.decider_agreed is True
    assert device_verdict(monitor).level == Level.ALLOWED


def test_dv9_a_monitor_for_a_child_who_sleeps_in_the_carers_room_is_agreed_too(world) -> None:
    # DV-9: the monitor is in the sleeping area of the child it is for, whichever bedroom that is.
    monitor = _monitor(world, room="Carers' bedroom", room_kind=RoomKind.OTHER_BEDROOM)
    services_register.device_agree_monitoring(actor=world.sam, device=monitor)
    monitor.refresh_from_db()
    assert monitor.ssw_agreed_by == world.sam


def test_dv9_a_monitor_that_is_no_dv9_monitor_cannot_be_agreed(world) -> None:
    # DV-9: a monitor whose child does not sleep in that room is an inside camera (DV-4): nothing to agree.
    monitor = _monitor(world, monitored_sleeps_here=False)
    with pytest.raises(ValidationError, match="DV-9"):
        services_register.device_agree_monitoring(actor=world.sam, device=monitor)


# The page and the API ---------------------------------------------------------------------------


def test_dv9_the_decider_decides_on_the_device_page(world, client_for) -> None:
    from django.urls import reverse

    monitor = _agreed_by_both_workers(world)
    helen = client_for(world.helen)
    detail = helen.get(reverse("devices:device_detail", args=[monitor.pk]))
    url = reverse("devices:device_monitoring_decision", args=[monitor.pk])
    assert url in detail.content.decode()
    refused = helen.post(url, {"agreed": "no", "comments": ""})
    assert refused.status_code == 200
    assert "Comments: DV-9 say why you do not agree to the monitor" in refused.content.decode()
    assert helen.post(url, {}).status_code == 200  # the question unanswered: the form says so
    saved = helen.post(url, {"agreed": "no", "comments": "A sensor mat is enough."})
    assert saved.status_code == 302
    monitor.refresh_from_db()
    assert monitor.decider_agreed is False and monitor.decider_comments == "A sensor mat is enough."
    # Sam holds no decision: the page does not exist for him, and the device page offers nothing.
    sam = client_for(world.sam)
    assert sam.get(url).status_code == 404
    assert url not in sam.get(reverse("devices:device_detail", args=[monitor.pk])).content.decode()


def test_dv9_the_decider_decides_through_the_api(world, client_for) -> None:
    monitor = _agreed_by_both_workers(world)
    from tests.api.helpers import url as api_url

    url = api_url("device-decide-monitoring", monitor.pk)
    helen = client_for(world.helen)
    missing = helen.post(url, {}, content_type="application/json")
    assert missing.status_code == 400 and "agreed" in missing.json()
    answer = helen.post(url, {"agreed": True}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["decider_agreed"] is True
    assert (
        client_for(world.sam).post(url, {"agreed": True}, content_type="application/json").status_code == 404
    )


def test_the_carers_are_alerted_of_each_decision_on_the_monitor_they_told_the_service_about(
    world, django_capture_on_commit_callbacks
) -> None:
    # Issue: "an alert for every decision about something she asked for", in the app and by
    # e-mail with no personal data. Carol told the service; Chris, Sam and Helen decide.
    from django.core import mail

    from safecare.core.models import Notification

    monitor = _monitor(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_register.device_agree_monitoring(actor=world.chris, device=monitor)
        services_register.device_agree_monitoring(actor=world.sam, device=monitor, consent=ChildConsent.GIVEN)
        services_monitoring.monitor_decide(actor=world.helen, device=monitor, agreed=True)
    alerts = Notification.objects.filter(recipient=world.carol, reference=monitor.reference).order_by("id")
    assert [a.kind for a in alerts] == ["monitor_agreed", "monitor_agreed", "monitor_decided"]
    assert {a.household_id for a in alerts} == {world.household_own.pk}
    assert all(a.url == f"/devices/{monitor.pk}/" for a in alerts)
    to_carol = [m for m in mail.outbox if world.carol.email in m.to]
    assert [m.subject for m in to_carol] == [
        f"Safecare: A social worker has agreed to a baby monitor you told us about ({monitor.reference})",
        f"Safecare: A social worker has agreed to a baby monitor you told us about ({monitor.reference})",
        f"Safecare: A decision has been made about a baby monitor you told us about ({monitor.reference})",
    ]
    for message in to_carol:
        for personal in ("Xavier", "Carol", "Patel", "Seizures", "bedroom"):
            assert personal not in message.subject
        assert "Xavier" not in message.body and "Seizures" not in message.body
    # The decider is not told of her own decision.
    assert not Notification.objects.filter(recipient=world.helen, kind="monitor_decided").exists()


def test_the_carers_are_alerted_when_the_ssw_has_looked_at_what_they_declared(world) -> None:
    from safecare.core.models import Notification

    monitor = _monitor(world)
    services_register.device_review(actor=world.sam, device=monitor, notes="Seen on the visit.")
    alert = Notification.objects.get(recipient=world.carol, kind="device_reviewed")
    assert alert.rule_id == "DV-2" and alert.household_id == world.household_own.pk
    assert not Notification.objects.filter(recipient=world.sam, kind="device_reviewed").exists()
