"""Pages of the CCTV exception request (rules: CCTV inside the home, CX-1 to CX-6).

Each view finds the household or the request through devices.selectors (404
when out of scope), checks the action permission (404 as well: deny without
revealing), parses the form, calls one service and puts any refusal back on the
form with what the person typed. Who signs in which capacity (CX-3), who answers
for a child (CX-4) and what still blocks a decision are asked of
devices.services_cctv, so a page offers exactly the steps the services accept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.concurrency import record_version
from safecare.core.formtools import add_service_errors, save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.pdf import pdf_response, render_pdf
from safecare.core.roles import Role
from safecare.core.signatures import content_hash
from safecare.households.models import Allocation, AllocationKind, Child, Household, HouseholdStatus

from . import selectors
from . import services_cctv as services
from .forms_cctv import (
    POLICY_CONDITIONS,
    ConsentForm,
    DecideForm,
    ReasonForm,
    RequestEditForm,
    RequestForm,
    SignForm,
)
from .models import (
    ACTIVE_REQUEST_STATUSES,
    REQUEST_SECTION_KEYS,
    REQUEST_SECTIONS,
    CctvConsent,
    CctvDecision,
    CctvReport,
    CctvRequest,
    Device,
    DeviceStatus,
    RequestStatus,
    RoomKind,
)
from .workflow import may_move

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])

# CX-3, CX-4: the report is being signed, or waits for its decision; the CSWs answer meanwhile.
ANSWERING = (RequestStatus.SIGNING, RequestStatus.AWAITING_DECISION)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _posted(request: HttpRequest) -> QueryDict | None:
    # An empty POST is still a POST: the service then gives its own reasons.
    return request.POST if request.method == "POST" else None


def _detail_url(cctv: CctvRequest) -> str:
    return reverse("devices:request_detail", kwargs={"pk": cctv.pk})


def _camera_choices(household: Household, cctv: CctvRequest | None = None) -> QuerySet[Device]:
    """CX-2: cameras on the register, planned or in use, and any the request already names.

    A camera removed from the register after it was chosen stays listed, so saving
    never drops it silently; the service names it when the request is submitted.
    """
    wanted = Q(status__in=[DeviceStatus.PLANNED, DeviceStatus.IN_USE])
    if cctv is not None:
        wanted |= Q(pk__in=cctv.devices.values("pk"))
    return Device.objects.filter(household=household).filter(wanted).order_by("room", "id")


def _csws(child_ids: list[int]) -> dict[int, User]:
    """CX-4: each child's allocated social worker, in one query."""
    allocations = (
        Allocation.objects.current()
        .filter(kind=AllocationKind.CHILDS, child_id__in=child_ids)
        .select_related("worker")
    )
    return {a.child_id: a.worker for a in allocations if a.child_id is not None}


def _decision_of(report: CctvReport) -> CctvDecision | None:
    try:
        return report.decision
    except CctvDecision.DoesNotExist:
        return None


def _reports(cctv: CctvRequest) -> list[CctvReport]:
    """Every round, newest first, each with its decision: one query however many rounds."""
    return list(cctv.reports.select_related("submitted_by", "decision__decided_by").order_by("-number"))


# What is signed and decided ----------------------------------------------------------------------


def _camera(entry: dict[str, Any]) -> dict[str, Any]:
    kind = str(entry.get("room_kind", ""))
    return {**entry, "room_kind_label": RoomKind(kind).label if kind in RoomKind.values else kind}


def _child(entry: dict[str, Any]) -> dict[str, Any]:
    born = entry.get("date_of_birth")
    try:
        date_of_birth = dt.date.fromisoformat(str(born)) if born else None
    except ValueError:
        date_of_birth = None
    return {"name": entry.get("name", ""), "date_of_birth": date_of_birth}


def _children_shown_to(viewer: User | None, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The children a report names, as this viewer may see them (decision 0023).

    Those who sign and decide see each name and date of birth, as the policy's form has them
    (viewer None: the printed form, for them). Anyone else sees the names of the children they
    may open (a carer, first names), no date of birth, and "another child placed here" for the rest.
    """
    if viewer is None or selectors.sees_every_child_named(viewer):
        return [_child(entry) for entry in entries]
    ids = [int(entry["id"]) for entry in entries if str(entry.get("id", "")).isdigit()]
    names = selectors.child_names_for(viewer, list(Child.objects.filter(pk__in=ids)))
    return [
        {"name": names.get(int(entry.get("id") or 0), selectors.ANOTHER_CHILD), "date_of_birth": None}
        for entry in entries
    ]


def _document(cctv: CctvRequest, report: CctvReport | None, viewer: User | None = None) -> dict[str, Any]:
    """The report exactly as submitted (what was signed and decided), or a draft never submitted."""
    if report is None:
        return {
            "number": None,
            "sections": cctv.section_items(),
            "period_start": cctv.period_start,
            "period_end": cctv.period_end,
            "cameras": [_camera(d.agreement_entry()) for d in cctv.devices.order_by("room", "id")],
            "children": [],
            "carers": [],
            "ssw": "",
        }
    content = report.content or {}
    texts = content.get("sections") or {}
    cameras = content.get("cameras")
    if cameras is None:
        cameras = [d.agreement_entry() for d in report.devices.order_by("pk")]
    children = content.get("children")
    if children is None:
        children = [
            {"id": c.pk, "name": c.full_name, "date_of_birth": c.date_of_birth.isoformat()}
            for c in report.children.order_by("pk")
        ]
    return {
        "number": report.number,
        "sections": [(key, label, str(texts.get(key, ""))) for key, label, _ in REQUEST_SECTIONS],
        "period_start": report.period_start,
        "period_end": report.period_end,
        "cameras": [_camera(entry) for entry in cameras],
        "children": _children_shown_to(viewer, list(children)),
        "carers": list(content.get("carers") or []),
        "ssw": str(content.get("supervising_social_worker") or ""),
    }


@dataclass(frozen=True)
class ChildAnswer:
    """CX-4: one child named in the report, their social worker and the answer, if any."""

    child: Child
    csw: User | None
    consent: CctvConsent | None
    may_answer: bool
    name: str  # as the reader may see the child (decision 0023)

    @property
    def shows_comments(self) -> bool:
        # What a social worker wrote about a child is not for someone who may not open that child.
        return self.name != selectors.ANOTHER_CHILD


def _answers(
    report: CctvReport, answerer: User | None = None, viewer: User | None = None
) -> list[ChildAnswer]:
    """CX-4: each child named in the report with their social worker's answer, in fixed queries.

    `answerer` is the person who may answer now, if anyone: they get a link for each
    of their children still waiting.
    """
    children = list(report.children.order_by("last_name", "first_name", "pk"))
    consents = {c.child_id: c for c in report.consents.select_related("csw")}
    csws = _csws([c.pk for c in children])
    names = (
        {c.pk: c.full_name for c in children}
        if viewer is None
        else selectors.child_names_for(viewer, children)
    )
    rows = []
    for child in children:
        csw = csws.get(child.pk)
        consent = consents.get(child.pk)
        mine = answerer is not None and csw is not None and csw.pk == answerer.pk
        rows.append(ChildAnswer(child, csw, consent, mine and consent is None, names[child.pk]))
    return rows


def _has_signed(steps: list[services.SigningStep], capacity: str, user: User) -> bool:
    mine = [s for s in steps if s.capacity == capacity]
    if capacity == services.CARER:
        # Each carer signs for themselves.
        return any(s.user_id == user.pk and s.done for s in mine)
    return any(s.done for s in mine)


def _waiting_for(steps: list[services.SigningStep], capacity: str) -> list[services.SigningStep]:
    """CX-3: the earlier signatures not made yet."""
    earlier = services.SIGNING_ORDER[: services.SIGNING_ORDER.index(capacity)]
    return [s for s in steps if s.capacity in earlier and not s.done]


def _signing(cctv: CctvRequest, report: CctvReport, user: User) -> dict[str, Any]:
    steps = services.signing_steps(report)
    capacity = services.signing_capacity(report, user) if user.has_perm("devices.sign_cctv_request") else None
    signed = capacity is not None and _has_signed(steps, capacity, user)
    return {
        "steps": steps,
        "capacity": capacity,
        "capacity_label": services.CAPACITY_LABELS[capacity] if capacity else "",
        "already_signed": signed,
        "waiting": _waiting_for(steps, capacity) if capacity else [],
        "can_sign": capacity is not None and cctv.status == RequestStatus.SIGNING and not signed,
    }


# The household's requests ------------------------------------------------------------------------


@GET
@login_required
def household_requests(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    log_view(request, household)
    every = list(
        CctvRequest.objects.filter(household=household)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    active = [r for r in every if r.status in ACTIVE_REQUEST_STATUSES]
    return render(
        request,
        "devices/cctv_requests.html",
        {
            "household": household,
            "active": active,
            "past": [r for r in every if r.status not in ACTIVE_REQUEST_STATUSES],
            "can_start": user.has_perm("devices.write_cctv_request")
            and not active
            and household.status == HouseholdStatus.APPROVED,
            # DV-4: an exception is for approved foster carers only.
            "not_approved": household.status != HouseholdStatus.APPROVED,
            "today": timezone.localdate(),
        },
    )


# Writing the report (CX-1, CX-2) -----------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: RequestForm, *, household: Household, cctv: CctvRequest | None
) -> HttpResponse:
    if cctv is None:
        title = "Start a request for CCTV inside the home"
        action = reverse("devices:request_create", kwargs={"pk": household.pk})
        back_url = reverse("devices:household_requests", kwargs={"pk": household.pk})
    else:
        title = f"Change CCTV request {cctv.reference}"
        action = reverse("devices:request_edit", kwargs={"pk": cctv.pk})
        back_url = _detail_url(cctv)
    return render(
        request,
        "devices/cctv_form.html",
        {
            "form": form,
            "household": household,
            "cctv": cctv,
            "title": title,
            "action": action,
            "back_url": back_url,
            "has_cameras": form.fields["devices"].queryset.exists(),  # type: ignore[attr-defined]
        },
    )


def _refused_form(cctv: CctvRequest, error: ValidationError) -> RequestEditForm:
    """The edit form as the request is saved, with every reason it cannot be submitted."""
    data = QueryDict(mutable=True)
    for key in REQUEST_SECTION_KEYS:
        data[key] = str(getattr(cctv, key))
    for key in ("period_start", "period_end"):
        value = getattr(cctv, key)
        data[key] = value.strftime("%d/%m/%Y") if value else ""
    data.setlist("devices", [str(pk) for pk in cctv.devices.values_list("pk", flat=True)])
    data["version"] = str(record_version(cctv))
    form = RequestEditForm(data, devices=_camera_choices(cctv.household, cctv))
    form.is_valid()
    add_service_errors(form, error)
    return form


def _submit(request: HttpRequest, user: User, cctv: CctvRequest) -> HttpResponse:
    """CX-1, CX-2: submit for signatures; a refusal shows every missing section on the form."""
    try:
        report = services.request_submit(actor=user, request=cctv)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        cctv.refresh_from_db()
        if cctv.is_editable:
            return _form_page(request, _refused_form(cctv, error), household=cctv.household, cctv=cctv)
        for message in error.messages:
            messages.error(request, message)
        return redirect(_detail_url(cctv))
    messages.success(
        request,
        f"Report {report.number} of {cctv.reference} is ready to sign: the carers first, then the "
        "supervising social worker, then the fostering team manager (CX-3).",
    )
    return redirect(_detail_url(cctv))


@GET_POST
@login_required
@once
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "devices.write_cctv_request")
    active = selectors.active_request(household)
    if active is not None:
        messages.info(
            request,
            f"This household already has request {active.reference} "
            f"({active.get_status_display().lower()}): change that one.",
        )
        return redirect(_detail_url(active))
    if request.method == "GET" and household.status != HouseholdStatus.APPROVED:
        # DV-4: the service refuses it too, naming the rule, if the form is posted anyway.
        messages.info(
            request,
            "DV-4: an exception for CCTV inside the home is for approved foster carers only; this household "
            f"is {household.get_status_display().lower()}.",
        )
        return redirect(reverse("devices:household_requests", kwargs={"pk": household.pk}))
    form = RequestForm(_posted(request), devices=_camera_choices(household))
    if request.method == "POST" and form.is_valid():
        fields = form.request_fields()
        cctv = save_or_refuse(
            form, None, lambda: services.request_create(actor=user, household=household, **fields)
        )
        if cctv is not None:
            if request.POST.get("action") == "submit":
                return _submit(request, user, cctv)
            messages.success(request, f"Draft {cctv.reference} has been saved.")
            return redirect(_detail_url(cctv))
    return _form_page(request, form, household=household, cctv=None)


@GET_POST
@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.write_cctv_request")
    household = cctv.household
    if request.method == "POST":
        # Posted whatever the status: a refusal keeps what was typed (nothing lost).
        form = RequestEditForm(request.POST, devices=_camera_choices(household, cctv))
        if form.is_valid():
            fields = form.request_fields()
            saved = save_or_refuse(
                form,
                cctv,
                lambda: services.request_update(
                    actor=user, request=cctv, version=form.cleaned_data["version"], **fields
                ),
            )
            if saved is not None:
                if request.POST.get("action") == "submit":
                    return _submit(request, user, saved)
                messages.success(request, f"{cctv.reference} has been saved.")
                return redirect(_detail_url(cctv))
        return _form_page(request, form, household=household, cctv=cctv)
    if not cctv.is_editable:
        messages.info(
            request,
            f"A request that is {cctv.get_status_display().lower()} cannot be changed"
            + ("; choose 'Change the report' first." if cctv.status in ANSWERING else "."),
        )
        return redirect(_detail_url(cctv))
    initial: dict[str, Any] = {key: getattr(cctv, key) for key in REQUEST_SECTION_KEYS}
    initial.update(
        period_start=cctv.period_start,
        period_end=cctv.period_end,
        devices=list(cctv.devices.values_list("pk", flat=True)),
        version=record_version(cctv),
    )
    form = RequestEditForm(initial=initial, devices=_camera_choices(household, cctv))
    return _form_page(request, form, household=household, cctv=cctv)


# The request page --------------------------------------------------------------------------------


@GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    log_view(request, cctv.household)
    reports = _reports(cctv)
    latest = reports[0] if reports else None
    decision = _decision_of(latest) if latest else None
    can_write = user.has_perm("devices.write_cctv_request")
    answerer = user if user.has_perm("devices.consent_cctv_request") and cctv.status in ANSWERING else None
    can_decide = (
        user.has_perm("devices.decide_cctv_request") and cctv.status == RequestStatus.AWAITING_DECISION
    )
    context: dict[str, Any] = {
        "cctv": cctv,
        "household": cctv.household,
        "cameras": [_camera(d.agreement_entry()) for d in cctv.devices.order_by("room", "id")],
        "latest": latest,
        "decision": decision,
        "decider_role": _role_label(decision.decider_role) if decision else "",
        "earlier": [(r, _decision_of(r)) for r in reports[1:]],
        "answers": _answers(latest, answerer, user) if latest else [],
        "expired": cctv.expired(),
        "can_edit": can_write and cctv.is_editable,
        "can_submit": can_write and may_move(cctv.status, RequestStatus.SIGNING),
        "can_revise": can_write and cctv.status in ANSWERING,
        "can_reopen": can_write and cctv.status == RequestStatus.AGREED,
        "can_withdraw": can_write and may_move(cctv.status, RequestStatus.WITHDRAWN),
        "can_decide": can_decide,
        # The decider sees what still blocks an agreement (CX-3, CX-4, CX-6).
        "problems": services.decision_problems(cctv, agreed=True) if can_decide else [],
        "can_pdf": user.has_perm("devices.download_cctv_request"),
    }
    if latest is not None:
        context.update(_signing(cctv, latest, user))
    return render(request, "devices/cctv_detail.html", context)


def _confirm_page(
    request: HttpRequest, cctv: CctvRequest, *, title: str, lead: str, button: str, warning: bool = False
) -> HttpResponse:
    return render(
        request,
        "devices/cctv_confirm.html",
        {
            "cctv": cctv,
            "household": cctv.household,
            "title": title,
            "lead": lead,
            "button": button,
            "warning": warning,
            "back_url": _detail_url(cctv),
        },
    )


@GET_POST
@login_required
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.write_cctv_request")
    if request.method == "POST":
        return _submit(request, user, cctv)
    return _confirm_page(
        request,
        cctv,
        title=f"Submit {cctv.reference} for signatures",
        lead="The report is frozen as it is now. The carers sign it first, then the supervising social "
        "worker, then the fostering team manager (CX-3); each child's social worker says whether they "
        "agree (CX-4). To change it after this, choose 'Change the report': everyone signs again.",
        button="Submit for signatures",
    )


# Signing (CX-3) ---------------------------------------------------------------------------------


@GET_POST
@login_required
def request_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.sign_cctv_request")
    report = selectors.latest_report(cctv)
    # Only the people who sign this report reach the page (a carer only their own household's).
    if report is None or services.signing_capacity(report, user) is None:
        raise Http404
    log_view(request, cctv.household)
    form = SignForm(_posted(request), initial={"shown_hash": content_hash(report.content)})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_sign(
                actor=user,
                request=cctv,
                confirmed=form.cleaned_data["confirm"],
                shown_hash=form.cleaned_data["shown_hash"],
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            _sign_errors(form, error)
        else:
            messages.success(request, f"You have signed report {report.number} of {cctv.reference}.")
            return redirect(_detail_url(cctv))
    signing = _signing(cctv, report, user)
    return render(
        request,
        "devices/cctv_sign.html",
        {
            **signing,
            "form": form,
            "cctv": cctv,
            "household": cctv.household,
            "report": report,
            "document": _document(cctv, report, user),
            "show_form": request.method == "POST" or signing["can_sign"],
            "back_url": _detail_url(cctv),
        },
    )


def _sign_errors(form: SignForm, error: ValidationError) -> None:
    """Only the unticked box belongs to the checkbox; why a signature is refused (order, capacity) is the page's."""
    for message in error.messages:
        prefix, _, rest = message.partition(": ")
        if prefix == "Confirmation" and rest:
            form.add_error("confirm", rest)
        else:
            form.add_error(None, message)


# The children's social workers (CX-4) -----------------------------------------------------------


@GET_POST
@login_required
def request_consent(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.consent_cctv_request")
    report = selectors.latest_report(cctv)
    child = report.children.filter(pk=child_pk).first() if report else None
    # CX-4: only the child's allocated social worker answers for a child named in the report.
    if report is None or child is None:
        raise Http404
    csw = _csws([child.pk]).get(child.pk)
    if csw is None or csw.pk != user.pk:
        raise Http404
    log_view(request, cctv.household)
    answer = CctvConsent.objects.filter(report=report, child=child).first()
    form = ConsentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        consent = save_or_refuse(
            form,
            None,
            lambda: services.report_consent(
                actor=user,
                request=cctv,
                child=child,
                agrees=form.agrees_value(),
                comments=form.cleaned_data["comments"],
            ),
        )
        if consent is not None:
            messages.success(request, f"Your answer for {child.full_name} has been recorded.")
            return redirect(_detail_url(cctv))
    return render(
        request,
        "devices/cctv_consent.html",
        {
            "form": form,
            "cctv": cctv,
            "household": cctv.household,
            "child": child,
            "answer": answer,
            "document": _document(cctv, report, user),
            "show_form": request.method == "POST" or (answer is None and cctv.status in ANSWERING),
            "back_url": _detail_url(cctv),
        },
    )


# The decision (CX-3, CX-5) -----------------------------------------------------------------------


@GET_POST
@login_required
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.decide_cctv_request")
    log_view(request, cctv.household)
    form = DecideForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        decision = save_or_refuse(
            form,
            None,
            lambda: services.request_decide(
                actor=user,
                request=cctv,
                agreed=form.agreed_value(),
                comments=form.cleaned_data["comments"],
                conditions=form.cleaned_data["conditions"],
            ),
        )
        if decision is not None:
            word = "agreed" if decision.agreed else "not agreed"
            messages.success(
                request, f"Your decision on {cctv.reference} ({word}) has been sent to the carers (CX-5)."
            )
            return redirect(_detail_url(cctv))
    report = selectors.latest_report(cctv)
    return render(
        request,
        "devices/cctv_decide.html",
        {
            "form": form,
            "cctv": cctv,
            "household": cctv.household,
            "report": report,
            "document": _document(cctv, report, user) if report else None,
            "problems": services.decision_problems(cctv, agreed=True),
            "conditions": POLICY_CONDITIONS,
            "show_form": request.method == "POST" or cctv.status == RequestStatus.AWAITING_DECISION,
            "back_url": _detail_url(cctv),
        },
    )


# Changing, reopening, withdrawing (CX-6) --------------------------------------------------------


def _act(request: HttpRequest, cctv: CctvRequest, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(_detail_url(cctv))


@GET_POST
@login_required
def request_revise(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.write_cctv_request")
    if request.method == "POST":
        return _act(
            request,
            cctv,
            lambda: services.request_revise(actor=user, request=cctv),
            f"{cctv.reference} is a draft again. Change it and submit it: everyone signs the new report.",
        )
    return _confirm_page(
        request,
        cctv,
        title=f"Change the report of {cctv.reference}",
        lead="The request goes back to a draft. The signatures and answers on the submitted report are "
        "kept with it, and the changed report is signed and answered again from the start (CX-3, CX-4).",
        button="Change the report",
    )


@GET_POST
@login_required
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.write_cctv_request")
    if request.method == "POST":
        return _act(
            request,
            cctv,
            lambda: services.request_withdraw(actor=user, request=cctv),
            f"{cctv.reference} has been withdrawn.",
        )
    lead = "The request is closed and cannot be reopened; a new request can be started."
    if cctv.status == RequestStatus.AGREED:
        lead += " The exception ends now: cameras inside the home need a new agreement or must be removed."
    return _confirm_page(
        request, cctv, title=f"Withdraw {cctv.reference}", lead=lead, button="Withdraw", warning=True
    )


@GET_POST
@login_required
def request_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    _require(user, "devices.write_cctv_request")
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        reopened = save_or_refuse(
            form,
            None,
            lambda: services.request_reopen(actor=user, request=cctv, reason=form.cleaned_data["reason"]),
        )
        if reopened is not None:
            messages.success(
                request,
                f"{cctv.reference} has been reopened. Change the report and submit it for a new decision.",
            )
            return redirect(_detail_url(cctv))
    return render(
        request,
        "devices/cctv_reopen.html",
        {"form": form, "cctv": cctv, "household": cctv.household, "back_url": _detail_url(cctv)},
    )


# The printed report -----------------------------------------------------------------------------


@GET
@login_required
def request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    cctv = selectors.request_for(user, pk)
    # PH-1: carers read the request and the decision in the portal; staff may print it.
    _require(user, "devices.download_cctv_request")
    log_view(request, cctv.household)
    context = pdf_context(cctv, viewer=user)
    pdf = render_pdf("devices/cctv_pdf.html", context)
    report = context["report"]
    suffix = f"-report-{report.number}" if report else "-draft"
    return pdf_response(pdf, f"{cctv.reference}{suffix}.pdf")


def pdf_context(cctv: CctvRequest, *, viewer: User | None = None) -> dict[str, Any]:
    """What the printed report shows: the latest report, its signatures, answers and decision,
    with the children named as `viewer` may see them (None: every child, for the form's signers)."""
    report = selectors.latest_report(cctv)
    decision = _decision_of(report) if report else None
    return {
        "service": cctv.household.service,
        "cctv": cctv,
        "household": cctv.household,
        "report": report,
        "document": _document(cctv, report, viewer),
        "steps": services.signing_steps(report) if report else [],
        "answers": _answers(report, viewer=viewer) if report else [],
        "decision": decision,
        "decider_role": _role_label(decision.decider_role) if decision else "",
        "conditions": POLICY_CONDITIONS,
        "printed_at": timezone.now(),
    }


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role
