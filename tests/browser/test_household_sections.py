"""The household's sections and staff search pass axe (WCAG 2.2 AA) at 360 px and 1280 px, and fit 320 px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ["", "sections/people/", "sections/agreements/", "sections/devices/", "sections/notices/",
            "sections/supervision/", "sections/history/"]  # fmt: skip


def check(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    assert page.get_by_role("heading", level=1).count() == 1, path
    assert_accessible(page)


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_the_sections_and_search_are_accessible_on_a_phone_and_a_desktop(page, width) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    world = make_world()
    sign_in(page, world.harry)
    own = world.household_own.pk
    for section in SECTIONS:
        check(page, f"/households/{own}/{section}")
        current = page.locator('nav[aria-label="Sections of the household\'s record"] [aria-current="page"]')
        assert current.count() == 1
    for path in [
        "/search/",
        "/search/?q=patel",
        "/search/?q=patel&kind=people",
        "/search/?q=nobody",
        "/households/?sort=-status",
    ]:
        check(page, path)

    # The header's search box takes the reader to the results.
    page.goto("/")
    page.get_by_label("Search households, children and people").fill("xavier")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_url("**/search/?q=xavier")
    assert page.get_by_role("link", name="Xavier Smith").count() == 1
    assert_accessible(page)

    # The sub-navigation goes from section to section.
    page.goto(f"/households/{own}/")
    page.get_by_role("link", name="Devices").click()
    page.wait_for_url(f"**/households/{own}/sections/devices/")
    assert page.title() == "Devices \u2013 Patel household \u2013 Safecare"
