"""Ten years of a service's records, written fast: what the pages read past.

A real service's tables are mostly history: daily recordings and their reads,
finished supervisions, change notices, device changes, agreement versions, the
change history of every record (django-simple-history's tables) and the access
log. The pages must cost the same over them as over a service that started
last month, so the bench writes them in the proportions of a real service
(5,000 households: over a million recordings, as many reads, over two million
access-log rows).

Rows are written with PostgreSQL's COPY (about ten times bulk_create's rate) and
with executemany on SQLite; ids are given by the writer, so later rows can point
at earlier ones without reading them back, and the sequences are moved past
them at the end. Like the rest of bench/, this is data generation, not a series
of events: no service runs and no rule opens a task.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models

from safecare.core.models import AccessLog, Task, TaskStatus
from safecare.households.models import HouseholdStatus, Placement
from safecare.supervision.models import Recording, RecordingRead, Supervision, SupervisionStatus

RECORDING_TEXTS = (
    "A settled day at school; ate well and went to bed on time.",
    "Upset after contact, talked it through with us in the evening.",
    "Football practice after school, then homework together.",
    "Doctor's appointment for a check-up; no concerns raised.",
    "Quiet day at home, played board games with the family.",
    "Argument with a friend online; we agreed a break from the game.",
    "Went swimming with the carers' children; good day.",
    "Trouble sleeping, said they were worried about moving school.",
)
SUPERVISION_TEXT = "Discussed the children's routines, contact and the safe caring agreement."


class Writer:
    """Append rows to one table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.table = model._meta.db_table
        self.columns = list(columns)
        self.postgres = connection.vendor == "postgresql"

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        count = 0
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([_pg(v) for v in row])
                        count += 1
            else:
                sql = (
                    f'INSERT INTO "{self.table}" ({quoted}) VALUES ({", ".join("%s" for _ in self.columns)})'
                )
                batch: list[list[Any]] = []
                for row in rows:
                    batch.append([_sqlite(v) for v in row])
                    count += 1
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        batch.clear()
                if batch:
                    cursor.executemany(sql, batch)
        return count


def _pg(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def _sqlite(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def next_id(model: type[models.Model]) -> int:
    latest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (latest or 0) + 1


def move_sequences(*models_: type[models.Model]) -> None:
    """After rows written with their ids, the next insert must not reuse one."""
    if connection.vendor != "postgresql":
        return  # SQLite takes max(rowid) + 1
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            pk = model._meta.pk.column  # type: ignore[union-attr]
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT max({pk}) FROM {table}), 1))",
                [table, pk],
            )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


class History:
    """Writes the years of records for a _Builder's service (bench/generate.py)."""

    def __init__(self, builder: Any, years: int) -> None:
        self.b = builder
        self.rng = random.Random(builder.sizes.seed + 1)
        self.today: dt.date = builder.today
        self.first_day = self.today - dt.timedelta(days=365 * years)
        self.counts: dict[str, int] = {}

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def build(self) -> dict[str, int]:
        self.ssw_by_household = {h.pk: ssw for h, ssw in zip(self.b.households, self.b.ssw_of, strict=True)}
        self.recordings_and_reads()
        self.supervisions()
        self.notices()
        self.task_history()
        self.device_history()
        self.access_log()
        move_sequences(Recording, RecordingRead, Supervision, AccessLog)
        return self.counts

    # -- daily recordings (SC-7) and their reads -------------------------------------------

    def recordings_and_reads(self) -> None:
        """A recording every one to seven days of each placement in the years covered (every
        day in the big household), read by the household's SSW within days, except the last
        fortnight's, of which some are still unread."""
        rng = self.rng
        placements = list(
            Placement.objects.filter(service=self.b.service)
            .order_by("pk")
            .values_list("pk", "household_id", "child_id", "start_on", "end_on")
        )
        big = self.b.households[0].pk
        recording_id = next_id(Recording)
        read_id = next_id(RecordingRead)
        recordings: list[tuple[Any, ...]] = []
        reads: list[tuple[Any, ...]] = []
        service_id = self.b.service.pk
        carer_of = self.b.carer_user_of
        fallback_writer = self.b.heavy.pk

        for placement_id, household_id, child_id, start_on, end_on in placements:
            day = max(start_on, self.first_day)
            last = min(end_on or self.today, self.today)
            writer = carer_of.get(household_id, fallback_writer)
            ssw = self.ssw_by_household.get(household_id)
            reader = ssw.pk if ssw is not None else fallback_writer
            step = (1, 1) if household_id == big else (1, 7)
            while day <= last:
                created = at(day, 20, rng.randrange(60))
                text = rng.choice(RECORDING_TEXTS)
                age = (self.today - day).days
                read = age > 14 or rng.random() < 0.4
                if read:
                    read_at = at(min(day + dt.timedelta(days=rng.randint(1, 10)), self.today), 11)
                    reads.append((read_id, recording_id, 1, reader, read_at, None))
                    read_id += 1
                # The latest revision read, as RecordingRead.save keeps it (SC-7's unread check).
                recordings.append(
                    (
                        recording_id, service_id, household_id, child_id, placement_id, day, "",
                        text, writer, created, None, 1, 1 if read else None,
                    )
                )  # fmt: skip
                recording_id += 1
                day += dt.timedelta(days=rng.randint(*step))
        columns = [
            "id", "service_id", "household_id", "child_id", "placement_id", "recorded_on", "category",
            "text", "written_by_id", "created_at", "edited_at", "revision", "read_revision",
        ]  # fmt: skip
        self.count("recordings", Writer(Recording, columns).write(recordings))
        self.count(
            "recording reads",
            Writer(
                RecordingRead, ["id", "recording_id", "revision", "reader_id", "read_at", "supervision_id"]
            ).write(reads),
        )
        # Their change history: one "created" row each, as simple_history writes on save (the
        # revision read is not part of it).
        history_columns = [c for c in columns if c not in ("id", "read_revision")] + [
            "id",
            "history_date",
            "history_type",
            "history_user_id",
        ]
        self.count(
            "recording history",
            Writer(Recording.history.model, history_columns).write(  # type: ignore[attr-defined]
                (*row[1:-1], row[0], row[9], "+", row[8]) for row in recordings
            ),
        )
        self.count(
            "recording read history",
            Writer(
                RecordingRead.history.model,  # type: ignore[attr-defined]
                [
                    "recording_id",
                    "revision",
                    "reader_id",
                    "read_at",
                    "supervision_id",
                    "id",
                    "history_date",
                    "history_type",
                    "history_user_id",
                ],
            ).write((*row[1:], row[0], row[4], "+", row[3]) for row in reads),
        )

    # -- supervisions (SC-10, DV-2) ----------------------------------------------------------

    def supervisions(self) -> None:
        """Every four to eight weeks while a household was approved, completed and signed off."""
        rng = self.rng
        rows: list[tuple[Any, ...]] = []
        supervision_id = next_id(Supervision)
        ended = {HouseholdStatus.RESIGNED, HouseholdStatus.DEREGISTERED}
        for h, ssw in zip(self.b.households, self.b.ssw_of, strict=True):
            if h.approved_on is None or ssw is None:
                continue
            day = max(h.approved_on + dt.timedelta(days=rng.randint(14, 42)), self.first_day)
            last = self.today - dt.timedelta(days=rng.randint(1, 40))
            if h.status in ended:
                last = h.approved_on + (self.today - h.approved_on) * 3 / 4
            while day <= last:
                done = at(day, 16)
                rows.append(
                    (
                        supervision_id, h.service_id, h.pk, day, "", SUPERVISION_TEXT, SUPERVISION_TEXT,
                        True, True, "", SupervisionStatus.COMPLETED, ssw.pk, at(day, 15), done, ssw.pk,
                        None, None,
                    )
                )  # fmt: skip
                supervision_id += 1
                day += dt.timedelta(days=rng.randint(28, 56))
        columns = [
            "id", "service_id", "household_id", "held_on", "other_attendees", "discussion",
            "safe_care_discussion", "device_check_done", "register_complete", "device_check_notes",
            "status", "written_by_id", "created_at", "completed_at", "completed_by_id",
            "acknowledged_at", "acknowledged_by_id",
        ]  # fmt: skip
        self.count("supervisions", Writer(Supervision, columns).write(rows))
        history_columns = [c for c in columns if c != "id"] + [
            "id",
            "history_date",
            "history_type",
            "history_user_id",
        ]
        self.count(
            "supervision history",
            Writer(Supervision.history.model, history_columns).write(  # type: ignore[attr-defined]
                (*row[1:], row[0], row[13], "~", row[11]) for row in rows
            ),
        )

    # -- change notices (CX-1) ------------------------------------------------------------------

    def notices(self) -> None:
        """About one change in the household a year, reported by the SSW and reviewed."""
        from safecare.notices.models import ChangeKind, ChangeNotice

        rng = self.rng
        kinds = [k for k, _ in ChangeKind.choices]
        rows = []
        for h, ssw in zip(self.b.households, self.b.ssw_of, strict=True):
            if h.approved_on is None or ssw is None:
                continue
            manager = self.b.managers_of[h.team_id]
            years = max(1, (self.today - max(h.approved_on, self.first_day)).days // 365)
            for _ in range(rng.randint(0, 2 * years)):
                day = max(h.approved_on, self.first_day) + dt.timedelta(
                    days=rng.randrange(max(1, (self.today - max(h.approved_on, self.first_day)).days))
                )
                rows.append(
                    (
                        h.service_id, h.pk, rng.choice(kinds), day, "A change in the household.", ssw.pk,
                        at(day, 12), None, manager.pk, at(day + dt.timedelta(days=rng.randint(0, 5)), 14),
                        "Reviewed.",
                    )
                )  # fmt: skip
        columns = [
            "service_id", "household_id", "kind", "happened_on", "details", "reported_by_id", "reported_at",
            "task_id", "reviewed_by_id", "reviewed_at", "review_note",
        ]  # fmt: skip
        self.count("change notices", Writer(ChangeNotice, columns).write(rows))

    # -- the tasks' change history ------------------------------------------------------------

    def task_history(self) -> None:
        """simple_history's rows for every task: created, and closed when it was."""
        fields = [
            "id", "rule_id", "kind", "title", "due_on", "status", "created_at", "completed_at", "due_basis",
            "closed_note", "service_id", "household_id", "child_id", "owner_id", "team_id", "completed_by_id",
        ]  # fmt: skip
        columns = [*fields, "history_date", "history_type", "history_user_id"]
        open_status = TaskStatus.OPEN

        def rows(chunk: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
            for row in chunk:
                status, created_at, completed_at, owner = row[5], row[6], row[7], row[13]
                opened = list(row)
                opened[5], opened[7], opened[15] = open_status, None, None
                yield (*opened, created_at, "+", None)
                if status != open_status:
                    yield (*row, completed_at, "~", row[15] or owner)

        # Read in slices, each written before the next is read: a COPY holds the connection,
        # so rows can't be fetched from it while one is open.
        writer = Writer(Task.history.model, columns)  # type: ignore[attr-defined]
        tasks = Task.objects.filter(service=self.b.service).order_by("pk")
        last = 0
        while chunk := list(tasks.filter(pk__gt=last).values_list(*fields)[:50_000]):
            self.count("task history", writer.write(rows(chunk)))
            last = chunk[-1][0]

    # -- devices' change history (DV-1) ---------------------------------------------------------

    def device_history(self) -> None:
        """Each device declared, then changed once or twice since (a review, a new password)."""
        from safecare.devices.models import Device

        rng = self.rng
        model = Device.history.model  # type: ignore[attr-defined]
        names = [f.attname for f in Device._meta.concrete_fields]
        columns = [*names, "history_date", "history_type", "history_user_id"]

        devices = list(Device.objects.filter(service=self.b.service).order_by("pk").values_list(*names))

        def rows() -> Iterator[tuple[Any, ...]]:
            for row in devices:
                values = dict(zip(names, row, strict=True))
                declared = values["declared_at"]
                yield (*row, declared, "+", values["declared_by_id"])
                for _ in range(rng.randint(1, 2)):
                    changed = min(declared + dt.timedelta(days=rng.randint(1, 200)), self.b.now)
                    yield (*row, changed, "~", values["declared_by_id"])

        self.count("device history", Writer(model, columns).write(rows()))

    # -- the access log --------------------------------------------------------------------------

    def access_log(self) -> None:
        """Staff opening households' and children's records: about 450 a household over the
        years (over two million rows for 5,000 households), one row a page."""
        rng = self.rng
        service_id = self.b.service.pk
        span = (self.today - self.first_day).days
        staff = [u.pk for u in self.b.staff_users]
        households = [h.pk for h in self.b.households]
        children = [c.pk for c in self.b.children]
        total = 450 * len(households)

        def rows() -> Iterator[tuple[Any, ...]]:
            for n in range(total):
                day = self.first_day + dt.timedelta(days=rng.randrange(span))
                if n % 3 == 2:
                    subject, kind, path = rng.choice(children), "child", "/children/{}/"
                else:
                    subject, kind = rng.choice(households), "household"
                    path = "/households/{}/" if n % 3 == 0 else "/households/{}/recordings/"
                yield (
                    service_id, rng.choice(staff), at(day, 9 + rng.randrange(9), rng.randrange(60)), kind,
                    subject, [], path.format(subject), False,
                )  # fmt: skip

        columns = [
            "service_id",
            "user_id",
            "at",
            "subject_type",
            "subject_id",
            "listed_ids",
            "path",
            "via_api",
        ]
        self.count("access log", Writer(AccessLog, columns).write(rows()))
