"""The household approval status as a small state machine.

States are HouseholdStatus; TRANSITIONS is the whole table of allowed moves;
households.services.household_change_status is the one entry point.
"""

from __future__ import annotations

from typing import Any

from .models import HouseholdStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLICANT: frozenset({S.IN_ASSESSMENT, S.RESIGNED}),
    S.IN_ASSESSMENT: frozenset({S.APPROVED, S.RESIGNED}),
    S.APPROVED: frozenset({S.ON_HOLD, S.RESIGNED, S.DEREGISTERED}),
    S.ON_HOLD: frozenset({S.APPROVED, S.RESIGNED, S.DEREGISTERED}),
    # Ended: a return needs a full new assessment as a new applicant (SOC-11).
    S.RESIGNED: frozenset(),
    S.DEREGISTERED: frozenset(),
}

# Statuses in which children may be placed with the household.
PLACEABLE = frozenset({S.APPROVED})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


# The permission each target status needs (households/rules.py). Approval,
# deregistration and resumption are decisions for managers; the rest are the worker's.
TRANSITION_PERMISSIONS: dict[str, str] = {
    S.IN_ASSESSMENT: "households.start_assessment",
    S.APPROVED: "households.approve_household",
    S.DEREGISTERED: "households.approve_household",
    S.ON_HOLD: "households.hold_household",
    S.RESIGNED: "households.hold_household",
}


def permission_for(to_status: str) -> str:
    """The django-rules permission a user needs to move a household to `to_status`."""
    return TRANSITION_PERMISSIONS.get(to_status, "households.approve_household")


def allowed_next_for(user: Any, status: str) -> list[str]:
    """The moves from `status` this user may make, in the order of HouseholdStatus."""
    allowed = allowed_next(status)
    return [to for to in S if to in allowed and user.has_perm(permission_for(to))]


def may_change_any_status(user: Any) -> bool:
    return any(user.has_perm(perm) for perm in set(TRANSITION_PERMISSIONS.values()))
