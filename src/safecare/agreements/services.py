"""Every write to agreements: new versions and signatures (SC-1, SC-4, SC-5, rules: Everywhere).

A version is never changed: editing writes the next version, and the old
version keeps its own signatures. A version comes into force (becomes the
agreement's current version) when the last of its required signers signs;
the duties it fulfils are closed and the next review opened in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.concurrency import StaleEdit
from safecare.core.deadlines import Deadline, months_after
from safecare.core.events import Event, publish
from safecare.core.models import FosteringService, Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.signatures import check_signatures, content_hash, intact_only, sign, signatures_of
from safecare.core.tasks import duty, task_complete, task_open, tasks_close
from safecare.households.models import (
    AllocationKind,
    Household,
    HouseholdMember,
    MemberKind,
    Placement,
)

from .models import SECTION_KEYS, SECTION_LABELS, Agreement, AgreementKind, AgreementVersion
from .rules import ASSESSMENT_STATUSES

if TYPE_CHECKING:
    from safecare.core.models import User

# Task kinds: one per duty, so each opens once per subject (core.tasks).
SCFA_ASSESSMENT = duty(
    "scfa_assessment",
    rule_id="SC-1",
    fulfilled_by="a Safe Caring Family Agreement signed by all who must sign",
)
SCFA_REVIEW = duty(
    "scfa_review",
    rule_id="SC-4",
    fulfilled_by="a reviewed version of the Safe Caring Family Agreement, signed",
    repeats=True,
)
SCFA_PLACEMENT = duty(
    "scfa_placement_update",
    rule_id="SC-4",
    fulfilled_by="a version of the Safe Caring Family Agreement for the new placement, signed",
)
CHILD_AGREEMENT_REVIEW = duty(
    "child_agreement_review",
    rule_id="SC-5",
    fulfilled_by="a reviewed version of the child-specific agreement, signed",
    repeats=True,
)
CHILD_AGREEMENT = duty(
    "child_agreement", rule_id="SC-5", fulfilled_by="the child-specific agreement for the placement, signed"
)

CARER = "carer"
SSW = "SSW"
ASSESSING_SW = "assessing SW"
CSW = "CSW"
CAPACITY_LABELS = {
    CARER: "Foster carer",
    SSW: "Supervising social worker",
    ASSESSING_SW: "Assessing social worker",
    CSW: "Child's social worker",
}


def setting_label(name: str) -> str:
    """The name a manager sees for one of the service's settings, for a task's due basis."""
    return str(getattr(FosteringService._meta.get_field(name), "verbose_name", name))


def review_deadline(service: FosteringService, in_force_on: dt.date, *, rule_id: str) -> Deadline:
    """SC-4, SC-5: "regularly reviewed": the service's review interval from the day a version came into force."""
    return months_after(
        in_force_on,
        service.scfa_review_months,
        event="this version came into force",
        rule_id=rule_id,
        setting=setting_label("scfa_review_months"),
    )


# Who signs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    capacity: str
    user: User | None
    name: str

    @property
    def capacity_label(self) -> str:
        return CAPACITY_LABELS.get(self.capacity, self.capacity)


def _worker(kind: str, *, household: Household | None = None, child: Any = None) -> User | None:
    from safecare.households.models import Allocation

    allocation = (
        Allocation.objects.current()
        .filter(kind=kind, household=household, child=child)
        .select_related("worker")
        .first()
    )
    return allocation.worker if allocation else None


def required_signers(agreement: Agreement, *, today: dt.date | None = None) -> list[Signer]:
    """Everyone who must sign a version before it is in force.

    Each current carer of the household with an account to sign with; the SSW,
    or the assessing SW while the household is being assessed; and for a
    child-specific agreement the child's social worker. A missing worker is a
    signer with no user: the version cannot come into force until one is allocated.
    """
    today = today or timezone.localdate()
    household = agreement.household
    carers = (
        HouseholdMember.objects.filter(household=household, kind=MemberKind.CARER, user__isnull=False)
        .select_related("user")
        .order_by("id")
    )
    signers = [Signer(CARER, m.user, m.full_name) for m in carers if m.is_current(today)]
    if household.status in ASSESSMENT_STATUSES:
        assessing = _worker(AllocationKind.ASSESSING, household=household)
        signers.append(
            Signer(ASSESSING_SW, assessing, assessing.display_name if assessing else "Not allocated")
        )
    else:
        ssw = _worker(AllocationKind.SUPERVISING, household=household)
        signers.append(Signer(SSW, ssw, ssw.display_name if ssw else "Not allocated"))
    if agreement.kind == AgreementKind.CHILD:
        csw = _worker(AllocationKind.CHILDS, child=agreement.child)
        signers.append(Signer(CSW, csw, csw.display_name if csw else "Not allocated"))
    return signers


def signer_capacity(agreement: Agreement, user: User) -> str | None:
    """The capacity this user signs the agreement in, or None if they are not a signer."""
    for signer in required_signers(agreement):
        if signer.user is not None and signer.user.pk == user.pk:
            return signer.capacity
    return None


def outstanding_signers(version: AgreementVersion) -> list[Signer]:
    """Who must still sign. A broken signature (the text changed after it) does not count."""
    checked = check_signatures(signatures_of(version), version_content(version))
    signed = {s.signer_id for s in intact_only(checked)}
    return [s for s in required_signers(version.agreement) if s.user is None or s.user.pk not in signed]


# Content --------------------------------------------------------------------------------------


def frozen_content(
    *,
    agreement: Agreement,
    number: int,
    sections: dict[str, str],
    participants: Iterable[HouseholdMember],
    devices: list[dict[str, Any]],
) -> dict[str, Any]:
    """Exactly what a signer is shown and signs: the text, who took part, which version of what.

    Built once, when the version is written, and stored on it (AgreementVersion.content):
    a household member renamed later does not change what was signed (rules: Everywhere).
    """
    content: dict[str, Any] = {
        "agreement": agreement.reference,
        "kind": agreement.kind,
        "household": agreement.household.reference,
        "child": agreement.child.reference if agreement.child else None,
        "version": number,
        "sections": {key: str(sections.get(key, "")) for key in SECTION_KEYS},
        "participants": [
            {"id": m.pk, "name": m.full_name, "kind": m.kind}
            for m in sorted(participants, key=lambda m: m.pk)
        ],
    }
    # DV-10: the devices are part of what is signed. A version that lists none keeps the
    # content it always had, so signatures made before the register existed stay intact.
    if devices:
        content["devices"] = devices
    return content


def version_content(version: AgreementVersion) -> dict[str, Any]:
    """What the version's signatures cover: its content as stored when it was written."""
    return dict(version.content)


def version_hash(version: AgreementVersion) -> str:
    return content_hash(version_content(version))


@dataclass(frozen=True)
class Participant:
    """Someone who took part in writing a version, named as they were then."""

    full_name: str
    kind: str

    @property
    def kind_label(self) -> str:
        return str(MemberKind(self.kind).label) if self.kind in MemberKind.values else self.kind


def version_participants(version: AgreementVersion) -> list[Participant]:
    """Who took part, from the signed content (not the members as they are now)."""
    order = {kind: index for index, kind in enumerate(MemberKind.values)}
    people = [Participant(p["name"], p["kind"]) for p in version.content.get("participants", [])]
    return sorted(people, key=lambda p: order.get(p.kind, len(order)))


def changed_sections(before: AgreementVersion | None, after: AgreementVersion) -> list[str]:
    """Labels of the sections (and the participants) that differ between two versions."""
    old = before.sections if before else {}
    changed = [
        SECTION_LABELS[key]
        for key in SECTION_KEYS
        if str(old.get(key, "")) != str(after.sections.get(key, ""))
    ]
    old_people = set(before.participants.values_list("pk", flat=True)) if before else set()
    if old_people != set(after.participants.values_list("pk", flat=True)):
        changed.append("Who took part")
    if (before.devices if before else []) != after.devices:
        changed.append("Devices covered")
    return changed


# Writing a version ----------------------------------------------------------------------------


def may_write(user: User, agreement_kind: str, household: Household) -> bool:
    if agreement_kind == AgreementKind.HOUSEHOLD:
        return user.has_perm("agreements.change_household_agreement", household)
    return user.has_perm("agreements.change_child_agreement", household)


def _agreement_for_update(
    *, household: Household | None, placement: Placement | None, agreement: Agreement | None
) -> Agreement:
    """The agreement, locked; created on the first version. Two first saves at once make one."""
    if agreement is not None:
        return (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("household", "child")
            .get(pk=agreement.pk)
        )
    if placement is not None:
        locked = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("household", "child")
            .get(pk=placement.pk)
        )
        found, _ = Agreement.objects.get_or_create(
            kind=AgreementKind.CHILD,
            placement=locked,
            defaults={"service_id": locked.service_id, "household": locked.household, "child": locked.child},
        )
    elif household is not None:
        locked_household = Household.objects.select_for_update().get(pk=household.pk)
        found, _ = Agreement.objects.get_or_create(
            kind=AgreementKind.HOUSEHOLD,
            household=locked_household,
            defaults={"service_id": locked_household.service_id},
        )
    else:
        raise ValueError("write an agreement for a household or a placement")
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("household", "child")
        .get(pk=found.pk)
    )


def _stale(latest: AgreementVersion, opened: AgreementVersion | None, based_on: int) -> StaleEdit:
    what = ", ".join(changed_sections(opened, latest)) or "no section"
    started = f"version {based_on}" if based_on else "a blank agreement"
    return StaleEdit(
        {
            NON_FIELD_ERRORS: [
                f"Someone else saved version {latest.number} of this agreement after you opened "
                f"{started}. They changed: {what}. Your changes have not been saved: check them "
                "against the latest version and save again."
            ]
        },
        code="stale",
    )


def _clean_sections(sections: dict[str, Any]) -> dict[str, str]:
    unknown = sorted(set(sections) - set(SECTION_KEYS))
    if unknown:
        raise ValidationError({"sections": [f"Sections: unknown section {', '.join(unknown)}"]})
    cleaned = {key: str(sections.get(key) or "").strip() for key in SECTION_KEYS}
    missing = {
        key: [f"{SECTION_LABELS[key]}: write what the household agrees, or 'none'"]
        for key in SECTION_KEYS
        if not cleaned[key]
    }
    if missing:
        raise ValidationError(missing)
    return cleaned


def _device_entries(household: Household) -> list[dict[str, Any]]:
    from safecare.devices.selectors import current_devices

    return [device.agreement_entry() for device in current_devices(household).order_by("id")]


@transaction.atomic
def version_create(
    *,
    actor: User,
    sections: dict[str, Any],
    participants: Iterable[HouseholdMember],
    based_on: int | str | None,
    household: Household | None = None,
    placement: Placement | None = None,
    agreement: Agreement | None = None,
) -> AgreementVersion:
    """Write the next version of an agreement (the first one creates the agreement).

    `based_on` is the version number the editor opened (0 for none). If someone
    saved a newer version meanwhile the save is refused naming what they changed,
    and nothing already saved is touched (rules: Everywhere).
    """
    agreement = _agreement_for_update(household=household, placement=placement, agreement=agreement)
    if actor.service_id != agreement.service_id or not may_write(actor, agreement.kind, agreement.household):
        raise PermissionDenied(f"{actor} may not write this agreement")
    latest = agreement.versions.order_by("-number").first()
    latest_number = latest.number if latest else 0
    if based_on is None or based_on == "":
        raise ValidationError({"version": ["Version: say which version the changes were made to"]})
    based_on = int(based_on)
    if latest is not None and based_on != latest_number:
        opened = agreement.versions.filter(number=based_on).first()
        raise _stale(latest, opened, based_on)
    cleaned = _clean_sections(sections)
    people = list(participants)
    if not people:
        raise ValidationError(
            {"participants": ["Who took part: SC-1 the agreement is written with the household members"]}
        )
    current_members = {m.pk for m in agreement.household.members.all() if m.is_current(timezone.localdate())}
    strangers = [m for m in people if m.pk not in current_members]
    if strangers:
        raise ValidationError(
            {"participants": ["Who took part: only people living in the household can be recorded"]}
        )
    # DV-10: a version covers every device on the register as it is when the version is written.
    devices = _device_entries(agreement.household)
    if (
        latest is not None
        and latest.sections == cleaned
        and latest.devices == devices
        and set(latest.participants.values_list("pk", flat=True)) == {m.pk for m in people}
    ):
        # SC-1, SC-4 (rules: Everywhere, Signatures): every new version must be signed again by
        # everyone before it is in force, so a version identical to the last one is refused
        # rather than voiding signatures for nothing. A change of who took part, or of the
        # devices on the register (DV-10), is a change: those are part of what is signed.
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Nothing has changed since version {latest.number}: "
                    "change at least one section to save a new version"
                ]
            },
            code="unchanged",
        )
    version = AgreementVersion(
        agreement=agreement,
        service_id=agreement.service_id,
        number=latest_number + 1,
        sections=cleaned,
        devices=devices,
        content=frozen_content(
            agreement=agreement,
            number=latest_number + 1,
            sections=cleaned,
            participants=people,
            devices=devices,
        ),
        created_by=actor,
    )
    save_as(version, actor)
    version.participants.set(people)
    _ask_carers_to_sign(actor=actor, agreement=agreement, version=version)
    return version


# The e-mail names no child, carer or household (rules: Everywhere): only that there is something to see.
SIGN_SUBJECT = "A new version of a safer caring agreement is ready for you to read and sign"


def _ask_carers_to_sign(*, actor: User, agreement: Agreement, version: AgreementVersion) -> None:
    """SC-1, SC-4, SC-5: the carers sign every version before it is in force, so each is told of it."""
    carers = [s.user for s in required_signers(agreement) if s.capacity == CARER and s.user is not None]
    if agreement.kind == AgreementKind.CHILD:
        rule_id = "SC-5"
    else:
        rule_id = "SC-1" if agreement.household.status in ASSESSMENT_STATUSES else "SC-4"
    notify(
        service=agreement.household.service,
        household=agreement.household,
        recipients=[user for user in carers if user.pk != actor.pk],
        kind="agreement_to_sign",
        subject=SIGN_SUBJECT,
        reference=f"{agreement.reference} version {version.number}",
        url=reverse("agreements:sign", kwargs={"pk": version.pk}),
        dedupe_key=f"agreements:version:{version.pk}:sign:carers",
        rule_id=rule_id,
    )


# Signing --------------------------------------------------------------------------------------


@transaction.atomic
def version_sign(
    *, actor: User, version: AgreementVersion, confirmed: bool, shown_hash: str | None = None
) -> AgreementVersion:
    """Sign the version exactly as shown. The last required signature brings it into force."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("household", "child")
        .get(pk=version.agreement_id)
    )
    version = AgreementVersion.objects.select_related("agreement").get(pk=version.pk)
    version.agreement = agreement
    if not actor.has_perm("agreements.sign_agreement"):
        raise PermissionDenied
    capacity = signer_capacity(agreement, actor)
    if capacity is None:
        raise ValidationError(
            {"confirm": ["Signature: you are not one of the people who sign this agreement"]}
        )
    latest_number = agreement.versions.order_by("-number").values_list("number", flat=True).first()
    if version.number != latest_number:
        raise ValidationError(
            {
                "confirm": [
                    f"Signature: version {latest_number} has been written since; read and sign that one"
                ]
            }
        )
    content = version_content(version)
    signatures = check_signatures(signatures_of(version), content)
    if not content or len(intact_only(signatures)) != len(signatures):
        # rules: Everywhere: the text changed after someone signed it; nobody signs it now.
        raise ValidationError(
            {
                "confirm": [
                    "Signature: this version's text has changed since it was signed, so its signatures "
                    "are broken; write a new version and sign that"
                ]
            }
        )
    if shown_hash is not None and shown_hash != content_hash(content):
        raise ValidationError({"confirm": ["Signature: the text you were shown is not this version's text"]})
    if not confirmed:
        raise ValidationError(
            {"confirm": ["Confirmation: tick the box to confirm you have read and agree to this version"]}
        )
    sign(actor=actor, document=version, content=content, signed_as=capacity)
    if agreement.current_version_id != version.pk and not outstanding_signers(version):
        _come_into_force(actor=actor, agreement=agreement, version=version)
    return version


def _come_into_force(*, actor: User, agreement: Agreement, version: AgreementVersion) -> None:
    from safecare.households.selectors import household_worker

    now = timezone.now()
    agreement.current_version = version
    agreement.current_since = now
    save_as(agreement, actor, update_fields=["current_version", "current_since"])
    household = agreement.household
    service = household.service
    # DV-10, CX-5: the new version may describe every device now, or leave one out.
    publish(Event.AGREEMENT_IN_FORCE, actor=actor, agreement=agreement)
    if agreement.kind == AgreementKind.CHILD:
        # SC-5: the child-specific agreement for this placement is in place, and is
        # reviewed on the same timing as the household's (SC-4's interval).
        child = agreement.child
        tasks_close(actor=actor, service=service, kind=CHILD_AGREEMENT, household=household, child=child)
        tasks_close(
            actor=actor, service=service, kind=CHILD_AGREEMENT_REVIEW, household=household, child=child
        )
        csw = _worker(AllocationKind.CHILDS, child=child)
        child_review = review_deadline(service, timezone.localdate(now), rule_id="SC-5")
        task_open(
            service=service,
            rule_id="SC-5",
            kind=CHILD_AGREEMENT_REVIEW,
            title="Review the child-specific safe caring agreement",
            due_on=child_review.due_on,
            due_basis=child_review.basis,
            owner=csw or household_worker(household),
            team=None if csw else household.team,
            household=household,
            child=child,
            actor=actor,
        )
        return
    # SC-1: written (and signed) during the assessment.
    tasks_close(actor=actor, service=service, kind=SCFA_ASSESSMENT, household=household)
    # SC-4: a version written on or after a placement was made is the update for it.
    for task in Task.objects.select_for_update().filter(
        service=service,
        kind=SCFA_PLACEMENT,
        household=household,
        status=TaskStatus.OPEN,
        created_at__lte=version.created_at,
    ):
        task_complete(actor=actor, task=task)
    # SC-4: the next regular review, at the service's interval from now.
    tasks_close(actor=actor, service=service, kind=SCFA_REVIEW, household=household)
    review = review_deadline(service, timezone.localdate(now), rule_id="SC-4")
    task_open(
        service=service,
        rule_id="SC-4",
        kind=SCFA_REVIEW,
        title="Review the Safe Caring Family Agreement",
        due_on=review.due_on,
        due_basis=review.basis,
        owner=household_worker(household),
        team=household.team,
        household=household,
        actor=actor,
    )
