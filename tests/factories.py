"""Factories for the test suite: real rows in the real database, nothing mocked."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from safecare.core.models import FosteringService, Task, Team, TeamKind, User
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


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FosteringService
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Fostering Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.FOSTERING


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    service = factory.SubFactory(ServiceFactory)
    role = Role.SUPERVISING_SW
    password = factory.django.Password("correct horse battery staple")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Household {n}")
    status = HouseholdStatus.APPROVED
    approved_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))
    max_children = 2
    age_min = 0
    age_max = 17


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    kind = MemberKind.CARER
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = dt.date(1980, 5, 17)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    service = factory.SubFactory(ServiceFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365 * 9))


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    household = factory.SubFactory(HouseholdFactory)
    service = factory.LazyAttribute(lambda p: p.child.service)
    start_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    emergency = False


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    service = factory.LazyAttribute(lambda a: a.worker.service)
    worker = factory.SubFactory(UserFactory)
    kind = "supervising"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    service = factory.SubFactory(ServiceFactory)
    rule_id = "SC-3"
    kind = factory.Sequence(lambda n: f"test_duty_{n}")
    title = "A test duty"
    due_on = factory.LazyFunction(timezone.localdate)
    status = "open"
    # A closed duty has the moment it closed (the task_closed_has_moment constraint).
    completed_at = factory.LazyAttribute(lambda task: None if task.status == "open" else timezone.now())
