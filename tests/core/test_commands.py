"""Management commands: the demo loads once and keeps data; a real service starts with an admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from safecare.core.models import FosteringService, Task, User
from safecare.devices.selectors import register
from safecare.households.models import Household


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_seed_demo_loads_every_role_once_and_keeps_data_on_a_second_run() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Loaded the demo fostering service" in out.getvalue()
    service = FosteringService.objects.get(slug="demo")
    roles = set(User.objects.filter(service=service).values_list("role", flat=True))
    assert len(roles) == 14  # one sign-in per role of rules: Who sees what
    # SC-3: the Patel household was approved ten days ago; its guidance task is open.
    assert Task.objects.filter(rule_id="SC-3", status="open").count() == 1
    # The device register shows one of each verdict, and Sam has the carer's devices to review (DV-2).
    levels = {row.verdict.key for household in Household.objects.all() for row in register(household)}
    assert levels == {"allowed", "action_needed", "needs_exception", "prohibited"}
    assert Task.objects.filter(rule_id="DV-2", status="open", owner__username="sam").exists()
    households = Household.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Household.objects.count() == households


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug() -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db
def test_create_service_makes_an_admin_with_a_set_password_link() -> None:
    out = StringIO()
    call_command(
        "create_service",
        "--name",
        "Westshire Fostering",
        "--admin-username",
        "wadmin",
        "--admin-email",
        "w@x.org",
        stdout=out,
    )
    admin = User.objects.get(username="wadmin")
    assert admin.role == "service_admin" and admin.service.slug == "westshire-fostering"
    assert not admin.has_usable_password()
    assert "/password-reset/" in out.getvalue()
