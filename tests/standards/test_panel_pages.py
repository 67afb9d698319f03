"""SOC-10 pages: the chair's outcome form from the meeting's page, the panel's list and referral
page (the report sent, the chair's summary, the recommendation), the ADM's "Decisions to make"
and decision, and the fostering manager's record of a review request. Panel members and the
agency decision maker see nothing else of the case: 404 everywhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safecare.core.models import AccessLog
from safecare.standards.models import (
    REPORT_SECTIONS,
    AdmDecision,
    ApprovalChoice,
    MeetingOutcome,
    MeetingReport,
    OutcomeKind,
    PanelRecommendation,
    PanelReferral,
    Recipient,
    ReportSending,
    ReportVersion,
    ReviewRequest,
    SharedHow,
)
from tests.security.table_standards_panel import make_referral

from .test_outcome import ARRANGED, MEETS_ON, arranged, at

pytestmark = pytest.mark.django_db

D = dt.date


def _day(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _page(response: Any) -> str:
    return response.content.decode()


# The outcome, from the meeting's page ---------------------------------------------------------


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_before_the_meeting_the_outcome_is_refused_on_its_date_with_the_summary_kept(
    today, world, client_for
) -> None:
    meeting = arranged(world)
    frank = client_for(world.frank)
    page = _page(frank.get(f"/standards-of-care/meetings/{meeting.pk}/"))
    assert "The chair records the outcome on or after the day of the meeting." in page
    response = frank.post(
        f"/standards-of-care/meetings/{meeting.pk}/outcome/",
        {
            "kind": "no_further_action",
            "summary": "All resolved at the meeting.",
            **_day("decided_on", D(2027, 4, 2)),
        },
    )
    body = _page(response)
    assert response.status_code == 200
    assert "SOC-10 the outcome is recorded on or after the meeting on Monday 12 April 2027" in body
    assert "All resolved at the meeting." in body
    assert not MeetingOutcome.objects.exists()


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_chair_refers_the_household_to_the_panel_from_the_meeting_page(
    today, world, client_for
) -> None:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    frank = client_for(world.frank)
    url = f"/standards-of-care/meetings/{meeting.pk}/"
    assert f'href="{url}outcome/"' in _page(frank.get(url))
    assert f'href="{url}outcome/"' not in _page(client_for(world.helen).get(url))  # not the chair
    assert client_for(world.helen).get(f"{url}outcome/").status_code == 404
    response = frank.post(
        f"{url}outcome/",
        {
            "kind": "panel",
            "summary": "The panel should consider suitability.",
            **_day("decided_on", MEETS_ON),
        },
        follow=True,
    )
    referral = PanelReferral.objects.get()
    page = _page(response)
    assert "The panel should consider suitability." in page
    assert f'href="/standards-of-care/panel/{referral.pk}/"' in page
    assert "Waiting for the panel&#x27;s recommendation" in page
    # The carer reads what the meeting decided, in plain words.
    carer_page = _page(client_for(world.carol).get(url))
    assert "What the meeting decided" in carer_page
    assert "The panel should consider suitability." in carer_page
    assert "/standards-of-care/panel/" not in carer_page


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_an_action_for_someone_else_is_refused_on_its_row_and_nothing_typed_is_lost(
    today, world, client_for
) -> None:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    frank = client_for(world.frank)
    url = f"/standards-of-care/meetings/{meeting.pk}/outcome/"
    form = _page(frank.get(url))
    assert "Carol" in form and "Sam" in form and "Fiona" not in form  # the household's carers and SSW
    response = frank.post(
        url,
        {
            "kind": "actions",
            "summary": "A plan for bedtimes.",
            **_day("decided_on", MEETS_ON),
            "action_1_what": "Attend the managing behaviour course",
            "action_1_owner": str(world.carol.pk),
            **_day("action_1_due_on", MEETS_ON),
        },
    )
    body = _page(response)
    assert "Action 1 must be due after the meeting on Monday 12 April 2027 (SOC-10)" in body
    assert "Attend the managing behaviour course" in body and "A plan for bedtimes." in body
    response = frank.post(
        url,
        {
            "kind": "actions",
            "summary": "A plan for bedtimes.",
            **_day("decided_on", MEETS_ON),
            "action_1_what": "Attend the managing behaviour course",
            "action_1_owner": str(world.carol.pk),
            **_day("action_1_due_on", D(2027, 5, 10)),
        },
        follow=True,
    )
    assert "Attend the managing behaviour course" in _page(response)
    assert MeetingOutcome.objects.get().kind == OutcomeKind.ACTIONS


# The panel -------------------------------------------------------------------------------------


def _report(world: Any, referral: PanelReferral) -> ReportVersion:
    """The report of the referred meeting, frozen as version 1 and sent to the chair (SOC-7)."""
    report = MeetingReport.objects.create(
        service=world.service, meeting=referral.meeting, started_by=world.sam
    )
    sections = {name: f"Written for {name}." for name in REPORT_SECTIONS}
    sections["reason"] = "Three concerns about lunches and bedtimes."
    version = ReportVersion.objects.create(
        service=world.service,
        report=report,
        number=1,
        content={
            "sections": sections,
            "chronology": [{"date": "1 March 2027", "event": "Concern", "action": "Visit"}],
        },
        submitted_by=world.sam,
    )
    ReportSending.objects.create(
        service=world.service,
        version=version,
        recipient=Recipient.CHAIR,
        recipient_name="Frank",
        how=SharedHow.APP,
        sent_on=referral.referred_on,
        sent_by=world.sam,
    )
    return version


def test_soc10_the_panel_reads_the_report_sent_and_the_summary_and_records_its_recommendation(
    world, client_for
) -> None:
    today = timezone.localdate()
    referral = make_referral(world, world.household_own, world.frank, today - dt.timedelta(days=5))
    pat = client_for(world.pat)
    assert "No report" in _page(pat.get(f"/standards-of-care/panel/{referral.pk}/"))
    _report(world, referral)
    page = _page(pat.get(f"/standards-of-care/panel/{referral.pk}/"))
    assert "Three concerns about lunches and bedtimes." in page
    assert "Overview of the fostering career" in page and "Written for career." in page
    assert "The carers&#x27; suitability is in question." in page
    assert "Record the recommendation" in page
    assert AccessLog.objects.filter(
        user=world.pat, subject_type="household", subject_id=world.household_own.pk
    ).exists()
    refused = pat.post(
        f"/standards-of-care/panel/{referral.pk}/recommend/",
        {
            "recommendation": "deregister",
            "reasons": "Plan not kept.",
            **_day("panel_on", today - dt.timedelta(days=6)),
        },
    )
    assert "it cannot be before the referral on" in _page(refused) and "Plan not kept." in _page(refused)
    response = pat.post(
        f"/standards-of-care/panel/{referral.pk}/recommend/",
        {"recommendation": "deregister", "reasons": "Plan not kept.", **_day("panel_on", today)},
    )
    assert response.status_code == 302
    assert PanelRecommendation.objects.get().recommendation == ApprovalChoice.DEREGISTER


def test_soc10_the_panels_list_shows_each_referral_of_the_service_in_constant_queries(
    world, client_for
) -> None:
    today = timezone.localdate()
    make_referral(world, world.household_own, world.frank, today - dt.timedelta(days=20))
    pat = client_for(world.pat)
    pat.get("/standards-of-care/panel/")
    with CaptureQueriesContext(connection) as one:
        first = _page(pat.get("/standards-of-care/panel/"))
    assert "Patel household" in first and "Waiting for the panel&#x27;s recommendation" in first
    make_referral(world, world.household_other, world.frank, today - dt.timedelta(days=15), panel=world.pat)
    make_referral(
        world,
        world.household_other,
        world.frank,
        today - dt.timedelta(days=10),
        panel=world.pat,
        adm=world.adam,
        decision=ApprovalChoice.CONTINUE,
    )
    make_referral(world, world.household_south, world.olga, today - dt.timedelta(days=5))
    with CaptureQueriesContext(connection) as four:
        page = _page(pat.get("/standards-of-care/panel/"))
    assert len(four.captured_queries) == len(one.captured_queries)
    assert page.count("Jones household") == 2 and "Southern household" not in page
    assert "Waiting for the agency decision maker" in page and "Decided: Approval continues" in page
    # The household's readers see their households' referrals: sam, not the Jones household's.
    sam_page = _page(client_for(world.sam).get("/standards-of-care/panel/"))
    assert "Patel household" in sam_page and "Jones household" not in sam_page


def test_soc10_the_adm_decides_from_decisions_to_make_in_constant_queries(world, client_for) -> None:
    today = timezone.localdate()
    waiting = make_referral(
        world, world.household_own, world.frank, today - dt.timedelta(days=9), panel=world.pat
    )
    make_referral(world, world.household_other, world.frank, today - dt.timedelta(days=8))  # not recommended

    def decided(days: int) -> None:
        make_referral(
            world,
            world.household_other,
            world.frank,
            today - dt.timedelta(days=days),
            panel=world.pat,
            adm=world.adam,
            decision=ApprovalChoice.CHANGE_TERMS,
        )

    decided(7)
    adam = client_for(world.adam)
    adam.get("/standards-of-care/decisions/")
    with CaptureQueriesContext(connection) as few:
        page = _page(adam.get("/standards-of-care/decisions/"))
    assert "Patel household" in page
    for days in (6, 5):
        decided(days)
    make_referral(world, world.household_other, world.frank, today - dt.timedelta(days=4), panel=world.pat)
    with CaptureQueriesContext(connection) as many:
        page = _page(adam.get("/standards-of-care/decisions/"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("Decided: Approval continues on changed terms") == 3
    response = adam.post(
        f"/standards-of-care/panel/{waiting.pk}/decide/",
        {"decision": "deregister", "reasons": "I agree with the panel.", **_day("decided_on", today)},
        follow=True,
    )
    body = _page(response)
    assert AdmDecision.objects.get(referral=waiting).decision == ApprovalChoice.DEREGISTER
    assert "unless the carer asks for an independent review" in body
    assert "Patel household" not in _page(adam.get("/standards-of-care/decisions/")).split("<h2")[0]


def test_soc10_the_fostering_manager_records_the_review_request_on_the_referral_page(
    world, client_for
) -> None:
    today = timezone.localdate()
    referral = make_referral(
        world,
        world.household_own,
        world.frank,
        today - dt.timedelta(days=9),
        panel=world.pat,
        adm=world.adam,
        decision=ApprovalChoice.DEREGISTER,
    )
    frank = client_for(world.frank)
    page = _page(frank.get(f"/standards-of-care/panel/{referral.pk}/"))
    assert "It is not a complaint." in page
    assert "Record the request for a review" not in _page(
        client_for(world.sam).get(f"/standards-of-care/panel/{referral.pk}/")
    )
    response = frank.post(
        f"/standards-of-care/panel/{referral.pk}/review/",
        {"note": "By letter.", **_day("received_on", today)},
        follow=True,
    )
    assert "Review asked for: waiting for the decision after the review" in _page(response)
    assert ReviewRequest.objects.get().recorded_by == world.frank
    again = frank.post(
        f"/standards-of-care/panel/{referral.pk}/review/", {"note": "Twice.", **_day("received_on", today)}
    )
    assert "the carer&#x27;s request for a review is already recorded" in _page(again)
    # The ADM's decision now is the one after the review.
    assert "Your decision after the review" in _page(
        client_for(world.adam).get(f"/standards-of-care/panel/{referral.pk}/")
    )


# Nothing else of the case ----------------------------------------------------------------------


def test_soc10_panel_members_and_the_adm_get_404_on_every_other_page_of_the_case(world, client_for) -> None:
    today = timezone.localdate()
    referral = make_referral(
        world, world.household_own, world.frank, today - dt.timedelta(days=9), panel=world.pat
    )
    meeting = referral.meeting
    household = world.household_own.pk
    for user in (world.pat, world.adam):
        client = client_for(user)
        assert client.get(f"/standards-of-care/panel/{referral.pk}/").status_code == 200
        for url in (
            f"/households/{household}/",
            f"/households/{household}/standards-of-care/",
            f"/households/{household}/standards-of-care/visits/",
            f"/households/{household}/standards-of-care/new/",
            f"/standards-of-care/meetings/{meeting.pk}/",
            f"/standards-of-care/meetings/{meeting.pk}/outcome/",
            f"/standards-of-care/proposals/{meeting.proposal_id}/",
            f"/children/{world.child_own.pk}/",
        ):
            assert client.get(url).status_code == 404, (user.username, url)
    # Each to their own list: 404 on the other's.
    assert client_for(world.pat).get("/standards-of-care/decisions/").status_code == 404
    assert client_for(world.adam).get("/standards-of-care/panel/").status_code == 404
    assert client_for(world.carol).get(f"/standards-of-care/panel/{referral.pk}/").status_code == 404
    assert client_for(world.chris).get(f"/standards-of-care/panel/{referral.pk}/").status_code == 404


def test_soc10_panel_members_and_the_adm_find_their_lists_on_their_home_page(world, client_for) -> None:
    assert 'href="/standards-of-care/panel/"' in _page(client_for(world.pat).get("/"))
    assert 'href="/standards-of-care/decisions/"' in _page(client_for(world.adam).get("/"))
