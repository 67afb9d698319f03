"""Production settings: what the deployment must say before a request header is believed (finding 12)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SECRET = "x" * 64
MASTER_KEY = "dGVzdC1vbmx5LW1hc3Rlci1rZXktbm90LXNlY3JldCE="


def production_setting(name: str, **env: str) -> str:
    """The repr of one production setting, read in a fresh process with only the given environment."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SAFECARE_") and key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update({"SAFECARE_SECRET_KEY": SECRET, "SAFECARE_MASTER_KEY": MASTER_KEY, **env})
    code = f"from safecare.config.settings import production; print(repr(production.{name}))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True, cwd="src"
    )
    return result.stdout.strip()


def test_it_does_not_believe_a_forwarded_proto_header_unless_told_a_proxy_is_in_front() -> None:
    assert production_setting("SECURE_PROXY_SSL_HEADER") == "None"
    assert production_setting("SECURE_PROXY_SSL_HEADER", SAFECARE_BEHIND_PROXY="no") == "None"


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_it_believes_the_header_when_the_deployment_says_a_proxy_is_in_front(value: str) -> None:
    assert production_setting("SECURE_PROXY_SSL_HEADER", SAFECARE_BEHIND_PROXY=value) == repr(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )


def test_it_refuses_to_start_without_a_master_key_for_the_files() -> None:
    """PH-4: production never makes its own key on disk; the environment must give one."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SAFECARE_") and key != "DJANGO_SETTINGS_MODULE"
    }
    environment["SAFECARE_SECRET_KEY"] = SECRET
    result = subprocess.run(
        [sys.executable, "-c", "from safecare.config.settings import production"],
        env=environment,
        capture_output=True,
        text=True,
        cwd="src",
    )
    assert result.returncode != 0
    assert "SAFECARE_MASTER_KEY must be set" in result.stderr
