"""`make screenshots`: the pictures of Safecare in docs/screenshots/, taken afresh on a 360 px phone.

Not part of `make test`: pytest collects only test_*.py files, so this module runs only when
named on the command line (the Makefile's `screenshots` target, with `-m screenshots`). It
loads the demo service (seed_demo) into the test database, signs in as Carol, the demo's
foster carer, with her password and two-factor code, and saves full-page PNGs of:

- carer-home.png: her home page, with Things to do;
- device.png: a device of the Patel household (the smart speaker in Mia's bedroom, which
  the service does not allow);
- error-page.png: the "Page not found" page she gets for another household.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from safecare.core.models import User
from safecare.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from safecare.devices.models import Device
from safecare.households.models import Household

pytestmark = [pytest.mark.screenshots, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH = 360
# Kept small enough for the repository; a full page at 360 px is far below this.
MOST_BYTES = 300_000


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": WIDTH, "height": 780})
    yield context.new_page()
    context.close()


def sign_in_as_carol(page: Page) -> None:
    carol = User.objects.get(username="carol", service__slug=DEMO_SLUG)
    device = TOTPDevice.objects.get(user=carol, confirmed=True)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(carol.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/two-factor/**")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def save(page: Page, name: str) -> None:
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    size = path.stat().st_size
    assert size <= MOST_BYTES, f"{path} is {size} bytes"


def test_screenshots(phone: Page) -> None:
    call_command("seed_demo", force=True, stdout=io.StringIO())
    patel = Household.objects.get(service__slug=DEMO_SLUG, name="Patel household")
    other = Household.objects.filter(service__slug=DEMO_SLUG).exclude(pk=patel.pk).order_by("pk").first()
    assert other is not None
    speaker = Device.objects.get(household=patel, room="Mia's bedroom")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    heading = phone.get_by_role("heading", level=1)

    sign_in_as_carol(phone)
    phone.goto("/")
    expect(heading).to_have_text("Patel household")
    expect(phone.get_by_role("heading", name="Things to do")).to_be_visible()
    save(phone, "carer-home.png")

    phone.goto(f"/devices/{speaker.pk}/")
    expect(heading).to_have_text(str(speaker))
    save(phone, "device.png")

    response = phone.goto(f"/households/{other.pk}/")
    assert response is not None and response.status == 404
    expect(heading).to_have_text("Page not found")
    save(phone, "error-page.png")
