"""Who reads what of the internet monitoring procedure (IM-1 to IM-9; rules: Who sees what).

- The whole of it (worries, the assessment, the strategy discussion, the panels and their
  minutes, the evaluation, the decision, the discussion, agreements and reviews): the young
  person's social worker, the children's team manager of the young person's team, and the
  service managers. Nobody else, not the heads of service or of fostering: a restrictive
  practice's evidence is read by those who decide it (decision 0043).
- The agreement in force, view-only, in the parts they act on (what is monitored, how, by
  whom, who sees what it finds, the end date and the action plan): the carers of the
  household the young person is placed with or lodges with, never the assessment or the
  panel minutes.
- That an agreement exists, and its end date: the supervising social worker of that household.
- A worry: also the person who raised it.

Out of scope is 404. A young person in supported lodgings with a household Safecare holds
is cared for by that household's carers, as a placed child is.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safecare.core.access import is_active
from safecare.core.roles import Role
from safecare.households.access import children_visible_to, households_visible_to
from safecare.households.models import Child

from .models import (
    Agreement,
    Assessment,
    Decision,
    Discussion,
    Evaluation,
    PanelReferral,
    Residence,
    Review,
    StrategyDiscussion,
    Worry,
)

if TYPE_CHECKING:
    from safecare.core.models import User

# Those who read the whole procedure for the children they hold.
FULL_READERS = frozenset({Role.CHILDS_SW, Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER})
# Those who care for the young person day to day, or supervise the household that does.
CARING = frozenset({Role.CARER, Role.SUPERVISING_SW})


def current_residences(today: dt.date) -> Q:
    return Q(from_on__lte=today) & (Q(to_on__isnull=True) | Q(to_on__gt=today))


def children_in_full(user: User) -> QuerySet[Child]:
    """The young people whose whole procedure this user reads."""
    if not is_active(user) or user.role not in FULL_READERS:
        return Child.objects.none()
    return children_visible_to(user)


def children_cared_for(user: User, *, today: dt.date | None = None) -> QuerySet[Child]:
    """The young people this carer (or the household's SSW) cares for: placed with the household,
    or lodging with it (Residence.household)."""
    if not is_active(user) or user.role not in CARING:
        return Child.objects.none()
    today = today or timezone.localdate()
    households = households_visible_to(user, today=today)
    lodging = Residence.objects.filter(
        current_residences(today), child=OuterRef("pk"), household__in=households
    )
    return Child.objects.filter(
        Q(pk__in=children_visible_to(user, today=today).values("pk")) | Exists(lodging),
        service_id=user.service_id,
    )


def worries_visible_to(user: User) -> QuerySet[Worry]:
    if not is_active(user):
        return Worry.objects.none()
    return Worry.objects.filter(
        Q(child__in=children_in_full(user)) | Q(raised_by=user, service_id=user.service_id)
    )


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(child__in=children_in_full(user))


def strategy_discussions_visible_to(user: User) -> QuerySet[StrategyDiscussion]:
    return StrategyDiscussion.objects.filter(assessment__child__in=children_in_full(user))


def panel_referrals_visible_to(user: User) -> QuerySet[PanelReferral]:
    return PanelReferral.objects.filter(assessment__child__in=children_in_full(user))


def evaluations_visible_to(user: User) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(assessment__child__in=children_in_full(user))


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    return Decision.objects.filter(child__in=children_in_full(user))


def discussions_visible_to(user: User) -> QuerySet[Discussion]:
    return Discussion.objects.filter(decision__child__in=children_in_full(user))


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """In full to the full readers; the parts to act on to the carers and the household's SSW
    (what each may see of it is the page's and the serializer's: `sees_agreement_in_full`)."""
    if not is_active(user):
        return Agreement.objects.none()
    if user.role in FULL_READERS:
        return Agreement.objects.filter(child__in=children_in_full(user))
    return Agreement.objects.filter(child__in=children_cared_for(user))


def sees_agreement_in_full(user: User) -> bool:
    return is_active(user) and user.role in FULL_READERS


def reviews_visible_to(user: User) -> QuerySet[Review]:
    return Review.objects.filter(agreement__child__in=children_in_full(user))


def residences_visible_to(user: User) -> QuerySet[Residence]:
    """Where a young person lives: whoever sees the child (core access), and the host household's side."""
    if not is_active(user):
        return Residence.objects.none()
    return Residence.objects.filter(
        Q(child__in=children_visible_to(user)) | Q(child__in=children_cared_for(user))
    )


# One record: outside the reader's scope it does not exist (404) ----------------------------------


def child_in_full(user: User, pk: int) -> Child:
    return get_object_or_404(children_in_full(user), pk=pk)


def worry_for(user: User, pk: int) -> Worry:
    return get_object_or_404(worries_visible_to(user).select_related("child", "raised_by"), pk=pk)


def agreement_for(user: User, pk: int) -> Agreement:
    return get_object_or_404(agreements_visible_to(user).select_related("child", "decision"), pk=pk)


# The young person's page: each list with what it shows of its parts, one query each ---------------


def _joined(queryset: QuerySet[Any], relation: str, fields: dict[str, str], shown: str) -> list[Any]:
    """The rows of `queryset`, each once and in its order, with the `relation` rows it joins to
    (a left join, in the order the queryset gives them) as dicts of `fields` in `shown`: a
    parent and its parts in one query. `fields` maps a name to its path under `relation`."""
    annotated = queryset.annotate(
        **{f"_part_{name}": F(f"{relation}__{path}") for name, path in fields.items()}
    )
    parents: dict[int, Any] = {}
    for row in annotated:
        parent = parents.setdefault(row.pk, row)
        if not hasattr(parent, shown):
            setattr(parent, shown, [])
        part = {name: getattr(row, f"_part_{name}") for name in fields}
        if part["id"] is not None:
            getattr(parent, shown).append(part)
    return list(parents.values())


def _count_of(model: type[Model], field: str) -> Coalesce:
    rows = model._default_manager.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def assessments_for_page(user: User, child: Child) -> list[Assessment]:
    """The young person's assessments for a full reader, newest first, each with how many strategy
    discussions and evaluations it has and its panel referrals (`referrals_shown`)."""
    queryset = (
        assessments_visible_to(user)
        .filter(child=child)
        .annotate(
            strategy_count=_count_of(StrategyDiscussion, "assessment"),
            evaluation_count=_count_of(Evaluation, "assessment"),
        )
        .order_by("-assessed_on", "-id", "panel_referrals__id")
    )
    assessments = _joined(
        queryset,
        "panel_referrals",
        {"id": "id", "panel": "panel", "outcome_on": "outcome_on"},
        "referrals_shown",
    )
    for assessment in assessments:
        assessment.referrals_shown = [PanelReferral(**part) for part in assessment.referrals_shown]
    return assessments


def decisions_for_page(user: User, child: Child) -> list[Decision]:
    """The young person's decisions for a full reader, newest first, each with who decided it and
    its discussions with the young person (`discussions_shown`)."""
    queryset = (
        decisions_visible_to(user)
        .filter(child=child)
        .select_related("decided_by")
        .order_by("-decided_at", "-id", "discussions__id")
    )
    decisions = _joined(
        queryset,
        "discussions",
        {
            "id": "id",
            "held_on": "held_on",
            "advocate_wanted": "advocate_wanted",
            "advocate_arranged_on": "advocate_arranged_on",
        },
        "discussions_shown",
    )
    for decision in decisions:
        decision.discussions_shown = [Discussion(**part) for part in decision.discussions_shown]
    return decisions


def agreements_for_page(user: User, child: Child) -> list[Agreement]:
    """The young person's agreements for a full reader, newest first, each with the decision it
    follows, who recorded it, its end, the agreement it replaced and its reviews, newest first,
    each with who recorded it (`reviews_shown`)."""
    from safecare.core.models import User as UserModel

    queryset = (
        agreements_visible_to(user)
        .filter(child=child)
        .select_related("decision", "recorded_by", "end", "replaces")
        .order_by("-starts_on", "-id", "-reviews__held_on", "-reviews__id")
    )
    people = {"first_name": "recorded_by__first_name", "last_name": "recorded_by__last_name"}
    people["username"] = "recorded_by__username"
    review_fields = ["id", "held_on", "young_person_took_part", "family", "others", "outcome", "notes"]
    fields = {name: name for name in review_fields} | {f"by_{name}": path for name, path in people.items()}
    agreements = _joined(queryset, "reviews", fields, "reviews_shown")
    for agreement in agreements:
        agreement.reviews_shown = [
            Review(
                agreement=agreement,
                recorded_by=UserModel(**{name: part[f"by_{name}"] for name in people}),
                **{name: part[name] for name in review_fields},
            )
            for part in agreement.reviews_shown
        ]
    return agreements
