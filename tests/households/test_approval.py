"""Whether a household may be approved: the household's own rules (HH-1, SC-2).

HH-1: a fostering household has at least one foster carer living there.
SC-2: every applicant carer completes Skills to Foster before approval. A carer who
has moved out is no longer an applicant of this household: neither rule counts them.
Other members (the carers' children, other adults) are not carers and need no training.

The refusal is what the status change answers (household_transition_problems); the
checks are also asked one by one, so a problem is tied to the rule that finds it.

Other apps add their checks through the same registry; the device check is stated here
too, for where its line falls: a device refuses approval when its verdict is "needs an
approved exception" (DV-4: an applicant's camera inside) or "prohibited" (DV-3), and not
when it only needs something recorded, nor when it is not in use (removed, or planned).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safecare.core.events import ApprovalProblem
from safecare.devices.models import Device, DeviceStatus, DeviceType, Purpose, RoomKind
from safecare.devices.selectors import device_verdict
from safecare.devices.verdict import Level
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


def device(household: Household, device_type: str, room_kind: str, **fields: object) -> Device:
    values: dict[str, object] = {
        "room": "Lounge",
        "positioning": "On the wall",
        "records_video": True,
        "purpose": Purpose.PROPERTY,
        "responsible_person": "Ada Okafor",
        "retention_hours": 0,
        "members_told_on": timezone.localdate(),
        "visitors_told_on": timezone.localdate(),
        **fields,
    }
    return Device.objects.create(
        service=household.service,
        household=household,
        device_type=device_type,
        room_kind=room_kind,
        declared_by=UserFactory(service=household.service, role="assessing_sw"),
        **values,
    )


def device_refusals(household: Household) -> list[str]:
    return [problem for problem in refusals(household) if problem.startswith(("DV-", "CX-"))]


def test_a_device_that_only_needs_something_recorded_does_not_block_approval(applicants) -> None:
    # DV-7: an outside camera on the internet with no password yet is "action needed".
    camera = device(
        applicants, DeviceType.CCTV_CAMERA, RoomKind.OUTSIDE, room="Driveway", internet_connected=True
    )
    assert device_verdict(camera).level == Level.ACTION_NEEDED
    assert device_refusals(applicants) == []


def test_an_applicants_camera_inside_blocks_approval(applicants) -> None:
    camera = device(applicants, DeviceType.INTERNAL_SECURITY_CAMERA, RoomKind.COMMUNAL)
    assert device_verdict(camera).level == Level.NEEDS_EXCEPTION
    refused = device_refusals(applicants)
    assert len(refused) == 1
    assert refused[0].startswith("DV-4: Internal security camera in Lounge: ")


def test_a_prohibited_device_blocks_approval(applicants) -> None:
    device(applicants, DeviceType.CCTV_CAMERA, RoomKind.BATHROOM, room="Bathroom")
    assert device_refusals(applicants) == [
        "DV-3: CCTV camera in Bathroom: no camera or microphone may be in a bathroom or toilet"
    ]


@pytest.mark.parametrize("status", [DeviceStatus.REMOVED, DeviceStatus.PLANNED])
def test_a_camera_inside_that_is_not_in_use_does_not_block_approval(applicants, status: str) -> None:
    # Nothing is inside today: a removed camera, or one only planned (with no CCTV request).
    device(applicants, DeviceType.INTERNAL_SECURITY_CAMERA, RoomKind.COMMUNAL, status=status)
    assert device_refusals(applicants) == []
