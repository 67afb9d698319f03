"""The health endpoints (core.health, decision 0053): what load balancers ask, answered to anyone."""

from __future__ import annotations

import logging
import socket
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from safecare.core import health

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_healthz_answers_ok_without_asking_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_healthz_writes_no_access_line(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="safecare"):
        client.get("/healthz")
        client.get("/readyz")
    assert [r for r in caplog.records if r.name == "safecare.request"] == []


def test_readyz_answers_each_check(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "not configured", "storage": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_user_gets_the_same_answers(world: Any, client_for: Any) -> None:
    client = client_for(world.users["carol"])
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_head_is_answered_and_post_refused(client: Client, path: str) -> None:
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_readyz_is_503_naming_the_database_when_it_is_down(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "password authentication failed for postgres://safecare:hunter2@db"
    with (
        mock.patch.object(health, "connection") as connection,
        caplog.at_level(logging.WARNING, logger="safecare.health"),
    ):
        connection.cursor.side_effect = OperationalError(secret)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "failed", "redis": "not configured", "storage": "ok"}
    assert b"hunter2" not in response.content
    logged = [r.getMessage() for r in caplog.records if r.name == "safecare.health"]
    assert logged == [
        "readyz_failed check=database error=OperationalError: "
        "password authentication failed for postgres://***@db"
    ]


def test_readyz_is_503_naming_redis_when_it_is_set_but_unreachable(client: Client, settings: Any) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "failed", "storage": "ok"}


def test_readyz_is_503_naming_the_storage_when_its_folder_is_gone(client: Client, tmp_path: Any) -> None:
    from django.core.files.storage import FileSystemStorage

    missing = FileSystemStorage(location=str(tmp_path / "not-there"))
    with mock.patch.dict(health.storages._storages, {"files": missing}):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "not configured", "storage": "failed"}


def test_readyz_asks_an_object_storage_for_its_bucket() -> None:
    storage = mock.Mock(spec=["bucket", "exists"])
    storage.bucket.name = "safecare-files"
    health.check_storage(storage)
    storage.bucket.meta.client.head_bucket.assert_called_once_with(Bucket="safecare-files")
    storage.exists.assert_not_called()


def test_production_answers_the_probes_over_plain_http_and_redirects_the_rest(settings: Any) -> None:
    """A load balancer's probe often comes without TLS: a redirect to https would read as "down"."""
    from tests.core.test_production_settings import production_setting

    exempt = production_setting("SECURE_REDIRECT_EXEMPT")
    assert exempt == repr([r"^healthz$", r"^readyz$"])
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/sign-in/").status_code == 301


def test_a_signed_in_user_not_yet_through_two_factor_is_answered_not_sent_to_sign_in(world: Any) -> None:
    client = Client()
    client.force_login(world.users["sam"])  # staff: two-factor required, not yet given
    assert client.get("/").status_code == 302
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_postgresql_connections_give_up_after_five_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A database that never answers fails /readyz (and a request) in seconds, not minutes."""
    from safecare.config.settings import base

    monkeypatch.setattr(base, "DATABASE_URL", "postgres://safecare@db.internal:5432/safecare")
    monkeypatch.delenv("SAFECARE_DB_CONNECT_TIMEOUT", raising=False)
    assert base.database_from_env()["OPTIONS"] == {"connect_timeout": 5}
    monkeypatch.setenv("SAFECARE_DB_CONNECT_TIMEOUT", "2")
    assert base.database_from_env()["OPTIONS"] == {"connect_timeout": 2}
