"""Reads of the standards of care records, scoped through households.access (rules: Who sees what).

- Concerns, route decisions, allegation outcomes and meeting proposals: the household's
  supervising social worker, the fostering team manager of its team, the fostering
  managers and the heads of fostering and of service (each through the households they
  see). A child's social worker sees the household but not these; nor does the assessing
  social worker.
- Visits and their agreed actions: those readers, and the household's carers, who take
  part in the visit. A carer never reads the concern itself: not who raised it (it may be
  anonymous), nor the route decision.
- Business support, panel members and the agency decision maker see none of it until a
  meeting or a referral to panel brings them in (SOC-8, SOC-10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from safecare.core.access import is_active
from safecare.core.roles import Role
from safecare.households.access import households_visible_to

from .models import AllegationResult, Concern, MeetingProposal, RouteDecision, Visit, VisitAction

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household

SOC_READERS = frozenset(
    {
        Role.SUPERVISING_SW,
        Role.FOSTERING_TEAM_MANAGER,
        Role.FOSTERING_MANAGER,
        Role.HEAD_OF_FOSTERING,
        Role.HEAD_OF_SERVICE,
    }
)
# Carers read the visit about their household, and the actions agreed at it.
VISIT_READERS = SOC_READERS | {Role.CARER}


def soc_households_visible_to(user: User) -> QuerySet[Household]:
    """The households whose standards of care records the user reads in full."""
    from safecare.households.models import Household

    if not is_active(user) or user.role not in SOC_READERS:
        return Household.objects.none()
    return households_visible_to(user)


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    return Concern.objects.filter(household__in=soc_households_visible_to(user))


def route_decisions_visible_to(user: User) -> QuerySet[RouteDecision]:
    return RouteDecision.objects.filter(concern__in=concerns_visible_to(user))


def allegation_results_visible_to(user: User) -> QuerySet[AllegationResult]:
    return AllegationResult.objects.filter(concern__in=concerns_visible_to(user))


def visits_visible_to(user: User) -> QuerySet[Visit]:
    if not is_active(user) or user.role not in VISIT_READERS:
        return Visit.objects.none()
    return Visit.objects.filter(household__in=households_visible_to(user))


def visit_actions_visible_to(user: User) -> QuerySet[VisitAction]:
    return VisitAction.objects.filter(visit__in=visits_visible_to(user))


def proposals_visible_to(user: User) -> QuerySet[MeetingProposal]:
    return MeetingProposal.objects.filter(household__in=soc_households_visible_to(user))


# One record: outside the reader's scope it does not exist (404) --------------------------------


def concern_for(user: User, pk: int) -> Concern:
    return get_object_or_404(concerns_visible_to(user).select_related("household", "recorded_by"), pk=pk)


def visit_for(user: User, pk: int) -> Visit:
    return get_object_or_404(visits_visible_to(user).select_related("household", "recorded_by"), pk=pk)


def proposal_for(user: User, pk: int) -> MeetingProposal:
    return get_object_or_404(proposals_visible_to(user).select_related("household", "task"), pk=pk)
