"""The access policy for case records: who may see which households, children and placements (rules: Who sees what).

Every page, API route and download reads case data through these scopes; a
record outside a user's scope is answered as if it did not exist (404). Deny
by default: a role not named in a scope sees nothing. One condition per line,
so the tests of each role show up line by line in coverage. The scopes live
beside the models they scope; tasks are scoped in safecare.core.access.

Dates are read per call: ending a placement ends a carer's access to the child
on the very next request.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from safecare.core.access import is_active
from safecare.core.models import User
from safecare.core.roles import ALL_CHILDREN_ROLES, ALL_HOUSEHOLDS_ROLES, Role

from .models import Allocation, Child, Household, HouseholdMember, Placement


def _current_placements(today: dt.date) -> Q:
    return Q(start_on__lte=today) & (Q(end_on__isnull=True) | Q(end_on__gt=today))


def sees_every_household(user: User) -> bool:
    """Whether the user sees every household of their service (households_visible_to): a page
    over the whole service may then filter by the service alone."""
    return is_active(user) and user.role in ALL_HOUSEHOLDS_ROLES


def households_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[Household]:
    none = Household.objects.none()
    if not is_active(user):
        return none
    today = today or timezone.localdate()
    in_service = Household.objects.filter(service_id=user.service_id)
    role = user.role

    if role == Role.CARER:
        # One subquery on the carer's own member row: the moved-out test must be about
        # that row, not any member's, and a household is returned once however many live there.
        return in_service.filter(
            Exists(
                HouseholdMember.objects.filter(
                    Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=today),
                    household=OuterRef("pk"),
                    user=user,
                    kind="carer",
                )
            )
        )
    if role == Role.ASSESSING_SW:
        return in_service.filter(
            Exists(
                Allocation.objects.current().filter(household=OuterRef("pk"), worker=user, kind="assessing")
            )
        )
    if role == Role.SUPERVISING_SW:
        return in_service.filter(
            Exists(
                Allocation.objects.current().filter(household=OuterRef("pk"), worker=user, kind="supervising")
            )
        )
    if role == Role.FOSTERING_TEAM_MANAGER:
        return in_service.filter(team_id=user.team_id) if user.team_id else none
    if sees_every_household(user):
        return in_service
    # Roles who see households through the children placed there.
    children = children_visible_to(user, today=today)
    if role in {Role.CHILDS_SW, Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER}:
        return in_service.filter(
            Exists(
                Placement.objects.filter(
                    _current_placements(today), household=OuterRef("pk"), child__in=children
                )
            )
        )
    return none


def children_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[Child]:
    none = Child.objects.none()
    if not is_active(user):
        return none
    today = today or timezone.localdate()
    in_service = Child.objects.filter(service_id=user.service_id)
    role = user.role

    if role == Role.CHILDS_SW:
        return in_service.filter(
            Exists(Allocation.objects.current().filter(child=OuterRef("pk"), worker=user, kind="childs"))
        )
    if role == Role.CHILDRENS_TEAM_MANAGER:
        return in_service.filter(team_id=user.team_id) if user.team_id else none
    if role in ALL_CHILDREN_ROLES:
        return in_service
    # Roles who see children through the household they are placed with, today.
    if role in {Role.CARER, Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER}:
        households = households_visible_to(user, today=today)
        return in_service.filter(
            Exists(
                Placement.objects.filter(
                    _current_placements(today), child=OuterRef("pk"), household__in=households
                )
            )
        )
    return none


def placements_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[Placement]:
    """Placements of visible children. A carer sees only the current placement with them."""

    if not is_active(user):
        return Placement.objects.none()
    today = today or timezone.localdate()
    placements = Placement.objects.filter(
        service_id=user.service_id, child__in=children_visible_to(user, today=today)
    )
    if user.role == Role.CARER:
        return placements.filter(
            _current_placements(today), household__in=households_visible_to(user, today=today)
        )
    return placements


def members_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[HouseholdMember]:

    return HouseholdMember.objects.filter(household__in=households_visible_to(user, today=today))
