"""A bounded, signed-in mixed load against Safecare served by gunicorn (`make bench-load`).

    python -m bench.load --rate 20 --seconds 60          # open model: 20 requests/s offered
    python -m bench.load --connections 8 --seconds 60    # closed loop: 8 users back to back

By default it serves the production settings with gunicorn (4 workers, `--workers`) on a
PostgreSQL database `safecare_load`, created, migrated and loaded with the demo service when it
does not exist; LOAD_DATABASE_URL names another (the bench database). Users are signed in by
sessions made in the database (bench.load_sessions) and picked by role: carers 40 %, supervising
social workers 30 %, children's social workers 15 %, managers 15 %, each opening the pages they use.

Open model (`--rate`): requests are due at a steady rate whether or not earlier ones have
answered; at most `--max-connections` are open at once and a request waiting for one is timed
from when it was due, so an overloaded server shows as latency and as a shortfall of requests
served, never as a quietly lower rate. Closed loop (`--connections N`): N clients, each sending
its next request when the last one answers.

Prints, per page and overall: requests, errors, requests per second, p50/p95/p99 in ms; and the
CPU time of gunicorn's workers and of PostgreSQL per request (from /proc). Every request goes to
127.0.0.1, the run stops by itself after `--seconds`, and the number of requests is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import secrets
import string
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MIX = {"carer": 0.40, "ssw": 0.30, "csw": 0.15, "manager": 0.15}
HOST = "127.0.0.1"
TIMEOUT = 30.0
# Requests waiting for a connection beyond which new ones are counted as not sent (shed).
BACKLOG_PER_CONNECTION = 20


# --- the pure parts: percentiles, summaries, the mix ---------------------------------------


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def page_label(role: str, path: str) -> str:
    """'carer /children/{id}/': the page a request was for, its ids left out."""
    pattern = re.sub(r"/\d+(?=/|$)", "/{id}", path)
    return f"{role} {pattern}"


@dataclass
class Result:
    label: str
    status: int  # 0: no answer (refused, reset, timed out)
    seconds: float
    ok: bool


@dataclass
class Row:
    label: str
    requests: int
    errors: int
    rate: float
    p50: float
    p95: float
    p99: float


def summarise(results: Sequence[Result], elapsed: float) -> list[Row]:
    """One row per page (sorted by label), then "overall"; latencies in ms, of every answer."""
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(result.label, []).append(result)
    rows = []
    for label in [*sorted(groups), "overall"]:
        group = list(results) if label == "overall" else groups[label]
        times = sorted(r.seconds * 1000 for r in group)
        rows.append(
            Row(
                label=label,
                requests=len(group),
                errors=sum(1 for r in group if not r.ok),
                rate=len(group) / elapsed if elapsed > 0 else 0.0,
                p50=percentile(times, 0.50),
                p95=percentile(times, 0.95),
                p99=percentile(times, 0.99),
            )
        )
    return rows


def format_rows(rows: Sequence[Row]) -> str:
    width = max([len(r.label) for r in rows] + [4])
    lines = [
        f"{'page':<{width}}  {'requests':>8}  {'errors':>6}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}"
    ]
    for r in rows:
        lines.append(
            f"{r.label:<{width}}  {r.requests:>8}  {r.errors:>6}  {r.rate:>7.1f}  {r.p50:>7.0f}  {r.p95:>7.0f}  {r.p99:>7.0f}"
        )
    return "\n".join(lines)


def effective_mix(mix: dict[str, float], users: dict[str, list[Any]]) -> dict[str, float]:
    """The mix over the roles that have users; a role with none is left out (and said so)."""
    return {role: weight for role, weight in mix.items() if users.get(role) and weight > 0}


def choose(
    rng: random.Random, mix: dict[str, float], users: dict[str, list[dict[str, Any]]]
) -> tuple[str, dict[str, Any], str]:
    """(role, user, page): a role by the mix's weights, one of its users, one of that user's pages."""
    roles = list(mix)
    role = rng.choices(roles, weights=[mix[r] for r in roles])[0]
    user = rng.choice(users[role])
    return role, user, rng.choice(user["pages"])


# --- HTTP over asyncio streams (gunicorn's sync workers close each connection) -------------


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[0] if values else ""


def csrf_token() -> str:
    """A CSRF secret of Django's shape (32 letters and digits), sent as cookie and as field."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def parse_answer(raw: bytes) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(headers.get("transfer-encoding", [])):
        body = _dechunk(body)
    return Answer(status, headers, body)


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return bytes(out)


async def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> Answer:
    """One request as a browser behind the TLS proxy would send it; the whole answer."""
    from urllib.parse import urlencode

    body = urlencode(form).encode() if form is not None else b""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "X-Forwarded-Proto: https",
        "User-Agent: safecare-load",
        "Connection: close",
        "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()),
    ]
    if form is not None:
        lines += [
            f"Origin: https://{HOST}:{port}",
            f"Referer: https://{HOST}:{port}{path}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
        ]
    payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(payload)
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()

    return parse_answer(await asyncio.wait_for(exchange(), timeout))


def user_cookies(sessions: dict[str, Any], user: dict[str, Any]) -> dict[str, str]:
    return {sessions["session_cookie"]: user["cookie"]}


async def timed_get(
    port: int, sessions: dict[str, Any], role: str, user: dict[str, Any], path: str, due: float
) -> Result:
    """GET a page; timed from `due` (when it should have been sent), so waiting counts."""
    label = page_label(role, path)
    try:
        answer = await request(port, "GET", path, cookies=user_cookies(sessions, user))
    except (TimeoutError, OSError, ValueError, IndexError):
        return Result(label, 0, time.monotonic() - due, False)
    return Result(label, answer.status, time.monotonic() - due, answer.status == 200)


# --- the two ways of loading ---------------------------------------------------------------


@dataclass
class Run:
    results: list[Result]
    elapsed: float  # the load's window: from the first request due to the last
    offered: int  # requests that fell due (open model) or were sent (closed loop)
    shed: int  # due but not sent: more were waiting than the backlog allows
    until_last_answer: float  # the window and the wait for the last answers (TIMEOUT at most)


async def open_model(
    port: int,
    sessions: dict[str, Any],
    mix: dict[str, float],
    rate: float,
    seconds: float,
    connections: int,
    seed: int,
) -> Run:
    rng = random.Random(seed)
    users = sessions["users"]
    limit = asyncio.Semaphore(connections)
    results: list[Result] = []
    waiting = 0
    shed = 0
    tasks: list[asyncio.Task[None]] = []

    async def one(role: str, user: dict[str, Any], path: str, due: float) -> None:
        nonlocal waiting
        waiting += 1
        try:
            async with limit:
                waiting -= 1
                results.append(await timed_get(port, sessions, role, user, path, due))
        except asyncio.CancelledError:
            # Still waiting or unanswered when the run ended: an error, timed until now.
            results.append(Result(page_label(role, path), 0, time.monotonic() - due, False))
            raise

    start = time.monotonic()
    total = int(rate * seconds)
    for n in range(total):
        due = start + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        role, user, path = choose(rng, mix, users)
        if waiting >= connections * BACKLOG_PER_CONNECTION:
            shed += 1
            continue
        tasks.append(asyncio.create_task(one(role, user, path, due)))
    window = time.monotonic() - start
    if tasks:
        _done, pending = await asyncio.wait(tasks, timeout=TIMEOUT)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    return Run(results, window, total, shed, time.monotonic() - start)


async def closed_loop(
    port: int, sessions: dict[str, Any], mix: dict[str, float], connections: int, seconds: float, seed: int
) -> Run:
    users = sessions["users"]
    results: list[Result] = []
    start = time.monotonic()
    deadline = start + seconds

    async def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        while time.monotonic() < deadline:
            role, user, path = choose(rng, mix, users)
            results.append(await timed_get(port, sessions, role, user, path, time.monotonic()))

    await asyncio.gather(*(client(i) for i in range(connections)))
    elapsed = time.monotonic() - start
    return Run(results, elapsed, len(results), 0, elapsed)


# --- the command ---------------------------------------------------------------------------


def report(run: Run, *, mode: str, cpu_before: dict[str, float], cpu_after: dict[str, float]) -> str:
    rows = summarise(run.results, run.elapsed)
    served = sum(1 for r in run.results if r.ok)
    unanswered = sum(1 for r in run.results if r.status == 0)
    lines = [
        mode,
        f"offered {run.offered} requests in {run.elapsed:.1f} s ({run.offered / run.elapsed:.1f}/s); "
        f"served without error {served} ({served / run.until_last_answer:.1f}/s over "
        f"{run.until_last_answer:.1f} s, the last answers included); no answer {unanswered}; "
        f"not sent (backlog full) {run.shed}",
        format_rows(rows),
    ]
    statuses: dict[int, int] = {}
    for r in run.results:
        if not r.ok:
            statuses[r.status] = statuses.get(r.status, 0) + 1
    if statuses:
        lines.append(
            "errors by status (0: no answer): " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        )
    answered = len(run.results) - unanswered
    if answered:
        per = {k: (cpu_after[k] - cpu_before[k]) * 1000 / answered for k in cpu_before}
        busy = sum(cpu_after[k] - cpu_before[k] for k in cpu_before)
        lines.append(
            f"CPU per answered request: gunicorn workers {per['gunicorn']:.1f} ms, PostgreSQL "
            f"{per['postgres']:.1f} ms; cores they kept busy on average {busy / run.until_last_answer:.2f} "
            f"of {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} (other work on the machine included)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench import loadenv

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--rate", type=float, help="open model: requests per second offered")
    how.add_argument("--connections", type=int, help="closed loop: this many clients back to back")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-connections", type=int, default=32, help="open model: connections at most")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--service", default="", help="service slug (default: bench if it exists, else demo)")
    parser.add_argument("--per-role", type=int, default=40, help="users signed in per role, at most")
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds of load not measured first")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.rate is None and args.connections is None:
        args.rate = 20.0
    if args.seconds > 600 or (args.rate or 0) > 2000:
        parser.error("at most 600 s and 2000 requests/s: the load is bounded")

    url = os.environ.get("LOAD_DATABASE_URL", f"{loadenv.PG}/safecare_load")
    loadenv.start_postgres()
    if "LOAD_DATABASE_URL" not in os.environ:
        loadenv.setup_database(url)
    port = loadenv.free_port()
    env = loadenv.production_env(url, port)
    loadenv.collectstatic(env)
    with tempfile.TemporaryDirectory(prefix="safecare-load-") as tmp:
        sessions_path = Path(tmp) / "sessions.json"
        loadenv.make_sessions(env, sessions_path, args.service, args.per_role)
        sessions = json.loads(sessions_path.read_text())
        mix = effective_mix(MIX, sessions["users"])
        missing = sorted(set(MIX) - set(mix))
        if missing:
            loadenv.log(f"no users for {', '.join(missing)}: left out of the mix")
        server = loadenv.start_gunicorn(env, port, args.workers, Path(tmp) / "gunicorn.log")
        try:
            if args.rate:
                mode = f"open model: {args.rate:g} requests/s offered, at most {args.max_connections} connections"
            else:
                mode = f"closed loop: {args.connections} clients"

            def load(seconds: float) -> Run:
                if args.rate:
                    return asyncio.run(
                        open_model(port, sessions, mix, args.rate, seconds, args.max_connections, args.seed)
                    )
                return asyncio.run(closed_loop(port, sessions, mix, args.connections, seconds, args.seed))

            if args.warm_up > 0:
                loadenv.log(f"warming up for {args.warm_up:g} s")
                load(args.warm_up)
            loadenv.log(f"{mode}, for {args.seconds:g} s, service {sessions['service']!r}")
            before = loadenv.cpu_seconds(server.pid)
            run = load(args.seconds)
            after = loadenv.cpu_seconds(server.pid)
        finally:
            loadenv.stop(server)
            problems = [
                line
                for line in (Path(tmp) / "gunicorn.log").read_text(errors="replace").splitlines()
                if "Traceback" in line or '"ERROR"' in line or "[ERROR]" in line or "[CRITICAL]" in line
            ]
    print(f"gunicorn: {args.workers} workers, production settings, database {loadenv.database_name(url)}")
    print(report(run, mode=mode, cpu_before=before, cpu_after=after))
    if problems:
        print(f"gunicorn logged {len(problems)} error lines; the last:\n" + "\n".join(problems[-5:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
