"""Who reads which confidential file (PH-1 to PH-6; rules: Who sees what). Out of scope is 404.

- Shared documents (PH-1): staff who see the household or the child; the carers of the
  household, while the child it is about (if any) is placed with them; a document about a
  child alone, the carers the child is placed with now. Withdrawn: staff only.
- Carers' reports (PH-2): the household's carers, and staff who see the household or the child.
- Photos (PH-4, PH-5): staff who see the child or the household; the household's carers while
  the child is placed with them, and afterwards only the photos agreed to be kept.
- Photo rules (PH-3): staff who see the child; the carers the child is placed with now.
- Loss reports (PH-6): the household's carers; staff who see the household or a child named.
- Subject access requests: the managers who see every household (fostering manager, head of
  fostering, head of service).
- Retention cases: the role that confirms deletions (settings.SAFECARE_RETENTION_ROLE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet

from safecare.core.access import is_active
from safecare.core.roles import ALL_HOUSEHOLDS_ROLES, Role
from safecare.households.access import children_visible_to, households_visible_to

from .models import (
    CarerReport,
    Handover,
    KeepRequest,
    LossReport,
    Photo,
    PhotoRules,
    RetentionCase,
    SharedDocument,
    SubjectAccessRequest,
)

if TYPE_CHECKING:
    from safecare.core.models import User

EXPORT_ROLES = ALL_HOUSEHOLDS_ROLES


def is_carer(user: User) -> bool:
    return user.role == Role.CARER


def documents_visible_to(user: User) -> QuerySet[SharedDocument]:
    if not is_active(user):
        return SharedDocument.objects.none()
    households = households_visible_to(user)
    children = children_visible_to(user)
    in_service = SharedDocument.objects.filter(service_id=user.service_id)
    if is_carer(user):
        return in_service.filter(
            Q(household__in=households, child__isnull=True)
            | Q(household__in=households, child__in=children)
            | Q(household__isnull=True, child__in=children),
            withdrawn_at__isnull=True,
        )
    return in_service.filter(Q(household__in=households) | Q(child__in=children))


def reports_visible_to(user: User) -> QuerySet[CarerReport]:
    if not is_active(user):
        return CarerReport.objects.none()
    households = households_visible_to(user)
    in_service = CarerReport.objects.filter(service_id=user.service_id)
    if is_carer(user):
        return in_service.filter(household__in=households)
    return in_service.filter(Q(household__in=households) | Q(child__in=children_visible_to(user)))


def photos_visible_to(user: User) -> QuerySet[Photo]:
    if not is_active(user):
        return Photo.objects.none()
    households = households_visible_to(user)
    children = children_visible_to(user)
    in_service = Photo.objects.filter(service_id=user.service_id)
    if is_carer(user):
        # PH-5: while the child is placed with them; afterwards, only those agreed to be kept.
        return in_service.filter(Q(child__in=children) | Q(kept=True), household__in=households)
    return in_service.filter(Q(household__in=households) | Q(child__in=children))


def photo_rules_visible_to(user: User) -> QuerySet[PhotoRules]:
    return (
        PhotoRules.objects.filter(child__in=children_visible_to(user))
        if is_active(user)
        else PhotoRules.objects.none()
    )


def keep_requests_visible_to(user: User) -> QuerySet[KeepRequest]:
    if not is_active(user):
        return KeepRequest.objects.none()
    households = households_visible_to(user)
    if is_carer(user):
        return KeepRequest.objects.filter(household__in=households)
    return KeepRequest.objects.filter(Q(household__in=households) | Q(child__in=children_visible_to(user)))


def handovers_visible_to(user: User) -> QuerySet[Handover]:
    if not is_active(user) or is_carer(user):
        return Handover.objects.none()
    return Handover.objects.filter(
        Q(child__in=children_visible_to(user)) | Q(household__in=households_visible_to(user))
    )


def loss_reports_visible_to(user: User) -> QuerySet[LossReport]:
    if not is_active(user):
        return LossReport.objects.none()
    households = households_visible_to(user)
    in_service = LossReport.objects.filter(service_id=user.service_id)
    if is_carer(user):
        return in_service.filter(household__in=households)
    named = LossReport.children.through.objects.filter(child__in=children_visible_to(user)).values(
        "lossreport_id"
    )
    return in_service.filter(Q(household__in=households) | Q(pk__in=named))


def subject_access_requests_visible_to(user: User) -> QuerySet[SubjectAccessRequest]:
    if not is_active(user) or user.role not in EXPORT_ROLES:
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(
        service_id=user.service_id, household__in=households_visible_to(user)
    )


def retention_cases_visible_to(user: User) -> QuerySet[RetentionCase]:
    if not is_active(user) or user.role != settings.SAFECARE_RETENTION_ROLE:
        return RetentionCase.objects.none()
    return RetentionCase.objects.filter(service_id=user.service_id)
