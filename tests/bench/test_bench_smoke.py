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


def test_it_writes_years_of_records_behind_the_pages(counts: dict[str, int]) -> None:
    from safecare.core.models import AccessLog
    from safecare.supervision.models import Recording, RecordingRead, Supervision

    service = generate.existing_service()
    recordings = Recording.objects.filter(service=service)
    # Two years of duties before the last one: records go back three years.
    oldest = recordings.order_by("recorded_on").first()
    assert oldest is not None
    assert (counts["recordings"], counts["recording reads"]) == (
        recordings.count(),
        RecordingRead.objects.filter(recording__service=service).count(),
    )
    assert counts["recording reads"] < counts["recordings"]  # the last fortnight's are partly unread
    # SC-7: a recording read is not unread (the revision read kept with it, as a read's save keeps
    # it); the others are.
    assert recordings.filter(unread=True).count() == counts["recordings"] - counts["recording reads"]
    assert not recordings.filter(unread=True, reads__isnull=False).exists()
    # Every recording and read has its "created" history row, as a save would have written.
    assert Recording.history.filter(history_type="+").count() == counts["recordings"]
    assert RecordingRead.history.filter(history_type="+").count() == counts["recording reads"]
    # 450 access-log rows a household, and every task created once in its history.
    assert AccessLog.objects.filter(service=service).count() == 450 * SIZES.households
    assert Task.history.filter(history_type="+").count() == Task.objects.filter(service=service).count()
    assert Supervision.objects.filter(service=service, status="completed").exists()
    # The ids given by the writer were moved past: a new row takes the next one.
    assert Recording.objects.order_by("-pk").values_list("pk", flat=True)[0] == counts["recordings"]
    # The first carer of each approved household signs in to the portal.
    approved = Household.objects.filter(service=service, status=HouseholdStatus.APPROVED).count()
    assert User.objects.filter(service=service, role=Role.CARER).count() == approved


def test_it_times_every_page_in_shuffled_rounds_and_counts_its_queries(counts: dict[str, int]) -> None:
    rows = run.pages()
    assert rows[0].path == "/"  # the home page first
    results = run.measure_rounds(rows, rounds=2, warmup=0)
    for page, result in zip(rows, results, strict=True):
        assert len(result.times_ms) == 2, page.label
        assert result.statuses == {200}, (page.label, result.error)
        assert len(result.queries) == 3 and min(result.queries) > 0


def _result(label: str, p95: float, queries: int) -> run.Result:
    return run.Result(label, "/x/", "u", times_ms=[p95] * 20, queries=[queries], statuses={200})


def test_a_page_over_ten_queries_or_five_times_the_home_page_fails_the_run() -> None:
    rows = [run.Page("home", "/", "a", timed_goal=False), run.Page("inbox", "/tasks/", "b")]
    assert run.misses(rows, [_result("home", 10.0, 4), _result("inbox", 50.0, 10)], ratio_goal=5) == []
    assert run.misses(rows, [_result("home", 10.0, 5), _result("inbox", 50.0, 10)], ratio_goal=5) == [
        "home: 5 queries, over 4"
    ]
    assert run.misses(rows, [_result("home", 10.0, 4), _result("inbox", 50.1, 11)], ratio_goal=5) == [
        "inbox: 11 queries, over 10",
        "inbox: p95 5.0x the home page's, over 5x",
    ]


def test_a_page_in_debt_fails_the_small_run_only_past_its_count() -> None:
    rows = [run.Page("home", "/", "a", timed_goal=False), run.Page("meeting", "/m/", "b")]
    debts = {"meeting": 20}
    home = _result("home", 10.0, 3)
    assert run.misses(rows, [home, _result("meeting", 20.0, 20)], ratio_goal=30, debts=debts) == []
    assert run.misses(rows, [home, _result("meeting", 20.0, 21)], ratio_goal=30, debts=debts) == [
        "meeting: 21 queries, over 20"
    ]


def test_compare_gives_each_page_its_p95_over_the_saved_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    saved = tmp_path / "before.json"
    saved.write_text(
        '{"data_set": "s1-now", "pages": [{"label": "inbox", "p95": 20.0, "timed_goal": true},'
        ' {"label": "home", "p95": 10.0, "timed_goal": false}]}'
    )
    ratios, found = run.compare([_result("home", 15.0, 4), _result("inbox", 24.2, 9)], str(saved))
    assert ratios == {"home": 1.5, "inbox": 1.21}
    assert found == ["inbox: p95 1.21x s1-now's, over 1.2x"]


def test_it_reads_p50_and_p95_by_nearest_rank() -> None:
    result = run.Result("page", "/", "user", times_ms=[float(n) for n in range(1, 31)])
    assert result.p50 == 15.5
    assert result.p95 == 29.0
