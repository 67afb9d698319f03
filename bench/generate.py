"""A synthetic fostering service at the scale of one county (or ten: `Sizes.scaled`).

This is data generation, not a series of policy events: rows are written with
bulk_create in large batches and bypass the services, so no change history is
written and no rule opens a task. The database still checks every constraint
(one current placement per child, one current allocation of each kind per case,
one open task per duty and subject), so the data is shaped like real data.

Everything is derived from a seeded random generator and today's date: the
same sizes give the same service, with due dates around the day it is built.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from safecare.core.models import FosteringService, Task, TaskStatus, Team, TeamKind, User
from safecare.core.roles import Role
from safecare.households.models import (
    Allocation,
    AllocationKind,
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    MemberKind,
    Placement,
    PlacementEndReason,
    TrainingCourse,
    TrainingRecord,
    Visitor,
    VisitorKind,
)
from safecare.households.services import SAFER_CARING_GUIDANCE

SERVICE_SLUG = "bench"
SERVICE_NAME = "Bench Fostering"
BIG_HOUSEHOLD_NAME = "Whitmore household"
HEAVY_SSW = "bench_ssw"  # the supervising social worker with the heaviest inbox
TEAM_MANAGER = "bench_ftm"  # manager of the heavy SSW's fostering team
FOSTERING_MANAGER = "bench_fm"  # decides standards of care routes and chairs the meetings
FLOOR_USER = "bench_floor"  # business support: a signed-in page with no case data
BATCH_SIZE = 2000

FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farah", "George", "Hannah", "Isaac", "Jade",
    "Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Quinn", "Rhys", "Sofia", "Tariq",
    "Uma", "Victor", "Wiktoria", "Xander", "Yusuf", "Zara", "Amir", "Bethan", "Callum", "Deepa",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Baker", "Chen", "Davies", "Evans", "Fletcher", "Green", "Hussain", "Ibrahim",
    "Jones", "Khan", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quigley", "Roberts",
    "Singh", "Thomas", "Usman", "Vaughan", "Williams", "Xu", "Young", "Zielinski", "Ahmed",
    "Brown", "Clarke", "Dobson",
]  # fmt: skip
# Most households are approved; the rest cover every other status.
STATUS_WEIGHTS = {
    HouseholdStatus.APPROVED: 84,
    HouseholdStatus.ON_HOLD: 3,
    HouseholdStatus.IN_ASSESSMENT: 5,
    HouseholdStatus.APPLICANT: 3,
    HouseholdStatus.RESIGNED: 3,
    HouseholdStatus.DEREGISTERED: 2,
}
APPROVED_ONCE = {
    HouseholdStatus.APPROVED,
    HouseholdStatus.ON_HOLD,
    HouseholdStatus.RESIGNED,
    HouseholdStatus.DEREGISTERED,
}
ENDED = {HouseholdStatus.RESIGNED, HouseholdStatus.DEREGISTERED}
END_REASONS = [reason for reason, _ in PlacementEndReason.choices]


@dataclass(frozen=True)
class Sizes:
    households: int = 5000
    children: int = 8000
    fostering_teams: int = 3
    children_teams: int = 2
    ssws: int = 30
    assessing_sws: int = 6
    csws: int = 40
    heavy_households: int = 170
    # Synthetic duties over the year, per household and per child (inclusive ranges).
    household_duties: tuple[int, int] = (7, 13)
    child_duties: tuple[int, int] = (1, 3)
    # Years of finished duties before the last one, per household and per child each year
    # (inclusive ranges): the history the compliance figures count over.
    history_years: int = 9
    household_history_duties: tuple[int, int] = (6, 10)
    child_history_duties: tuple[int, int] = (1, 2)
    seed: int = 2026

    @classmethod
    def scaled(cls, scale: int = 1, *, history: bool = True) -> Sizes:
        """`scale` times the households, children, teams and staff: each team and each worker
        keeps the caseload of a real one, so a worker's pages read as much at any scale and
        only the service-wide pages read more. Without history, the service started a year ago."""
        base = cls()
        return cls(
            households=base.households * scale,
            children=base.children * scale,
            fostering_teams=base.fostering_teams * scale,
            children_teams=base.children_teams * scale,
            ssws=base.ssws * scale,
            assessing_sws=base.assessing_sws * scale,
            csws=base.csws * scale,
            history_years=base.history_years if history else 0,
        )

    @classmethod
    def tiny(cls) -> Sizes:
        """Small enough for the test suite; every kind of row still appears."""
        return cls(
            households=20, children=32, ssws=6, assessing_sws=1, csws=4, heavy_households=5, history_years=2
        )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def existing_service() -> FosteringService | None:
    return FosteringService.objects.filter(slug=SERVICE_SLUG).first()


def generate(sizes: Sizes | None = None, *, today: dt.date | None = None) -> dict[str, int]:
    """Build the bench service in the default database; return the rows written per kind."""
    sizes = sizes or Sizes()
    with transaction.atomic():
        return _Builder(sizes, today or timezone.localdate()).build()


class _Builder:
    def __init__(self, sizes: Sizes, today: dt.date) -> None:
        self.sizes = sizes
        self.today = today
        self.rng = random.Random(sizes.seed)
        self.counts: dict[str, int] = {}
        self.now = timezone.now()
        self.carer_user_of: dict[int, int] = {}  # household pk -> its signed-in carer's user pk

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def postcode(self) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        rng = self.rng
        return f"BN{rng.randint(1, 45)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"

    def save(self, model: type, rows: list) -> list:  # type: ignore[type-arg]
        saved = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)  # type: ignore[attr-defined]
        key = model._meta.verbose_name_plural
        self.counts[str(key)] = self.counts.get(str(key), 0) + len(saved)
        return saved

    def build(self) -> dict[str, int]:
        self.service = FosteringService.objects.create(name=SERVICE_NAME, slug=SERVICE_SLUG)
        self.make_teams_and_users()
        self.make_households()
        self.make_children()
        self.make_placements()
        self.make_tasks()
        self.make_task_history()
        self.make_devices()
        self.make_standards_of_care()
        self.make_internet_monitoring()
        if self.sizes.history_years > 0:
            from bench.history import History

            # The records of the years before: recordings, reads, supervisions, notices, the
            # change history and the access log (bench/history.py).
            self.counts.update(History(self, years=self.sizes.history_years + 1).build())
        return self.counts

    # -- people -----------------------------------------------------------------------------

    def make_teams_and_users(self) -> None:
        s = self.sizes
        teams = [
            Team(service=self.service, name=f"Fostering team {i + 1}", kind=TeamKind.FOSTERING)
            for i in range(s.fostering_teams)
        ] + [
            Team(service=self.service, name=f"Children's team {i + 1}", kind=TeamKind.CHILDREN)
            for i in range(s.children_teams)
        ]
        teams = self.save(Team, teams)
        self.fostering_teams = teams[: s.fostering_teams]
        self.children_teams = teams[s.fostering_teams :]
        # Nobody signs in with a password: the harness signs users in directly.
        unusable = make_password(None)

        def user(username: str, role: str, team: Team | None) -> User:
            return User(
                username=username,
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                email=f"{username}@bench.invalid",
                service=self.service,
                role=role,
                team=team,
                password=unusable,
            )

        ft, ct = self.fostering_teams, self.children_teams
        rows = [
            user(HEAVY_SSW if i == 0 else f"bench_ssw_{i:02d}", Role.SUPERVISING_SW, ft[i % len(ft)])
            for i in range(s.ssws)
        ]
        rows += [
            user(f"bench_asw_{i:02d}", Role.ASSESSING_SW, ft[i % len(ft)]) for i in range(s.assessing_sws)
        ]
        rows += [user(f"bench_csw_{i:02d}", Role.CHILDS_SW, ct[i % len(ct)]) for i in range(s.csws)]
        rows += [
            user(TEAM_MANAGER if i == 0 else f"bench_ftm_{i}", Role.FOSTERING_TEAM_MANAGER, team)
            for i, team in enumerate(ft)
        ]
        rows += [user(f"bench_ctm_{i}", Role.CHILDRENS_TEAM_MANAGER, team) for i, team in enumerate(ct)]
        rows += [
            user(FLOOR_USER, Role.BUSINESS_SUPPORT, None),
            user("bench_hos", Role.HEAD_OF_SERVICE, None),
            user(FOSTERING_MANAGER, Role.FOSTERING_MANAGER, None),
        ]
        users = self.save(User, rows)
        self.staff_users = users
        by_role: dict[str, list[User]] = {}
        for u in users:
            by_role.setdefault(u.role, []).append(u)
        self.heavy = by_role[Role.SUPERVISING_SW][0]
        self.fostering_manager = by_role[Role.FOSTERING_MANAGER][0]
        self.ssws_of = {t.pk: [u for u in by_role[Role.SUPERVISING_SW] if u.team_id == t.pk] for t in ft}
        self.asws_of = {
            t.pk: [u for u in by_role[Role.ASSESSING_SW] if u.team_id == t.pk] or by_role[Role.ASSESSING_SW]
            for t in ft
        }
        self.managers_of = {u.team_id: u for u in by_role[Role.FOSTERING_TEAM_MANAGER]}
        self.csws = by_role[Role.CHILDS_SW]

    # -- households ---------------------------------------------------------------------------

    def make_households(self) -> None:
        s, rng = self.sizes, self.rng
        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        households: list[Household] = []
        self.ssw_of: list[User | None] = []  # the current or last supervising SW, per household
        for i in range(s.households):
            big = i == 0
            heavy = i < s.heavy_households
            if heavy:
                team = self.fostering_teams[0]
                ssw = self.heavy
                status = HouseholdStatus.APPROVED if big or rng.random() < 0.97 else HouseholdStatus.ON_HOLD
            else:
                team = self.fostering_teams[i % len(self.fostering_teams)]
                others = [u for u in self.ssws_of[team.pk] if u.pk != self.heavy.pk] or self.ssws_of[team.pk]
                # Round robin within the team: every SSW gets a similar caseload.
                ssw = others[(i // len(self.fostering_teams)) % len(others)]
                status = rng.choices(statuses, weights)[0]
            approved_on = self.days_ago(20, 3650) if status in APPROVED_ONCE else None
            if big:
                approved_on = dt.date(self.today.year - 5, 3, 1)
            elif i == 1:
                # Approved last week, guidance not yet given: an open SC-3 duty in the heavy inbox.
                status, approved_on = HouseholdStatus.APPROVED, self.today - dt.timedelta(days=7)
            guidance_on = None
            if (
                approved_on
                and i != 1
                and (approved_on < self.today - dt.timedelta(days=30) or rng.random() < 0.5)
            ):
                guidance_on = min(approved_on + dt.timedelta(days=rng.randint(-60, 14)), self.today)
            age_min = 0 if big else rng.choice([0, 0, 0, 5, 11])
            created_on = (approved_on or self.today) - dt.timedelta(days=rng.randint(120, 300))
            households.append(
                Household(
                    service=self.service,
                    name=BIG_HOUSEHOLD_NAME if big else f"{rng.choice(LAST_NAMES)} household",
                    team=team,
                    status=status,
                    approved_on=approved_on,
                    max_children=3 if big else rng.choices([1, 2, 3], [35, 45, 20])[0],
                    age_min=age_min,
                    age_max=17 if big else rng.randint(max(age_min + 5, 10), 17),
                    postcode=self.postcode(),
                    safer_caring_guidance_given_on=guidance_on,
                    created_at=at(created_on),
                )
            )
            self.ssw_of.append(ssw if status in APPROVED_ONCE else None)
        self.households = self.save(Household, households)
        self.make_members()
        self.make_status_changes_and_allocations()

    def make_members(self) -> None:
        rng = self.rng
        members: list[HouseholdMember] = []
        for h in self.households:
            big = h.name == BIG_HOUSEHOLD_NAME
            surname = h.name.removesuffix(" household")
            kinds = [MemberKind.CARER]
            if big or rng.random() < 0.6:
                kinds.append(MemberKind.CARER)
            if big or rng.random() < 0.35:
                kinds.append(rng.choice([MemberKind.CARERS_CHILD, MemberKind.OTHER_ADULT]))
            for kind in kinds:
                young = kind == MemberKind.CARERS_CHILD
                members.append(
                    HouseholdMember(
                        household=h,
                        kind=kind,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=surname,
                        date_of_birth=self.days_ago(365 * 2, 365 * 16)
                        if young
                        else self.days_ago(365 * 25, 365 * 65),
                        moved_in_on=h.created_at.date(),
                    )
                )
        members = self.save(HouseholdMember, members)
        self.make_carer_users(members)
        training: list[TrainingRecord] = []
        for m in members:
            h = m.household
            if m.kind != MemberKind.CARER or h.approved_on is None:
                continue
            recorder = self.managers_of[h.team_id]
            # SC-2: Skills to Foster before approval, then a course or two since.
            training.append(
                TrainingRecord(
                    household=h,
                    member=m,
                    course=TrainingCourse.SKILLS_TO_FOSTER,
                    completed_on=h.approved_on - dt.timedelta(days=rng.randint(30, 120)),
                    recorded_by=recorder,
                )
            )
            for course in rng.sample(
                [
                    TrainingCourse.SAFER_CARING,
                    TrainingCourse.SAFEGUARDING,
                    TrainingCourse.FIRST_AID,
                ],
                rng.randint(0, 2),
            ):
                training.append(
                    TrainingRecord(
                        household=h,
                        member=m,
                        course=course,
                        completed_on=h.approved_on + dt.timedelta(days=rng.randint(10, 300)),
                        recorded_by=recorder,
                    )
                )
        self.save(TrainingRecord, training)
        visitors = [
            Visitor(
                household=h,
                kind=rng.choice([VisitorKind.REGULAR_VISITOR, VisitorKind.OVERNIGHT_STAY]),
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                relationship=rng.choice(["grandparent", "family friend", "lodger", "aunt", "neighbour"]),
                since=self.days_ago(30, 2000),
            )
            for h in self.households
            for _ in range(
                3 if h.name == BIG_HOUSEHOLD_NAME else (rng.randint(1, 2) if rng.random() < 0.15 else 0)
            )
        ]
        self.save(Visitor, visitors)

    def make_carer_users(self, members: list[HouseholdMember]) -> None:
        """The first carer of each approved household signs in to the carers' portal
        (bench_carer_00001 and on): the load test's carers and the carers' pages."""
        unusable = make_password(None)
        first: dict[int, HouseholdMember] = {}
        for m in members:
            if m.kind == MemberKind.CARER and m.household.status == HouseholdStatus.APPROVED:
                first.setdefault(m.household_id, m)
        carers = list(first.values())
        users = self.save(
            User,
            [
                User(
                    username=f"bench_carer_{n:05d}",
                    first_name=m.first_name,
                    last_name=m.last_name,
                    email=f"bench_carer_{n:05d}@bench.invalid",
                    service=self.service,
                    role=Role.CARER,
                    password=unusable,
                )
                for n, m in enumerate(carers, start=1)
            ],
        )
        for m, u in zip(carers, users, strict=True):
            m.user = u
            self.carer_user_of[m.household_id] = u.pk
        HouseholdMember.objects.bulk_update(carers, ["user"], batch_size=BATCH_SIZE)

    def make_status_changes_and_allocations(self) -> None:
        rng = self.rng
        changes: list[HouseholdStatusChange] = []
        allocations: list[Allocation] = []
        self.worker_of: list[User | None] = []  # who owns the household's duties today
        for h, ssw in zip(self.households, self.ssw_of, strict=True):
            asw = rng.choice(self.asws_of[h.team_id])
            manager = self.managers_of[h.team_id]
            alloc = {"service": self.service, "household": h}
            owner: User | None = None
            if h.status == HouseholdStatus.IN_ASSESSMENT:
                allocations.append(
                    Allocation(**alloc, worker=asw, kind=AllocationKind.ASSESSING, started_at=h.created_at)
                )
                owner = asw
            if h.approved_on is not None:
                assert ssw is not None
                approved_at = at(h.approved_on)
                changes.append(
                    HouseholdStatusChange(
                        household=h,
                        from_status=HouseholdStatus.IN_ASSESSMENT,
                        to_status=HouseholdStatus.APPROVED,
                        changed_by=manager,
                        changed_at=approved_at,
                        effective_on=h.approved_on,
                    )
                )
                allocations.append(
                    Allocation(
                        **alloc,
                        worker=asw,
                        kind=AllocationKind.ASSESSING,
                        started_at=h.created_at,
                        ended_at=approved_at,
                    )
                )
                ssw_since = approved_at
                if rng.random() < 0.2:
                    # An earlier supervising SW, since reallocated.
                    ssw_since = at(h.approved_on + (self.today - h.approved_on) / 2)
                    earlier = rng.choice(self.ssws_of[h.team_id])
                    allocations.append(
                        Allocation(
                            **alloc,
                            worker=earlier,
                            kind=AllocationKind.SUPERVISING,
                            started_at=approved_at,
                            ended_at=ssw_since,
                        )
                    )
                ended_at = None
                if h.status in ENDED:
                    ended_on = h.approved_on + (self.today - h.approved_on) * 3 / 4
                    ended_at = at(ended_on)
                    changes.append(
                        HouseholdStatusChange(
                            household=h,
                            from_status=HouseholdStatus.APPROVED,
                            to_status=h.status,
                            changed_by=manager,
                            changed_at=ended_at,
                            effective_on=ended_on,
                        )
                    )
                else:
                    owner = ssw
                allocations.append(
                    Allocation(
                        **alloc,
                        worker=ssw,
                        kind=AllocationKind.SUPERVISING,
                        started_at=ssw_since,
                        ended_at=ended_at,
                    )
                )
            self.worker_of.append(owner)
        self.save(HouseholdStatusChange, changes)
        self.save(Allocation, allocations)

    # -- children and placements ------------------------------------------------------------------

    def make_children(self) -> None:
        rng = self.rng
        children: list[Child] = []
        self.csw_of: list[User] = []
        for i in range(self.sizes.children):
            csw = self.csws[i % len(self.csws)]
            born = self.days_ago(60, 365 * 18 - 30)
            children.append(
                Child(
                    service=self.service,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    date_of_birth=born,
                    team_id=csw.team_id,
                    created_at=at(born + dt.timedelta(days=rng.randint(1, 30))),
                )
            )
            self.csw_of.append(csw)
        self.children = self.save(Child, children)
        allocations: list[Allocation] = []
        for child, csw in zip(self.children, self.csw_of, strict=True):
            since = child.created_at
            if rng.random() < 0.2:
                since = at(child.date_of_birth + (self.today - child.date_of_birth) / 2)
                earlier = rng.choice(self.csws)
                allocations.append(
                    Allocation(
                        service=self.service,
                        worker=earlier,
                        kind=AllocationKind.CHILDS,
                        child=child,
                        started_at=child.created_at,
                        ended_at=since,
                    )
                )
            allocations.append(
                Allocation(
                    service=self.service,
                    worker=csw,
                    kind=AllocationKind.CHILDS,
                    child=child,
                    started_at=since,
                )
            )
        self.save(Allocation, allocations)

    def make_placements(self) -> None:
        rng = self.rng
        big = self.households[0]
        open_places = [
            [h, h.max_children] for h in self.households[1:] if h.status == HouseholdStatus.APPROVED
        ]
        ever_approved = [h for h in self.households if h.approved_on is not None]
        placements: list[Placement] = []
        self.home_of: dict[int, Household] = {}  # child pk -> current household
        for i, child in enumerate(self.children):
            age_days = (self.today - child.date_of_birth).days
            current: Household | None = None
            if i < big.max_children:
                current = big
            elif open_places and rng.random() < 0.62:
                age = age_days // 365
                choice = None
                for _ in range(5):
                    candidate = rng.randrange(len(open_places))
                    h = open_places[candidate][0]
                    if h.age_min <= age <= h.age_max:
                        choice = candidate
                        break
                if choice is None:
                    choice = rng.randrange(len(open_places))
                current = open_places[choice][0]
                open_places[choice][1] -= 1
                if open_places[choice][1] == 0:
                    open_places[choice] = open_places[-1]
                    open_places.pop()
            if current is not None:
                start = self.today - dt.timedelta(days=rng.randint(0, min(1100, age_days - 1)))
                placements.append(
                    Placement(
                        service=self.service,
                        child=child,
                        household=current,
                        start_on=start,
                        emergency=rng.random() < 0.05,
                        created_at=at(start),
                    )
                )
                self.home_of[child.pk] = current
                end = start
            else:
                end = self.today - dt.timedelta(days=rng.randint(1, min(300, age_days - 1)))
            # Earlier placements, back to back, each ending the day the next one began.
            # A few children lived with the big household before: its page lists them.
            lived_at_big = big.max_children <= i < big.max_children + 6
            earlier = rng.choices([0, 1, 2], [45, 35, 20])[0] if current else rng.randint(1, 2)
            for n in range(max(earlier, int(lived_at_big))):
                start = end - dt.timedelta(days=rng.randint(30, 400))
                if start <= child.date_of_birth:
                    break
                household = big if n == 0 and lived_at_big else rng.choice(ever_approved)
                placements.append(
                    Placement(
                        service=self.service,
                        child=child,
                        household=household,
                        start_on=start,
                        end_on=end,
                        end_reason=rng.choice(END_REASONS),
                        created_at=at(start),
                    )
                )
                end = start
        self.save(Placement, placements)

    # -- tasks ------------------------------------------------------------------------------------

    def make_tasks(self) -> None:
        rng = self.rng
        tasks: list[Task] = []

        def task(
            *,
            rule_id: str,
            kind: str,
            title: str,
            due_on: dt.date,
            owner: User | None,
            team_id: int,
            status: str,
            household: Household | None = None,
            child: Child | None = None,
        ) -> Task:
            done = status != TaskStatus.OPEN
            finisher = owner or self.managers_of.get(team_id) or self.heavy
            return Task(
                service=self.service,
                rule_id=rule_id,
                kind=kind,
                title=title,
                household=household,
                child=child,
                owner=owner,
                team_id=team_id,
                due_on=due_on,
                status=status,
                created_at=at(due_on - dt.timedelta(days=14)),
                completed_at=at(min(due_on, self.today)) if done else None,
                completed_by=finisher if done else None,
            )

        def status_for(due_on: dt.date) -> str:
            # Most past duties were done; a few are overdue. A few future ones are done early.
            if due_on < self.today:
                return TaskStatus.DONE if rng.random() < 0.88 else TaskStatus.OPEN
            return TaskStatus.DONE if rng.random() < 0.05 else TaskStatus.OPEN

        low, high = self.sizes.household_duties
        for h, owner, ssw in zip(self.households, self.worker_of, self.ssw_of, strict=True):
            ended = h.status in ENDED
            for j in range(
                rng.randint(low, high) if h.status != HouseholdStatus.APPLICANT else rng.randint(1, 2)
            ):
                due = (
                    self.days_ago(30, 330) if ended else self.today + dt.timedelta(days=rng.randint(-300, 65))
                )
                tasks.append(
                    task(
                        rule_id=f"BENCH-{j % 4 + 1}",
                        kind=f"bench_duty_{j}",
                        title=f"Household duty {j}",
                        due_on=due,
                        owner=ssw if ended else owner,
                        team_id=h.team_id,
                        household=h,
                        status=TaskStatus.DONE if ended else status_for(due),
                    )
                )
            if h.approved_on and h.approved_on > self.today - dt.timedelta(days=365):
                # SC-3: the guidance within 14 calendar days of approval.
                given = h.safer_caring_guidance_given_on
                tasks.append(
                    task(
                        rule_id="SC-3",
                        kind=SAFER_CARING_GUIDANCE,
                        title="Give the carers 'Safer Caring: A New Approach'",
                        due_on=h.approved_on + dt.timedelta(days=14),
                        owner=owner,
                        team_id=h.team_id,
                        household=h,
                        status=TaskStatus.DONE if given or ended else TaskStatus.OPEN,
                    )
                )
        low, high = self.sizes.child_duties
        for child, csw in zip(self.children, self.csw_of, strict=True):
            for j in range(rng.randint(low, high)):
                due = self.today + dt.timedelta(days=rng.randint(-300, 65))
                tasks.append(
                    task(
                        rule_id=f"BENCH-{j % 4 + 1}",
                        kind=f"bench_child_duty_{j}",
                        title=f"Child duty {j}",
                        due_on=due,
                        owner=csw,
                        team_id=csw.team_id,
                        child=child,
                        household=self.home_of.get(child.pk),
                        status=status_for(due),
                    )
                )
        self.save(Task, tasks)

    # -- ten years of finished duties ----------------------------------------------------------

    # Real rule ids, so the compliance figures group them by policy as a service's would.
    HOUSEHOLD_HISTORY_RULES = (
        "SC-1", "SC-3", "SC-4", "SC-6", "SC-10", "DV-2", "DV-3", "DV-10", "CX-3", "SOC-5", "SOC-7", "PH-5",
    )  # fmt: skip
    CHILD_HISTORY_RULES = ("SC-5", "SC-9", "IM-7", "PH-6")
    CANCEL_REASONS = (
        "The placement ended",
        "The household resigned",
        "The device was removed",
        "The child moved to another household",
    )

    def make_task_history(self) -> None:
        """Duties due in the years before the last, all closed: mostly on time, some late by
        1 to 40 days, a few cancelled with a reason. Written in batches, not held at once."""
        rng = self.rng
        years = self.sizes.history_years
        if years <= 0:
            return
        first_day = self.today - dt.timedelta(days=365 * (years + 1))
        span = 365 * years  # due dates before the last year, which make_tasks covers
        batch: list[Task] = []

        def add(rule_id: str, owner: User | None, team_id: int | None, **subject: object) -> None:
            due = first_day + dt.timedelta(days=rng.randrange(span))
            roll = rng.random()
            if roll < 0.06:
                status, done_on = TaskStatus.CANCELLED, due - dt.timedelta(days=rng.randint(1, 20))
                note = rng.choice(self.CANCEL_REASONS)
            elif roll < 0.18:
                status, done_on, note = (
                    TaskStatus.DONE,
                    due + dt.timedelta(days=int(rng.expovariate(0.15)) + 1),
                    "",
                )
            else:
                status, done_on, note = TaskStatus.DONE, due - dt.timedelta(days=rng.randint(0, 10)), ""
            batch.append(
                Task(
                    service=self.service,
                    rule_id=rule_id,
                    kind=f"bench_history_{rule_id.lower()}",
                    title=f"Past duty under {rule_id}",
                    due_on=due,
                    owner=owner,
                    team_id=team_id,
                    status=status,
                    created_at=at(due - dt.timedelta(days=14)),
                    completed_at=at(done_on, hour=rng.randint(8, 18)),
                    completed_by=owner or self.heavy,
                    closed_note=note,
                    **subject,
                )
            )
            if len(batch) >= 20 * BATCH_SIZE:
                self.save(Task, batch)
                batch.clear()

        low, high = self.sizes.household_history_duties
        for h, owner in zip(self.households, self.worker_of, strict=True):
            for _ in range(years * rng.randint(low, high)):
                add(rng.choice(self.HOUSEHOLD_HISTORY_RULES), owner, h.team_id, household=h)
        low, high = self.sizes.child_history_duties
        for child, csw in zip(self.children, self.csw_of, strict=True):
            for _ in range(years * rng.randint(low, high)):
                add(rng.choice(self.CHILD_HISTORY_RULES), csw, csw.team_id, child=child)
        if batch:
            self.save(Task, batch)

    # -- cameras and microphones (DV-1) ---------------------------------------------------------

    def make_devices(self) -> None:
        """Two or three devices in most homes, twelve in the big one; every type and room kind."""
        from safecare.devices.models import Device, DeviceType, Purpose, RoomKind

        rng = self.rng
        kinds = [
            (DeviceType.VIDEO_DOORBELL, RoomKind.OUTSIDE, Purpose.PROPERTY, "Front door"),
            (DeviceType.CCTV_CAMERA, RoomKind.OUTSIDE, Purpose.PROPERTY, "Driveway"),
            (DeviceType.SMART_SPEAKER, RoomKind.COMMUNAL, Purpose.HOME_USE, "Kitchen"),
            (DeviceType.SMART_SPEAKER, RoomKind.CHILD_BEDROOM, Purpose.HOME_USE, "Second bedroom"),
            (DeviceType.PET_CAMERA, RoomKind.COMMUNAL, Purpose.PETS, "Lounge"),
            (DeviceType.BABY_MONITOR, RoomKind.OTHER_BEDROOM, Purpose.SLEEPING_CHILD, "Main bedroom"),
            (DeviceType.INTERNAL_SECURITY_CAMERA, RoomKind.COMMUNAL, Purpose.HOUSEHOLD_SAFETY, "Hallway"),
            (DeviceType.OTHER, RoomKind.BATHROOM, Purpose.OTHER, "Bathroom"),
        ]
        devices = []
        for h in self.households:
            count = 12 if h.name == BIG_HOUSEHOLD_NAME else rng.choice((0, 1, 2, 2, 3))
            for n in range(count):
                kind, room_kind, purpose, room = kinds[n % len(kinds)] if count == 12 else rng.choice(kinds)
                connected = rng.random() < 0.6
                devices.append(
                    Device(
                        service=self.service,
                        household=h,
                        device_type=kind,
                        room=room,
                        room_kind=room_kind,
                        positioning="Facing the door",
                        records_video=kind != DeviceType.SMART_SPEAKER,
                        records_audio=kind in (DeviceType.SMART_SPEAKER, DeviceType.BABY_MONITOR),
                        purpose=purpose,
                        internet_connected=connected,
                        strong_password=connected and rng.random() < 0.8,
                        two_factor=connected and rng.random() < 0.5,
                        software_up_to_date=connected and rng.random() < 0.7,
                        responsible_person="The carers",
                        retention_hours=rng.choice((0, 24, 72, 720)),
                        storage="Cloud",
                        access="The carers",
                        members_told_on=self.days_ago(10, 300) if rng.random() < 0.9 else None,
                        declared_by=self.heavy,
                        declared_at=at(self.days_ago(10, 300)),
                        needs_review=rng.random() < 0.1,
                    )
                )
        self.save(Device, devices)

    # -- standards of care ----------------------------------------------------------------------

    def make_standards_of_care(self) -> None:
        """SOC-1 to SOC-12: concerns in about 8 % of homes (1 to 3 each), routed, the standards
        of care ones visited with two actions; the big household has six years of them, with a
        meeting, its report (one frozen version with the chronology) and its sendings each year.
        """
        from safecare.core.signatures import content_hash
        from safecare.standards.models import (
            REPORT_SECTIONS,
            Concern,
            Meeting,
            MeetingProposal,
            MeetingReport,
            NationalMinimumStandard,
            RaisedBy,
            Recipient,
            ReportSending,
            ReportVersion,
            Route,
            RouteDecision,
            SharedHow,
            Visit,
            VisitAction,
        )

        rng = self.rng
        big = next(h for h in self.households if h.name == BIG_HOUSEHOLD_NAME)
        chosen = [h for h in self.households if h is not big and rng.random() < 0.08]
        plan: list[tuple[Household, dt.date]] = [
            (h, self.days_ago(5, 700)) for h in chosen for _ in range(rng.randint(1, 3))
        ]
        plan += [(big, self.today - dt.timedelta(days=20 + 73 * n)) for n in range(30)]
        concerns = self.save(
            Concern,
            [
                Concern(
                    service=self.service,
                    household=h,
                    raised_by_kind=rng.choice((RaisedBy.NAMED, RaisedBy.ROLE, RaisedBy.ANONYMOUS)),
                    raised_by="",
                    received_on=day,
                    details="Bedtimes late on school nights; lunches not packed.",
                    recorded_by=self.heavy,
                    recorded_at=at(day),
                )
                for h, day in plan
            ],
        )
        no = dict.fromkeys(
            (
                "harmed_child",
                "offence_against_child",
                "risk_of_harm",
                "unsuitable",
                "carers_own_child",
                "other_borough",
            ),
            False,
        )
        routes = [Route.STANDARDS_OF_CARE] * 6 + [Route.COMPLAINTS, Route.NO_FURTHER_ACTION]
        decisions = []
        soc = []
        for concern in concerns:
            route = rng.choice(routes)
            decisions.append(
                RouteDecision(
                    service=self.service,
                    concern=concern,
                    decided_by=self.fostering_manager,
                    decided_on=concern.received_on,
                    decided_at=at(concern.received_on, 15),
                    route=route,
                    reasons="Practice, not harm.",
                    **no,
                )
            )
            if route == Route.STANDARDS_OF_CARE:
                soc.append(concern)
        self.save(RouteDecision, decisions)
        visits = self.save(
            Visit,
            [
                Visit(
                    service=self.service,
                    household=c.household,
                    concern=c,
                    visited_on=c.received_on + dt.timedelta(days=3),
                    concerns_discussed="Bedtimes and lunches.",
                    carer_response="Agreed a routine.",
                    recorded_by=self.heavy,
                    recorded_at=at(c.received_on + dt.timedelta(days=3)),
                    shared_at=at(c.received_on + dt.timedelta(days=4)),
                    shared_by=self.heavy,
                )
                for c in soc
            ],
        )
        standards = list(NationalMinimumStandard.objects.filter(service=self.service, number__in=(6, 10)))
        through = Visit.standards.through
        self.save(
            through,
            [through(visit_id=v.pk, nationalminimumstandard_id=n.pk) for v in visits for n in standards],
        )
        self.save(
            VisitAction,
            [
                VisitAction(
                    service=self.service,
                    visit=v,
                    what=what,
                    owner=self.heavy,
                    due_on=v.visited_on + dt.timedelta(days=28),
                    done_on=v.visited_on + dt.timedelta(days=20)
                    if v.visited_on < self.today - dt.timedelta(days=30)
                    else None,
                )
                for v in visits
                for what in ("A written bedtime routine", "A packed lunch every school day")
            ],
        )
        # The big household: a meeting each year, each with its report, a version and sendings.
        big_soc = sorted((c for c in soc if c.household_id == big.pk), key=lambda c: c.received_on)
        sections = dict.fromkeys(REPORT_SECTIONS, "Written by the supervising social worker. " * 20)
        for year in range(6):
            meets_on = self.today - dt.timedelta(days=365 * year) + dt.timedelta(days=21 if year == 0 else 0)
            proposal = MeetingProposal.objects.create(
                service=self.service,
                household=big,
                proposed_on=meets_on - dt.timedelta(days=40),
                three_concerns=True,
                convene=True,
                decided_by=self.fostering_manager,
                decided_at=at(meets_on - dt.timedelta(days=38)),
                decision_reasons="Three concerns within 12 months.",
            )
            proposal.concerns.set(
                [c for c in big_soc if meets_on - dt.timedelta(days=365) < c.received_on <= meets_on][:5]
            )
            meeting = Meeting.objects.create(
                service=self.service,
                household=big,
                proposal=proposal,
                meets_on=meets_on,
                place="Civic Centre, room 2",
                chair=self.fostering_manager,
                arranged_by=self.heavy,
            )
            report = MeetingReport.objects.create(
                service=self.service, meeting=meeting, started_by=self.heavy, **sections
            )
            chronology = [
                {
                    "date": c.received_on.isoformat(),
                    "event": f"{c.reference}: {c.details}",
                    "action": "Visited; actions agreed.",
                }
                for c in big_soc
                if c.received_on <= meets_on
            ]
            content = {
                "sections": sections,
                "investigator": "",
                "csw": "",
                "facts": {"household": big.name},
                "chronology": chronology,
            }
            version = ReportVersion.objects.create(
                service=self.service, report=report, number=1, content=content, submitted_by=self.heavy
            )
            from django.contrib.contenttypes.models import ContentType

            from safecare.core.models import Signature

            kind = ContentType.objects.get_for_model(ReportVersion)
            for signer, signed_as in (
                (self.heavy, "supervising social worker"),
                (self.managers_of[big.team_id], "fostering team manager (QA)"),
            ):
                Signature.objects.create(
                    service=self.service,
                    document_type=kind,
                    document_id=version.pk,
                    signer=signer,
                    signer_role=signer.role,
                    signed_as=signed_as,
                    content_hash=content_hash(content),
                )
            for recipient in (Recipient.CHAIR, Recipient.CARER):
                ReportSending.objects.create(
                    service=self.service,
                    version=version,
                    recipient=recipient,
                    recipient_name="Bench",
                    how=SharedHow.APP if recipient == Recipient.CARER else SharedHow.SECURE_EMAIL,
                    sent_on=meets_on - dt.timedelta(days=14),
                    sent_by=self.heavy,
                )
        self.counts["standards of care concerns"] = len(concerns)

    def make_internet_monitoring(self) -> None:
        """IM-1 to IM-9: the first child has five years of internet monitoring: two worries a year,
        each assessed, evaluated and decided; an agreement every six months, each replacing the
        last, reviewed a month in and every three months; the latest still in force."""
        from safecare.monitoring.models import (
            Agreement,
            AgreementEnd,
            Assessment,
            Decision,
            EndReason,
            Evaluation,
            Review,
            ReviewOutcome,
            RiskKind,
            RiskLevel,
            Signatory,
            Worry,
        )

        child, csw = self.children[0], self.csw_of[0]
        manager = csw  # the bench has no children's team managers: the worker stands in
        periods = [self.today - dt.timedelta(days=182 * n + 10) for n in range(10)][::-1]
        worries = self.save(
            Worry,
            [
                Worry(
                    service=self.service,
                    child=child,
                    risk=RiskKind.FROM_OTHERS,
                    details="Messages from an adult met in a game.",
                    noticed_on=start - dt.timedelta(days=40),
                    raised_by=csw,
                    raised_at=at(start - dt.timedelta(days=40)),
                )
                for start in periods
            ],
        )
        assessments = self.save(
            Assessment,
            [
                Assessment(
                    service=self.service,
                    child=child,
                    worry=worry,
                    assessed_on=start - dt.timedelta(days=30),
                    young_person_took_part=True,
                    findings="Grooming.",
                    level=RiskLevel.SIGNIFICANT,
                    recorded_by=csw,
                )
                for worry, start in zip(worries, periods, strict=True)
            ],
        )
        evaluations = self.save(
            Evaluation,
            [
                Evaluation(
                    service=self.service,
                    assessment=assessment,
                    evaluated_on=start - dt.timedelta(days=20),
                    team_manager=manager,
                    service_manager=manager,
                    summary="Significant.",
                    legal_advice_taken=False,
                    legal_advice_reasons="Agreed.",
                    recorded_by=csw,
                )
                for assessment, start in zip(assessments, periods, strict=True)
            ],
        )
        decisions = self.save(
            Decision,
            [
                Decision(
                    service=self.service,
                    child=child,
                    evaluation=evaluation,
                    monitor=True,
                    reasons="Nothing less restrictive worked.",
                    less_restrictive_evidence="Blocking and education.",
                    decided_on=start - dt.timedelta(days=10),
                    decided_by=csw,
                    decided_at=at(start - dt.timedelta(days=10)),
                )
                for evaluation, start in zip(evaluations, periods, strict=True)
            ],
        )
        agreements: list[Agreement] = []
        for decision, start in zip(decisions, periods, strict=True):
            agreement = Agreement(
                service=self.service,
                child=child,
                decision=decision,
                replaces=agreements[-1] if agreements else None,
                starts_on=start,
                ends_on=start + dt.timedelta(days=200),
                what="Messages from new contacts.",
                how="A parental-control app.",
                by_whom="The carer.",
                who_sees="The carer and the social worker.",
                action_plan="Online-safety sessions; checks handed to the young person.",
                signatory=Signatory.YOUNG_PERSON,
                gillick_assessed_on=start - dt.timedelta(days=3),
                gillick_assessment="Competent.",
                signed_by_name=f"{child.first_name} {child.last_name}",
                signed_on=start - dt.timedelta(days=2),
                recorded_by=csw,
            )
            agreement.save()  # one at a time: each names the one it replaces
            agreements.append(agreement)
        self.counts["agreements"] = len(agreements)
        self.save(
            AgreementEnd,
            [
                AgreementEnd(
                    service=self.service,
                    agreement=agreement,
                    ended_on=following.starts_on,
                    reason=EndReason.REPLACED,
                    recorded_by=csw,
                )
                for agreement, following in itertools.pairwise(agreements)
            ],
        )
        self.save(
            Review,
            [
                Review(
                    service=self.service,
                    agreement=agreement,
                    held_on=agreement.starts_on + dt.timedelta(days=days),
                    young_person_took_part=True,
                    others="The carer",
                    outcome=ReviewOutcome.CONTINUE,
                    notes="Going well.",
                    recorded_by=csw,
                )
                for agreement in agreements
                for days in (30, 120)
                if agreement.starts_on + dt.timedelta(days=days) <= self.today
            ],
        )
