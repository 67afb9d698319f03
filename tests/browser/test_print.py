"""Record pages print as the record alone (decision 0029): in Chromium's print media.

The header navigation, the sign-out button, the search box, the back link and the buttons are on the
screen and off the paper; no link prints its address after it (GOV.UK Frontend's print
styles would add " (/households/1/)"); summary lists and tables print black on white;
and Chromium makes a PDF of the page.
"""

from __future__ import annotations

import pytest

from tests.browser.test_supervision_pages import sign_in
from tests.conftest import make_world
from tests.pdftext import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the screen shows and the paper must not.
SCREEN_ONLY = {
    "header navigation": "header .govuk-service-navigation__wrapper",
    "sign-out": "header .app-header__sign-out button",
    "search": 'header form[role="search"]',
    "back link": ".govuk-back-link",
}

LINK_AFTER = """() => Array.from(document.querySelectorAll('main a[href], .govuk-width-container a[href]'))
    .map(a => getComputedStyle(a, '::after').content)
    .filter(content => content.includes('('))"""


def _visible(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.locator(selector).first.is_visible())


@pytest.fixture
def desk(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 900})
    yield context.new_page()
    context.close()


def test_record_pages_print_without_navigation_buttons_or_link_addresses(desk) -> None:
    world = make_world()
    sign_in(desk, world.sam)
    pages = {
        "household": f"/households/{world.household_own.pk}/",
        "agreement": f"/households/{world.household_own.pk}/agreement/",
        "device": f"/devices/{world.device_own.pk}/",
    }
    for label, path in pages.items():
        response = desk.goto(path)
        assert response.status == 200, label
        desk.emulate_media(media="screen")
        for what, selector in SCREEN_ONLY.items():
            if what != "back link" or label != "household":
                assert _visible(desk, selector), f"{label}: {what} not on the screen"

        desk.emulate_media(media="print")
        for what, selector in SCREEN_ONLY.items():
            assert not _visible(desk, selector), f"{label}: {what} is printed"
        assert desk.locator("main .govuk-button:visible").count() == 0, label
        assert desk.evaluate(LINK_AFTER) == [], f"{label}: a link prints its address"
        colours = desk.evaluate(
            """() => Array.from(document.querySelectorAll(
                '.govuk-summary-list__value, .govuk-summary-list__key, .govuk-table__cell, .govuk-table__header'))
              .map(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])"""
        )
        assert colours, f"{label}: no summary list or table"
        assert {tuple(c) for c in colours} == {("rgb(0, 0, 0)", "rgb(255, 255, 255)")}, label

        text = " ".join(pdf_pages(desk.pdf(format="A4")))
        assert "Sign out" not in text, label
        assert "(http" not in text and "(/" not in text, label
