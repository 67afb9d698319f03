"""Recordings and supervisions of the shared `world` (tests/conftest.py make_world).

recording_own / recording_other / recording_south      carol's about child_own; oscar's about
                                                        child_other; one in South Fostering
supervision_own / _other / _south                      drafts at household_own / _other / _south
completed_supervision_own / _other / _south            completed records, not yet acknowledged
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.core.audit import save_as
from safecare.households.models import Placement
from safecare.supervision.models import Recording, Supervision, SupervisionStatus


def _recording(placement: Placement, author: Any, text: str) -> Recording:
    recording = Recording(
        service_id=placement.service_id,
        household=placement.household,
        child=placement.child,
        placement=placement,
        recorded_on=timezone.localdate() - dt.timedelta(days=1),
        text=text,
        written_by=author,
    )
    save_as(recording, author)
    return recording


def _supervision(household: Any, author: Any, *, completed: bool) -> Supervision:
    supervision = Supervision(
        service_id=household.service_id,
        household=household,
        held_on=timezone.localdate() - dt.timedelta(days=14 if completed else 0),
        discussion="How the placement is going.",
        safe_care_discussion="Reviewed the safe caring agreement together." if completed else "",
        device_check_done=True if completed else None,
        device_check_notes="No new devices." if completed else "",
        written_by=author,
    )
    if completed:
        supervision.status = SupervisionStatus.COMPLETED
        supervision.completed_at = timezone.now()
        supervision.completed_by = author
    save_as(supervision, author)
    return supervision


def extend(world: Any) -> None:
    south_placement = Placement.objects.get(household=world.household_south)
    world.recording_own = _recording(
        world.placement_own, world.carol, "Xavier enjoyed football after school."
    )
    world.recording_other = _recording(world.placement_other, world.oscar, "Yasmin visited her grandmother.")
    world.recording_south = _recording(south_placement, world.olga, "A quiet day at home.")
    world.supervision_own = _supervision(world.household_own, world.sam, completed=False)
    world.supervision_other = _supervision(world.household_other, world.frank, completed=False)
    world.supervision_south = _supervision(world.household_south, world.olga, completed=False)
    world.completed_supervision_own = _supervision(world.household_own, world.sam, completed=True)
    world.completed_supervision_other = _supervision(world.household_other, world.frank, completed=True)
    world.completed_supervision_south = _supervision(world.household_south, world.olga, completed=True)
