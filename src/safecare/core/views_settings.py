"""The service settings pages (rules: Service settings): local variations and closure days.

For the service administrator, the head of fostering and the head of service
(`core.change_service_settings`); anyone else gets 404. Only the signed-in
user's own service is ever read or changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import services_settings as services
from .concurrency import StaleEdit, record_version
from .forms_settings import ClosureDayForm, ServiceSettingsForm
from .formtools import add_service_errors
from .models import ClosureDay, FosteringService, User
from .viewtools import change_rows, requires_permission, stale_data

settings_editor = requires_permission("core.change_service_settings")


def _editor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@settings_editor
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest) -> HttpResponse:
    editor = _editor(request)
    # A fresh row: the form may change its instance while it validates, the service saves.
    service = FosteringService.objects.get(pk=editor.service_id or 0)
    version = record_version(service)
    form = ServiceSettingsForm(request.POST or None, instance=service, initial={"version": version})
    if request.method == "POST" and form.is_valid():
        try:
            services.service_settings_update(
                actor=editor,
                service=service,
                values=form.setting_values(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if isinstance(error, StaleEdit):
                form = ServiceSettingsForm(stale_data(request, version), instance=service)
                form.is_valid()
            add_service_errors(form, error)
        else:
            messages.success(request, "Service settings saved.")
            return redirect("settings:edit")
    history = change_rows(
        service.history.all(),
        FosteringService,
        services.SERVICE_SETTINGS_FIELDS,
        limit=10,
    )
    return render(
        request,
        "settings/edit.html",
        {"form": form, "service": service, "history": history, "closure_count": service.closures.count()},
    )


@settings_editor
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest) -> HttpResponse:
    editor = _editor(request)
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.closure_day_add(
                actor=editor, date=form.cleaned_data["date"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Closure day added: {closure}.")
            return redirect("settings:closures")
    today = timezone.localdate()
    days = ClosureDay.objects.filter(service_id=editor.service_id)
    return render(
        request,
        "settings/closures.html",
        {
            "form": form,
            "upcoming": days.filter(date__gte=today).order_by("date"),
            "past": days.filter(date__lt=today).order_by("-date")[:20],
        },
    )


@settings_editor
@require_POST
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    editor = _editor(request)
    closure = get_object_or_404(ClosureDay, service_id=editor.service_id, pk=pk)
    label = str(closure)
    try:
        services.closure_day_delete(actor=editor, closure=closure)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Closure day removed: {label}.")
    return redirect("settings:closures")
