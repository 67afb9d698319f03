"""Two-factor for carers by default: enrolment on a phone, recovery codes, and turning it off only with a reason."""

from __future__ import annotations

import importlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.core.models import FosteringService
from tests.conftest import PASSWORD
from tests.core.test_auth import current_code
from tests.core.test_settings_pages import settings_data

REASON_FIELD = "carers_two_factor_off_reason"


def test_a_new_service_asks_carers_for_two_factor(world) -> None:
    assert FosteringService().carers_require_two_factor is True
    assert world.carol.requires_two_factor()
    client = Client()
    response = client.post("/sign-in/", {"username": "carol", "password": PASSWORD})
    assert response["Location"].startswith("/sign-in/two-factor/")
    assert client.get("/").status_code == 302  # nothing until the second factor


def test_the_data_migration_turns_it_on_for_existing_services(world) -> None:
    FosteringService.objects.update(carers_require_two_factor=False, carers_two_factor_off_reason="old")
    migration = importlib.import_module("safecare.core.migrations.0008_carers_two_factor_by_default")
    migration.carers_use_two_factor(apps, None)
    assert set(FosteringService.objects.values_list("carers_require_two_factor", flat=True)) == {True}


def enrol(client: Client, user) -> tuple[TOTPDevice, str]:  # type: ignore[no-untyped-def]
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    page = client.get("/sign-in/two-factor/set-up/?next=/").content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return device, page


def test_a_carer_sets_up_two_factor_on_her_phone_and_gets_recovery_codes(world) -> None:
    client = Client()
    device, page = enrol(client, world.carol)
    # On a phone: one tap opens the authenticator app; on a computer, a QR code to scan.
    assert 'href="otpauth://totp/' in page
    assert "<svg" in page
    response = client.post("/sign-in/two-factor/set-up/", {"token": current_code(device), "next": "/"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Save your recovery codes" in text
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", text)
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    # Only the recovery device's tokens are kept, not the codes as shown.
    assert StaticDevice.objects.get(user=world.carol).token_set.count() == 10

    # Another day, no phone to hand: a recovery code instead, once.
    other = Client()
    other.post("/sign-in/", {"username": "carol", "password": PASSWORD})
    response = other.post("/sign-in/two-factor/", {"token": codes[0].upper(), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert other.get("/").status_code == 200
    again = Client()
    again.post("/sign-in/", {"username": "carol", "password": PASSWORD})
    response = again.post("/sign-in/two-factor/", {"token": codes[0]})
    assert response.status_code == 200 and "the code is wrong" in response.content.decode()


def test_setting_up_again_replaces_the_recovery_codes(world) -> None:
    from safecare.core.views_auth import issue_recovery_codes

    first = issue_recovery_codes(world.carol)
    second = issue_recovery_codes(world.carol)
    assert not set(first) & set(second)
    assert StaticDevice.objects.filter(user=world.carol).count() == 1


def test_turning_it_off_needs_a_reason_naming_the_field(world, client_for) -> None:
    client = client_for(world.harry)
    response = client.post(
        reverse("settings:edit"), settings_data(world.service, carers_require_two_factor=False)
    )
    assert response.status_code == 200
    assert "Why foster carers may sign in without two-factor authentication: give the reason" in (
        response.content.decode()
    )
    world.service.refresh_from_db()
    assert world.service.carers_require_two_factor is True


def test_turning_it_off_with_a_reason_is_kept_in_the_settings_history(world, client_for) -> None:
    reason = "Our carers share one office tablet while the phone contract is renewed"
    client_for(world.harry).post(
        reverse("settings:edit"),
        settings_data(world.service, carers_require_two_factor=False, **{REASON_FIELD: reason}),
    )
    world.service.refresh_from_db()
    assert world.service.carers_require_two_factor is False
    latest = world.service.history.first()
    assert latest.carers_two_factor_off_reason == reason
    assert latest.history_user == world.harry
    assert not world.carol.__class__.objects.get(pk=world.carol.pk).requires_two_factor()
    # Turned on again: the reason no longer applies, and the history still has it.
    client_for(world.harry).post(
        reverse("settings:edit"), settings_data(world.service, carers_require_two_factor=True)
    )
    world.service.refresh_from_db()
    assert world.service.carers_require_two_factor is True
    assert world.service.carers_two_factor_off_reason == ""
    assert world.service.history.filter(carers_two_factor_off_reason=reason).exists()


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_the_demo_carer_signs_in_with_a_printed_key_and_demo_code() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "carol" in out.getvalue()
    carol_line = next(line for line in out.getvalue().splitlines() if " carol " in f"{line} ")
    assert "two-factor key" in carol_line
    code_out = StringIO()
    call_command("demo_code", "carol", stdout=code_out)
    code = code_out.getvalue().split()[0]
    client = Client()
    response = client.post("/sign-in/", {"username": "carol", "password": "demo-password-2026"})
    assert response["Location"].startswith("/sign-in/two-factor/")
    assert client.post("/sign-in/two-factor/", {"token": code, "next": "/"}).status_code == 302
    assert client.get("/").status_code == 200


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_a_demo_loaded_before_gives_its_carers_their_keys() -> None:
    call_command("seed_demo", stdout=StringIO())
    carol = FosteringService.objects.get(slug="demo").users.get(username="carol")
    TOTPDevice.objects.filter(user=carol).delete()
    call_command("seed_demo", stdout=StringIO())
    device = TOTPDevice.objects.get(user=carol, confirmed=True)
    assert f"{totp(device.bin_key):06d}"
