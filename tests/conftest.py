"""Shared fixtures: a fostering service with one named user per role (STYLE: named users).

`world` has two services. In "North Fostering" every role has a user with a
case of their own; "South Fostering" holds the other-service records that
nobody in North may ever see.

Own/other pairs the access tests use (also member_, placement_, task_ own/other):
  household_own / household_other  -- A (placed child, SSW sam, carer carol) / B (same service, nobody's)
  child_own / child_other          -- X placed at A, CSW chris / Y placed at B
  household_south / child_south     -- records of the other service

Built once, restored for every test
-----------------------------------
Building the world (make_world() and each app's tests/<app>/world.py) costs more
than most tests, so each test process (each xdist worker, with a test database of
its own) builds it once and commits it to that database, outside any test's
transaction (`_shared_world`). The Python objects as built are kept as a template.

Why a test cannot see another's changes:
- An ordinary test (`django_db`, `db`) runs inside a transaction that is rolled
  back when it ends: whatever it writes, deletes or signs is gone before the next
  test, which finds the committed world again.
- Its `world` is a copy.deepcopy of the template, as Django copies the objects of
  setUpTestData: instances of its own, in the state a fresh make_world() leaves
  them in, that it may change freely.
- The build's after-commit callbacks (notification e-mails) are dropped, as a
  rolled-back test's would be, so committing the world sends nothing.
- A database test without `world` gets an empty database, as before: the world
  is taken away first. Those tests run first in each process
  (pytest_collection_modifyitems), so this seldom costs anything.
- A test that commits (`transaction=True`, `transactional_db`, `live_server`: the
  browser tests) builds its own world in an empty database, and Django empties
  every table after it. So the world is flushed before such a test and committed
  again before the next test that wants it. pytest-django runs those tests last.
Both happen in pytest_runtest_setup, before any fixture of the test, so outside
its transaction.

The world is dated: placements began 60 days before the day it was built, the
closure day is next year. If the day has changed (a run past midnight) the world
is built again. A test that names its day (the `today` fixture, parametrized with
the day: tests/clock.py) is given the world built that day at 10:00, committed
like the world of today before its transaction opens; the tests of each named day
run one after the other (pytest_collection_modifyitems), so each process builds a
day's world once, not once for each of its tests. If some other fixture has
stopped the clock before `world`, that test gets a world of its own, made on that
day inside its transaction, where the shared rows are set aside until the rollback.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

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
from tests import append_only_flush, log_scan
from tests.clock import named_day, stopped_at
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

# SQLite's flush is DELETE, which append-only tables refuse: drop their DELETE triggers
# around it, in test code only (decision 0021).
append_only_flush.install()

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

# Property tests check what is true, not how fast examples are drawn: on a loaded 2-core CI
# machine drawing a device's facts can take over a second, which is no failure of Safecare.
hypothesis_settings.register_profile("safecare", suppress_health_check=[HealthCheck.too_slow], deadline=None)
hypothesis_settings.load_profile("safecare")


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


# Tables that hold what the migrations made, not test data: a world of a test's own
# leaves them alone.
_KEEP_TABLES = {"django_content_type", "auth_permission"}


def _commits(item: pytest.Item) -> bool:
    """Whether pytest-django runs this test outside a transaction (Django flushes after it)."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"transactional_db", "live_server", "django_db_reset_sequences"})


def _uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        names & {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    )


def _uses_world(item: pytest.Item) -> bool:
    return "_shared_world" in getattr(item, "fixturenames", ())


def _flush() -> None:
    """Empty every table, committed: what Django does after a test that commits.

    On PostgreSQL the rows are deleted (below) rather than truncated: a world is a few hundred
    rows, and TRUNCATE of every table took over a second each time a day's world replaced
    another (decision 0065).
    """
    if connection.vendor == "postgresql":
        with transaction.atomic():
            _set_aside_in_transaction()
        return
    call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False)


def _set_aside_in_transaction() -> None:
    """Empty the data tables inside the current (test) transaction; the rollback brings them back."""
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in _KEEP_TABLES
    ]
    if connection.vendor != "postgresql":
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
        return
    # PostgreSQL: DELETE is cheap for a few rows where TRUNCATE rewrites every table. The
    # append-only tables' triggers refuse DELETE (core.append_only) and every foreign key checks
    # each row: with the session as a replica, for these statements only, neither trigger fires
    # (the test runner's account owns the database). Inside a test nothing is committed: its
    # rollback brings every row back.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # One round trip for every statement; the names are Django's own tables.
        deletes = "".join(f"DELETE FROM {quote(table)}; " for table in tables)  # noqa: S608
        cursor.execute(
            f"SET LOCAL session_replication_role = replica; {deletes}"
            "SET LOCAL session_replication_role = origin;"
        )


class SharedWorld:
    """The world committed once to this process's test database, and its template objects."""

    def __init__(self) -> None:
        self.blocker: Any = None  # pytest-django's django_db_blocker, once the test database exists
        self.template: World | None = None  # set while the world is committed
        self.built_on: dt.date | None = None
        self.built_at: dt.datetime | None = None

    def build(self) -> None:
        with self.blocker.unblock():
            if self.template is not None or FosteringService.objects.exists():
                _flush()  # the world of another day, or rows nobody should have left
            self.template = None
            with transaction.atomic():
                world = make_world()
                # A test's transaction is rolled back, so the e-mails the build asks to send
                # after the commit never went out; they must not go out now either.
                connection.run_on_commit.clear()
            self.template, self.built_on, self.built_at = world, timezone.localdate(), timezone.now()

    def discard(self) -> None:
        if self.template is not None:
            with self.blocker.unblock():
                _flush()
            self.template = None

    def is_current(self) -> bool:
        """Built today and not after now. A clock stopped earlier today than the build would
        see records written in its future (a test whose order is by time would read them wrong)."""
        return (
            self.template is not None
            and self.built_on == timezone.localdate()
            and self.built_at is not None
            and self.built_at <= timezone.now()
        )

    def copy(self) -> World:
        """A World of this test's own: new instances, in the state make_world() left them."""
        assert self.template is not None
        return copy.deepcopy(self.template)

    def prepare_for(self, item: pytest.Item) -> None:
        """Before item's fixtures: the committed world if it wants it, else an empty database."""
        if self.blocker is None:
            return  # no test database yet
        if connection.in_atomic_block:
            return  # a module's transaction is open (the access walk): leave the database be
        if _uses_world(item) and not _commits(item):
            # On the day the test names, if it names one: its world is built on that day.
            moment = stopped_at(item)
            with time_machine.travel(moment, tick=False) if moment else contextlib.nullcontext():
                if not self.is_current():
                    self.build()
        elif _uses_database(item):
            self.discard()


_SHARED = SharedWorld()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # After pytest-django's own ordering (plain database tests, then those that commit,
    # then the rest): the plain database tests without the world go first, so each process
    # builds the world once and seldom has to take it away again.
    # Among the tests that are given the world, those of each named day run together, after
    # those of today, so a process builds the world of a day once (tests/clock.py).
    def order(item: pytest.Item) -> tuple[int, dt.datetime]:
        if _uses_database(item) and not _commits(item):
            if not _uses_world(item):
                return (0, _TODAY_FIRST)
            moment = stopped_at(item)
            return (1, moment or _TODAY_FIRST)
        return (2, _TODAY_FIRST)  # those that commit and those without a database keep their order

    items.sort(key=order)


_TODAY_FIRST = dt.datetime.min.replace(tzinfo=dt.UTC)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    # Before any fixture of the item, so before its transaction opens: a world built here
    # is committed, and a flush here is not undone by a rollback.
    _SHARED.prepare_for(item)
    return (yield)


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[None]:
    """pytest-django's test database, where this process keeps its shared world."""
    _SHARED.blocker = django_db_blocker
    with django_db_blocker.unblock():
        if FosteringService.objects.exists():
            _flush()  # a database kept with --reuse-db still holds the world of a stopped run
    yield
    if request.config.getoption("reuse_db", default=False):
        _SHARED.discard()  # leave a kept database empty
    _SHARED.blocker = _SHARED.template = _SHARED.built_on = _SHARED.built_at = None


@pytest.fixture
def today(request: pytest.FixtureRequest) -> Iterator[time_machine.Traveller]:
    """The clock stopped at 10:00 London time on the day a test names, e.g.
    ``@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)``.

    Ask for it before ``world``, so the world is of that day too. The weekday is part of
    the name, and checked, so a test's literal dates are read against a calendar.
    """
    with time_machine.travel(named_day(request.param), tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def _shared_world(django_db_setup: None) -> SharedWorld:
    if not _SHARED.is_current():
        _SHARED.build()
    return _SHARED


@pytest.fixture
def world(request: pytest.FixtureRequest, _shared_world: SharedWorld, db: None) -> World:
    if _commits(request.node):
        _shared_world.discard()  # when this is the process's first test; no-op otherwise
        return make_world()
    if not _shared_world.is_current():
        # The clock was moved before this fixture: a world of this test's own, made at
        # that date, inside its transaction.
        _set_aside_in_transaction()
        return make_world()
    return _shared_world.copy()


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


# The logs of the whole run are read for children's and carers' names (tests/log_scan.py).
def pytest_configure(config: pytest.Config) -> None:
    log_scan.start(config)


def pytest_sessionfinish(session: pytest.Session) -> None:
    log_scan.finish(session)
