"""The household approval status as a small state machine.

States are HouseholdStatus; TRANSITIONS is the whole table of allowed moves;
households.services.household_change_status is the one entry point.
"""

from __future__ import annotations

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


def permission_for(from_status: str, to_status: str) -> str:
    """The django-rules permission a user needs for this move (households/rules.py)."""
    if to_status in {S.APPROVED, S.DEREGISTERED}:
        return "households.approve_household"
    if to_status == S.IN_ASSESSMENT:
        return "households.start_assessment"
    return "households.hold_household"
