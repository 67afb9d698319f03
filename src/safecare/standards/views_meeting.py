"""Standards of care pages: arranging the meeting, its invitations, the service's documents and
the minutes (SOC-8, SOC-9; routes in standards.urls_meeting).

Business support sees the meetings they are asked to arrange: the household's name, the SSW's
name, the date, place, chair and invitees; never the concerns, the route, the visit or the
report (standards.selectors). Every other record is found through the selectors (404 when out
of scope), the action permission is checked (also 404), and a refusal goes back onto the form
with everything typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.access import is_active
from safecare.core.audit import log_list, log_view
from safecare.core.formtools import save_or_refuse
from safecare.core.models import Task, TaskStatus, User
from safecare.core.once import once
from safecare.core.roles import STAFF_ROLES, Role
from safecare.households.models import Allocation, AllocationKind
from safecare.households.selectors import current_carers

from . import selectors, services, services_meeting
from .duties import ARRANGE
from .forms_meeting import (
    ArrangeForm,
    ArrangementRequestForm,
    ConfirmForm,
    DocumentForm,
    InviteeForm,
    MinutesForm,
)
from .models import Arrangement, DocumentKind, Invitee, Meeting, MeetingProposal, ServiceDocument

GET = require_http_methods(["GET"])
POST = require_http_methods(["POST"])
GET_POST = require_http_methods(["GET", "POST"])
LIST_SIZE = 100


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _meeting_url(meeting: Meeting) -> str:
    return reverse("standards:meeting_detail", kwargs={"pk": meeting.pk})


def _inviting(user: User, pk: int) -> Meeting:
    """A meeting the user sees and whose invitations they may arrange (SOC-8), else 404."""
    meeting = selectors.meeting_for(user, pk)
    if not services_meeting.may_invite(user, meeting):
        raise Http404
    return meeting


# The meeting's page: what this part adds ------------------------------------------------------


def meeting_context(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    """What this part adds to the meeting's page (standards/_meeting_meeting.html reads it):
    who is invited and whether the invitations went (SOC-8), the links to arrange them, and
    the chair's link to record the minutes (SOC-9). `meeting` is as selectors.meeting_for_page
    read it: one the reader sees, with its arrangement and the service's documents."""
    # services_meeting.may_invite: the permission, for a meeting the reader sees (it is).
    arranging = is_active(user) and user.has_perm("standards.send_invitations")
    invitees = list(Invitee.objects.filter(meeting=meeting).select_related("user").order_by("pk"))
    pending = [invitee for invitee in invitees if invitee.invited_at is None]
    context: dict[str, Any] = {
        "invitees": invitees,
        "invitees_pending": pending,
        "invitations_sent": any(invitee.invited_at for invitee in invitees),
        "may_arrange_invitations": arranging,
        "may_record_minutes": user.pk == meeting.chair_id
        and user.has_perm("standards.record_minutes")
        and meeting.minutes_sent_on is None,
    }
    if arranging:
        missing = [kind for kind in DocumentKind.values if not getattr(meeting, f"has_document_{kind}")]
        context["documents_missing"] = [DocumentKind(kind).label for kind in missing]
        context["invitation_problems"] = services_meeting.invitation_problems(
            meeting, missing=missing, invitees=invitees
        )
        context["arrangement"] = getattr(meeting.proposal, "arrangement", None)
        context["may_upload_documents"] = user.has_perm("standards.upload_service_documents")
    return context


# SOC-8: asking business support to arrange the meeting -----------------------------------------


@GET_POST
@login_required
@once
def arrangement_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proposal = selectors.proposal_for(user, pk)
    _require(user, "standards.request_arrangement")
    household = proposal.household
    log_view(request, household)
    officers = services_meeting.business_support_officers(proposal.service)
    form = ArrangementRequestForm(request.POST or None, officers=officers)
    if request.method == "POST" and form.is_valid():
        arrangement = save_or_refuse(
            form,
            None,
            lambda: services_meeting.arrangement_request(
                actor=user, proposal=proposal, business_support=form.cleaned_data["business_support"]
            ),
        )
        if arrangement is not None:
            due = services_meeting.arrange_deadline(proposal.service, timezone.localdate())
            messages.success(
                request,
                f"{arrangement.business_support.display_name} has been asked to arrange the meeting, "
                f"by {due.due_on:%A %-d %B %Y}.",
            )
            return redirect("standards:proposal_detail", pk=proposal.pk)
    due = services_meeting.arrange_deadline(proposal.service, timezone.localdate())
    return render(
        request,
        "standards/form.html",
        {
            "form": form,
            "household": household,
            "title": "Ask business support to arrange the meeting",
            "caption": "SOC-8",
            "lead": "The business support officer you name sets the meeting's date, place and chair, and "
            "sends the invitations. They see this meeting and nothing else of the case. They are asked "
            f"to arrange it by {due.due_on:%A %-d %B %Y}: the policy sets no deadline; 2 working days is "
            "Safecare's default.",
            "back_url": reverse("standards:proposal_detail", kwargs={"pk": proposal.pk}),
            "submit": "Ask them to arrange it",
        },
    )


@GET
@login_required
def arrangement_list(request: HttpRequest) -> HttpResponse:
    """Business support's "Meetings to arrange" (SOC-8): the arrangements naming them, each with
    only the household's name, the SSW's name and where the meeting stands."""
    user = _user(request)
    if user.role != Role.BUSINESS_SUPPORT:
        raise Http404
    open_arrange = Task.objects.filter(
        kind=ARRANGE, household_id=OuterRef("proposal__household_id"), status=TaskStatus.OPEN
    ).order_by("due_on")
    invited = Invitee.objects.filter(meeting__proposal_id=OuterRef("proposal_id"), invited_at__isnull=False)
    ssw = Allocation.objects.current().filter(kind=AllocationKind.SUPERVISING).select_related("worker")
    arrangements = list(
        selectors.arrangements_visible_to(user)
        .select_related("proposal__household", "proposal__meeting")
        .prefetch_related(Prefetch("proposal__household__allocations", ssw, to_attr="ssw_allocations"))
        .annotate(arrange_due=Subquery(open_arrange.values("due_on")[:1]), invited=Exists(invited))
        .order_by("-requested_at", "-id")[:LIST_SIZE]
    )
    rows = []
    for arrangement in arrangements:
        proposal = arrangement.proposal
        meeting = proposal.meeting if _has_meeting(proposal) else None
        allocations = proposal.household.ssw_allocations  # type: ignore[attr-defined]
        if meeting is None:
            status = "To arrange"
            if arrangement.arrange_due:
                status += f" by {arrangement.arrange_due:%-d %B %Y}"
        elif arrangement.invited:
            status = f"Invitations sent; meeting on {meeting.meets_on:%-d %B %Y}"
        else:
            status = f"Arranged for {meeting.meets_on:%-d %B %Y}; invitations to send"
        rows.append(
            {
                "household": proposal.household.name,
                "ssw": allocations[0].worker.display_name if allocations else "None allocated",
                "status": status,
                "url": _meeting_url(meeting)
                if meeting is not None
                else reverse("standards:meeting_arrange", kwargs={"pk": proposal.pk}),
                "action": "Open the meeting" if meeting is not None else "Arrange the meeting",
            }
        )
    log_list(request, Arrangement, [arrangement.pk for arrangement in arrangements])
    return render(request, "standards/arrange_list.html", {"rows": rows})


def _has_meeting(proposal: MeetingProposal) -> bool:
    try:
        return proposal.meeting is not None
    except Meeting.DoesNotExist:
        return False


def _arrangeable_proposal(user: User, pk: int) -> MeetingProposal:
    """SOC-8: business support arranges the meetings they are asked to; the SSW and the fostering
    managers those of the households whose records they read (404 otherwise)."""
    if user.role == Role.BUSINESS_SUPPORT:
        arrangement = get_object_or_404(
            selectors.arrangements_visible_to(user).select_related(
                "proposal__household", "proposal__service"
            ),
            proposal_id=pk,
        )
        return arrangement.proposal
    proposal = selectors.proposal_for(user, pk)
    _require(user, "standards.arrange_meeting")
    return proposal


@GET_POST
@login_required
@once
def meeting_arrange(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7, SOC-8: the meeting's date, place and chair; then its page, to invite."""
    user = _user(request)
    proposal = _arrangeable_proposal(user, pk)
    household = proposal.household
    log_view(request, household)
    if _has_meeting(proposal):
        return redirect("standards:meeting_detail", pk=proposal.meeting.pk)
    chairs = User.objects.filter(pk__in=[chair.pk for chair in services.fostering_managers(proposal.service)])
    form = ArrangeForm(request.POST or None, chairs=chairs.order_by("first_name", "last_name", "pk"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = save_or_refuse(
            form,
            None,
            lambda: services.meeting_arrange(
                actor=user,
                proposal=proposal,
                meets_on=data["meets_on"],
                place=data["place"],
                chair=data["chair"],
            ),
        )
        if meeting is not None:
            messages.success(
                request, "The meeting is arranged. Now say who is invited, and send the invitations."
            )
            return redirect("standards:meeting_detail", pk=meeting.pk)
    back = (
        reverse("standards:arrangement_list")
        if user.role == Role.BUSINESS_SUPPORT
        else reverse("standards:proposal_detail", kwargs={"pk": proposal.pk})
    )
    return render(
        request,
        "standards/arrange_form.html",
        {"form": form, "household": household, "proposal": proposal, "back_url": back},
    )


# SOC-8: who is invited ---------------------------------------------------------------------------


def _invitable_people(meeting: Meeting) -> QuerySet[User]:
    """The accounts that may be invited: the service's staff and the household's carers now."""
    carers = [carer.pk for carer in current_carers(meeting.household)]
    return User.objects.filter(
        Q(role__in=STAFF_ROLES) | Q(pk__in=carers), service_id=meeting.service_id, is_active=True
    ).order_by("first_name", "last_name", "pk")


@GET_POST
@login_required
@once
def invitee_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = _inviting(user, pk)
    log_view(request, meeting.household)
    form = InviteeForm(request.POST or None, people=_invitable_people(meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitee = save_or_refuse(
            form,
            None,
            lambda: services_meeting.invitee_add(
                actor=user,
                meeting=meeting,
                role=data["role"],
                user=data["user"],
                name=data["name"],
                email=data["email"],
            ),
        )
        if invitee is not None:
            messages.success(request, f"{invitee.name} is on the list of invitees.")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "standards/invitee_form.html",
        {"form": form, "meeting": meeting, "household": meeting.household, "back_url": _meeting_url(meeting)},
    )


@POST
@login_required
@once
def invitees_usual(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-8: "Add the usual invitees": everyone Safecare knows, not on the list yet."""
    user = _user(request)
    meeting = _inviting(user, pk)
    log_view(request, meeting.household)
    added = services_meeting.invitees_add_usual(actor=user, meeting=meeting)
    if added:
        messages.success(request, f"Added {len(added)} to the list: {', '.join(i.name for i in added)}.")
    else:
        messages.info(request, "Everyone Safecare knows should be invited is on the list already.")
    return redirect(_meeting_url(meeting))


@GET_POST
@login_required
@once
def invitee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visible = selectors.meetings_visible_to(user)
    invitee = get_object_or_404(
        Invitee.objects.filter(meeting__in=visible).select_related("meeting__household"), pk=pk
    )
    meeting = _inviting(user, invitee.meeting_id)
    log_view(request, meeting.household)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = save_or_refuse(
            form, None, lambda: services_meeting.invitee_remove(actor=user, invitee=invitee) or True
        )
        if done:
            messages.success(request, f"{invitee.name} is no longer on the list of invitees.")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "standards/invitee_remove.html",
        {
            "form": form,
            "invitee": invitee,
            "meeting": meeting,
            "household": meeting.household,
            "back_url": _meeting_url(meeting),
        },
    )


@GET_POST
@login_required
@once
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-8: send the invitations, with the service's three documents, to everyone not yet invited."""
    user = _user(request)
    meeting = _inviting(user, pk)
    log_view(request, meeting.household)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sent = save_or_refuse(
            form, None, lambda: services_meeting.invitations_send(actor=user, meeting=meeting)
        )
        if sent is not None:
            messages.success(
                request, f"The invitation has been sent to {len(sent)}: {', '.join(i.name for i in sent)}."
            )
            return redirect(_meeting_url(meeting))
    pending = Invitee.objects.filter(meeting=meeting, invited_at__isnull=True).select_related("user")
    documents = sorted(
        ServiceDocument.objects.filter(service_id=meeting.service_id),
        key=lambda document: DocumentKind.values.index(document.kind),
    )
    return render(
        request,
        "standards/invitee_send.html",
        {
            "form": form,
            "meeting": meeting,
            "household": meeting.household,
            "pending": pending,
            "documents": documents,
            "problems": [m for ms in services_meeting.invitation_problems(meeting).values() for m in ms]
            if request.method == "GET"
            else [],
            "back_url": _meeting_url(meeting),
        },
    )


@GET
@login_required
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's invitation (SOC-8): the date, the place, the chair and the documents. Read
    by the person invited, and by those arranging the meeting's invitations."""
    user = _user(request)
    invitee = get_object_or_404(
        Invitee.objects.select_related("meeting__household", "meeting__chair", "user"), pk=pk
    )
    meeting = invitee.meeting
    own = invitee.user_id == user.pk and invitee.service_id == user.service_id and user.is_active
    if not own and not services_meeting.may_invite(user, meeting):
        raise Http404
    log_view(request, meeting.household)
    documents = sorted(
        services_meeting.documents_visible_to(user),
        key=lambda document: DocumentKind.values.index(document.kind),
    )
    return render(
        request,
        "standards/invitee_invitation.html",
        {
            "invitee": invitee,
            "meeting": meeting,
            "household": meeting.household,
            "documents": documents if invitee.invited_at else [],
            "sees_meeting": selectors.meetings_visible_to(user).filter(pk=meeting.pk).exists(),
            "is_carer": user.role == Role.CARER,
        },
    )


# SOC-8: the service's documents ------------------------------------------------------------------


@GET
@login_required
def documents_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require(user, "standards.upload_service_documents")
    have = {
        d.kind: d
        for d in ServiceDocument.objects.filter(service_id=user.service_id).select_related("uploaded_by")
    }
    rows = [
        {"kind": kind, "label": label, "document": have.get(kind)} for kind, label in DocumentKind.choices
    ]
    return render(
        request,
        "standards/documents_list.html",
        {"rows": rows, "max_mb": services_meeting._megabytes(services_meeting.max_document_bytes())},
    )


def _kind(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise Http404
    return kind


@GET_POST
@login_required
@once
def document_upload(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    _require(user, "standards.upload_service_documents")
    kind = _kind(kind)
    label = DocumentKind(kind).label
    form = DocumentForm(request.POST or None, request.FILES or None, label=label)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        document = save_or_refuse(
            form,
            None,
            lambda: services_meeting.service_document_upload(
                actor=user, kind=kind, name=upload.name or "", content=upload
            ),
        )
        if document is not None:
            messages.success(request, f"{label} is uploaded ({document.name}).")
            return redirect("standards:documents_list")
    current = ServiceDocument.objects.filter(service_id=user.service_id, kind=kind).first()
    return render(
        request,
        "standards/documents_upload.html",
        {
            "form": form,
            "label": label,
            "current": current,
            "max_mb": services_meeting._megabytes(services_meeting.max_document_bytes()),
            "back_url": reverse("standards:documents_list"),
        },
    )


@GET
@login_required
def document_download(request: HttpRequest, kind: str) -> HttpResponseBase:
    """One of the service's documents, to the service's staff and the carers invited to a meeting
    (SOC-8); never from a public address, never cached, never sniffed as anything but a PDF."""
    user = _user(request)
    document = get_object_or_404(services_meeting.documents_visible_to(user), kind=_kind(kind))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=False, filename=document.name
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# SOC-9: the minutes -----------------------------------------------------------------------------


@GET_POST
@login_required
@once
def minutes_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = selectors.meeting_for(user, pk)
    if meeting.chair_id != user.pk:
        raise Http404
    _require(user, "standards.record_minutes")
    log_view(request, meeting.household)
    form = MinutesForm(request.POST or None, initial={"minutes_sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = save_or_refuse(
            form,
            None,
            lambda: services.minutes_record(
                actor=user, meeting=meeting, sent_on=form.cleaned_data["minutes_sent_on"]
            ),
        )
        if done is not None:
            messages.success(request, "The minutes are recorded as sent.")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "standards/minutes_form.html",
        {
            "form": form,
            "meeting": meeting,
            "household": meeting.household,
            "deadline": services.minutes_deadline(meeting.meets_on),
            "back_url": _meeting_url(meeting),
        },
    )
