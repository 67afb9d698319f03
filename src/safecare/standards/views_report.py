"""Standards of care pages: the meeting report (SOC-7, SOC-8, SOC-12), routes in standards.urls_report.

Who opens what is decided by standards.selectors (404 outside it); what each person may do
by the services in standards.services_report, whose refusals go back onto the forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.concurrency import record_version
from safecare.core.formtools import save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.pdf import pdf_response, render_pdf
from safecare.core.roles import Role
from safecare.households.selectors import current_carers

from . import selectors
from . import services_report as services
from .forms_report import (
    CarerReceiptForm,
    QaForm,
    ReceiptForm,
    ReportForm,
    RescheduleForm,
    ResponseForm,
    SendForm,
    SubmitForm,
)
from .models import REPORT_SECTIONS, Meeting, MeetingReport, Recipient, ReportVersion
from .services import report_notice as services_notice

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _meeting_url(meeting: Meeting) -> str:
    return reverse("standards:meeting_detail", kwargs={"pk": meeting.pk})


def _form_page(request: HttpRequest, form: Any, meeting: Meeting, **context: Any) -> HttpResponse:
    return render(
        request,
        "standards/form.html",
        {"form": form, "household": meeting.household, "back_url": _meeting_url(meeting), **context},
    )


def section_labels() -> list[tuple[str, str]]:
    return [(name, str(MeetingReport._meta.get_field(name).verbose_name)) for name in REPORT_SECTIONS]  # type: ignore[union-attr]


def _may_write(user: User, report: MeetingReport | None, meeting: Meeting) -> bool:
    """services_report.may_write, with the household's worker read with the meeting
    (selectors.meeting_for_page): the SSW, and the child's social worker named on the report."""
    if not user.has_perm("standards.write_report"):
        return False
    if report is not None and user.role == Role.CHILDS_SW:
        return report.csw_id == user.pk
    return user.role == Role.SUPERVISING_SW and meeting.household_worker_id == user.pk  # type: ignore[attr-defined]


def _may_send(user: User) -> bool:
    """services_report.may_send, for a meeting the reader sees (the page's)."""
    return user.has_perm("standards.send_report") and user.role not in (
        Role.CARER,
        Role.CHILDS_SW,
        Role.BUSINESS_SUPPORT,
    )


def meeting_context(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    """The report's part of the meeting page: its state and what this reader may do next.
    `meeting` is as selectors.meeting_for_page read it, with its report if the reader sees it."""
    is_carer = user.role == Role.CARER
    versions = selectors.report_versions_visible_to(user).filter(report__meeting=meeting).order_by("-number")
    latest = versions.first()
    report = None
    if not is_carer and user.role != Role.BUSINESS_SUPPORT:
        report = selectors.part_of(meeting, "report")
        if report is not None:
            report.meeting = meeting  # already read, with its household
    state = services.version_state(latest) if latest is not None else None
    sendings = list(
        selectors.sendings_visible_to(user)
        .filter(version__report__meeting=meeting)
        .select_related("version", "receipt", "sent_by")
        .order_by("sent_on", "id")
    )
    responses = list(
        selectors.carer_responses_visible_to(user).filter(meeting=meeting).select_related("sent_by")
    )
    writer = _may_write(user, report, meeting) and not hasattr(meeting, "outcome")
    is_ssw = user.role == Role.SUPERVISING_SW and writer
    qa_pending = bool(state and state["signed"] and state["qa"] is None)
    return {
        "report": report,
        "report_version": latest,
        "report_state": state,
        "report_sendings": sendings,
        "carer_responses": responses,
        "may_write_report": writer,
        "may_submit_report": is_ssw and report is not None,
        "may_qa_report": qa_pending
        and user.has_perm("standards.qa_report")
        and user.team_id == meeting.household.team_id,
        "may_send_report": bool(state and state["qa_done"]) and _may_send(user),
        "may_respond": is_carer
        and any(s.recipient == Recipient.CARER for s in sendings)
        and timezone.localdate() <= meeting.meets_on,
        "may_move_meeting": (user.has_perm("standards.arrange_meeting") or user.role == Role.BUSINESS_SUPPORT)
        and not is_carer
        and not hasattr(meeting, "outcome"),
        "carer_receipt_to_confirm": next(
            (
                s
                for s in sendings
                if is_carer and s.recipient == Recipient.CARER and not hasattr(s, "receipt")
            ),
            None,
        ),
    }


@GET_POST
@login_required
@once
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7: the SSW and the named CSW write the report's sections; saved as a draft."""
    user = _user(request)
    meeting = selectors.meeting_for(user, pk)
    report = MeetingReport.objects.filter(meeting=meeting).select_related("meeting").first()
    if not services.may_write(user, report or meeting):
        raise Http404
    log_view(request, meeting.household)
    is_ssw = user.role == Role.SUPERVISING_SW
    form = ReportForm(
        request.POST or None,
        instance=report,
        initial={"version": record_version(report)} if report is not None else None,
        csw_choices=services.csw_choices(meeting) if is_ssw else [],
        may_name_csw=is_ssw,
    )
    if request.method == "POST" and form.is_valid():
        saved = save_or_refuse(
            form,
            report,
            lambda: services.report_save(
                actor=user,
                meeting=meeting,
                values=form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, "The report is saved. It is a draft until you submit it for QA.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        meeting,
        title="Write the meeting report",
        caption="SOC-7",
        lead="Write each section of the standards of care concerns meeting report. The facts from the records "
        "(the carers, the household, the workers) and the chronology of previous concerns (SOC-12) are added "
        "by Safecare when you submit it.",
        submit="Save the draft",
    )


@GET_POST
@login_required
@once
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7: the SSW submits the report for QA: frozen as a version and signed."""
    user = _user(request)
    meeting = selectors.meeting_for(user, pk)
    report = get_object_or_404(selectors.reports_visible_to(user), meeting=meeting)
    if user.role != Role.SUPERVISING_SW or not services.may_write(user, report):
        raise Http404
    log_view(request, meeting.household)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = save_or_refuse(form, None, lambda: services.report_submit(actor=user, report=report))
        if version is not None:
            messages.success(request, f"Version {version.number} of the report is signed and sent for QA.")
            return redirect("standards:report_version", pk=version.pk)
    return render(
        request,
        "standards/report_submit.html",
        {
            "form": form,
            "meeting": meeting,
            "household": meeting.household,
            "report": report,
            "rows": [(name, label, getattr(report, name)) for name, label in section_labels()],
            "back_url": _meeting_url(meeting),
        },
    )


def _version_context(user: User, version: ReportVersion) -> dict[str, Any]:
    meeting = version.report.meeting
    state = services.version_state(version)
    content = version.content
    facts = content.get("facts", {})
    return {
        "version": version,
        "meeting": meeting,
        "household": meeting.household,
        "content": content,
        "facts": facts,
        "sections": [(label, content.get("sections", {}).get(name, "")) for name, label in section_labels()],
        "chronology": content.get("chronology", []),
        "state": state,
        "is_latest": services.latest_version(version.report) == version,
        "sendings": list(
            selectors.sendings_visible_to(user)
            .filter(version=version)
            .select_related("receipt")
            .order_by("sent_on", "id")
        ),
    }


@GET
@login_required
def report_version(request: HttpRequest, pk: int) -> HttpResponse:
    """One frozen version of the report, as signed, QA'd and sent; what the carer reads (SOC-7)."""
    user = _user(request)
    version = selectors.report_version_for(user, pk)
    log_view(request, version.report.meeting.household)
    context = _version_context(user, version)
    meeting = context["meeting"]
    state = context["state"]
    context.update(
        {
            "is_carer": user.role == Role.CARER,
            "may_qa": context["is_latest"]
            and state["signed"]
            and state["qa"] is None
            and user.has_perm("standards.qa_report")
            and user.team_id == meeting.household.team_id,
            "may_send": context["is_latest"] and state["qa_done"] and services.may_send(user, meeting),
            "may_download": user.role != Role.CARER,
            "carer_receipt": next(
                (
                    s
                    for s in context["sendings"]
                    if user.role == Role.CARER
                    and s.recipient == Recipient.CARER
                    and not hasattr(s, "receipt")
                ),
                None,
            ),
        }
    )
    return render(request, "standards/report_version.html", context)


@GET
@login_required
def report_version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7, SOC-12: the report as a PDF, for staff; carers read it in the portal."""
    user = _user(request)
    if user.role == Role.CARER:
        raise Http404
    version = selectors.report_version_for(user, pk)
    log_view(request, version.report.meeting.household)
    context = _version_context(user, version)
    context["service"] = version.service
    context["printed_at"] = timezone.localtime()
    pdf = render_pdf("standards/report_pdf.html", context)
    return pdf_response(pdf, f"soc-meeting-report-{version.report.meeting_id}-v{version.number}.pdf")


@GET_POST
@login_required
@once
def report_qa(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7: the fostering team manager QAs the submitted version."""
    user = _user(request)
    version = selectors.report_version_for(user, pk)
    if not user.has_perm("standards.qa_report"):
        raise Http404
    meeting = version.report.meeting
    log_view(request, meeting.household)
    form = QaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = save_or_refuse(form, None, lambda: services.report_qa(actor=user, version=version))
        if done is not None:
            messages.success(request, f"Version {version.number} is QA'd. It can now be sent.")
            return redirect("standards:report_version", pk=version.pk)
    return _form_page(
        request,
        form,
        meeting,
        title=f"QA version {version.number} of the meeting report",
        caption="SOC-7",
        lead="Read the report first. Once you QA it, it can be sent to the chair and the carer; a change "
        "after that makes a new version that needs QA again.",
        back_url=reverse("standards:report_version", kwargs={"pk": version.pk}),
        submit="QA the report",
    )


@GET_POST
@login_required
@once
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7: record the QA'd report sent to the chair, the carer or their advocate."""
    user = _user(request)
    version = selectors.report_version_for(user, pk)
    meeting = version.report.meeting
    if user.role == Role.CARER or not services.may_send(user, meeting):
        raise Http404
    log_view(request, meeting.household)
    form = SendForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = save_or_refuse(
            form,
            None,
            lambda: services.report_send(
                actor=user,
                version=version,
                recipient=data["recipient"],
                recipient_name=data["recipient_name"],
                how=data["how"],
                sent_on=data["sent_on"],
                receipt_confirmed=data["receipt_confirmed"],
            ),
        )
        if sent is not None:
            messages.success(request, f"Recorded: the report was sent to {sent.recipient_name}.")
            return redirect(_meeting_url(meeting))
    notice = services_notice(meeting.service, meeting.meets_on)
    carers = ", ".join(c.display_name for c in current_carers(meeting.household))
    return _form_page(
        request,
        form,
        meeting,
        title="Record the report as sent",
        caption="SOC-7",
        lead=f"For the meeting on {meeting.meets_on:%A %-d %B %Y} the report must reach the chair by "
        f"{notice.chair_by:%A %-d %B %Y} and the carer ({carers or 'no carer with an account'}) and any advocate "
        f"by {notice.carer_by:%A %-d %B %Y}. Sent in Safecare, the carer reads it in their portal.",
        submit="Record as sent",
    )


@GET_POST
@login_required
@once
def receipt_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7: receipt confirmed: the carer ticks a box; staff record the date."""
    user = _user(request)
    sending = get_object_or_404(
        selectors.sendings_visible_to(user).select_related("version__report__meeting__household"), pk=pk
    )
    meeting = sending.version.report.meeting
    is_carer = user.role == Role.CARER
    if not is_carer and not services.may_send(user, meeting):
        raise Http404
    log_view(request, meeting.household)
    form: Any = (
        CarerReceiptForm(request.POST or None)
        if is_carer
        else ReceiptForm(request.POST or None, initial={"confirmed_on": timezone.localdate()})
    )
    if request.method == "POST" and form.is_valid():
        confirmed_on = None if is_carer else form.cleaned_data["confirmed_on"]
        done = save_or_refuse(
            form,
            None,
            lambda: services.receipt_confirm(actor=user, sending=sending, confirmed_on=confirmed_on),
        )
        if done is not None:
            messages.success(request, "Thank you: receipt of the report is recorded.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        meeting,
        title="Confirm the report was received" if not is_carer else "Say you have received the report",
        caption="" if is_carer else "SOC-7",
        submit="Confirm",
    )


@GET_POST
@login_required
@once
def carer_response(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-8: the carer sends a response to the chair."""
    user = _user(request)
    meeting = selectors.meeting_for(user, pk)
    if user.role != Role.CARER:
        raise Http404
    log_view(request, meeting.household)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = save_or_refuse(
            form,
            None,
            lambda: services.carer_response_send(actor=user, meeting=meeting, text=form.cleaned_data["text"]),
        )
        if sent is not None:
            messages.success(request, "Your response has been sent to the chair of the meeting.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        meeting,
        title="Send a response to the chair",
        lead=f"The chair of your meeting on {meeting.meets_on:%A %-d %B %Y} will read it before the meeting.",
        submit="Send to the chair",
    )


@GET_POST
@login_required
@once
def meeting_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """SOC-7: move the meeting to a date that leaves room for the report's notice."""
    user = _user(request)
    meeting = selectors.meeting_for(user, pk)
    if user.role in (Role.CARER, Role.CHILDS_SW) or not (
        user.has_perm("standards.arrange_meeting") or user.role == Role.BUSINESS_SUPPORT
    ):
        raise Http404
    log_view(request, meeting.household)
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moved = save_or_refuse(
            form,
            None,
            lambda: services.meeting_reschedule(
                actor=user,
                meeting=meeting,
                meets_on=form.cleaned_data["meets_on"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if moved is not None:
            messages.success(request, f"The meeting is now on {moved.meets_on:%A %-d %B %Y}.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        meeting,
        title="Move the meeting",
        caption="SOC-7",
        lead=f"It is on {meeting.meets_on:%A %-d %B %Y}. The new date must leave 5 clear working days for the "
        "report to reach the chair and 10 calendar days for the carer. Open tasks move with it.",
        submit="Move the meeting",
    )
