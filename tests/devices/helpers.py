"""Steps several device tests share: a camera for a CCTV request, and a request taken to its decision.

Through devices.services_register and devices.services_cctv, as the pages and the API
do. The world's own household (Patel): carer Carol, SSW Sam, fostering team manager
Fiona, Xavier placed (CSW Chris); Helen is the head of fostering, the default decider.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.devices import services_cctv, services_register
from safecare.devices.models import CctvRequest, Device, DeviceType, Purpose, RequestStatus, RoomKind

SECTIONS = {
    "reasons": "A former partner has threatened the household; the police advise a camera.",
    "alternatives": "New locks and an alarm were fitted in March; the threats continued.",
    "camera_positions": "One camera high in the hallway, facing the front door only.",
    "footage_access": "Both carers view it; footage with no use is deleted within 24 hours.",
    "evidence": "Kept only if the police ask for it as evidence.",
    "internet_security": "The system is not connected to the internet.",
    "children_effects": "Xavier's bedroom, the bathroom and the landing are out of view.",
}


def hallway_camera(world: Any, *, actor: Any = None, **changes: Any) -> Device:
    """A planned CCTV camera in the Patel hallway; the world's own request is set aside first."""
    CctvRequest.objects.filter(household=world.household_own).update(status=RequestStatus.WITHDRAWN)
    fields: dict[str, Any] = {
        "device_type": DeviceType.CCTV_CAMERA,
        "status": "planned",
        "room": "Hallway",
        "room_kind": RoomKind.COMMUNAL,
        "positioning": "High on the wall, facing the front door",
        "records_video": True,
        "purpose": Purpose.HOUSEHOLD_SAFETY,
        "responsible_person": "Carol Patel",
        "retention_hours": 24,
        "storage": "The recorder in the loft",
        "access": "Carol Patel",
        **changes,
    }
    return services_register.device_declare(actor=actor or world.sam, household=world.household_own, **fields)


def draft(
    world: Any, camera: Device, *, period_start: dt.date | None = None, period_end: dt.date | None = None
):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services_cctv.request_create(
        actor=world.sam,
        household=world.household_own,
        period_start=period_start or today,
        period_end=period_end or today + dt.timedelta(days=180),
        devices=[camera],
        **SECTIONS,
    )


def agreed(world: Any, camera: Device, **period: dt.date) -> CctvRequest:
    """A request for the camera, submitted, signed in order, answered by Chris and agreed by Helen."""
    request = draft(world, camera, **period)
    services_cctv.request_submit(actor=world.sam, request=request)
    for signer in (world.carol, world.sam, world.fiona):
        services_cctv.report_sign(actor=signer, request=request, confirmed=True)
    services_cctv.report_consent(actor=world.chris, request=request, child=world.child_own, agrees=True)
    services_cctv.request_decide(actor=world.helen, request=request, agreed=True, comments="Proportionate.")
    request.refresh_from_db()
    assert request.status == RequestStatus.AGREED
    return request
