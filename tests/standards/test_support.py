"""SOC-6: a meeting decided on gives the SSW 2 working days to refer the carer for independent support.

Decided on Wednesday 24 March 2027: day 0. Thursday 25 March is day 1; Good Friday (26 March)
and Easter Monday (29 March) are bank holidays in England; Tuesday 30 March is day 2.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecare.core.models import Task, TaskStatus
from safecare.standards import services
from safecare.standards.duties import SUPPORT_REFERRAL
from safecare.standards.models import SupportReferral

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date
WEDNESDAY = "Wednesday 24 March 2027"


def _decided(world, convene: bool = True):  # type: ignore[no-untyped-def]
    for day in (D(2026, 11, 2), D(2027, 1, 4), D(2027, 3, 1)):
        soc_concern(world, day)
    proposal = services.meeting_proposals(household=world.household_own, today=D(2027, 3, 24))
    assert proposal is not None
    return services.proposal_decide(
        actor=world.frank, proposal=proposal, convene=convene, reasons="Three in a year"
    )


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc6_a_decision_to_meet_gives_the_ssw_the_referral_due_in_2_working_days(today, world) -> None:
    _decided(world)
    task = Task.objects.get(kind=SUPPORT_REFERRAL, status=TaskStatus.OPEN)
    assert task.due_on == D(2027, 3, 30)
    assert (task.owner, task.rule_id, task.household) == (world.sam, "SOC-6", world.household_own)
    assert task.title == "Refer the carer to the Fostering Network for an independent support worker"


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc6_no_meeting_no_referral(today, world) -> None:
    _decided(world, convene=False)
    assert not Task.objects.filter(kind=SUPPORT_REFERRAL).exists()


@pytest.mark.parametrize("today", [WEDNESDAY], indirect=True)
def test_soc6_the_referral_closes_only_with_its_record_by_the_households_ssw(today, world) -> None:
    proposal = _decided(world)
    with pytest.raises(PermissionDenied):
        services.support_referral_record(actor=world.frank, proposal=proposal, how="E-mail")
    with pytest.raises(ValidationError) as refused:
        services.support_referral_record(actor=world.sam, proposal=proposal, how="  ")
    assert refused.value.message_dict["how"] == [
        "How the referral was made: say how the carer was referred (SOC-6)"
    ]
    referral = services.support_referral_record(
        actor=world.sam, proposal=proposal, how="E-mail to the Network"
    )
    assert (referral.referred_on, referral.recorded_by) == (D(2027, 3, 24), world.sam)
    assert Task.objects.get(kind=SUPPORT_REFERRAL).status == TaskStatus.DONE
    with pytest.raises(ValidationError) as again:
        services.support_referral_record(actor=world.sam, proposal=proposal, how="Again")
    assert again.value.message_dict["proposal"] == ["Meeting: SOC-6 the referral is already recorded"]
    assert SupportReferral.objects.count() == 1


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_soc6_the_worked_example_decided_thursday_25_march_2027_is_due_wednesday_31_march(
    today, world
) -> None:
    # Friday 26 March (Good Friday) and Monday 29 March (Easter Monday) are not working days.
    _decided(world)
    assert Task.objects.get(kind=SUPPORT_REFERRAL).due_on == D(2027, 3, 31)
