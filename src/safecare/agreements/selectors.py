"""Reads of agreements, scoped through core.access (out of scope answers 404).

A household's SCFA is seen by whoever sees the household (its carers, its
workers, the CSW of a child placed there: rules: Who sees what). A child-specific agreement
is seen by whoever sees its placement: a carer only while the child lives
with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from safecare.core.access import sees_case_content
from safecare.core.models import Signature
from safecare.core.signatures import check_signatures, signatures_of
from safecare.households.access import households_visible_to, placements_visible_to

from .models import Agreement, AgreementKind, AgreementVersion, VersionStatus

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household, Placement


def agreements_visible_to(user: User, *, today: dt.date | None = None) -> QuerySet[Agreement]:
    if not sees_case_content(user):
        return Agreement.objects.none()
    return Agreement.objects.filter(service_id=user.service_id).filter(
        Q(kind=AgreementKind.HOUSEHOLD, household__in=households_visible_to(user, today=today))
        | Q(kind=AgreementKind.CHILD, placement__in=placements_visible_to(user, today=today))
    )


def versions_visible_to(user: User) -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.filter(agreement__in=agreements_visible_to(user))


def agreement_for(user: User, pk: int) -> Agreement:
    return get_object_or_404(
        agreements_visible_to(user).select_related("household", "child", "placement", "current_version"),
        pk=pk,
    )


def version_for(user: User, pk: int) -> AgreementVersion:
    return get_object_or_404(
        versions_visible_to(user).select_related(
            "agreement__household", "agreement__child", "agreement__placement", "created_by"
        ),
        pk=pk,
    )


def household_agreement(household: Household) -> Agreement | None:
    return (
        Agreement.objects.filter(household=household, kind=AgreementKind.HOUSEHOLD)
        .select_related("current_version")
        .first()
    )


def child_agreement(placement: Placement) -> Agreement | None:
    return (
        Agreement.objects.filter(placement=placement, kind=AgreementKind.CHILD)
        .select_related("current_version")
        .first()
    )


def household_has_current_agreement(household: Household) -> bool:
    """SC-1: whether the household has an SCFA version signed by everyone who must sign.

    Signatures that no longer match the version's text do not count (rules: Everywhere).
    """
    agreement = (
        Agreement.objects.filter(
            household=household, kind=AgreementKind.HOUSEHOLD, current_version__isnull=False
        )
        .select_related("current_version")
        .first()
    )
    return agreement is not None and in_force(agreement) is not None


def in_force(agreement: Agreement) -> AgreementVersion | None:
    """The version in force: the current version, unless a signature on it is broken."""
    version = agreement.current_version
    return version if version is not None and version.pk in versions_in_force([agreement]) else None


def versions_in_force(agreements: Iterable[Agreement]) -> set[int]:
    """Of these agreements' current versions, those whose every signature is intact (one query)."""
    from django.contrib.contenttypes.models import ContentType

    current = {a.current_version.pk: a.current_version for a in agreements if a.current_version is not None}
    by_version: dict[int, list[Signature]] = {pk: [] for pk in current}
    for signature in Signature.objects.filter(
        document_type=ContentType.objects.get_for_model(AgreementVersion), document_id__in=list(current)
    ):
        by_version[signature.document_id].append(signature)
    return {
        pk
        for pk, signatures in by_version.items()
        if signatures
        and all(getattr(s, "intact", False) for s in check_signatures(signatures, current[pk].content))
    }


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def version_status(
    version: AgreementVersion, *, latest_number: int, signed: bool, broken: bool = False
) -> str:
    """Draft, awaiting signatures, current or superseded, from the agreement and the signatures.

    A version with a broken signature is neither current nor awaiting: it is broken.
    """
    agreement = version.agreement
    if broken and (agreement.current_version_id == version.pk or version.number == latest_number):
        return VersionStatus.BROKEN
    if agreement.current_version_id == version.pk:
        return VersionStatus.CURRENT
    if version.number != latest_number:
        return VersionStatus.SUPERSEDED
    return VersionStatus.AWAITING if signed else VersionStatus.DRAFT


@dataclass
class VersionView:
    version: AgreementVersion
    status: str
    # In signing order, each marked `intact` (core.signatures.check_signatures).
    signatures: list[Signature]

    @property
    def status_label(self) -> str:
        return VersionStatus(self.status).label

    @property
    def broken(self) -> bool:
        return any(not getattr(s, "intact", False) for s in self.signatures)


def _view(version: AgreementVersion, signatures: list[Signature], *, latest_number: int) -> VersionView:
    checked = check_signatures(signatures, version.content)
    broken = any(not getattr(s, "intact", False) for s in checked)
    return VersionView(
        version=version,
        status=version_status(version, latest_number=latest_number, signed=bool(checked), broken=broken),
        signatures=checked,
    )


def version_view(version: AgreementVersion, *, latest_number: int | None = None) -> VersionView:
    if latest_number is None:
        latest_number = version.agreement.versions.order_by("-number").values_list("number", flat=True)[0]
    return _view(version, signatures_of(version), latest_number=latest_number)


def agreement_versions(agreement: Agreement) -> list[VersionView]:
    """Every version, newest first, with its status and signatures, in a fixed number of queries."""
    from django.contrib.contenttypes.models import ContentType

    versions = list(
        agreement.versions.select_related("created_by")
        .prefetch_related(Prefetch("participants"))
        .order_by("-number")
    )
    if not versions:
        return []
    by_version: dict[int, list[Signature]] = {v.pk: [] for v in versions}
    for signature in Signature.objects.filter(
        document_type=ContentType.objects.get_for_model(AgreementVersion), document_id__in=list(by_version)
    ).select_related("signer"):
        by_version[signature.document_id].append(signature)
    latest = versions[0].number
    for version in versions:
        version.agreement = agreement  # already loaded: no query per version
    return [_view(v, by_version[v.pk], latest_number=latest) for v in versions]
