"""SOC-4 the visit record signed and shared; SOC-5 a meeting on the fostering manager's own grounds.

Same style as standards.services: keyword-only, one transaction, refusals as a ValidationError
keyed by field with a message naming the field and the rule; the wrong person gets
PermissionDenied. Decisions: docs/decisions/0037-visit-signatures-and-manager-grounds.md.

SOC-4: the visit record is signed with version-bound signatures (core.signatures): each
signature covers the record as shown (the date, the standards named, the concerns discussed,
the carer's response and the actions agreed: what, who, by when). The household's
supervising social worker signs it and shares it in one step: the carers and the fostering
managers are alerted in the app, the sharing duty closes, and each carer of the household
then reads it and signs it too. From the SSW's signature on, the record never changes: the
guard below refuses any save that would change what was signed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.models import Signature, Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.roles import Role
from safecare.core.signatures import check_signatures, content_hash, intact_only, sign, signatures_of
from safecare.core.tasks import tasks_close
from safecare.households.models import Household
from safecare.households.selectors import current_carers, household_worker

from . import services
from .duties import VISIT_SHARE
from .models import Concern, MeetingProposal, Route, Visit, VisitAction
from .selectors import soc_households_visible_to, visits_visible_to

if TYPE_CHECKING:
    from safecare.core.models import User

# The capacities a visit record is signed in (SOC-4: "signed by both parties").
AS_SSW = "supervising social worker"
AS_CARER = "foster carer"
# The e-mail names no carer, child or concern: only that there is something to read.
SHARED_SUBJECT = "A standards of care visit record has been shared with you"
SIGNED_SUBJECT = "A foster carer has signed a standards of care visit record"


# SOC-4: what is signed ---------------------------------------------------------------------------


def visit_content(visit: Visit) -> dict[str, Any]:
    """The visit record as shown and signed: what a signature covers (SOC-4).

    Not who marked an action done, or when: that is what happens after the record, and
    recording it must not break the signatures. An action's owner is named by account
    (their id), so a name changed in their profile does not break them either. Reads the
    standards and actions through .all(), so a list can prefetch them.
    """
    return {
        "reference": visit.reference,
        "visited_on": visit.visited_on.isoformat(),
        "standards": [
            [s.number, s.title] for s in sorted(visit.standards.all(), key=lambda s: (s.number, s.pk))
        ],
        "concerns_discussed": visit.concerns_discussed,
        "carer_response": visit.carer_response,
        "actions": [
            {"what": a.what, "owner": a.owner_id, "due_on": a.due_on.isoformat()}
            for a in sorted(visit.actions.all(), key=lambda a: (a.due_on, a.pk))
        ],
    }


def visit_hash(visit: Visit) -> str:
    return content_hash(visit_content(visit))


def visit_signatures(visit: Visit) -> list[Signature]:
    """The visit's signatures in the order they were made, each marked intact or broken."""
    return check_signatures(signatures_of(visit), visit_content(visit))


def signer_capacity(visit: Visit, user: User) -> str | None:
    """Who signs the record: the household's SSW, and each carer of the household now."""
    if not user.is_active or user.service_id != visit.service_id:
        return None
    household = visit.household
    if user.role == Role.SUPERVISING_SW and household_worker(household) == user:
        return AS_SSW
    if user.role == Role.CARER and user in current_carers(household):
        return AS_CARER
    return None


def carers_to_sign(visit: Visit, signatures: Iterable[Signature]) -> list[User]:
    """The household's carers who have not signed the shared record yet."""
    signed = {s.signer_id for s in signatures}
    return [carer for carer in current_carers(visit.household) if carer.pk not in signed]


@transaction.atomic
def visit_sign(*, actor: User, visit: Visit, confirmed: bool, shown_hash: str | None = None) -> Visit:
    """SOC-4: sign the visit record exactly as shown.

    The household's SSW signs first, and signing shares it ("Sign and share"): shared_at
    and shared_by are set, the sharing duty closes (when no other visit of the household
    waits to be shared), and the carers and the fostering managers are alerted in the app.
    Then each carer of the household signs it as "foster carer".
    """
    locked = (
        visits_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("household", "service")
        .filter(pk=visit.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(f"{actor} may not see visit {visit.pk}")
    capacity = signer_capacity(locked, actor)
    if capacity is None:
        raise PermissionDenied(f"{actor} does not sign visit {visit.pk}")
    content = visit_content(locked)
    signatures = check_signatures(signatures_of(locked), content)
    errors: dict[str, list[str]] = {}
    if capacity == AS_SSW and locked.shared_at is not None:
        _add(errors, "confirm", "Signature: you have already signed and shared this visit record (SOC-4)")
    elif capacity == AS_CARER and locked.shared_at is None:  # a carer never sees it unshared
        raise PermissionDenied
    elif any(s.signer_id == actor.pk for s in signatures):
        _add(errors, "confirm", "Signature: you have already signed this visit record (SOC-4)")
    elif len(intact_only(signatures)) != len(signatures):
        _add(
            errors,
            "confirm",
            "Signature: the visit record changed after it was signed, so its signatures are broken; "
            "tell the supervising social worker (SOC-4)",
        )
    elif shown_hash is not None and shown_hash != content_hash(content):
        _add(
            errors,
            "confirm",
            "Signature: the record changed while you were reading it; read it again and sign (SOC-4)",
        )
    if not errors and not confirmed:
        _add(
            errors,
            "confirm",
            "Confirmation: tick the box to confirm you have read the visit record and it is right (SOC-4)",
        )
    if errors:
        raise ValidationError(errors)
    sign(actor=actor, document=locked, content=content, signed_as=capacity)
    if capacity == AS_SSW:
        _share(actor=actor, visit=locked)
    else:
        _tell_the_ssw_a_carer_signed(actor=actor, visit=locked)
    return locked


def _visit_url(visit: Visit) -> str:
    return reverse("standards:visit_detail", kwargs={"pk": visit.pk})


def _share(*, actor: User, visit: Visit) -> None:
    visit.shared_at = timezone.now()
    visit.shared_by = actor
    save_as(visit, actor, update_fields=["shared_at", "shared_by"])
    household = visit.household
    service = visit.service
    _settle_share_task(actor=actor, household=household)
    notify(
        service=service,
        household=household,
        recipients=[*current_carers(household, besides=actor), *services.fostering_managers(service)],
        kind="soc_visit_shared",
        subject=SHARED_SUBJECT,
        reference=visit.reference,
        url=_visit_url(visit),
        dedupe_key=f"standards:visit-shared:{visit.pk}",
        rule_id="SOC-4",
    )


def _tell_the_ssw_a_carer_signed(*, actor: User, visit: Visit) -> None:
    notify(
        service=visit.service,
        household=visit.household,
        recipients=[visit.shared_by] if visit.shared_by_id != actor.pk else [],
        kind="soc_visit_signed",
        subject=SIGNED_SUBJECT,
        reference=visit.reference,
        url=_visit_url(visit),
        dedupe_key=f"standards:visit-signed:{visit.pk}:{actor.pk}",
        rule_id="SOC-4",
    )


def _settle_share_task(*, actor: User, household: Household) -> None:
    """SOC-4: one sharing duty per household. It closes when no visit waits to be shared; while
    one still does, it is due 5 working days after the earliest of them."""
    service = household.service
    waiting = Visit.objects.filter(household=household, shared_at__isnull=True).order_by("visited_on", "id")
    first = waiting.first()
    if first is None:
        tasks_close(actor=actor, service=service, kind=VISIT_SHARE, household=household)
        return
    task = (
        Task.objects.select_for_update()
        .filter(service=service, kind=VISIT_SHARE, household=household, child=None, status=TaskStatus.OPEN)
        .first()
    )
    deadline = services.share_deadline(service, first.visited_on)
    if task is not None and (task.due_on, task.due_basis) != (deadline.due_on, deadline.basis[:300]):
        task.due_on, task.due_basis = deadline.due_on, deadline.basis[:300]
        save_as(task, actor, update_fields=["due_on", "due_basis"])


# SOC-4: once the SSW has signed, the record is never changed ------------------------------------

SIGNED_VISIT_FIELDS = ("household_id", "concern_id", "visited_on", "concerns_discussed", "carer_response")
SIGNED_ACTION_FIELDS = ("visit_id", "meeting_id", "what", "owner_id", "due_on")
LOCKED_MESSAGE = (
    "Visit record: SOC-4 it has been signed and shared, so it cannot be changed; what was agreed "
    "stays as signed"
)


def _changed(instance: Any, fields: tuple[str, ...], update_fields: Iterable[str] | None) -> bool:
    if instance.pk is None:
        return False
    names = {f.removesuffix("_id") for f in fields}
    if update_fields is not None and not names & {f.removesuffix("_id") for f in update_fields}:
        return False
    before = type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()
    return before is not None and any(before[f] != getattr(instance, f) for f in fields)


def _visit_is_signed(visit_id: int | None) -> bool:
    return visit_id is not None and Visit.objects.filter(pk=visit_id, shared_at__isnull=False).exists()


def refuse_changing_a_signed_visit(
    sender: type, instance: Visit, update_fields: Any = None, **_: Any
) -> None:
    if _visit_is_signed(instance.pk) and _changed(instance, SIGNED_VISIT_FIELDS, update_fields):
        raise ValidationError({"visit": [LOCKED_MESSAGE]})


def refuse_changing_a_signed_action(
    sender: type, instance: VisitAction, update_fields: Any = None, **_: Any
) -> None:
    if instance.pk is None:
        if _visit_is_signed(instance.visit_id):
            raise ValidationError({"actions": [LOCKED_MESSAGE]})
        return
    before = VisitAction.objects.filter(pk=instance.pk).values_list("visit_id", flat=True).first()
    if _visit_is_signed(before) and _changed(instance, SIGNED_ACTION_FIELDS, update_fields):
        raise ValidationError({"actions": [LOCKED_MESSAGE]})


def refuse_changing_signed_standards(sender: type, instance: Any, action: str, **_: Any) -> None:
    opening = action in ("pre_add", "pre_remove", "pre_clear") and isinstance(instance, Visit)
    if opening and _visit_is_signed(instance.pk):
        raise ValidationError({"standards": [LOCKED_MESSAGE]})


def refuse_deleting_a_signed_record(sender: type, instance: Any, **_: Any) -> None:
    visit_id = instance.pk if isinstance(instance, Visit) else instance.visit_id
    if _visit_is_signed(visit_id):
        raise ValidationError({"visit": [LOCKED_MESSAGE]})


pre_save.connect(refuse_changing_a_signed_visit, sender=Visit, dispatch_uid="soc4_signed_visit")
pre_save.connect(refuse_changing_a_signed_action, sender=VisitAction, dispatch_uid="soc4_signed_action")
m2m_changed.connect(
    refuse_changing_signed_standards, sender=Visit.standards.through, dispatch_uid="soc4_signed_standards"
)
pre_delete.connect(refuse_deleting_a_signed_record, sender=Visit, dispatch_uid="soc4_delete_visit")
pre_delete.connect(refuse_deleting_a_signed_record, sender=VisitAction, dispatch_uid="soc4_delete_action")


# SOC-5: a meeting on the fostering manager's own grounds ----------------------------------------

MANAGER_GROUNDS = ("pattern", "refused_plan", "significant")


def open_meeting(household: Household) -> MeetingProposal | None:
    """A meeting already convened for the household whose outcome is not recorded yet (SOC-10)."""
    return (
        MeetingProposal.objects.filter(household=household, convene=True)
        .filter(Q(meeting__isnull=True) | Q(meeting__outcome__isnull=True))
        .order_by("-decided_at", "-id")
        .first()
    )


def grounds_concerns(household: Household) -> list[Concern]:
    """The concerns a manager may name as behind the meeting: the household's on the standards of
    care route, oldest first."""
    return list(
        Concern.objects.filter(household=household)
        .routed(Route.STANDARDS_OF_CARE)
        .select_related("visit")
        .order_by("received_on", "id")
    )


@transaction.atomic
def meeting_grounds_propose(
    *,
    actor: User,
    household: Household,
    pattern: bool = False,
    refused_plan: bool = False,
    significant: bool = False,
    reasons: str,
    concerns: Iterable[Concern],
) -> MeetingProposal:
    """SOC-5: a fostering manager convenes a meeting on grounds that are their judgement.

    A pattern of concerns emerging, the carer refusing the SSW's action plan, or a concern
    significant enough: at least one, with reasons, and the concerns behind it. The manager
    who proposes is the one who decides, so the proposal is decided at once (convene, with
    the same reasons) and the SOC-6 support referral duty opens. When Safecare's own proposal
    for the household is still waiting for a decision, the manager's grounds and concerns are
    added to it and it is decided the same way: one proposal, one meeting.
    """
    if not actor.has_perm("standards.propose_meeting"):
        raise PermissionDenied(f"{actor} may not propose a meeting")
    locked = (
        Household.objects.select_for_update()
        .filter(pk=household.pk, pk__in=soc_households_visible_to(actor).values("pk"))
        .select_related("service")
        .first()
    )
    if locked is None:
        raise PermissionDenied(f"{actor} may not write for household {household.pk}")
    offered = {c.pk: c for c in grounds_concerns(locked)}
    chosen = list({c.pk: c for c in concerns}.values())
    errors: dict[str, list[str]] = {}
    if not (pattern or refused_plan or significant):
        _add(
            errors,
            "grounds",
            "Grounds: choose at least one: a pattern of concerns, the carer refusing the action plan, or a "
            "concern significant enough (SOC-5)",
        )
    if not reasons.strip():
        _add(errors, "grounds_reasons", "Why these grounds are met: give your reasons (SOC-5)")
    if not chosen:
        _add(
            errors,
            "concerns",
            "Concerns: choose the standards of care concerns behind the meeting (SOC-5)",
        )
    elif any(c.pk not in offered for c in chosen):
        _add(
            errors,
            "concerns",
            "Concerns: choose only this household's concerns on the standards of care route (SOC-5)",
        )
    else:
        if pattern and len(chosen) < 2:
            _add(
                errors,
                "concerns",
                "Concerns: a pattern is seen across concerns; choose at least two (SOC-5)",
            )
        if refused_plan and not any(hasattr(offered[c.pk], "visit") for c in chosen):
            _add(
                errors,
                "refused_plan",
                "The carer refuses the action plan: the action plan is the one agreed at the visit; choose "
                "a concern whose visit is recorded (SOC-5)",
            )
    if (convened := open_meeting(locked)) is not None:
        _add(
            errors,
            "household",
            f"Household: a standards of care meeting is already convened for this household "
            f"({convened.reference}) and has no outcome yet; these concerns belong to that meeting (SOC-5)",
        )
    if errors:
        raise ValidationError(errors)
    reasons = reasons.strip()
    grounds = {"pattern": pattern, "refused_plan": refused_plan, "significant": significant}
    waiting = (
        MeetingProposal.objects.select_for_update().filter(household=locked, decided_at__isnull=True).first()
    )
    if waiting is not None:
        # Safecare proposed it (3 concerns, an overdue action) and it waits for this very
        # manager's decision: the grounds are added, and the decision is to meet.
        for name, value in grounds.items():
            setattr(waiting, name, getattr(waiting, name) or value)
        waiting.grounds_reasons = reasons
        save_as(waiting, actor, update_fields=[*MANAGER_GROUNDS, "grounds_reasons"])
        waiting.concerns.add(*chosen)
        return services.proposal_decide(actor=actor, proposal=waiting, convene=True, reasons=reasons)
    now = timezone.now()
    proposal = MeetingProposal(
        service=locked.service,
        household=locked,
        proposed_on=timezone.localdate(now),
        proposed_by=actor,
        grounds_reasons=reasons,
        decided_by=actor,
        decided_at=now,
        convene=True,
        decision_reasons=reasons,
        **grounds,
    )
    save_as(proposal, actor)
    proposal.concerns.set(chosen)
    services._open_support_referral(actor=actor, proposal=proposal)
    return proposal
