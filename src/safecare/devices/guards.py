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


def carers_to_tell(household: Household, *, besides: User | None = None) -> list[User]:
    """The household's carers now, with an account: those told of a decision on what they asked for.

    Whoever made the decision is left out: they know already.
    """
    from safecare.households.models import MemberKind

    today = timezone.localdate()
    members = household.members.filter(kind=MemberKind.CARER, user__isnull=False).select_related("user")
    return [
        m.user
        for m in members.order_by("id")
        if m.user is not None and m.is_current(today) and (besides is None or m.user.pk != besides.pk)
    ]


def working_days_from_today(household: Household, days: int) -> dt.date:
    return household.service.calendar().add_working_days(timezone.localdate(), days)
