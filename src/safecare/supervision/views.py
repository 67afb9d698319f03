"""Pages for carers' recordings (SC-7, PH-2) and supervision records (SC-10, DV-2).

Each view: find the record through the scopes (404 when out of scope), check
the action permission (also 404), parse the form, call one service, and put
any refusal back onto the form with what the person typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.concurrency import record_version
from safecare.core.formtools import paginate, save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.pdf import pdf_response, render_pdf
from safecare.core.roles import Role
from safecare.households import selectors as household_selectors

from . import selectors, services
from .forms import AmendmentForm, MarkReadForm, RecordingEditForm, RecordingForm, SupervisionForm
from .models import RecordingCategory, Supervision

PAGE_SIZE = 50
GET = require_http_methods(["GET"])
POST = require_http_methods(["POST"])
GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str, obj: Any = None) -> None:
    # Seeing the record but not being allowed to act is answered like not seeing it.
    if not user.has_perm(perm, obj):
        raise Http404


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _page(request: HttpRequest, items: Any) -> tuple[Any, str]:
    return paginate(request, items, PAGE_SIZE)


# Recordings ----------------------------------------------------------------------------------


@GET
@login_required
def household_recordings(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    log_view(request, household)
    unread_only = request.GET.get("show") == "unread"
    recordings = selectors.household_recordings(user, household, unread_only=unread_only)
    page, querystring = _page(request, recordings)
    can_mark = user.has_perm("supervision.mark_recording_read")
    return render(
        request,
        "supervision/household_recordings.html",
        {
            "household": household,
            "page_obj": page,
            "querystring": querystring,
            "unread_only": unread_only,
            "can_mark": can_mark,
            "is_carer": user.role == Role.CARER,
            "mark_url": reverse("supervision:household_recordings_read", kwargs={"pk": household.pk}),
        },
    )


@POST
@login_required
def household_recordings_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    _require(user, "supervision.mark_recording_read")
    back = reverse("supervision:household_recordings", kwargs={"pk": household.pk})
    return _mark_read(request, user, household, back=back, supervision=None)


def _mark_read(
    request: HttpRequest, user: User, household: Any, *, back: str, supervision: Supervision | None
) -> HttpResponse:
    choices = selectors.recordings_visible_to(user).filter(household=household)
    form = MarkReadForm(request.POST, recordings=choices)
    target = _next(request, back)
    if not form.is_valid():
        messages.info(request, "Choose the recordings you have read.")
        return redirect(target)
    made = services.recordings_mark_read(
        actor=user, recordings=form.cleaned_data["recordings"], supervision=supervision
    )
    messages.success(request, f"{made} recording{'s' if made != 1 else ''} marked as read.")
    return redirect(target)


@GET
@login_required
def child_recordings(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = household_selectors.child_for(user, pk)
    log_view(request, child)
    page, querystring = _page(request, selectors.child_recordings(user, child))
    can_write = (
        user.has_perm("supervision.add_recording") and household_selectors.child_placements(user, child) != []
    )
    return render(
        request,
        "supervision/child_recordings.html",
        {
            "child": child,
            "page_obj": page,
            "querystring": querystring,
            "can_write": can_write,
            "can_mark": user.has_perm("supervision.mark_recording_read"),
            "is_carer": user.role == Role.CARER,
        },
    )


@GET_POST
@login_required
@once
def recording_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = household_selectors.child_for(user, pk)
    _require(user, "supervision.add_recording")
    form = RecordingForm(request.POST or None, initial=RecordingForm.initial_for())
    if request.method == "POST" and form.is_valid():
        recording = save_or_refuse(
            form,
            None,
            lambda: services.recording_create(
                actor=user,
                child=child,
                recorded_on=form.cleaned_data["recorded_on"],
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
            ),
        )
        if recording:
            messages.success(request, "Your recording has been saved.")
            return redirect("supervision:child_recordings", pk=child.pk)
    return render(
        request,
        "supervision/recording_form.html",
        {
            "form": form,
            "child": child,
            "title": f"Write a recording about {child.first_name}",
            "back_url": reverse("supervision:child_recordings", kwargs={"pk": child.pk}),
        },
    )


@GET
@login_required
def recording_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    recording = selectors.recording_for(user, pk)
    log_view(request, recording.child)
    versions: list[Any] = []
    if recording.is_edited and user.has_perm("supervision.view_recording_history"):
        versions = list(recording.history.select_related("history_user").order_by("-history_id"))
    reads = []
    if user.role != Role.CARER:
        reads = list(recording.reads.select_related("reader").order_by("-read_at"))
    return render(
        request,
        "supervision/recording_detail.html",
        {
            "recording": recording,
            "versions": versions,
            "reads": reads,
            "categories": dict(RecordingCategory.choices),
            "can_edit": user.has_perm("supervision.change_recording", recording),
            "can_mark": user.has_perm("supervision.mark_recording_read")
            and not getattr(recording, "is_read", False),
        },
    )


@GET_POST
@login_required
def recording_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    recording = selectors.recording_for(user, pk)
    _require(user, "supervision.change_recording", recording)
    if request.method == "POST":
        form = RecordingEditForm(request.POST)
        if form.is_valid() and save_or_refuse(
            form,
            recording,
            lambda: services.recording_update(
                actor=user,
                recording=recording,
                expected_version=form.cleaned_data["version"],
                recorded_on=form.cleaned_data["recorded_on"],
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
            ),
        ):
            messages.success(request, "Your recording has been updated.")
            return redirect("supervision:recording_detail", pk=recording.pk)
    else:
        form = RecordingEditForm(
            initial={**RecordingForm.initial_for(recording), "version": record_version(recording)}
        )
    return render(
        request,
        "supervision/recording_form.html",
        {
            "form": form,
            "child": recording.child,
            "title": "Change your recording",
            "lead": "The earlier version is kept, and your supervising social worker can see it.",
            "back_url": reverse("supervision:recording_detail", kwargs={"pk": recording.pk}),
        },
    )


@POST
@login_required
def recording_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    recording = selectors.recording_for(user, pk)
    _require(user, "supervision.mark_recording_read")
    services.recordings_mark_read(actor=user, recordings=[recording])
    messages.success(request, f"Recording {recording.reference} marked as read.")
    return redirect(_next(request, reverse("supervision:recording_detail", kwargs={"pk": recording.pk})))


# Supervisions --------------------------------------------------------------------------------


def _supervision_staff(user: User) -> None:
    if user.role not in selectors.HOUSEHOLD_SIDE and user.role != Role.CARER:
        raise Http404


@GET
@login_required
def supervision_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    _supervision_staff(user)
    log_view(request, household)
    page, querystring = _page(request, selectors.household_supervisions(user, household))
    return render(
        request,
        "supervision/supervision_list.html",
        {
            "household": household,
            "page_obj": page,
            "querystring": querystring,
            "can_write": user.has_perm("supervision.change_supervision"),
            "is_carer": user.role == Role.CARER,
            "next_task": selectors.next_supervision_task(household) if user.role != Role.CARER else None,
        },
    )


def _supervision_context(user: User, household: Any, form: SupervisionForm, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "household": household,
        **extra,
    }


@GET_POST
@login_required
@once
def supervision_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = household_selectors.household_for(user, pk)
    _require(user, "supervision.change_supervision")
    held_on = timezone.localdate()
    due = selectors.device_check_due(household, held_on=held_on)
    form = SupervisionForm(
        request.POST or None, household=household, device_check_due=due, initial={"held_on": held_on}
    )
    if request.method == "POST" and form.is_valid():
        complete = request.POST.get("action") == "complete"
        supervision = save_or_refuse(
            form,
            None,
            lambda: services.supervision_create(
                actor=user, household=household, complete=complete, **form.values()
            ),
        )
        if supervision:
            messages.success(
                request, "The supervision record is complete." if complete else "The draft has been saved."
            )
            return redirect("supervision:supervision_detail", pk=supervision.pk)
    return render(
        request,
        "supervision/supervision_form.html",
        _supervision_context(
            user,
            household,
            form,
            title="Record a supervision",
            device_check_due=due,
            back_url=reverse("supervision:supervision_list", kwargs={"pk": household.pk}),
        ),
    )


@GET
@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    supervision = selectors.supervision_for(user, pk)
    household = supervision.household
    log_view(request, household)
    can_write = user.has_perm("supervision.change_supervision")
    can_mark = user.has_perm("supervision.mark_recording_read")
    return render(
        request,
        "supervision/supervision_detail.html",
        {
            "supervision": supervision,
            "household": household,
            "attendees": list(supervision.attendees.all()),
            "amendments": list(supervision.amendments.select_related("made_by")),
            "unread": selectors.unread_for_supervision(user, household) if can_mark else [],
            "read_here": list(
                supervision.reads.select_related("recording__child", "reader").order_by("read_at")
            )
            if can_mark
            else [],
            "can_write": can_write,
            "can_mark": can_mark,
            "can_acknowledge": user.has_perm("supervision.acknowledge_supervision")
            and supervision.is_completed
            and supervision.acknowledged_at is None,
            "device_check_due": not supervision.is_completed
            and selectors.device_check_due(household, held_on=supervision.held_on, exclude=supervision.pk),
            "can_pdf": user.has_perm("supervision.download_supervision"),
        },
    )


@GET
@login_required
def supervision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    supervision = selectors.supervision_for(user, pk)
    # PH-1: carers read the record in the portal; the household's side may print it.
    _require(user, "supervision.download_supervision")
    log_view(request, supervision.household)
    pdf = render_pdf("supervision/supervision_pdf.html", supervision_pdf_context(supervision))
    return pdf_response(pdf, f"{supervision.reference}.pdf")


def supervision_pdf_context(supervision: Supervision) -> dict[str, Any]:
    """What the printed record shows: the record as its page shows it to the household's side."""
    return {
        "service": supervision.service,
        "supervision": supervision,
        "household": supervision.household,
        "attendees": list(supervision.attendees.all()),
        "amendments": list(supervision.amendments.select_related("made_by")),
        "read_here": list(supervision.reads.select_related("recording__child", "reader").order_by("read_at")),
        "written_by_role": _role_label(supervision.written_by.role),
        "completed_by_role": _role_label(supervision.completed_by.role) if supervision.completed_by else "",
        "device_check_due": not supervision.is_completed
        and selectors.device_check_due(
            supervision.household, held_on=supervision.held_on, exclude=supervision.pk
        ),
        "printed_at": timezone.now(),
    }


def _role_label(role: str) -> str:
    # In running text, as the policies write the roles: "supervising social worker".
    return str(Role(role).label).lower() if role in Role.values else role


@GET_POST
@login_required
def supervision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    supervision = selectors.supervision_for(user, pk)
    _require(user, "supervision.change_supervision")
    if supervision.is_completed:
        # Locked: a correction is an amendment beneath the record.
        return redirect("supervision:supervision_amend", pk=supervision.pk)
    household = supervision.household
    if request.method == "POST":
        held_on = timezone.localdate()
        due = selectors.device_check_due(household, held_on=held_on, exclude=supervision.pk)
        form = SupervisionForm(request.POST, household=household, device_check_due=due)
        if form.is_valid():
            due = selectors.device_check_due(
                household, held_on=form.cleaned_data["held_on"], exclude=supervision.pk
            )
            complete = request.POST.get("action") == "complete"
            if save_or_refuse(
                form,
                supervision,
                lambda: services.supervision_update(
                    actor=user,
                    supervision=supervision,
                    expected_version=form.cleaned_data["version"],
                    complete=complete,
                    **form.values(),
                ),
            ):
                messages.success(
                    request,
                    "The supervision record is complete." if complete else "The draft has been saved.",
                )
                return redirect("supervision:supervision_detail", pk=supervision.pk)
    else:
        due = selectors.device_check_due(household, held_on=supervision.held_on, exclude=supervision.pk)
        form = SupervisionForm(
            household=household,
            device_check_due=due,
            initial={**SupervisionForm.initial_for(supervision), "version": record_version(supervision)},
        )
    return render(
        request,
        "supervision/supervision_form.html",
        _supervision_context(
            user,
            household,
            form,
            supervision=supervision,
            title="Change the supervision record",
            device_check_due=due,
            back_url=reverse("supervision:supervision_detail", kwargs={"pk": supervision.pk}),
        ),
    )


@POST
@login_required
def supervision_recordings_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    supervision = selectors.supervision_for(user, pk)
    _require(user, "supervision.mark_recording_read")
    back = reverse("supervision:supervision_detail", kwargs={"pk": supervision.pk})
    return _mark_read(request, user, supervision.household, back=back, supervision=supervision)


@GET_POST
@login_required
def supervision_amend(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    supervision = selectors.supervision_for(user, pk)
    _require(user, "supervision.change_supervision")
    if not supervision.is_completed:
        return redirect("supervision:supervision_edit", pk=supervision.pk)
    form = AmendmentForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_refuse(
            form,
            supervision,
            lambda: services.supervision_amend(
                actor=user, supervision=supervision, text=form.cleaned_data["text"]
            ),
        )
    ):
        messages.success(request, "The correction has been added to the record.")
        return redirect("supervision:supervision_detail", pk=supervision.pk)
    return render(
        request,
        "supervision/amend.html",
        {
            "form": form,
            "supervision": supervision,
            "household": supervision.household,
            "back_url": reverse("supervision:supervision_detail", kwargs={"pk": supervision.pk}),
        },
    )


@POST
@login_required
def supervision_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    supervision = selectors.supervision_for(user, pk)
    _require(user, "supervision.acknowledge_supervision")
    try:
        services.supervision_acknowledge(actor=user, supervision=supervision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404 from error
    else:
        messages.success(request, "Thank you: you have acknowledged the supervision record.")
    return redirect("supervision:supervision_detail", pk=supervision.pk)
