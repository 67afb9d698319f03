"""The notices pages pass axe (WCAG 2.2 AA) and fit a 360 px phone; carers are their main users."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safecare.notices import services
from safecare.notices.models import RiskLevel
from tests.browser.test_household_pages import sign_in, visit
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_carer_notice_pages_are_accessible_on_a_phone(page) -> None:
    world = make_world()
    sign_in(page, world.carol)
    own = world.household_own.pk
    for path in [
        f"/households/{own}/",
        f"/households/{own}/notices/",
        f"/households/{own}/notices/change/",
        f"/households/{own}/notices/immediate/",
        f"/households/{own}/care-arrangements/new/",
        f"/notices/changes/{world.change_notice_own.pk}/",
        f"/notices/immediate/{world.immediate_notice_own.pk}/",
        f"/care-arrangements/{world.arrangement_own.pk}/",
    ]:
        visit(page, path)

    # A refusal keeps the typed text and is accessible too.
    page.goto(f"/households/{own}/care-arrangements/new/")
    page.get_by_label("Who will look after them?").fill("Rose Patel")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(1)
    assert page.get_by_label("Who will look after them?").input_value() == "Rose Patel"
    from tests.browser.conftest import assert_accessible

    assert_accessible(page)


def test_the_staff_notice_pages_are_accessible_on_a_phone(page) -> None:
    world = make_world()
    services.risk_flag_set(actor=world.chris, child=world.child_own, level=RiskLevel.KNOWN, reason="Absconds")
    sign_in(page, world.harry)
    own, child = world.household_own.pk, world.child_own.pk
    for path in [
        f"/households/{own}/sections/notices/",
        f"/children/{child}/",
        f"/households/{own}/notices/",
        f"/notices/changes/{world.change_notice_own.pk}/",
        f"/notices/changes/{world.change_notice_own.pk}/review/",
        f"/notices/immediate/{world.immediate_notice_own.pk}/",
        f"/notices/immediate/{world.immediate_notice_own.pk}/respond/",
        f"/care-arrangements/{world.arrangement_own.pk}/",
        f"/care-arrangements/{world.arrangement_own.pk}/decide/",
        "/care-arrangements/breaches/",
        f"/children/{child}/risk/",
        f"/children/{child}/risk/assessments/new/",
    ]:
        visit(page, path)
