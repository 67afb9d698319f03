"""What the notices rules do when a case event happens elsewhere (safecare.core.events): SC-9."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safecare.core.events import Event, subscribe

from . import duties

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Placement


@subscribe(Event.PLACEMENT_STARTED)
def placement_started(*, actor: User, placement: Placement, **_: object) -> None:
    duties.placement_started(actor=actor, placement=placement)
