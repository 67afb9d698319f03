"""The household approval status as a small state machine.

States are HouseholdStatus; TRANSITIONS is the whole table of allowed moves;
households.services.household_change_status is the one entry point.
:func:`status_on` reads the status a household had on any day from its history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import Household, HouseholdStatusChange
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

# Statuses with no way out: a change to one of them is asked to be confirmed,
# needs every placement ended first, and cancels the household's open duties.
FINAL = frozenset(status for status, moves in TRANSITIONS.items() if not moves)


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


# The status on a date ----------------------------------------------------------------------------


def status_history(household: Household) -> list[HouseholdStatusChange]:
    """The household's status changes in the order they took effect."""
    return list(household.status_changes.order_by("effective_on", "changed_at", "id"))


def status_on(household: Household, day: dt.date, history: list[HouseholdStatusChange] | None = None) -> str:
    """The approval status the household had on `day`, from its status history.

    The last change that took effect on or before the day decides; before the
    first change the household had that change's from-status; with no change
    recorded, the status it has now. Approval starts on ``approved_on``: a
    household approved before its history was kept here (``approved_on`` with no
    row for it) was not yet approved before that date, whatever the rows say.
    """
    changes = status_history(household) if history is None else history
    earlier = [change for change in changes if change.effective_on <= day]
    if earlier:
        status = earlier[-1].to_status
    elif changes:
        status = changes[0].from_status
    else:
        status = household.status
    if (
        status in (S.APPROVED, S.ON_HOLD)
        and household.approved_on is not None
        and day < household.approved_on
    ):
        return S.IN_ASSESSMENT
    return status
