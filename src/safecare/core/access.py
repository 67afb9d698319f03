"""The access policy's ground floor: who is an active user, and who sees which tasks (rules: Who sees what).

The scopes of case records (households, children, placements, members) live
beside the models they scope, in safecare.households.access; every page, API
route and download reads case data through those scopes or through this
module. Deny by default: a role not named in a scope sees nothing. One
condition per line, so the tests of each role show up line by line in coverage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .roles import SERVICE_DASHBOARD_ROLES, Role

if TYPE_CHECKING:
    from .models import Task, User


def is_active(user: User) -> bool:
    """Signed in, active, in a service and in a role: anyone else sees nothing at all."""
    return bool(user.is_authenticated and user.is_active and user.service_id and user.role)


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """A user's own tasks; a team manager's team; a service manager's whole service."""
    from .models import Task

    if not is_active(user):
        return Task.objects.none()
    in_service = Task.objects.filter(service_id=user.service_id)
    if user.role in SERVICE_DASHBOARD_ROLES:
        return in_service
    if user.role in {Role.FOSTERING_TEAM_MANAGER, Role.CHILDRENS_TEAM_MANAGER} and user.team_id:
        return in_service.filter(Q(owner=user) | Q(team_id=user.team_id))
    return in_service.filter(owner=user)


def own_tasks(user: User) -> QuerySet[Task]:
    """The user's own tasks: a part of `tasks_visible_to` for every role, asked without its
    `owner OR team` condition, which would only mislead the planner here (decision 0055)."""
    from .models import Task

    if not is_active(user):
        return Task.objects.none()
    return Task.objects.filter(service_id=user.service_id, owner=user)


def team_tasks(user: User) -> QuerySet[Task]:
    """The tasks of the user's team, for those who see them all: team managers and the service
    dashboard roles. A part of `tasks_visible_to`, asked by the team alone (decision 0055).

    A task's team is not always its owner's (a household's duty has the household's team; a
    manager may hold a duty of another team), so `tasks_visible_to` keeps its `owner OR team`.
    """
    from .models import Task

    team_roles = {Role.FOSTERING_TEAM_MANAGER, Role.CHILDRENS_TEAM_MANAGER, *SERVICE_DASHBOARD_ROLES}
    if not is_active(user) or user.role not in team_roles or not user.team_id:
        return Task.objects.none()
    return Task.objects.filter(service_id=user.service_id, team_id=user.team_id)


def sees_case_content(user: User) -> bool:
    """Service administrators and business support manage people, not cases (rules: Who sees what)."""
    return is_active(user) and user.role not in {Role.SERVICE_ADMIN, Role.BUSINESS_SUPPORT}
