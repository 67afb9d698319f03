"""The per-account sign-in limit: wrong passwords from many addresses, a delay that the code gets past."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.core.models import Notification, SignInFailures
from tests.conftest import PASSWORD
from tests.core.test_auth import current_code


def attempt(username: str, password: str, address: str, **extra: str):  # type: ignore[no-untyped-def]
    client = Client(REMOTE_ADDR=address)
    response = client.post("/sign-in/", {"username": username, "password": password, **extra})
    return client, response


def spray(username: str, times: int) -> None:
    """Wrong passwords from as many addresses: each address stays under django-axes' own limit."""
    for n in range(times):
        _, response = attempt(username, "wrong password", f"203.0.113.{n + 1}")
        assert response.status_code == 200


def test_wrong_passwords_from_many_addresses_count_against_the_account(world) -> None:
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    spray("sam", 5)
    assert SignInFailures.objects.get(user=world.sam).count == 5
    # The right password alone, from yet another address, is not even tried now.
    client, response = attempt("sam", PASSWORD, "198.51.100.7")
    assert response.status_code == 200
    assert "too many wrong passwords for this account" in response.content.decode()
    assert client.get("/tasks/").status_code == 302  # not signed in


def test_the_delay_grows_with_each_further_failure(world) -> None:
    spray("sam", 5)
    first = SignInFailures.objects.get(user=world.sam).delayed_until
    with time_machine.travel(first + dt.timedelta(seconds=1)):
        spray("sam", 1)
    failures = SignInFailures.objects.get(user=world.sam)
    assert failures.count == 6
    assert failures.delayed_until - (first + dt.timedelta(seconds=1)) >= dt.timedelta(minutes=2)


def test_the_real_person_still_signs_in_with_password_and_code_during_the_delay(world) -> None:
    device = TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    spray("sam", 8)
    client, response = attempt("sam", PASSWORD, "198.51.100.7", token=current_code(device), next="/tasks/")
    assert response.status_code == 302
    assert client.get("/tasks/").status_code == 200  # both factors given: fully signed in
    assert SignInFailures.objects.get(user=world.sam).count == 0


def test_a_wrong_code_during_the_delay_does_not_sign_in(world) -> None:
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    spray("sam", 5)
    client, response = attempt("sam", PASSWORD, "198.51.100.7", token="000000")
    assert response.status_code == 200
    assert "Code from your authenticator app: the code is wrong" in response.content.decode()
    assert client.get("/tasks/").status_code == 302


def test_the_address_lock_of_django_axes_still_answers_first(world) -> None:
    for _ in range(5):
        attempt("carol", "wrong password", "192.0.2.1")
    _, response = attempt("carol", PASSWORD, "192.0.2.1")
    assert response.status_code == 429


def test_the_password_alone_works_again_after_the_delay(world) -> None:
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    spray("sam", 5)
    until = SignInFailures.objects.get(user=world.sam).delayed_until
    with time_machine.travel(until + dt.timedelta(seconds=1)):
        _, response = attempt("sam", PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/two-factor/")


def test_it_alerts_the_account_holder_without_personal_details(
    world, django_capture_on_commit_callbacks
) -> None:
    spray("sam", 4)
    assert not Notification.objects.filter(recipient=world.sam, kind="sign_in_failures").exists()
    with django_capture_on_commit_callbacks(execute=True):
        spray("sam", 1)
    alert = Notification.objects.get(recipient=world.sam, kind="sign_in_failures")
    assert "wrong password" in alert.subject
    emails = [m for m in mail.outbox if world.sam.email in m.to]
    assert len(emails) == 1
    body = emails[0].subject + emails[0].body
    assert "sam" not in body.lower().replace("safecare", "") and world.sam.last_name not in body
    assert "203.0.113" not in body
    # Once an hour at most, however many more failures.
    spray("sam", 3)
    assert Notification.objects.filter(recipient=world.sam, kind="sign_in_failures").count() == 1


def test_an_unknown_username_counts_against_nobody(world) -> None:
    spray("nobody-by-this-name", 6)
    assert not SignInFailures.objects.exists()


def test_old_failures_are_forgotten(world) -> None:
    spray("sam", 4)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        spray("sam", 1)
        assert SignInFailures.objects.get(user=world.sam).count == 1
