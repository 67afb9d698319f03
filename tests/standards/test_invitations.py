"""SOC-8: who is invited to the standards of care meeting, and the invitations, each sent with
the service's procedure, confidentiality agreement and meeting code of conduct (uploaded once,
as PDFs). People in Safecare are invited in the app; contacts by an e-mail that says only the
date and the place, with the three documents attached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safecare.core.models import Notification, Task, TaskStatus
from safecare.core.roles import Role
from safecare.standards import services_meeting
from safecare.standards.duties import INVITATIONS
from safecare.standards.models import DocumentKind, Invitee, InviteeRole, ServiceDocument
from tests.factories import UserFactory

from .test_arranging import arranged, pdf

pytestmark = pytest.mark.django_db

D = dt.date
KINDS = [DocumentKind.PROCEDURE, DocumentKind.CONFIDENTIALITY, DocumentKind.CODE_OF_CONDUCT]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(
    world: Any, kind: str, content: bytes | None = None, *, by: Any = None, name: str = ""
) -> ServiceDocument:
    return services_meeting.service_document_upload(
        actor=by or world.bella, kind=kind, name=name or f"{kind}.pdf", content=content or pdf(kind)
    )


def all_documents(world: Any) -> list[ServiceDocument]:
    return [upload(world, kind) for kind in KINDS]


def contact(world: Any, meeting: Any, role: str = InviteeRole.SUPPORT_WORKER, **kwargs: Any) -> Invitee:
    values = {"name": "Dana Reed", "email": "dana.reed@fostering.example"}
    values.update(kwargs)
    return services_meeting.invitee_add(actor=world.bella, meeting=meeting, role=role, **values)


# The service's documents ---------------------------------------------------------------------------


def test_soc8_a_pdf_is_stored_with_its_sha256_and_replacing_it_keeps_the_old_in_the_history(world) -> None:
    first = pdf("First version")
    document = upload(world, DocumentKind.PROCEDURE, first, name="C:\\Policies\\SoC procedure v1.pdf")
    assert (document.name, document.sha256) == ("SoC procedure v1.pdf", hashlib.sha256(first).hexdigest())
    with document.file.open("rb") as handle:
        assert handle.read() == first
    second = pdf("Second version")
    replaced = upload(world, DocumentKind.PROCEDURE, second, by=world.frank, name="procedure v2")
    assert replaced.pk == document.pk
    assert (replaced.name, replaced.sha256, replaced.uploaded_by) == (
        "procedure v2.pdf",
        hashlib.sha256(second).hexdigest(),
        world.frank,
    )
    assert [h.sha256 for h in replaced.history.order_by("history_id")] == [
        hashlib.sha256(first).hexdigest(),
        hashlib.sha256(second).hexdigest(),
    ]
    assert ServiceDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"<html><body>Not a PDF</body></html>", "it is not a PDF"),
        (b"%PDF-1.7\nnothing else here", "it is not a PDF that can be opened"),
        (b"", "choose a PDF file to upload"),
    ],
)
def test_soc8_anything_but_a_pdf_that_opens_is_refused_naming_the_document(world, content, said) -> None:
    with pytest.raises(ValidationError) as refused:
        services_meeting.service_document_upload(
            actor=world.bella, kind=DocumentKind.CONFIDENTIALITY, name="agreement.pdf", content=content
        )
    message = refused.value.message_dict["file"][0]
    assert message.startswith("The confidentiality agreement: ")
    assert said in message and message.endswith("(SOC-8)")
    assert not ServiceDocument.objects.exists()


def test_soc8_a_file_over_the_size_setting_is_refused_without_being_read(world, settings) -> None:
    settings.SAFECARE_SERVICE_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        services_meeting.service_document_upload(
            actor=world.frank, kind=DocumentKind.PROCEDURE, name="big.pdf", content=big
        )
    assert refused.value.message_dict["file"] == [
        "The standards of care procedure: the file must be 1 MB or smaller (SOC-8)"
    ]


@pytest.mark.parametrize("name", ["sam", "fiona", "chris", "carol", "sue", "pat", "ada"])
def test_soc8_only_business_support_and_the_fostering_managers_upload(world, name) -> None:
    with pytest.raises(PermissionDenied):
        upload(world, DocumentKind.PROCEDURE, by=world.users[name])


def test_soc8_the_documents_are_read_by_the_services_staff_and_the_carers_invited(world) -> None:
    all_documents(world)
    for name in ("bella", "sam", "chris", "tom", "pat", "ada"):
        assert services_meeting.documents_visible_to(world.users[name]).count() == 3, name
    assert not services_meeting.documents_visible_to(world.olga).exists()
    assert not services_meeting.documents_visible_to(world.carol).exists()  # not invited yet


# Who is invited --------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_the_usual_invitees_are_everyone_safecare_knows(today, world) -> None:
    meeting = arranged(world)
    added = services_meeting.invitees_add_usual(actor=world.bella, meeting=meeting)
    assert [(i.role, i.user) for i in added] == [
        (InviteeRole.CHAIR, world.frank),
        (InviteeRole.CARER, world.carol),
        (InviteeRole.SSW, world.sam),
        (InviteeRole.SSW_MANAGER, world.fiona),
        (InviteeRole.CSW, world.chris),
        (InviteeRole.CSW_MANAGER, world.tom),
    ]
    assert added[1].name == world.carol.display_name
    assert services_meeting.invitees_add_usual(actor=world.bella, meeting=meeting) == []
    assert Invitee.objects.filter(meeting=meeting).count() == 6


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "  "}, "name", "Name: a contact needs a name (SOC-8)"),
        (
            {"email": ""},
            "email",
            "E-mail address: a contact is sent the invitation by e-mail; enter theirs (SOC-8)",
        ),
        (
            {"email": "dana.reed@"},
            "email",
            "E-mail address: enter an e-mail address in the right format, like name@example.com (SOC-8)",
        ),
    ],
)
def test_soc8_a_contact_needs_a_name_and_a_valid_email(today, world, values, field, message) -> None:
    meeting = arranged(world)
    with pytest.raises(ValidationError) as refused:
        contact(world, meeting, **values)
    assert refused.value.message_dict == {field: [message]}


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_people_are_invited_in_their_roles(today, world) -> None:
    meeting = arranged(world)

    def refusal(role: str, user: Any) -> list[str]:
        with pytest.raises(ValidationError) as refused:
            services_meeting.invitee_add(actor=world.bella, meeting=meeting, role=role, user=user)
        return refused.value.message_dict["user"]

    assert refusal(InviteeRole.CHAIR, world.helen) == [
        "Person: the chair invited is the meeting's chair (SOC-8)"
    ]
    assert refusal(InviteeRole.CARER, world.oscar) == ["Person: choose a carer of the household (SOC-8)"]
    assert refusal(InviteeRole.SSW, world.olga) == ["Person: choose an active account of the service (SOC-8)"]
    assert refusal(InviteeRole.REVIEW_OFFICER, world.sue) == [
        "Person: the independent review officer is a contact; give their name and e-mail address (SOC-8)"
    ]
    with pytest.raises(ValidationError) as no_person:
        contact(world, meeting, role=InviteeRole.CHAIR)
    assert no_person.value.message_dict["user"] == [
        "Person: the chair is someone in Safecare; choose them (SOC-8)"
    ]
    minute_taker = services_meeting.invitee_add(
        actor=world.sam, meeting=meeting, role=InviteeRole.MINUTE_TAKER, user=world.bella
    )
    assert (minute_taker.name, minute_taker.added_by) == (world.bella.display_name, world.sam)
    assert refusal(InviteeRole.MINUTE_TAKER, world.bella) == [
        f"Person: {world.bella.display_name} is already invited as minute-taker (SOC-8)"
    ]


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
@pytest.mark.parametrize("name", ["carol", "chris", "tom", "sue", "pat", "adam", "ada", "olga"])
def test_soc8_only_those_arranging_the_meeting_list_its_invitees(today, world, name) -> None:
    meeting = arranged(world)
    with pytest.raises(PermissionDenied):
        services_meeting.invitee_add(
            actor=world.users[name], meeting=meeting, role=InviteeRole.ADVOCATE, name="A", email="a@b.example"
        )
    other_bella = UserFactory(service=world.service, role=Role.BUSINESS_SUPPORT, first_name="Bob")
    with pytest.raises(PermissionDenied):
        services_meeting.invitations_send(actor=other_bella, meeting=meeting)


# Sending them ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_not_sent_until_the_three_documents_exist_naming_the_missing(today, world) -> None:
    meeting = arranged(world)
    services_meeting.invitees_add_usual(actor=world.bella, meeting=meeting)
    upload(world, DocumentKind.CONFIDENTIALITY)
    with pytest.raises(ValidationError) as refused:
        services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    assert refused.value.message_dict == {
        "documents": [
            "Documents: SOC-8 every invitation goes with the procedure, the confidentiality agreement and "
            "the meeting code of conduct; upload the missing ones first: standards of care procedure, "
            "meeting code of conduct"
        ]
    }
    assert not Invitee.objects.filter(invited_at__isnull=False).exists()
    assert Task.objects.get(kind=INVITATIONS).status == TaskStatus.OPEN


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_not_sent_while_the_chair_or_the_carer_is_missing(today, world) -> None:
    meeting = arranged(world)
    all_documents(world)
    contact(world, meeting)
    with pytest.raises(ValidationError) as refused:
        services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    assert refused.value.message_dict == {
        "invitees": [
            "Invitees: SOC-8 the chair must be invited",
            "Invitees: SOC-8 the foster carer must be invited",
        ]
    }
    services_meeting.invitee_add(actor=world.bella, meeting=meeting, role=InviteeRole.CHAIR, user=world.frank)
    with pytest.raises(ValidationError) as still:
        services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    assert still.value.message_dict == {"invitees": ["Invitees: SOC-8 the foster carer must be invited"]}


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_the_invitations_go_with_the_documents_recorded_and_the_duty_closes(
    today, world, django_capture_on_commit_callbacks
) -> None:
    meeting = arranged(world)
    documents = all_documents(world)
    services_meeting.invitees_add_usual(actor=world.bella, meeting=meeting)
    dana = contact(world, meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    assert len(sent) == 7
    record = [{"kind": d.kind, "name": d.name, "sha256": d.sha256} for d in documents]
    for invitee in Invitee.objects.filter(meeting=meeting):
        assert invitee.invited_at is not None
        assert invitee.documents == record
    task = Task.objects.get(kind=INVITATIONS)
    assert (task.status, task.completed_by) == (TaskStatus.DONE, world.bella)
    # People in Safecare: an alert in the app; its e-mail names nobody.
    alerts = Notification.objects.filter(kind="soc_invitation")
    assert {a.recipient for a in alerts} == {
        world.frank,
        world.carol,
        world.sam,
        world.fiona,
        world.chris,
        world.tom,
    }
    assert {a.subject for a in alerts} == {"You are invited to a standards of care meeting"}
    assert {a.reference for a in alerts} == {f"SM-{meeting.pk:06d}"}
    # The contact: one e-mail, the date and the place, the three PDFs attached, no names.
    [invitation] = [m for m in mail.outbox if m.to == [dana.email]]
    assert invitation.subject == "Invitation to a meeting"
    assert invitation.body.startswith(
        "You are invited to a meeting on Monday 12 April 2027 at Room 2, Civic Centre.\n\nThe documents are attached:"
    )
    assert [(name, kind) for name, _, kind in invitation.attachments] == [
        ("procedure.pdf", "application/pdf"),
        ("confidentiality.pdf", "application/pdf"),
        ("code_of_conduct.pdf", "application/pdf"),
    ]
    assert [hashlib.sha256(content).hexdigest() for _, content, _ in invitation.attachments] == [
        d.sha256 for d in documents
    ]
    everything_emailed = " ".join(m.subject + m.body for m in mail.outbox)
    for private in ("Patel", "Carol", "Xavier", "Smith", "lunch", "concern"):
        assert private not in everything_emailed, private
    # The carer now reads the documents too.
    assert services_meeting.documents_visible_to(world.carol).count() == 3


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_sent_again_it_goes_only_to_those_added_since(today, world) -> None:
    meeting = arranged(world)
    all_documents(world)
    services_meeting.invitees_add_usual(actor=world.bella, meeting=meeting)
    services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    with pytest.raises(ValidationError) as nobody:
        services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    assert nobody.value.message_dict == {
        "invitees": ["Invitees: SOC-8 everyone on the list has been invited already"]
    }
    mail.outbox.clear()
    officer = contact(
        world, meeting, role=InviteeRole.REVIEW_OFFICER, name="Ivan Ore", email="iro@example.org"
    )
    sent = services_meeting.invitations_send(actor=world.sam, meeting=meeting)
    assert sent == [officer]
    assert [m.to for m in mail.outbox] == [["iro@example.org"]]
    assert Notification.objects.filter(kind="soc_invitation").count() == 6


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_soc8_someone_is_taken_off_the_list_only_before_their_invitation_went(today, world) -> None:
    meeting = arranged(world)
    all_documents(world)
    services_meeting.invitees_add_usual(actor=world.bella, meeting=meeting)
    dana = contact(world, meeting)
    services_meeting.invitee_remove(actor=world.bella, invitee=dana)
    assert not Invitee.objects.filter(pk=dana.pk).exists()
    services_meeting.invitations_send(actor=world.bella, meeting=meeting)
    chair = Invitee.objects.get(meeting=meeting, role=InviteeRole.CHAIR)
    with pytest.raises(ValidationError) as refused:
        services_meeting.invitee_remove(actor=world.bella, invitee=chair)
    assert refused.value.message_dict["invitee"] == [
        f"Invitee: {chair.name} was invited on Monday 15 March 2027; an invitation sent stays on record (SOC-8)"
    ]
