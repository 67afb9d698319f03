"""The monitoring agreement, its end and its reviews (IM-7, IM-8, IM-9).

- IM-7: monitoring starts only with a written agreement, following a decision to monitor
  (IM-5), signed by the young person if Gillick competent (the social worker records the
  competence assessment and its date) or by a person with parental responsibility (a
  contact: name and relationship), never by the local authority as corporate parent.
- IM-8: the agreement says what is monitored, how, by whom and who sees what it finds, has
  an end date after its start and an action plan to replace monitoring with positive
  measures. Monitoring ends by itself at the start of the end date (a core.jobs job), once,
  however often and on however many workers the job runs. An agreement recorded while
  another is in force replaces it (the old one ends, reason "replaced"): continuing past
  an end date, or changing what is monitored, is a new agreement; nothing edits one.
- IM-9: the first review is due one month after monitoring starts, each later one at most
  three months after the review actually held (core.dates.add_months: month ends
  clamped). The review duty is the young person's social worker's; a review that stops
  monitoring ends the agreement at once and cancels its end job; one that asks for a
  change says a new agreement is needed (the agreement stays in force until one replaces
  it). A review after the agreement ended is refused. When an agreement ends, its open
  review duty is cancelled with the reason.

Decisions: docs/decisions/0042-internet-monitoring-agreement-and-reviews.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safecare.core import jobs
from safecare.core.audit import save_as
from safecare.core.deadlines import Deadline, long_date, months_after
from safecare.core.models import Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.tasks import task_open, tasks_cancel, tasks_close
from safecare.households.models import Child, Household, Placement
from safecare.households.selectors import child_csw, current_carers, household_worker

from .duties import REVIEW
from .models import (
    Agreement,
    AgreementEnd,
    Decision,
    EndReason,
    Residence,
    Review,
    ReviewOutcome,
    Signatory,
)
from .selectors import children_in_full, current_residences

if TYPE_CHECKING:
    from safecare.core.models import User

END_JOB = "im_agreement_end"
LONG_TEXT = 20000
# What an agreement must say (IM-8), in the order the form asks for it.
AGREEMENT_PARTS = ("what", "how", "by_whom", "who_sees", "action_plan")


def _label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def end_job_key(agreement: Agreement) -> str:
    return f"im8:agreement:{agreement.pk}:end"


# Where the young person lives, and who cares for them ------------------------------------------


def homes_of(child: Child, today: dt.date | None = None) -> list[Household]:
    """The households the young person is placed with, or lodges with (a Residence), today."""
    today = today or timezone.localdate()
    placed = Placement.objects.filter(
        Q(start_on__lte=today) & (Q(end_on__isnull=True) | Q(end_on__gt=today)), child=child
    ).values("household")
    lodging = Residence.objects.filter(
        current_residences(today), child=child, household__isnull=False
    ).values("household")
    return list(Household.objects.filter(Q(pk__in=placed) | Q(pk__in=lodging)).order_by("pk"))


def carers_of(child: Child, today: dt.date | None = None) -> list[User]:
    """The carers (with an account) of the households the young person lives with today."""
    people: dict[int, User] = {}
    for household in homes_of(child, today):
        for carer in current_carers(household):
            people.setdefault(carer.pk, carer)
    return list(people.values())


def _home(child: Child) -> Household | None:
    homes = homes_of(child)
    return homes[0] if homes else None


# State ------------------------------------------------------------------------------------------


def current_agreements(child: Child) -> QuerySet[Agreement]:
    """The young person's agreements that have not ended (in force, or still to start), earliest first."""
    return Agreement.objects.filter(child=child, end__isnull=True).order_by("starts_on", "id")


def in_force(agreement: Agreement, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    ended = AgreementEnd.objects.filter(agreement=agreement).exists() if agreement.pk else False
    return not ended and agreement.starts_on <= today < agreement.ends_on


def review_due(agreement: Agreement, last_held_on: dt.date | None = None) -> Deadline:
    """IM-9: one month after monitoring starts; then at most three months after the last review held."""
    if last_held_on is None:
        last = agreement.reviews.order_by("-held_on", "-id").first() if agreement.pk else None
        last_held_on = last.held_on if last is not None else None
    if last_held_on is None:
        return months_after(
            agreement.starts_on,
            1,
            event=f"monitoring started under agreement {agreement.reference}",
            rule_id="IM-9",
        )
    return months_after(last_held_on, 3, event="the last review was held", rule_id="IM-9")


def _open_review_duty(*, actor: User | None, child: Child) -> Task | None:
    """IM-9: the review of the earliest agreement that has not ended, owned by the young person's CSW."""
    agreement = current_agreements(child).first()
    if agreement is None:
        return None
    due = review_due(agreement)
    csw = child_csw(child)
    return task_open(
        service=agreement.service,
        rule_id="IM-9",
        kind=REVIEW,
        title=f"Review internet monitoring agreement {agreement.reference}",
        due_on=due.due_on,
        owner=csw,
        team=csw.team if csw is not None else child.team,
        child=child,
        actor=actor,
        due_basis=due.basis,
    )


def _child_url(child: Child) -> str:
    return reverse("monitoring:child", kwargs={"pk": child.pk})


# IM-7, IM-8: recording the agreement ------------------------------------------------------------


def may_record_agreement(actor: User, child: Child) -> bool:
    return (
        actor.has_perm("monitoring.record_agreement") and children_in_full(actor).filter(pk=child.pk).exists()
    )


def _check_day(
    errors: dict[str, list[str]], field: str, day: dt.date | None, today: dt.date, rule: str
) -> None:
    label = _label(Agreement, field)
    if day is None:
        _add(errors, field, f"{label}: enter the date ({rule})")
    elif day > today:
        _add(errors, field, f"{label}: cannot be in the future")


@transaction.atomic
def agreement_record(
    *,
    actor: User,
    child: Child,
    decision: Decision | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    what: str,
    how: str,
    by_whom: str,
    who_sees: str,
    action_plan: str,
    signatory: str,
    signed_on: dt.date | None,
    gillick_assessed_on: dt.date | None = None,
    gillick_assessment: str = "",
    signed_by_name: str = "",
    relationship: str = "",
) -> Agreement:
    """IM-7, IM-8: record the signed, time-limited agreement; schedule its end; open its first review.

    An agreement not ended whose time overlaps this one is replaced by it (ended, reason
    "replaced", on this one's start). The carers who care for the young person are told to
    read it.
    """
    locked = Child.objects.select_for_update().filter(pk=child.pk).first()
    if locked is None or not may_record_agreement(actor, locked):
        raise PermissionDenied
    child = locked
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}

    # IM-5: only a decision to monitor, about this young person.
    if decision is None:
        _add(errors, "decision", "Decision: choose the decision to monitor this agreement follows (IM-5)")
    elif decision.child_id != child.pk:
        _add(errors, "decision", "Decision: choose a decision about this young person (IM-5)")
    elif not decision.monitor:
        _add(
            errors,
            "decision",
            "Decision: IM-5 this was a decision not to monitor; monitoring needs a decision to monitor first",
        )

    # IM-7: who signed it.
    name = signed_by_name.strip()
    relation = relationship.strip()
    assessment = gillick_assessment.strip()
    _check_day(errors, "signed_on", signed_on, today, "IM-7")
    if signatory == Signatory.LOCAL_AUTHORITY:
        _add(
            errors,
            "signatory",
            "Who signed it: IM-7 the local authority as corporate parent never signs a monitoring agreement; "
            "the young person, if Gillick competent, or a person with parental responsibility signs it",
        )
    elif signatory == Signatory.YOUNG_PERSON:
        if not assessment:
            _add(
                errors,
                "gillick_assessment",
                f"{_label(Agreement, 'gillick_assessment')}: IM-7 record your assessment that the young person "
                "is Gillick competent before they sign alone",
            )
        if gillick_assessed_on is None:
            _add(
                errors,
                "gillick_assessed_on",
                f"{_label(Agreement, 'gillick_assessed_on')}: IM-7 enter the date you assessed the young "
                "person's competence",
            )
        elif gillick_assessed_on > today:
            _add(
                errors,
                "gillick_assessed_on",
                f"{_label(Agreement, 'gillick_assessed_on')}: cannot be in the future",
            )
        elif signed_on is not None and gillick_assessed_on > signed_on:
            _add(
                errors,
                "gillick_assessed_on",
                f"{_label(Agreement, 'gillick_assessed_on')}: IM-7 the competence is assessed before the young "
                f"person signs, on {long_date(signed_on)} or earlier",
            )
        name = name or child.full_name
        relation = relation or "The young person"
    elif signatory == Signatory.PARENTAL_RESPONSIBILITY:
        if not name:
            _add(
                errors,
                "signed_by_name",
                f"{_label(Agreement, 'signed_by_name')}: IM-7 give the name of the person with parental "
                "responsibility who signed",
            )
        if not relation:
            _add(
                errors,
                "relationship",
                f"{_label(Agreement, 'relationship')}: IM-7 say how they are related to the young person",
            )
        # Their signature stands without a competence assessment: none is kept.
        assessment, gillick_assessed_on = "", None
    else:
        _add(
            errors,
            "signatory",
            "Who signed it: IM-7 choose the young person (Gillick competent) or a person with parental "
            "responsibility",
        )

    # IM-8: time-limited, with its parts and the action plan.
    if starts_on is None:
        _add(errors, "starts_on", f"{_label(Agreement, 'starts_on')}: enter the date (IM-8)")
    elif signed_on is not None and starts_on < signed_on:
        _add(
            errors,
            "starts_on",
            f"{_label(Agreement, 'starts_on')}: IM-7 monitoring starts only once the agreement is signed, "
            f"on {long_date(signed_on)} or later",
        )
    if decision is not None and signed_on is not None and signed_on < decision.decided_on:
        _add(
            errors,
            "signed_on",
            f"{_label(Agreement, 'signed_on')}: cannot be before the decision to monitor on "
            f"{long_date(decision.decided_on)} (IM-5)",
        )
    if ends_on is None:
        _add(
            errors,
            "ends_on",
            f"{_label(Agreement, 'ends_on')}: IM-8 an agreement is time-limited; enter the date monitoring ends",
        )
    elif starts_on is not None and ends_on <= starts_on:
        _add(
            errors, "ends_on", f"{_label(Agreement, 'ends_on')}: IM-8 must be after the day monitoring starts"
        )
    elif ends_on <= today:
        _add(errors, "ends_on", f"{_label(Agreement, 'ends_on')}: IM-8 must be a date still to come")
    texts = {"what": what, "how": how, "by_whom": by_whom, "who_sees": who_sees, "action_plan": action_plan}
    for field, text in texts.items():
        label = _label(Agreement, field)
        if not text.strip():
            if field == "action_plan":
                _add(
                    errors,
                    field,
                    f"{label}: IM-8 write the plan by which monitoring is replaced by positive measures over "
                    "the agreed period",
                )
            else:
                _add(errors, field, f"{label}: IM-8 the agreement must say this")
        elif len(text) > LONG_TEXT:
            _add(errors, field, f"{label}: must be {LONG_TEXT:,} characters or fewer")

    # IM-8: one agreement in force at a time; a new one overlapping the latest replaces it.
    replaces: Agreement | None = None
    latest = Agreement.objects.filter(child=child, end__isnull=True).order_by("-starts_on", "-id").first()
    if latest is not None and starts_on is not None and starts_on < latest.ends_on:
        if starts_on < latest.starts_on:
            _add(
                errors,
                "starts_on",
                f"{_label(Agreement, 'starts_on')}: IM-8 agreement {latest.reference} starts on "
                f"{long_date(latest.starts_on)}; a new agreement replacing it cannot start before it",
            )
        else:
            replaces = latest
    if errors or decision is None or starts_on is None or ends_on is None or signed_on is None:
        raise ValidationError(errors)

    agreement = Agreement(
        service=child.service,
        child=child,
        decision=decision,
        replaces=replaces,
        starts_on=starts_on,
        ends_on=ends_on,
        what=what.strip(),
        how=how.strip(),
        by_whom=by_whom.strip(),
        who_sees=who_sees.strip(),
        action_plan=action_plan.strip(),
        signatory=signatory,
        gillick_assessed_on=gillick_assessed_on,
        gillick_assessment=assessment,
        signed_by_name=name[:200],
        relationship=relation[:120],
        signed_on=signed_on,
        recorded_by=actor,
    )
    save_as(agreement, actor)
    # IM-8: monitoring ends by itself at the start of the end date.
    jobs.schedule(
        END_JOB,
        end_job_key(agreement),
        timezone.make_aware(dt.datetime.combine(ends_on, dt.time.min)),
        service=child.service,
        payload={"agreement": agreement.pk},
    )
    if replaces is not None:
        _end(actor=actor, agreement=replaces, ended_on=starts_on, reason=EndReason.REPLACED)
    _open_review_duty(actor=actor, child=child)
    notify(
        service=child.service,
        recipients=[c for c in carers_of(child) if c.pk != actor.pk],
        kind="im_agreement",
        rule_id="IM-8",
        subject="An internet monitoring agreement for a young person you care for is ready to read",
        reference=agreement.reference,
        url=_child_url(child),
        household=_home(child),
        dedupe_key=f"im_agreement:{agreement.pk}",
    )
    return agreement


# IM-8, IM-9: the end -----------------------------------------------------------------------------


def _end(*, actor: User | None, agreement: Agreement, ended_on: dt.date, reason: str) -> AgreementEnd | None:
    """End the agreement once: the end recorded, its end job and open review duty cancelled,
    the next agreement's review opened; the CSW and the carers told (not of a replacement:
    they are told of the new agreement). None when it had already ended."""
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).select_related("child").first()
    if locked is None or AgreementEnd.objects.filter(agreement=locked).exists():
        return None
    end = AgreementEnd(
        service=locked.service, agreement=locked, ended_on=ended_on, reason=reason, recorded_by=actor
    )
    save_as(end, actor)
    if reason != EndReason.END_DATE:
        jobs.cancel(end_job_key(locked))
    child = locked.child
    why = dict(EndReason.choices)[reason].lower()
    tasks_cancel(
        actor=actor,
        tasks=Task.objects.select_for_update().filter(
            service=locked.service, kind=REVIEW, child=child, status=TaskStatus.OPEN
        ),
        reason=f"IM-9: agreement {locked.reference} ended on {long_date(ended_on)}: {why}",
    )
    _open_review_duty(actor=actor, child=child)
    if reason != EndReason.REPLACED:
        notify(
            service=locked.service,
            recipients=[p for p in [child_csw(child), *carers_of(child)] if p is not None and p != actor],
            kind="im_agreement_ended",
            rule_id="IM-8" if reason == EndReason.END_DATE else "IM-9",
            subject="Internet monitoring under an agreement has ended",
            reference=locked.reference,
            url=_child_url(child),
            household=_home(child),
            dedupe_key=f"im_agreement_ended:{locked.pk}",
        )
    return end


@transaction.atomic
def agreement_end_on_its_date(*, agreement_id: int) -> AgreementEnd | None:
    """IM-8: the end date came: monitoring ends, once, by the rule (no person records it)."""
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None:
        return None
    return _end(actor=None, agreement=agreement, ended_on=agreement.ends_on, reason=EndReason.END_DATE)


# IM-9: reviews -------------------------------------------------------------------------------------


def may_review(actor: User, agreement: Agreement) -> bool:
    return (
        actor.has_perm("monitoring.review") and children_in_full(actor).filter(pk=agreement.child_id).exists()
    )


@transaction.atomic
def review_record(
    *,
    actor: User,
    agreement: Agreement,
    held_on: dt.date | None,
    young_person_took_part: bool | None,
    family: str = "",
    others: str,
    outcome: str,
    notes: str,
) -> Review:
    """IM-9: record a review held with the young person, family and all relevant parties.

    The review duty closes and the next opens, due at most three months after this review.
    "Stop" ends the agreement now (reason review) and cancels its end job. A review of an
    agreement that has ended is refused.
    """
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).select_related("child").first()
    if locked is None or not may_review(actor, locked):
        raise PermissionDenied
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    end = AgreementEnd.objects.filter(agreement=locked).first()
    if end is not None:
        _add(
            errors,
            "agreement",
            f"Agreement: IM-9 agreement {locked.reference} ended on {long_date(end.ended_on)}; there is nothing "
            "in force to review",
        )
    label = _label(Review, "held_on")
    last = locked.reviews.order_by("-held_on", "-id").first()
    if held_on is None:
        _add(errors, "held_on", f"{label}: enter the date (IM-9)")
    elif held_on > today:
        _add(errors, "held_on", f"{label}: cannot be in the future")
    elif held_on < locked.starts_on:
        _add(
            errors,
            "held_on",
            f"{label}: IM-9 cannot be before monitoring started on {long_date(locked.starts_on)}",
        )
    elif end is None and held_on >= locked.ends_on:
        _add(
            errors,
            "held_on",
            f"{label}: IM-9 monitoring under this agreement ended on {long_date(locked.ends_on)}",
        )
    elif last is not None and held_on < last.held_on:
        _add(
            errors, "held_on", f"{label}: IM-9 cannot be before the last review on {long_date(last.held_on)}"
        )
    if young_person_took_part is None:
        _add(
            errors, "young_person_took_part", "The young person took part: say whether they took part (IM-9)"
        )
    if not others.strip():
        _add(
            errors,
            "others",
            f"{_label(Review, 'others')}: IM-9 the review is held with all relevant parties; say who took part",
        )
    if outcome not in ReviewOutcome.values:
        _add(errors, "outcome", "Outcome: choose whether monitoring continues, changes or stops (IM-9)")
    if not notes.strip():
        _add(errors, "notes", f"{_label(Review, 'notes')}: write what the review found (IM-9)")
    for field, text in (("family", family), ("others", others), ("notes", notes)):
        if len(text) > LONG_TEXT:
            _add(errors, field, f"{_label(Review, field)}: must be {LONG_TEXT:,} characters or fewer")
    if errors or held_on is None or young_person_took_part is None:
        raise ValidationError(errors)
    review = Review(
        service=locked.service,
        agreement=locked,
        held_on=held_on,
        young_person_took_part=young_person_took_part,
        family=family.strip(),
        others=others.strip(),
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    save_as(review, actor)
    child = locked.child
    tasks_close(actor=actor, service=locked.service, kind=REVIEW, child=child)
    if outcome == ReviewOutcome.STOP:
        _end(actor=actor, agreement=locked, ended_on=today, reason=EndReason.REVIEW)
    else:
        _open_review_duty(actor=actor, child=child)
    return review


# What the page says to do next ---------------------------------------------------------------------


def change_asked(agreement: Agreement, reviews: Iterable[Review]) -> bool:
    """IM-9: the agreement's latest review asked for a change: a new agreement is needed."""
    latest = max(reviews, key=lambda r: (r.held_on, r.pk), default=None)
    return latest is not None and latest.outcome == ReviewOutcome.CHANGE


def household_ssw(child: Child) -> list[User]:
    return [w for w in (household_worker(h) for h in homes_of(child)) if w is not None]
