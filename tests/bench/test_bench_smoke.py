"""The bench generator and harness, at a tiny scale, so `make bench` cannot rot unnoticed."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count

from bench import generate, run
from safecare.core.models import Task, TaskStatus, User
from safecare.core.roles import Role
from safecare.households.models import (
    Allocation,
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    Placement,
)

SIZES = generate.Sizes.tiny()


@pytest.fixture
def counts(db: None) -> dict[str, int]:
    return generate.generate(SIZES)


def test_it_generates_the_households_children_and_people_asked_for(counts: dict[str, int]) -> None:
    service = generate.existing_service()
    assert service is not None
    households = Household.objects.filter(service=service)
    assert households.count() == SIZES.households
    assert Child.objects.filter(service=service).count() == SIZES.children
    members = Counter(HouseholdMember.objects.values_list("household_id", flat=True))
    assert set(members) == set(households.values_list("pk", flat=True))
    assert all(1 <= n <= 3 for n in members.values())
    roles = Counter(User.objects.filter(service=service).values_list("role", flat=True))
    assert roles[Role.SUPERVISING_SW] == SIZES.ssws
    assert roles[Role.CHILDS_SW] == SIZES.csws
    assert User.objects.get(username=generate.TEAM_MANAGER).role == Role.FOSTERING_TEAM_MANAGER
    assert User.objects.get(username=generate.FLOOR_USER).role == Role.BUSINESS_SUPPORT
    # The counts reported are the rows in the database.
    assert counts["households"] == SIZES.households
    assert counts["tasks"] == Task.objects.filter(service=service).count()
    assert counts["placements"] == Placement.objects.filter(service=service).count()


def test_it_allocates_every_case_once(counts: dict[str, int]) -> None:
    current = Allocation.objects.current()
    supervised = Household.objects.filter(status__in=[HouseholdStatus.APPROVED, HouseholdStatus.ON_HOLD])
    assert sorted(current.filter(kind="supervising").values_list("household_id", flat=True)) == sorted(
        supervised.values_list("pk", flat=True)
    )
    assert current.filter(kind="childs").count() == SIZES.children
    heavy = User.objects.get(username=generate.HEAVY_SSW)
    assert current.filter(worker=heavy, kind="supervising").count() == SIZES.heavy_households


def test_it_places_children_only_in_approved_households_within_their_numbers(
    counts: dict[str, int],
) -> None:
    current = Placement.objects.current()
    assert not current.values("child").annotate(n=Count("id")).filter(n__gt=1).exists()
    for household in Household.objects.filter(placements__in=current).distinct():
        assert household.status == HouseholdStatus.APPROVED
        assert current.filter(household=household).count() <= household.max_children
    big = Household.objects.get(name=generate.BIG_HOUSEHOLD_NAME)
    assert current.filter(household=big).count() == big.max_children
    assert Placement.objects.filter(household=big, end_on__isnull=False).exists()


def test_it_spreads_open_and_done_tasks_over_rules_and_owners(counts: dict[str, int]) -> None:
    tasks = Task.objects.all()
    assert tasks.filter(status=TaskStatus.OPEN).exists()
    assert tasks.filter(status=TaskStatus.DONE).exists()
    assert not tasks.filter(team__isnull=True).exists()
    # SC-3: the household approved last week has its guidance duty open in the heavy inbox.
    heavy = User.objects.get(username=generate.HEAVY_SSW)
    assert tasks.filter(rule_id="SC-3", status=TaskStatus.OPEN, owner=heavy).exists()
    assert {"SC-3", "BENCH-1"} <= set(tasks.values_list("rule_id", flat=True))
    assert tasks.filter(kind__startswith="bench_duty_").exists()
    assert tasks.filter(kind__startswith="bench_child_duty_", child__isnull=False).exists()


def test_it_times_every_page_and_counts_its_queries(counts: dict[str, int]) -> None:
    rows = run.pages()
    assert rows[0][1] == "/"  # the floor first
    for label, path, username in rows:
        result = run.measure(label, path, username, requests=2, warmup=0)
        assert len(result.times_ms) == 2
        assert result.statuses
        assert min(result.queries) > 0


def test_it_reads_p50_and_p95_by_nearest_rank() -> None:
    result = run.Result("page", "/", "user", times_ms=[float(n) for n in range(1, 31)])
    assert result.p50 == 15.5
    assert result.p95 == 29.0
