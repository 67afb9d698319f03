"""Whether a household may be approved: the household's own rules (HH-1, SC-2).

HH-1: a fostering household has at least one foster carer living there.
SC-2: every applicant carer completes Skills to Foster before approval. A carer who
has moved out is no longer an applicant of this household: neither rule counts them.
Other members (the carers' children, other adults) are not carers and need no training.

The refusal is what the status change answers (household_transition_problems); the
checks are also asked one by one, so a problem is tied to the rule that finds it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safecare.core.events import ApprovalProblem
from safecare.households.approval import approval_problems, needs_a_carer, skills_to_foster_completed
from safecare.households.models import Household, HouseholdMember, HouseholdStatus, TrainingRecord
from safecare.households.services import household_transition_problems
from tests.factories import HouseholdFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

NO_CARER = "HH-1: the household has no foster carer recorded as a member"


@pytest.fixture
def applicants() -> Household:
    return HouseholdFactory(name="Okafor household", status=HouseholdStatus.IN_ASSESSMENT, approved_on=None)


def carer(household: Household, first_name: str, **fields: object) -> HouseholdMember:
    return MemberFactory(
        household=household, kind="carer", first_name=first_name, last_name="Okafor", **fields
    )


def trained(member: HouseholdMember, course: str = "skills_to_foster") -> HouseholdMember:
    TrainingRecord.objects.create(
        household=member.household,
        member=member,
        course=course,
        completed_on=timezone.localdate() - dt.timedelta(days=30),
        recorded_by=UserFactory(service=member.household.service, role="assessing_sw"),
    )
    return member


def refusals(household: Household) -> list[str]:
    return household_transition_problems(household, HouseholdStatus.APPROVED)


def moved_out(member: HouseholdMember) -> HouseholdMember:
    member.moved_out_on = timezone.localdate() - dt.timedelta(days=10)
    member.save()
    return member


# --- HH-1 ----------------------------------------------------------------------------------


def test_it_refuses_approval_without_a_carer_living_there(applicants) -> None:
    MemberFactory(household=applicants, kind="carers_child", first_name="Tobi")
    MemberFactory(household=applicants, kind="other_adult", first_name="Grace")
    assert NO_CARER in refusals(applicants)
    assert needs_a_carer(applicants) == [
        ApprovalProblem("HH-1", "the household has no foster carer recorded as a member")
    ]


def test_it_refuses_approval_when_the_only_carer_has_moved_out(applicants) -> None:
    moved_out(trained(carer(applicants, "Ada")))
    MemberFactory(household=applicants, kind="carers_child", first_name="Tobi")
    assert NO_CARER in refusals(applicants)


def test_it_refuses_approval_of_a_household_with_nobody_recorded(applicants) -> None:
    assert NO_CARER in refusals(applicants)


def test_a_carer_living_there_meets_hh_1(applicants) -> None:
    trained(carer(applicants, "Ada"))
    assert needs_a_carer(applicants) == []
    assert NO_CARER not in refusals(applicants)


# --- SC-2 ----------------------------------------------------------------------------------


def test_it_refuses_approval_until_every_carer_living_there_has_skills_to_foster(applicants) -> None:
    trained(carer(applicants, "Ada"))
    carer(applicants, "Bayo")
    assert "SC-2: Bayo Okafor has not completed Skills to Foster training" in refusals(applicants)
    assert skills_to_foster_completed(applicants) == [
        ApprovalProblem("SC-2", "Bayo Okafor has not completed Skills to Foster training")
    ]


def test_a_carer_who_moved_out_without_skills_to_foster_does_not_block_approval(applicants) -> None:
    trained(carer(applicants, "Ada"))
    moved_out(carer(applicants, "Bayo"))
    assert skills_to_foster_completed(applicants) == []
    assert not [problem for problem in refusals(applicants) if problem.startswith("SC-2")]


def test_other_training_is_not_skills_to_foster(applicants) -> None:
    trained(carer(applicants, "Ada"), course="first_aid")
    assert skills_to_foster_completed(applicants) == [
        ApprovalProblem("SC-2", "Ada Okafor has not completed Skills to Foster training")
    ]


def test_members_who_are_not_carers_need_no_skills_to_foster(applicants) -> None:
    trained(carer(applicants, "Ada"))
    MemberFactory(household=applicants, kind="carers_child", first_name="Tobi")
    MemberFactory(household=applicants, kind="other_adult", first_name="Grace")
    assert skills_to_foster_completed(applicants) == []


def test_every_untrained_carer_is_named_in_the_order_they_were_recorded(applicants) -> None:
    carer(applicants, "Zainab", date_of_birth=dt.date(1990, 1, 1))
    carer(applicants, "Bayo", date_of_birth=dt.date(1970, 1, 1))
    assert [problem.message for problem in skills_to_foster_completed(applicants)] == [
        "Zainab Okafor has not completed Skills to Foster training",
        "Bayo Okafor has not completed Skills to Foster training",
    ]


# --- Every app's checks together -----------------------------------------------------------


def test_approval_problems_gather_the_households_own_rules_and_every_apps_checks(applicants) -> None:
    carer(applicants, "Ada")
    rule_ids = [problem.rule_id for problem in approval_problems(applicants)]
    assert "SC-2" in rule_ids
    assert "SC-1" in rule_ids  # from agreements: no Safe Caring Family Agreement yet
    assert "HH-1" not in rule_ids
