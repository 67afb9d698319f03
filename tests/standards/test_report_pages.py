"""The meeting report's pages (SOC-7, SOC-8, SOC-12): written, submitted, QA'd, sent, read by the
carer, answered; refusals name the field and the rule and nothing typed is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from safecare.standards import services
from safecare.standards import services_report as report_services
from safecare.standards.models import (
    CarerResponse,
    MeetingReport,
    ReceiptConfirmation,
    Recipient,
    ReportSending,
    SharedHow,
)
from tests.pdftext import pdf_pages

from .conftest import soc_concern
from .test_report import MEETING_DAY, WRITTEN

pytestmark = pytest.mark.django_db

D = dt.date


def _meeting(world: Any) -> Any:
    for day in (D(2026, 11, 2), D(2027, 1, 4), D(2027, 3, 1)):
        soc_concern(world, day)
    proposal = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 22))
    services.proposal_decide(actor=world.frank, proposal=proposal, convene=True, reasons="Three in a year")
    return services.meeting_arrange(
        actor=world.sam,
        proposal=proposal,
        meets_on=MEETING_DAY,
        place="Council House, room 2",
        chair=world.frank,
    )


def _url(name: str, pk: int) -> str:
    return reverse(f"standards:{name}", kwargs={"pk": pk})


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_ssw_writes_submits_and_the_team_manager_qas_through_the_pages(
    today, world, client_for
) -> None:
    meeting = _meeting(world)
    sam = client_for(world.sam)
    page = sam.get(_url("meeting_detail", meeting.pk)).content.decode()
    assert "Write the report" in page and "Not started" in page

    typed = {**WRITTEN, "analysis": "", "csw": str(world.chris.pk), "investigator": "Sam, SSW"}
    assert sam.post(_url("report_edit", meeting.pk), typed).status_code == 302
    report = MeetingReport.objects.get()
    assert (report.csw, report.reason) == (world.chris, WRITTEN["reason"])

    refused = sam.post(_url("report_submit", meeting.pk), {"confirm": "on"})
    text = refused.content.decode()
    assert refused.status_code == 200
    assert (
        "Analysis of the foster carers&#x27; suitability and competency: write this section before the report goes to QA (SOC-7)"
        in text
    )

    sam.post(_url("report_edit", meeting.pk), {**typed, "analysis": WRITTEN["analysis"]})
    done = sam.post(_url("report_submit", meeting.pk), {"confirm": "on"}, follow=True)
    version = report.versions.get()
    assert done.redirect_chain[-1][0] == _url("report_version", version.pk)
    assert "Version 1 of the report is signed and sent for QA." in done.content.decode()

    # Not QA'd: nothing can be sent, and the page offers no way to.
    assert "Record the report as sent" not in sam.get(_url("report_version", version.pk)).content.decode()
    refused_send = sam.post(
        _url("report_send", version.pk),
        {
            "recipient": "chair",
            "how": "secure_email",
            "receipt_confirmed": "no",
            "sent_on_day": "22",
            "sent_on_month": "3",
            "sent_on_year": "2027",
        },
    )
    assert (
        "the report cannot be sent before the fostering team manager has QA&#x27;d it"
        in refused_send.content.decode()
    )
    assert not ReportSending.objects.exists()

    fiona = client_for(world.fiona)
    assert fiona.post(_url("report_qa", version.pk), {}).status_code == 200  # the box not ticked
    fiona.post(_url("report_qa", version.pk), {"confirm": "on"})
    assert report_services.is_qa_done(version)

    sent = sam.post(
        _url("report_send", version.pk),
        {
            "recipient": "carer",
            "how": "app",
            "receipt_confirmed": "no",
            "sent_on_day": "22",
            "sent_on_month": "3",
            "sent_on_year": "2027",
        },
    )
    assert sent.status_code == 302
    assert ReportSending.objects.get().recipient == Recipient.CARER


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_soc8_the_carer_reads_the_report_confirms_receipt_and_answers_the_chair(
    today, world, client_for
) -> None:
    meeting = _meeting(world)
    carol = client_for(world.carol)
    page = carol.get(_url("meeting_detail", meeting.pk)).content.decode()
    assert "will share the report with you at least 10 days before the meeting" in page

    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    assert carol.get(_url("report_version", version.pk)).status_code == 404  # not sent to her yet
    report_services.report_qa(actor=world.fiona, version=version)
    sending = report_services.report_send(
        actor=world.sam, version=version, recipient=Recipient.CARER, how=SharedHow.APP
    )

    read = carol.get(_url("report_version", version.pk)).content.decode()
    assert "The report for your meeting" in read
    assert WRITTEN["worried_about"] in read
    assert "Chronology of previous relevant concerns" in read
    assert "SOC-" not in read.split("<main")[1]  # carers read plain English
    assert carol.get(_url("report_version_pdf", version.pk)).status_code == 404  # read here, not downloaded

    carol.post(_url("receipt_confirm", sending.pk), {"confirm": "on"})
    assert ReceiptConfirmation.objects.get().recorded_by == world.carol

    empty = carol.post(_url("carer_response", meeting.pk), {"text": ""})
    assert (
        "Enter your response to the chair" in empty.content.decode()
        or "Your response" in empty.content.decode()
    )
    carol.post(_url("carer_response", meeting.pk), {"text": "The lunches were packed from March."})
    assert CarerResponse.objects.get().text == "The lunches were packed from March."
    chair_page = client_for(world.frank).get(_url("meeting_detail", meeting.pk)).content.decode()
    assert "The lunches were packed from March." in chair_page


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_soc12_the_pdf_has_every_section_the_chronology_and_the_signatures(
    today, world, client_for
) -> None:
    meeting = _meeting(world)
    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    report_services.report_qa(actor=world.fiona, version=version)
    response = client_for(world.fiona).get(_url("report_version_pdf", version.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = " ".join(pdf_pages(response.content))
    order = [
        "Foster carers",
        "Date concerns raised",
        "Reason for the report",
        "Overview of the fostering career",
        "Chronology of previous relevant concerns",
        "Investigation",
        "Consultation with the foster carers and others",
        "Current situation and impact on the children in placement",
        "Analysis of the foster carers' suitability and competency",
        "What's working well?",
        "What are we worried about?",
        "What needs to happen next?",
        "Appendices",
        "Signatures",
    ]
    positions = [text.find(heading) for heading in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert "fostering team manager (QA)" in text
    assert "raised by anonymous" in text


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_who_reaches_the_report_pages(today, world, client_for) -> None:
    meeting = _meeting(world)
    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    # The CSW not named, business support, panel and the other household's carer: as if it did not exist.
    for outsider in (world.chris, world.tom, world.bella, world.pat, world.adam, world.oscar):
        assert client_for(outsider).get(_url("report_version", version.pk)).status_code == 404, outsider
        assert client_for(outsider).get(_url("report_edit", meeting.pk)).status_code == 404, outsider
    report_services.report_save(actor=world.sam, meeting=meeting, values={"csw": world.chris})
    chris = client_for(world.chris)
    assert chris.get(_url("report_edit", meeting.pk)).status_code == 200
    assert chris.get(_url("report_version", version.pk)).status_code == 200
    # Named on the report, the CSW still reads nothing else of the procedure (rules: Who sees what).
    concern = meeting.proposal.concerns.first()
    assert chris.get(_url("concern_detail", concern.pk)).status_code == 404


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_the_meeting_and_report_pages_cost_the_same_queries_whatever_the_history(
    today, world, client_for
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = _meeting(world)
    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    report_services.report_qa(actor=world.fiona, version=version)
    report_services.report_send(
        actor=world.sam, version=version, recipient=Recipient.CARER, how=SharedHow.APP
    )
    sam = client_for(world.sam)
    pages = (_url("meeting_detail", meeting.pk), _url("report_version", version.pk))

    def counts() -> list[int]:
        found = []
        for path in pages:
            sam.get(path)  # warm: the session and the caches settle
            with CaptureQueriesContext(connection) as queries:
                assert sam.get(path).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    # Years more history: concerns, sendings with receipts, the carer's responses.
    for year in range(2010, 2020):
        soc_concern(world, D(year, 5, 3))
    for _ in range(5):
        sending = report_services.report_send(
            actor=world.sam,
            version=version,
            recipient=Recipient.CHAIR,
            how=SharedHow.SECURE_EMAIL,
            receipt_confirmed=True,
        )
        assert sending.receipt
        report_services.carer_response_send(actor=world.carol, meeting=meeting, text="More to say.")
    assert counts() == before


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_carers_things_to_do_lead_her_to_the_report_then_to_the_chair(
    today, world, client_for
) -> None:
    meeting = _meeting(world)
    carol = client_for(world.carol)
    assert "Read the report for your meeting" not in carol.get("/").content.decode()
    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    report_services.report_qa(actor=world.fiona, version=version)
    sending = report_services.report_send(
        actor=world.sam, version=version, recipient=Recipient.CARER, how=SharedHow.APP
    )
    home = carol.get("/").content.decode()
    assert "Read the report for your meeting on Monday 12 April 2027, and say you have received it" in home
    assert _url("report_version", version.pk) in home
    report_services.receipt_confirm(actor=world.carol, sending=sending)
    home = carol.get("/").content.decode()
    assert "Read the report for your meeting" not in home
    assert "send the chair your response to the report before your meeting on Monday 12 April 2027" in home
    today.move_to(dt.datetime(2027, 4, 13, 10, 0, tzinfo=dt.UTC))
    assert "your meeting on Monday 12 April 2027" not in carol.get("/").content.decode()


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc6_the_ssw_finds_the_fostering_network_referral_on_the_decided_proposal(
    today, world, client_for
) -> None:
    meeting = _meeting(world)
    proposal_url = _url("proposal_detail", meeting.proposal.pk)
    page = client_for(world.sam).get(proposal_url).content.decode()
    assert _url("support_create", meeting.proposal.pk) in page
    services.support_referral_record(
        actor=world.sam, proposal=meeting.proposal, how="E-mail to the Fostering Network"
    )
    page = client_for(world.sam).get(proposal_url).content.decode()
    assert "Referred to the Fostering Network for an independent support worker on 22 March 2027" in page


@pytest.mark.parametrize("today", ["Monday 22 March 2027"], indirect=True)
def test_soc7_the_report_reads_dates_as_dates_and_names_the_children_placed_since_the_first_concern(
    today, world, client_for
) -> None:
    # The concerns were received from 2 November 2026; Xavier was placed before and is placed now.
    meeting = _meeting(world)
    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    facts = version.content["facts"]
    assert [m["name"] for m in facts["members"] if m["relationship"] == "Child in placement"] == [
        "Xavier Smith"
    ]
    assert facts["csws"] == [world.chris.display_name]
    page = client_for(world.sam).get(_url("report_version", version.pk)).content.decode()
    assert "Monday 2 November 2026, Monday 4 January 2027, Monday 1 March 2027" in page
    assert "2026-11-02" not in page
