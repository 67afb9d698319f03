"""Approval rules: the one place that decides whether a household may be approved.

Each rule is a function of the household returning the problems it finds.
Later policies join by adding a function to APPROVAL_RULES (SC-1 agreement,
DV-4 inside cameras); the status workflow and every view read this list only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Household


@dataclass(frozen=True)
class ApprovalProblem:
    rule_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.message}"


ApprovalRule = Callable[["Household"], list[ApprovalProblem]]


def needs_a_carer(household: Household) -> list[ApprovalProblem]:
    from .models import MemberKind

    if not household.members.filter(kind=MemberKind.CARER, moved_out_on__isnull=True).exists():
        return [ApprovalProblem("HH-1", "the household has no foster carer recorded as a member")]
    return []


def skills_to_foster_completed(household: Household) -> list[ApprovalProblem]:
    """SC-2: applicants complete Skills to Foster training before they are approved."""
    from .models import MemberKind, TrainingCourse

    carers = household.members.filter(kind=MemberKind.CARER, moved_out_on__isnull=True).exclude(
        training__course=TrainingCourse.SKILLS_TO_FOSTER
    )
    return [
        ApprovalProblem("SC-2", f"{carer.full_name} has not completed Skills to Foster training")
        for carer in carers.order_by("id")
    ]


def safe_caring_agreement_current(household: Household) -> list[ApprovalProblem]:
    """SC-1: the Safe Caring Family Agreement is written and signed by the end of the assessment."""
    from safecare.agreements.selectors import household_has_current_agreement

    if not household_has_current_agreement(household):
        return [
            ApprovalProblem(
                "SC-1",
                "the household has no current Safe Caring Family Agreement "
                "signed by the carers and the assessing social worker",
            )
        ]
    return []


def no_cameras_inside_without_exception(household: Household) -> list[ApprovalProblem]:
    """DV-4: CCTV or a security camera inside needs an approved exception; DV-3: some devices never can."""
    from safecare.devices.selectors import register
    from safecare.devices.verdict import Level

    problems = []
    for row in register(household):
        if row.device.status != "in_use" or row.verdict.level < Level.NEEDS_EXCEPTION:
            continue
        reason = row.verdict.reasons[0]
        problems.append(
            ApprovalProblem(
                reason.rule_id,
                f"{row.device.get_device_type_display()} in {row.device.room}: {reason.message}",
            )
        )
    return problems


APPROVAL_RULES: list[ApprovalRule] = [
    needs_a_carer,
    skills_to_foster_completed,
    safe_caring_agreement_current,
    no_cameras_inside_without_exception,
]


def approval_problems(household: Household) -> list[ApprovalProblem]:
    problems: list[ApprovalProblem] = []
    for rule in APPROVAL_RULES:
        problems.extend(rule(household))
    return problems
