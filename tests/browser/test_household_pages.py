"""Every household and child page passes axe (WCAG 2.2 AA) and fits a 360 px phone."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, make_world
from tests.factories import AllocationFactory, ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user) -> None:
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


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    assert page.get_by_role("heading", level=1).count() == 1, path
    assert_accessible(page)


def test_the_staff_pages_are_accessible_on_a_phone(page) -> None:
    world = make_world()
    unplaced = ChildFactory(service=world.service, first_name="Wendy", last_name="Ali")
    AllocationFactory(worker=world.chris, kind="childs", child=unplaced)
    sign_in(page, world.harry)
    own, applicant, child = world.household_own.pk, world.household_applicant.pk, world.child_own.pk
    for path in [
        "/households/",
        "/households/new/",
        f"/households/{own}/",
        f"/households/{applicant}/",
        f"/households/{own}/edit/",
        f"/households/{own}/status/",
        f"/households/{own}/members/new/",
        f"/households/{own}/members/{world.member_own.pk}/edit/",
        f"/households/{own}/visitors/new/",
        f"/households/{own}/training/new/",
        f"/households/{own}/guidance/",
        f"/households/{own}/history/",
        f"/households/{own}/history/?show=views",
        "/children/",
        "/children/new/",
        f"/children/{child}/",
        f"/children/{child}/edit/",
        f"/children/{child}/history/",
        f"/children/{unplaced.pk}/",
        f"/children/{unplaced.pk}/placements/new/",
        f"/placements/{world.placement_own.pk}/end/",
    ]:
        visit(page, path)

    # A refusal: the error summary names the field and the rule, and is accessible too.
    page.goto(f"/households/{applicant}/status/")
    page.get_by_label("Approved").check()
    page.get_by_role("button", name="Change status").click()
    summary = page.locator(".govuk-error-summary")
    assert "SC-2" in summary.inner_text()
    assert_accessible(page)


def test_the_carer_pages_are_accessible_on_a_phone(page) -> None:
    world = make_world()
    sign_in(page, world.carol)
    visit(page, f"/households/{world.household_own.pk}/")
    visit(page, f"/children/{world.child_own.pk}/")
