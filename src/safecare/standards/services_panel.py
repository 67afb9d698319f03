"""SOC-10: the meeting's outcome, the fostering panel, the agency decision maker and the review.

The chair records what the meeting decided: actions for the carer, a referral to the
fostering panel, or no further action. A referral goes to the service's panel members,
whose recommendation goes to the agency decision maker (ADM). A decision to deregister
does not end the approval at once: the carer has 28 calendar days to ask for an
independent review (Fostering Services (England) Regulations 2011, reg. 28), which is not
a complaint. The approval ends through the household workflow only, by a scheduled job
on the 28th day when no review was asked for, or on the ADM's decision after the review.

Keyword-only, one transaction each, refusals keyed by field naming the rule, the wrong
person PermissionDenied (as standards.services). Decisions:
docs/decisions/0039-outcome-panel-and-agency-decision.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.deadlines import Deadline, calendar_days_after, long_date, working_days_after
from safecare.core.jobs import cancel, schedule
from safecare.core.models import FosteringService, ScheduledJob
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.roles import Role
from safecare.core.tasks import task_open, tasks_close
from safecare.households.models import Household, HouseholdStatus, HouseholdStatusChange
from safecare.households.selectors import current_carers, household_worker
from safecare.households.services import household_change_status

from .duties import ADM_DECISION, OUTCOME, PANEL_RECOMMENDATION
from .models import (
    AdmDecision,
    ApprovalChoice,
    Meeting,
    MeetingOutcome,
    OutcomeKind,
    PanelRecommendation,
    PanelReferral,
    ReviewRequest,
    VisitAction,
)
from .selectors import panel_referrals_visible_to, soc_households_visible_to
from .services import FINAL_STATUSES, ActionInput, fostering_managers

if TYPE_CHECKING:
    from safecare.core.models import User

RULE = "SOC-10"
# SOC-10: the policy gives the panel no deadline; Safecare's default, said on the task.
PANEL_CALENDAR_DAYS = 28
# The ADM decides within 7 working days of the panel's recommendation (Fostering Services
# National Minimum Standards 2011, standard 14); the policy itself gives none.
ADM_WORKING_DAYS = 7
# Reg. 28 of the Fostering Services (England) Regulations 2011: 28 days for the carer's
# representations or an application to the independent review mechanism.
REVIEW_CALENDAR_DAYS = 28
DEREGISTER_JOB = "soc10_deregister"
# The e-mails name no carer, child or household (rules: Everywhere).
SUBJECTS = {
    "outcome": "The outcome of a standards of care meeting has been recorded",
    "referral": "A household has been referred to the fostering panel",
    "recommendation": "A fostering panel recommendation waits for your decision",
    "decision": "The agency decision maker has decided on a panel referral",
    "review": "An independent review has been asked for",
}


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(f"{actor} may not {perm}")


def _check_day(
    errors: dict[str, list[str]], field: str, label: str, day: dt.date | None, *, after: dt.date, event: str
) -> None:
    """A recorded date: given, not in the future, not before the day of `event`."""
    if day is None:
        _add(errors, field, f"{label}: enter the date ({RULE})")
    elif day > timezone.localdate():
        _add(errors, field, f"{label}: it cannot be in the future ({RULE})")
    elif day < after:
        _add(errors, field, f"{label}: it cannot be before {event} on {long_date(after)} ({RULE})")


def _one_or_nobody(service: FosteringService, role: str) -> User | None:
    """The owner of a shared duty: the one person in the role, or, with several, nobody in
    particular (as standards.services._manager_owner): each of them is alerted."""
    people = _people(service, role)
    return people[0] if len(people) == 1 else None


def _people(service: FosteringService, role: str) -> list[User]:
    from safecare.core.models import User

    return list(User.objects.filter(service=service, role=role, is_active=True).order_by("pk"))


def referral_url(referral: PanelReferral) -> str:
    return reverse("standards:panel_referral", kwargs={"pk": referral.pk})


def meeting_url(meeting: Meeting) -> str:
    return reverse("standards:meeting_detail", kwargs={"pk": meeting.pk})


# SOC-10: the outcome ---------------------------------------------------------------------------


def may_record_outcome(actor: User, meeting: Meeting) -> bool:
    """The meeting's chair records its outcome. A chair whose account has closed cannot: then
    any fostering manager of the service may (decision 0039)."""
    if not actor.has_perm("standards.record_outcome") or actor.service_id != meeting.service_id:
        return False
    if meeting.chair_id == actor.pk:
        return True
    return not meeting.chair.is_active and actor.role == Role.FOSTERING_MANAGER


def action_owners(household: Household) -> list[User]:
    """SOC-10: an action set by the outcome is for the household's carers or its SSW."""
    owners = current_carers(household)
    worker = household_worker(household)
    if worker is not None and worker not in owners:
        owners.append(worker)
    return owners


def _action_problems(actions: Sequence[ActionInput], *, owners: list[User], meets_on: dt.date) -> list[str]:
    if not actions:
        return [f"Actions: set at least one action, with who does it and by when ({RULE})"]
    allowed = {owner.pk for owner in owners}
    problems = []
    for number, action in enumerate(actions, start=1):
        if not action.what.strip():
            problems.append(f"Actions: action {number} needs what will be done ({RULE})")
        if action.owner is None:
            problems.append(f"Actions: action {number} needs who does it ({RULE})")
        elif action.owner.pk not in allowed:
            problems.append(
                f"Actions: action {number} can be given only to a carer of the household or its "
                f"supervising social worker ({RULE})"
            )
        if action.due_on is None:
            problems.append(f"Actions: action {number} needs a timescale: the date it is done by ({RULE})")
        elif action.due_on <= meets_on:
            problems.append(
                f"Actions: action {number} must be due after the meeting on {long_date(meets_on)} ({RULE})"
            )
    return problems


def panel_deadline(referred_on: dt.date) -> Deadline:
    return calendar_days_after(
        referred_on,
        PANEL_CALENDAR_DAYS,
        event="the referral to the panel",
        rule_id=f"{RULE}: the policy sets no deadline; this is Safecare's default",
    )


@transaction.atomic
def outcome_record(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    summary: str,
    decided_on: dt.date | None = None,
    actions: Sequence[ActionInput] = (),
) -> MeetingOutcome:
    """SOC-10: the chair records what the meeting decided, on or after the meeting's day.

    Actions for the carer become agreed actions of the meeting (owner, timescale, done),
    watched like a visit's. A referral to the panel opens the panel's duty and alerts its
    members. The carers are told in the app. Closes the outcome duty.
    """
    _require(actor, "standards.record_outcome")
    locked = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting.pk, household__in=soc_households_visible_to(actor))
        .select_related("household", "service", "chair")
        .first()
    )
    if locked is None or not may_record_outcome(actor, locked):
        raise PermissionDenied
    meeting = locked
    household = meeting.household
    today = timezone.localdate()
    decided_on = decided_on or today
    errors: dict[str, list[str]] = {}
    if MeetingOutcome.objects.filter(meeting=meeting).exists():
        _add(errors, "kind", f"Outcome: the outcome of this meeting is already recorded ({RULE})")
    elif kind not in OutcomeKind.values:
        _add(
            errors,
            "kind",
            f"Outcome: choose actions for the carer, a referral to the fostering panel, or no further "
            f"action ({RULE})",
        )
    if decided_on < meeting.meets_on or today < meeting.meets_on:
        _add(
            errors,
            "decided_on",
            f"Date of the outcome: {RULE} the outcome is recorded on or after the meeting on "
            f"{long_date(meeting.meets_on)}",
        )
    elif decided_on > today:
        _add(errors, "decided_on", f"Date of the outcome: it cannot be in the future ({RULE})")
    if not summary.strip():
        _add(errors, "summary", f"The chair's summary and recommendations: write the summary ({RULE})")
    if kind == OutcomeKind.ACTIONS:
        for problem in _action_problems(actions, owners=action_owners(household), meets_on=meeting.meets_on):
            _add(errors, "actions", problem)
    elif actions:
        _add(
            errors,
            "actions",
            f"Actions: only an outcome of actions for the carer sets actions ({RULE})",
        )
    if errors:
        raise ValidationError(errors)
    service = meeting.service
    outcome = MeetingOutcome(
        service=service,
        meeting=meeting,
        kind=kind,
        summary=summary.strip(),
        decided_on=decided_on,
        recorded_by=actor,
    )
    save_as(outcome, actor)
    if kind == OutcomeKind.ACTIONS:
        for action in actions:
            save_as(
                VisitAction(
                    service=service,
                    meeting=meeting,
                    what=action.what.strip(),
                    owner=action.owner,
                    due_on=cast(dt.date, action.due_on),
                ),
                actor,
            )
    tasks_close(actor=actor, service=service, kind=OUTCOME, household=household)
    if kind == OutcomeKind.PANEL:
        _refer_to_panel(actor=actor, meeting=meeting, referred_on=decided_on)
    notify(
        service=service,
        household=household,
        recipients=current_carers(household, besides=actor),
        kind="soc_outcome",
        subject=SUBJECTS["outcome"],
        reference=f"Meeting of {long_date(meeting.meets_on)}",
        url=meeting_url(meeting),
        dedupe_key=f"standards:outcome:{outcome.pk}",
        rule_id=RULE,
    )
    return outcome


def _refer_to_panel(*, actor: User, meeting: Meeting, referred_on: dt.date) -> PanelReferral:
    household = meeting.household
    service = meeting.service
    referral = PanelReferral(service=service, household=household, meeting=meeting, referred_on=referred_on)
    save_as(referral, actor)
    deadline = panel_deadline(referred_on)
    task = task_open(
        service=service,
        rule_id=RULE,
        kind=PANEL_RECOMMENDATION,
        title=f"Make the fostering panel's recommendation on referral {referral.reference}",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=_one_or_nobody(service, Role.PANEL_MEMBER),
        household=household,
        actor=actor,
    )
    notify(
        service=service,
        household=household,
        recipients=_people(service, Role.PANEL_MEMBER),
        kind="soc_panel_referral",
        subject=SUBJECTS["referral"],
        reference=referral.reference,
        url=referral_url(referral),
        dedupe_key=f"standards:panel-referral:{referral.pk}",
        rule_id=RULE,
        task=task,
    )
    return referral


# SOC-10: the panel's recommendation ------------------------------------------------------------


def _lock_referral(actor: User, referral: PanelReferral) -> PanelReferral:
    locked = (
        panel_referrals_visible_to(actor)
        .select_for_update()
        .filter(pk=referral.pk)
        .select_related("household", "service", "meeting", "meeting__chair")
        .first()
    )
    if locked is None:
        raise PermissionDenied(f"{actor} may not act on referral {referral.pk}")
    return locked


def adm_deadline(service: FosteringService, recommended_on: dt.date) -> Deadline:
    return working_days_after(
        service,
        recommended_on,
        ADM_WORKING_DAYS,
        event="the panel's recommendation",
        rule_id=f"{RULE}, National Minimum Standard 14",
    )


@transaction.atomic
def recommendation_record(
    *, actor: User, referral: PanelReferral, recommendation: str, reasons: str, panel_on: dt.date | None
) -> PanelRecommendation:
    """SOC-10: a panel member records the panel's recommendation; it goes to the ADM."""
    _require(actor, "standards.record_recommendation")
    referral = _lock_referral(actor, referral)
    errors: dict[str, list[str]] = {}
    if PanelRecommendation.objects.filter(referral=referral).exists():
        _add(
            errors,
            "recommendation",
            f"Recommendation: the panel's recommendation is already recorded ({RULE})",
        )
    elif recommendation not in ApprovalChoice.values:
        _add(
            errors,
            "recommendation",
            f"Recommendation: choose that approval continues, continues on changed terms, or ends ({RULE})",
        )
    if not reasons.strip():
        _add(errors, "reasons", f"Reasons: say why the panel recommends this ({RULE})")
    _check_day(
        errors, "panel_on", "Date of the panel", panel_on, after=referral.referred_on, event="the referral"
    )
    if errors or panel_on is None:
        raise ValidationError(errors)
    service = referral.service
    household = referral.household
    recorded = PanelRecommendation(
        service=service,
        referral=referral,
        recommendation=recommendation,
        reasons=reasons.strip(),
        panel_on=panel_on,
        recorded_by=actor,
    )
    save_as(recorded, actor)
    tasks_close(actor=actor, service=service, kind=PANEL_RECOMMENDATION, household=household)
    deadline = adm_deadline(service, timezone.localdate())
    task = task_open(
        service=service,
        rule_id=RULE,
        kind=ADM_DECISION,
        title=f"Decide on the fostering panel's recommendation on referral {referral.reference}",
        due_on=deadline.due_on,
        due_basis=deadline.basis,
        owner=_one_or_nobody(service, Role.AGENCY_DECISION_MAKER),
        household=household,
        actor=actor,
    )
    notify(
        service=service,
        household=household,
        recipients=_people(service, Role.AGENCY_DECISION_MAKER),
        kind="soc_panel_recommendation",
        subject=SUBJECTS["recommendation"],
        reference=referral.reference,
        url=referral_url(referral),
        dedupe_key=f"standards:panel-recommendation:{recorded.pk}",
        rule_id=RULE,
        task=task,
    )
    return recorded


# SOC-10: the agency decision maker -------------------------------------------------------------


def deregistration_day(decided_on: dt.date) -> dt.date:
    """SOC-10: a decision to deregister takes effect 28 calendar days after it (reg. 28), unless
    the carer asks for an independent review before that day."""
    return decided_on + dt.timedelta(days=REVIEW_CALENDAR_DAYS)


def job_key(referral: PanelReferral) -> str:
    return f"soc10:deregister:{referral.pk}"


def first_decision(referral: PanelReferral) -> AdmDecision | None:
    return AdmDecision.objects.filter(referral=referral, after_review=False).first()


@transaction.atomic
def adm_decide(
    *,
    actor: User,
    referral: PanelReferral,
    decision: str,
    reasons: str,
    decided_on: dt.date | None = None,
    after_review: bool = False,
) -> AdmDecision:
    """SOC-10: the ADM decides on the panel's recommendation, or again after the review.

    A first decision to deregister schedules the end of the approval 28 calendar days
    later; the carer's request for a review cancels it. A decision after the review to
    deregister ends the approval at once. A decision that approval continues ends the
    process (decision 0039).
    """
    _require(actor, "standards.decide_approval")
    referral = _lock_referral(actor, referral)
    today = timezone.localdate()
    decided_on = decided_on or today
    errors: dict[str, list[str]] = {}
    recommendation = PanelRecommendation.objects.filter(referral=referral).first()
    first = first_decision(referral)
    review = ReviewRequest.objects.filter(referral=referral).first()
    after = dt.date.min
    event = ""
    if recommendation is None:
        _add(errors, "decision", f"Decision: {RULE} the panel's recommendation comes first")
    elif not after_review:
        if first is not None:
            _add(
                errors,
                "decision",
                f"Decision: the agency decision maker's decision is already recorded ({RULE})",
            )
        after, event = recommendation.panel_on, "the panel"
    elif review is None:
        _add(
            errors,
            "after_review",
            f"After the review: {RULE} a decision after the independent review needs the carer's request "
            "for one, and none is recorded",
        )
    elif AdmDecision.objects.filter(referral=referral, after_review=True).exists():
        _add(errors, "decision", f"Decision: the decision after the review is already recorded ({RULE})")
    else:
        after, event = review.received_on, "the request for a review"
    if decision not in ApprovalChoice.values:
        _add(
            errors,
            "decision",
            f"Decision: choose that approval continues, continues on changed terms, or ends ({RULE})",
        )
    if not reasons.strip():
        _add(errors, "reasons", f"Reasons: say why ({RULE})")
    _check_day(errors, "decided_on", "Date of the decision", decided_on, after=after, event=event)
    if errors:
        raise ValidationError(errors)
    service = referral.service
    made = AdmDecision(
        service=service,
        referral=referral,
        decision=decision,
        reasons=reasons.strip(),
        decided_on=decided_on,
        after_review=after_review,
        decided_by=actor,
    )
    save_as(made, actor)
    household = referral.household
    if not after_review:
        tasks_close(actor=actor, service=service, kind=ADM_DECISION, household=household)
        if decision == ApprovalChoice.DEREGISTER and household.status not in FINAL_STATUSES:
            schedule(
                DEREGISTER_JOB,
                job_key(referral),
                _start_of(deregistration_day(decided_on)),
                service=service,
                payload={"decision": made.pk},
            )
    elif decision == ApprovalChoice.DEREGISTER:
        try:
            with transaction.atomic():
                end_approval(decision=made)
        except ValidationError:
            # The workflow refuses while a child is still placed: the job tries again every
            # minute until the placements are ended (as SOC-11), keeping the refusal as its error.
            schedule(
                DEREGISTER_JOB,
                job_key(referral),
                timezone.now(),
                service=service,
                payload={"decision": made.pk},
            )
    notify(
        service=service,
        household=household,
        recipients=[
            user for user in [household_worker(household), *fostering_managers(service)] if user != actor
        ],
        kind="soc_adm_decision",
        subject=SUBJECTS["decision"],
        reference=referral.reference,
        url=referral_url(referral),
        dedupe_key=f"standards:adm-decision:{made.pk}",
        rule_id=RULE,
    )
    return made


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _deregistering_manager(referral: PanelReferral) -> User | None:
    """Who the workflow records as ending the approval on the ADM's decision: the meeting's
    chair (a fostering manager), or, with the chair's account closed, a fostering manager."""
    chair = referral.meeting.chair
    if chair.is_active and chair.has_perm("households.approve_household"):
        return chair
    return next(iter(fostering_managers(referral.service)), None)


def end_approval(*, decision: AdmDecision) -> HouseholdStatusChange | None:
    """SOC-10: the household's approval ends on the ADM's decision, through the household
    workflow, once: a household already ended is left alone, and so is a first decision
    whose review was asked for. Runs in the caller's transaction."""
    referral = (
        PanelReferral.objects.select_for_update()
        .select_related("meeting__chair", "service")
        .get(pk=decision.referral_id)
    )
    household = Household.objects.select_for_update().get(pk=referral.household_id)
    if decision.decision != ApprovalChoice.DEREGISTER or household.status in FINAL_STATUSES:
        return None
    if not decision.after_review and ReviewRequest.objects.filter(referral=referral).exists():
        return None
    actor = _deregistering_manager(referral)
    if actor is None:
        raise ValidationError(
            {
                "household": [
                    f"Household: {RULE} no fostering manager's account is open to record the deregistration"
                ]
            }
        )
    if decision.after_review:
        effective_on = decision.decided_on
        reason = (
            f"{RULE}: deregistered on the agency decision maker's decision of {long_date(decision.decided_on)} "
            "after the independent review"
        )
    else:
        effective_on = deregistration_day(decision.decided_on)
        reason = (
            f"{RULE}: deregistered 28 calendar days after the agency decision maker's decision of "
            f"{long_date(decision.decided_on)}, with no independent review asked for (reg. 28)"
        )
    return household_change_status(
        actor=actor,
        household=household,
        to_status=HouseholdStatus.DEREGISTERED,
        effective_on=effective_on,
        reason=reason,
        confirmed=True,
    )


# SOC-10: the independent review ----------------------------------------------------------------


@transaction.atomic
def review_request_record(
    *, actor: User, referral: PanelReferral, received_on: dt.date | None, note: str = ""
) -> ReviewRequest:
    """SOC-10: the carer asked for an independent review of the panel and ADM decision (not a
    complaint). Recorded by a fostering manager once, before the approval ends; it cancels
    the deregistration job, which waits for the ADM's decision after the review."""
    _require(actor, "standards.record_review_request")
    # The job's row first, then the referral: the order the job runner takes them in.
    ScheduledJob.objects.select_for_update().filter(key=job_key(referral)).first()
    referral = _lock_referral(actor, referral)
    household = Household.objects.get(pk=referral.household_id)
    errors: dict[str, list[str]] = {}
    first = first_decision(referral)
    after = dt.date.min
    if ReviewRequest.objects.filter(referral=referral).exists():
        _add(
            errors, "referral", f"Review request: {RULE} the carer's request for a review is already recorded"
        )
    elif household.status in FINAL_STATUSES:
        change = household.status_changes.filter(to_status=household.status).order_by("-id").first()
        when = f" on {long_date(change.effective_on)}" if change else ""
        _add(
            errors,
            "referral",
            f"Review request: {RULE} the household's approval has already ended{when}; a review can no "
            "longer stop it",
        )
    elif first is None:
        _add(
            errors,
            "referral",
            f"Review request: {RULE} a review is of the panel and the agency decision maker's decision, "
            "and there is no decision yet",
        )
    elif first.decision == ApprovalChoice.CONTINUE:
        _add(
            errors,
            "referral",
            f"Review request: {RULE} the decision was that approval continues; there is nothing to review",
        )
    else:
        after = first.decided_on
    _check_day(
        errors, "received_on", "Date the request was received", received_on, after=after, event="the decision"
    )
    if first is not None and received_on is not None and received_on >= deregistration_day(first.decided_on):
        _add(
            errors,
            "received_on",
            f"Date the request was received: {RULE} the 28 days to ask for a review ended on "
            f"{long_date(deregistration_day(first.decided_on) - dt.timedelta(days=1))}",
        )
    if errors or received_on is None:
        raise ValidationError(errors)
    service = referral.service
    request = ReviewRequest(
        service=service, referral=referral, received_on=received_on, note=note.strip(), recorded_by=actor
    )
    save_as(request, actor)
    cancel(job_key(referral))
    notify(
        service=service,
        household=household,
        recipients=[user for user in _people(service, Role.AGENCY_DECISION_MAKER) if user != actor],
        kind="soc_review_requested",
        subject=SUBJECTS["review"],
        reference=referral.reference,
        url=referral_url(referral),
        dedupe_key=f"standards:review-request:{request.pk}",
        rule_id=RULE,
    )
    return request


# Where a referral stands ------------------------------------------------------------------------


def referral_state(referral: PanelReferral, decisions: Iterable[AdmDecision] | None = None) -> str:
    """Where the referral stands, in a few words. Reads the referral's recommendation, review
    request and ADM decisions: select or prefetch them for a list, or give the decisions read
    already (the meeting's page reads them with the meeting)."""
    try:
        recommendation: PanelRecommendation | None = referral.recommendation
    except PanelRecommendation.DoesNotExist:
        recommendation = None
    if recommendation is None:
        return "Waiting for the panel's recommendation"
    if decisions is None:
        decisions = referral.adm_decisions.all()
    by_stage = {decision.after_review: decision for decision in decisions}
    first = by_stage.get(False)
    if first is None:
        return "Waiting for the agency decision maker"
    try:
        review: ReviewRequest | None = referral.review_request
    except ReviewRequest.DoesNotExist:
        review = None
    later = by_stage.get(True)
    if later is not None:
        return f"Decided after the review: {later.get_decision_display()}"
    if review is not None:
        return "Review asked for: waiting for the decision after the review"
    if first.decision == ApprovalChoice.DEREGISTER:
        if referral.household.status == HouseholdStatus.DEREGISTERED:
            return "Deregistered"
        return (
            f"Decided: deregister on {long_date(deregistration_day(first.decided_on))} "
            "unless a review is asked for"
        )
    return f"Decided: {first.get_decision_display()}"


def waits_for_adm(referral: PanelReferral) -> bool:
    """Whether the ADM has a decision to make on it: the first, or the one after the review."""
    decisions = {decision.after_review for decision in referral.adm_decisions.all()}
    try:
        reviewed = referral.review_request is not None
    except ReviewRequest.DoesNotExist:
        reviewed = False
    return False not in decisions or (reviewed and True not in decisions)
