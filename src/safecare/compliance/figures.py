"""Compliance by rule, counted in the database: how many duties fell due, and what became of them.

A duty *fell due* in a period when its due date is in it (both ends included). Of those:

- **on time**: done on or before its due date (met on the due date is on time);
- **late**: done after it, by the number of calendar days between the due date and the day it
  was done (in the service's time zone): the median and the worst are given;
- **open**: not done yet; **overdue** the open ones whose due date has passed;
- **cancelled**: closed because its facts went (a placement ended...), with the reason given.

The due date is the one the duty was opened with (working days already counted, bank holidays
and the service's closure days skipped), so the figures judge each duty by its own deadline.

Everything is counted by three aggregate queries whatever the period and the data (decision
0049): one by rule and days late (a histogram, so the median needs no rows), one by month, one
for the reasons of cancellation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, When
from django.db.models.functions import TruncDate, TruncMonth

from safecare.core.models import Task, TaskStatus
from safecare.core.rulebook import POLICIES, RULES

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
        for name in ("due", "on_time", "late", "open", "overdue", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for days, count in other.late_days.items():
            self.late_days[days] = self.late_days.get(days, 0) + count

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
    return {
        "n_due": Count("id"),
        "n_on_time": Count("id", filter=Q(status=TaskStatus.DONE, completed_on__lte=F("due_on"))),
        "n_late": Count("id", filter=Q(status=TaskStatus.DONE, completed_on__gt=F("due_on"))),
        "n_open": Count("id", filter=Q(status=TaskStatus.OPEN)),
        "n_cancelled": Count("id", filter=Q(status=TaskStatus.CANCELLED)),
    }


def _figures(row: dict[str, object], *, overdue: int = 0) -> Figures:
    return Figures(
        due=int(row["n_due"]),  # type: ignore[call-overload]
        on_time=int(row["n_on_time"]),  # type: ignore[call-overload]
        late=int(row["n_late"]),  # type: ignore[call-overload]
        open=int(row["n_open"]),  # type: ignore[call-overload]
        cancelled=int(row["n_cancelled"]),  # type: ignore[call-overload]
        overdue=overdue,
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


def report(tasks: QuerySet[Task], period: Period, *, today: dt.date) -> Report:
    """The figures of the duties `tasks` holds (already narrowed to the reader's scope) in `period`.

    Three queries, whatever the period and the number of duties.
    """
    base = in_period(tasks, period).order_by()
    overdue_q = Q(status=TaskStatus.OPEN, due_on__lt=today)

    # By rule and, for the late ones, by days late: the median and the worst come from this
    # histogram, so no duty's row is loaded. Rows of one rule are added up here.
    late_by = Case(
        When(
            Q(status=TaskStatus.DONE, completed_on__gt=F("due_on")),
            then=ExpressionWrapper(F("completed_on") - F("due_on"), output_field=DurationField()),
        ),
        default=None,
        output_field=DurationField(),
    )
    by_rule: dict[str, Figures] = {}
    for row in _rows(
        base.annotate(late_by=late_by)
        .values("rule_id", "late_by")
        .annotate(**_counts(), n_overdue=Count("id", filter=overdue_q))
    ):
        figures = by_rule.setdefault(row["rule_id"], Figures())
        figures.add(_figures(row, overdue=row["n_overdue"]))
        if row["late_by"] is not None:
            days = _days(row["late_by"])
            figures.late_days[days] = figures.late_days.get(days, 0) + row["n_late"]

    months: list[MonthRow] = []
    for row in _rows(
        base.annotate(month=TruncMonth("due_on"))
        .values("month")
        .annotate(**_counts(), n_overdue=Count("id", filter=overdue_q))
        .order_by("month")
    ):
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        months.append(MonthRow(month=month, figures=_figures(row, overdue=row["n_overdue"])))

    reasons: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in _rows(
        base.filter(status=TaskStatus.CANCELLED)
        .values("rule_id", "closed_note")
        .annotate(n=Count("id"))
        .order_by("-n", "rule_id", "closed_note")[:MAX_REASONS]
    ):
        reasons[row["rule_id"]].append((row["closed_note"] or "No reason recorded", row["n"]))

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
                reasons=reasons.get(rule_id, []),
            )
        )
        policies[-1].total.add(figures)
        total.add(figures)
    return Report(period=period, today=today, policies=policies, total=total, months=months)


def _rows(values: QuerySet[Any, Any]) -> list[dict[str, Any]]:
    """An aggregate's rows as plain dicts (each a group, never a duty)."""
    return list(values)


def _days(value: object) -> int:
    """Days late from the database's duration (a timedelta on both backends; an int on some)."""
    if isinstance(value, dt.timedelta):
        return value.days
    return int(value)  # type: ignore[call-overload, no-any-return]
