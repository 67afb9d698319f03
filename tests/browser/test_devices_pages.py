"""The device register pages pass axe (WCAG 2.2 AA) and fit a 360 px phone (DV-1, DV-2, DV-3, DV-9).

Carers declare their cameras and microphones on a phone; the SSW reviews and checks them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safecare.devices import services_register
from safecare.devices.models import DeviceStatus, DeviceType, Purpose, RoomKind
from tests.browser.conftest import assert_accessible
from tests.browser.test_household_pages import sign_in, visit
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dv3_a_carer_declares_a_camera_in_a_childs_bedroom_and_sees_it_prohibited(page) -> None:
    world = make_world()
    own = world.household_own.pk
    sign_in(page, world.carol)
    visit(page, f"/households/{own}/")
    page.get_by_role("link", name="Your cameras and microphones").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cameras and microphones in your home")
    assert_accessible(page)

    page.get_by_role("link", name="Tell us about a camera or microphone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The device")
    assert_accessible(page)
    # Nothing chosen: the error summary names the question, stays on the step, and is accessible.
    page.get_by_label("Make and model").fill("Acme indoor camera")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("What kind of device is it?")
    assert page.get_by_label("Make and model").input_value() == "Acme indoor camera"
    assert_accessible(page)

    page.get_by_label("Internal security camera", exact=True).check()
    page.get_by_label("Yes, it is in use", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where it is")
    page.get_by_label("Which room or place is it in?").fill("Xavier's bedroom")
    page.get_by_label("A child's bedroom", exact=True).check()
    page.get_by_label("What does it point at, and what can it see or hear?").fill(
        "On the wardrobe, facing the bed"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What it records and why")
    page.get_by_label("Pictures or video", exact=True).check()
    page.get_by_label("The safety of people in the household", exact=True).check()
    for heading in (
        "Internet and security",
        "Recordings",
        "Who has been told",
        "Pet cameras",
        "Baby monitors",
    ):
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator("main")).to_contain_text("Xavier's bedroom")
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()

    page.wait_for_url("**/devices/*/")
    verdict = page.locator("main").inner_text()
    assert "Prohibited" in verdict
    assert "DV-3" in verdict and "no camera or microphone may be in a child's bedroom" in verdict
    assert "Waiting for review" in verdict
    assert_accessible(page)


def test_the_staff_device_pages_are_accessible_on_a_phone(page) -> None:
    world = make_world()
    monitor = services_register.device_declare(
        actor=world.carol,
        household=world.household_own,
        device_type=DeviceType.BABY_MONITOR,
        status=DeviceStatus.IN_USE,
        room="Xavier's bedroom",
        room_kind=RoomKind.CHILD_BEDROOM,
        positioning="On the chest of drawers, facing the bed",
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        monitored_child=world.child_own,
        monitoring_reason="Seizures at night",
    )
    sign_in(page, world.sam)
    own, camera = world.household_own.pk, world.device_own.pk
    for path in [
        f"/households/{own}/devices/",
        f"/households/{own}/devices/new/",
        f"/households/{own}/devices/check/",
        f"/devices/{camera}/",
        f"/devices/{camera}/edit/",
        f"/devices/{camera}/remove/",
        f"/devices/{camera}/review/",
        f"/devices/{monitor.pk}/",
        f"/devices/{monitor.pk}/monitoring/",
    ]:
        visit(page, path)
