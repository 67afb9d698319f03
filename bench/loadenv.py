"""What the load test and the production check run against: PostgreSQL, gunicorn, Redis.

Everything here starts processes on this machine only and serves 127.0.0.1. The server runs
the production settings with throwaway secrets (as .ci/run's deployment check makes them), behind
no proxy but believing `X-Forwarded-Proto` (SAFECARE_BEHIND_PROXY), which the client sends as the
TLS-terminating load balancer would.
"""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432"
PRODUCTION = "safecare.config.settings.production"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def pg_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[0]


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0


def start_postgres() -> None:
    """Start the local cluster when it is not answering (as .ci/run does)."""
    if pg_ready():
        return
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "start"], check=True)
    wait_for(pg_ready, 30, "PostgreSQL")


def restart_postgres() -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "restart"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_for(ready: object, seconds: float, what: str) -> float:
    """Poll `ready()` until true; the seconds it took. Fails after `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if ready():  # type: ignore[operator]
            return time.monotonic() - start
        time.sleep(0.2)
    raise SystemExit(f"{what} did not answer within {seconds:.0f} s")


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", f"{PG}/{database}", "-v", "ON_ERROR_STOP=1", "-qtAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def database_exists(url: str) -> bool:
    name = database_name(url)
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def master_key() -> str:
    """One throwaway master key for the load databases, kept in var/load/ (never a real one)."""
    path = ROOT / "var" / "load" / "master.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.b64encode(os.urandom(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def manage(*args: str, env: dict[str, str], quiet: bool = True) -> None:
    subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def setup_database(url: str) -> None:
    """Create, migrate and load the demo service into `url` when it does not exist yet.

    seed_demo runs with the development settings and DEBUG on, as `make run` runs it; a database
    that exists is migrated and keeps its data (seed_demo leaves a demo service already there).
    """
    name = database_name(url)
    created = False
    # A DROP DATABASE interrupted halfway leaves it invalid (PostgreSQL 15 marks it so): finish it.
    if psql(f"SELECT datconnlimit FROM pg_database WHERE datname = '{name}'") == "-2":
        log(f"dropping the invalid database {name} left by an interrupted drop")
        psql(f"DROP DATABASE {name}")
    if not database_exists(url):
        log(f"creating database {name}")
        psql(f"CREATE DATABASE {name}")
        created = True
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SAFECARE_MASTER_KEY": master_key(),
        "SAFECARE_VAR_DIR": var_dir(),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log(f"migrating {name}")
    manage("migrate", "--noinput", "-v0", env=env)
    # seed_demo keeps a demo service already loaded: it only loads one the first time.
    log(f"loading the demo service into {name}" if created else f"checking the demo service of {name}")
    manage("seed_demo", env={**env, "SAFECARE_DEBUG": "1"})


def var_dir() -> str:
    path = ROOT / "var" / "load"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def production_env(url: str, port: int, *, redis_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "DATABASE_URL": url,
        "SAFECARE_SECRET_KEY": secrets.token_urlsafe(64),
        "SAFECARE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SAFECARE_MASTER_KEY": master_key(),
        "SAFECARE_BEHIND_PROXY": "true",
        "SAFECARE_SITE_URL": f"http://127.0.0.1:{port}",
        "SAFECARE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SAFECARE_VAR_DIR": var_dir(),
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
    }
    env.pop("SAFECARE_DEBUG", None)
    if redis_url:
        env["SAFECARE_REDIS_URL"] = redis_url
    else:
        env.pop("SAFECARE_REDIS_URL", None)
    return env


def collectstatic(env: dict[str, str]) -> None:
    """The production settings serve hashed static files from a manifest: make it."""
    manage("collectstatic", "--noinput", "-v0", env=env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(
                b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
            )
            return sock.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


def start_gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen[bytes]:
    log(f"starting gunicorn, {workers} workers, on 127.0.0.1:{port}")
    process = subprocess.Popen(
        [
            GUNICORN,
            "safecare.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: port_answers(port), 60, "gunicorn")
    except SystemExit:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def make_sessions(env: dict[str, str], out: Path, service: str, per_role: int) -> None:
    args = [PY, "-m", "bench.load_sessions", "--out", str(out), "--per-role", str(per_role)]
    if service:
        args += ["--service", service]
    subprocess.run(args, check=True, env=env, cwd=ROOT)


# CPU time, from /proc: the gunicorn workers (children of the master) and every postgres process.
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command, parent pid, CPU seconds user + system) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    command = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return command, int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_seconds(master_pid: int) -> dict[str, float]:
    """CPU seconds used so far by gunicorn's workers and by PostgreSQL's processes."""
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = _stat(int(entry))
        if stat is None:
            continue
        command, parent, seconds = stat
        if parent == master_pid:
            totals["gunicorn"] += seconds
        elif command.startswith("postgres"):
            totals["postgres"] += seconds
    return totals


def worker_pids(master_pid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[1] == master_pid:
                pids.append(int(entry))
    return sorted(pids)
