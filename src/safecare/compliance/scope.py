"""Whose duties a reader's compliance figures count (decision 0049).

The figures are counted over exactly the duties the reader could open one by one
(core.access.tasks_visible_to), narrowed to what they chose to look at: so a total never
reveals a record the reader could not open, and a drill-down from any number lists only
records they may open.

- Fostering managers, heads of fostering and heads of service: the whole service, or one of
  its teams, workers or households.
- Team managers: their team, or one of its workers or households.
- Workers (assessing, supervising and children's social workers, and service managers, who
  are not named among the service-wide readers): their own duties, or those of one of their
  households.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from safecare.core.access import is_active, tasks_visible_to
from safecare.core.models import Task, Team, User
from safecare.core.roles import Role
from safecare.households.access import households_visible_to
from safecare.households.models import Household

from .figures import Tallied

SERVICE_ROLES = frozenset({Role.FOSTERING_MANAGER, Role.HEAD_OF_FOSTERING, Role.HEAD_OF_SERVICE})
TEAM_ROLES = frozenset({Role.FOSTERING_TEAM_MANAGER, Role.CHILDRENS_TEAM_MANAGER})
WORKER_ROLES = frozenset({Role.ASSESSING_SW, Role.SUPERVISING_SW, Role.CHILDS_SW, Role.SERVICE_MANAGER})


def reach(user: User) -> str:
    """ "service", "team" or "own": how far the reader's figures go; "" for none (a 404)."""
    if not is_active(user) or user.service_id is None:
        return ""
    if user.role in SERVICE_ROLES:
        return "service"
    if user.role in TEAM_ROLES and user.team_id:
        return "team"
    if user.role in WORKER_ROLES or user.role in TEAM_ROLES:
        return "own"
    return ""


def readable_tasks(user: User) -> QuerySet[Task]:
    """Every duty the reader's figures may count: those they could open, and no others."""
    how_far = reach(user)
    if not how_far:
        return Task.objects.none()
    tasks = tasks_visible_to(user)
    if how_far == "own":
        # A service manager opens the service's tasks from its dashboard, but is not among the
        # service-wide readers of compliance figures: their own duties only (decision 0049).
        tasks = tasks.filter(owner_id=user.pk)
    return tasks


@dataclass(frozen=True)
class Subject:
    """What the figures are about: the reader's whole reach, or one team, worker or household."""

    team: Team | None = None
    worker: User | None = None
    household: Household | None = None

    @property
    def label(self) -> str:
        if self.household is not None:
            return f"{self.household.name} ({self.household.reference})"
        if self.worker is not None:
            return self.worker.display_name
        if self.team is not None:
            return self.team.name
        return ""

    def query(self) -> dict[str, str]:
        """The subject as query parameters, for links that keep it."""
        params: dict[str, str] = {}
        if self.team is not None:
            params["team"] = str(self.team.pk)
        if self.worker is not None:
            params["worker"] = str(self.worker.pk)
        if self.household is not None:
            params["household"] = str(self.household.pk)
        return params


def teams_for(user: User) -> QuerySet[Team]:
    how_far = reach(user)
    teams = Team.objects.filter(service_id=user.service_id)
    if how_far == "service":
        return teams.order_by("name", "id")
    if how_far == "team" and user.team_id is not None:
        return teams.filter(pk=user.team_id)
    return teams.none()


def workers_for(user: User) -> QuerySet[User]:
    """Staff whose duties the reader may count: the service's, the team's, or only themselves."""
    how_far = reach(user)
    staff = User.objects.filter(service_id=user.service_id).exclude(role__in=[Role.CARER, ""])
    if how_far == "service":
        pass
    elif how_far == "team" and user.team_id is not None:
        staff = staff.filter(team_id=user.team_id)
    elif how_far == "own":
        staff = staff.filter(pk=user.pk)
    else:
        staff = staff.none()
    return staff.order_by("first_name", "last_name", "id")


def subject_for(
    user: User, *, team_id: int | None = None, worker_id: int | None = None, household_id: int | None = None
) -> Subject:
    """The chosen subject, checked against the reader's reach; one outside it answers 404."""
    team = worker = household = None
    if team_id is not None:
        team = teams_for(user).filter(pk=team_id).first()
        if team is None:
            raise Http404
    if worker_id is not None:
        worker = workers_for(user).filter(pk=worker_id).first()
        if worker is None:
            raise Http404
    if household_id is not None:
        household = households_visible_to(user).filter(pk=household_id).first()
        if household is None:
            raise Http404
    return Subject(team=team, worker=worker, household=household)


def tallied(user: User, subject: Subject) -> Tallied | None:
    """Whose tallies may stand for the closed duties the reader's figures count (decision 0060).

    The whole service's, for a service-wide reader; a team's, for a service-wide reader who
    chose it or a team manager (whose own duties of other teams are then read one by one).
    None for a worker or a household: those are few enough to count from the tasks.
    """
    how_far = reach(user)
    if subject.worker is not None or subject.household is not None or user.service_id is None:
        return None
    if how_far == "service":
        return Tallied(user.service_id, subject.team.pk if subject.team is not None else None)
    if how_far == "team" and user.team_id is not None:
        if subject.team is not None and subject.team.pk != user.team_id:
            return None
        return Tallied(user.service_id, user.team_id)
    return None


def subject_tasks(user: User, subject: Subject) -> QuerySet[Task]:
    tasks = readable_tasks(user)
    if subject.team is not None:
        tasks = tasks.filter(team_id=subject.team.pk)
    if subject.worker is not None:
        tasks = tasks.filter(owner_id=subject.worker.pk)
    if subject.household is not None:
        tasks = tasks.filter(household_id=subject.household.pk)
    return tasks
