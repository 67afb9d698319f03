"""SOC-8, SOC-9 through /api/v1/: the same scopes and rules as the pages. Business support reads
the arrangement and the meeting they are asked to arrange, and nothing else of the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safecare.core.models import AccessLog
from safecare.standards import services_meeting
from safecare.standards.models import Invitee, InviteeRole, Meeting
from tests.api.helpers import send

from .test_arranging import arranged, decided
from .test_invitations import all_documents

pytestmark = pytest.mark.django_db

API = "/api/v1"
MONDAY = "Monday 15 March 2027"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_asked_through_the_api_bella_reads_only_the_arrangement_and_arranges_it(
    today, world, client_for
) -> None:
    proposal = decided(world)
    sam, bella = client_for(world.sam), client_for(world.bella)
    refused = send(
        sam, "POST", f"{API}/soc-arrangements/", {"proposal": proposal.pk, "business_support": None}
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "business_support": [
            "Business support officer: choose an active business support officer of the service (SOC-8)"
        ]
    }
    created = send(
        sam, "POST", f"{API}/soc-arrangements/", {"proposal": proposal.pk, "business_support": world.bella.pk}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["household_name"], body["business_support"], body["meeting"]) == (
        "Patel household",
        world.bella.pk,
        None,
    )
    assert _ids(bella.get(f"{API}/soc-arrangements/")) == [body["id"]]
    assert _ids(client_for(world.carol).get(f"{API}/soc-arrangements/")) == []
    assert client_for(world.chris).get(f"{API}/soc-arrangements/{body['id']}/").status_code == 404
    # Nothing else of the case.
    assert _ids(bella.get(f"{API}/soc-concerns/")) == []
    assert _ids(bella.get(f"{API}/soc-meeting-proposals/")) == []
    # SOC-7: too soon for the report's notice, refused naming the field.
    arrange = {"proposal": proposal.pk, "meets_on": "2027-03-22", "place": "Room 2", "chair": world.frank.pk}
    too_soon = send(bella, "POST", f"{API}/soc-meetings/", arrange)
    assert too_soon.status_code == 400
    assert too_soon.json()["meets_on"][0].startswith(
        "Date of the meeting: SOC-7 the report must reach the chair"
    )
    made = send(bella, "POST", f"{API}/soc-meetings/", {**arrange, "meets_on": "2027-04-12"})
    assert made.status_code == 201, made.content
    meeting = made.json()
    assert (meeting["meets_on"], meeting["chair"], meeting["arranged_by"], meeting["invitations_sent"]) == (
        "2027-04-12",
        world.frank.pk,
        world.bella.pk,
        False,
    )
    assert bella.get(f"{API}/soc-arrangements/{body['id']}/").json()["meeting"] == meeting["id"]
    read = bella.get(f"{API}/soc-meetings/{meeting['id']}/")
    assert read.status_code == 200
    log = AccessLog.objects.filter(user=world.bella, via_api=True).latest("id")
    assert (log.subject_type, log.subject_id) == ("household", world.household_own.pk)


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_business_support_not_asked_cannot_arrange_through_the_api(today, world, client_for) -> None:
    proposal = decided(world)
    body = {"proposal": proposal.pk, "meets_on": "2027-04-12", "place": "Room 2", "chair": world.frank.pk}
    assert send(client_for(world.bella), "POST", f"{API}/soc-meetings/", body).status_code == 404
    assert send(client_for(world.chris), "POST", f"{API}/soc-meetings/", body).status_code == 404
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_invitees_and_invitations_through_the_api(today, world, client_for, mailoutbox) -> None:
    meeting = arranged(world)
    bella = client_for(world.bella)
    invitees = f"{API}/soc-invitees/"
    wrong = send(
        bella,
        "POST",
        invitees,
        {"meeting": meeting.pk, "role": "advocate", "name": "Dana Reed", "email": "dana@"},
    )
    assert wrong.status_code == 400
    assert wrong.json() == {
        "email": [
            "E-mail address: enter an e-mail address in the right format, like name@example.com (SOC-8)"
        ]
    }
    foreign = send(bella, "POST", invitees, {"meeting": meeting.pk, "role": "ssw", "user": world.olga.pk})
    assert foreign.json() == {"user": ["Person: choose an active account of the service (SOC-8)"]}
    chair = send(bella, "POST", invitees, {"meeting": meeting.pk, "role": "chair", "user": world.frank.pk})
    assert chair.status_code == 201, chair.content
    dana = send(
        bella,
        "POST",
        invitees,
        {"meeting": meeting.pk, "role": "advocate", "name": "Dana Reed", "email": "dana@advocacy.example"},
    ).json()
    sent = f"{API}/soc-meetings/{meeting.pk}/send-invitations/"
    no_carer = send(bella, "POST", sent)
    assert no_carer.status_code == 400
    assert no_carer.json()["invitees"] == ["Invitees: SOC-8 the foster carer must be invited"]
    assert "documents" in no_carer.json()
    send(bella, "POST", invitees, {"meeting": meeting.pk, "role": "carer", "user": world.carol.pk})
    all_documents(world)
    # The carer reads who is invited, without a contact's e-mail address.
    carols = client_for(world.carol).get(invitees, {"meeting": meeting.pk}).json()["results"]
    assert {row["email"] for row in carols} == {""}
    assert client_for(world.chris).get(invitees).json()["results"] == []
    went = send(bella, "POST", sent)
    assert went.status_code == 200, went.content
    assert {row["name"] for row in went.json()} == {
        world.frank.display_name,
        "Dana Reed",
        world.carol.display_name,
    }
    assert all(len(row["documents"]) == 3 and row["invited_at"] for row in went.json())
    assert [m.to for m in mailoutbox if m.subject == "Invitation to a meeting"] == [["dana@advocacy.example"]]
    assert send(bella, "POST", sent).status_code == 400  # nobody left to invite
    kept = send(bella, "DELETE", f"{invitees}{dana['id']}/")
    assert kept.status_code == 400 and kept.json()["invitee"][0].startswith(
        "Invitee: Dana Reed was invited on"
    )
    late = services_meeting.invitee_add(
        actor=world.bella,
        meeting=meeting,
        role=InviteeRole.REVIEW_OFFICER,
        name="Ivan Ore",
        email="iro@example.org",
    )
    assert send(client_for(world.carol), "DELETE", f"{invitees}{late.pk}/").status_code == 404
    assert send(bella, "DELETE", f"{invitees}{late.pk}/").status_code == 204
    assert not Invitee.objects.filter(pk=late.pk).exists()
    meetings = client_for(world.sam).get(f"{API}/soc-meetings/").json()["results"]
    assert [(row["id"], row["invitations_sent"]) for row in meetings] == [(meeting.pk, True)]


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc8_the_service_documents_are_records_for_staff_and_invited_carers(
    today, world, client_for
) -> None:
    documents = all_documents(world)
    listed = client_for(world.bella).get(f"{API}/soc-service-documents/")
    assert sorted((row["kind"], row["sha256"]) for row in listed.json()["results"]) == sorted(
        (d.kind, d.sha256) for d in documents
    )
    assert "file" not in listed.json()["results"][0]
    assert _ids(client_for(world.carol).get(f"{API}/soc-service-documents/")) == []
    assert client_for(world.olga).get(f"{API}/soc-service-documents/{documents[0].pk}/").status_code == 404


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc9_the_chair_records_the_minutes_through_the_api(today, world, client_for) -> None:
    meeting = arranged(world)
    url = f"{API}/soc-meetings/{meeting.pk}/minutes/"
    today.move_to(dt.datetime(2027, 4, 20, 10, 0, tzinfo=dt.UTC))
    assert send(client_for(world.helen), "POST", url, {"minutes_sent_on": "2027-04-19"}).status_code == 404
    assert send(client_for(world.bella), "POST", url, {"minutes_sent_on": "2027-04-19"}).status_code == 404
    frank = client_for(world.frank)
    early = send(frank, "POST", url, {"minutes_sent_on": "2027-04-11"})
    assert early.json() == {
        "minutes_sent_on": ["Date the minutes were sent: cannot be before the meeting (SOC-9)"]
    }
    done = send(frank, "POST", url, {"minutes_sent_on": "2027-04-19"})
    assert done.status_code == 200 and done.json()["minutes_sent_on"] == "2027-04-19"
