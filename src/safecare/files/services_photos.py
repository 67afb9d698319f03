"""Photos of children (PH-3 to PH-6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Placement


def placement_ended(*, actor: User, placement: Placement) -> None:
    """PH-5: the child's photos pass to their social worker; the household's access ends."""
