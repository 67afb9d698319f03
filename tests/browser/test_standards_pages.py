"""The standards of care journey in a browser (SOC-1 to SOC-4): the SSW records a concern, the
fostering manager routes it, the SSW records the visit with an action, and the carer reads the
visit record on a 320 px phone. Every page passes axe (WCAG 2.2 AA) and nothing scrolls sideways."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safecare.standards.models import Concern
from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = (
    "The carer has harmed a child, or may have",
    "The carer may have committed a criminal offence against or related to a child",
    "The carer has behaved in a way that suggests a risk of harm to children",
    "The carer may not be suitable to work with children",
    "It concerns the carer's own child",
    "The carer lives in another borough",
)


def _signed_in(browser, live_server, user, width: int = 360):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 780}
    )
    page = context.new_page()
    sign_in(page, user)
    return page


def test_a_concern_is_recorded_routed_visited_and_read_by_the_carer_on_a_phone(
    page, browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    own = world.household_own.pk
    today = timezone.localdate()

    # SOC-1: the SSW records what the school said.
    sign_in(page, world.sam)
    page.goto(f"/households/{own}/")
    page.get_by_role("link", name=re.compile("Record a standards of care concern")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the concern").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(1)
    assert_accessible(page)
    page.get_by_label("A named person").check()
    page.get_by_label("Their name or role (optional)").fill("Mrs Khan, head teacher")
    fill_date(page, "Date the information was received", today)
    page.get_by_label("What was said").fill("Xavier came to school without lunch three days running.")
    page.get_by_label("Xavier Smith").check()
    page.get_by_role("button", name="Record the concern").click()
    concern = Concern.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Standards of care concern {concern.reference}"
    )
    assert_accessible(page)

    # SOC-2: the fostering manager answers each question and routes it to standards of care.
    sam = page
    page = _signed_in(browser, live_server, world.frank)
    page.goto(f"/standards-of-care/concerns/{concern.pk}/")
    page.get_by_role("link", name="Decide the route", exact=True).click()
    assert_accessible(page)
    for question in QUESTIONS:
        page.get_by_role("group", name=question).get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Route").get_by_label("Standards of care", exact=True).check()
    page.get_by_label("Reasons").fill("Practice, not harm: lunches not packed.")
    page.get_by_role("button", name="Save the route").click()
    expect(page.get_by_text("Current decision: Standards of care")).to_be_visible()
    assert_accessible(page)

    # SOC-4: the SSW records the visit, with one action for the carer.
    page.context.close()
    page = sam
    page.goto(f"/standards-of-care/concerns/{concern.pk}/")
    page.get_by_role("link", name="Record the visit", exact=True).click()
    assert_accessible(page)
    fill_date(page, "Date of the visit", today)
    page.get_by_label("6. Promoting good health and wellbeing").check()
    page.get_by_label("The concerns discussed").fill("Packed lunches on school days.")
    page.get_by_label("The carer's response").fill("Carol agreed to pack a lunch every school day.")
    page.get_by_label("Action 1: what will be done").fill("Pack a lunch every school day")
    page.get_by_label("Action 1: who does it").select_option(label=world.carol.display_name)
    fill_date(page, "Action 1: done by", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Record the visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Standards of care visit SV-\d+$"))
    assert_accessible(page)
    # Carers read a visit record once the SSW has signed it and shared it with them.
    page.get_by_role("link", name="Sign and share").click()
    page.get_by_label("I have read this visit record and it is right").check()
    page.get_by_role("button", name="Sign and share").click()
    expect(page.get_by_text("Signed and shared with the carers")).to_be_visible()

    # The carer reads the visit record on a 320 px phone, never who raised the concern.
    page = _signed_in(browser, live_server, world.carol, width=320)
    page.goto(f"/households/{own}/")
    page.get_by_role("link", name="Your visit records and agreed actions").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Visit on ")).click()
    expect(page.get_by_text("Carol agreed to pack a lunch every school day.")).to_be_visible()
    expect(page.get_by_text("Pack a lunch every school day", exact=True)).to_be_visible()
    assert "Mrs Khan" not in page.content()
    assert concern.reference not in page.content()
    assert_accessible(page)
    page.context.close()
