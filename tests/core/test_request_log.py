"""The request id and the access line (core.request_log, decision 0053)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safecare.core.request_log import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "safecare.request"]


def test_a_safe_request_id_from_the_proxy_is_kept_and_sent_back(client: Client) -> None:
    response = client.get("/sign-in/", headers={"X-Request-ID": "proxy-0a1b2c3d-42"})
    assert response["X-Request-ID"] == "proxy-0a1b2c3d-42"


@pytest.mark.parametrize(
    "header", ["short", "has space 123456", "a" * 65, "semi;colon-1234", "line\nbreak-1234", ""]
)
def test_an_unsafe_or_missing_id_is_replaced_by_a_new_one(client: Client, header: str) -> None:
    response = client.get("/sign-in/", headers={"X-Request-ID": header} if header else {})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_one_access_line_names_the_route_and_the_user_id_never_the_address(
    world: Any, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    sam = world.users["sam"]
    client = client_for(sam)
    household = world.household_own
    with caplog.at_level(logging.INFO, logger="safecare.request"):
        response = client.get(
            reverse("households:detail", args=[household.pk]) + "?q=Xavier+Smith",
            headers={"X-Request-ID": "req-12345678"},
        )
    assert response.status_code == 200
    (line,) = _access_lines(caplog)
    assert (line.method, line.route, line.status, line.user_id) == (  # type: ignore[attr-defined]
        "GET",
        "households/<int:pk>/",
        200,
        sam.pk,
    )
    assert isinstance(line.duration_ms, float)  # type: ignore[attr-defined]
    assert line.request_id == "req-12345678"  # type: ignore[attr-defined]
    text = line.getMessage()
    assert text.startswith("request method=GET route=households/<int:pk>/ status=200 duration_ms=")
    assert text.endswith(f" user_id={sam.pk}")
    assert "Xavier" not in text and f"households/{household.pk}/" not in text and "sam" not in text


def test_an_anonymous_request_is_logged_with_no_user(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="safecare.request"):
        client.get("/sign-in/")
        client.get("/no-such-page/?name=Xavier")
    first, second = _access_lines(caplog)
    assert (first.route, first.status, first.user_id) == ("sign-in/", 200, None)  # type: ignore[attr-defined]
    assert (second.route, second.status) == ("<unmatched>", 404)  # type: ignore[attr-defined]
    assert "Xavier" not in second.getMessage()


def test_records_written_during_a_request_carry_its_id_and_others_a_dash() -> None:
    from safecare.core import request_log

    record = logging.LogRecord("safecare.x", logging.INFO, __file__, 1, "x", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"  # type: ignore[attr-defined]
    token = request_log._request_id.set("req-abcdefgh")
    try:
        inside = logging.LogRecord("safecare.x", logging.INFO, __file__, 1, "x", None, None)
        RequestIdFilter().filter(inside)
    finally:
        request_log._request_id.reset(token)
    assert inside.request_id == "req-abcdefgh"  # type: ignore[attr-defined]


def test_the_json_format_is_one_object_with_the_fields_and_no_request_object() -> None:
    record = logging.LogRecord(
        "safecare.request", logging.INFO, __file__, 1, "request method=%s", ("GET",), None
    )
    record.created = 1796281200.25  # 2026-12-03 07:00:00.250 UTC
    record.request_id = "req-abcdefgh"  # type: ignore[attr-defined]
    record.route = "households/<int:pk>/"  # type: ignore[attr-defined]
    record.status = 200  # type: ignore[attr-defined]
    record.user_id = 7  # type: ignore[attr-defined]
    record.request = object()  # type: ignore[attr-defined]  # Django adds the request itself
    assert json.loads(JsonFormatter().format(record)) == {
        "time": "2026-12-03T07:00:00.250+00:00",
        "level": "INFO",
        "logger": "safecare.request",
        "message": "request method=GET",
        "request_id": "req-abcdefgh",
        "route": "households/<int:pk>/",
        "status": 200,
        "user_id": 7,
    }
