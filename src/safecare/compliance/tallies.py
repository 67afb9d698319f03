"""The compliance tallies: the closed duties of a service counted once a day (decision 0060).

A duty that has closed, met or cancelled, never changes again (core.tasks.task_complete closes
it once; nothing reopens or moves a closed duty). So its part of the figures is fixed from
then on, and years of them need not be counted again for every report: each day a job counts
every closed duty of a service into `DutyTally` rows, by team, rule, month it fell due,
outcome, days late and reason of cancellation, and records in the service's `TallySeal` the
moment the count reaches.

Each count writes three spans of rows (compliance.models.TallySpan): each month's duties by
rule, days late and reason; the same for each calendar year (a report over ten years reads
those); and each month's duties by outcome alone, for the trend by month.

The figures (compliance.figures) then add the tallies of the whole months of a period to the
duties the tallies don't hold, read from the tasks as before: those still open, those closed
at or after the seal, and those due in the period's part-months. So a figure is right whether
or not the job has run (with no seal, every duty is read from the tasks), and only its cost
depends on it.

The count stops an hour before it starts (`SEAL_MARGIN`): a duty closed by a transaction that
had not committed when the count read the tasks is then still read from the tasks, unless that
transaction took more than an hour, which no request or job does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, F, IntegerField, Max, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safecare.core.models import FosteringService, Task, TaskStatus

from .figures import DaysBetween, completed_on
from .models import DutyTally, TallyOutcome, TallySeal, TallySpan

SEAL_MARGIN = dt.timedelta(hours=1)
BATCH = 2_000


def count(service: FosteringService, *, now: dt.datetime | None = None) -> int:
    """Count the service's closed duties again, replacing its tallies; the number of rows written."""
    now = now or timezone.now()
    closed_before = now - SEAL_MARGIN
    closed = (
        Task.objects.filter(
            service=service,
            status__in=[TaskStatus.DONE, TaskStatus.CANCELLED],
            completed_at__lt=closed_before,
        )
        .annotate(completed_on=completed_on())
        .annotate(
            tally_outcome=Case(
                When(status=TaskStatus.CANCELLED, then=Value(TallyOutcome.CANCELLED)),
                When(completed_on__gt=F("due_on"), then=Value(TallyOutcome.LATE)),
                default=Value(TallyOutcome.ON_TIME),
                output_field=CharField(),
            ),
            tally_late_days=Case(
                When(
                    Q(status=TaskStatus.DONE, completed_on__gt=F("due_on")),
                    then=DaysBetween(F("completed_on"), F("due_on")),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            tally_reason=Case(
                When(status=TaskStatus.CANCELLED, then=F("closed_note")),
                default=Value(""),
                output_field=CharField(),
            ),
            tally_month=TruncMonth("due_on"),
        )
        .order_by()
        .values("team_id", "rule_id", "tally_month", "tally_outcome", "tally_late_days", "tally_reason")
        .annotate(n=Count("id"))
    )
    with transaction.atomic():
        # The seal row is taken first: two counts of one service follow each other. The count
        # before this one is kept until the next (a report may have just read its seal); older
        # ones go.
        TallySeal.objects.select_for_update().filter(service=service).first()
        ours = DutyTally.objects.filter(service=service)
        before = ours.filter(closed_before__lt=closed_before).aggregate(latest=Max("closed_before"))["latest"]
        older = ours.exclude(closed_before=before) if before is not None else ours
        older.delete()
        # Each month's rows as counted; each year's and each month's trend added up from them.
        years: Counter[tuple[Any, ...]] = Counter()
        trend: Counter[tuple[Any, ...]] = Counter()
        written = 0
        batch: list[DutyTally] = []

        def write(tally: DutyTally) -> None:
            nonlocal written, batch
            batch.append(tally)
            if len(batch) == BATCH:
                written += len(DutyTally.objects.bulk_create(batch))
                batch = []

        for row in closed.iterator(chunk_size=BATCH):
            month = _day(row["tally_month"])
            team, rule_id, outcome = row["team_id"], row["rule_id"], row["tally_outcome"]
            late_days, reason, n = row["tally_late_days"], row["tally_reason"] or "", row["n"]
            years[(team, rule_id, month.replace(month=1), outcome, late_days, reason)] += n
            trend[(team, month, outcome)] += n
            write(
                DutyTally(
                    service=service,
                    span=TallySpan.MONTH,
                    team_id=team,
                    rule_id=rule_id,
                    due_month=month,
                    outcome=outcome,
                    late_days=late_days,
                    reason=reason,
                    duties=n,
                    closed_before=closed_before,
                )
            )
        for (team, rule_id, year, outcome, late_days, reason), n in years.items():
            write(
                DutyTally(
                    service=service,
                    span=TallySpan.YEAR,
                    team_id=team,
                    rule_id=rule_id,
                    due_month=year,
                    outcome=outcome,
                    late_days=late_days,
                    reason=reason,
                    duties=n,
                    closed_before=closed_before,
                )
            )
        for (team, month, outcome), n in trend.items():
            write(
                DutyTally(
                    service=service,
                    span=TallySpan.TREND,
                    team_id=team,
                    due_month=month,
                    outcome=outcome,
                    duties=n,
                    closed_before=closed_before,
                )
            )
        if batch:
            written += len(DutyTally.objects.bulk_create(batch))
        TallySeal.objects.update_or_create(
            service=service, defaults={"closed_before": closed_before, "counted_at": now}
        )
    # The count replaced most of the table's rows: the planner's figures for it are renewed too,
    # or it guesses one row and reads a whole count where three index ranges would do.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(DutyTally._meta.db_table)}")
    return written


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
