"""An internet monitoring case walked in the browser from a carer's worry to the agreement's end
(IM-1 to IM-9), each person signing in in their own browser, the carer on a 360 px phone.

IM-1 the carer tells a worry about Xavier's internet use from her home page, and reads that his
social worker has been told; IM-2 his social worker finds the alert and assesses a significant
risk; IM-3 a strategy discussion with the children's team manager, a referral to the
Extra-Familial Risk of Harm panel and its outcome; IM-4 the evaluation naming the team manager
and the service manager, with why legal advice was taken; IM-5 a decision to monitor without
the evidence that less restrictive measures cannot reduce the risk is refused, naming the
field, with everything typed kept; IM-6 the discussion with Xavier, who has no family to
support him and is recommended an advocate; IM-7 an agreement signed by the local authority as
corporate parent cannot be recorded; Xavier signs it himself as Gillick competent; IM-8 it is
time-limited with an action plan, and the carer reads what it asks of her, not the
assessment; IM-9 its first review is due one month after it starts; IM-8 on its end date
monitoring ends by itself.

The clock: the whole walk runs under time_machine, ticking, from 10:00 on Monday 8 March 2027.
time_machine patches the clock of the whole process, so the live server's threads read the
same day as the test; the walk jumps with `move_to` between steps, when no request is in
flight. Sessions idle out over a jump, so each person after it signs in again. Every page
passes axe (WCAG 2.2 AA) at its width and at 1280 px, uses each id once, and does not scroll
sideways.
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

from safecare.core.jobs import run_scheduled_work
from safecare.core.models import Task, TaskStatus
from safecare.monitoring.duties import REVIEW
from safecare.monitoring.models import (
    Agreement,
    AgreementEnd,
    Assessment,
    Decision,
    Discussion,
    EndReason,
    Evaluation,
    Panel,
    PanelReferral,
    Review,
    ReviewOutcome,
    RiskLevel,
    Signatory,
    StrategyDiscussion,
    Worry,
)
from tests.browser.conftest import assert_accessible
from tests.browser.dates import fill_date
from tests.browser.test_household_pages import sign_in
from tests.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
PHONE = 360
START = dt.datetime(2027, 3, 8, 10, 0, tzinfo=LONDON)  # Monday 8 March 2027: the worry is told
NOTICED = dt.date(2027, 3, 6)  # Saturday 6 March 2027
AGREED = dt.datetime(2027, 3, 15, 10, 0, tzinfo=LONDON)  # Monday 15 March 2027
PANEL_OUTCOME = dt.date(2027, 3, 11)  # Thursday 11 March 2027
EVALUATED = dt.date(2027, 3, 12)  # Friday 12 March 2027
GILLICK = dt.date(2027, 3, 12)
STARTS = dt.date(2027, 3, 15)
# IM-8: time-limited: three months.
ENDS = dt.date(2027, 6, 15)  # Tuesday 15 June 2027
# IM-9: the first review one month after monitoring starts on Monday 15 March 2027.
FIRST_REVIEW = dt.date(2027, 4, 15)  # Thursday 15 April 2027
# IM-9: the next at most three months after the review held on 15 April.
NEXT_REVIEW = dt.date(2027, 7, 15)

LESS_RESTRICTIVE = "Parental controls and a phone-free bedroom since January did not stop the contact."


def _signed_in(browser: Browser, live_server: Any, user: Any, width: int = 1280) -> Page:
    """A browser context of its own for one person, signed in."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 780}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # sign_in sets up a new authenticator each time; the sign-in page checks the first one.
    TOTPDevice.objects.filter(user=user).delete()
    sign_in(page, user)
    return page


def _carer_reads(page: Page) -> None:
    """A carer on a 360 px phone reads the page without scrolling sideways, and in plain words:
    a rule id reaches her only as a small "policy reference" link, never bare."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, page.url
    words = page.locator("main").inner_text()
    references = page.locator("main a.app-policy-ref").all_inner_texts()
    for reference in references:
        words = words.replace(reference, "", 1)
    assert not re.search(r"\bIM-\d", words), f"{page.url}: {words}"
    assert_accessible(page)


def _choose(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_internet_monitoring_from_a_carers_worry_to_the_agreements_end(
    browser: Browser, live_server: Any
) -> None:
    with time_machine.travel(START, tick=True) as traveller:
        world = make_world()
        xavier = world.child_own

        # IM-1: the carer, on her phone, tells a worry from her home page.
        carol = _signed_in(browser, live_server, world.carol, width=PHONE)
        _heading(carol, "Patel household")
        carol.get_by_role("link", name="A worry about a young person's internet use").click()
        _heading(carol, "A worry about a young person's internet use")
        # Xavier is the only young person she cares for: he is chosen already.
        expect(carol.get_by_label("Xavier Smith")).to_be_checked()
        # Sent with nothing said, the page asks for each answer in plain words, on her phone.
        carol.get_by_role("button", name="Tell their social worker").click()
        summary = carol.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_count(3)
        _carer_reads(carol)
        assert not Worry.objects.exists()
        _choose(
            carol,
            "What is the worry?",
            "Their internet use puts them at substantial risk of significant harm from others",
        )
        carol.get_by_label("What have you seen or been told?").fill(
            "An adult he met in a game asks Xavier to meet him and to keep it secret."
        )
        fill_date(carol, "When did you notice it?", NOTICED)
        _carer_reads(carol)
        carol.get_by_role("button", name="Tell their social worker").click()
        _heading(carol, "Their social worker has been told")
        expect(carol.get_by_text("Xavier's social worker has been told about your worry.")).to_be_visible()
        worry = Worry.objects.get(child=xavier)
        expect(carol.get_by_text(worry.reference)).to_be_visible()
        _carer_reads(carol)

        # IM-1, IM-2: the social worker finds the alert, and the assessment due today.
        chris = _signed_in(browser, live_server, world.chris)
        expect(
            chris.get_by_role("link", name="Assess the risk in a worry about a young person's internet use")
        ).to_be_visible()
        chris.get_by_role("link", name=re.compile(r"^Alerts \(1\)")).click()
        assert_accessible(chris)
        chris.get_by_role("link", name="Worry about internet use").click()
        _heading(chris, f"Worry about internet use {worry.reference}")
        expect(chris.get_by_text("An adult he met in a game")).to_be_visible()
        assert_accessible(chris)
        chris.get_by_role("link", name="Assess the risk").click()
        fill_date(chris, "Date of the assessment", START.date())
        _choose(chris, "The young person took part", "Yes")
        chris.get_by_label("Officers who took part").fill("PC Reid, online safety officer")
        chris.get_by_label("Carers or providers who took part").fill("Carol Patel")
        chris.get_by_label("The risks found").fill(
            "Grooming by an adult stranger; Xavier has agreed to meet."
        )
        _choose(chris, "Level of risk", "A significant risk of harm")
        assert_accessible(chris)
        chris.get_by_role("button", name="Save the assessment").click()
        _heading(chris, "Internet risk assessment of Mon 8 Mar 2027")
        assert_accessible(chris)

        # IM-3: a strategy discussion with the children's team manager.
        chris.get_by_role("link", name="Record a strategy discussion").click()
        fill_date(chris, "Date of the discussion", START.date())
        chris.get_by_label("Manager").select_option(label=world.tom.display_name)
        chris.get_by_label("Outcome").fill("Refer to the EFRH panel; consider monitoring.")
        assert_accessible(chris)
        chris.get_by_role("button", name="Save the strategy discussion").click()
        expect(chris.get_by_text("The strategy discussion is recorded.")).to_be_visible()

        # IM-3: a referral to the Extra-Familial Risk of Harm panel.
        chris.get_by_role("link", name="Refer to a panel").click()
        _choose(chris, "Which panel?", "Extra-Familial Risk of Harm panel")
        fill_date(chris, "Date of the referral", START.date())
        assert_accessible(chris)
        chris.get_by_role("button", name="Save the referral").click()
        expect(chris.get_by_text("Waiting for the panel's outcome.")).to_be_visible()
        assert_accessible(chris)
        carol.context.close()
        chris.context.close()

        # A week later: the panel's outcome, the evaluation, the decision and the discussion.
        traveller.move_to(AGREED)
        chris = _signed_in(browser, live_server, world.chris)
        chris.goto(f"/children/{xavier.pk}/")
        chris.get_by_role("link", name="Internet monitoring", exact=True).click()
        _heading(chris, "Internet monitoring")
        assert_accessible(chris)
        chris.get_by_role("link", name="Mon 8 Mar 2027").click()
        chris.get_by_role("link", name="Record the outcome and minutes").click()
        chris.get_by_label("The panel's outcome").fill("Monitoring recommended while the police investigate.")
        fill_date(chris, "Date of the outcome", PANEL_OUTCOME)
        chris.get_by_label("The panel's minutes").fill("Minutes of the EFRH panel of 11 March 2027.")
        assert_accessible(chris)
        chris.get_by_role("button", name="Save the outcome").click()
        expect(chris.get_by_text("The panel's outcome and minutes are on file.")).to_be_visible()

        # IM-4: the evaluation names the team manager and the service manager.
        chris.get_by_role("link", name="Record an evaluation").click()
        fill_date(chris, "Date of the evaluation", EVALUATED)
        chris.get_by_label("Team manager").select_option(label=world.tom.display_name)
        chris.get_by_label("Service manager").select_option(label=world.sue.display_name)
        chris.get_by_label("What the evaluation found").fill("The risk is current; monitoring is justified.")
        _choose(chris, "Legal advice was taken", "Yes")
        chris.get_by_label("Why legal advice was, or was not, taken").fill(
            "Monitoring a young person's messages restricts his privacy: legal services advised."
        )
        assert_accessible(chris)
        chris.get_by_role("button", name="Save the evaluation").click()
        expect(chris.get_by_text("The evaluation is recorded.")).to_be_visible()

        # IM-5: a decision to monitor without the evidence on less restrictive measures is
        # refused, naming the field; nothing typed is lost.
        chris.get_by_role("link", name="Record a decision").click()
        _choose(chris, "Monitor the young person's internet use", "Yes")
        chris.get_by_label("Reasons").fill("Grooming by an adult; the panel recommends monitoring.")
        chris.get_by_label("Why it is legal and necessary").fill("To protect him from significant harm.")
        chris.get_by_label("Why it is reasonable and proportionate").fill("Three months, his messages only.")
        fill_date(chris, "Date of the decision", AGREED.date())
        chris.get_by_role("button", name="Save the decision").click()
        summary = chris.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_count(1)
        expect(summary.get_by_role("link")).to_have_text(
            re.compile(r"^Evidence that less restrictive measures cannot reduce the risk enough: .*\(IM-5\)$")
        )
        evidence = chris.get_by_label("Evidence that less restrictive measures cannot reduce the risk enough")
        expect(evidence).to_have_attribute("aria-invalid", "true")
        expect(
            chris.get_by_role("group", name="Monitor the young person's internet use").get_by_label("Yes")
        ).to_be_checked()
        expect(chris.get_by_label("Reasons")).to_have_value(
            "Grooming by an adult; the panel recommends monitoring."
        )
        expect(chris.get_by_label("Why it is legal and necessary")).to_have_value(
            "To protect him from significant harm."
        )
        expect(chris.get_by_label("Why it is reasonable and proportionate")).to_have_value(
            "Three months, his messages only."
        )
        expect(chris.get_by_role("group", name="Date of the decision").get_by_label("Day")).to_have_value(
            "15"
        )
        assert not Decision.objects.exists()
        assert_accessible(chris)
        summary.get_by_role("link").click()
        expect(evidence).to_be_focused()
        evidence.fill(LESS_RESTRICTIVE)
        chris.get_by_role("button", name="Save the decision").click()
        expect(chris.get_by_text("The decision is recorded. It cannot be changed.")).to_be_visible()
        assert_accessible(chris)

        # IM-6: Xavier has no family who can support him: an advocate is recommended; he wants one.
        chris.get_by_role("link", name="Record the discussion").click()
        fill_date(chris, "Date of the discussion", AGREED.date())
        chris.get_by_label("The young person's views").fill("He understands why, and wants it to be short.")
        _choose(chris, "The young person has family who can support them in this", "No")
        chris.get_by_label("An advocate was recommended to the young person").check()
        chris.get_by_label("The young person wants an advocate").check()
        assert_accessible(chris)
        chris.get_by_role("button", name="Save the discussion").click()
        expect(chris.get_by_text("The discussion is recorded.")).to_be_visible()
        chris.get_by_role("link", name="Record the advocate").click()
        chris.get_by_label("Advocate").fill("Nia Jones, Coram Voice")
        fill_date(chris, "Date the advocate was arranged", AGREED.date())
        assert_accessible(chris)
        chris.get_by_role("button", name="Save the advocate").click()
        expect(chris.get_by_text("Nia Jones, Coram Voice, arranged Mon 15 Mar 2027")).to_be_visible()

        # IM-7, IM-8: the agreement. The local authority as corporate parent never signs it.
        chris.get_by_role("link", name="Internet monitoring").click()
        chris.get_by_role("link", name="Record a monitoring agreement").click()
        _heading(chris, "Record the monitoring agreement")
        signatory = chris.get_by_role("group", name="Who signed it?")
        expect(signatory.get_by_role("radio")).to_have_count(2)
        expect(signatory).to_contain_text("Never the local authority as corporate parent")
        assert_accessible(chris)
        fill_date(chris, "Monitoring starts on", STARTS)
        fill_date(chris, "Monitoring ends on", ENDS)
        chris.get_by_label("What is monitored").fill("Messages and contacts on his phone and games console.")
        chris.get_by_label("How it is monitored").fill("The carer checks the console's contact list weekly.")
        chris.get_by_label("Who does the monitoring").fill("Carol Patel, his carer.")
        chris.get_by_label("Who sees what the monitoring finds").fill("Xavier's social worker only.")
        chris.get_by_label("Action plan to replace monitoring with positive measures").fill(
            "Weekly online safety sessions; by June Xavier manages his own contacts."
        )
        _choose(chris, "Who signed it?", Signatory.YOUNG_PERSON.label)
        fill_date(chris, "Date it was signed", STARTS)
        fill_date(chris, "Date of the Gillick competence assessment", GILLICK)
        chris.get_by_label("The Gillick competence assessment").fill(
            "He understands what is monitored, why, and that he may ask for a review."
        )
        assert_accessible(chris)
        chris.get_by_role("button", name="Record the agreement").click()
        agreement = Agreement.objects.get(child=xavier)
        expect(chris.get_by_text(f"Agreement {agreement.reference} is recorded.")).to_be_visible()
        expect(
            chris.get_by_text("IM-9: the review of the agreement is due by Thursday 15 April 2027.")
        ).to_be_visible()
        assert_accessible(chris)
        chris.context.close()

        # IM-8: the carer, on her phone, reads what the agreement asks of her, and nothing of
        # the assessment, the panel or the decision.
        carol = _signed_in(browser, live_server, world.carol, width=PHONE)
        expect(
            carol.get_by_role("link", name="Read the internet monitoring agreement for Xavier")
        ).to_be_visible()
        _carer_reads(carol)
        carol.get_by_role("link", name="Xavier", exact=True).click()
        _carer_reads(carol)
        carol.get_by_role("link", name="Internet monitoring", exact=True).click()
        _heading(carol, "Internet monitoring")
        expect(carol.get_by_text("Messages and contacts on his phone and games console.")).to_be_visible()
        expect(carol.get_by_text("The carer checks the console's contact list weekly.")).to_be_visible()
        expect(carol.get_by_text("Tue 15 Jun 2027, or earlier if a review says so")).to_be_visible()
        expect(carol.get_by_text("Weekly online safety sessions")).to_be_visible()
        page_text = carol.locator("main").inner_text()
        for secret in (
            "Grooming by an adult stranger",  # the assessment
            "Minutes of the EFRH panel",  # the panel
            "monitoring is justified",  # the evaluation
            LESS_RESTRICTIVE,  # the decision
            "He understands what is monitored",  # the Gillick competence assessment
        ):
            assert secret not in page_text, secret
        _carer_reads(carol)
        carol.context.close()

        # IM-9: a month later the first review is due, in the social worker's tasks.
        traveller.move_to(dt.datetime(2027, 4, 15, 10, 0, tzinfo=LONDON))
        chris = _signed_in(browser, live_server, world.chris)
        chris.get_by_role("link", name="My tasks").click()
        due_today = chris.get_by_role("region", name="Tasks due today")
        row = due_today.get_by_role("row").filter(has_text="Xavier Smith").filter(has_text="IM-9")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Thu 15 Apr 2027")
        assert_accessible(chris)
        chris.goto(f"/children/{xavier.pk}/internet-monitoring/")
        chris.get_by_role("link", name=f"Record a review of {agreement.reference}").click()
        expect(chris.get_by_text("This review was due by Thu 15 Apr 2027")).to_be_visible()
        fill_date(chris, "Date of the review", FIRST_REVIEW)
        _choose(chris, "Did the young person take part?", "Yes")
        chris.get_by_label("Everyone else who took part").fill("Carol Patel; Nia Jones, advocate")
        _choose(chris, "What did the review decide?", ReviewOutcome.CONTINUE.label)
        chris.get_by_label("What the review found").fill("No contact from the adult since March.")
        assert_accessible(chris)
        chris.get_by_role("button", name="Record the review").click()
        expect(chris.get_by_text("The review is recorded. The next review is in your tasks.")).to_be_visible()
        expect(chris.get_by_text("Next review due: Thu 15 Jul 2027")).to_be_visible()
        assert_accessible(chris)
        chris.context.close()

        # IM-8: on its end date monitoring ends by itself, at the start of the day.
        traveller.move_to(dt.datetime(2027, 6, 15, 9, 0, tzinfo=LONDON))
        assert run_scheduled_work() >= 1
        chris = _signed_in(browser, live_server, world.chris)
        chris.goto(f"/children/{xavier.pk}/internet-monitoring/")
        section = chris.get_by_role("region", name=re.compile(f"^{agreement.reference}:"))
        expect(section.get_by_role("heading", level=3)).to_contain_text("Ended Tue 15 Jun 2027")
        expect(section).to_contain_text("Tue 15 Jun 2027: Its end date came")
        expect(chris.get_by_role("link", name=f"Record a review of {agreement.reference}")).to_have_count(0)
        assert_accessible(chris)
        carol = _signed_in(browser, live_server, world.carol, width=PHONE)
        expect(
            carol.get_by_role("link", name="Read the internet monitoring agreement for Xavier")
        ).to_have_count(0)
        carol.goto(f"/children/{xavier.pk}/internet-monitoring/")
        expect(
            carol.get_by_text("There is no agreement to watch Xavier's internet use at the moment.")
        ).to_be_visible()
        expect(carol.get_by_text("Messages and contacts on his phone")).to_have_count(0)
        _carer_reads(carol)
        carol.context.close()
        chris.context.close()

    # What the walk left in the database.
    assessment = Assessment.objects.get(worry=worry)
    assert (assessment.level, assessment.assessed_on) == (RiskLevel.SIGNIFICANT, START.date())
    assert StrategyDiscussion.objects.get(assessment=assessment).manager == world.tom
    referral = PanelReferral.objects.get(assessment=assessment)
    assert (referral.panel, referral.outcome_on) == (Panel.EFRH, PANEL_OUTCOME)
    evaluation = Evaluation.objects.get(assessment=assessment)
    assert (evaluation.team_manager, evaluation.service_manager) == (world.tom, world.sue)
    decision = Decision.objects.get(child=xavier)
    assert decision.monitor and decision.less_restrictive_evidence == LESS_RESTRICTIVE
    discussion = Discussion.objects.get(decision=decision)
    assert (discussion.family_support, discussion.advocate_offered) == (False, True)
    assert discussion.advocate_arranged_on == AGREED.date()
    agreement.refresh_from_db()
    assert agreement.decision == decision
    assert (agreement.signatory, agreement.gillick_assessed_on) == (Signatory.YOUNG_PERSON, GILLICK)
    assert (agreement.starts_on, agreement.ends_on) == (STARTS, ENDS)
    end = AgreementEnd.objects.get(agreement=agreement)
    assert (end.reason, end.ended_on, end.recorded_by) == (EndReason.END_DATE, ENDS, None)
    review = Review.objects.get(agreement=agreement)
    assert (review.held_on, review.outcome) == (FIRST_REVIEW, ReviewOutcome.CONTINUE)
    # IM-9: the review due three months after the one held was cancelled when the agreement ended.
    reviews = Task.objects.filter(child=xavier, kind=REVIEW).order_by("due_on")
    assert [(t.due_on, t.status) for t in reviews] == [
        (FIRST_REVIEW, TaskStatus.DONE),
        (NEXT_REVIEW, TaskStatus.CANCELLED),
    ]
