"""Confidential files walked in the browser (PH-1 to PH-6), each person in their own browser, the
carer on a 360 px phone.

PH-3 the child's social worker records Xavier's photo rules; PH-1 his supervising social worker
shares a document with the Patel household, which the carer reads on her phone page by page as
images, with no way to download it; PH-3, PH-4 she reads Xavier's photo rules on the upload page
and uploads a photo from her phone, taken with its location on, only after confirming the rules:
what is kept has no location; PH-6 she reports her phone lost, and Xavier's social worker finds
an alert to act on today with a task due the same day; PH-5 the placement ends and the social
worker receives Xavier's photos for his life-story work, which closes the task.

The clock: time_machine, ticking, from 10:00 on Monday 1 March 2027. Every page passes axe
(WCAG 2.2 AA) at its width, and the carer's pages do not scroll sideways at 360 px.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from safecare.core.models import Notification, Task, TaskStatus
from safecare.files import storage
from safecare.files.duties import LOSS, RECEIVE_PHOTOS
from safecare.files.models import Handover, LossReport, Photo, PhotoRules, SharedDocument
from safecare.households.services import placement_end
from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
PHONE = 360
START = dt.datetime(2027, 3, 1, 10, 0, tzinfo=LONDON)  # Monday 1 March 2027
LOST_ON = dt.date(2027, 2, 27)  # Saturday 27 February 2027: the phone went missing
ENDED_ON = dt.date(2027, 3, 5)  # Friday 5 March 2027: Xavier moves on
# PH-5: the social worker receives the photos within 5 working days of the end: Monday 8 March
# to Friday 12 March 2027, no bank holiday between.
RECEIVE_BY = dt.date(2027, 3, 12)


def _signed_in(browser: Browser, live_server: Any, user: Any, width: int = 1280) -> Page:
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 780}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    TOTPDevice.objects.filter(user=user).delete()
    sign_in(page, user)
    return page


def _carer_reads(page: Page) -> None:
    """The carer's page fits her phone, says no rule id bare, and passes axe."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, page.url
    words = page.locator("main").inner_text()
    for reference in page.locator("main a.app-policy-ref").all_inner_texts():
        words = words.replace(reference, "", 1)
    assert not re.search(r"\bPH-\d", words), f"{page.url}: {words}"
    assert_accessible(page)


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string="<h1>Placement information</h1><p>Xavier's inhaler is in his school bag.</p>"
        "<p style='page-break-before: always'>Contact: every other Saturday.</p>"
    ).write_pdf()


def _photo_with_location() -> bytes:
    """A phone's photo: a JPEG whose EXIF carries a GPS position (Birmingham, 52.48 N 1.89 W)."""
    image = Image.new("RGB", (800, 600), (120, 170, 220))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 28.0, 48.0)
    gps[3] = "W"
    gps[4] = (1.0, 53.0, 24.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_carer_reads_a_document_uploads_a_photo_reports_a_lost_phone_and_the_photos_pass_on(
    browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    with time_machine.travel(START, tick=True):
        world = make_world()
        xavier = world.child_own

        # PH-3: Xavier's social worker records what the placement planning meeting decided.
        chris = _signed_in(browser, live_server, world.chris)
        chris.goto(f"/children/{xavier.pk}/")
        chris.get_by_role("link", name="Photos of Xavier").click()
        chris.get_by_role("link", name="Record the photo rules").click()
        chris.get_by_label("The child's own views on being photographed").fill(
            "Xavier likes photos at football; not when he is upset."
        )
        chris.get_by_label("Photography issues the birth parents raised").fill(
            "His father asks for no photos to be shared outside the foster family."
        )
        fill_date(chris, "Date of the placement planning meeting or review", dt.date(2027, 2, 22))
        chris.get_by_role("group", name="May the school take photos of the child?").get_by_label(
            "Yes", exact=True
        ).check()
        chris.get_by_role("group", name="May community groups take photos of the child?").get_by_label(
            "No", exact=True
        ).check()
        assert_accessible(chris)
        chris.get_by_role("button", name=re.compile("Save")).click()
        assert PhotoRules.objects.filter(child=xavier).exists()

        # PH-1: his supervising social worker shares placement information with the household.
        sam = _signed_in(browser, live_server, world.sam)
        sam.goto(f"/households/{world.household_own.pk}/documents/")
        assert_accessible(sam)
        sam.get_by_role("link", name=re.compile("Share a document")).first.click()
        sam.get_by_label("Title").fill("Placement information")
        sam.get_by_role("group", name="What is it?").get_by_label("Placement information").check()
        pdf = tmp_path / "placement-information.pdf"
        pdf.write_bytes(_pdf())
        sam.get_by_label("File").set_input_files(str(pdf))
        assert_accessible(sam)
        sam.get_by_role("button", name="Share the document").click()
        document = SharedDocument.objects.get(title="Placement information")
        assert document.page_count == 2

        # PH-1: the carer reads it on her phone, page by page as images, and cannot download it.
        carol = _signed_in(browser, live_server, world.carol, width=PHONE)
        carol.get_by_role("link", name="Documents to read").click()
        _carer_reads(carol)
        carol.get_by_role("link", name="Placement information").click()
        expect(carol.get_by_role("heading", level=1)).to_have_text("Placement information")
        pages = carol.locator("main img")
        expect(pages).to_have_count(2)
        for index in range(2):
            pages.nth(index).scroll_into_view_if_needed()
            carol.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=pages.nth(index).element_handle()
            )
        expect(carol.get_by_role("link", name=re.compile("Download", re.I))).to_have_count(0)
        assert not carol.locator("main a[download], main a[href$='/download/']").count()
        response = carol.request.get(f"/documents/{document.pk}/pages/1/")
        assert response.headers["content-type"] == "image/png"
        assert "no-store" in response.headers["cache-control"]
        assert carol.request.get(f"/documents/{document.pk}/download/").status == 404
        _carer_reads(carol)

        # PH-3, PH-4: the upload page shows Xavier's rules first; the photo goes only once she confirms.
        carol.goto(f"/children/{xavier.pk}/")
        carol.get_by_role("link", name="Add a photo of Xavier").click()
        expect(carol.get_by_text("Xavier likes photos at football; not when he is upset.")).to_be_visible()
        _carer_reads(carol)
        photo = tmp_path / "IMG_0042.jpg"
        photo.write_bytes(_photo_with_location())
        carol.get_by_label("Photo", exact=True).set_input_files(str(photo))
        carol.get_by_label("What is happening in the photo? (optional)").fill("Scoring at football")
        carol.get_by_role("button", name="Upload").click()
        summary = carol.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        assert not Photo.objects.exists()
        # Nothing typed is lost: the caption is still there.
        expect(carol.get_by_label("What is happening in the photo? (optional)")).to_have_value(
            "Scoring at football"
        )
        _carer_reads(carol)
        carol.get_by_label("Photo", exact=True).set_input_files(str(photo))
        carol.get_by_label("I confirm this photo keeps to the rules above").check()
        carol.get_by_role("button", name="Upload").click()
        expect(carol.get_by_text("Scoring at football").first).to_be_visible()
        _carer_reads(carol)
        kept = Photo.objects.get(child=xavier)
        cleaned = Image.open(io.BytesIO(storage.read(kept.file)))
        assert 0x8825 not in cleaned.getexif() and not cleaned.getexif(), "PH-4: no location survives"

        # PH-6: she reports her phone lost, with Xavier's photos on it.
        carol.goto("/")
        carol.get_by_role("link", name="A lost or stolen phone, camera, memory card or photos").click()
        carol.get_by_role("group", name="What was lost or stolen?").get_by_label("A phone").check()
        carol.get_by_role("group", name="Was it lost or stolen?").get_by_label("Lost or missing").check()
        fill_date(carol, "When did it happen, or when did you notice?", LOST_ON)
        carol.get_by_label("Xavier Smith").check()
        _carer_reads(carol)
        carol.get_by_role("button", name="Send the report").click()
        expect(carol.get_by_role("heading", name="Report sent")).to_be_visible()
        _carer_reads(carol)
        report = LossReport.objects.get()
        loss_task = Task.objects.get(kind=LOSS, child=xavier)
        assert loss_task.owner == world.chris and loss_task.due_on == START.date()  # the same day

        # PH-6: Xavier's social worker finds the alert, to act on today, and records what she did.
        chris.goto("/alerts/")
        assert Notification.objects.filter(recipient=world.chris, kind="loss_report").exists()
        expect(chris.get_by_text("Act today").first).to_be_visible()
        assert_accessible(chris)
        chris.goto(f"/lost-or-stolen/{report.pk}/")
        chris.get_by_label("What you have done or will do").fill(
            "Told Xavier's father; asked the carer to change her cloud password."
        )
        assert_accessible(chris)
        chris.get_by_role("button", name="Record what you did").click()
        expect(
            chris.get_by_text("Your action for Xavier Smith is recorded. The task is closed.")
        ).to_be_visible()
        loss_task.refresh_from_db()
        assert loss_task.status == TaskStatus.DONE

        # PH-5: the placement ends; the photos pass to Xavier's social worker, the carer no longer sees them.
        placement_end(
            actor=world.chris, placement=world.placement_own, end_on=ENDED_ON, end_reason="planned_move"
        )
        handover = Handover.objects.get(placement=world.placement_own)
        receive = Task.objects.get(kind=RECEIVE_PHOTOS, child=xavier)
        assert receive.owner == world.chris and receive.due_on == RECEIVE_BY

    with time_machine.travel(dt.datetime(2027, 3, 8, 10, 0, tzinfo=LONDON), tick=True):
        chris = _signed_in(browser, live_server, world.chris)
        chris.goto("/alerts/")
        chris.get_by_role("link", name="Photos for life-story work").first.click()
        expect(chris.get_by_role("heading", level=1)).to_have_text("Photos passed on for life-story work")
        assert_accessible(chris)
        chris.get_by_role("button", name="I have received the photos").click()
        expect(
            chris.get_by_text("You have recorded that you received the photos. The task is closed.")
        ).to_be_visible()
        handover.refresh_from_db()
        receive.refresh_from_db()
        assert handover.received_by == world.chris and receive.status == TaskStatus.DONE
        carol = _signed_in(browser, live_server, world.carol, width=PHONE)
        assert carol.request.get(f"/photos/{kept.pk}/image/").status == 404
