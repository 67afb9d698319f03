"""Who may act on a device or a request, and who acts for the household: shared by the register and CCTV services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safecare.households.access import households_visible_to

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household


def require(actor: User, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(f"{actor} may not {perm}")


def require_household(actor: User, household: Household) -> None:
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        raise PermissionDenied(f"{actor} may not write for household {household.pk}")


def household_ssw(household: Household) -> User | None:
    from safecare.households.selectors import household_worker

    return household_worker(household)


def working_days_from_today(household: Household, days: int) -> dt.date:
    return household.service.calendar().add_working_days(timezone.localdate(), days)
