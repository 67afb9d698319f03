"""`make bench`: server time of the pages people wait on, at the scale we plan for.

    PYTHONPATH=src:. .venv/bin/python -m bench.run              # SQLite file in var/bench/
    PYTHONPATH=src:. .venv/bin/python -m bench.run --regenerate # rebuild the data first
    DATABASE_URL=postgres://... PYTHONPATH=src:. .venv/bin/python -m bench.run --postgres

The first run migrates a database of its own and generates the synthetic
service (bench/generate.py); later runs reuse it while it is fresh. Then each
page is requested through Django's test client, signed in as a user who would
use it: a few warm-up requests, then N timed ones. bench/README.md says how to
read the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(REPO.glob("src/safecare/*/migrations/*.py"))
# Due dates are set relative to the day of generation; after a week the
# overdue share has drifted enough to blur comparisons, so the data is rebuilt.
MAX_AGE_DAYS = 7
NO_RESPONSE = 0  # the request raised before any response existed


@dataclass
class Result:
    label: str
    path: str
    username: str
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    error: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else math.nan

    @property
    def p95(self) -> float:
        if not self.times_ms:
            return math.nan
        # Nearest rank: with 30 requests, the second slowest.
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def ok(self) -> bool:
        return self.statuses == {200}

    @property
    def status(self) -> str:
        return ",".join("failed" if s == NO_RESPONSE else str(s) for s in sorted(self.statuses))

    @property
    def query_count(self) -> str:
        if not self.queries:
            return "-"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument(
        "--regenerate", action="store_true", help="delete the SQLite bench database and rebuild it"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="use DATABASE_URL (an empty PostgreSQL database of its own) instead of SQLite",
    )
    return parser.parse_args(argv)


# -- the database -------------------------------------------------------------------------------


def schema_fingerprint() -> str:
    digest = hashlib.sha256()
    # The generator's own code too: new kinds of rows mean the data must be built again.
    for path in [*MIGRATIONS, REPO / "bench" / "generate.py"]:
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sqlite_files(db_path: Path) -> list[Path]:
    return [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]


def sqlite_marker_is_fresh(marker: Path, sizes: dict[str, object], today: dt.date) -> bool:
    """The SQLite file holds data of these sizes, on this schema, built recently."""
    try:
        saved = json.loads(marker.read_text())
        built = dt.date.fromisoformat(saved["generated_on"])
    except (OSError, ValueError, KeyError):
        return False
    return (
        saved.get("sizes") == sizes
        and saved.get("schema") == schema_fingerprint()
        and 0 <= (today - built).days <= MAX_AGE_DAYS
    )


def prepare_database(*, postgres: bool, regenerate: bool) -> tuple[float | None, dt.date]:
    """Migrate and generate when needed. Returns (seconds spent generating or None, built on)."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import generate
    from bench.settings import BENCH_DIR, BENCH_SQLITE_PATH
    from safecare.core.models import FosteringService
    from safecare.households.models import Household

    sizes = generate.Sizes()
    today = timezone.localdate()
    marker = BENCH_DIR / "bench.json"
    if not postgres:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        if regenerate or not sqlite_marker_is_fresh(marker, _jsonable(sizes), today):
            connection.close()
            for path in [*sqlite_files(BENCH_SQLITE_PATH), marker]:
                path.unlink(missing_ok=True)
    elif regenerate:
        # The audit tables refuse deletes on PostgreSQL (core migration 0003).
        raise SystemExit("--regenerate works on SQLite only: point DATABASE_URL at a new database.")

    print("Migrating…", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    service = generate.existing_service()
    if service is not None:
        if Household.objects.filter(service=service).count() != sizes.households:
            raise SystemExit(
                "The bench service holds other sizes than bench/generate.py makes: "
                + ("rerun with --regenerate." if not postgres else "use a new database.")
            )
        return None, timezone.localtime(service.created_at).date()
    if FosteringService.objects.exists():
        # Never mix synthetic rows into a database that holds anything else.
        raise SystemExit("The bench database holds other services: give the bench an empty database.")
    print("Generating the bench service (one-off)…", flush=True)
    started = time.perf_counter()
    generate.generate(sizes, today=today)
    if connection.vendor == "postgresql":
        # Autovacuum would gather planner statistics soon after a real load; without
        # them the first plans after a bulk load are guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    if not postgres:
        marker.write_text(
            json.dumps(
                {
                    "generated_on": today.isoformat(),
                    "sizes": _jsonable(sizes),
                    "schema": schema_fingerprint(),
                }
            )
        )
    return seconds, today


def _jsonable(sizes: object) -> dict[str, object]:
    return json.loads(json.dumps(asdict(sizes)))  # type: ignore[call-overload]


def data_sizes() -> list[tuple[str, int]]:
    from django.utils import timezone

    from bench import generate
    from safecare.core.models import Task, TaskStatus, User
    from safecare.devices.models import Device
    from safecare.households.models import (
        Allocation,
        Child,
        Household,
        HouseholdMember,
        HouseholdStatus,
        Placement,
    )

    service = generate.existing_service()
    today = timezone.localdate()
    heavy = User.objects.get(username=generate.HEAVY_SSW)
    manager = User.objects.get(username=generate.TEAM_MANAGER)
    households = Household.objects.filter(service=service)
    placements = Placement.objects.filter(service=service)
    tasks = Task.objects.filter(service=service)
    open_tasks = tasks.filter(status=TaskStatus.OPEN)
    big = households.get(name=generate.BIG_HOUSEHOLD_NAME)
    return [
        ("households", households.count()),
        ("  approved", households.filter(status=HouseholdStatus.APPROVED).count()),
        ("household members", HouseholdMember.objects.filter(household__service=service).count()),
        ("children", Child.objects.filter(service=service).count()),
        ("placements", placements.count()),
        ("  current", placements.current(today).count()),
        ("allocations", Allocation.objects.filter(service=service).count()),
        ("staff users", User.objects.filter(service=service).count()),
        ("tasks", tasks.count()),
        ("  open", open_tasks.count()),
        ("  open, overdue", open_tasks.filter(due_on__lt=today).count()),
        (
            f"{heavy.username}: households",
            Allocation.objects.current().filter(worker=heavy, kind="supervising").count(),
        ),
        (f"{heavy.username}: open tasks", open_tasks.filter(owner=heavy).count()),
        (
            f"{manager.username}: team open tasks",
            open_tasks.filter(team_id=manager.team_id).count(),
        ),
        (f"{big.name} (H-{big.pk}): placements", placements.filter(household=big).count()),
        ("devices", Device.objects.filter(service=service).count()),
        (f"{big.name} (H-{big.pk}): devices", Device.objects.filter(household=big).count()),
    ]


# -- the measurement ----------------------------------------------------------------------------


def signed_in_client(username: str):  # type: ignore[no-untyped-def]
    """A client signed in and two-factor verified, exactly as tests/conftest.py sign_in does."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safecare.core.models import User

    user = User.objects.get(username=username)
    # A failing page is reported in the table, not raised: the harness runs whatever state
    # the pages are in.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    if user.requires_two_factor():
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def pages() -> list[tuple[str, str, str]]:
    """(label, path, username). The floor first: every other row reads against it."""
    from bench import generate
    from safecare.households.models import Household
    from safecare.standards.models import Meeting, ReportVersion

    big = Household.objects.get(service__slug=generate.SERVICE_SLUG, name=generate.BIG_HOUSEHOLD_NAME)
    meeting = Meeting.objects.filter(household=big).order_by("-meets_on").first()
    version = ReportVersion.objects.filter(report__meeting=meeting).order_by("-number").first()
    assert meeting is not None and version is not None, "the bench data has no standards of care meeting"
    from django.utils import timezone

    from safecare.households.models import Allocation
    from safecare.monitoring.models import Agreement

    monitored = Agreement.objects.filter(child__service__slug=generate.SERVICE_SLUG).order_by("id").first()
    assert monitored is not None, "the bench data has no internet monitoring agreement"
    csw = Allocation.objects.current().get(child_id=monitored.child_id, kind="childs").worker
    today = timezone.localdate()
    start = today.replace(year=today.year - 10) + dt.timedelta(days=1)
    ten_years = (
        f"from_day={start.day}&from_month={start.month}&from_year={start.year}"
        f"&to_day={today.day}&to_month={today.month}&to_year={today.year}"
    )
    return [
        ("floor (signed-in home)", "/", generate.FLOOR_USER),
        ("task inbox", "/tasks/", generate.HEAVY_SSW),
        ("team dashboard", "/tasks/team/", generate.TEAM_MANAGER),
        ("household page", f"/households/{big.pk}/", generate.HEAVY_SSW),
        ("device register", f"/households/{big.pk}/devices/", generate.HEAVY_SSW),
        ("API devices, first page", "/api/v1/devices/", generate.HEAVY_SSW),
        # SOC-1 to SOC-12: six years of concerns, visits and meetings in the big household.
        ("standards of care list", f"/households/{big.pk}/standards-of-care/", generate.HEAVY_SSW),
        ("standards of care meeting", f"/standards-of-care/meetings/{meeting.pk}/", generate.HEAVY_SSW),
        ("meeting report", f"/standards-of-care/reports/{version.pk}/", generate.HEAVY_SSW),
        ("API standards of care concerns", "/api/v1/soc-concerns/", generate.HEAVY_SSW),
        # Compliance figures over ten years of duties: the 12 months to today (the default), the
        # whole ten years, a team's, and the drill-down to the late duties.
        ("compliance report, service, 12 months", "/compliance/", generate.FOSTERING_MANAGER),
        ("compliance report, service, 10 years", f"/compliance/?{ten_years}", generate.FOSTERING_MANAGER),
        ("compliance report, team", "/compliance/", generate.TEAM_MANAGER),
        ("compliance late duties", "/compliance/duties/?outcome=late", generate.FOSTERING_MANAGER),
        ("weekly checks", "/compliance/checks/", generate.FOSTERING_MANAGER),
        ("weekly check: supervision", "/compliance/checks/supervision/", generate.FOSTERING_MANAGER),
        ("weekly check: devices", "/compliance/checks/devices/", generate.FOSTERING_MANAGER),
        # IM-1 to IM-9: five years of worries, decisions, agreements and reviews of one young person.
        (
            "young person's internet monitoring",
            f"/children/{monitored.child_id}/internet-monitoring/",
            csw.username,
        ),
    ]


def measure(label: str, path: str, username: str, *, requests: int, warmup: int) -> Result:
    from django.core.signals import got_request_exception
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(label=label, path=path, username=username)

    def remember(sender, request=None, **kwargs):  # type: ignore[no-untyped-def]
        if not result.error:
            error = sys.exc_info()[1]
            result.error = f"{type(error).__name__}: {error}"[:300]

    got_request_exception.connect(remember, weak=False)
    try:
        client = signed_in_client(username)
        for _ in range(warmup):
            client.get(path)
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            result.times_ms.append((time.perf_counter() - started) * 1000)
            result.statuses.add(response.status_code)
        # Queries are counted in a pass of their own: recording them (on SQLite, quoting
        # each parameter) would add to the times above.
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            result.queries.append(len(queries.captured_queries))
    except Exception as error:
        # Even the error page failed (say, a URLconf that does not import): a row of the
        # report, not the end of the run.
        result.statuses.add(NO_RESPONSE)
        result.error = result.error or f"{type(error).__name__}: {error}"[:300]
    finally:
        got_request_exception.disconnect(remember)
    return result


def print_report(
    results: list[Result], sizes: list[tuple[str, int]], *, vendor: str, built_on: dt.date
) -> None:
    print(f"\nData ({vendor}, generated {built_on:%d %b %Y}):")
    width = max(len(name) for name, _ in sizes)
    for name, count in sizes:
        print(f"  {name:<{width}}  {count:>8,}")
    requests = max((len(r.times_ms) for r in results), default=0)
    print(f"\nServer time per request, {requests} requests a page after warm-up:")
    header = ("page", "path", "user", "p50 ms", "p95 ms", "queries", "status")
    rows = [
        (
            r.label,
            r.path,
            r.username,
            "-" if math.isnan(r.p50) else f"{r.p50:.1f}",
            "-" if math.isnan(r.p95) else f"{r.p95:.1f}",
            r.query_count,
            r.status if not r.ok else "",
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    numeric = {3, 4, 5}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            f"{cell:>{widths[i]}}" if i in numeric else f"{cell:<{widths[i]}}" for i, cell in enumerate(row)
        ]
        return " | ".join(cells).rstrip()

    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    failing = [r for r in results if r.error or not r.ok]
    for r in failing:
        outcome = "no response" if NO_RESPONSE in r.statuses else f"status {r.status}"
        print(f"\n{r.label} ({r.path}): {outcome}" + (f": {r.error}" if r.error else ""))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if args.postgres:
        os.environ["BENCH_POSTGRES"] = "1"
    else:
        os.environ.pop("BENCH_POSTGRES", None)

    import django

    django.setup()
    from django.db import connection

    total = time.perf_counter()
    generation, built_on = prepare_database(postgres=args.postgres, regenerate=args.regenerate)
    if generation is not None:
        print(f"Generated in {generation:.1f} s.", flush=True)
    results = []
    for label, path, username in pages():
        print(f"Measuring {label} ({path})…", flush=True)
        results.append(measure(label, path, username, requests=args.requests, warmup=args.warmup))
    print_report(results, data_sizes(), vendor=connection.vendor, built_on=built_on)
    print(f"\nTotal run {time.perf_counter() - total:.0f} s.")
    # A page that does not answer 200 has no meaningful time: fail the run so it is seen.
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
