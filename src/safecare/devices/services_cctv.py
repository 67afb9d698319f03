"""The CCTV exception procedure's writes (CX-1 to CX-6): keyword-only, one transaction, history and duties inside.

Every change of a request's state goes through request_transition (the table in
devices.workflow). Refusals are ValidationErrors keyed by field, each message
naming the field and the rule; a permission refusal is PermissionDenied (404).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.concurrency import check_version
from safecare.core.deadlines import Deadline, long_date
from safecare.core.models import Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.roles import Role
from safecare.core.signatures import check_signatures, content_hash, sign, signatures_of
from safecare.core.tasks import task_open, tasks_cancel, tasks_close
from safecare.households.models import (
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MemberKind,
    Placement,
)
from safecare.households.selectors import child_csw

from .assessment import contexts, placements_of
from .duties import agreement_update_deadline, cctv_step_deadline, expiry_deadline
from .guards import household_ssw, require, require_household
from .models import (
    ACTIVE_REQUEST_STATUSES,
    REQUEST_SECTION_KEYS,
    REQUEST_SECTION_LABELS,
    CctvConsent,
    CctvDecision,
    CctvReport,
    CctvRequest,
    Device,
    DeviceStatus,
    RequestStatus,
    RoomKind,
)
from .selectors import (
    CCTV_CONSENT,
    CCTV_DECISION,
    CCTV_EXPIRY,
    CCTV_REOPENED,
    CCTV_SIGN,
)
from .verdict import DeviceFacts, exception_may_cover, is_inside_camera
from .workflow import TRANSITIONS, may_move

if TYPE_CHECKING:
    from safecare.core.models import User

# E-mails name no child, carer or device (rules: Everywhere): only that there is something to see.
SUBJECTS = {
    "device_declared": "A foster carer has told the service about a camera or microphone",
    "device_prohibited": "A camera or microphone has been recorded that the policy does not allow",
    "cctv_sign": "A CCTV report is ready for you to read and sign",
    "cctv_consent": "A CCTV report needs your answer as a child's social worker",
    "cctv_decision": "A CCTV report is ready for a decision",
    "cctv_decided": "A decision has been made on a CCTV request",
    "cctv_reopened": "A CCTV exception needs a new decision",
    "cctv_restored": "A reopened CCTV exception holds again",
}
# CX-6: the reason a request reopened by a placement gives; it is restored only if that is why it reopened.
PLACED_REASON = "a new child was placed on"

# CCTV exception requests (CX-1 to CX-6) ----------------------------------------------------------


def _lock_request(request: CctvRequest) -> CctvRequest:
    return (
        CctvRequest.objects.select_for_update(of=("self",))
        .select_related("household__service", "household__team")
        .get(pk=request.pk)
    )


def _lock_for(actor: User, request: CctvRequest, perm: str) -> CctvRequest:
    """The request, locked, once the actor may `perm` in its household and sees it."""
    request = _lock_request(request)
    require(actor, perm, request.household)
    require_household(actor, request.household)
    return request


def request_transition(*, actor: User | None, request: CctvRequest, to_status: str, reason: str = "") -> None:
    """The one place a request changes state; the table in devices.workflow decides what may follow."""
    if not may_move(request.status, to_status):
        allowed = ", ".join(RequestStatus(s).label.lower() for s in TRANSITIONS.get(request.status, {}))
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Request: a request that is {request.get_status_display().lower()} cannot become "
                    f"{RequestStatus(to_status).label.lower()}"
                    + (f" (it can become: {allowed})" if allowed else "")
                ]
            }
        )
    request.status = to_status
    fields = ["status"]
    if to_status == RequestStatus.REOPENED:
        request.reopened_reason = reason[:200]
        fields.append("reopened_reason")
    elif to_status == RequestStatus.AGREED and request.reopened_reason:
        request.reopened_reason = ""  # CX-6: it holds again; the history keeps why it was reopened.
        fields.append("reopened_reason")
    save_as(request, actor, update_fields=fields)


def _approved_only(household: Household) -> None:
    """DV-4: an exception is for approved foster carers only; an applicant's cameras inside are taken out."""
    if household.status != HouseholdStatus.APPROVED:
        raise ValidationError(
            {
                "household": [
                    "Household: DV-4 an exception for CCTV inside the home is for approved foster carers only; "
                    f"this household is {household.get_status_display().lower()}. Cameras inside the home "
                    "are taken out before approval"
                ]
            }
        )


def _check_cameras(devices: Iterable[Device], household: Household) -> list[str]:
    """CX-2: cameras only in communal areas, never in bedrooms, bathrooms or toilets, never to supervise
    children; and only what is a camera inside the home (DV-4), as the verdict counts it."""
    today = timezone.localdate()
    context = contexts({household.pk: household}, placements_of([household.pk], today), today)[household.pk]
    problems = []
    for device in devices:
        name = f"{device.get_device_type_display()} ({device.room})"
        facts = DeviceFacts.of(device, today=today)
        if device.household_id != household.pk or device.status == DeviceStatus.REMOVED:
            problems.append(f"Cameras: {name} is not on this household's register")
        elif exception_may_cover(facts, context):
            continue
        elif not is_inside_camera(facts, context):
            problems.append(
                f"Cameras: {name} needs no exception: it is not a camera inside the home, or it is allowed "
                "where it is (DV-8 pet cameras, DV-9 baby monitors)"
            )
        elif device.room_kind != RoomKind.COMMUNAL:
            problems.append(
                f"Cameras: CX-2 {name} is in {device.get_room_kind_display().lower()}; "
                "cameras inside the home can only be in communal areas"
            )
        else:
            problems.append(f"Cameras: CX-2 {name} is to watch the children, which can never be agreed")
    return problems


def _write_fields(request: CctvRequest, fields: dict[str, Any]) -> list[Device] | None:
    allowed = {*REQUEST_SECTION_KEYS, "period_start", "period_end", "devices"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({NON_FIELD_ERRORS: [f"Request: unknown fields {', '.join(sorted(unknown))}"]})
    devices = list(fields.pop("devices")) if "devices" in fields else None
    for key, value in fields.items():
        setattr(request, key, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if request.period_start and request.period_end and request.period_end < request.period_start:
        errors["period_end"] = ["CCTV needed until: the end must be on or after the start"]
    if devices is not None:
        problems = _check_cameras(devices, request.household)
        if problems:
            errors["devices"] = problems
    if errors:
        raise ValidationError(errors)
    return devices


@transaction.atomic
def request_create(*, actor: User, household: Household, **fields: Any) -> CctvRequest:
    """CX-1: the SSW starts a request; it stays a draft until every section is written."""
    require(actor, "devices.write_cctv_request", household)
    require_household(actor, household)
    _approved_only(Household.objects.select_for_update().get(pk=household.pk))
    active = CctvRequest.objects.filter(household=household, status__in=ACTIVE_REQUEST_STATUSES).first()
    if active is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Request: this household already has request {active.reference} "
                    f"({active.get_status_display().lower()}); change that one"
                ]
            }
        )
    request = CctvRequest(household=household, service_id=household.service_id, created_by=actor)
    devices = _write_fields(request, dict(fields))
    save_as(request, actor)
    if devices is not None:
        request.devices.set(devices)
    return request


@transaction.atomic
def request_update(
    *, actor: User, request: CctvRequest, version: int | str | None, **fields: Any
) -> CctvRequest:
    request = _lock_for(actor, request, "devices.write_cctv_request")
    check_version(request, version)
    if not request.is_editable:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Request: a request that is {request.get_status_display().lower()} cannot be changed"
                    + ("; choose 'Change the report' first" if request.status in _REVISABLE else "")
                ]
            }
        )
    devices = _write_fields(request, dict(fields))
    save_as(request, actor)
    if devices is not None:
        request.devices.set(devices)
    return request


_REVISABLE = (RequestStatus.SIGNING, RequestStatus.AWAITING_DECISION)


def _latest_report(request: CctvRequest) -> CctvReport:
    report = request.reports.order_by("-number").first()
    if report is None:
        raise ValidationError({NON_FIELD_ERRORS: ["Request: it has not been submitted yet"]})
    return report


def _placed_children(household: Household, today: dt.date) -> list[Child]:
    """CX-6: the children living in the home now or due to move in: every one is named and asked about."""
    placements = (
        Placement.objects.filter(household=household)
        .exclude(end_on__isnull=False, end_on__lte=today)
        .select_related("child")
        .order_by("child_id")
    )
    return list({p.child_id: p.child for p in placements}.values())


def report_content(
    request: CctvRequest, *, number: int, children: list[Child], devices: list[Device]
) -> dict[str, Any]:
    """Exactly what is signed and decided: every CX-1 section, the cameras and the children named."""
    household = request.household
    carers = [m.full_name for m in _carers(household)]
    ssw = household_ssw(household)
    return {
        "request": request.reference,
        "report": number,
        "household": {"reference": household.reference, "name": household.name},
        "carers": carers,
        "supervising_social_worker": ssw.display_name if ssw else "",
        "sections": {key: getattr(request, key) for key in REQUEST_SECTION_KEYS},
        "period": {
            "start": request.period_start.isoformat() if request.period_start else None,
            "end": request.period_end.isoformat() if request.period_end else None,
        },
        "cameras": [d.agreement_entry() for d in sorted(devices, key=lambda d: d.pk)],
        "children": [
            {"id": c.pk, "name": c.full_name, "date_of_birth": c.date_of_birth.isoformat()} for c in children
        ],
    }


@transaction.atomic
def request_submit(*, actor: User, request: CctvRequest) -> CctvReport:
    """CX-1, CX-2: every section written and every camera in a communal area; the report is frozen for signing."""
    request = _lock_for(actor, request, "devices.write_cctv_request")
    household = request.household
    _approved_only(household)
    if not may_move(request.status, RequestStatus.SIGNING):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Request: a request that is {request.get_status_display().lower()} cannot be submitted"
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    for key in REQUEST_SECTION_KEYS:
        if not str(getattr(request, key)).strip():
            errors[key] = [f"{REQUEST_SECTION_LABELS[key]}: CX-1 every section of the report is required"]
    today = timezone.localdate()
    if request.period_start is None:
        errors["period_start"] = ["CCTV needed from: CX-1 say from when CCTV is needed"]
    if request.period_end is None:
        errors["period_end"] = ["CCTV needed until: CX-1 say how long CCTV is needed"]
    elif request.period_end < today:
        errors["period_end"] = ["CCTV needed until: the period has already ended"]
    devices = list(request.devices.all())
    if not devices:
        errors["devices"] = ["Cameras: CX-1 choose each camera the request is for from the register"]
    else:
        problems = _check_cameras(devices, household)
        if problems:
            errors["devices"] = problems
    if not _carers(household):
        errors[NON_FIELD_ERRORS] = ["Request: CX-3 the carers sign the report, and no carer has an account"]
    if errors:
        raise ValidationError(errors)
    if request.period_start is None or request.period_end is None:  # for the type checker: refused above
        raise ValidationError({"period_end": ["CCTV needed until: CX-1 say how long CCTV is needed"]})
    children = _placed_children(household, today)
    number = (request.reports.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    report = CctvReport(
        request=request,
        service_id=request.service_id,
        number=number,
        content=report_content(request, number=number, children=children, devices=devices),
        period_start=request.period_start,
        period_end=request.period_end,
        submitted_by=actor,
    )
    save_as(report, actor)
    report.children.set(children)
    report.devices.set(devices)
    request_transition(actor=actor, request=request, to_status=RequestStatus.SIGNING)
    tasks_close(actor=actor, service=household.service, kind=CCTV_REOPENED, household=household)
    # CX-3: the carers sign first; the SSW, who sent them the report, sees that they do.
    _open_signing_step(
        actor=actor,
        household=household,
        title="Have the carers read and sign the CCTV report",
        owner=household_ssw(household),
        event="the CCTV report was sent for signing",
    )
    url = reverse("devices:request_detail", args=[request.pk])
    notify(
        service=household.service,
        household=household,
        recipients=[m.user for m in _carers(household)],
        kind="cctv_sign",
        rule_id="CX-3",
        subject=SUBJECTS["cctv_sign"],
        reference=request.reference,
        url=url,
        dedupe_key=f"cctv:{report.pk}:sign:carers",
    )
    # CX-4: each child's social worker answers, in parallel with the signatures.
    answer = cctv_step_deadline(
        household.service, event="the CCTV report was sent for signing", rule_id="CX-4"
    )
    for child in children:
        csw = child_csw(child)
        task = task_open(
            service=household.service,
            rule_id="CX-4",
            kind=CCTV_CONSENT,
            title="Say whether you agree to CCTV inside the foster home",
            due_on=answer.due_on,
            due_basis=answer.basis,
            owner=csw,
            team=None if csw else child.team,
            household=household,
            child=child,
            actor=actor,
        )
        notify(
            service=household.service,
            household=household,
            recipients=[csw],
            kind="cctv_consent",
            rule_id="CX-4",
            subject=SUBJECTS["cctv_consent"],
            reference=request.reference,
            url=url,
            dedupe_key=f"cctv:{report.pk}:consent:{child.pk}",
            task=task,
        )
    return report


# Signing (CX-3) --------------------------------------------------------------------------------

CARER = "carer"
SSW = "SSW"
TEAM_MANAGER = "fostering team manager"
CAPACITY_LABELS = {
    CARER: "Foster carer",
    SSW: "Supervising social worker",
    TEAM_MANAGER: "Fostering team manager",
}
SIGNING_ORDER = (CARER, SSW, TEAM_MANAGER)


def _carers(household: Household) -> list[HouseholdMember]:
    today = timezone.localdate()
    members = (
        HouseholdMember.objects.filter(household=household, kind=MemberKind.CARER, user__isnull=False)
        .select_related("user")
        .order_by("id")
    )
    return [m for m in members if m.is_current(today)]


@dataclass(frozen=True)
class SigningStep:
    capacity: str
    name: str
    user_id: int | None  # None: anyone in the capacity (the team's managers); or nobody allocated
    signed_by: str | None
    signed_at: dt.datetime | None
    # Signed, but the report no longer hashes to what was signed (rules: Everywhere): not done.
    broken: bool = False

    @property
    def label(self) -> str:
        return CAPACITY_LABELS[self.capacity]

    @property
    def done(self) -> bool:
        return self.signed_at is not None and not self.broken


def _broken(signature: Any) -> bool:
    return signature is not None and not getattr(signature, "intact", False)


def signing_steps(report: CctvReport) -> list[SigningStep]:
    """CX-3: who signs, in order, and who has: every carer, then the SSW, then a fostering team manager."""
    household = report.request.household
    checked = check_signatures(signatures_of(report), report.content)
    signatures = {s.signed_as + ":" + str(s.signer_id): s for s in checked}
    by_capacity: dict[str, list[Any]] = {}
    for s in signatures.values():
        by_capacity.setdefault(s.signed_as, []).append(s)
    steps = []
    for member in _carers(household):
        sig = signatures.get(f"{CARER}:{member.user_id}")
        steps.append(
            SigningStep(
                CARER,
                member.full_name,
                member.user_id,
                sig.signer.display_name if sig else None,
                sig.signed_at if sig else None,
                _broken(sig),
            )
        )
    ssw = household_ssw(household)
    ssw_sig = (by_capacity.get(SSW) or [None])[0]
    steps.append(
        SigningStep(
            SSW,
            ssw_sig.signer.display_name if ssw_sig else (ssw.display_name if ssw else "Not allocated"),
            ssw.pk if ssw else None,
            ssw_sig.signer.display_name if ssw_sig else None,
            ssw_sig.signed_at if ssw_sig else None,
            _broken(ssw_sig),
        )
    )
    tm_sig = (by_capacity.get(TEAM_MANAGER) or [None])[0]
    steps.append(
        SigningStep(
            TEAM_MANAGER,
            tm_sig.signer.display_name
            if tm_sig
            else (f"A manager of {household.team.name}" if household.team else "No fostering team"),
            None,
            tm_sig.signer.display_name if tm_sig else None,
            tm_sig.signed_at if tm_sig else None,
            _broken(tm_sig),
        )
    )
    return steps


def signing_capacity(report: CctvReport, user: User) -> str | None:
    household = report.request.household
    if user.role == Role.CARER and any(m.user_id == user.pk for m in _carers(household)):
        return CARER
    ssw = household_ssw(household)
    if ssw is not None and ssw.pk == user.pk:
        return SSW
    if user.role == Role.FOSTERING_TEAM_MANAGER and household.team_id and user.team_id == household.team_id:
        return TEAM_MANAGER
    return None


def _team_managers(household: Household) -> list[User]:
    from safecare.core.models import User

    if household.team_id is None:
        return []
    return list(
        User.objects.filter(
            service_id=household.service_id,
            team_id=household.team_id,
            role=Role.FOSTERING_TEAM_MANAGER,
            is_active=True,
        ).order_by("id")
    )


def deciders(service_id: int, decider_role: str) -> list[User]:
    from safecare.core.models import User

    return list(User.objects.filter(service_id=service_id, role=decider_role, is_active=True).order_by("id"))


@transaction.atomic
def report_sign(
    *, actor: User, request: CctvRequest, confirmed: bool, shown_hash: str | None = None
) -> CctvReport:
    """CX-3: sign the report exactly as shown, in order. The last signature sends it for decision."""
    request = _lock_for(actor, request, "devices.sign_cctv_request")
    household = request.household
    if request.status != RequestStatus.SIGNING:
        raise ValidationError(
            {
                "confirm": [
                    f"Signature: a request that is {request.get_status_display().lower()} is not being signed"
                ]
            }
        )
    report = _latest_report(request)
    capacity = signing_capacity(report, actor)
    if capacity is None:
        raise ValidationError({"confirm": ["Signature: you are not one of the people who sign this report"]})
    steps = signing_steps(report)
    if any(s.broken for s in steps):
        # rules: Everywhere: the report changed after someone signed it; nobody signs it now.
        raise ValidationError(
            {
                "confirm": [
                    "Signature: this report has changed since it was signed, so its signatures are "
                    "broken; reopen the request and submit the report again"
                ]
            }
        )
    mine = [s for s in steps if s.capacity == capacity]
    if all(s.done for s in mine) and (
        capacity != CARER or any(s.user_id == actor.pk and s.done for s in mine)
    ):
        raise ValidationError({"confirm": ["Signature: this report is already signed in your capacity"]})
    earlier = SIGNING_ORDER[: SIGNING_ORDER.index(capacity)]
    waiting = [s for s in steps if s.capacity in earlier and not s.done]
    if waiting:
        names = ", ".join(f"{s.name} ({s.label.lower()})" for s in waiting)
        raise ValidationError(
            {"confirm": [f"Signature: CX-3 the report is signed in order; waiting for {names}"]}
        )
    if shown_hash is not None and shown_hash != content_hash(report.content):
        raise ValidationError({"confirm": ["Signature: the report you were shown is not this report"]})
    if not confirmed:
        raise ValidationError(
            {"confirm": ["Confirmation: tick the box to confirm you have read and agree to the report"]}
        )
    sign(actor=actor, document=report, content=report.content, signed_as=capacity)

    steps = signing_steps(report)
    service = household.service
    url = reverse("devices:request_detail", args=[request.pk])
    if all(s.done for s in steps):
        tasks_close(actor=actor, service=service, kind=CCTV_SIGN, household=household)
        request_transition(actor=actor, request=request, to_status=RequestStatus.AWAITING_DECISION)
        people = deciders(service.pk, service.cctv_decider)
        deadline = cctv_step_deadline(service, event="the last signature of the CCTV report", rule_id="CX-3")
        task = task_open(
            service=service,
            rule_id="CX-3",
            kind=CCTV_DECISION,
            title="Decide the request for CCTV inside a foster home",
            due_on=deadline.due_on,
            due_basis=deadline.basis,
            owner=people[0] if people else None,
            team=None,
            household=household,
            actor=actor,
        )
        notify(
            service=service,
            household=household,
            recipients=people,
            kind="cctv_decision",
            rule_id="CX-3",
            subject=SUBJECTS["cctv_decision"],
            reference=request.reference,
            url=url,
            dedupe_key=f"cctv:{report.pk}:decision",
            task=task,
        )
    elif all(s.done for s in steps if s.capacity == CARER) and capacity == CARER:
        ssw = household_ssw(household)
        task = _open_signing_step(
            actor=actor,
            household=household,
            title="Read and sign the CCTV report",
            owner=ssw,
            event="the carers signed the CCTV report",
        )
        notify(
            service=service,
            household=household,
            recipients=[ssw],
            kind="cctv_sign",
            rule_id="CX-3",
            subject=SUBJECTS["cctv_sign"],
            reference=request.reference,
            url=url,
            dedupe_key=f"cctv:{report.pk}:sign:ssw",
            task=task,
        )
    elif capacity == SSW:
        managers = _team_managers(household)
        task = _open_signing_step(
            actor=actor,
            household=household,
            title="Read and sign the CCTV report",
            owner=managers[0] if len(managers) == 1 else None,
            event="the supervising social worker signed the CCTV report",
        )
        notify(
            service=service,
            household=household,
            recipients=managers,
            kind="cctv_sign",
            rule_id="CX-3",
            subject=SUBJECTS["cctv_sign"],
            reference=request.reference,
            url=url,
            dedupe_key=f"cctv:{report.pk}:sign:manager",
            task=task,
        )
    return report


def _open_signing_step(
    *, actor: User, household: Household, title: str, owner: User | None, event: str
) -> Task:
    """CX-3: one signing step at a time. The step before closes with its last signature, and the
    next is due the service's CCTV step deadline after it."""
    service = household.service
    tasks_close(actor=actor, service=service, kind=CCTV_SIGN, household=household)
    deadline = cctv_step_deadline(service, event=event, rule_id="CX-3")
    return task_open(
        service=service,
        rule_id="CX-3",
        kind=CCTV_SIGN,
        title=title,
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=owner,
        team=household.team,
        household=household,
        actor=actor,
    )


# The children's social workers (CX-4) ------------------------------------------------------------


@transaction.atomic
def report_consent(
    *, actor: User, request: CctvRequest, child: Child, agrees: bool | None, comments: str = ""
) -> CctvConsent:
    """CX-4: the child's social worker agrees, or does not, for one child named in the report."""
    request = _lock_for(actor, request, "devices.consent_cctv_request")
    household = request.household
    if request.status not in _REVISABLE:
        raise ValidationError(
            {
                "agrees": [
                    f"Answer: a request that is {request.get_status_display().lower()} is not waiting for answers"
                ]
            }
        )
    report = _latest_report(request)
    if not report.children.filter(pk=child.pk).exists():
        raise ValidationError({"child": ["Child: this child is not named in the report"]})
    if child_csw(child) != actor:
        raise ValidationError(
            {"child": ["Child: CX-4 only the child's allocated social worker answers for them"]}
        )
    if agrees is None:
        raise ValidationError({"agrees": ["Do you agree: CX-4 say whether you agree to CCTV in the home"]})
    if not agrees and not comments.strip():
        raise ValidationError({"comments": ["Comments: say why you do not agree"]})
    if CctvConsent.objects.filter(report=report, child=child).exists():
        raise ValidationError({"agrees": ["Answer: an answer is already recorded for this child"]})
    consent = CctvConsent(
        report=report,
        service_id=request.service_id,
        child=child,
        csw=actor,
        agrees=agrees,
        comments=comments.strip(),
    )
    save_as(consent, actor)
    tasks_close(actor=actor, service=household.service, kind=CCTV_CONSENT, household=household, child=child)
    return consent


# The decision (CX-3, CX-4, CX-5, CX-6) -------------------------------------------------------------


def decision_problems(request: CctvRequest, *, agreed: bool, today: dt.date | None = None) -> list[str]:
    """Why a decision cannot be made yet: each problem names its rule."""
    today = today or timezone.localdate()
    if request.status != RequestStatus.AWAITING_DECISION:
        if request.status == RequestStatus.SIGNING:
            return [
                "CX-3: the report is decided only when the carers, the SSW and the fostering team manager have signed"
            ]
        return [f"the request is {request.get_status_display().lower()}, not awaiting a decision"]
    report = _latest_report(request)
    problems = []
    if any(step.broken for step in signing_steps(report)):
        problems.append("CX-3: a signature of the report is broken: the report changed after it was signed")
    consents = {c.child_id: c for c in report.consents.all()}
    for child in report.children.order_by("last_name", "first_name"):
        consent = consents.get(child.pk)
        if consent is None:
            problems.append(f"CX-4: {child.full_name}'s social worker has not said whether they agree")
        elif agreed and not consent.agrees:
            problems.append(f"CX-4: {child.full_name}'s social worker does not agree")
    named = set(report.children.values_list("pk", flat=True))
    for child in _placed_children(request.household, today):
        if child.pk not in named:
            problems.append(f"CX-6: {child.full_name} is placed here and not named in the report")
    return problems


@transaction.atomic
def request_decide(
    *, actor: User, request: CctvRequest, agreed: bool | None, comments: str = "", conditions: str = ""
) -> CctvDecision:
    """CX-3: the service's decider agrees or does not, with comments and conditions."""
    request = _lock_for(actor, request, "devices.decide_cctv_request")
    household = request.household
    service = household.service
    if agreed is None:
        raise ValidationError({"agreed": ["Decision: CX-3 say whether you agree or do not agree"]})
    if agreed:
        _approved_only(household)
    if not agreed and not comments.strip():
        raise ValidationError({"comments": ["Comments: say why you do not agree"]})
    problems = decision_problems(request, agreed=agreed)
    if problems:
        raise ValidationError({"agreed": [f"Decision: {p}" for p in problems]})
    report = _latest_report(request)
    decision = CctvDecision(
        report=report,
        service_id=request.service_id,
        agreed=agreed,
        comments=comments.strip(),
        conditions=conditions.strip(),
        decided_by=actor,
        decider_role=actor.role,
    )
    save_as(decision, actor)
    request_transition(
        actor=actor, request=request, to_status=RequestStatus.AGREED if agreed else RequestStatus.NOT_AGREED
    )
    tasks_close(actor=actor, service=service, kind=CCTV_DECISION, household=household)
    ssw = household_ssw(household)
    # CX-5: the decision is on the carers' file, and a copy goes to them in the portal.
    notify(
        service=service,
        household=household,
        recipients=[ssw, *[m.user for m in _carers(household)]],
        kind="cctv_decided",
        rule_id="CX-5",
        subject=SUBJECTS["cctv_decided"],
        reference=request.reference,
        url=reverse("devices:request_detail", args=[request.pk]),
        dedupe_key=f"cctv:{report.pk}:decided",
    )
    if agreed:
        _open_agreement_tasks(actor=actor, household=household, children=list(report.children.all()))
        _open_expiry_task(actor=actor, household=household, period_end=report.period_end)
    return decision


def _open_expiry_task(*, actor: User | None, household: Household, period_end: dt.date) -> Task:
    """CX-6: ask for a new decision the service's months before the exception's last day."""
    deadline = expiry_deadline(household.service, period_end)
    return task_open(
        service=household.service,
        rule_id="CX-6",
        kind=CCTV_EXPIRY,
        title="The CCTV exception ends soon: ask for a new decision or have the cameras removed",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=household_ssw(household),
        team=household.team,
        household=household,
        actor=actor,
    )


def _open_agreement_tasks(*, actor: User, household: Household, children: list[Child]) -> None:
    """CX-5: the SCFA and each child's agreement record the cameras, where and why."""
    from .selectors import CHILD_AGREEMENT_DEVICES, SCFA_DEVICES

    service = household.service
    ssw = household_ssw(household)
    deadline = agreement_update_deadline(service, event="the CCTV exception was agreed", rule_id="CX-5")
    task_open(
        service=service,
        rule_id="CX-5",
        kind=SCFA_DEVICES,
        title="Record the agreed CCTV cameras in the Safe Caring Family Agreement",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=ssw,
        team=household.team,
        household=household,
        actor=actor,
    )
    for child in children:
        csw = child_csw(child)
        task_open(
            service=service,
            rule_id="CX-5",
            kind=CHILD_AGREEMENT_DEVICES,
            title="Record the agreed CCTV cameras in the child-specific agreement",
            due_on=deadline.due_on,
            due_basis=deadline.basis,
            owner=csw or ssw,
            team=None if csw else household.team,
            household=household,
            child=child,
            actor=actor,
        )


def _close_step_tasks(actor: User | None, household: Household) -> None:
    if actor is None:
        return
    for kind in (CCTV_SIGN, CCTV_DECISION, CCTV_EXPIRY):
        tasks_close(actor=actor, service=household.service, kind=kind, household=household)
    from safecare.core.models import Task, TaskStatus
    from safecare.core.tasks import task_complete

    for task in Task.objects.select_for_update().filter(
        service=household.service, kind=CCTV_CONSENT, household=household, status=TaskStatus.OPEN
    ):
        task_complete(actor=actor, task=task, status=TaskStatus.CANCELLED)


@transaction.atomic
def request_revise(*, actor: User, request: CctvRequest) -> CctvRequest:
    """Back to a draft to change the report: the submitted report keeps its signatures, and a new one is signed."""
    request = _lock_for(actor, request, "devices.write_cctv_request")
    request_transition(actor=actor, request=request, to_status=RequestStatus.DRAFT)
    _close_step_tasks(actor, request.household)
    return request


@transaction.atomic
def request_withdraw(*, actor: User, request: CctvRequest) -> CctvRequest:
    request = _lock_for(actor, request, "devices.write_cctv_request")
    request_transition(actor=actor, request=request, to_status=RequestStatus.WITHDRAWN)
    _close_step_tasks(actor, request.household)
    tasks_close(
        actor=actor, service=request.household.service, kind=CCTV_REOPENED, household=request.household
    )
    return request


def _reopen(*, actor: User, request: CctvRequest, reason: str, deadline: Deadline) -> None:
    household = request.household
    request_transition(actor=actor, request=request, to_status=RequestStatus.REOPENED, reason=reason)
    _close_step_tasks(actor, household)
    ssw = household_ssw(household)
    task = task_open(
        service=household.service,
        rule_id="CX-6",
        kind=CCTV_REOPENED,
        title="Ask for a new CCTV decision for the children now in the home",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=ssw,
        team=household.team,
        household=household,
        actor=actor,
    )
    notify(
        service=household.service,
        household=household,
        recipients=[ssw, *deciders(household.service_id, household.service.cctv_decider)],
        kind="cctv_reopened",
        rule_id="CX-6",
        subject=SUBJECTS["cctv_reopened"],
        reference=request.reference,
        url=reverse("devices:request_detail", args=[request.pk]),
        dedupe_key=f"cctv:{request.pk}:reopened:{request.history.latest().history_id}",
        task=task,
    )


@transaction.atomic
def request_reopen(*, actor: User, request: CctvRequest, reason: str) -> CctvRequest:
    """CX-6: the period is ending or the cameras have changed: the exception needs a new decision."""
    request = _lock_for(actor, request, "devices.write_cctv_request")
    if not reason.strip():
        raise ValidationError({"reason": ["Reason: say why the exception needs a new decision"]})
    _reopen(
        actor=actor,
        request=request,
        reason=reason.strip(),
        deadline=cctv_step_deadline(
            request.household.service, event="the request was reopened", rule_id="CX-6"
        ),
    )
    return request


def request_reopen_for_placement(*, actor: User, placement: Placement) -> None:
    """CX-6: a child placed who is not named in the report reopens the request, whatever step it is at."""
    request = (
        CctvRequest.objects.select_for_update(of=("self",))
        .select_related("household__service", "household__team")
        .filter(
            household_id=placement.household_id,
            status__in=[RequestStatus.SIGNING, RequestStatus.AWAITING_DECISION, RequestStatus.AGREED],
        )
        .first()
    )
    if request is None:
        return
    report = request.reports.order_by("-number").first()
    if report is not None and report.children.filter(pk=placement.child_id).exists():
        return
    _reopen(
        actor=actor,
        request=request,
        reason=f"{PLACED_REASON} {placement.start_on:%-d %B %Y}",
        deadline=placement_reopen_deadline(placement),
    )


def placement_reopen_deadline(placement: Placement, *, today: dt.date | None = None) -> Deadline:
    """CX-6: a new decision is needed by the day the child not named is placed (today, if that has passed)."""
    today = today or timezone.localdate()
    start = placement.start_on
    rule = "CX-6: a child placed who is not named reopens the exception; the policy gives no other deadline"
    if start >= today:
        return Deadline(start, f"the day the child not named is placed, {long_date(start)} ({rule})")
    return Deadline(
        today,
        f"the day the child not named was placed, {long_date(start)}, has passed, so due today ({rule})",
    )


def request_restore_after_placement_ended(*, actor: User, placement: Placement) -> CctvRequest | None:
    """CX-6: the exception reopened by a child's placement holds again once every child placed is named in it.

    Only a request reopened because a child was placed, whose latest report was agreed,
    and only when the child who left was not named in that report while every child
    placed now (or arranged to arrive) is: the request returns to agreed, the task to ask
    for a new decision is cancelled with the reason, and the task before the exception
    ends is open again. A request reopened for another reason (its period, its cameras)
    still needs its new decision.
    """
    request = (
        CctvRequest.objects.select_for_update(of=("self",))
        .select_related("household__service", "household__team")
        .filter(household_id=placement.household_id, status=RequestStatus.REOPENED)
        .first()
    )
    if request is None or not request.reopened_reason.startswith(PLACED_REASON):
        return None
    report = request.reports.order_by("-number").first()
    decision = CctvDecision.objects.filter(report=report).first() if report is not None else None
    if report is None or decision is None or not decision.agreed:
        return None
    named = set(report.children.values_list("pk", flat=True))
    household = request.household
    if placement.child_id in named:
        return None
    if any(child.pk not in named for child in _placed_children(household, timezone.localdate())):
        return None
    request_transition(actor=actor, request=request, to_status=RequestStatus.AGREED)
    ended_on = placement.end_on or timezone.localdate()
    tasks_cancel(
        actor=actor,
        tasks=Task.objects.select_for_update().filter(
            service=household.service, kind=CCTV_REOPENED, household=household, status=TaskStatus.OPEN
        ),
        reason=f"CX-6: the child not named in the agreed report left on {long_date(ended_on)}; every "
        f"child placed now is named in report {report.number}, so the agreed exception holds again.",
    )
    task = _open_expiry_task(actor=actor, household=household, period_end=report.period_end)
    notify(
        service=household.service,
        household=household,
        recipients=[
            household_ssw(household),
            *deciders(household.service_id, household.service.cctv_decider),
        ],
        kind="cctv_restored",
        rule_id="CX-6",
        subject=SUBJECTS["cctv_restored"],
        reference=request.reference,
        url=reverse("devices:request_detail", args=[request.pk]),
        dedupe_key=f"cctv:{request.pk}:restored:{request.history.latest().history_id}",
        task=task,
    )
    return request
