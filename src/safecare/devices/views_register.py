"""Pages of the device register (rules: Cameras and microphones: DV-1, DV-2, DV-9, DV-10, DV-11), carers' portal included.

Each view finds its record through devices.selectors (404 when out of scope),
checks the action permission (also 404: deny without revealing), parses the
form, calls one service and puts a refusal back onto the form with what the
person typed. Verdicts are never stored: every page computes them afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.concurrency import StaleEdit, record_version
from safecare.core.formtools import save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.core.roles import Role
from safecare.core.steps import Section, Steps
from safecare.households.models import Household

from . import selectors, services_monitoring
from . import services_register as services
from .assessment import assess
from .forms_register import (
    FIELD_QUESTION,
    CheckForm,
    DeviceForm,
    MonitoringDecisionForm,
    MonitoringForm,
    RemoveForm,
    ReviewForm,
    monitor_choices,
)
from .models import Device, DeviceStatus, DeviceType
from .verdict import DeviceFacts, is_set_up_as_dv9_monitor

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])

# The names services give their fields in refusals ("How it is positioned: DV-1 ...").
# The pages ask in other words, so the name is dropped and the form's own label shown.
SERVICE_LABELS = frozenset(
    {str(f.verbose_name).lower() for f in Device._meta.concrete_fields}
    | {
        "what it records",
        "child it monitors",
        "date of the check",
        "register complete",
        "notes",
        "date agreed",
    }
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _is_carer(user: User) -> bool:
    return bool(user.role == Role.CARER)


def _for_form(error: ValidationError) -> ValidationError:
    """A service refusal keyed to the questions of the page rather than the model's fields."""
    if isinstance(error, StaleEdit) or not hasattr(error, "error_dict"):
        return error
    keyed: dict[str, list[str]] = {}
    for field, texts in error.message_dict.items():
        target = FIELD_QUESTION.get(field, field)
        for text in texts:
            prefix, _, rest = text.partition(": ")
            if target != NON_FIELD_ERRORS and rest and prefix.lower() in SERVICE_LABELS:
                text = rest
            if text not in keyed.get(target, []):
                keyed.setdefault(target, []).append(text)
    return ValidationError(keyed)


def _save(form: BaseForm, instance: Device | None, save: Callable[[], Any]) -> Any:
    def run() -> Any:
        try:
            return save()
        except StaleEdit:
            raise
        except ValidationError as error:
            raise _for_form(error) from error

    return save_or_refuse(form, instance, run)


def _register_url(household: Household | int) -> str:
    pk = household if isinstance(household, int) else household.pk
    return reverse("devices:household_devices", kwargs={"pk": pk})


def _detail_url(device: Device) -> str:
    return reverse("devices:device_detail", kwargs={"pk": device.pk})


def _monitoring_applies(device: Device) -> bool:
    # DV-9: agreement and consent are asked of a baby monitor set up for a sleeping child, naming
    # the child, in the bedroom where that child sleeps (the service asks the same).
    return is_set_up_as_dv9_monitor(DeviceFacts.of(device, today=timezone.localdate()))


def _monitored_name(user: User, device: Device) -> str:
    """The child a monitor is for, as this user may see them: a first name, or "another child
    placed here" for a foster child they may not open (decision 0023)."""
    if device.monitored_child is not None:
        name = selectors.child_names_for(user, [device.monitored_child])[device.monitored_child.pk]
        return name if name == selectors.ANOTHER_CHILD else device.monitored_child.first_name
    if device.monitored_member is not None:
        return device.monitored_member.first_name
    return ""


# The register ----------------------------------------------------------------------------------


@GET
@login_required
def household_devices(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    log_view(request, household)
    relabel = selectors.agreement_labels_for(user, household)
    on_register, removed = selectors.register_and_removed(household)
    rows = [replace(row, not_in=tuple(relabel(row.not_in))) for row in on_register]
    return render(
        request,
        "devices/register.html",
        {
            "household": household,
            "rows": rows,
            "to_do": selectors.register_to_do(rows),
            "waiting": sum(1 for row in rows if row.device.needs_review),
            "removed": removed,
            "last_check": selectors.last_device_check(household),
            "is_carer": _is_carer(user),
            "can": {
                "declare": user.has_perm("devices.declare_device"),
                "check": user.has_perm("devices.check_register"),
            },
        },
    )


@GET_POST
@login_required
def device_check(request: HttpRequest, pk: int) -> HttpResponse:
    """DV-2: the SSW asks the carers about every device and records that the register is complete."""
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "devices.check_register")
    form = CheckForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            None,
            lambda: services.device_check_record(
                actor=user,
                household=household,
                checked_on=form.cleaned_data["checked_on"],
                register_accurate=form.cleaned_data["register_accurate"],
                notes=form.cleaned_data["notes"],
            ),
        )
    ):
        messages.success(request, "The device check has been recorded.")
        return redirect(_register_url(household))
    return render(
        request,
        "devices/register_check.html",
        {
            "form": form,
            "household": household,
            "devices": list(selectors.current_devices(household)),
            "last_check": selectors.last_device_check(household),
            "back_url": _register_url(household),
        },
    )


# One device -------------------------------------------------------------------------------------


# The device form is long (8 sections, 6,100 px on a phone): one section a page, then
# "Check your answers" before it is sent (core.steps).
DEVICE_STEPS = [Section(heading, hint, names) for heading, hint, names in DeviceForm.SECTIONS]


def _device_steps(request: HttpRequest, form: DeviceForm) -> Steps:
    return Steps(form, DEVICE_STEPS, request.POST if request.method == "POST" else None)


def _device_form_page(
    request: HttpRequest, form: DeviceForm, steps: Steps, household: Household, **context: Any
) -> HttpResponse:
    return render(
        request,
        "devices/device_form.html",
        {"form": form, "steps": steps, "household": household, **context},
    )


@GET_POST
@login_required
@once
def device_create(request: HttpRequest, pk: int) -> HttpResponse:
    """DV-1, DV-2: put a device on the register; a carer's declaration waits for the SSW's review."""
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "devices.declare_device")
    form = DeviceForm(request.POST or None, **monitor_choices(household))
    steps = _device_steps(request, form)
    if steps.ready_to_save():
        device = _save(
            form,
            None,
            lambda: services.device_declare(actor=user, household=household, **form.device_fields()),
        )
        if device is None:
            steps.after_refusal()
        else:
            if device.needs_review:
                messages.success(
                    request,
                    f"Thank you. Your supervising social worker has been told and will look at it "
                    f"({device.reference}).",
                )
            else:
                messages.success(request, f"{device.reference} has been added to the register.")
            return redirect(_detail_url(device))
    carer = _is_carer(user)
    return _device_form_page(
        request,
        form,
        steps,
        household,
        title="Tell us about a camera or microphone" if carer else "Add a device to the register",
        lead="Tell us before you put in a camera, microphone, smart speaker, video doorbell or baby "
        "monitor, or as soon as you can if it is already there."
        if carer
        else "Record a camera or microphone in or around the home. Its verdict is shown when you save.",
        back_url=_register_url(household),
        submit="Send" if carer else "Save",
    )


@GET
@login_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    device = selectors.device_for(user, pk)
    household = device.household
    log_view(request, household)
    current = device.status != DeviceStatus.REMOVED
    found = assess([device], today=timezone.localdate())[device.pk] if current else None
    verdict = found.verdict if found else None
    not_in = selectors.agreement_labels_for(user, household)(found.not_in) if found else []
    declare = user.has_perm("devices.declare_device")
    return render(
        request,
        "devices/device_detail.html",
        {
            "device": device,
            "household": household,
            "verdict": verdict,
            "not_in": not_in,
            "is_carer": _is_carer(user),
            "is_baby_monitor": device.device_type == DeviceType.BABY_MONITOR,
            "monitored": _monitored_name(user, device),
            "can": {
                "change": declare and current,
                "remove": declare and current,
                "review": user.has_perm("devices.review_device") and device.needs_review,
                "monitoring": user.has_perm("devices.agree_monitoring")
                and current
                and _monitoring_applies(device),
                "decide": user.has_perm("devices.decide_monitoring", household)
                and selectors.awaits_decider(device),
            },
        },
    )


def _current_or_redirect(request: HttpRequest, device: Device) -> HttpResponse | None:
    if device.status == DeviceStatus.REMOVED:
        messages.info(
            request, f"{device.reference} has been removed from the register; it cannot be changed."
        )
        return redirect(_detail_url(device))
    return None


@GET_POST
@login_required
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """DV-2: change a device. The page carries the version it was opened on (rules: Everywhere)."""
    user = _user(request)
    device = selectors.device_for(user, pk)
    _require(user, "devices.declare_device")
    if (gone := _current_or_redirect(request, device)) is not None:
        return gone
    choices = monitor_choices(device.household, device)
    if request.method == "POST":
        form = DeviceForm(request.POST, versioned=True, **choices)
    else:
        form = DeviceForm(
            initial={**DeviceForm.initial_for(device), "version": record_version(device)},
            versioned=True,
            **choices,
        )
    steps = _device_steps(request, form)
    if steps.ready_to_save():
        if _save(
            form,
            device,
            lambda: services.device_update(
                actor=user, device=device, version=form.cleaned_data["version"], **form.device_fields()
            ),
        ):
            messages.success(request, f"{device.reference} has been updated.")
            return redirect(_detail_url(device))
        steps.after_refusal()
    return _device_form_page(
        request,
        form,
        steps,
        device.household,
        device=device,
        title=f"Change {device}",
        lead="Your supervising social worker is told of the change and looks at it."
        if _is_carer(user)
        else "A change you make as the household's worker counts as reviewed.",
        back_url=_detail_url(device),
        submit="Save changes",
    )


def _action_page(request: HttpRequest, device: Device, form: BaseForm | None, **context: Any) -> HttpResponse:
    return render(
        request,
        "devices/device_action.html",
        {
            "form": form,
            "device": device,
            "household": device.household,
            "back_url": _detail_url(device),
            **context,
        },
    )


@GET_POST
@login_required
def device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """DV-2: the device has gone; it leaves the register and its history stays."""
    user = _user(request)
    device = selectors.device_for(user, pk)
    _require(user, "devices.declare_device")
    if (gone := _current_or_redirect(request, device)) is not None:
        return gone
    form = RemoveForm(request.POST or None, initial={"version": record_version(device)})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            device,
            lambda: services.device_remove(
                actor=user,
                device=device,
                removed_on=form.cleaned_data["removed_on"],
                version=form.cleaned_data["version"],
            ),
        )
    ):
        messages.success(request, f"{device} has been taken off the register.")
        return redirect(_register_url(device.household_id))
    return _action_page(
        request,
        device,
        form,
        title=f"Remove {device} from the register",
        lead="Only once it has been taken away. The record is kept.",
        submit="Remove from the register",
    )


@GET_POST
@login_required
def device_review(request: HttpRequest, pk: int) -> HttpResponse:
    """DV-2: the SSW has looked at a declaration or change."""
    user = _user(request)
    device = selectors.device_for(user, pk)
    _require(user, "devices.review_device")
    form = ReviewForm(request.POST or None) if device.needs_review else None
    if (
        form is not None
        and request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            None,
            lambda: services.device_review(actor=user, device=device, notes=form.cleaned_data["notes"]),
        )
    ):
        messages.success(request, f"{device.reference} has been marked reviewed.")
        return redirect(_detail_url(device))
    current = device.status != DeviceStatus.REMOVED
    return _action_page(
        request,
        device,
        form,
        title=f"Review {device}",
        lead="Check the details and the verdict with the carers. Anything still to do stays on the register.",
        verdict=selectors.device_verdict(device) if current else None,
        not_applicable="" if form is not None else "There is no change to this device waiting for review.",
        submit="Mark reviewed",
    )


@GET_POST
@login_required
def device_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    """DV-9: the CSW or the SSW agrees to a monitor for an older child, and may record the child's consent."""
    user = _user(request)
    device = selectors.device_for(user, pk)
    _require(user, "devices.agree_monitoring")
    applies = _monitoring_applies(device) and device.status != DeviceStatus.REMOVED
    form = MonitoringForm(request.POST or None) if applies else None
    if (
        form is not None
        and request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            None,
            lambda: services.device_agree_monitoring(
                actor=user,
                device=device,
                agreed_on=form.cleaned_data["agreed_on"],
                consent=form.consent(),
            ),
        )
    ):
        messages.success(request, "Your agreement has been recorded.")
        return redirect(_detail_url(device))
    return _action_page(
        request,
        device,
        form,
        title="Agree to a baby monitor for an older child",
        lead="DV-9: a monitor for a child aged 2 or over, with difficulties with sleep or a health "
        "condition, needs the agreement of the child's social worker and the supervising social worker, "
        "and the child's consent if they are able to give it.",
        not_applicable=""
        if applies
        else "DV-9 applies to a baby monitor in a child's bedroom on the register; "
        "there is nothing to agree for this device.",
        monitored=_monitored_name(user, device),
        submit="Record my agreement",
    )


@GET_POST
@login_required
def device_monitoring_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """DV-9: the CCTV decider agrees, or does not agree, to a monitor that films or uploads for an older child."""
    user = _user(request)
    device = selectors.device_for(user, pk)
    if not user.has_perm("devices.decide_monitoring", device.household):
        raise Http404
    applies = selectors.awaits_decider(device)
    form = MonitoringDecisionForm(request.POST or None) if applies else None
    if (
        form is not None
        and request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            None,
            lambda: services_monitoring.monitor_decide(
                actor=user,
                device=device,
                agreed=form.cleaned_data["agreed"],
                decided_on=form.cleaned_data["decided_on"],
                comments=form.cleaned_data["comments"],
            ),
        )
    ):
        agreed = form.cleaned_data["agreed"]
        messages.success(
            request,
            "Your decision has been recorded: you agreed to the monitor."
            if agreed
            else "Your decision has been recorded. The monitor must now be taken out.",
        )
        return redirect(_detail_url(device))
    return _action_page(
        request,
        device,
        form,
        title="Decide on a monitor that films or uploads for an older child",
        lead="DV-9: a baby monitor for a child who is not a baby, that records video or sends recordings "
        "to the cloud, is also decided by the service's CCTV decider. The child's social worker and the "
        "supervising social worker agree first.",
        verdict=selectors.device_verdict(device) if applies else None,
        not_applicable=""
        if applies
        else "DV-9: this device is not a monitor for an older child that records video or uploads to the "
        "cloud, so there is nothing for the CCTV decider to decide.",
        monitored=_monitored_name(user, device),
        submit="Record my decision",
    )
