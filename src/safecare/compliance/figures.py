"""Compliance by rule, counted in the database: how many duties fell due, and what became of them.

A duty *fell due* in a period when its due date is in it (both ends included). Of those:

- **on time**: done on or before its due date (met on the due date is on time);
- **late**: done after it, by the number of calendar days between the due date and the day it
  was done (in the service's time zone): the median and the worst are given;
- **open**: not done yet; **overdue** the open ones whose due date has passed;
- **cancelled**: closed because its facts went (a placement ended...), with the reason given.

The due date is the one the duty was opened with (working days already counted, bank holidays
and the service's closure days skipped), so the figures judge each duty by its own deadline.

Everything is counted by one aggregate query whatever the period and the data (decisions
0049 and 0060): groups by rule, days late (a histogram, so the median needs no rows), reason of
cancellation and month, read as one UNION ALL with the tallies. Over a service or a team, the closed duties of whole months are
read from the daily tallies (compliance.tallies), so ten years cost little more than one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import TruncDate, TruncMonth

from safecare.core.models import Task, TaskStatus
from safecare.core.rulebook import POLICIES, RULES

from .models import DutyTally, TallyOutcome, TallySeal, TallySpan

OUTCOMES = ("due", "on_time", "late", "open", "overdue", "cancelled")
OUTCOME_LABELS = {
    "due": "Fell due",
    "on_time": "Met on time",
    "late": "Met late",
    "open": "Still open",
    "overdue": "Overdue",
    "cancelled": "Cancelled",
}
# How many reasons of cancellation a report lists at most (the most frequent first).
MAX_REASONS = 200


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("a period ends on or after its start")

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def completed_on() -> TruncDate:
    """The day a duty was closed, in the service's time zone (not UTC's)."""
    return TruncDate("completed_at", tzinfo=ZoneInfo(settings.TIME_ZONE))


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer on both databases."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def outcome_q(outcome: str, *, today: dt.date) -> Q:
    """The condition of one outcome; the queryset must carry `completed_on` (see `with_outcomes`)."""
    if outcome == "due":
        return Q()
    if outcome == "on_time":
        return Q(status=TaskStatus.DONE, completed_on__lte=F("due_on"))
    if outcome == "late":
        return Q(status=TaskStatus.DONE, completed_on__gt=F("due_on"))
    if outcome == "open":
        return Q(status=TaskStatus.OPEN)
    if outcome == "overdue":
        return Q(status=TaskStatus.OPEN, due_on__lt=today)
    if outcome == "cancelled":
        return Q(status=TaskStatus.CANCELLED)
    raise ValueError(f"unknown outcome {outcome!r}")


def in_period(tasks: QuerySet[Task], period: Period) -> QuerySet[Task]:
    return tasks.filter(due_on__gte=period.start, due_on__lte=period.end).annotate(
        completed_on=completed_on()
    )


def duties(
    tasks: QuerySet[Task],
    period: Period,
    *,
    outcome: str,
    today: dt.date,
    rule_id: str = "",
    month: dt.date | None = None,
) -> QuerySet[Task]:
    """The duties behind one number of the report: the drill-down."""
    listed = in_period(tasks, period).filter(outcome_q(outcome, today=today))
    if rule_id:
        listed = listed.filter(rule_id=rule_id)
    if month is not None:
        first = month.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        listed = listed.filter(due_on__gte=first, due_on__lt=following)
    return listed.annotate(
        late_by=ExpressionWrapper(F("completed_on") - F("due_on"), output_field=DurationField())
    )


@dataclass
class Figures:
    """The counts of one row: a rule, a policy's total, a month or the whole report."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    cancelled: int = 0
    # Days late of the late duties, as a histogram: days -> how many.
    late_days: dict[int, int] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        self.count(other.due, other.on_time, other.late, other.open, other.overdue, other.cancelled)
        for days, count in other.late_days.items():
            self.late_days[days] = self.late_days.get(days, 0) + count

    def count(self, due: int, on_time: int, late: int, open: int, overdue: int, cancelled: int) -> None:
        """Add one group's counts (a report adds thousands: plain additions, no objects)."""
        self.due += due
        self.on_time += on_time
        self.late += late
        self.open += open
        self.overdue += overdue
        self.cancelled += cancelled

    @property
    def median_days_late(self) -> float | None:
        return median(self.late_days)

    @property
    def worst_days_late(self) -> int | None:
        return max(self.late_days) if self.late_days else None

    @property
    def met(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_percent(self) -> int | None:
        """Of the duties met, the share met on time (rounded); None with none met."""
        return round(100 * self.on_time / self.met) if self.met else None


def median(histogram: dict[int, int]) -> float | None:
    """The median of the values a histogram counts (the mean of the middle two for an even count)."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = (_nth(histogram, (total - 1) // 2) + _nth(histogram, total // 2)) / 2
    return int(middle) if middle == int(middle) else middle


def _nth(histogram: dict[int, int], index: int) -> int:
    """The value at `index` (from 0) of the values a histogram counts, in order."""
    seen = 0
    for value, count in sorted(histogram.items()):
        seen += count
        if seen > index:
            return value
    raise IndexError(index)


@dataclass
class RuleRow:
    rule_id: str
    text: str
    figures: Figures
    reasons: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class PolicyRow:
    letters: str
    name: str
    rules: list[RuleRow]
    total: Figures


@dataclass
class MonthRow:
    month: dt.date
    figures: Figures


@dataclass
class Report:
    period: Period
    today: dt.date
    policies: list[PolicyRow]
    total: Figures
    months: list[MonthRow]


def _counts() -> dict[str, Count]:
    """A group's figures from the tasks (the row's `n_overdue` too)."""
    return {
        "n_due": Count("id"),
        "n_on_time": Count("id", filter=Q(status=TaskStatus.DONE, completed_on__lte=F("due_on"))),
        "n_late": Count("id", filter=Q(status=TaskStatus.DONE, completed_on__gt=F("due_on"))),
        "n_open": Count("id", filter=Q(status=TaskStatus.OPEN)),
        "n_cancelled": Count("id", filter=Q(status=TaskStatus.CANCELLED)),
    }


# What a row of the report's query counts: duties by rule and by month, or a tally by one only.
_BOTH, _RULE, _MONTH = 0, 1, 2


def _open_counts(today: dt.date) -> dict[str, Any]:
    """The same figures of open duties only, in the same order: counted by their due dates (never
    empty), not ids, so the database needs nothing but the open duties' index (rule, due date)."""
    none = Value(0, output_field=IntegerField())
    return {
        "n_due": Count("due_on"),
        "n_on_time": none,
        "n_late": none,
        "n_open": Count("due_on"),
        "n_cancelled": none,
        "n_overdue": Count("due_on", filter=Q(due_on__lt=today)),
    }


def _tallied_counts() -> dict[str, Any]:
    """The same figures from the tallies, in the same order (the two are read as one union)."""
    return {
        "n_due": Sum("duties"),
        "n_on_time": Sum("duties", filter=Q(outcome=TallyOutcome.ON_TIME)),
        "n_late": Sum("duties", filter=Q(outcome=TallyOutcome.LATE)),
        # Tallies hold closed duties only.
        "n_open": Value(0, output_field=IntegerField()),
        "n_cancelled": Sum("duties", filter=Q(outcome=TallyOutcome.CANCELLED)),
        "n_overdue": Value(0, output_field=IntegerField()),
    }


def _counted(row: dict[str, Any]) -> tuple[int, int, int, int, int, int]:
    """A group's counts, in the order `Figures.count` takes them (a tally's sums may be None)."""
    return (
        int(row["n_due"] or 0),
        int(row["n_on_time"] or 0),
        int(row["n_late"] or 0),
        int(row["n_open"] or 0),
        int(row["n_overdue"] or 0),
        int(row["n_cancelled"] or 0),
    )


def _policy_of(rule_id: str) -> str:
    return rule_id.split("-")[0]


def _rule_order(rule_id: str) -> tuple[int, int, str]:
    letters, _, number = rule_id.partition("-")
    policies = list(POLICIES)
    return (
        policies.index(letters) if letters in policies else len(policies),
        int(number) if number.isdigit() else 0,
        rule_id,
    )


@dataclass(frozen=True)
class Tallied:
    """Whose closed duties the tallies may stand for: a service's, or one of its teams'.

    Given to `report` only when every duty of the service (or of the team) is among the duties
    it counts: a service-wide reader's, or a team's (compliance.scope.tallied).
    """

    service_id: int
    team_id: int | None = None


def whole_months(period: Period) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the calendar months wholly inside the period, if any."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    if _next_month(period.end) - dt.timedelta(days=1) == period.end:
        last = period.end
    else:
        last = period.end.replace(day=1) - dt.timedelta(days=1)
    return (first, last) if first <= last else None


def _spans(first: dt.date, last: dt.date) -> Q:
    """The tallies by rule of the whole months from `first` to `last`: a year's rows for each
    whole calendar year among them, a month's rows for the months before and after."""
    years_from = first.year if first.month == 1 else first.year + 1
    years_to = last.year if last.month == 12 else last.year - 1
    if years_from > years_to:
        return Q(span=TallySpan.MONTH)
    return (
        Q(
            span=TallySpan.YEAR,
            due_month__gte=dt.date(years_from, 1, 1),
            due_month__lte=dt.date(years_to, 1, 1),
        )
        | Q(span=TallySpan.MONTH, due_month__lt=dt.date(years_from, 1, 1))
        | Q(span=TallySpan.MONTH, due_month__gt=dt.date(years_to, 12, 1))
    )


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def report(
    tasks: QuerySet[Task], period: Period, *, today: dt.date, tallied: Tallied | None = None
) -> Report:
    """The figures of the duties `tasks` holds (already narrowed to the reader's scope) in `period`.

    One query, whatever the period and the number of duties (two with `tallied`: the
    tallies' seal is read first). With `tallied`, the closed
    duties of the period's whole months come from the compliance tallies (compliance.tallies),
    and only the rest from the tasks: the duties still open (by their rule and due date alone,
    which PostgreSQL reads from the open duties' index), those closed since the tallies were
    counted, and those of the part-months at either end (decision 0060).
    """
    live = in_period(tasks, period).order_by()
    counted: QuerySet[DutyTally] | None = None
    months_in = whole_months(period)
    sealed = None
    if tallied is not None and months_in is not None:
        # The moment the tallies count to, read first and used as a value: the planner then
        # picks the duties not tallied by their indexes (due date, open, closed since).
        sealed = (
            TallySeal.objects.filter(service_id=tallied.service_id)
            .values_list("closed_before", flat=True)
            .first()
        )
    open_now: QuerySet[Task] | None = None
    if tallied is not None and months_in is not None and sealed is not None:
        first, last = months_in
        # The closed duties the tallies do not hold. The open ones are read on their own, by
        # their rule and due date only: on PostgreSQL from the open duties' index alone.
        not_counted = Q(due_on__lt=first) | Q(due_on__gt=last) | Q(completed_at__gte=sealed)
        open_now = tasks.filter(
            status=TaskStatus.OPEN, due_on__gte=period.start, due_on__lte=period.end
        ).order_by()
        counted = DutyTally.objects.filter(
            service_id=tallied.service_id, closed_before=sealed, due_month__gte=first, due_month__lte=last
        ).order_by()
        by_rule_counted = _spans(first, last)
        if tallied.team_id is not None:
            # A team manager also counts their own duties of other teams: those are not tallied.
            not_counted |= ~Q(team_id=tallied.team_id)
            counted = counted.filter(team_id=tallied.team_id)
        live = live.exclude(status=TaskStatus.OPEN).filter(not_counted)
    overdue_q = Q(status=TaskStatus.OPEN, due_on__lt=today)

    # One query, a UNION ALL whose rows each say what they count (`r_part`): a group of duties
    # by rule, days late, reason and month (counted by rule and by month), or a tally by rule or
    # by month alone. The median and the worst come from the histogram of days late, so no
    # duty's row is loaded; the rows of one rule or month are added up here.
    columns = ("r_part", "rule_id", "r_late", "r_reason", "month")
    figures_of = (
        live.annotate(
            r_part=Value(_BOTH),
            r_late=Case(
                When(
                    Q(status=TaskStatus.DONE, completed_on__gt=F("due_on")),
                    then=DaysBetween(F("completed_on"), F("due_on")),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            r_reason=Case(
                When(status=TaskStatus.CANCELLED, then=F("closed_note")),
                default=Value(""),
                output_field=TextField(),
            ),
            month=TruncMonth("due_on"),
        )
        .values(*columns)
        .annotate(**_counts(), n_overdue=Count("id", filter=overdue_q))
    )
    branches = []
    if open_now is not None:
        branches.append(
            open_now.annotate(
                r_part=Value(_BOTH),
                r_late=Value(0),
                r_reason=Value("", output_field=TextField()),
                month=TruncMonth("due_on"),
            )
            .values(*columns)
            .annotate(**_open_counts(today))
        )
    if counted is not None:
        branches.append(
            counted.filter(by_rule_counted)
            .annotate(
                r_part=Value(_RULE),
                r_late=F("late_days"),
                r_reason=F("reason"),
                month=Value(None, output_field=DateField()),
            )
            .values(*columns)
            .annotate(**_tallied_counts())
        )
        branches.append(
            counted.filter(span=TallySpan.TREND)
            .annotate(
                r_part=Value(_MONTH),
                r_late=Value(0),
                r_reason=Value("", output_field=TextField()),
                month=TruncMonth("due_month"),
            )
            .values(*columns)
            .annotate(**_tallied_counts())
        )
    if branches:
        figures_of = figures_of.union(*branches, all=True)

    by_rule: dict[str, Figures] = {}
    by_month: dict[dt.date, Figures] = {}
    reasons: dict[tuple[str, str], int] = defaultdict(int)
    for row in _rows(figures_of):
        counts = _counted(row)
        part = row["r_part"]
        if part != _MONTH:
            rule_id = row["rule_id"]
            figures = by_rule.get(rule_id)
            if figures is None:
                figures = by_rule[rule_id] = Figures()
            figures.count(*counts)
            late_days = int(row["r_late"] or 0)
            if late_days:
                figures.late_days[late_days] = figures.late_days.get(late_days, 0) + counts[2]
            if counts[5]:
                reasons[(rule_id, row["r_reason"] or "")] += counts[5]
        if part != _RULE:
            month = row["month"]
            if isinstance(month, dt.datetime):
                month = month.date()
            figures = by_month.get(month)
            if figures is None:
                figures = by_month[month] = Figures()
            figures.count(*counts)
    months = [MonthRow(month=month, figures=by_month[month]) for month in sorted(by_month)]

    # The most frequent reasons first, as many as a report lists.
    reasons_of: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (rule_id, note), n in sorted(reasons.items(), key=lambda item: (-item[1], *item[0]))[:MAX_REASONS]:
        reasons_of[rule_id].append((note or "No reason recorded", n))

    policies: list[PolicyRow] = []
    total = Figures()
    for rule_id in sorted(by_rule, key=_rule_order):
        letters = _policy_of(rule_id)
        if not policies or policies[-1].letters != letters:
            policies.append(
                PolicyRow(letters=letters, name=POLICIES.get(letters, letters), rules=[], total=Figures())
            )
        figures = by_rule[rule_id]
        policies[-1].rules.append(
            RuleRow(
                rule_id=rule_id,
                text=RULES.get(rule_id, ""),
                figures=figures,
                reasons=reasons_of.get(rule_id, []),
            )
        )
        policies[-1].total.add(figures)
        total.add(figures)
    return Report(period=period, today=today, policies=policies, total=total, months=months)


def _rows(values: QuerySet[Any, Any]) -> list[dict[str, Any]]:
    """An aggregate's rows as plain dicts (each a group, never a duty)."""
    return list(values)
