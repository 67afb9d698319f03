"""What the files rules do when a case event happens elsewhere (safecare.core.events).

PH-5: when a placement ends, the child's photos pass to their social worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safecare.core.events import Event, subscribe

from . import services_photos

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Placement


@subscribe(Event.PLACEMENT_ENDED)
def placement_ended(*, actor: User, placement: Placement, **_: object) -> None:
    services_photos.placement_ended(actor=actor, placement=placement)
