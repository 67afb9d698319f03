"""Every write to a service's own settings and closure days (rules: How dates are counted, Service settings).

Keyword-only arguments, one transaction, the history row naming the actor, all
inside it (STYLE: services). None of these touch case content (rules: Who sees what).
Concurrent edits: core.concurrency refuses a save over a newer version (rules: Everywhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import assign, save_as
from .concurrency import check_version
from .events import Event, publish
from .models import ClosureDay, FosteringService, User

# rules: Service settings: the local variations a service sets for itself, in the order the form shows them.
SERVICE_SETTINGS_FIELDS = (
    "cctv_decider",
    "smart_speakers_in_bedrooms",
    "connected_device_security",
    "scfa_review_months",
    "device_check_every_supervision",
    "device_check_months",
    "supervision_interval_weeks",
    "emergency_risk_assessment_working_days",
    "max_inside_cctv_retention_hours",
    "baby_age_months",
    "assessment_agreement_months",
    "before_placement_working_days",
    "change_notice_review_working_days",
    "device_review_working_days",
    "device_agreement_update_working_days",
    "prohibited_device_removal_working_days",
    "device_arrivals_told_working_days",
    "cctv_step_working_days",
    "cctv_expiry_notice_months",
    "holiday_nation",
    "carers_require_two_factor",
    "carers_two_factor_off_reason",
    "carers_may_download_agreements",
    "photos_kept_after_placement",
    "export_expiry_days",
    "recordings_unread_days",
)


def service_of(actor: User) -> FosteringService:
    # Platform accounts belong to no service and administer none.
    if actor.service is None:
        raise ValidationError({"__all__": ["Service: only a member of a fostering service can change it"]})
    return actor.service


# Closure days -------------------------------------------------------------------------------


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def closure_day_add(*, actor: User, date: dt.date, reason: str) -> ClosureDay:
    """A day the service is closed: no working-day deadline falls on it (rules: How dates are counted).

    Deadlines are set when their event happens (and never recomputed), so
    a closure day moves only the deadlines set after it is added; a day in the past
    would move nothing and is refused.
    """
    from .calendars import calendar_for_service

    service = service_of(actor)
    if date < timezone.localdate():
        raise ValidationError({"date": "Date: a closure day cannot be in the past"})
    if ClosureDay.objects.filter(service=service, date=date).exists():
        raise ValidationError({"date": f"Date: {_long_date(date)} is already a closure day"})
    try:
        working = calendar_for_service(service).is_working_day(date)
    except ValueError as exc:
        raise ValidationError({"date": "Date: the working-day calendar does not reach this date"}) from exc
    if not working:
        raise ValidationError(
            {"date": f"Date: {_long_date(date)} is a weekend or a bank holiday, never a working day"}
        )
    closure = ClosureDay(service=service, date=date, reason=reason.strip())
    closure.full_clean(validate_unique=False)
    save_as(closure, actor)
    return closure


@transaction.atomic
def closure_day_delete(*, actor: User, closure: ClosureDay) -> None:
    if closure.service_id != actor.service_id:
        raise ValidationError({"__all__": ["Closure day: not one of your service's"]})
    if closure.date < timezone.localdate():
        # It may have shaped deadlines already set: it stays on record.
        raise ValidationError({"date": "Date: a past closure day stays on record and cannot be removed"})
    # simple-history reads the actor from the instance for the deletion row too.
    closure._history_user = actor  # type: ignore[attr-defined]
    closure.delete()


# Service settings ---------------------------------------------------------------------------


@transaction.atomic
def service_settings_update(
    *,
    actor: User,
    service: FosteringService,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> FosteringService:
    """Change the rules: Service settings settings; the history row names who changed what."""
    unknown = set(values) - set(SERVICE_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a service setting: {sorted(unknown)}")
    if service.pk != actor.service_id:
        raise ValidationError({"__all__": ["Service: you can change only your own service's settings"]})
    service = FosteringService.objects.select_for_update().get(pk=service.pk)
    check_version(service, expected_version)
    values = dict(values)
    if values.get("carers_require_two_factor"):
        # The reason is for turning it off; the history keeps the last one given.
        values["carers_two_factor_off_reason"] = ""
    changed = assign(service, values)
    if changed:
        service.full_clean(validate_unique=False)
        save_as(service, actor, update_fields=changed)
        # DV-2 among others: a change of interval opens or moves duties already due.
        publish(Event.SERVICE_SETTINGS_CHANGED, actor=actor, service=service, changed=changed)
    return service
