"""Records of the devices app for the access-table walker: own, other, other-service.

Made directly, not through the services, so building the world raises no tasks
or alerts of its own. Each household has a CCTV camera in its lounge (DV-4) and
a CCTV request being signed, whose report names the child placed there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.devices.models import (
    CctvReport,
    CctvRequest,
    Device,
    DeviceType,
    Purpose,
    RequestStatus,
    RoomKind,
)


def _records(world: Any, suffix: str, household: Any, child: Any, author: Any) -> None:
    today = timezone.localdate()
    device = Device.objects.create(
        service=household.service,
        household=household,
        device_type=DeviceType.CCTV_CAMERA,
        room="Lounge",
        room_kind=RoomKind.COMMUNAL,
        positioning="High in the corner, facing the front door",
        records_video=True,
        purpose=Purpose.HOUSEHOLD_SAFETY,
        responsible_person="The carers",
        retention_hours=24,
        storage="On the camera's memory card",
        access="The carers only",
        members_told_on=today,
        declared_by=author,
        needs_review=False,
    )
    setattr(world, f"device_{suffix}", device)
    request = CctvRequest.objects.create(
        service=household.service,
        household=household,
        status=RequestStatus.SIGNING,
        reasons="A former partner has threatened the household.",
        alternatives="Alarms and locks have been fitted; the threats continue.",
        camera_positions="One camera in the lounge facing the front door.",
        footage_access="The carers view it; it is deleted after 24 hours.",
        evidence="Only if the police ask for it.",
        internet_security="Not connected to the internet.",
        children_effects="The camera does not see the bedrooms or the bathroom.",
        period_start=today,
        period_end=today + dt.timedelta(days=180),
        created_by=author,
    )
    request.devices.set([device])
    report = CctvReport.objects.create(
        request=request,
        service=household.service,
        number=1,
        content={"request": request.reference, "report": 1},
        period_start=request.period_start,
        period_end=request.period_end,
        submitted_by=author,
    )
    report.children.set([child])
    report.devices.set([device])
    setattr(world, f"cctv_request_{suffix}", request)


def extend(world: Any) -> None:
    _records(world, "own", world.household_own, world.child_own, world.sam)
    _records(world, "other", world.household_other, world.child_other, world.frank)
    _records(world, "south", world.household_south, world.child_south, world.olga)
