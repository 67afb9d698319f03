"""Reads of notices, care arrangements and children's risk, scoped through core.access.

Decisions (docs/decisions/0011-notices.md):
- Change notices (SC-6) are about the household's own circumstances: the
  carers and the household's side (assessing and supervising SW, fostering
  managers, heads) see them; a child's social worker does not, as with the
  household's standards-of-care records (rules: Who sees what).
- Immediate notices (SC-8, SC-11) are also seen by the social workers of the
  children they concern (the ones alerted), through those children.
- Care arrangements are seen by the household's side and by whoever sees the
  child; a carer sees those of children placed with them now.
- A child's risk flag and assessments are seen by staff who see the child,
  never by carers (rules: Who sees what: carers see only what they need of a child).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safecare.core.access import sees_case_content
from safecare.core.models import Task, TaskStatus
from safecare.core.roles import Role
from safecare.households.access import children_visible_to, households_visible_to
from safecare.households.models import Child, Household
from safecare.households.selectors import seen_by

from .duties import RISK_ASSESSMENT
from .models import CareArrangement, ChangeNotice, ChildRiskFlag, ImmediateNotice, RiskAssessment, breach_q

if TYPE_CHECKING:
    from safecare.core.models import User


HOUSEHOLD_SIDE = frozenset(
    {
        Role.CARER,
        Role.ASSESSING_SW,
        Role.SUPERVISING_SW,
        Role.FOSTERING_TEAM_MANAGER,
        Role.FOSTERING_MANAGER,
        Role.HEAD_OF_FOSTERING,
        Role.HEAD_OF_SERVICE,
    }
)
CHILD_SIDE = frozenset({Role.CHILDS_SW, Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER})
# Immediate notices and care arrangements are about the foster children placed. The
# assessing social worker sees no child (rules: Who sees what): their work is the
# assessment, so they read the household's change notices, not these.
CHILDREN_RECORDS_HOUSEHOLD_SIDE = HOUSEHOLD_SIDE - {Role.ASSESSING_SW}


def _case_user(user: User) -> bool:
    return bool(sees_case_content(user))


def change_notices_visible_to(user: User) -> QuerySet[ChangeNotice]:
    if not _case_user(user) or user.role not in HOUSEHOLD_SIDE:
        return ChangeNotice.objects.none()
    return ChangeNotice.objects.filter(service_id=user.service_id, household__in=households_visible_to(user))


def immediate_notices_visible_to(user: User) -> QuerySet[ImmediateNotice]:
    if not _case_user(user):
        return ImmediateNotice.objects.none()
    in_service = ImmediateNotice.objects.filter(service_id=user.service_id)
    if user.role in CHILDREN_RECORDS_HOUSEHOLD_SIDE:
        return in_service.filter(household__in=households_visible_to(user))
    if user.role in CHILD_SIDE:
        notice_ids = ImmediateNotice.children.through.objects.filter(
            child__in=children_visible_to(user)
        ).values("immediatenotice_id")
        return in_service.filter(pk__in=notice_ids)
    return ImmediateNotice.objects.none()


def arrangements_visible_to(user: User) -> QuerySet[CareArrangement]:
    if not _case_user(user):
        return CareArrangement.objects.none()
    in_service = CareArrangement.objects.filter(service_id=user.service_id)
    if user.role == Role.CARER:
        return in_service.filter(
            household__in=households_visible_to(user), child__in=children_visible_to(user)
        )
    if user.role in CHILDREN_RECORDS_HOUSEHOLD_SIDE:
        return in_service.filter(household__in=households_visible_to(user))
    if user.role in CHILD_SIDE:
        return in_service.filter(child__in=children_visible_to(user))
    return CareArrangement.objects.none()


def risk_children_visible_to(user: User) -> QuerySet[Child]:
    """Children whose risk record the user may read: staff who see the child, not carers."""
    if not _reads_risk(user):
        return Child.objects.none()
    return children_visible_to(user)


def _reads_risk(user: User) -> bool:
    """Staff who see a child read its risk record; carers do not."""
    return _case_user(user) and user.role != Role.CARER


def risk_assessments_visible_to(user: User) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(child__in=risk_children_visible_to(user))


def risk_flags_visible_to(user: User) -> QuerySet[ChildRiskFlag]:
    return ChildRiskFlag.objects.filter(child__in=risk_children_visible_to(user))


# One record ------------------------------------------------------------------------------------


def change_notice_for(user: User, pk: int) -> ChangeNotice:
    return get_object_or_404(
        change_notices_visible_to(user).select_related("household", "reported_by", "reviewed_by", "task"),
        pk=pk,
    )


def immediate_notice_for(user: User, pk: int) -> ImmediateNotice:
    return get_object_or_404(
        immediate_notices_visible_to(user).select_related(
            "household", "reported_by", "acknowledged_by", "task"
        ),
        pk=pk,
    )


def arrangement_for(user: User, pk: int) -> CareArrangement:
    return get_object_or_404(
        arrangements_visible_to(user).select_related(
            "household", "child", "requested_by", "decided_by", "task"
        ),
        pk=pk,
    )


def arrangement_children(user: User, household: Household) -> QuerySet[Child]:
    """SC-12: the children a user may record an arrangement of in this household.

    A carer: the children placed with them now. Staff: every child placed in the
    household, now or before (an arrangement may come to light after the fact), that
    they may see through the household or, for the child's side, through the child.
    """
    from safecare.households.models import Placement

    placed_here = Placement.objects.filter(household=household)
    if user.role == Role.CARER:
        placed_here = placed_here.current(timezone.localdate())
    children = Child.objects.filter(pk__in=placed_here.values("child_id"))
    if user.role == Role.CARER or user.role in CHILD_SIDE:
        children = children.filter(pk__in=children_visible_to(user).values("pk"))
    return children.order_by("first_name", "last_name", "id")


def risk_child_for(user: User, pk: int) -> Child:
    return get_object_or_404(risk_children_visible_to(user).select_related("service"), pk=pk)


# Lists -----------------------------------------------------------------------------------------


def breaches(user: User, *, now: dt.datetime | None = None) -> QuerySet[CareArrangement]:
    """SC-12: arrangements over 24 hours that began without consent, newest first."""
    now = now or timezone.now()
    return (
        arrangements_visible_to(user)
        .filter(breach_q(now))
        .select_related("household", "child")
        .order_by("-starts_at", "-id")
    )


@dataclass
class HouseholdNotices:
    changes: list[ChangeNotice] = field(default_factory=list)
    immediate: list[ImmediateNotice] = field(default_factory=list)
    arrangements: list[CareArrangement] = field(default_factory=list)


def household_notices(user: User, household: Household, *, limit: int | None = None) -> HouseholdNotices:
    changes = change_notices_visible_to(user).filter(household=household).select_related("reported_by")
    immediate = immediate_notices_visible_to(user).filter(household=household).select_related("reported_by")
    arrangements = arrangements_visible_to(user).filter(household=household).select_related("child")
    if limit:
        changes, immediate, arrangements = changes[:limit], immediate[:limit], arrangements[:limit]
    now = timezone.now()
    listed = list(arrangements)
    for arrangement in listed:
        arrangement.breach = arrangement.is_breach(now)  # type: ignore[attr-defined]
    return HouseholdNotices(list(changes), list(immediate), listed)


@dataclass
class HouseholdPanel:
    household: Household
    is_carer: bool
    unreviewed_changes: int = 0
    unacknowledged_immediate: int = 0
    pending_arrangements: int = 0
    breaches: list[CareArrangement] = field(default_factory=list)
    risk_tasks: list[Task] = field(default_factory=list)
    may_review: bool = False
    # SC-12: staff who see the household record an arrangement they learn of.
    may_record_arrangement: bool = False


def household_panel(user: User, household: Household) -> HouseholdPanel:
    """What the household page shows of this app, in a fixed number of queries."""
    from django.db.models import Count, Q

    from .models import ArrangementStatus

    panel = HouseholdPanel(household=household, is_carer=user.role == Role.CARER)
    panel.may_review = user.has_perm("notices.review_notice")
    panel.may_record_arrangement = user.has_perm("notices.record_care_arrangement")
    panel.unreviewed_changes = (
        change_notices_visible_to(user).filter(household=household, reviewed_at__isnull=True).count()
    )
    panel.unacknowledged_immediate = (
        immediate_notices_visible_to(user).filter(household=household, acknowledged_at__isnull=True).count()
    )
    arrangements = arrangements_visible_to(user).filter(household=household)
    panel.pending_arrangements = arrangements.aggregate(
        n=Count("pk", filter=Q(status=ArrangementStatus.REQUESTED))
    )["n"]
    if not panel.is_carer:
        panel.breaches = list(arrangements.filter(breach_q(timezone.now())).select_related("child")[:20])
        # SC-9: the open risk-assessment duty of each child placed here whom the reader may see,
        # shown to the SSW as well as to the CSW who owns it.
        panel.risk_tasks = list(
            Task.objects.filter(
                kind=RISK_ASSESSMENT,
                status=TaskStatus.OPEN,
                household=household,
                child__in=risk_children_visible_to(user),
            )
            .select_related("child", "owner")
            .order_by("due_on", "id")
        )
    return panel


@dataclass
class ChildPanel:
    child: Child
    flag: ChildRiskFlag | None
    assessments: list[RiskAssessment]
    task: Task | None
    may_flag: bool
    may_assess: bool


def child_panel(user: User, child: Child) -> ChildPanel | None:
    """SC-9 on the child's page; None for readers who may not see a child's risk record.

    Staff other than carers read the risk record of every child they see: a child the page read
    through the reader's own children scope needs no second look (households.selectors.seen_by).
    """
    if not _reads_risk(user):
        return None
    if not seen_by(child, user) and not risk_children_visible_to(user).filter(pk=child.pk).exists():
        return None
    return ChildPanel(
        child=child,
        flag=ChildRiskFlag.objects.filter(child=child).select_related("set_by").first(),
        assessments=list(
            RiskAssessment.objects.filter(child=child).select_related("completed_by", "placement")[:5]
        ),
        task=Task.objects.filter(kind=RISK_ASSESSMENT, status=TaskStatus.OPEN, child=child)
        .select_related("owner")
        .first(),
        may_flag=user.has_perm("notices.flag_child_risk"),
        may_assess=user.has_perm("notices.record_risk_assessment"),
    )
