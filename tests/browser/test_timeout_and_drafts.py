"""Nothing typed is lost: the time-out warning, drafts of long text, and coming back after signing in again.

The browser's clock is Playwright's (page.clock), so half an hour passes in a moment; the
server's idea of the session is moved back in the database where the server must have
timed out too.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safecare.core.middleware import IdleTimeoutMiddleware
from safecare.supervision.models import Recording
from tests.browser.conftest import assert_accessible
from tests.browser.dates import date_typed, fill_date
from tests.conftest import PASSWORD, make_world, sign_in
from tests.core.test_auth import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE_SECONDS = 30 * 60
DRAFT_KEYS = "Object.keys(localStorage).filter((key) => key.startsWith('safecare:draft:'))"


def signed_in(page, live_server, user) -> str:  # type: ignore[no-untyped-def]
    """The browser holds a fully signed-in session of user (password and second factor); its key."""
    client = sign_in(Client(), user)
    key = client.cookies["safecare_session"].value
    page.context.add_cookies([{"name": "safecare_session", "value": key, "url": live_server.url}])
    return key


def idle_on_the_server(session_key: str) -> None:
    """The server last saw this session longer ago than the idle time-out."""
    session = SessionStore(session_key=session_key)
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - IDLE_SECONDS - 120
    session.save()


def test_the_warning_comes_a_minute_before_and_stay_signed_in_keeps_the_page(page, live_server) -> None:
    world = make_world()
    signed_in(page, live_server, world.sam)
    page.clock.install()
    page.goto("/tasks/")
    dialog = page.get_by_role("dialog", name="You will be signed out in 1 minute")
    expect(dialog).to_be_hidden()
    page.evaluate("window.stillThisPage = true")

    # The browser's clock runs on in real time too: a few seconds either side of the minute.
    page.clock.fast_forward((IDLE_SECONDS - 70) * 1000)
    page.clock.run_for(1000)
    expect(dialog).to_be_hidden()
    page.clock.run_for(15000)
    expect(dialog).to_be_visible()
    # It takes the focus itself, so a screen reader reads its heading and text.
    assert page.evaluate("document.activeElement.id") == "app-timeout-dialog"
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "app-timeout-text"
    expect(dialog).to_contain_text(
        "To keep children's records safe, we sign you out after 30 minutes without using Safecare."
    )
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)

    with page.expect_response("**/account/stay-signed-in/") as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 200
    assert answer.value.json() == {"seconds_left": 1800}
    expect(dialog).to_be_hidden()
    assert page.evaluate("window.stillThisPage") is True  # no reload
    # The session runs from "Stay signed in": no warning for another 29 minutes.
    page.clock.run_for((IDLE_SECONDS - 120) * 1000)
    expect(dialog).to_be_hidden()


def test_escape_stays_signed_in_and_sign_out_in_the_warning_signs_out(page, live_server) -> None:
    world = make_world()
    signed_in(page, live_server, world.sam)
    page.clock.install()
    page.goto("/tasks/")
    dialog = page.get_by_role("dialog", name="You will be signed out in 1 minute")
    page.clock.fast_forward((IDLE_SECONDS - 30) * 1000)
    page.clock.run_for(1000)
    expect(dialog).to_be_visible()
    with page.expect_response("**/account/stay-signed-in/"):
        page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.clock.fast_forward((IDLE_SECONDS - 30) * 1000)
    page.clock.run_for(1000)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Safecare")
    assert page.get_by_role("dialog").count() == 0


def test_a_draft_is_kept_through_a_time_out_and_put_back_after_signing_in_again(page, live_server) -> None:
    world = make_world()
    device = TOTPDevice.objects.create(user=world.carol, name="phone", confirmed=True)
    session_key = signed_in(page, live_server, world.carol)
    form = f"/children/{world.child_own.pk}/recordings/new/"
    page.clock.install()
    page.goto(form)
    page.get_by_label("What happened").fill("Mia was upset after contact and did not eat her tea.")

    # Half an hour without a request: the server has ended the session, the browser's timer too.
    idle_on_the_server(session_key)
    page.clock.fast_forward((IDLE_SECONDS + 3) * 1000)
    page.wait_for_url("**/sign-in/?timed_out=1&next=*")
    assert page.url.endswith(
        f"/sign-in/?timed_out=1&next=%2Fchildren%2F{world.child_own.pk}%2Frecordings%2Fnew%2F"
    )
    expect(
        page.get_by_text("You were signed out because you had not used Safecare for a while.")
    ).to_be_visible()
    assert page.get_by_role("dialog").count() == 0
    assert len(page.evaluate(DRAFT_KEYS)) == 1

    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/two-factor/**")
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{form}")

    text = page.get_by_label("What happened")
    expect(text).to_have_value("Mia was upset after contact and did not eat her tea.")
    notice = page.get_by_text("We have put back what you typed here before. It is not saved yet.")
    expect(notice).to_be_visible()
    assert "-draft-restored" in (text.get_attribute("aria-describedby") or "")
    assert_accessible(page)

    # The same form back with its errors: the draft stays.
    today = date_typed(page, "Date of the day recorded")
    fill_date(page, "Date of the day recorded", None)
    page.get_by_role("button", name="Save recording").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert len(page.evaluate(DRAFT_KEYS)) == 1

    fill_date(page, "Date of the day recorded", today)
    page.get_by_role("button", name="Save recording").click()
    expect(page.get_by_text("Your recording has been saved.")).to_be_visible()
    assert Recording.objects.filter(text="Mia was upset after contact and did not eat her tea.").count() == 1
    assert page.evaluate(DRAFT_KEYS) == []
    page.goto(form)
    expect(page.get_by_label("What happened")).to_have_value("")
    expect(page.get_by_text("We have put back what you typed here before.")).to_have_count(0)


def test_signing_out_forgets_the_persons_drafts(page, live_server) -> None:
    world = make_world()
    signed_in(page, live_server, world.carol)
    form = f"/children/{world.child_own.pk}/recordings/new/"
    page.goto(form)
    page.get_by_label("What happened").fill("Private words.")
    # Someone else's draft on a shared computer is theirs to keep or forget.
    page.evaluate(
        "localStorage.setItem('safecare:draft:999:/x/:text', JSON.stringify({text: 'x', at: Date.now()}))"
    )
    assert len(page.evaluate(DRAFT_KEYS)) == 2
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    assert page.evaluate(DRAFT_KEYS) == ["safecare:draft:999:/x/:text"]


def test_the_sign_in_page_after_signing_out_forgets_drafts_left_behind(page, live_server) -> None:
    """Drafts typed in one tab, sign-out from another page without the script: the sign-in page forgets them."""
    world = make_world()
    signed_in(page, live_server, world.carol)
    page.goto(f"/children/{world.child_own.pk}/recordings/new/")
    page.get_by_label("What happened").fill("Private words.")
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    # The sign-out form sent without drafts.mjs seeing it (as from a page whose script failed).
    page.evaluate("document.querySelector('form[data-sign-out]').removeAttribute('data-sign-out')")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    assert page.evaluate(DRAFT_KEYS) == []
