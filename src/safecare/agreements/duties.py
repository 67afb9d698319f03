"""Duties the agreements rules raise when household events happen (SC-1, SC-4, SC-5).

Called explicitly by households.services, inside the event's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household, Placement


def assessment_started(*, actor: User, household: Household) -> None:
    """SC-1: the assessment opens the duty to write the household's agreement."""


def placement_started(*, actor: User, placement: Placement) -> None:
    """SC-4, SC-5: a new placement makes both agreements due again."""
