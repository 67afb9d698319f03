"""Reads of recordings and supervisions, scoped to the user through core.access.

Who reads recordings (rules: Who sees what, docs/decisions/0012): a carer, those about the
children placed with their household now; the household's side of the service
(its SSW, the fostering team manager, fostering managers, heads), those of the
households they see; the child's side (its CSW, the children's team manager,
service managers, heads), those of the children they see. Supervision records
are the household's side's; carers read their own household's completed ones.

Lists run a fixed number of queries: whether a recording is read is an
EXISTS subquery, never one query a row.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safecare.core.access import sees_case_content
from safecare.core.dates import add_months
from safecare.core.models import Task, TaskStatus
from safecare.core.roles import Role
from safecare.core.tasks import duty
from safecare.households.access import children_visible_to, households_visible_to, placements_visible_to

from .models import Recording, Supervision, SupervisionStatus

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Child, Household

NEXT_SUPERVISION = duty(
    "next_supervision", rule_id="SC-10", fulfilled_by="a completed supervision record", repeats=True
)

HOUSEHOLD_SIDE = frozenset(
    {
        Role.SUPERVISING_SW,
        Role.FOSTERING_TEAM_MANAGER,
        Role.FOSTERING_MANAGER,
        Role.HEAD_OF_FOSTERING,
        Role.HEAD_OF_SERVICE,
    }
)
CHILD_SIDE = frozenset(
    {
        Role.CHILDS_SW,
        Role.CHILDRENS_TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.HEAD_OF_FOSTERING,
        Role.HEAD_OF_SERVICE,
    }
)


# Scopes --------------------------------------------------------------------------------------


def recordings_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[Recording]:
    none = Recording.objects.none()
    if not sees_case_content(user):
        return none
    today = today or timezone.localdate()
    in_service = Recording.objects.filter(service_id=user.service_id)
    role = user.role
    if role == Role.CARER:
        # Only while the child lives with them: an ended placement ends the carer's access.
        return in_service.filter(placement__in=placements_visible_to(user, today=today))
    seen = Q()
    if role in HOUSEHOLD_SIDE:
        seen |= Q(household__in=households_visible_to(user, today=today))
    if role in CHILD_SIDE:
        seen |= Q(child__in=children_visible_to(user, today=today))
    if not seen:
        return none
    return in_service.filter(seen)


def supervisions_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[Supervision]:
    none = Supervision.objects.none()
    if not sees_case_content(user):
        return none
    in_service = Supervision.objects.filter(service_id=user.service_id)
    households = households_visible_to(user, today=today)
    if user.role == Role.CARER:
        # A draft is the SSW's working note until it is completed.
        return in_service.filter(household__in=households, status=SupervisionStatus.COMPLETED)
    if user.role in HOUSEHOLD_SIDE:
        return in_service.filter(household__in=households)
    return none


def recording_for(user: User, pk: int) -> Recording:
    return get_object_or_404(
        with_read_state(recordings_visible_to(user)).select_related("child", "household", "written_by"),
        pk=pk,
    )


def supervision_for(user: User, pk: int) -> Supervision:
    return get_object_or_404(
        supervisions_visible_to(user).select_related(
            "household", "service", "written_by", "completed_by", "acknowledged_by"
        ),
        pk=pk,
    )


# Lists ---------------------------------------------------------------------------------------


def with_read_state(recordings: QuerySet[Recording]) -> QuerySet[Recording]:
    """Annotate `is_read`: someone who may mark it read has read its current revision.

    Read from the recording's own `unread` column (the revision read, kept by each read's save),
    not by looking for a read row: the same answer without a probe into a million reads.
    """
    return recordings.annotate(is_read=ExpressionWrapper(Q(unread=False), output_field=BooleanField()))


def unread(recordings: QuerySet[Recording]) -> QuerySet[Recording]:
    """SC-7: nobody who may mark it read has read its current revision (decision 0058)."""
    return recordings.filter(unread=True)


def household_recordings(
    user: User, household: Household, *, unread_only: bool = False
) -> QuerySet[Recording]:
    recordings = recordings_visible_to(user).filter(household=household)
    if unread_only:
        recordings = unread(recordings)
    return (
        with_read_state(recordings)
        .select_related("child", "written_by")
        .order_by("-recorded_on", "-created_at", "-id")
    )


def child_recordings(user: User, child: Child) -> QuerySet[Recording]:
    return (
        with_read_state(recordings_visible_to(user).filter(child=child))
        .select_related("household", "written_by")
        .order_by("-recorded_on", "-created_at", "-id")
    )


def unread_for_supervision(user: User, household: Household) -> list[Recording]:
    """SC-7: the recordings the SSW has not read yet, oldest first, to read at supervision."""
    return list(
        unread(recordings_visible_to(user).filter(household=household))
        .select_related("child", "written_by")
        .order_by("recorded_on", "created_at", "id")
    )


def household_supervisions(user: User, household: Household) -> QuerySet[Supervision]:
    return (
        supervisions_visible_to(user)
        .filter(household=household)
        .select_related("written_by", "acknowledged_by")
        .order_by("-held_on", "-id")
    )


# Duties --------------------------------------------------------------------------------------


def last_device_check(household: Household, *, before: dt.date, exclude: int | None = None) -> dt.date | None:
    checks = Supervision.objects.filter(
        household=household,
        status=SupervisionStatus.COMPLETED,
        device_check_done=True,
        held_on__lte=before,
    )
    if exclude is not None:
        checks = checks.exclude(pk=exclude)
    at_supervision = checks.order_by("-held_on").values_list("held_on", flat=True).first()
    # DV-2: a check of the register on a visit (devices.DeviceCheck) counts as much as one at a supervision.
    from safecare.devices.models import DeviceCheck

    visits = DeviceCheck.objects.filter(household=household, checked_on__lte=before)
    if exclude is not None:
        visits = visits.exclude(supervision_id=exclude)
    on_visit = visits.order_by("-checked_on").values_list("checked_on", flat=True).first()
    return max((d for d in (at_supervision, on_visit) if d is not None), default=None)


def device_check_due(household: Household, *, held_on: dt.date, exclude: int | None = None) -> bool:
    """DV-2: at every supervision, or when the last recorded check is the service's interval old."""
    service = household.service
    if service.device_check_every_supervision:
        return True
    last = last_device_check(household, before=held_on, exclude=exclude)
    if last is None:
        return True
    return add_months(last, service.device_check_months) <= held_on


def next_supervision_task(household: Household) -> Task | None:
    return Task.objects.filter(household=household, kind=NEXT_SUPERVISION, status=TaskStatus.OPEN).first()


def household_panel(user: User, household: Household) -> dict[str, Any]:
    """What the household page shows of recordings and supervisions: a fixed few queries."""
    recordings = recordings_visible_to(user).filter(household=household)
    panel: dict[str, Any] = {
        "household": household,
        "can_mark_read": user.has_perm("supervision.mark_recording_read"),
        "sees_supervisions": user.role == Role.CARER or user.role in HOUSEHOLD_SIDE,
        "is_carer": user.role == Role.CARER,
    }
    if panel["can_mark_read"]:
        panel["unread_count"] = unread(recordings).count()
        panel["next_task"] = next_supervision_task(household)
        panel["can_write"] = user.has_perm("supervision.change_supervision")
    if panel["is_carer"]:
        panel["to_acknowledge"] = (
            supervisions_visible_to(user).filter(household=household, acknowledged_at__isnull=True).count()
        )
    return panel
