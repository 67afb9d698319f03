"""Shared fixtures: a fostering service with one named user per role (STYLE: named users).

`world` has two services. In "North Fostering" every role has a user with a
case of their own; "South Fostering" holds the other-service records that
nobody in North may ever see.

Own/other pairs the access tests use (also member_, placement_, task_ own/other):
  household_own / household_other  -- A (placed child, SSW sam, carer carol) / B (same service, nobody's)
  child_own / child_other          -- X placed at A, CSW chris / Y placed at B
  household_south / child_south     -- records of the other service
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.core.models import ClosureDay, FosteringService, Notification, Task, Team, TeamKind, User
from safecare.core.roles import Role
from safecare.households.models import (
    Allocation,
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MemberKind,
    Placement,
)
from tests.factories import (
    AllocationFactory,
    ChildFactory,
    HouseholdFactory,
    MemberFactory,
    PlacementFactory,
    ServiceFactory,
    TaskFactory,
    TeamFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"

# One named user per role. The name says the role; tests read like the policy.
ROLE_USERS = {
    "carol": Role.CARER,
    "asha": Role.ASSESSING_SW,
    "sam": Role.SUPERVISING_SW,
    "chris": Role.CHILDS_SW,
    "fiona": Role.FOSTERING_TEAM_MANAGER,
    "tom": Role.CHILDRENS_TEAM_MANAGER,
    "sue": Role.SERVICE_MANAGER,
    "frank": Role.FOSTERING_MANAGER,
    "helen": Role.HEAD_OF_FOSTERING,
    "harry": Role.HEAD_OF_SERVICE,
    "bella": Role.BUSINESS_SUPPORT,
    "pat": Role.PANEL_MEMBER,
    "adam": Role.AGENCY_DECISION_MAKER,
    "ada": Role.SERVICE_ADMIN,
}


@dataclass
class World:
    service: FosteringService
    south: FosteringService
    fostering_team: Team
    other_fostering_team: Team
    children_team: Team
    users: dict[str, User]
    household_own: Household
    household_other: Household
    household_applicant: Household
    household_south: Household
    child_own: Child
    child_other: Child
    child_south: Child
    carer_member: HouseholdMember
    member_own: HouseholdMember
    member_other: HouseholdMember
    placement_own: Placement
    placement_other: Placement
    task_own: Task
    task_other: Task
    allocation_own: Allocation
    allocation_south: Allocation
    closure_own: ClosureDay
    closure_south: ClosureDay
    notification_own: Notification
    extra: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def _weekday(year: int, month: int, day: int) -> dt.date:
    date = dt.date(year, month, day)
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    return date


def make_world() -> World:
    today = timezone.localdate()
    service = ServiceFactory(name="North Fostering", slug="north")
    south = ServiceFactory(name="South Fostering", slug="south")
    fostering_team = TeamFactory(service=service, name="Fostering North", kind=TeamKind.FOSTERING)
    other_fostering_team = TeamFactory(service=service, name="Fostering West", kind=TeamKind.FOSTERING)
    children_team = TeamFactory(service=service, name="Children East", kind=TeamKind.CHILDREN)
    team_for = {
        Role.ASSESSING_SW: fostering_team,
        Role.SUPERVISING_SW: fostering_team,
        Role.FOSTERING_TEAM_MANAGER: fostering_team,
        Role.CHILDS_SW: children_team,
        Role.CHILDRENS_TEAM_MANAGER: children_team,
    }
    users = {
        name: UserFactory(
            username=name, service=service, role=role, team=team_for.get(role), first_name=name.title()
        )
        for name, role in ROLE_USERS.items()
    }
    users["oscar"] = UserFactory(username="oscar", service=service, role=Role.CARER, first_name="Oscar")
    users["olga"] = UserFactory(username="olga", service=south, role=Role.HEAD_OF_SERVICE, first_name="Olga")

    household_own = HouseholdFactory(service=service, name="Patel household", team=fostering_team)
    household_other = HouseholdFactory(service=service, name="Jones household", team=other_fostering_team)
    household_applicant = HouseholdFactory(
        service=service,
        name="Okafor household",
        team=fostering_team,
        status=HouseholdStatus.IN_ASSESSMENT,
        approved_on=None,
    )
    household_south = HouseholdFactory(service=south, name="Southern household")
    carer_member = MemberFactory(
        household=household_own, user=users["carol"], first_name="Carol", last_name="Patel"
    )
    member_other = MemberFactory(
        household=household_other, user=users["oscar"], first_name="Oscar", last_name="Jones"
    )
    MemberFactory(household=household_applicant, kind=MemberKind.CARER, first_name="Ada", last_name="Okafor")

    allocation_own = AllocationFactory(worker=users["sam"], kind="supervising", household=household_own)
    AllocationFactory(worker=users["asha"], kind="assessing", household=household_applicant)
    child_own = ChildFactory(service=service, first_name="Xavier", last_name="Smith", team=children_team)
    child_other = ChildFactory(service=service, first_name="Yasmin", last_name="Brown")
    child_south = ChildFactory(service=south, first_name="Zoe", last_name="South")
    AllocationFactory(worker=users["chris"], kind="childs", child=child_own)
    start = today - dt.timedelta(days=60)
    placement_own = PlacementFactory(child=child_own, household=household_own, start_on=start)
    placement_other = PlacementFactory(child=child_other, household=household_other, start_on=start)
    PlacementFactory(child=child_south, household=household_south, start_on=start)
    task_own = TaskFactory(
        service=service, owner=users["sam"], team=fostering_team, household=household_own, due_on=today
    )
    task_other = TaskFactory(
        service=service, owner=None, team=other_fostering_team, household=household_other
    )
    south_ssw = UserFactory(username="stella", service=south, role=Role.SUPERVISING_SW, first_name="Stella")
    allocation_south = AllocationFactory(worker=south_ssw, kind="supervising", household=household_south)
    next_year = today.year + 1
    closure_own = ClosureDay.objects.create(
        service=service, date=_weekday(next_year, 6, 10), reason="Training day"
    )
    closure_south = ClosureDay.objects.create(
        service=south, date=_weekday(next_year, 6, 10), reason="Training day"
    )
    notification_own = Notification.objects.create(
        service=service,
        recipient=users["sam"],
        kind="test",
        subject="A test alert",
        reference=task_own.reference,
        url=f"/tasks/{task_own.pk}/",
        dedupe_key="test",
    )
    world = World(
        service=service,
        south=south,
        fostering_team=fostering_team,
        other_fostering_team=other_fostering_team,
        children_team=children_team,
        users=users,
        household_own=household_own,
        household_other=household_other,
        household_applicant=household_applicant,
        household_south=household_south,
        child_own=child_own,
        child_other=child_other,
        child_south=child_south,
        carer_member=carer_member,
        member_own=carer_member,
        member_other=member_other,
        placement_own=placement_own,
        placement_other=placement_other,
        task_own=task_own,
        task_other=task_other,
        allocation_own=allocation_own,
        allocation_south=allocation_south,
        closure_own=closure_own,
        closure_south=closure_south,
        notification_own=notification_own,
    )
    # Each app's tests may add the records its access-table rows name
    # (tests/<app>/world.py with extend(world)).
    for app in ("agreements", "notices", "supervision", "devices"):
        try:
            module = importlib.import_module(f"tests.{app}.world")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.world" and error.name != f"tests.{app}":
                raise
            continue
        module.extend(world)
    return world


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def sign_in(client: Client, user: User) -> Client:
    """Sign in as a fully verified user: password and, where required, the second factor."""
    client.force_login(user)
    if user.requires_two_factor():
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """client_for(user) -> a Client signed in as that user, verified."""

    def make(user: User) -> Client:
        fresh = Client()
        return sign_in(fresh, user)

    return make
