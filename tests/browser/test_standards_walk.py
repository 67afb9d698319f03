"""A standards of care case walked in the browser from intake to the agency decision maker's
decision (SOC-1 to SOC-12), each person signing in in turn in their own browser, and the
carer on a 360 px phone.

SOC-1 the SSW records a concern; SOC-2 the fostering manager routes it to standards of care;
SOC-5 with two earlier concerns in 12 months, the third proposes a meeting, which the manager
decides to convene; SOC-4 the SSW records the visit, signs and shares it, and the carer signs
it on her phone; SOC-6 the SSW refers the carer for independent support; SOC-8 business
support arranges the meeting, uploads the service's three documents and sends the
invitations; SOC-7, SOC-12 the SSW writes the report with the child's social worker named,
the fostering team manager QAs it, it is sent to the chair and to the carer, who says she has
it and answers the chair; SOC-10 on the meeting day the chair refers the household to the
fostering panel, a panel member records its recommendation and the agency decision maker
decides to deregister, which waits 28 days for a review request.

The clock: the whole walk runs under time_machine, started at 10:00 on Monday 1 February 2027
and ticking. time_machine patches the clock of the whole process, so the live server's
threads read the same day as the test; the walk jumps to the meeting day, then to the panel,
with `move_to` between steps, when no request is in flight. Sessions idle out over the jump,
so each person after it signs in again. Every page passes axe (WCAG 2.2 AA) at its width and
at 1280 px, uses each id once, and does not scroll sideways.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfWriter

from safecare.households.models import HouseholdStatus
from safecare.standards.models import (
    AdmDecision,
    ApprovalChoice,
    CarerResponse,
    Concern,
    Invitee,
    Meeting,
    MeetingOutcome,
    MeetingProposal,
    OutcomeKind,
    PanelRecommendation,
    PanelReferral,
    Recipient,
    ReportSending,
    ServiceDocument,
    SupportReferral,
    Visit,
)
from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world
from tests.standards.conftest import soc_concern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2027, 2, 1, 10, 0, tzinfo=LONDON)  # Monday 1 February 2027
# SOC-7: a meeting on Monday 22 February leaves room for the report: to the chair by Friday
# 12 February (5 clear working days: 15 to 19 February), to the carer by 12 February (10
# calendar days). The report goes on 1 February.
MEETING_DAY = dt.date(2027, 2, 22)
PANEL_DAY = dt.date(2027, 3, 1)  # Monday 1 March 2027
# SOC-10: the ADM's decision to deregister on 1 March ends the approval 28 calendar days later.
DEREGISTERS_ON = "Mon 29 Mar 2027"
PHONE = 360

QUESTIONS = (
    "The carer has harmed a child, or may have",
    "The carer may have committed a criminal offence against or related to a child",
    "The carer has behaved in a way that suggests a risk of harm to children",
    "The carer may not be suitable to work with children",
    "It concerns the carer's own child",
    "The carer lives in another borough",
)
REPORT_SECTIONS = {
    "Reason for the report": "Three concerns about lunches and shouting within a year.",
    "Overview of the fostering career": "Approved in 2021 for two children aged 5 to 12.",
    "Investigation": "Spoke with the school and Xavier's social worker.",
    "Consultation with the foster carers and others": "Carol agrees lunches were missed.",
    "Current situation and impact on the children in placement": "Xavier is settled at home.",
    "Analysis of the foster carers' suitability and competency": "Standard 6 is not met.",
    "What's working well?": "Xavier is warm with Carol.",
    "What are we worried about?": "Xavier goes hungry at school.",
    "What needs to happen next?": "A plan for school days, checked weekly.",
    "Appendices": "The school's letter.",
}


def _signed_in(browser: Browser, live_server: Any, user: Any, width: int = 1280) -> Page:
    """A browser context of its own for one person, signed in."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 780}
    )
    # A step that fails says so in 15 seconds, not Playwright's 30.
    context.set_default_timeout(15_000)
    page = context.new_page()
    # sign_in sets up a new authenticator each time; the sign-in page checks the first one.
    TOTPDevice.objects.filter(user=user).delete()
    sign_in(page, user)
    return page


def _carer_reads(page: Page) -> None:
    """A carer on a 360 px phone reads the page without scrolling sideways, and in plain words:
    no rule ids."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, page.url
    words = page.locator("main").inner_text()
    assert not re.search(r"\bSOC-\d", words), f"{page.url}: {words}"


def _pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _choose(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _status(page: Page, path: str) -> int:
    response = page.goto(path)
    assert response is not None
    return response.status


def test_a_standards_of_care_case_from_the_concern_to_the_decision_makers_decision(
    browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    with time_machine.travel(START, tick=True) as traveller:
        world = make_world()
        own = world.household_own
        # SOC-5: two earlier standards of care concerns within the 12 months before the third.
        soc_concern(world, dt.date(2026, 6, 1))
        soc_concern(world, dt.date(2026, 11, 2))

        # SOC-1: the SSW records what the head teacher said.
        sam = _signed_in(browser, live_server, world.sam)
        sam.goto(f"/households/{own.pk}/")
        sam.get_by_role("link", name=re.compile("Record a standards of care concern")).click()
        sam.get_by_label("A named person").check()
        sam.get_by_label("Their name or role (optional)").fill("Mrs Khan, head teacher")
        fill_date(sam, "Date the information was received", START.date())
        sam.get_by_label("What was said").fill("Xavier came to school without lunch three days running.")
        sam.get_by_label("Xavier Smith").check()
        assert_accessible(sam)
        sam.get_by_role("button", name="Record the concern").click()
        expect(sam.get_by_role("heading", level=1)).to_have_text(re.compile("^Standards of care concern "))
        concern = Concern.objects.get(raised_by="Mrs Khan, head teacher")
        expect(sam.get_by_role("heading", level=1)).to_have_text(
            f"Standards of care concern {concern.reference}"
        )

        # SOC-2: the fostering manager answers every threshold No and routes it to standards of care.
        frank = _signed_in(browser, live_server, world.frank)
        frank.goto(f"/standards-of-care/concerns/{concern.pk}/")
        frank.get_by_role("link", name="Decide the route", exact=True).click()
        for question in QUESTIONS:
            _choose(frank, question, "No")
        _choose(frank, "Route", "Standards of care")
        frank.get_by_label("Reasons").fill("Practice, not harm: lunches not packed.")
        assert_accessible(frank)
        frank.get_by_role("button", name="Save the route").click()
        expect(frank.get_by_text("Current decision: Standards of care")).to_be_visible()

        # SOC-5: the third concern within 12 months proposes a meeting; the manager convenes it.
        proposal = MeetingProposal.objects.get(household=own)
        assert proposal.three_concerns
        frank.goto(f"/households/{own.pk}/standards-of-care/")
        expect(frank.get_by_text("Waiting for a decision")).to_be_visible()
        assert_accessible(frank)
        frank.get_by_role("link", name=proposal.reference).click()
        expect(frank.get_by_text("3 standards of care concerns within 12 months")).to_be_visible()
        assert_accessible(frank)
        frank.get_by_role("link", name="Decide", exact=True).click()
        _choose(frank, "Convene a standards of care meeting?", "Yes")
        frank.get_by_label("Reasons").fill("Three concerns in eight months about the same care.")
        assert_accessible(frank)
        frank.get_by_role("button", name="Save the decision").click()
        expect(frank.get_by_text("Three concerns in eight months about the same care.")).to_be_visible()
        assert_accessible(frank)

        # SOC-4: the SSW records the visit with one action, then signs and shares the record.
        sam.goto(f"/standards-of-care/concerns/{concern.pk}/")
        sam.get_by_role("link", name="Record the visit", exact=True).click()
        fill_date(sam, "Date of the visit", START.date())
        sam.get_by_label("6. Promoting good health and wellbeing").check()
        sam.get_by_label("The concerns discussed").fill("Packed lunches on school days.")
        sam.get_by_label("The carer's response").fill("Carol agreed to pack a lunch every school day.")
        sam.get_by_label("Action 1: what will be done").fill("Pack a lunch every school day")
        sam.get_by_label("Action 1: who does it").select_option(label=world.carol.display_name)
        fill_date(sam, "Action 1: done by", dt.date(2027, 2, 8))
        assert_accessible(sam)
        sam.get_by_role("button", name="Record the visit").click()
        expect(sam.get_by_role("heading", level=1)).to_have_text(
            re.compile(r"^Standards of care visit SV-\d+$")
        )
        sam.get_by_role("link", name="Sign and share").click()
        sam.get_by_label("I have read this visit record and it is right").check()
        assert_accessible(sam)
        sam.get_by_role("button", name="Sign and share").click()
        expect(sam.get_by_text("Signed and shared with the carers")).to_be_visible()
        assert_accessible(sam)

        # The carer, on her phone, finds the record on her home page, reads it and signs it;
        # she never sees who raised the concern, nor its reference.
        carol = _signed_in(browser, live_server, world.carol, width=PHONE)
        expect(carol.get_by_role("heading", level=1)).to_have_text("Patel household")
        assert_accessible(carol)
        carol.get_by_role("link", name=re.compile("^Sign your visit record from ")).click()
        expect(carol.get_by_role("heading", level=1)).to_have_text("Read and sign the record of your visit")
        expect(carol.get_by_text("Carol agreed to pack a lunch every school day.")).to_be_visible()
        assert "Mrs Khan" not in carol.content()
        assert concern.reference not in carol.content()
        _carer_reads(carol)
        assert_accessible(carol)
        carol.get_by_label(
            "I have read this record of the visit, and it is what was talked about and agreed"
        ).check()
        carol.get_by_role("button", name="Sign the record").click()
        expect(carol.get_by_text("Thank you. You have signed the record of your visit.")).to_be_visible()
        _carer_reads(carol)
        assert_accessible(carol)

        # SOC-6: the SSW refers the carer to the Fostering Network within 2 working days.
        sam.goto(f"/households/{own.pk}/standards-of-care/")
        sam.get_by_role("link", name="Support for the carers, and resignation").click()
        expect(sam.get_by_text("Not referred yet")).to_be_visible()
        assert_accessible(sam)
        sam.get_by_role("link", name=f"Record the referral for {proposal.reference}").click()
        sam.get_by_label("How the referral was made").fill("E-mail to the Fostering Network's support line.")
        assert_accessible(sam)
        sam.get_by_role("button", name="Record the referral").click()
        expect(sam.get_by_text("The referral for independent support is recorded.")).to_be_visible()

        # SOC-8: the SSW asks business support to arrange the meeting.
        sam.goto(f"/standards-of-care/proposals/{proposal.pk}/")
        sam.get_by_role("link", name="Ask business support to arrange the meeting").click()
        sam.get_by_label("Business support officer").select_option(label=world.bella.display_name)
        assert_accessible(sam)
        sam.get_by_role("button", name="Ask them to arrange it").click()
        expect(sam.get_by_text("has been asked to arrange the meeting").first).to_be_visible()

        # Business support finds the meeting from her home page, uploads the service's three
        # documents, arranges the meeting and sends the invitations.
        bella = _signed_in(browser, live_server, world.bella)
        bella.get_by_role("link", name="Meetings to arrange").click()
        expect(bella.get_by_role("cell", name=re.compile("^To arrange"))).to_be_visible()
        assert_accessible(bella)
        bella.get_by_role("link", name="The documents sent with every invitation").click()
        assert_accessible(bella)
        for document in (
            "The standards of care procedure",
            "The confidentiality agreement",
            "The meeting code of conduct",
        ):
            bella.get_by_role("link", name=f"Upload {document.lower()}").click()
            bella.get_by_label(document).set_input_files(_pdf(tmp_path / f"{len(document)}.pdf"))
            assert_accessible(bella)
            bella.get_by_role("button", name="Upload").click()
            expect(bella.get_by_text(f"{document} is uploaded")).to_be_visible()
        assert ServiceDocument.objects.filter(service=world.service).count() == 3
        assert_accessible(bella)
        bella.goto("/")
        bella.get_by_role("link", name="Meetings to arrange").click()
        bella.get_by_role("link", name="Arrange the meeting for the Patel household").click()
        fill_date(bella, "Date of the meeting", MEETING_DAY)
        bella.get_by_label("Where, or how to join").fill("Room 2, Civic Centre")
        bella.get_by_label("Chair").select_option(label=world.frank.display_name)
        assert_accessible(bella)
        bella.get_by_role("button", name="Arrange the meeting").click()
        expect(bella.get_by_role("heading", level=1)).to_have_text("Standards of care meeting")
        expect(bella.get_by_text("Monday 22 February 2027")).to_be_visible()
        meeting = Meeting.objects.get(proposal=proposal)
        bella.get_by_role("button", name="Add the usual invitees").click()
        expect(bella.get_by_text("Added ")).to_be_visible()
        assert_accessible(bella)
        bella.get_by_role("link", name="Send the invitations").click()
        assert_accessible(bella)
        bella.get_by_role("button", name="Send the invitations").click()
        expect(bella.get_by_text("The invitations have been sent to everyone on the list.")).to_be_visible()
        assert_accessible(bella)
        bella.context.close()

        # SOC-7, SOC-12: the SSW writes every section with the child's social worker named,
        # and submits it for QA.
        sam.goto(f"/standards-of-care/proposals/{proposal.pk}/")
        sam.get_by_role("link", name="The meeting on 22 February 2027").click()
        sam.get_by_role("link", name="Write the report").click()
        sam.get_by_label("Child's social worker writing with you").select_option(
            label=world.chris.display_name
        )
        sam.get_by_label("Investigating social worker, senior practitioner or team manager").fill(
            world.sam.display_name
        )
        for label, text in REPORT_SECTIONS.items():
            # Optional boxes: their labels end "(optional)".
            sam.get_by_label(re.compile(f"^{re.escape(label)}")).fill(text)
        assert_accessible(sam)
        sam.get_by_role("button", name="Save the draft").click()
        expect(sam.get_by_text("Draft: not yet submitted for QA")).to_be_visible()
        assert_accessible(sam)
        sam.get_by_role("link", name="Submit for QA").click()
        assert_accessible(sam)
        sam.get_by_label(
            "I confirm this report is ready for QA, and I sign it as the supervising social worker"
        ).check()
        sam.get_by_role("button", name="Sign and submit for QA").click()
        expect(sam.get_by_text("Version 1 of the report is signed and sent for QA.")).to_be_visible()
        assert_accessible(sam)

        # SOC-7: the fostering team manager QAs it.
        fiona = _signed_in(browser, live_server, world.fiona)
        fiona.goto(f"/standards-of-care/meetings/{meeting.pk}/")
        expect(fiona.get_by_text("waiting for QA by the fostering team manager")).to_be_visible()
        assert_accessible(fiona)
        fiona.get_by_role("link", name="QA the report").click()
        fiona.get_by_label(
            "I have quality assured this report and it may be sent to the chair and the carer"
        ).check()
        assert_accessible(fiona)
        fiona.get_by_role("button", name="QA the report").click()
        expect(fiona.get_by_text("Version 1 is QA'd. It can now be sent.")).to_be_visible()
        fiona.context.close()

        # SOC-7: the SSW records it sent to the chair by secure e-mail and to the carer in Safecare.
        sam.reload()
        for recipient, how, confirmed in (
            ("The chair", "Secure e-mail", "Yes"),
            ("The foster carer", "In Safecare", "No"),
        ):
            sam.get_by_role("link", name="Record the report as sent").click()
            _choose(sam, "Who was it sent to?", recipient)
            _choose(sam, "How was it shared?", how)
            _choose(sam, "Has the recipient confirmed they received it?", confirmed)
            assert_accessible(sam)
            sam.get_by_role("button", name="Record as sent").click()
            expect(sam.get_by_text("Recorded: the report was sent to ")).to_be_visible()
        assert_accessible(sam)
        sam.context.close()

        # The carer, on her phone, finds the report on her home page, says she has it and
        # answers the chair (SOC-8).
        carol.goto("/")
        carol.get_by_role("link", name=re.compile("^Read the report for your meeting on ")).click()
        expect(carol.get_by_role("heading", level=1)).to_have_text("The report for your meeting")
        expect(carol.get_by_text("Xavier goes hungry at school.")).to_be_visible()
        _carer_reads(carol)
        assert_accessible(carol)
        carol.get_by_role("link", name="Say you have received the report").click()
        carol.get_by_label("I have received the report").check()
        _carer_reads(carol)
        assert_accessible(carol)
        carol.get_by_role("button", name="Confirm").click()
        expect(carol.get_by_text("Thank you: receipt of the report is recorded.")).to_be_visible()
        _carer_reads(carol)
        assert_accessible(carol)
        carol.get_by_role("link", name="Send a response to the chair").click()
        carol.get_by_label("Your response to the chair").fill(
            "I now pack Xavier's lunch the night before. The school has seen it every day."
        )
        _carer_reads(carol)
        assert_accessible(carol)
        carol.get_by_role("button", name="Send to the chair").click()
        expect(carol.get_by_text("Your response has been sent to the chair of the meeting.")).to_be_visible()
        expect(carol.get_by_text("I now pack Xavier's lunch the night before.")).to_be_visible()
        _carer_reads(carol)
        assert_accessible(carol)
        carol.context.close()
        frank.context.close()

        # SOC-10: on the meeting day the chair refers the household to the fostering panel.
        traveller.move_to(dt.datetime(2027, 2, 22, 14, 0, tzinfo=LONDON))
        frank = _signed_in(browser, live_server, world.frank)
        frank.goto(f"/standards-of-care/meetings/{meeting.pk}/")
        expect(frank.get_by_text("I now pack Xavier's lunch the night before.")).to_be_visible()
        frank.get_by_role("link", name="Record the outcome").click()
        _choose(frank, "What did the meeting decide?", "A referral to the fostering panel")
        frank.get_by_label("The chair's summary and recommendations").fill(
            "Lunches are now packed, but this is the third concern in a year: the panel should review."
        )
        assert_accessible(frank)
        frank.get_by_role("button", name="Record the outcome").click()
        expect(frank.get_by_text("referred to the fostering panel").first).to_be_visible()
        assert_accessible(frank)
        frank.context.close()

        # SOC-10: a panel member finds the referral from her home page, reads the QA'd report
        # and records the panel's recommendation.
        traveller.move_to(dt.datetime(2027, 3, 1, 10, 0, tzinfo=LONDON))
        pat = _signed_in(browser, live_server, world.pat)
        pat.get_by_role("link", name="Referrals to the panel").click()
        assert_accessible(pat)
        pat.get_by_role("link", name=re.compile("^Patel household")).click()
        expect(pat.get_by_text("Version 1, as it was sent after QA.")).to_be_visible()
        expect(pat.get_by_text("Xavier goes hungry at school.")).to_be_visible()
        _choose(pat, "The panel's recommendation", "Deregister: approval ends")
        pat.get_by_label("Reasons").fill("Three concerns in a year about the same basic care.")
        fill_date(pat, "Date of the panel", PANEL_DAY)
        assert_accessible(pat)
        pat.get_by_role("button", name="Record the recommendation").click()
        expect(pat.get_by_text("is recorded and sent to the agency decision maker")).to_be_visible()
        assert_accessible(pat)

        # SOC-10: the agency decision maker finds it under "Decisions to make" and decides.
        adam = _signed_in(browser, live_server, world.adam)
        adam.get_by_role("link", name="Decisions to make").click()
        assert_accessible(adam)
        adam.get_by_role("link", name=re.compile("^Patel household")).click()
        expect(adam.get_by_text("Three concerns in a year about the same basic care.")).to_be_visible()
        _choose(adam, "Your decision", "Deregister: approval ends")
        adam.get_by_label("Reasons").fill("I agree with the panel.")
        assert_accessible(adam)
        adam.get_by_role("button", name="Record the decision").click()
        expect(adam.get_by_text("Your decision on ")).to_be_visible()
        expect(adam.get_by_text(f"The approval ends on {DEREGISTERS_ON}", exact=False)).to_be_visible()
        assert_accessible(adam)

        # Neither the panel member nor the decision maker reads anything else of the case.
        for page in (pat, adam):
            assert _status(page, f"/standards-of-care/concerns/{concern.pk}/") == 404
            assert _status(page, f"/standards-of-care/meetings/{meeting.pk}/") == 404
            page.context.close()

    # What the walk left in the database.
    visit = Visit.objects.get(concern=concern)
    assert visit.shared_at is not None
    assert SupportReferral.objects.filter(proposal=proposal).exists()
    assert Invitee.objects.filter(meeting=meeting, invited_at__isnull=True).count() == 0
    assert set(
        ReportSending.objects.filter(version__report__meeting=meeting).values_list("recipient", flat=True)
    ) == {
        Recipient.CHAIR,
        Recipient.CARER,
    }
    assert CarerResponse.objects.filter(meeting=meeting, sent_by=world.carol).count() == 1
    outcome = MeetingOutcome.objects.get(meeting=meeting)
    assert (outcome.kind, outcome.decided_on) == (OutcomeKind.PANEL, MEETING_DAY)
    referral = PanelReferral.objects.get(meeting=meeting)
    assert referral.referred_on == MEETING_DAY
    recommendation = PanelRecommendation.objects.get(referral=referral)
    assert (recommendation.recommendation, recommendation.panel_on) == (ApprovalChoice.DEREGISTER, PANEL_DAY)
    decision = AdmDecision.objects.get(referral=referral)
    assert (decision.decision, decision.decided_on, decision.after_review) == (
        ApprovalChoice.DEREGISTER,
        PANEL_DAY,
        False,
    )
    # SOC-10: deregistration waits 28 days for a review request; the household is approved still.
    own.refresh_from_db()
    assert own.status == HouseholdStatus.APPROVED
