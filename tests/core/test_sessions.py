"""Sessions: an absolute limit from sign-in, and a new session id once the second factor is given."""

from __future__ import annotations

import time

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.core.middleware import SIGNED_IN_AT
from tests.conftest import PASSWORD, sign_in
from tests.core.test_auth import current_code

HOUR = 60 * 60


def test_it_ends_a_busy_session_twelve_hours_after_sign_in(world, monkeypatch) -> None:
    client = sign_in(Client(), world.sam)
    start = time.time()
    # A request every 20 minutes: never idle, so only the absolute limit can end it.
    for minutes in range(0, 12 * 60, 20):
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        assert client.get("/tasks/").status_code == 200, f"ended early, after {minutes} minutes"
    monkeypatch.setattr(time, "time", lambda: start + 12 * HOUR + 61)
    response = client.get("/tasks/")
    assert response.status_code == 302 and "timed_out=1" in response["Location"]
    assert client.get("/tasks/")["Location"].startswith("/sign-in/")


def test_it_ends_a_session_with_no_sign_in_time(world) -> None:
    client = sign_in(Client(), world.sam)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get("/tasks/").status_code == 302


def test_the_api_stops_answering_the_session_after_the_limit(world, monkeypatch) -> None:
    client = sign_in(Client(), world.sam)
    assert client.get("/api/v1/tasks/").status_code == 200
    later = time.time() + 12 * HOUR + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/api/v1/tasks/").status_code in {401, 403}


def test_it_gives_a_new_session_id_when_the_second_factor_is_given(world) -> None:
    device = TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    client.post("/sign-in/", {"username": "sam", "password": PASSWORD})
    half_signed_in = client.cookies["safecare_session"].value
    response = client.post("/sign-in/two-factor/", {"token": current_code(device), "next": "/tasks/"})
    assert response.status_code == 302
    verified = client.cookies["safecare_session"].value
    assert verified != half_signed_in
    # The old id is no longer a session at all.
    stale = Client()
    stale.cookies["safecare_session"] = half_signed_in
    assert stale.get("/tasks/").status_code == 302
    assert client.get("/tasks/").status_code == 200


def test_it_gives_a_new_session_id_when_a_first_device_is_set_up(world) -> None:
    client = Client()
    client.post("/sign-in/", {"username": "chris", "password": PASSWORD})
    client.get("/sign-in/two-factor/set-up/")
    before = client.cookies["safecare_session"].value
    device = TOTPDevice.objects.get(user=world.chris, confirmed=False)
    client.post("/sign-in/two-factor/set-up/", {"token": current_code(device), "next": "/"})
    assert client.cookies["safecare_session"].value != before
    assert client.get("/tasks/").status_code == 200
