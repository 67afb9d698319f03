"""One log line per request, a request id on every log record, and the JSON log format.

Decision 0053, docs/operations.md ("Logs"). A request's id is the proxy's `X-Request-ID`
when that is a plain token, otherwise one made here; it is sent back in the response's
`X-Request-ID` and added to every log record written while the request is served
(`RequestIdFilter`, on the handlers in settings.LOGGING), so one search finds everything a
request did across the proxy's, the application's and the database's logs.

The access line (logger `safecare.request`, INFO) holds the method, the route's pattern
(`households/<int:pk>/`, never the address itself, whose query string may hold a name typed
into a search box), the status, the time taken in milliseconds and the user's id (a number,
never a name or an e-mail address). Nothing a person typed, and no name, is ever logged.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("safecare.request")

HEADER = "X-Request-ID"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
NO_REQUEST = "-"
# The health endpoints are asked every few seconds by each load balancer: no access line.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("safecare_request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being served, or "-" outside one (a job, a command)."""
    return _request_id.get()


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is a plain token of 8 to 64 letters, digits and hyphens; else a new one."""
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to each record a handler writes (set it on the handlers in LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if request.path not in QUIET_PATHS:
                self.log(request, response, started)
            return response
        finally:
            _request_id.reset(token)

    @staticmethod
    def log(request: HttpRequest, response: HttpResponse, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "<unmatched>"
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        logger.info(
            "request method=%s route=%s status=%s duration_ms=%s user_id=%s",
            request.method,
            route,
            response.status_code,
            duration_ms,
            user_id,
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )


# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, the `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        for key, value in record.__dict__.items():
            # Plain values only: Django adds the request object itself to its records, whose
            # text is the whole address with its query string.
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_") and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
