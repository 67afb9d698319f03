"""Recordings and supervisions in a real browser on a 360 px phone, axe on every page (SC-7, SC-10)."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.supervision.models import Recording, RecordingRead
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user) -> None:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    if user.requires_two_factor():
        page.wait_for_url("**/sign-in/two-factor/**")
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")


def visit(page, path: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(path)
    assert response.status == 200, path
    assert page.get_by_role("heading", level=1).count() == 1, path
    assert_accessible(page)


def _phone(browser, live_server):  # type: ignore[no-untyped-def]
    return browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 360, "height": 780}
    )


def test_a_carer_writes_a_recording_and_the_ssw_reads_it_sc7(page, browser, live_server) -> None:
    world = make_world()
    # The carer, on their phone: from the child's page to a saved recording.
    sign_in(page, world.carol)
    visit(page, f"/children/{world.child_own.pk}/")
    page.get_by_role("link", name="Write a recording").first.click()
    page.wait_for_url(f"**/children/{world.child_own.pk}/recordings/new/")
    assert_accessible(page)
    page.get_by_label("What happened").fill("Xavier scored a goal at football and was proud.")
    page.get_by_role("button", name="Save recording").click()
    page.wait_for_url(f"**/children/{world.child_own.pk}/recordings/")
    assert "scored a goal" in page.content()
    assert_accessible(page)
    recording = Recording.objects.get(text__startswith="Xavier scored")

    # The SSW, with two-factor: sees it unread from the household page and marks it read.
    context = _phone(browser, live_server)
    ssw = context.new_page()
    sign_in(ssw, world.sam)
    visit(ssw, f"/households/{world.household_own.pk}/sections/supervision/")
    ssw.get_by_role("link", name="Recordings not read yet: 2").click()
    ssw.wait_for_url("**/recordings/?show=unread")
    assert_accessible(ssw)
    assert "scored a goal" in ssw.content()
    ssw.get_by_label(f"I have read this recording, {recording.reference}").check()
    ssw.get_by_role("button", name="Mark the ticked recordings as read").click()
    ssw.wait_for_url("**/recordings/?show=unread")
    assert "scored a goal" not in ssw.content()
    assert_accessible(ssw)
    assert RecordingRead.objects.filter(recording=recording, reader=world.sam).exists()
    context.close()


def test_the_supervision_pages_are_accessible_on_a_phone(page, browser, live_server) -> None:
    world = make_world()
    sign_in(page, world.sam)
    own = world.household_own.pk
    for path in [
        f"/households/{own}/recordings/",
        f"/children/{world.child_own.pk}/recordings/",
        f"/recordings/{world.recording_own.pk}/",
        f"/households/{own}/supervisions/",
        f"/households/{own}/supervisions/new/",
        f"/supervisions/{world.supervision_own.pk}/",
        f"/supervisions/{world.supervision_own.pk}/edit/",
        f"/supervisions/{world.completed_supervision_own.pk}/",
        f"/supervisions/{world.completed_supervision_own.pk}/amend/",
    ]:
        visit(page, path)

    # Completing without the safe care discussion: the error summary names SC-10, accessibly.
    page.goto(f"/supervisions/{world.supervision_own.pk}/edit/")
    page.get_by_role("button", name="Save and complete").click()
    summary = page.locator(".govuk-error-summary")
    assert "SC-10" in summary.inner_text()
    assert "DV-2" in summary.inner_text()
    assert_accessible(page)

    # The carer reads the completed record and acknowledges it.
    context = _phone(browser, live_server)
    carer = context.new_page()
    sign_in(carer, world.carol)
    visit(carer, f"/households/{own}/supervisions/")
    visit(carer, f"/supervisions/{world.completed_supervision_own.pk}/")
    carer.get_by_role("button", name="I have read this record").click()
    carer.wait_for_url(f"**/supervisions/{world.completed_supervision_own.pk}/")
    assert "acknowledged" in carer.content()
    assert_accessible(carer)
    visit(carer, f"/recordings/{world.recording_own.pk}/")
    visit(carer, f"/recordings/{world.recording_own.pk}/edit/")
    context.close()
