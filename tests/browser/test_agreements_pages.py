"""The agreement pages (SC-1, SC-4, SC-5) pass axe (WCAG 2.2 AA) and fit a 360 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_household_pages import sign_in, visit
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_staff_agreement_pages_are_accessible_on_a_phone(page) -> None:
    world = make_world()
    sign_in(page, world.sam)
    household, placement = world.household_own.pk, world.placement_own.pk
    for path in [
        f"/households/{household}/agreement/",
        f"/households/{household}/agreement/edit/",
        f"/placements/{placement}/agreement/",
        f"/placements/{placement}/agreement/edit/",
        f"/agreements/versions/{world.agreement_version_own.pk}/",
        f"/agreements/versions/{world.child_agreement_version_own.pk}/",
        f"/agreements/versions/{world.child_agreement_version_own.pk}/sign/",
    ]:
        visit(page, path)

    # A refusal: every section is required, and the error summary is accessible too.
    page.goto(f"/households/{household}/agreement/edit/")
    page.get_by_label("Transport").fill("")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Transport")
    assert_accessible(page)


def test_a_carer_signs_on_a_phone(page) -> None:
    world = make_world()
    sign_in(page, world.carol)
    visit(page, f"/households/{world.household_own.pk}/agreement/")
    visit(page, f"/placements/{world.placement_own.pk}/agreement/")
    visit(page, f"/agreements/versions/{world.child_agreement_version_own.pk}/sign/")
    page.get_by_role("button", name="Sign this version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("tick the box")
    assert_accessible(page)
    page.get_by_label("I have read this version of the agreement and I agree to it").check()
    page.get_by_role("button", name="Sign this version").click()
    expect(page.get_by_text("You have signed version 1.")).to_be_visible()
