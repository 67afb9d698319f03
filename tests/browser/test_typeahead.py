"""A household is typed and chosen from suggestions, not picked from a list of every household.

The placement form and the allocation form: the GOV.UK accessible-autocomplete over the
form's own suggestions (core.typeahead, static/safecare/typeahead.mjs), usable with the
keyboard, passing axe at 360 px and 1280 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safecare.households.models import Allocation, Placement
from tests.browser.conftest import assert_accessible
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world
from tests.factories import AllocationFactory, ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_household_is_found_by_typing_part_of_its_name_and_chosen_from_the_suggestions(page) -> None:
    world = make_world()
    child = ChildFactory(service=world.service, first_name="Wendy", last_name="Ali")
    AllocationFactory(worker=world.chris, kind="childs", child=child)
    sign_in(page, world.chris)  # the child's social worker places the child
    page.goto(f"/children/{child.pk}/placements/new/")
    # The box becomes a combobox once the suggestions' script has loaded; type into that one.
    box = page.get_by_role("combobox", name="Household", exact=True)
    expect(box).to_be_visible()
    box.fill("pat")
    option = page.get_by_role("option", name=f"Patel household ({world.household_own.reference})")
    expect(option).to_be_visible()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    option.click()
    expect(box).to_have_value(f"Patel household ({world.household_own.reference})")
    page.get_by_role("button", name="Place the child").click()
    page.wait_for_url(f"**/children/{child.pk}/")
    assert Placement.objects.get(child=child).household == world.household_own


def test_the_allocation_form_suggests_children_by_name(page) -> None:
    world = make_world()
    sign_in(page, world.ada)
    page.goto("/people/allocations/")
    page.get_by_label("Child's social worker", exact=True).check()
    page.get_by_label("Worker", exact=True).select_option(
        label=f"{world.chris.display_name} ({world.chris.username})"
    )
    box = page.get_by_role("combobox", name="Child (optional)", exact=True)
    expect(box).to_be_visible()
    box.fill("yasm")
    option = page.get_by_role("option", name=f"{world.child_other.reference} Yasmin Brown")
    expect(option).to_be_visible()
    assert_accessible(page)
    option.click()
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("allocated as child's social worker")).to_be_visible()
    assert Allocation.objects.current().filter(worker=world.chris, child=world.child_other).exists()
