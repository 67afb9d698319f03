"""The demo's device register shows a prohibited device with the task to take it out (DV-3, DV-6)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from safecare.core.models import Notification, Task, TaskStatus
from safecare.devices.models import Device
from safecare.devices.selectors import DEVICE_REMOVAL, device_verdict
from safecare.devices.verdict import Level


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_the_demo_speaker_in_mias_bedroom_is_prohibited_and_sam_has_the_task_to_take_it_out() -> None:
    call_command("seed_demo", stdout=StringIO())
    speaker = Device.objects.get(room="Mia's bedroom")
    verdict = device_verdict(speaker)
    assert verdict.level == Level.PROHIBITED and verdict.reasons[0].rule_id == "DV-6"
    task = Task.objects.get(kind=DEVICE_REMOVAL, household=speaker.household, status=TaskStatus.OPEN)
    assert (task.rule_id, task.owner.username) == ("DV-6", "sam")
    assert task.title == "Have the carers take out a camera or microphone the policy does not allow"
    assert Notification.objects.get(kind="device_prohibited", reference=speaker.reference).task == task
