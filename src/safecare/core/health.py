"""Health endpoints for load balancers and orchestrators (docs/operations.md, decision 0053).

`/healthz` (liveness): the process is up and answering. It asks nothing of the database,
the session or anyone's account, and writes no log line, so it costs next to nothing and
a database outage does not make every server look dead at once (restarting them would not
bring the database back).

`/readyz` (readiness): this server can serve requests now. It asks the database for
`SELECT 1`, Redis for PING when SAFECARE_REDIS_URL is set, and the files storage whether it
can be reached. 200 with each check's answer, or 503 naming the checks that failed; what went
wrong is logged (logger `safecare.health`), never sent to the caller.

Both answer anyone (no sign-in: the load balancer has no account), GET and HEAD only,
never cached.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("safecare.health")

OK = "ok"
FAILED = "failed"
NOT_CONFIGURED = "not configured"
# How long Redis may take to answer before this server counts as not ready.
REDIS_TIMEOUT_SECONDS = 2.0
# A name no file is ever stored under: asking whether it exists reaches the storage and
# reads nothing.
PROBE_NAME = "safecare-readyz-probe"

_CREDENTIALS_IN_URL = re.compile(r"(//)[^/@\s]+@")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return NOT_CONFIGURED
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return OK


def check_storage(storage: Storage | None = None) -> None:
    """The files storage can be reached: its folder is there and writable, or its bucket answers."""
    storage = storage if storage is not None else storages["files"]
    if isinstance(storage, FileSystemStorage):
        location = storage.location
        if not os.path.isdir(location) or not os.access(location, os.W_OK | os.X_OK):
            raise OSError("the files folder is missing or cannot be written")
        return
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        # S3-compatible storage: one HEAD request on the bucket, with the storage's own
        # connection and credentials.
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return
    storage.exists(PROBE_NAME)


def _failure(check: str, error: BaseException) -> None:
    # The class and message go to the log (without any user:password@ in an address);
    # the caller learns only which check failed.
    message = _CREDENTIALS_IN_URL.sub(r"\1***@", str(error))
    logger.warning("readyz_failed check=%s error=%s: %s", check, type(error).__name__, message)


def _run(check: str, probe: Callable[[], str | None]) -> str:
    try:
        return probe() or OK
    except Exception as error:
        _failure(check, error)
        return FAILED


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    answers = {
        "database": _run("database", check_database),
        "redis": _run("redis", check_redis),
        "storage": _run("storage", check_storage),
    }
    ready = FAILED not in answers.values()
    return JsonResponse(answers, status=200 if ready else 503)
