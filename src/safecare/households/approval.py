"""Approval rules: whether a household may be approved (HH-1, SC-2, and every app's own checks).

Each rule is a function of the household returning the problems it finds.
The household's own rules are here (HH-1 a carer, SC-2 Skills to Foster);
other apps contribute theirs through safecare.core.events.approval_check
(SC-1 from agreements, DV-4 from devices), so households imports none of them.
The status workflow and every view ask :func:`approval_problems` only.
"""

from __future__ import annotations

from safecare.core.events import ApprovalProblem, approval_check, approval_checks

from .models import Household, MemberKind, TrainingCourse

__all__ = ["ApprovalProblem", "approval_problems"]


def needs_a_carer(household: Household) -> list[ApprovalProblem]:
    """HH-1: a fostering household has at least one foster carer living there."""
    if not household.members.filter(kind=MemberKind.CARER, moved_out_on__isnull=True).exists():
        return [ApprovalProblem("HH-1", "the household has no foster carer recorded as a member")]
    return []


def skills_to_foster_completed(household: Household) -> list[ApprovalProblem]:
    """SC-2: applicants complete Skills to Foster training before they are approved."""
    carers = household.members.filter(kind=MemberKind.CARER, moved_out_on__isnull=True).exclude(
        training__course=TrainingCourse.SKILLS_TO_FOSTER
    )
    return [
        ApprovalProblem("SC-2", f"{carer.full_name} has not completed Skills to Foster training")
        for carer in carers.order_by("id")
    ]


# Registered by calling approval_check rather than decorating: the mutation tests
# (docs/mutation.md) mutate only undecorated functions. Same checks, same order.
approval_check(needs_a_carer)
approval_check(skills_to_foster_completed)


def approval_problems(household: Household) -> list[ApprovalProblem]:
    """Every problem every registered check finds, in the order the apps are installed."""
    problems: list[ApprovalProblem] = []
    for check in approval_checks():
        problems.extend(check(household))
    return problems
