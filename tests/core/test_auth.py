"""Sign-in: password, TOTP for staff, throttling, reset without bypass, idle time-out."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, sign_in


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_sign_in(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/sign-in/", {"username": username, "password": password})


def test_it_sends_staff_to_two_factor_after_the_password(world) -> None:
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    response = password_sign_in(client, "sam")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/two-factor/")
    # Half signed in: case pages are not reachable until the code is given.
    assert client.get("/tasks/")["Location"].startswith("/sign-in/two-factor/")


def test_it_signs_in_staff_with_a_correct_code(world) -> None:
    device = TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    password_sign_in(client, "sam")
    response = client.post("/sign-in/two-factor/", {"token": current_code(device), "next": "/tasks/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert client.get("/tasks/").status_code == 200


def test_it_refuses_a_wrong_code_naming_the_field(world) -> None:
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    password_sign_in(client, "sam")
    response = client.post("/sign-in/two-factor/", {"token": "000000"})
    assert response.status_code == 200
    assert "Code from your authenticator app" in response.content.decode()
    assert client.get("/tasks/").status_code == 302


def test_it_makes_staff_without_a_device_enrol(world) -> None:
    client = Client()
    password_sign_in(client, "chris")
    response = client.get("/sign-in/two-factor/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=world.chris, confirmed=False)
    response = client.post("/sign-in/two-factor/set-up/", {"token": current_code(device), "next": "/"})
    assert response.status_code == 200 and "Save your recovery codes" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/tasks/").status_code == 200


def test_it_does_not_let_a_password_alone_replace_a_device(world) -> None:
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    password_sign_in(client, "sam")
    response = client.get("/sign-in/two-factor/set-up/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/two-factor/?")
    assert TOTPDevice.objects.filter(user=world.sam).count() == 1


def test_it_lets_carers_in_without_two_factor_when_the_service_has_said_why(world) -> None:
    world.service.carers_require_two_factor = False
    world.service.carers_two_factor_off_reason = "A recorded reason"
    world.service.save()
    client = Client()
    password_sign_in(client, "carol")
    assert client.get("/").status_code == 200


def test_it_requires_two_factor_of_carers_when_the_service_says_so(world) -> None:
    world.service.carers_require_two_factor = True
    world.service.save()
    client = Client()
    response = password_sign_in(client, "carol")
    assert response["Location"].startswith("/sign-in/two-factor/")


def test_it_locks_sign_in_after_five_failures(world) -> None:
    client = Client()
    for _ in range(5):
        password_sign_in(client, "carol", "wrong password")
    response = password_sign_in(client, "carol")  # right password, but locked out
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_it_resets_a_password_without_signing_in_or_skipping_two_factor(world) -> None:
    device = TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    client.post("/password-reset/", {"email": world.sam.email})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Patel" not in body and "household" not in body.lower()  # no case data in e-mail
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "a brand new long passphrase"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert client.get("/tasks/").status_code == 302  # not signed in by the reset
    password_sign_in(client, "sam", new_password)
    assert client.get("/tasks/")["Location"].startswith("/sign-in/two-factor/")
    client.post("/sign-in/two-factor/", {"token": current_code(device)})
    assert client.get("/tasks/").status_code == 200


@override_settings(SAFECARE_IDLE_TIMEOUT=__import__("datetime").timedelta(seconds=1))
def test_it_signs_out_after_the_idle_time_out(world, monkeypatch) -> None:
    client = sign_in(Client(), world.sam)
    assert client.get("/tasks/").status_code == 200
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get("/tasks/")
    assert response.status_code == 302 and "timed_out=1" in response["Location"]


def test_it_sends_security_headers_and_no_store_on_case_pages(world) -> None:
    client = sign_in(Client(), world.sam)
    response = client.get("/tasks/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("username", ["ada", "bella"])
def test_it_shows_roles_without_case_content_no_task_inbox(world, username) -> None:
    client = sign_in(Client(), world.users[username])
    assert client.get("/tasks/").status_code == 404
