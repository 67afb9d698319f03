"""SC-1, SC-4, SC-5: versions, signatures, duties and the approval rule, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safecare.agreements.models import Agreement, AgreementVersion, VersionStatus
from safecare.agreements.selectors import agreement_versions, household_has_current_agreement
from safecare.agreements.services import (
    CHILD_AGREEMENT,
    CHILD_AGREEMENT_REVIEW,
    SCFA_ASSESSMENT,
    SCFA_PLACEMENT,
    SCFA_REVIEW,
    outstanding_signers,
    version_content,
    version_create,
    version_sign,
)
from safecare.core.concurrency import StaleEdit
from safecare.core.models import ClosureDay, Task, TaskStatus
from safecare.core.signatures import signature_is_intact, signatures_of
from safecare.households import services as household_services
from safecare.households.models import HouseholdStatus, MemberKind
from tests.agreements.world import sections
from tests.factories import ChildFactory, HouseholdFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _new_version(world, actor=None, text="Changed", based_on=None, **subject):  # type: ignore[no-untyped-def]
    subject = subject or {"household": world.household_own}
    agreement = (
        Agreement.objects.filter(household=subject.get("household")).first()
        if "household" in subject
        else None
    )
    if based_on is None:
        based_on = agreement.versions.count() if agreement else 0
    household = subject.get("household") or subject["placement"].household
    return version_create(
        actor=actor or world.sam,
        sections=sections(text),
        participants=household.members.all(),
        based_on=based_on,
        **subject,
    )


def test_sc1_a_version_records_its_text_and_who_took_part(world) -> None:
    version = world.agreement_version_own
    assert version.number == 1
    assert set(version.participants.all()) == set(world.household_own.members.all())
    assert version.sections["privacy"] == "Agreed: privacy"
    assert world.agreement_own.current_version == version


def test_sc1_a_version_comes_into_force_only_when_every_required_signer_has_signed(world) -> None:
    version = _new_version(world)
    assert {s.user for s in outstanding_signers(version)} == {world.carol, world.sam}
    version_sign(actor=world.carol, version=version, confirmed=True)
    world.agreement_own.refresh_from_db()
    assert world.agreement_own.current_version == world.agreement_version_own
    views = {v.version.number: v.status for v in agreement_versions(world.agreement_own)}
    assert views == {2: VersionStatus.AWAITING, 1: VersionStatus.CURRENT}

    version_sign(actor=world.sam, version=version, confirmed=True)
    world.agreement_own.refresh_from_db()
    assert world.agreement_own.current_version == version
    views = {v.version.number: v.status for v in agreement_versions(world.agreement_own)}
    assert views == {2: VersionStatus.CURRENT, 1: VersionStatus.SUPERSEDED}


def test_editing_a_signed_version_makes_a_new_version_and_the_signatures_stay_with_the_old_one(world) -> None:
    signed = world.agreement_version_own
    assert len(signatures_of(signed)) == 2
    version = _new_version(world)
    assert version.pk != signed.pk and version.number == 2
    assert signatures_of(version) == []
    assert len(signatures_of(signed)) == 2
    signed.refresh_from_db()
    assert signed.sections["privacy"] == "Agreed: privacy"


def test_a_version_cannot_be_changed_after_it_is_saved(world) -> None:
    version = world.agreement_version_own
    version.sections = {"privacy": "Rewritten"}
    with pytest.raises(ValidationError):
        version.save()


def test_a_signature_binds_the_signer_the_time_and_the_exact_version(world) -> None:
    version = world.agreement_version_own
    signature = next(s for s in signatures_of(version) if s.signer == world.carol)
    assert signature.signed_as == "carer" and signature.signed_at is not None
    assert signature_is_intact(signature, version_content(version))
    altered = version_content(version)
    altered["participants"] = []
    assert not signature_is_intact(signature, altered)


def test_a_carer_signs_only_their_own_households_agreement(world) -> None:
    with pytest.raises(ValidationError, match="not one of the people who sign"):
        version_sign(actor=world.oscar, version=world.agreement_version_own, confirmed=True)


def test_signing_needs_the_confirmation_box(world) -> None:
    version = _new_version(world)
    with pytest.raises(ValidationError, match="tick the box"):
        version_sign(actor=world.carol, version=version, confirmed=False)


def test_only_the_latest_version_can_be_signed(world) -> None:
    old = world.agreement_version_other
    _new_version(world, actor=world.frank, household=world.household_other)
    with pytest.raises(ValidationError, match="version 2 has been written since"):
        version_sign(actor=world.oscar, version=old, confirmed=True)


def test_no_lost_edits_the_second_save_from_the_same_version_is_refused_naming_the_sections(world) -> None:
    base = {key: value for key, value in sections().items()}
    first = dict(base, privacy="Knock first", bedrooms="Own rooms")
    version_create(
        actor=world.sam,
        household=world.household_own,
        sections=first,
        participants=world.household_own.members.all(),
        based_on=1,
    )
    with pytest.raises(StaleEdit) as refused:
        version_create(
            actor=world.fiona,
            household=world.household_own,
            sections=dict(base, transport="Back seat"),
            participants=world.household_own.members.all(),
            based_on=1,
        )
    message = refused.value.messages[0]
    assert "version 2" in message and "Privacy, Bedrooms" in message and "Transport" not in message
    assert AgreementVersion.objects.filter(agreement=world.agreement_own).count() == 2
    assert world.agreement_own.versions.get(number=2).sections["privacy"] == "Knock first"


def test_every_section_is_written_and_someone_took_part(world) -> None:
    with pytest.raises(ValidationError) as refused:
        version_create(
            actor=world.sam,
            household=world.household_own,
            sections=dict(sections(), bedrooms=" "),
            participants=[],
            based_on=1,
        )
    assert set(refused.value.message_dict) == {"bedrooms"}
    with pytest.raises(ValidationError, match="SC-1"):
        version_create(
            actor=world.sam,
            household=world.household_own,
            sections=sections("New"),
            participants=[],
            based_on=1,
        )


def test_sc1_assessment_opens_the_task_and_approval_is_refused_without_a_current_agreement(world) -> None:
    household = HouseholdFactory(
        service=world.service, team=world.fostering_team, status=HouseholdStatus.APPLICANT, approved_on=None
    )
    carer = MemberFactory(household=household, kind=MemberKind.CARER)
    household_services.allocation_set(
        actor=world.frank, kind="assessing", worker=world.asha, household=household
    )
    household_services.household_change_status(
        actor=world.asha, household=household, to_status="in_assessment"
    )
    task = Task.objects.get(household=household, kind=SCFA_ASSESSMENT)
    assert (task.rule_id, task.owner, task.status) == ("SC-1", world.asha, TaskStatus.OPEN)
    household_services.training_record(
        actor=world.asha,
        household=household,
        member=carer,
        course="skills_to_foster",
        completed_on=dt.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        household_services.household_change_status(
            actor=world.frank, household=household, to_status="approved"
        )
    assert any(m.startswith("SC-1:") for m in refused.value.message_dict["to_status"])

    # During the assessment the assessing social worker signs instead of the SSW.
    version = _new_version(world, actor=world.asha, household=household, based_on=0)
    version_sign(actor=world.asha, version=version, confirmed=True)
    assert household_has_current_agreement(household)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    household_services.household_change_status(actor=world.frank, household=household, to_status="approved")


def _start_assessment(world):  # type: ignore[no-untyped-def]
    household = HouseholdFactory(
        service=world.service, team=world.fostering_team, status=HouseholdStatus.APPLICANT, approved_on=None
    )
    MemberFactory(household=household, kind=MemberKind.CARER)
    household_services.allocation_set(
        actor=world.frank, kind="assessing", worker=world.asha, household=household
    )
    household_services.household_change_status(
        actor=world.asha, household=household, to_status="in_assessment"
    )
    return Task.objects.get(household=household, kind=SCFA_ASSESSMENT)


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_makes_the_sc1_agreement_due_the_services_months_after_the_assessment_starts(today, world) -> None:
    task = _start_assessment(world)
    assert task.due_on == dt.date(2027, 6, 1)
    assert task.due_basis == (
        "6 months after the assessment started on Tuesday 1 December 2026 (SC-1: the policy sets no "
        "deadline; this is the service's setting 'Safe Caring Family Agreement written by the end of the "
        "assessment: months after it starts')"
    )


@pytest.mark.parametrize("today", ["Tuesday 31 August 2027"], indirect=True)
def test_it_follows_the_services_setting_for_the_sc1_agreement(today, world) -> None:
    service = world.service
    service.assessment_agreement_months = 6
    service.save()
    # Six months after 31 August is the last day of February, in a leap year the 29th.
    assert _start_assessment(world).due_on == dt.date(2028, 2, 29)
    service.assessment_agreement_months = 4
    service.save()
    Task.objects.filter(kind=SCFA_ASSESSMENT).delete()
    task = _start_assessment(world)
    assert task.due_on == dt.date(2027, 12, 31)
    assert task.due_basis.startswith("4 months after the assessment started on Tuesday 31 August 2027")


def test_sc4_a_current_version_opens_the_review_at_the_services_interval(world) -> None:
    world.service.scfa_review_months = 6
    world.service.save()
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        version = _new_version(world)
        version_sign(actor=world.carol, version=version, confirmed=True)
        version_sign(actor=world.sam, version=version, confirmed=True)
    reviews = Task.objects.filter(household=world.household_own, kind=SCFA_REVIEW)
    assert list(reviews.filter(status=TaskStatus.OPEN).values_list("due_on", "rule_id", "owner")) == [
        (dt.date(2027, 9, 10), "SC-4", world.sam.pk)
    ]
    assert reviews.get().due_basis == (
        "6 months after this version came into force on Wednesday 10 March 2027 (SC-4: the policy sets no "
        "deadline; this is the service's setting 'Safe Caring Family Agreement review interval (months)')"
    )
    assert reviews.count() == 1  # one review open at a time


def _place(world, *, start_on, emergency):  # type: ignore[no-untyped-def]
    child = ChildFactory(service=world.service, date_of_birth=dt.date(2015, 1, 1))
    household_services.allocation_set(actor=world.harry, kind="childs", worker=world.chris, child=child)
    return household_services.placement_create(
        actor=world.harry,
        child=child,
        household=world.household_other,
        start_on=start_on,
        emergency=emergency,
    )


def test_sc4_an_emergency_placement_on_wed_22_dec_2027_makes_the_update_due_on_fri_31_dec_2027(world) -> None:
    # Christmas and Boxing Day 2027 fall at the weekend: Mon 27 and Tue 28 are the bank holidays.
    with time_machine.travel(dt.datetime(2027, 12, 22, 10, 0, tzinfo=dt.UTC), tick=False):
        placement = _place(world, start_on=dt.date(2027, 12, 22), emergency=True)
    update = Task.objects.get(kind=SCFA_PLACEMENT, child=placement.child)
    assert (update.rule_id, update.due_on) == ("SC-4", dt.date(2027, 12, 31))
    assert update.due_basis == (
        "5 working days after the emergency placement started on Wednesday 22 December 2027 "
        "(SC-4: the policy's own deadline)"
    )
    assert update.title == "Update the Safe Caring Family Agreement for the new placement"
    # SC-5: the child-specific agreement on the same timing, for the child's social worker.
    child_task = Task.objects.get(kind=CHILD_AGREEMENT, child=placement.child)
    assert (child_task.rule_id, child_task.due_on, child_task.owner) == (
        "SC-5",
        dt.date(2027, 12, 31),
        world.chris,
    )


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_makes_the_sc4_and_sc5_updates_for_a_planned_placement_due_the_last_working_day_before(
    today, world
) -> None:
    # Friday 1 January 2027 is New Year's Day: the last working day before Monday 4 January is Thursday.
    placement = _place(world, start_on=dt.date(2027, 1, 4), emergency=False)
    for kind, rule_id in ((SCFA_PLACEMENT, "SC-4"), (CHILD_AGREEMENT, "SC-5")):
        task = Task.objects.get(kind=kind, child=placement.child)
        assert (task.rule_id, task.due_on) == (rule_id, dt.date(2026, 12, 31))
        assert task.due_basis == (
            "the last working day before the child is placed on Monday 4 January 2027 "
            f"({rule_id}: the policy says before the child is placed; this is the service's setting "
            "'Duties due before the child is placed')"
        )


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_counts_the_services_working_days_before_a_planned_placement(today, world) -> None:
    service = world.service
    service.before_placement_working_days = 3
    service.save()
    placement = _place(world, start_on=dt.date(2027, 1, 4), emergency=False)
    update = Task.objects.get(kind=SCFA_PLACEMENT, child=placement.child)
    # Thursday 31 December, Wednesday 30 and Tuesday 29: Monday 28 is Boxing Day's bank holiday.
    assert update.due_on == dt.date(2026, 12, 29)
    assert update.due_basis.startswith("3 working days before the child is placed on Monday 4 January 2027")


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_skips_the_services_closure_day_for_an_emergency_placement_update(today, world) -> None:
    ClosureDay.objects.create(service=world.service, date=dt.date(2026, 12, 4), reason="Office move")
    placement = _place(world, start_on=dt.date(2026, 12, 2), emergency=True)
    # Thursday 3, (Friday 4 closed), Monday 7, Tuesday 8, Wednesday 9, Thursday 10.
    assert Task.objects.get(kind=SCFA_PLACEMENT, child=placement.child).due_on == dt.date(2026, 12, 10)


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_counts_scottish_bank_holidays_for_an_emergency_placement_in_scotland(today, world) -> None:
    service = world.service
    service.holiday_nation = "SCT"
    service.save()
    placement = _place(world, start_on=dt.date(2026, 12, 30), emergency=True)
    update = Task.objects.get(kind=SCFA_PLACEMENT, child=placement.child)
    # Scotland keeps 1 January and, for Saturday 2 January, Monday 4 January 2027: Thursday 31,
    # Tuesday 5, Wednesday 6, Thursday 7, Friday 8 (in England it would be Thursday 7).
    assert update.due_on == dt.date(2027, 1, 8)
    assert update.due_basis.startswith("5 working days after the emergency placement started on Wednesday 30")


def test_sc4_the_update_is_done_when_a_version_written_after_the_placement_comes_into_force(world) -> None:
    placement = _place(world, start_on=dt.date(2031, 3, 3), emergency=False)
    update = Task.objects.get(kind=SCFA_PLACEMENT, child=placement.child)
    # Signing the version written before the placement does not count as the update.
    version_sign(actor=world.oscar, version=world.agreement_version_other, confirmed=True)
    assert outstanding_signers(world.agreement_version_other)  # no SSW allocated to Jones
    ssw = UserFactory(service=world.service, role="supervising_sw", username="steve")
    household_services.allocation_set(
        actor=world.frank, kind="supervising", worker=ssw, household=world.household_other
    )
    version = _new_version(world, actor=ssw, household=world.household_other)
    version_sign(actor=world.oscar, version=version, confirmed=True)
    update.refresh_from_db()
    assert update.status == TaskStatus.OPEN
    version_sign(actor=ssw, version=version, confirmed=True)
    update.refresh_from_db()
    assert update.status == TaskStatus.DONE


def test_sc5_the_child_specific_agreement_is_signed_by_carers_ssw_and_csw_and_closes_its_task(world) -> None:
    placement = world.placement_own
    Task.objects.create(
        service=world.service,
        rule_id="SC-5",
        kind=CHILD_AGREEMENT,
        title="t",
        due_on=dt.date(2030, 1, 1),
        household=world.household_own,
        child=world.child_own,
    )
    version = world.child_agreement_version_own
    assert {s.capacity for s in outstanding_signers(version)} == {"carer", "SSW", "CSW"}
    for person in (world.carol, world.sam, world.chris):
        version_sign(actor=person, version=version, confirmed=True)
    world.child_agreement_own.refresh_from_db()
    assert world.child_agreement_own.current_version == version
    assert Task.objects.get(kind=CHILD_AGREEMENT, child=world.child_own).status == TaskStatus.DONE
    assert placement.agreements.get() == world.child_agreement_own


def test_sc5_a_child_specific_agreement_in_force_is_reviewed_at_the_services_interval(world) -> None:
    world.service.scfa_review_months = 6
    world.service.save()
    version = world.child_agreement_version_own
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        for person in (world.carol, world.sam, world.chris):
            version_sign(actor=person, version=version, confirmed=True)
    review = Task.objects.get(kind=CHILD_AGREEMENT_REVIEW, child=world.child_own, status=TaskStatus.OPEN)
    assert (review.rule_id, review.due_on, review.owner) == ("SC-5", dt.date(2027, 9, 10), world.chris)
    assert review.due_basis.startswith(
        "6 months after this version came into force on Wednesday 10 March 2027"
    )


def test_sc5_duties_about_a_placement_lapse_when_it_ends(world) -> None:
    placement = _place(world, start_on=dt.date(2031, 3, 3), emergency=False)
    household_services.placement_end(
        actor=world.harry, placement=placement, end_on=dt.date(2031, 3, 10), end_reason="planned_move"
    )
    tasks = Task.objects.filter(child=placement.child, kind__in=[SCFA_PLACEMENT, CHILD_AGREEMENT])
    assert set(tasks.values_list("status", flat=True)) == {TaskStatus.CANCELLED}


def test_who_may_write_sc1_assessing_sw_only_during_assessment(world) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _new_version(world, actor=world.carol)
    with pytest.raises(PermissionDenied):
        _new_version(world, actor=world.chris)
    assert world.asha.has_perm("agreements.change_household_agreement", world.household_applicant)
    assert not world.asha.has_perm("agreements.change_household_agreement", world.household_own)
