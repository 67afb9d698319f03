"""The CCTV exception request in a real browser at 360px, checked with axe (CX-1 to CX-5).

The SSW submits the report and a carer signs it through the pages; the other
steps go through the services to keep the test short, and each page on the way
is checked for WCAG 2.2 AA and for sideways scrolling on a phone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safecare.devices import services_cctv
from safecare.devices.models import CctvRequest, RequestStatus
from tests.browser.conftest import assert_accessible
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world
from tests.devices.test_cctv_views import SECTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, path: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(path)
    assert response.status == 200, path
    assert_accessible(page)


def test_cx_a_report_is_submitted_signed_in_order_and_decided(page, browser, live_server) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    CctvRequest.objects.filter(household=world.household_own).update(status=RequestStatus.WITHDRAWN)
    today = timezone.localdate()
    cctv = services_cctv.request_create(
        actor=world.sam,
        household=world.household_own,
        period_start=today,
        period_end=today + dt.timedelta(days=180),
        devices=[world.device_own],
        **SECTIONS,
    )

    # The SSW submits from the request page (CX-1).
    sign_in(page, world.sam)
    visit(page, f"/households/{world.household_own.pk}/cctv/")
    visit(page, f"/cctv/{cctv.pk}/")
    page.get_by_role("button", name="Submit for signatures").click()
    page.wait_for_url(f"**/cctv/{cctv.pk}/")
    cctv.refresh_from_db()
    assert cctv.status == RequestStatus.SIGNING

    # CX-3: the SSW cannot sign before the carers; the page says whom it waits for.
    visit(page, f"/cctv/{cctv.pk}/sign/")
    page.get_by_label("I have read this report and I agree to it").check()
    page.get_by_role("button", name="Sign the report").click()
    summary = page.locator(".govuk-error-summary")
    assert "CX-3" in summary.inner_text() and "Carol" in summary.inner_text()
    assert_accessible(page)

    # The carer signs on her phone.
    carer = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 360, "height": 780}
    )
    carol = carer.new_page()
    sign_in(carol, world.carol)
    visit(carol, f"/cctv/{cctv.pk}/sign/")
    carol.get_by_label("I have read this report and I agree to it").check()
    carol.get_by_role("button", name="Sign the report").click()
    carol.wait_for_url(f"**/cctv/{cctv.pk}/")

    for signer in (world.sam, world.fiona):
        services_cctv.report_sign(actor=signer, request=cctv, confirmed=True)
    services_cctv.report_consent(actor=world.chris, request=cctv, child=world.child_own, agrees=True)
    services_cctv.request_decide(
        actor=world.helen, request=cctv, agreed=True, comments="Proportionate.", conditions="No sound."
    )

    # CX-5: the decision reaches the carers in the portal.
    visit(carol, f"/cctv/{cctv.pk}/")
    text = carol.locator("main").inner_text()
    assert "Agreed" in text and "Proportionate." in text and "No sound." in text
    carer.close()
