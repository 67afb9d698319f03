"""Compliance figures walked in the browser (decision 0049): the fostering manager reads the
report for January to March 2027, drills down from the number of SC-3 duties met late to the
duty itself, and downloads an inspection pack for the same period. Every page passes axe
(WCAG 2.2 AA) at 360 px and on a desktop.

The clock: time_machine, ticking, from 10:00 on Thursday 1 April 2027.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from safecare.compliance.models import InspectionPack, PackStatus
from safecare.core.jobs import run_due_jobs
from safecare.core.models import TaskStatus
from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world
from tests.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2027, 4, 1, 10, 0, tzinfo=LONDON)  # Thursday 1 April 2027


def _signed_in(browser: Browser, live_server: Any, user: Any, width: int) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport={"width": width, "height": 780},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    TOTPDevice.objects.filter(user=user).delete()
    sign_in(page, user)
    return page


def test_a_manager_reads_the_figures_drills_down_to_a_late_duty_and_downloads_the_pack(
    browser: Browser, live_server: Any
) -> None:
    with time_machine.travel(NOW, tick=True):
        world = make_world()
        household = world.household_own
        # SC-3: due 20 January, given 23 January (3 days late); due 15 February, given on the day.
        late = TaskFactory(
            service=world.service, owner=world.sam, team=world.sam.team, household=household, rule_id="SC-3",
            title="Give the carers 'Safer Caring: A New Approach'", due_on=dt.date(2027, 1, 20),
            status=TaskStatus.DONE, completed_at=dt.datetime(2027, 1, 23, 15, tzinfo=LONDON),
        )  # fmt: skip
        TaskFactory(
            service=world.service, owner=world.sam, team=world.sam.team, household=household, rule_id="SC-3",
            title="Give the second carer the guidance", due_on=dt.date(2027, 2, 15),
            status=TaskStatus.DONE, completed_at=dt.datetime(2027, 2, 15, 11, tzinfo=LONDON),
        )  # fmt: skip

        frank = _signed_in(browser, live_server, world.frank, width=360)
        frank.get_by_role("link", name="Duties met on time and late, by rule").click()
        expect(frank.get_by_role("heading", level=1)).to_be_visible()
        fill_date(frank, "From", dt.date(2027, 1, 1))
        fill_date(frank, "To", dt.date(2027, 3, 31))
        frank.get_by_role("button", name="Show the figures").click()
        assert_accessible(frank)

        # The SC-3 row: 2 fell due, 1 on time, 1 late by 3 days (median and worst).
        row = frank.locator("tr", has=frank.locator("th", has_text=re.compile(r"^SC-3")))
        cells = row.first.locator("td").all_inner_texts()
        assert [re.sub(r"\s*\(.*\)$", "", c.strip()) for c in cells[:5]] == ["2", "1", "1", "3", "3"]
        row.first.get_by_role("link", name=re.compile(r"SC-3: met late")).click()

        expect(frank.get_by_role("heading", level=1)).to_contain_text("SC-3")
        assert_accessible(frank)
        frank.get_by_role("link", name=re.compile(late.reference)).click()
        expect(frank.get_by_role("heading", level=1)).to_contain_text("Safer Caring")
        assert_accessible(frank)

        # The inspection pack for the same period, built by the job runner.
        frank.goto("/compliance/")
        frank.get_by_role("link", name="Inspection packs").click()
        assert_accessible(frank)
        fill_date(frank, "From", dt.date(2027, 1, 1))
        fill_date(frank, "To", dt.date(2027, 3, 31))
        frank.get_by_label("Ofsted inspection").check()
        frank.get_by_role("button", name="Build the pack").click()
        expect(frank.get_by_role("heading", level=1)).to_have_text("Inspection pack")
        pack = InspectionPack.objects.get(requested_by=world.frank)
        run_due_jobs()  # the job runner's consumer takes the pack and builds it
        pack.refresh_from_db()
        assert pack.status == PackStatus.READY, pack.error
        frank.reload()
        assert_accessible(frank)
        with frank.expect_download() as download_info:
            frank.get_by_role("link", name="Download the pack (PDF)").click()
        path = download_info.value.path()
        with open(path, "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
