"""SOC-8, SOC-9 through the pages: business support's "Meetings to arrange", the arrange form,
the invitees and invitations on the meeting's page, the service's documents, the chair's
minutes. Business support sees the meeting they arrange and nothing else of the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import Task, TaskStatus
from safecare.standards import services_meeting
from safecare.standards.duties import ARRANGE, INVITATIONS
from safecare.standards.models import (
    Arrangement,
    Concern,
    DocumentKind,
    Invitee,
    InviteeRole,
    Meeting,
    MeetingProposal,
)

from .test_arranging import arranged, asked, decided, pdf
from .test_invitations import all_documents

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = "Monday 15 March 2027"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _day(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _page(client: Any, name: str, **kwargs: Any) -> str:
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


# Asking business support, and their list ---------------------------------------------------------


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_the_ssw_asks_bella_from_the_proposal_page(today, world, client_for) -> None:
    proposal = decided(world)
    sam = client_for(world.sam)
    page = _page(sam, "standards:proposal_detail", pk=proposal.pk)
    assert "Ask business support to arrange the meeting" in page
    url = reverse("standards:arrangement_request", kwargs={"pk": proposal.pk})
    form = sam.get(url).content.decode()
    assert "Wednesday 17 March 2027" in form and "Safecare&#x27;s default" in form
    refused = sam.post(url, {"business_support": ""})
    assert refused.status_code == 200
    assert not Arrangement.objects.exists()
    sent = sam.post(url, {"business_support": str(world.bella.pk)})
    assert sent.status_code == 302
    assert Arrangement.objects.get().business_support == world.bella
    page = _page(sam, "standards:proposal_detail", pk=proposal.pk)
    assert "has been asked to arrange the meeting" in page


def test_soc8_business_supports_home_page_leads_to_meetings_to_arrange(world, client_for) -> None:
    home = _page(client_for(world.bella), "home")
    assert reverse("standards:arrangement_list") in home and "Meetings to arrange" in home
    assert "There is nothing for you to do" not in home


def _convened(world: Any, household: Any) -> MeetingProposal:
    return MeetingProposal.objects.create(
        service=world.service,
        household=household,
        proposed_on=timezone.localdate(),
        pattern=True,
        convene=True,
        decided_by=world.frank,
        decided_at=timezone.now(),
        decision_reasons="A pattern of concerns.",
    )


def _listed_queries(world: Any, client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("standards:arrangement_list"))
    assert response.status_code == 200
    return len(queries)


def test_soc8_meetings_to_arrange_shows_only_the_household_the_ssw_and_the_status(world, client_for) -> None:
    concern = Concern.objects.create(
        service=world.service,
        household=world.household_own,
        raised_by_kind="named",
        raised_by="Mrs Khan",
        received_on=timezone.localdate(),
        details="Shouting at the children at bedtime.",
        recorded_by=world.sam,
    )
    proposal = _convened(world, world.household_own)
    proposal.concerns.set([concern])
    Arrangement.objects.create(
        service=world.service, proposal=proposal, business_support=world.bella, requested_by=world.sam
    )
    bella = client_for(world.bella)
    _listed_queries(world, bella)  # the first request of a session reads it; the counts start after
    one = _listed_queries(world, bella)
    page = _page(bella, "standards:arrangement_list")
    assert "Patel household" in page and world.sam.display_name in page and "To arrange" in page
    for private in ("Shouting", "Mrs Khan", concern.reference, proposal.reference, "Xavier"):
        assert private not in page, private
    for household in (world.household_other, world.household_applicant):
        Arrangement.objects.create(
            service=world.service,
            proposal=_convened(world, household),
            business_support=world.bella,
            requested_by=world.frank,
        )
    assert _listed_queries(world, bella) == one
    page = _page(bella, "standards:arrangement_list")
    assert "Jones household" in page and "None allocated" in page


@pytest.mark.parametrize("name", ["sam", "frank", "carol", "ada"])
def test_soc8_meetings_to_arrange_is_business_supports_page(world, client_for, name) -> None:
    assert client_for(world.users[name]).get(reverse("standards:arrangement_list")).status_code == 404


# Arranging ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_bella_arranges_from_her_list_and_lands_on_the_meeting_page(today, world, client_for) -> None:
    arrangement = asked(world)
    bella = client_for(world.bella)
    url = reverse("standards:meeting_arrange", kwargs={"pk": arrangement.proposal_id})
    assert url in _page(bella, "standards:arrangement_list")
    form = {**_day("meets_on", D(2027, 3, 22)), "place": "Room 2, Civic Centre", "chair": str(world.frank.pk)}
    refused = bella.post(url, form)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "the report must reach the chair by" in body and "Room 2, Civic Centre" in body  # nothing lost
    assert not Meeting.objects.exists()
    done = bella.post(url, {**form, **_day("meets_on", D(2027, 4, 12))})
    meeting = Meeting.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "standards:meeting_detail", kwargs={"pk": meeting.pk}
    )
    assert Task.objects.get(kind=ARRANGE).status == TaskStatus.DONE
    page = _page(bella, "standards:meeting_detail", pk=meeting.pk)
    assert "Add the usual invitees" in page and "Room 2, Civic Centre" in page
    assert "Arranged for 12 April 2027" in _page(bella, "standards:arrangement_list")


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_bella_sees_nothing_of_the_case_even_of_the_household_she_arranges_for(
    today, world, client_for
) -> None:
    meeting = arranged(world)
    concern = Concern.objects.filter(household=world.household_own).first()
    assert concern is not None
    bella = client_for(world.bella)
    for name, pk in (
        ("standards:concern_detail", concern.pk),
        ("standards:route_decide", concern.pk),
        ("standards:proposal_detail", meeting.proposal_id),
        ("standards:household_list", world.household_own.pk),
        ("standards:household_visits", world.household_own.pk),
        ("households:detail", world.household_own.pk),
        ("standards:minutes_record", meeting.pk),
        ("standards:arrangement_request", meeting.proposal_id),
    ):
        assert bella.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name
    page = _page(bella, "standards:meeting_detail", pk=meeting.pk)
    assert concern.details not in page and concern.reference not in page


# Invitees and invitations on the meeting's page ---------------------------------------------------


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_the_invitations_from_the_meeting_page(today, world, client_for, mailoutbox) -> None:
    meeting = arranged(world)
    bella = client_for(world.bella)
    usual = bella.post(reverse("standards:invitees_usual", kwargs={"pk": meeting.pk}))
    assert usual.status_code == 302
    assert Invitee.objects.filter(meeting=meeting).count() == 6
    add = reverse("standards:invitee_add", kwargs={"pk": meeting.pk})
    typed = {"role": InviteeRole.SUPPORT_WORKER, "user": "", "name": "Dana Reed", "email": "dana.reed@"}
    refused = bella.post(add, typed)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "enter an e-mail address in the right format, like name@example.com (SOC-8)" in body
    assert 'value="Dana Reed"' in body  # nothing typed is lost
    assert bella.post(add, {**typed, "email": "dana.reed@fostering.example"}).status_code == 302
    send = reverse("standards:invitations_send", kwargs={"pk": meeting.pk})
    page = bella.get(send).content.decode()
    assert "upload the missing ones first: standards of care procedure, confidentiality agreement" in page
    refused = bella.post(send, {})
    assert refused.status_code == 200 and "SOC-8 every invitation goes with" in refused.content.decode()
    assert not Invitee.objects.filter(invited_at__isnull=False).exists()
    all_documents(world)
    assert bella.post(send, {}).status_code == 302
    assert Invitee.objects.filter(meeting=meeting, invited_at__isnull=True).count() == 0
    assert Task.objects.get(kind=INVITATIONS).status == TaskStatus.DONE
    assert [m.to for m in mailoutbox if m.subject == "Invitation to a meeting"] == [
        ["dana.reed@fostering.example"]
    ]
    page = _page(bella, "standards:meeting_detail", pk=meeting.pk)
    assert "Sent 15 March 2027" in page and "Not sent yet" not in page
    assert "invitations have been sent to everyone" in page


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_someone_not_yet_invited_is_taken_off_the_list(today, world, client_for) -> None:
    meeting = arranged(world)
    dana = services_meeting.invitee_add(
        actor=world.bella, meeting=meeting, role=InviteeRole.ADVOCATE, name="Dana Reed", email="d@example.org"
    )
    url = reverse("standards:invitee_remove", kwargs={"pk": dana.pk})
    bella = client_for(world.bella)
    assert "Take Dana Reed off the list" in bella.get(url).content.decode()
    assert bella.post(url, {}).status_code == 302
    assert not Invitee.objects.exists()
    assert client_for(world.carol).get(url).status_code == 404


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_the_carer_reads_who_is_invited_and_her_invitation_in_plain_words(
    today, world, client_for
) -> None:
    meeting = arranged(world)
    all_documents(world)
    services_meeting.invitees_add_usual(actor=world.bella, meeting=meeting)
    services_meeting.invitee_add(
        actor=world.bella, meeting=meeting, role=InviteeRole.ADVOCATE, name="Dana Reed", email="d@example.org"
    )
    services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    carol = client_for(world.carol)
    page = _page(carol, "standards:meeting_detail", pk=meeting.pk)
    assert "Who is invited" in page and "Dana Reed" in page
    assert "d@example.org" not in page and "Add the usual invitees" not in page
    mine = Invitee.objects.get(meeting=meeting, user=world.carol)
    invitation = _page(carol, "standards:invitation_detail", pk=mine.pk)
    assert "You are invited to a meeting about your fostering" in invitation
    assert reverse("standards:document_download", kwargs={"kind": "procedure"}) in invitation
    toms = Invitee.objects.get(meeting=meeting, user=world.tom)
    assert carol.get(reverse("standards:invitation_detail", kwargs={"pk": toms.pk})).status_code == 404
    assert (
        client_for(world.tom).get(reverse("standards:invitation_detail", kwargs={"pk": toms.pk})).status_code
        == 200
    )


# The service's documents ---------------------------------------------------------------------------


def test_soc8_documents_are_uploaded_as_pdfs_only(world, client_for) -> None:
    frank = client_for(world.frank)
    listing = _page(frank, "standards:documents_list")
    assert listing.count("Not uploaded") == 3
    url = reverse("standards:document_upload", kwargs={"kind": DocumentKind.CODE_OF_CONDUCT})
    fake = SimpleUploadedFile("conduct.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = frank.post(url, {"file": fake})
    assert refused.status_code == 200
    assert "upload a PDF; it is not a PDF (SOC-8)" in refused.content.decode()
    real = SimpleUploadedFile("conduct.pdf", pdf(), content_type="application/pdf")
    assert frank.post(url, {"file": real}).status_code == 302
    assert "conduct.pdf" in _page(frank, "standards:documents_list")
    assert client_for(world.sam).get(url).status_code == 404
    assert client_for(world.sam).get(reverse("standards:documents_list")).status_code == 404


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_a_document_is_served_only_to_staff_and_invited_carers_never_cached(
    today, world, client_for
) -> None:
    content = pdf()
    services_meeting.service_document_upload(
        actor=world.bella, kind=DocumentKind.PROCEDURE, name="procedure.pdf", content=content
    )
    url = reverse("standards:document_download", kwargs={"kind": DocumentKind.PROCEDURE})
    response = client_for(world.chris).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.carol).get(url).status_code == 404  # not invited yet
    assert client_for(world.olga).get(url).status_code == 404
    assert client_for(world.frank).get(url.replace("procedure", "unknown")).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/sign-in/")
    meeting = arranged(world)
    Invitee.objects.create(
        service=world.service,
        meeting=meeting,
        role=InviteeRole.CARER,
        user=world.carol,
        name="Carol Patel",
        invited_at=timezone.now(),
        added_by=world.bella,
    )
    assert client_for(world.carol).get(url).status_code == 200


# SOC-9: the minutes ------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc9_the_chair_records_the_minutes_from_the_meeting_page(today, world, client_for) -> None:
    meeting = arranged(world)
    url = reverse("standards:minutes_record", kwargs={"pk": meeting.pk})
    assert client_for(world.helen).get(url).status_code == 404  # a fostering manager, not the chair
    assert client_for(world.sam).get(url).status_code == 404
    today.move_to(dt.datetime(2027, 4, 20, 10, 0, tzinfo=dt.UTC))
    frank = client_for(world.frank)
    page = _page(frank, "standards:meeting_detail", pk=meeting.pk)
    assert url in page
    form = frank.get(url).content.decode()
    assert "Monday 3 May 2027" in form  # 3 weeks after Monday 12 April 2027
    refused = frank.post(url, _day("minutes_sent_on", D(2027, 4, 11)))
    assert "cannot be before the meeting (SOC-9)" in refused.content.decode()
    assert frank.post(url, _day("minutes_sent_on", D(2027, 4, 19))).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_sent_on == D(2027, 4, 19)
    assert url not in _page(frank, "standards:meeting_detail", pk=meeting.pk)
