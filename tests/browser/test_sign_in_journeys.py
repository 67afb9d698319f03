"""A carer and a supervising social worker sign in and see their own home; nothing else."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/sign-in/" in page.url
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_carer_signs_in_sees_their_home_and_not_another_household(page) -> None:
    world = make_world()
    sign_in(page, "carol")
    # Two-factor is on for carers by default: the first sign-in sets it up on her phone.
    page.wait_for_url("**/sign-in/two-factor/set-up/**")
    assert_accessible(page)
    assert page.get_by_role("link", name="Add Safecare to my authenticator app").is_visible()
    device = TOTPDevice.objects.get(user=world.carol, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my codes, continue").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Patel household"
    assert page.get_by_text(world.child_own.first_name).first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="View your household").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Patel household")
    assert_accessible(page)

    response = page.goto(f"/households/{world.household_other.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert "Jones" not in page.content()
    assert_accessible(page)


def test_a_supervising_social_worker_signs_in_with_two_factor_and_sees_their_households(page) -> None:
    world = make_world()
    device = TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    sign_in(page, "sam")
    page.wait_for_url("**/sign-in/two-factor/**")
    assert_accessible(page)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "My households and tasks"
    assert page.get_by_role("link", name="Patel household").is_visible()
    assert page.get_by_role("link", name="Jones household").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Patel household").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Patel household")
    assert_accessible(page)

    page.goto("/tasks/")
    assert_accessible(page)


def test_a_wrong_password_shows_an_error_summary_naming_the_problem(page) -> None:
    make_world()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "the username or password is not right" in summary.inner_text().lower()
    assert_accessible(page)
