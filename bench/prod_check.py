"""Production check and fault drill (`make prod-check`).

Serves the production settings as a deployment runs them, on this machine only: gunicorn with two
workers, Huey's consumer (`manage.py run_huey`) with its queue in Redis (database 7 of the local
server, `--redis-db`), and PostgreSQL (database `safecare_prodcheck`, made, migrated and loaded
with the demo service the first time, migrated on each run). Then:

1. A smoke test: a carer's home page signed in; /healthz and /readyz (skipped when the server
   has none: 404); one write of each kind below acknowledged; a scheduled job put in the job
   table and seen done by the consumer.
2. A fault drill under a bounded mixed load that also writes, each write new and carrying a
   marker of its own: carers' daily recordings (the marker in the text); carers' change
   notices, SC-6 (the marker in the details); and signatures of safer caring agreements by the
   carers and workers of the load's sessions who must sign them. A version is signed once by
   each signer and only while it is the latest, so before the load each agreement of the
   carers' households gets a new version written by its worker (`--prepare`, with the marker in
   its first section), and each (version, signer) is signed by one write; the signatures are
   spread over the first three quarters of the drill. Meanwhile one gunicorn worker is killed (SIGKILL), then
   PostgreSQL is restarted, while jobs fall due and a second job runner
   (`manage.py run_due_jobs`) runs beside the consumer. A restart ends every connection of
   the cluster, so it is not done while other databases of the cluster are in use (the check
   then fails, saying so) unless `--restart-anyway` is given.
3. Checks afterwards, with the counts of each kind printed (sent, acknowledged, found, missing,
   doubled, and saved though the answer was lost): every write the server acknowledged (the
   redirect to what was saved) is in the database exactly once, a signature on the version
   that carries its marker by the signer who sent it; no record is half-written (a row of a
   model with change history and no history row, such as a recording or a notice without its
   history; a signature whose signed version is missing, the drill's agreement versions among
   them; compared with the count before the drill); no job ran twice (each of the drill's jobs
   done once: one `scheduled_job_done` line, one attempt); and how many seconds the service
   took to answer again after each fault.

Exits 1 when a check fails. Every request goes to 127.0.0.1 and the load stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import load, loadenv

DATABASE = "safecare_prodcheck"
JOB_PREFIX = "prodcheck:"
MARKER_PREFIX = "prodcheck-"


# --- the pure parts ------------------------------------------------------------------------


def orphan_history_sql(table: str, pk: str, history_table: str) -> str:
    """Rows of `table` with no row at all in its change history: a record half-written."""
    return (
        f"SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS "
        f"(SELECT 1 FROM {history_table} h WHERE h.{pk} = t.{pk})"
    )


def orphan_signature_sql(signature_table: str, content_type_id: int, document_table: str, pk: str) -> str:
    """Signatures of one kind of document whose signed version is not there."""
    return (
        f"SELECT COUNT(*) FROM {signature_table} s WHERE s.document_type_id = {int(content_type_id)} "
        f"AND NOT EXISTS (SELECT 1 FROM {document_table} d WHERE d.{pk} = s.document_id)"
    )


def runs_per_job(log_text: str, prefix: str = JOB_PREFIX) -> Counter[str]:
    """How many times each job whose key starts with `prefix` was logged as done."""
    pattern = re.compile(
        r"scheduled_job_done id=\d+ kind=\S+ key=(" + re.escape(prefix) + r"\S+?)(?=[\s\"]|$)"
    )
    return Counter(pattern.findall(log_text))


def date_boxes(name: str, day: str) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: day, month and year boxes."""
    year, month, number = day.split("-")
    return {f"{name}_day": str(int(number)), f"{name}_month": str(int(month)), f"{name}_year": year}


def recording_form(marker: str, today: str) -> dict[str, str]:
    return {
        **date_boxes("recorded_on", today),
        "category": "",
        "text": f"Load check {marker}: had tea, did homework, went to bed on time.",
    }


def notice_form(marker: str, today: str) -> dict[str, str]:
    """SC-6: a carer's change notice (notices.forms.ChangeNoticeForm), its marker in the details."""
    return {
        "kind": "other",
        **date_boxes("happened_on", today),
        "details": f"Load check {marker}: a neighbour will call in on Saturdays.",
    }


def signature_form(shown_hash: str) -> dict[str, str]:
    """A signature of an agreement's version (agreements.forms.SignForm): the hash shown, ticked."""
    return {"content_hash": shown_hash, "confirm": "on"}


def new_marker() -> str:
    return MARKER_PREFIX + uuid.uuid4().hex[:16]


def markers_in(texts: Iterable[str]) -> Counter[str]:
    """How many of `texts` carry each drill marker (the first marker of a text counts)."""
    pattern = re.compile(re.escape(MARKER_PREFIX) + r"[0-9a-f]+")
    return Counter(m.group(0) for text in texts if (m := pattern.search(text)))


def with_marker(text: str, marker: str) -> str:
    """A section of an agreement with this drill's marker in place of any earlier drill's."""
    earlier = re.compile(r" \(load check " + re.escape(MARKER_PREFIX) + r"[0-9a-f]+\)")
    return earlier.sub("", text) + f" (load check {marker})"


def signature_key(marker: str, signer: str) -> str:
    """One signature write: the marker written into the version signed, and who signs it."""
    return f"{marker} {signer}"


def parse_signature_key(key: str) -> tuple[str, str]:
    marker, _, signer = key.partition(" ")
    if not marker.startswith(MARKER_PREFIX) or not signer:
        raise ValueError(f"not a signature key: {key!r}")
    return marker, signer


def write_counts(sent: list[str], acked: list[str], found: dict[str, int]) -> dict[str, int]:
    """Of one kind of write: how many were sent, acknowledged, found, missing and doubled.

    Found, missing and doubled are of the acknowledged ones; a write sent whose answer was
    lost may be saved or not, and is counted apart (`unacknowledged_found`).
    """
    acked_set = set(acked)
    return {
        "sent": len(sent),
        "acknowledged": len(acked),
        "found": sum(1 for key in acked if found.get(key, 0) >= 1),
        "missing": sum(1 for key in acked if found.get(key, 0) == 0),
        "doubled": sum(1 for key in acked if found.get(key, 0) > 1),
        "unacknowledged_found": sum(1 for key in sent if key not in acked_set and found.get(key, 0) >= 1),
    }


def signature_share(versions_to_sign: int, writes_expected: float) -> float:
    """The share of writes that sign: a third, or fewer, so that the versions prepared last
    through the first three quarters of the drill (past the worker killed at a quarter and the
    restart at half) and are all signed by then."""
    return min(1 / 3, versions_to_sign / max(1.0, 0.75 * writes_expected))


def acknowledged(kind: str, status: int, location: str) -> bool:
    """The server's success answer to a write of `kind`: the redirect to what was saved."""
    expected = {"recording": "/recordings/", "notice": "/notices/changes/", "signature": "/agreement/"}
    return status == 302 and expected[kind] in location


# --- the database side (run as `python -m bench.prod_check --inspect`, with Django set up) ------


def prepare(households: list[int], signers: list[str]) -> list[dict[str, str]]:
    """Versions to sign during the drill: one each, with a marker, and who of `signers` signs it.

    A new version of each agreement of the households (the household's and each child placed
    now's), written by the household's worker as the edit page does, its first section
    carrying a marker; the carers and workers among `signers` who must sign it each sign it
    once during the drill (only the latest version is signed, once per signer).
    """
    import django

    django.setup()
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from safecare.agreements import services as agreements
    from safecare.agreements.models import SECTION_KEYS, Agreement, AgreementKind
    from safecare.households.models import Household, Placement
    from safecare.households.selectors import household_worker

    today = timezone.localdate()
    wanted = set(signers)
    targets: list[dict[str, str]] = []
    for household in Household.objects.filter(pk__in=households).order_by("pk"):
        writer = household_worker(household)
        if writer is None:
            continue
        members = [m for m in household.members.all() if m.is_current(today)]
        subjects: list[dict[str, Any]] = [{"household": household}]
        for placement in Placement.objects.filter(household=household).current(today).order_by("pk"):
            subjects.append({"placement": placement})
        for subject in subjects:
            if "placement" in subject:
                agreement = Agreement.objects.filter(
                    kind=AgreementKind.CHILD, placement=subject["placement"]
                ).first()
            else:
                agreement = Agreement.objects.filter(
                    kind=AgreementKind.HOUSEHOLD, household=household
                ).first()
            latest = agreement.versions.order_by("-number").first() if agreement else None
            sections = {
                key: str((latest.sections if latest else {}).get(key) or "none") for key in SECTION_KEYS
            }
            marker = new_marker()
            sections[SECTION_KEYS[0]] = with_marker(sections[SECTION_KEYS[0]], marker)
            try:
                version = agreements.version_create(
                    actor=writer,
                    sections=sections,
                    participants=members,
                    based_on=latest.number if latest else 0,
                    **({"agreement": agreement} if agreement else subject),
                )
            except (ValidationError, PermissionDenied):
                continue
            shown = agreements.version_hash(version)
            for signer in agreements.required_signers(version.agreement, today=today):
                if signer.user is not None and signer.user.username in wanted:
                    targets.append(
                        {
                            "marker": marker,
                            "version": str(version.pk),
                            "hash": shown,
                            "signer": signer.user.username,
                        }
                    )
    return targets


def inspect(sent: dict[str, list[str]], job_keys: list[str]) -> dict[str, Any]:
    """What the database holds: half-written records, each sent write found how many times, the jobs."""
    import django

    django.setup()
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from simple_history.models import HistoricalChanges

    from safecare.agreements.models import AgreementVersion
    from safecare.core.models import ScheduledJob, Signature
    from safecare.notices.models import ChangeNotice
    from safecare.supervision.models import Recording

    orphans: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if issubclass(model, HistoricalChanges) or model._meta.proxy:
                continue
            history = getattr(model, "history", None)
            history_model = getattr(history, "model", None)
            if history_model is None:
                continue
            pk = str(model._meta.pk.column)
            cursor.execute(orphan_history_sql(model._meta.db_table, pk, history_model._meta.db_table))
            orphans[model._meta.label] = int(cursor.fetchone()[0])
        # Every kind of document signed, the drill's agreement versions among them.
        for type_id in Signature.objects.values_list("document_type_id", flat=True).distinct():
            document = ContentType.objects.get_for_id(type_id).model_class()
            if document is None:
                continue
            cursor.execute(
                orphan_signature_sql(
                    Signature._meta.db_table,
                    type_id,
                    document._meta.db_table,
                    str(document._meta.pk.column),
                )
            )
            orphans[f"signature of {document._meta.label}"] = int(cursor.fetchone()[0])

    def found_texts(model: Any, field_name: str, markers: list[str]) -> dict[str, int]:
        texts = model.objects.filter(**{f"{field_name}__contains": MARKER_PREFIX}).values_list(
            field_name, flat=True
        )
        counts = markers_in(texts)
        return {marker: counts.get(marker, 0) for marker in markers}

    signature_keys = sent.get("signature", [])
    wanted = {parse_signature_key(key)[0] for key in signature_keys}
    versions: dict[str, list[int]] = {}
    marked = (
        AgreementVersion.objects.annotate(text=Cast("sections", TextField()))
        .filter(text__contains=MARKER_PREFIX)
        .values_list("pk", "text")
    )
    for version_pk, text in marked:
        for marker in set(re.findall(re.escape(MARKER_PREFIX) + r"[0-9a-f]+", text)):
            if marker in wanted:
                versions.setdefault(marker, []).append(version_pk)
    version_type = ContentType.objects.get_for_model(AgreementVersion)
    signed = Counter(
        (document_id, signer)
        for document_id, signer in Signature.objects.filter(
            document_type=version_type, document_id__in=[v for pks in versions.values() for v in pks]
        ).values_list("document_id", "signer__username")
    )
    signatures: dict[str, int] = {}
    for key in signature_keys:
        marker, signer = parse_signature_key(key)
        signatures[key] = sum(signed[(v, signer)] for v in versions.get(marker, []))
    jobs = {
        job.key: {"done": job.done_at is not None, "attempts": job.attempts, "error": job.last_error[-300:]}
        for job in ScheduledJob.objects.filter(key__in=job_keys)
    }
    return {
        "orphans": orphans,
        "found": {
            "recording": found_texts(Recording, "text", sent.get("recording", [])),
            "notice": found_texts(ChangeNotice, "details", sent.get("notice", [])),
            "signature": signatures,
        },
        "jobs": jobs,
    }


def run_django(env: dict[str, str], flag: str, request: dict[str, Any], tmp: Path) -> Any:
    """Run `prepare` or `inspect` in a process of its own, with the server's settings."""
    request_path = tmp / f"{flag}-in.json"
    request_path.write_text(json.dumps(request))
    out = subprocess.run(
        [loadenv.PY, "-m", "bench.prod_check", f"--{flag}", str(request_path)],
        env=env,
        cwd=loadenv.ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_inspect(
    env: dict[str, str], sent: dict[str, list[str]], job_keys: list[str], tmp: Path
) -> dict[str, Any]:
    return dict(run_django(env, "inspect", {"sent": sent, "jobs": job_keys}, tmp))


# --- the services --------------------------------------------------------------------------


def start_redis(db: int) -> str:
    ping = ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "-n", str(db), "ping"]
    if subprocess.run(ping, capture_output=True, check=False).stdout.strip() != b"PONG":
        loadenv.log("starting Redis")
        subprocess.run(
            ["redis-server", "--bind", "127.0.0.1", "--port", "6379", "--daemonize", "yes"], check=True
        )
        loadenv.wait_for(
            lambda: subprocess.run(ping, capture_output=True, check=False).returncode == 0, 20, "Redis"
        )
    subprocess.run([*ping[:-1], "flushdb"], check=True, capture_output=True)
    return f"redis://127.0.0.1:6379/{db}"


def schedule_jobs(database: str, keys: list[str], today: str) -> None:
    """Jobs due now, straight into the job table (as a rule's event would write them)."""
    values = ",".join(
        f"('daily_check', '{key}', NULL, '{json.dumps({'check': 'export_expiry', 'day': today})}'::jsonb, "
        "now() - interval '1 second', NULL, 0, '', now())"
        for key in keys
    )
    loadenv.psql(
        "INSERT INTO core_scheduledjob (kind, key, service_id, payload, due_at, done_at, attempts, last_error, "
        f"created_at) VALUES {values}",
        database,
    )


def jobs_done(database: str, keys: list[str]) -> int:
    quoted = ",".join(f"'{k}'" for k in keys)
    return int(
        loadenv.psql(
            f"SELECT COUNT(*) FROM core_scheduledjob WHERE key IN ({quoted}) AND done_at IS NOT NULL",
            database,
        )
    )


# --- the client side -----------------------------------------------------------------------


KINDS = ("recording", "notice", "signature")


@dataclass
class Drill:
    port: int
    sessions: dict[str, Any]
    # Versions prepared for signing (prepare): each is used by one write, never twice.
    to_sign: list[dict[str, str]] = field(default_factory=list)
    reads: list[load.Result] = field(default_factory=list)
    # Of each kind, the key of each write sent, and of each the server said it saved.
    sent: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    acknowledged: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    refused: Counter[int] = field(default_factory=Counter)  # status of writes not acknowledged
    events: list[str] = field(default_factory=list)
    recovery: dict[str, float] = field(default_factory=dict)
    # (when sent, whether it succeeded) of every request of the load, and when the service
    # answered again after the last fault: what failed after that is not the fault's doing.
    outcomes: list[tuple[float, bool]] = field(default_factory=list)
    recovered_at: float = float("inf")
    restart_skipped: bool = False
    # Of the writes, the share that sign: the versions prepared are few (one signature each per
    # signer), so they are spread over the drill, before and after each fault.
    signature_share: float = 1 / 3

    @property
    def writes_sent(self) -> int:
        return sum(len(keys) for keys in self.sent.values())

    def carer(self, rng: random.Random) -> dict[str, Any]:
        return rng.choice([u for u in self.sessions["users"]["carer"] if u.get("children")])

    def user(self, username: str) -> dict[str, Any]:
        return next(
            u for users in self.sessions["users"].values() for u in users if u["username"] == username
        )

    def next_write(
        self, rng: random.Random, kind: str | None
    ) -> tuple[str, str, dict[str, Any], str, dict[str, str]]:
        """(kind, key, user, path, form) of a new write; a signature only while versions are left."""
        if kind is None and self.to_sign and rng.random() < self.signature_share:
            kind = "signature"
        elif kind is None:
            kind = rng.choice(["recording", "notice"])
        if kind == "signature":
            target = self.to_sign.pop(rng.randrange(len(self.to_sign)))
            return (
                kind,
                signature_key(target["marker"], target["signer"]),
                self.user(target["signer"]),
                f"/agreements/versions/{target['version']}/sign/",
                signature_form(target["hash"]),
            )
        user = self.carer(rng)
        marker = new_marker()
        if kind == "notice":
            path = f"/households/{user['household']}/notices/change/"
            return kind, marker, user, path, notice_form(marker, self.sessions["today"])
        path = f"/children/{rng.choice(user['children'])}/recordings/new/"
        return kind, marker, user, path, recording_form(marker, self.sessions["today"])

    async def write(self, rng: random.Random, kind: str | None = None) -> None:
        kind, key, user, path, fields = self.next_write(rng, kind)
        token = load.csrf_token()
        cookies = {**load.user_cookies(self.sessions, user), self.sessions["csrf_cookie"]: token}
        form = {"csrfmiddlewaretoken": token, **fields}
        self.sent[kind].append(key)
        sent = time.monotonic()
        try:
            answer = await load.request(self.port, "POST", path, cookies=cookies, form=form)
        except (TimeoutError, OSError, ValueError, IndexError):
            self.refused[0] += 1
            self.outcomes.append((sent, False))
            return
        ok = acknowledged(kind, answer.status, answer.header("location"))
        if ok:
            self.acknowledged[kind].append(key)
        else:
            self.refused[answer.status] += 1
        self.outcomes.append((sent, ok))

    async def page(self, path: str, role: str = "carer") -> int:
        user = self.sessions["users"][role][0]
        try:
            return (
                await load.request(
                    self.port, "GET", path, cookies=load.user_cookies(self.sessions, user), timeout=5
                )
            ).status
        except (TimeoutError, OSError, ValueError, IndexError):
            return 0

    async def until_answers(self, started: float, limit: float = 60) -> float:
        """Seconds from `started` until a carer's home page answers 200 again."""
        while time.monotonic() - started < limit:
            if await self.page("/") == 200:
                return time.monotonic() - started
            await asyncio.sleep(0.1)
        return float("inf")


async def mixed_load(drill: Drill, seconds: float, rate: float, write_share: float, seed: int) -> None:
    """Reads of the load's mix and writes (recordings, notices, signatures), `rate` a second in all, bounded."""
    rng = random.Random(seed)
    mix = load.effective_mix(load.MIX, drill.sessions["users"])
    drill.signature_share = signature_share(len(drill.to_sign), seconds * rate * write_share)
    limit = asyncio.Semaphore(16)
    tasks = []

    async def one(due: float) -> None:
        async with limit:
            if rng.random() < write_share:
                await drill.write(rng)
            else:
                role, user, path = load.choose(rng, mix, drill.sessions["users"])
                sent = time.monotonic()
                result = await load.timed_get(drill.port, drill.sessions, role, user, path, due)
                drill.reads.append(result)
                drill.outcomes.append((sent, result.ok))

    start = time.monotonic()
    for n in range(int(seconds * rate)):
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(start + n / rate)))
    await asyncio.wait(tasks, timeout=load.TIMEOUT + 5)


def other_databases_in_use(own: str) -> list[str]:
    """Databases of the cluster, other than `own`, that someone is connected to now."""
    names = loadenv.psql(
        "SELECT DISTINCT datname FROM pg_stat_activity WHERE datname IS NOT NULL "
        f"AND datname <> '{own}' AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )
    return sorted(name for name in names.splitlines() if name)


async def faults(
    drill: Drill, master_pid: int, kill_at: float, restart_at: float, restart_anyway: bool
) -> None:
    start = time.monotonic()
    await asyncio.sleep(kill_at)
    workers = loadenv.worker_pids(master_pid)
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    drill.events.append(f"{time.monotonic() - start:5.1f} s: SIGKILL gunicorn worker {victim} (of {workers})")

    def replaced() -> bool:
        now = loadenv.worker_pids(master_pid)
        return victim not in now and len(now) == len(workers)

    while not replaced() and time.monotonic() - killed < 30:
        await asyncio.sleep(0.1)
    drill.recovery["worker replaced"] = time.monotonic() - killed
    drill.recovery["answers after the worker was killed"] = await drill.until_answers(killed)

    await asyncio.sleep(max(0.0, restart_at - (time.monotonic() - start)))
    # A restart ends every connection of the cluster: never someone else's work by surprise.
    in_use = await asyncio.to_thread(other_databases_in_use, DATABASE)
    if in_use and not restart_anyway:
        drill.events.append(
            f"{time.monotonic() - start:5.1f} s: PostgreSQL NOT restarted: other databases are in use "
            f"({', '.join(in_use)}); --restart-anyway restarts it all the same"
        )
        drill.restart_skipped = True
        drill.recovered_at = time.monotonic()  # what is sent from here must succeed
        return
    restarted = time.monotonic()
    drill.events.append(f"{time.monotonic() - start:5.1f} s: PostgreSQL restart")
    await asyncio.to_thread(loadenv.restart_postgres)
    drill.recovery["PostgreSQL restart (pg_ctlcluster)"] = time.monotonic() - restarted
    drill.recovery["answers after the restart began"] = await drill.until_answers(restarted)
    drill.recovery["answers after PostgreSQL was back"] = (
        drill.recovery["answers after the restart began"]
        - drill.recovery["PostgreSQL restart (pg_ctlcluster)"]
    )
    drill.recovered_at = restarted + drill.recovery["answers after the restart began"]


# --- the command ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the drill's load")
    parser.add_argument("--rate", type=float, default=8.0, help="requests a second during the drill")
    parser.add_argument(
        "--write-share", type=float, default=0.3, help="share of the drill's requests that write"
    )
    parser.add_argument("--jobs", type=int, default=20, help="jobs falling due during the drill")
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--restart-anyway",
        action="store_true",
        help="restart PostgreSQL even when other databases of the cluster are in use",
    )
    parser.add_argument("--inspect", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inspect:
        request = json.loads(Path(args.inspect).read_text())
        print(json.dumps(inspect(request["sent"], request["jobs"])))
        return 0
    if args.prepare:
        request = json.loads(Path(args.prepare).read_text())
        print(json.dumps(prepare(request["households"], request["signers"])))
        return 0
    if args.seconds > 600 or args.rate > 200:
        parser.error("at most 600 s and 200 requests/s: the drill is bounded")
    with tempfile.TemporaryDirectory(prefix="safecare-prodcheck-") as tmp:
        return check(args, Path(tmp))


def check(args: argparse.Namespace, tmp: Path) -> int:
    failures: list[str] = []

    def expect(ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    loadenv.start_postgres()
    redis_url = start_redis(args.redis_db)
    url = f"{loadenv.PG}/{DATABASE}"
    # Kept from one run to the next: the checks compare before and after, and the markers and
    # job keys are new each run (DROP DATABASE waits on every backend of the cluster).
    loadenv.setup_database(url)
    port = loadenv.free_port()
    env = loadenv.production_env(url, port, redis_url=redis_url)
    loadenv.collectstatic(env)
    loadenv.make_sessions(env, tmp / "sessions.json", "demo", 40)
    sessions = json.loads((tmp / "sessions.json").read_text())
    if not any(u.get("children") for u in sessions["users"]["carer"]):
        raise SystemExit("No carer with a child placed: the drill writes carers' recordings and notices.")
    households = sorted({u["household"] for u in sessions["users"]["carer"] if u.get("children")})
    signers = [u["username"] for users in sessions["users"].values() for u in users]
    to_sign = run_django(env, "prepare", {"households": households, "signers": signers}, tmp)
    loadenv.log(
        f"{len(to_sign)} signatures to make: new versions of the agreements of {len(households)} households"
    )
    gunicorn_log = tmp / "gunicorn.log"
    consumer_log = tmp / "huey.log"
    server = loadenv.start_gunicorn(env, port, 2, gunicorn_log)
    loadenv.log("starting Huey's consumer (manage.py run_huey)")
    consumer = subprocess.Popen(
        [loadenv.PY, "manage.py", "run_huey"],
        env=env,
        cwd=loadenv.ROOT,
        stdout=consumer_log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    drill = Drill(port, sessions, to_sign=list(to_sign))
    runner_out = ""
    smoke_writes: dict[str, int] = {}
    try:
        print("Smoke test (production settings, 2 gunicorn workers, Huey on Redis, PostgreSQL)")
        expect(asyncio.run(drill.page("/")) == 200, "a carer's home page, signed in: 200")
        for path in ("/healthz", "/readyz"):
            status = asyncio.run(drill.page(path))
            if status == 404:
                print(f"  skip {path}: this server has none (404)")
            else:
                expect(status == 200, f"{path}: {status}")
        for kind, what in (
            ("recording", "a carer's daily recording saved (302)"),
            ("notice", "a carer's change notice sent (302)"),
            ("signature", "an agreement's version signed (302)"),
        ):
            if kind == "signature" and not drill.to_sign:
                expect(False, "an agreement's version to sign: none prepared")
                continue
            asyncio.run(drill.write(random.Random(args.seed), kind))
            expect(len(drill.acknowledged[kind]) == 1, what)
        smoke_key = f"{JOB_PREFIX}smoke:{uuid.uuid4().hex[:8]}"
        schedule_jobs(DATABASE, [smoke_key], sessions["today"])
        loadenv.log("waiting for the consumer to run a job (it wakes every minute)")
        started = time.monotonic()
        while jobs_done(DATABASE, [smoke_key]) < 1 and time.monotonic() - started < 90:
            time.sleep(1)
        expect(
            jobs_done(DATABASE, [smoke_key]) == 1,
            f"a scheduled job run by the consumer (after {time.monotonic() - started:.0f} s)",
        )

        before = run_inspect(env, {}, [], tmp)["orphans"]
        smoke_writes = {kind: len(keys) for kind, keys in drill.sent.items()}
        print(
            f"\nFault drill: {args.seconds:g} s of mixed load at {args.rate:g} requests/s, {args.write_share:.0%} writes"
        )
        keys = [f"{JOB_PREFIX}drill:{uuid.uuid4().hex[:8]}:{n}" for n in range(args.jobs)]
        schedule_jobs(DATABASE, keys, sessions["today"])
        runner = subprocess.Popen(
            [loadenv.PY, "manage.py", "run_due_jobs"],
            env=env,
            cwd=loadenv.ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

        async def drill_run() -> None:
            await asyncio.gather(
                mixed_load(drill, args.seconds, args.rate, args.write_share, args.seed),
                faults(drill, server.pid, args.seconds * 0.25, args.seconds * 0.5, args.restart_anyway),
            )

        asyncio.run(drill_run())
        runner_out = runner.communicate(timeout=120)[0]
        for event in drill.events:
            print("  " + event)
        started = time.monotonic()
        while jobs_done(DATABASE, keys) < len(keys) and time.monotonic() - started < 90:
            time.sleep(1)
    finally:
        loadenv.stop(server)
        consumer.send_signal(signal.SIGINT)
        try:
            consumer.wait(20)
        except subprocess.TimeoutExpired:
            consumer.kill()
            consumer.wait()

    after = run_inspect(env, drill.sent, keys, tmp)
    reads_ok = sum(1 for r in drill.reads if r.ok)
    print(f"\n  reads: {len(drill.reads)} answered, {reads_ok} 200, {len(drill.reads) - reads_ok} not")
    refused = ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(drill.refused.items())) or "none"
    print(
        f"  writes: {drill.writes_sent} sent, {sum(map(len, drill.acknowledged.values()))} acknowledged, "
        f"not acknowledged by status: {refused}"
    )
    print(f"  ({len(to_sign)} signatures prepared; the smoke test's writes are counted with the drill's)")
    for kind in KINDS:
        counts = write_counts(drill.sent[kind], drill.acknowledged[kind], after["found"][kind])
        print(
            f"  {kind}s: {counts['sent']} sent, {counts['acknowledged']} acknowledged, {counts['found']} found, "
            f"{counts['missing']} missing, {counts['doubled']} doubled; saved though not acknowledged "
            f"(the answer was lost): {counts['unacknowledged_found']}"
        )
        during = len(drill.sent[kind]) - smoke_writes.get(kind, 0)
        expect(during > 0, f"{kind}s written during the drill ({during} sent)")
        expect(
            not counts["missing"],
            f"every acknowledged {kind} is in the database ({counts['missing']} missing)",
        )
        expect(
            not counts["doubled"], f"each acknowledged {kind} saved once ({counts['doubled']} more than once)"
        )
    grown = {k: (before.get(k, 0), v) for k, v in after["orphans"].items() if v > before.get(k, 0)}
    expect(
        not grown,
        f"no record half-written: no new row without its history, no signature without its version {grown or ''}",
    )
    log_text = (tmp / "huey.log").read_text(errors="replace") + runner_out
    runs = runs_per_job(log_text)
    jobs = after["jobs"]
    done = sum(1 for j in jobs.values() if j["done"])
    expect(done == len(keys), f"every drill job done ({done} of {len(keys)})")
    twice = [k for k in keys if runs.get(k, 0) > 1 or jobs.get(k, {}).get("attempts", 0) > 1]
    expect(not twice, f"no job ran twice ({len(twice)}; done lines logged: {sum(runs[k] for k in keys)})")
    if drill.restart_skipped:
        failures.append("PostgreSQL was not restarted (other databases in use)")
    later = [ok for sent, ok in drill.outcomes if sent > drill.recovered_at]
    expect(
        all(later),
        f"no request sent after the service answered again failed ({later.count(False)} of {len(later)} did)",
    )
    for what, seconds in drill.recovery.items():
        print(f"  {what}: {seconds:.1f} s")
    expect(
        all(s < 30 for k, s in drill.recovery.items() if k.startswith("answers")),
        "the service answers again within 30 s of each fault",
    )
    errors = [
        line
        for line in gunicorn_log.read_text(errors="replace").splitlines()
        if "Traceback" in line or '"ERROR"' in line or "[ERROR]" in line
    ]
    print(f"  gunicorn error lines: {len(errors)}" + (f" (first: {errors[0][:200]})" if errors else ""))
    print("\nprod-check: " + ("passed" if not failures else f"FAILED: {'; '.join(failures)}"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
