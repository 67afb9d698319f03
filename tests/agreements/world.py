"""Agreements for the access-table walker and the agreements tests (tests/conftest.py make_world).

agreement_own        household_own's SCFA, version 1 signed by carol and sam: current
agreement_other      household_other's SCFA, version 1, not signed
agreement_south      household_south's SCFA (South Fostering)
child_agreement_*    the child-specific agreement of placement_own / placement_other / South's placement
*_version_*          version 1 of each
household_applicant  gets a current SCFA signed by asha (its carer has no account), so the
                     households tests that approve it meet SC-1.
The SC-4 review tasks those signatures open are removed again, so the world's task
lists stay what the foundation's tests expect.
"""

from __future__ import annotations

from typing import Any

from safecare.agreements.models import SECTION_KEYS, Agreement, AgreementVersion
from safecare.agreements.services import SCFA_REVIEW, version_create, version_sign
from safecare.core.models import Task
from safecare.households.models import Placement


def sections(text: str = "Agreed") -> dict[str, str]:
    return {key: f"{text}: {key.replace('_', ' ')}" for key in SECTION_KEYS}


def extend(world: Any) -> None:
    own = version_create(
        actor=world.sam,
        household=world.household_own,
        sections=sections(),
        participants=world.household_own.members.all(),
        based_on=0,
    )
    version_sign(actor=world.carol, version=own, confirmed=True)
    version_sign(actor=world.sam, version=own, confirmed=True)
    other = version_create(
        actor=world.frank,
        household=world.household_other,
        sections=sections(),
        participants=world.household_other.members.all(),
        based_on=0,
    )
    stella = world.allocation_south.worker
    south = version_create(
        actor=stella,
        household=world.household_south,
        sections=sections(),
        participants=world.household_south.members.all() or [_south_member(world)],
        based_on=0,
    )
    applicant = version_create(
        actor=world.asha,
        household=world.household_applicant,
        sections=sections(),
        participants=world.household_applicant.members.all(),
        based_on=0,
    )
    version_sign(actor=world.asha, version=applicant, confirmed=True)

    child_own = version_create(
        actor=world.chris,
        placement=world.placement_own,
        sections=sections(),
        participants=world.household_own.members.all(),
        based_on=0,
    )
    child_other = version_create(
        actor=world.frank,
        placement=world.placement_other,
        sections=sections(),
        participants=world.household_other.members.all(),
        based_on=0,
    )
    child_south = version_create(
        actor=world.olga,
        placement=Placement.objects.get(child=world.child_south),
        sections=sections(),
        participants=world.household_south.members.all(),
        based_on=0,
    )
    # Coming into force opened SC-4 review tasks; the shared world keeps only the tasks the
    # foundation's tests count on, and the agreements tests open their own.
    Task.objects.filter(kind=SCFA_REVIEW).delete()
    for suffix, version in (("own", own), ("other", other), ("south", south)):
        setattr(world, f"agreement_{suffix}", Agreement.objects.get(pk=version.agreement_id))
        setattr(world, f"agreement_version_{suffix}", AgreementVersion.objects.get(pk=version.pk))
    for suffix, version in (("own", child_own), ("other", child_other), ("south", child_south)):
        setattr(world, f"child_agreement_{suffix}", Agreement.objects.get(pk=version.agreement_id))
        setattr(world, f"child_agreement_version_{suffix}", AgreementVersion.objects.get(pk=version.pk))


def _south_member(world: Any) -> Any:
    from tests.factories import MemberFactory

    return MemberFactory(household=world.household_south, first_name="Sol", last_name="South")
