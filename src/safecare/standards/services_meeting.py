"""Arranging the standards of care meeting with business support, its invitations and the
service's documents sent with them (SOC-8).

The same style as standards.services: keyword-only, one transaction, history and duties
inside; refusals are ValidationErrors keyed by field whose messages name the field and the
rule; the wrong person gets PermissionDenied. Decisions:
docs/decisions/0038-arranging-standards-of-care-meetings.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, QuerySet
from django.urls import reverse
from django.utils import timezone

from safecare.core.access import is_active
from safecare.core.audit import save_as
from safecare.core.deadlines import Deadline, long_date
from safecare.core.models import FosteringService
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.roles import STAFF_ROLES, Role
from safecare.core.tasks import task_open, tasks_close
from safecare.households.models import Child, Placement
from safecare.households.selectors import child_csw, current_carers, household_worker

from .duties import ARRANGE, INVITATIONS
from .models import (
    Arrangement,
    DocumentKind,
    Invitee,
    InviteeRole,
    Meeting,
    MeetingProposal,
    ServiceDocument,
)
from .selectors import meetings_visible_to, proposals_visible_to
from .services import _team_manager

if TYPE_CHECKING:
    from safecare.core.models import User

# SOC-8: the policy gives business support no deadline to fix the date. Safecare's default:
# 2 working days from the request (the day of the request is day 0), the same as the SOC-6
# referral that follows the same decision, so the date is known while the SOC-7 notice
# periods can still be met. The task and the list page say it is Safecare's default.
ARRANGE_WORKING_DAYS = 2
# The e-mail alerts name no carer, child or concern (rules: Everywhere).
ARRANGE_SUBJECT = "A standards of care meeting is to be arranged"
INVITATION_SUBJECT = "You are invited to a standards of care meeting"
# The e-mail to a contact (who has no account): the date, the place, and the documents attached.
# No child, carer, household or concern is named in it (rules: Everywhere; decision 0038).
CONTACT_SUBJECT = "Invitation to a meeting"
# Roles filled by someone with a Safecare account, by a contact, or by either.
PERSON_ROLES = frozenset({InviteeRole.CHAIR, InviteeRole.SSW, InviteeRole.SSW_MANAGER})
CONTACT_ROLES = frozenset({InviteeRole.SUPPORT_WORKER, InviteeRole.REVIEW_OFFICER, InviteeRole.ADVOCATE})
PDF_MAGIC = b"%PDF-"


def meeting_reference(meeting: Meeting) -> str:
    """The short reference an invitee's alert carries: it names nobody."""
    return f"SM-{meeting.pk:06d}"


def business_support_officers(service: FosteringService) -> QuerySet[User]:
    from safecare.core.models import User

    return User.objects.filter(service=service, role=Role.BUSINESS_SUPPORT, is_active=True).order_by(
        "first_name", "last_name", "pk"
    )


# SOC-8: asking business support to arrange the meeting ------------------------------------------


def arrange_deadline(service: FosteringService, requested_on: dt.date) -> Deadline:
    """SOC-8: the date, place and chair within 2 working days of the request (Safecare's default)."""
    due = service.calendar().add_working_days(requested_on, ARRANGE_WORKING_DAYS)
    return Deadline(
        due,
        f"{ARRANGE_WORKING_DAYS} working days after business support was asked to arrange the meeting on "
        f"{long_date(requested_on)} (SOC-8: the policy sets no deadline; this is Safecare's default)",
    )


def arrangement_list_url() -> str:
    return reverse("standards:arrangement_list")


@transaction.atomic
def arrangement_request(
    *, actor: User, proposal: MeetingProposal, business_support: User | None
) -> Arrangement:
    """SOC-8: the SSW or a fostering manager asks a business support officer to arrange the meeting.

    One arrangement per meeting decided on. The officer gets the duty (due in 2 working days,
    Safecare's default) and an alert, and from then on sees this meeting and nothing else of
    the case.
    """
    if not actor.has_perm("standards.request_arrangement"):
        raise PermissionDenied
    locked = (
        MeetingProposal.objects.select_for_update()
        .filter(pk=proposal.pk, pk__in=proposals_visible_to(actor).values("pk"))
        .select_related("household", "service")
        .first()
    )
    if locked is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not locked.convene:
        _add(
            errors,
            "proposal",
            "Meeting: SOC-8 business support arranges a meeting the fostering manager decided to hold",
        )
    elif Arrangement.objects.filter(proposal=locked).exists():
        _add(errors, "proposal", "Meeting: SOC-8 business support has already been asked to arrange it")
    elif Meeting.objects.filter(proposal=locked).exists():
        _add(errors, "proposal", "Meeting: SOC-8 this meeting is already arranged")
    officers = business_support_officers(locked.service)
    if business_support is None or not officers.filter(pk=business_support.pk).exists():
        _add(
            errors,
            "business_support",
            "Business support officer: choose an active business support officer of the service (SOC-8)",
        )
    if errors or business_support is None:
        raise ValidationError(errors)
    arrangement = Arrangement(
        service=locked.service, proposal=locked, business_support=business_support, requested_by=actor
    )
    save_as(arrangement, actor)
    household = locked.household
    deadline = arrange_deadline(locked.service, timezone.localdate())
    task = task_open(
        service=locked.service,
        rule_id="SOC-8",
        kind=ARRANGE,
        title="Arrange the standards of care meeting: its date, place and chair",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=business_support,
        household=household,
        actor=actor,
    )
    notify(
        service=locked.service,
        household=household,
        recipients=[business_support],
        kind="soc_arrange",
        subject=ARRANGE_SUBJECT,
        reference=task.reference,
        url=arrangement_list_url(),
        dedupe_key=f"standards:arrangement:{arrangement.pk}",
        rule_id="SOC-8",
        task=task,
    )
    return arrangement


# SOC-8: the service's documents sent with every invitation ----------------------------------------


def max_document_bytes() -> int:
    return int(getattr(settings, "SAFECARE_SERVICE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def pdf_problem(data: bytes) -> str:
    """Why these bytes are not a PDF anyone invited can open; empty when they are one."""
    if not data.startswith(PDF_MAGIC):
        return "it is not a PDF"
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return "it is protected by a password, so the people invited could not open it"
        if len(reader.pages) < 1:
            return "it has no pages"
    except ImportError:  # pragma: no cover - pypdf is a dependency; the magic bytes were checked
        return ""
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return "it is not a PDF that can be opened"
    return ""


def _file_name(name: str, kind: str) -> str:
    """The name shown and attached: the uploaded file's own, without any folder, ending .pdf."""
    base = os.path.basename(name.replace("\\", "/")).strip() or f"{kind}.pdf"
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*')[:190] or f"{kind}.pdf"
    return base if base.lower().endswith(".pdf") else f"{base}.pdf"


@transaction.atomic
def service_document_upload(
    *, actor: User, kind: str, name: str, content: bytes | File[bytes]
) -> ServiceDocument:
    """SOC-8: upload, or replace, one of the three documents every invitation is sent with.

    Only a PDF that opens, no larger than SAFECARE_SERVICE_DOCUMENT_MAX_BYTES. Replacing keeps
    the earlier file and its record in the history; each invitation names the SHA-256 of
    exactly what it went with.
    """
    if not actor.has_perm("standards.upload_service_documents") or not is_active(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        _add(
            errors,
            "kind",
            "Document: choose the procedure, the confidentiality agreement or the code of conduct (SOC-8)",
        )
        raise ValidationError(errors)
    label = DocumentKind(kind).label
    limit = max_document_bytes()
    # An upload larger than the limit is refused without reading it into memory.
    size = int(content.size or 0) if isinstance(content, File) else len(content)
    data = b"" if size > limit else bytes(content.read(limit + 1) if isinstance(content, File) else content)
    size = max(size, len(data))
    if size > limit:
        _add(errors, "file", f"{label}: the file must be {_megabytes(limit)} or smaller (SOC-8)")
    elif not data:
        _add(errors, "file", f"{label}: choose a PDF file to upload (SOC-8)")
    elif problem := pdf_problem(data):
        _add(errors, "file", f"{label}: upload a PDF; {problem} (SOC-8)")
    if errors:
        raise ValidationError(errors)
    service = actor.service
    if service is None:  # is_active says it has one
        raise PermissionDenied
    digest = hashlib.sha256(data).hexdigest()
    shown = _file_name(name, kind)
    stored = f"{service.pk}-{kind}-{digest[:16]}.pdf"
    document = ServiceDocument.objects.select_for_update().filter(service=service, kind=kind).first()
    if document is None:
        document = ServiceDocument(service=service, kind=kind)
    document.file.save(stored, ContentFile(data), save=False)
    document.name = shown
    document.sha256 = digest
    document.uploaded_by = actor
    document.uploaded_at = timezone.now()
    save_as(document, actor)
    return document


def documents_missing(service: FosteringService | int) -> list[str]:
    """The kinds of document the service has not uploaded yet, in the procedure's order."""
    service_id = service if isinstance(service, int) else service.pk
    have = set(ServiceDocument.objects.filter(service_id=service_id).values_list("kind", flat=True))
    return [kind for kind in DocumentKind.values if kind not in have]


def documents_visible_to(user: User) -> QuerySet[ServiceDocument]:
    """Who reads the service's documents (not case content): its staff, and carers invited to a
    meeting (SOC-8). Nobody else; never a public address."""
    if not is_active(user):
        return ServiceDocument.objects.none()
    documents = ServiceDocument.objects.filter(service_id=user.service_id)
    if user.role in STAFF_ROLES:
        return documents
    if user.role == Role.CARER:
        invited = Invitee.objects.filter(
            user_id=user.pk, service_id=user.service_id, invited_at__isnull=False
        )
        return documents.filter(Exists(invited.values("pk")))
    return ServiceDocument.objects.none()


# SOC-8: who is invited ---------------------------------------------------------------------------


def may_invite(actor: User, meeting: Meeting) -> bool:
    """The arranger of the invitations: the business support officer asked to arrange this
    meeting, the SSW, the fostering team manager, the fostering managers and the heads, each
    for a meeting they see (standards.selectors)."""
    return (
        is_active(actor)
        and actor.has_perm("standards.send_invitations")
        and meetings_visible_to(actor).filter(pk=meeting.pk).exists()
    )


def _lock_meeting(actor: User, meeting: Meeting) -> Meeting:
    if not may_invite(actor, meeting):
        raise PermissionDenied
    locked = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting.pk)
        .select_related("service", "household", "chair")
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


def _may_be_invited_person(user: User, meeting: Meeting, role: str) -> str:
    """Why this account cannot be invited in this role; empty when it can."""
    if not user.is_active or user.service_id != meeting.service_id:
        return "choose an active account of the service"
    if role == InviteeRole.CHAIR:
        return "" if user.pk == meeting.chair_id else "the chair invited is the meeting's chair"
    if role == InviteeRole.CARER:
        carers = {carer.pk for carer in current_carers(meeting.household)}
        return "" if user.pk in carers else "choose a carer of the household"
    if user.role not in STAFF_ROLES:
        return "choose a member of staff"
    return ""


@dataclass(frozen=True)
class Suggestion:
    """Someone Safecare knows should be invited (SOC-8)."""

    role: str
    user: User


def usual_invitees(meeting: Meeting) -> list[Suggestion]:
    """SOC-8: the people in Safecare the policy says to invite, where Safecare knows them: the
    chair, the carers, the SSW and their team manager, the child's social worker of each child
    placed and their children's team manager. Contacts (the independent support worker, the
    independent review officer, the carer's advocate) are added by hand.
    """
    from safecare.core.models import User

    household = meeting.household
    found: list[Suggestion] = [Suggestion(InviteeRole.CHAIR, meeting.chair)]
    found += [Suggestion(InviteeRole.CARER, carer) for carer in current_carers(household)]
    ssw = household_worker(household)
    if ssw is not None:
        found.append(Suggestion(InviteeRole.SSW, ssw))
    manager = _team_manager(household)
    if manager is not None:
        found.append(Suggestion(InviteeRole.SSW_MANAGER, manager))
    placed = Placement.objects.current().filter(household=household).values("child_id")
    children = Child.objects.filter(pk__in=placed).select_related("team").order_by("pk")
    for child in children:
        csw = child_csw(child)
        if csw is not None:
            found.append(Suggestion(InviteeRole.CSW, csw))
        team_id = child.team_id or (csw.team_id if csw is not None else None)
        if team_id is not None:
            csw_manager = (
                User.objects.filter(team_id=team_id, role=Role.CHILDRENS_TEAM_MANAGER, is_active=True)
                .order_by("pk")
                .first()
            )
            if csw_manager is not None:
                found.append(Suggestion(InviteeRole.CSW_MANAGER, csw_manager))
    unique: dict[tuple[str, int], Suggestion] = {}
    for suggestion in found:
        if suggestion.user.is_active:
            unique.setdefault((suggestion.role, suggestion.user.pk), suggestion)
    return list(unique.values())


@transaction.atomic
def invitee_add(
    *,
    actor: User,
    meeting: Meeting,
    role: str,
    user: User | None = None,
    name: str = "",
    email: str = "",
) -> Invitee:
    """SOC-8: someone to invite: a person in Safecare (alerted in the app), or a contact with a
    name and an e-mail address (sent the invitation by e-mail with the documents)."""
    meeting = _lock_meeting(actor, meeting)
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    email = email.strip()
    if role not in InviteeRole.values:
        _add(errors, "role", "Invited as: choose who they are at the meeting (SOC-8)")
        raise ValidationError(errors)
    label = InviteeRole(role).label
    if user is not None:
        if role in CONTACT_ROLES:
            _add(
                errors,
                "user",
                f"Person: the {label.lower()} is a contact; give their name and e-mail address (SOC-8)",
            )
        elif problem := _may_be_invited_person(user, meeting, role):
            _add(errors, "user", f"Person: {problem} (SOC-8)")
        elif Invitee.objects.filter(meeting=meeting, user=user, role=role).exists():
            _add(errors, "user", f"Person: {user.display_name} is already invited as {label.lower()} (SOC-8)")
        if errors:
            raise ValidationError(errors)
        invitee = Invitee(
            service=meeting.service,
            meeting=meeting,
            role=role,
            user=user,
            name=user.display_name,
            added_by=actor,
        )
        save_as(invitee, actor)
        return invitee
    if role in PERSON_ROLES:
        _add(errors, "user", f"Person: the {label.lower()} is someone in Safecare; choose them (SOC-8)")
    if not name:
        _add(errors, "name", "Name: a contact needs a name (SOC-8)")
    elif len(name) > 200:
        _add(errors, "name", "Name: 200 characters or fewer (SOC-8)")
    if not email:
        _add(
            errors,
            "email",
            "E-mail address: a contact is sent the invitation by e-mail; enter theirs (SOC-8)",
        )
    else:
        try:
            validate_email(email)
        except ValidationError:
            _add(
                errors,
                "email",
                "E-mail address: enter an e-mail address in the right format, like name@example.com (SOC-8)",
            )
    if errors:
        raise ValidationError(errors)
    if Invitee.objects.filter(meeting=meeting, role=role, user=None, email__iexact=email).exists():
        raise ValidationError(
            {"email": [f"E-mail address: {email} is already invited as {label.lower()} (SOC-8)"]}
        )
    invitee = Invitee(
        service=meeting.service, meeting=meeting, role=role, name=name, email=email, added_by=actor
    )
    save_as(invitee, actor)
    return invitee


@transaction.atomic
def invitees_add_usual(*, actor: User, meeting: Meeting) -> list[Invitee]:
    """SOC-8: "Add the usual invitees": everyone Safecare knows should be invited who is not on
    the list yet. Running it again adds nobody twice."""
    meeting = _lock_meeting(actor, meeting)
    have = set(Invitee.objects.filter(meeting=meeting, user__isnull=False).values_list("role", "user_id"))
    added = []
    for suggestion in usual_invitees(meeting):
        if (suggestion.role, suggestion.user.pk) in have:
            continue
        invitee = Invitee(
            service=meeting.service,
            meeting=meeting,
            role=suggestion.role,
            user=suggestion.user,
            name=suggestion.user.display_name,
            added_by=actor,
        )
        save_as(invitee, actor)
        added.append(invitee)
    return added


@transaction.atomic
def invitee_remove(*, actor: User, invitee: Invitee) -> None:
    """SOC-8: take someone off the list before their invitation went; one sent stays on record."""
    meeting = _lock_meeting(actor, invitee.meeting)
    locked = Invitee.objects.select_for_update().filter(pk=invitee.pk, meeting=meeting).first()
    if locked is None:
        raise PermissionDenied
    if locked.invited_at is not None:
        raise ValidationError(
            {
                "invitee": [
                    f"Invitee: {locked.name} was invited on {long_date(timezone.localdate(locked.invited_at))}; "
                    "an invitation sent stays on record (SOC-8)"
                ]
            }
        )
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.delete()


# SOC-8: sending the invitations ------------------------------------------------------------------


def invitation_problems(
    meeting: Meeting, *, missing: list[str] | None = None, invitees: list[Invitee] | None = None
) -> dict[str, list[str]]:
    """Why the invitations cannot go yet; empty when they can. The meeting's page gives the
    documents missing and the invitees it has already read; else they are read here."""
    errors: dict[str, list[str]] = {}
    if missing is None:
        missing = documents_missing(meeting.service_id)
    if missing:
        names = ", ".join(DocumentKind(kind).label.removeprefix("The ") for kind in missing)
        _add(
            errors,
            "documents",
            "Documents: SOC-8 every invitation goes with the procedure, the confidentiality agreement and "
            f"the meeting code of conduct; upload the missing ones first: {names}",
        )
    if invitees is None:
        invitees = list(Invitee.objects.filter(meeting=meeting).only("role", "invited_at"))
    roles = {invitee.role for invitee in invitees}
    if InviteeRole.CHAIR not in roles:
        _add(errors, "invitees", "Invitees: SOC-8 the chair must be invited")
    if InviteeRole.CARER not in roles:
        _add(errors, "invitees", "Invitees: SOC-8 the foster carer must be invited")
    if not errors and all(invitee.invited_at is not None for invitee in invitees):
        _add(errors, "invitees", "Invitees: SOC-8 everyone on the list has been invited already")
    return errors


def contact_email_body(meeting: Meeting, documents: list[ServiceDocument]) -> str:
    """What a contact is sent: the date and place, and the documents attached. Nothing else:
    no child, carer, household or concern (rules: Everywhere; decision 0038)."""
    names = "\n".join(f"- {document.get_kind_display()} ({document.name})" for document in documents)
    return (
        f"You are invited to a meeting on {long_date(meeting.meets_on)} at {meeting.place}.\n\n"
        f"The documents are attached:\n{names}\n\n"
        "Please reply to the person who sent you this invitation if you cannot attend.\n"
    )


def _invitation_url(invitee: Invitee) -> str:
    return reverse("standards:invitation_detail", kwargs={"pk": invitee.pk})


@transaction.atomic
def invitations_send(*, actor: User, meeting: Meeting) -> list[Invitee]:
    """SOC-8: send the invitation to everyone on the list not yet invited, with the service's
    procedure, confidentiality agreement and meeting code of conduct.

    People in Safecare are alerted in the app (the e-mail alert names nobody); contacts get an
    e-mail with the date, the place and the three PDFs attached. Each invitee records when and
    with exactly which documents (kind, name, SHA-256). The invitations duty closes. Sent again
    after someone is added, it goes to the new ones only.

    The contacts' e-mails are sent before the transaction commits: if one cannot be sent,
    nothing is recorded as sent and the whole sending can be tried again.
    """
    meeting = _lock_meeting(actor, meeting)
    errors = invitation_problems(meeting)
    if errors:
        raise ValidationError(errors)
    documents = sorted(
        ServiceDocument.objects.filter(service_id=meeting.service_id),
        key=lambda document: DocumentKind.values.index(document.kind),
    )
    record = [{"kind": d.kind, "name": d.name, "sha256": d.sha256} for d in documents]
    pending = list(
        Invitee.objects.select_for_update().filter(meeting=meeting, invited_at__isnull=True).order_by("pk")
    )
    contacts = [invitee for invitee in pending if invitee.user_id is None]
    if contacts:
        attachments = [(d.name, _read(d), "application/pdf") for d in documents]
        body = contact_email_body(meeting, documents)
        messages = []
        for invitee in contacts:
            message = EmailMessage(
                subject=CONTACT_SUBJECT,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[invitee.email],
            )
            for attachment in attachments:
                message.attach(*attachment)
            messages.append(message)
        get_connection().send_messages(messages)
    now = timezone.now()
    for invitee in pending:
        invitee.invited_at = now
        invitee.documents = record
        save_as(invitee, actor, update_fields=["invited_at", "documents"])
        if invitee.user is not None:
            notify(
                service=meeting.service,
                household=meeting.household,
                recipients=[invitee.user],
                kind="soc_invitation",
                subject=INVITATION_SUBJECT,
                reference=meeting_reference(meeting),
                url=_invitation_url(invitee),
                dedupe_key=f"standards:invitation:{invitee.pk}",
                rule_id="SOC-8",
            )
    tasks_close(actor=actor, service=meeting.service, kind=INVITATIONS, household=meeting.household)
    return pending


def _read(document: ServiceDocument) -> bytes:
    with document.file.open("rb") as handle:
        return bytes(handle.read())
