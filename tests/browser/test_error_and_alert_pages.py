"""Error pages, the expired-form journey and the alerts pass axe (WCAG 2.2 AA) on a 360 px phone;
the device register fits 320 px; form pages name their household in the title."""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safecare.core.notifications import notify
from safecare.devices import services_cctv
from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.browser.test_household_pages import sign_in
from tests.conftest import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_page_not_found_is_accessible_on_a_phone(page) -> None:
    world = make_world()
    sign_in(page, world.carol)
    response = page.goto(f"/households/{world.household_other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert page.title() == "Page not found \u2013 Safecare"
    assert_accessible(page)


def _sign_in_again(page, user) -> None:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.get(user=user)
    device.last_t = -1  # the same code again within its 30 seconds: not a replay here
    device.save(update_fields=["last_t"])
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/two-factor/**")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def test_a_form_sent_after_signing_in_again_in_another_tab_can_be_sent_again(page) -> None:
    world = make_world()
    sign_in(page, world.carol)
    path = f"/households/{world.household_own.pk}/notices/change/"
    page.goto(path)
    page.get_by_label("A new regular visitor").check()
    fill_date(page, "When did it happen, or when will it happen?", dt.date(2026, 11, 30))
    page.get_by_label("Tell us about the change").fill("Rose Patel, my sister, visits every Sunday")
    # Another tab signs in again: the form's token is out of date.
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Sign out").click()
    other.wait_for_url("**/sign-in/**")
    _sign_in_again(other, world.carol)
    other.close()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This page had expired")
    assert page.title() == "This page had expired \u2013 Safecare"
    assert_accessible(page)
    # The browser's back button keeps what was typed, and sending it again works.
    page.go_back()
    expect(page.get_by_label("Tell us about the change")).to_have_value(
        "Rose Patel, my sister, visits every Sunday"
    )
    expect(page.get_by_label("A new regular visitor")).to_be_checked()
    # A date box has autocomplete="off", which browsers do not restore: the page says so.
    fill_date(page, "When did it happen, or when will it happen?", dt.date(2026, 11, 30))
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/notices/changes/*/")
    expect(page.get_by_text("Rose Patel, my sister, visits every Sunday")).to_be_visible()


def test_the_alerts_page_is_accessible_on_a_phone_and_marks_all_read(page) -> None:
    world = make_world()
    notify(
        service=world.service,
        recipients=[world.sam],
        kind="immediate_notice",
        subject="A foster carer has sent an immediate notice",
        reference=world.task_own.reference,
        url=f"/tasks/{world.task_own.pk}/",
        dedupe_key="browser-1",
        rule_id="SC-8",
        task=world.task_own,
        email=False,
    )
    sign_in(page, world.sam)
    page.goto("/alerts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts")
    expect(page.get_by_role("link", name="Patel household: Immediate notice")).to_have_count(1)
    expect(page.get_by_text("Act today")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("2 alerts marked as read")).to_be_visible()
    expect(page.get_by_role("button", name="Mark all as read")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Patel household: Immediate notice").click()
    page.wait_for_url(f"**/tasks/{world.task_own.pk}/")


def test_the_device_register_fits_a_320_px_screen(page) -> None:
    world = make_world()
    sign_in(page, world.sam)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/households/{world.household_own.pk}/devices/")
    expect(page.locator(".app-tag--nowrap").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the register scrolls sideways by {overflow}px at 320px"


def test_form_pages_name_their_household_in_the_title(page) -> None:
    world = make_world()
    # The household's request is withdrawn, so a new one can be started.
    services_cctv.request_withdraw(actor=world.sam, request=world.cctv_request_own)
    sign_in(page, world.sam)
    own = world.household_own.pk
    titles = {
        f"/households/{own}/agreement/": "Safe Caring Family Agreement: Patel household \u2013 Safecare",
        f"/households/{own}/agreement/edit/": "Write a new version of the Safe Caring Family Agreement: "
        "Patel household \u2013 Safecare",
        f"/households/{own}/guidance/": "Record the Safer Caring guidance: Patel household \u2013 Safecare",
        f"/households/{own}/members/new/": "Add a household member: Patel household \u2013 Safecare",
        f"/households/{own}/visitors/new/": "Record a regular visitor or overnight stay: Patel household "
        "\u2013 Safecare",
        f"/households/{own}/training/new/": "Record training: Patel household \u2013 Safecare",
        # A form in steps names its step first: each step is a page of its own.
        f"/households/{own}/devices/new/": (
            "The device: Add a device to the register: Patel household \u2013 Safecare"
        ),
        f"/households/{own}/supervisions/new/": "Record a supervision: Patel household \u2013 Safecare",
        f"/households/{own}/cctv/new/": "Start a request for CCTV inside the home: Patel household \u2013 Safecare",
    }
    for path, title in titles.items():
        response = page.goto(path)
        assert response.status == 200, path
        assert page.title() == title, path
