"""A foster carer's day in the browser, on a 360 px phone and a 1280 px desktop screen.

Her home page lists what she has to do and what she can tell the service; the device form
goes one section a page, then "Check your answers", and no page of it is as long as the
one-page form was (6,100 px on a phone); a "policy reference" link opens the rules page at
that rule. Every page passes axe (WCAG 2.2 AA) and does not scroll sideways at either width.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from safecare.devices.models import Device
from tests.browser.conftest import assert_accessible
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 780}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

DEVICE_STEPS = [
    "The device",
    "Where it is",
    "What it records and why",
    "Internet and security",
    "Recordings",
    "Who has been told",
    "Pet cameras",
    "Baby monitors",
]


def _where_it_is(page: Page) -> None:
    page.get_by_label("Which room or place is it in?").fill("Front door")
    page.get_by_label("Outside the home (door, driveway, garden)").check()
    page.get_by_label("What does it point at, and what can it see or hear?").fill(
        "The front path, from the door to the gate"
    )


def _what_it_records(page: Page) -> None:
    page.get_by_label("Pictures or video").check()
    page.get_by_label("Sound").check()
    page.get_by_role("group", name="Does it have a camera?").get_by_label("Yes").check()
    page.get_by_label("Protecting the property from crime").check()


# The answers each step asks for beyond the first (which the test fills before the loop).
ANSWER_STEP: dict[str, Callable[[Page], None]] = {
    "Where it is": _where_it_is,
    "What it records and why": _what_it_records,
}
# The tallest a page of the device form may be on a phone.
LONGEST_STEP_PX = 2500


def accessible_at_both_widths(page: Page) -> None:
    """axe and no sideways scroll on a phone and on a desktop screen; the phone is left set."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert page.evaluate("window.innerWidth") == viewport["width"]
        assert_accessible(page)


def page_height(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def test_the_carers_home_page_lists_things_to_do_and_what_she_can_tell_us(page: Page) -> None:
    world = make_world()
    sign_in(page, world.carol)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patel household")

    things = page.get_by_role("list", name="Things to do")
    recording = things.get_by_role("link", name="Write today's recording for Xavier")
    expect(recording).to_be_visible()
    tell_us = page.get_by_role("list", name="Tell us about something")
    for name in [
        "A concern we must know about now",
        "A change in your household",
        "Asking to leave a child with someone else",
        "A camera, microphone, smart speaker or baby monitor",
    ]:
        expect(tell_us.get_by_role("link", name=name)).to_be_visible()
    accessible_at_both_widths(page)

    recording.click()
    expect(page).to_have_url(re.compile(rf"/children/{world.child_own.pk}/recordings/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a recording about Xavier")
    accessible_at_both_widths(page)


def test_a_carer_tells_us_about_a_device_one_step_at_a_time(page: Page) -> None:
    world = make_world()
    household = world.household_own
    sign_in(page, world.carol)
    page.goto(f"/households/{household.pk}/devices/new/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("The device")
    expect(page.get_by_text("Step 1 of 8")).to_be_visible()
    page.get_by_label("Video doorbell").check()
    page.get_by_label("Make and model").fill("Ring Video Doorbell 4")
    page.get_by_label("Not yet: I am planning to put it in").check()
    accessible_at_both_widths(page)

    continue_button = page.get_by_role("button", name="Continue")
    for number, step in enumerate(DEVICE_STEPS, start=1):
        expect(heading).to_have_text(step)
        expect(page.get_by_text(f"Step {number} of 8")).to_be_visible()
        height = page_height(page)
        assert height <= LONGEST_STEP_PX, f'"{step}" is {height}px tall on a phone'
        if step in ANSWER_STEP:
            ANSWER_STEP[step](page)
        continue_button.click()

    expect(heading).to_have_text("Check your answers")
    expect(page.get_by_text("Ring Video Doorbell 4")).to_be_visible()
    accessible_at_both_widths(page)

    # "Change" goes back to the step, keeping every answer, and Continue comes back.
    page.get_by_role("button", name="Change make and model").click()
    expect(heading).to_have_text("The device")
    make = page.get_by_label("Make and model")
    expect(make).to_have_value("Ring Video Doorbell 4")
    make.fill("Ring Video Doorbell 4 Plus")
    for step in DEVICE_STEPS[1:]:
        continue_button.click()
        expect(heading).to_have_text(step)
    continue_button.click()
    expect(heading).to_have_text("Check your answers")
    expect(page.get_by_text("Ring Video Doorbell 4 Plus")).to_be_visible()
    expect(page.get_by_text("Front door")).to_be_visible()

    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(r"/devices/\d+/$"))
    device = Device.objects.get(household=household, room="Front door")
    expect(page).to_have_url(re.compile(rf"/devices/{device.pk}/$"))
    expect(heading).to_have_text(str(device))
    assert device.description == "Ring Video Doorbell 4 Plus"
    assert device.positioning == "The front path, from the door to the gate"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    accessible_at_both_widths(page)


def test_a_policy_reference_opens_the_rules_page_at_that_rule(page: Page) -> None:
    world = make_world()
    sign_in(page, world.carol)
    page.goto("/rules/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The rules Safecare follows")
    accessible_at_both_widths(page)

    page.goto(f"/households/{world.household_own.pk}/devices/")
    reference = page.locator("a.app-policy-ref").first
    expect(reference).to_have_text(re.compile(r"^policy reference [A-Z]+-\d+$"))
    rule_id = reference.inner_text().removeprefix("policy reference ")
    accessible_at_both_widths(page)

    reference.click()
    expect(page).to_have_url(re.compile(rf"/rules/#{rule_id}$"))
    row = page.locator(f'[id="{rule_id}"]')
    expect(row).to_contain_text(rule_id)
    expect(row).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#{rule_id}"
