"""The rules of the notices app, through its services (SC-6, SC-8, SC-9, SC-11, SC-12)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import ClosureDay, Notification, Task, TaskStatus
from safecare.households import services as household_services
from safecare.notices import services
from safecare.notices.models import (
    ArrangementStatus,
    CareArrangement,
    ChangeKind,
    ChildRiskFlag,
    ImmediateKind,
    RiskLevel,
)
from safecare.notices.selectors import RISK_ASSESSMENT, breaches
from tests.factories import AllocationFactory, ChildFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _risk_tasks(child):
    return Task.objects.filter(kind=RISK_ASSESSMENT, child=child)


def _flag(world, child, level=RiskLevel.KNOWN):
    return services.risk_flag_set(actor=world.chris, child=child, level=level, reason="Runs away at night")


# SC-9: risk assessment -------------------------------------------------------------------------


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_makes_the_sc9_assessment_for_a_planned_placement_due_on_the_last_working_day_before_it(
    today, world, new_child
) -> None:
    _flag(world, new_child)
    # Friday 1 January 2027 is a bank holiday: the last working day before Monday 4 January is Thursday.
    placement = household_services.placement_create(
        actor=world.chris, child=new_child, household=world.household_own, start_on=dt.date(2027, 1, 4)
    )
    task = _risk_tasks(new_child).get()
    assert task.rule_id == "SC-9"
    assert task.due_on == dt.date(2026, 12, 31)
    assert task.due_basis == (
        "the last working day before the child is placed on Monday 4 January 2027 (SC-9: the policy says "
        "before the child is placed; this is the service's setting 'Duties due before the child is placed')"
    )
    assert task.owner == world.chris  # the CSW owns it
    assert task.household == placement.household


def test_sc9_an_emergency_placement_gets_the_services_working_days(world, new_child) -> None:
    _flag(world, new_child, RiskLevel.LIKELY)
    # rules: How dates are counted worked example: emergency placement from Wed 22 Dec 2027, 5 working days -> Fri 31 Dec.
    household_services.placement_create(
        actor=world.chris,
        child=new_child,
        household=world.household_own,
        start_on=dt.date(2027, 12, 22),
        emergency=True,
    )
    task = _risk_tasks(new_child).get()
    assert task.due_on == dt.date(2027, 12, 31)
    assert task.due_basis == (
        "5 working days after the emergency placement started on Wednesday 22 December 2027 (SC-9: the "
        "policy sets no deadline; this is the service's setting 'Emergency placement risk assessment due "
        "within (working days)')"
    )


def test_sc9_the_as_soon_as_possible_setting_is_the_services(world, new_child) -> None:
    world.service.emergency_risk_assessment_working_days = 2
    world.service.save()
    _flag(world, new_child, RiskLevel.POTENTIAL)
    household_services.placement_create(
        actor=world.chris,
        child=new_child,
        household=world.household_own,
        start_on=dt.date(2027, 12, 22),
        emergency=True,
    )
    assert _risk_tasks(new_child).get().due_on == dt.date(2027, 12, 24)


def test_sc9_a_child_not_flagged_raises_no_duty(world, new_child) -> None:
    household_services.placement_create(
        actor=world.chris, child=new_child, household=world.household_own, start_on=timezone.localdate()
    )
    assert not _risk_tasks(new_child).exists()


def test_sc9_an_assessment_done_before_the_placement_covers_it(world, new_child) -> None:
    _flag(world, new_child)
    services.risk_assessment_record(
        actor=world.chris, child=new_child, completed_on=timezone.localdate(), summary="Low risk with a plan"
    )
    household_services.placement_create(
        actor=world.chris,
        child=new_child,
        household=world.household_own,
        start_on=timezone.localdate() + dt.timedelta(days=3),
    )
    assert not _risk_tasks(new_child).exists()


@pytest.mark.parametrize("today", ["Wednesday 23 December 2026"], indirect=True)
def test_it_counts_the_sc9_duty_for_a_child_flagged_during_a_placement_from_the_flag(today, world) -> None:
    child = world.child_own
    _flag(world, child)
    task = _risk_tasks(child).get()
    # 5 working days from Wednesday 23 December 2026: Christmas, Boxing Day (Monday 28) and
    # New Year's Day are bank holidays, so Thursday 24, Tuesday 29, Wednesday 30, Thursday 31
    # and Monday 4 January 2027.
    assert task.due_on == dt.date(2027, 1, 4)
    assert task.due_basis == (
        "5 working days after the risk was flagged during the placement on Wednesday 23 December 2026 "
        "(SC-9: the policy sets no deadline; this is the service's setting 'Emergency placement risk "
        "assessment due within (working days)')"
    )
    assert task.title == "Complete a risk assessment for the risk flagged during the placement"
    assert task.owner == world.chris
    assessment = services.risk_assessment_record(
        actor=world.chris, child=child, completed_on=dt.date(2026, 12, 23), summary="Safety plan agreed"
    )
    assert assessment.placement == world.placement_own
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_it_leaves_the_sc9_duty_open_for_an_assessment_completed_before_the_flag(world) -> None:
    child = world.child_own
    _flag(world, child)
    task = _risk_tasks(child).get()
    old = services.risk_assessment_record(
        actor=world.chris,
        child=child,
        completed_on=timezone.localdate() - dt.timedelta(days=3 * 365),
        summary="An assessment from a placement years ago",
    )
    task.refresh_from_db()
    assert task.is_open
    # Kept on the child's record, not tied to the placement it was not made for.
    assert old.placement is None
    services.risk_assessment_record(
        actor=world.chris, child=child, completed_on=timezone.localdate(), summary="Made for this flag"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_it_leaves_the_sc9_duty_open_for_an_assessment_naming_another_placement(world, new_child) -> None:
    earlier = PlacementFactory(
        child=new_child,
        household=world.household_other,
        start_on=timezone.localdate() - dt.timedelta(days=300),
        end_on=timezone.localdate() - dt.timedelta(days=30),
        end_reason="planned_move",
    )
    _flag(world, new_child)
    household_services.placement_create(
        actor=world.chris,
        child=new_child,
        household=world.household_own,
        start_on=timezone.localdate() + dt.timedelta(days=14),
    )
    task = _risk_tasks(new_child).get()
    services.risk_assessment_record(
        actor=world.chris,
        child=new_child,
        completed_on=timezone.localdate(),
        summary="Written up for the last placement",
        placement=earlier,
    )
    task.refresh_from_db()
    assert task.is_open
    services.risk_assessment_record(
        actor=world.chris, child=new_child, completed_on=timezone.localdate(), summary="For the new placement"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_it_leaves_the_sc9_duty_open_for_an_assessment_of_another_child(world, new_child) -> None:
    _flag(world, world.child_own)
    task = _risk_tasks(world.child_own).get()
    services.risk_assessment_record(
        actor=world.chris, child=new_child, completed_on=timezone.localdate(), summary="Wendy's assessment"
    )
    task.refresh_from_db()
    assert task.is_open


def test_it_needs_a_new_sc9_assessment_for_a_placement_planned_after_the_last_one(world, new_child) -> None:
    # Flagged and assessed a year ago, when the child was not placed.
    with time_machine.travel(timezone.now() - dt.timedelta(days=365), tick=False):
        _flag(world, new_child)
        services.risk_assessment_record(
            actor=world.chris, child=new_child, completed_on=timezone.localdate(), summary="A year ago"
        )
    household_services.placement_create(
        actor=world.chris,
        child=new_child,
        household=world.household_own,
        start_on=timezone.localdate() + dt.timedelta(days=10),
    )
    assert _risk_tasks(new_child).get().is_open


def test_it_opens_a_new_sc9_duty_when_a_placed_child_is_flagged_again(world) -> None:
    child = world.child_own
    _flag(world, child)
    services.risk_assessment_record(
        actor=world.chris, child=child, completed_on=timezone.localdate(), summary="Plan agreed"
    )
    assert not _risk_tasks(child).filter(status=TaskStatus.OPEN).exists()
    # The next day a new risk comes to light: it needs an assessment of its own.
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        services.risk_flag_set(actor=world.chris, child=child, level=RiskLevel.KNOWN, reason="Fire setting")
        task = _risk_tasks(child).get(status=TaskStatus.OPEN)
        assert task.title == "Complete a risk assessment for the risk flagged during the placement"
        # The assessment made before the new flag does not fulfil it.
        services.risk_assessment_record(
            actor=world.chris,
            child=child,
            completed_on=timezone.localdate() - dt.timedelta(days=1),
            summary="x",
        )
        task.refresh_from_db()
        assert task.is_open
        services.risk_assessment_record(
            actor=world.chris, child=child, completed_on=timezone.localdate(), summary="Fire safety plan"
        )
        task.refresh_from_db()
        assert task.status == TaskStatus.DONE


def test_it_raises_no_sc9_duty_when_the_same_flag_is_saved_again(world) -> None:
    child = world.child_own
    _flag(world, child)
    services.risk_assessment_record(
        actor=world.chris, child=child, completed_on=timezone.localdate(), summary="Plan agreed"
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        _flag(world, child)
    assert not _risk_tasks(child).filter(status=TaskStatus.OPEN).exists()


def test_sc9_lifting_the_flag_cancels_the_open_duty_and_the_history_keeps_the_levels(world) -> None:
    child = world.child_own
    _flag(world, child)
    services.risk_flag_set(actor=world.tom, child=child, level=RiskLevel.NONE)
    assert _risk_tasks(child).get().status == TaskStatus.CANCELLED
    flag = ChildRiskFlag.objects.get(child=child)
    assert [h.level for h in flag.history.order_by("history_id")] == ["known", "none"]
    assert flag.history.order_by("history_id").last().history_user == world.tom


@pytest.mark.parametrize("name", ["carol", "sam", "fiona", "frank"])
def test_sc9_only_the_childs_side_flags_risk_or_records_assessments(world, name) -> None:
    user = world.users[name]
    with pytest.raises(PermissionDenied):
        services.risk_flag_set(actor=user, child=world.child_own, level=RiskLevel.KNOWN, reason="x")
    with pytest.raises(PermissionDenied):
        services.risk_assessment_record(
            actor=user, child=world.child_own, completed_on=timezone.localdate(), summary="x"
        )


def test_sc9_a_flag_needs_a_reason_and_an_assessment_cannot_be_dated_in_the_future(world) -> None:
    with pytest.raises(ValidationError) as error:
        services.risk_flag_set(actor=world.chris, child=world.child_own, level=RiskLevel.KNOWN, reason=" ")
    assert "SC-9" in error.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as error:
        services.risk_assessment_record(
            actor=world.chris,
            child=world.child_own,
            completed_on=timezone.localdate() + dt.timedelta(days=1),
            summary="x",
        )
    assert "completed_on" in error.value.message_dict


# SC-6: changes of circumstance -----------------------------------------------------------------


def _change(world, **kwargs):
    values = {
        "actor": world.carol,
        "household": world.household_own,
        "kind": ChangeKind.OVERNIGHT_STAYS,
        "happened_on": timezone.localdate(),
        "details": "My brother stays every other weekend.",
    }
    return services.change_notice_send(**{**values, **kwargs})


@pytest.mark.parametrize("today", ["Thursday 3 December 2026"], indirect=True)
def test_it_gives_the_ssw_an_sc6_review_due_5_working_days_after_the_change_is_told(today, world) -> None:
    notice = _change(world)
    task = notice.task
    assert (task.rule_id, task.kind, task.owner) == ("SC-6", "scfa_review_after_change", world.sam)
    assert task.due_on == dt.date(2026, 12, 10)
    assert task.due_basis == (
        "5 working days after the carers told the service of the change on Thursday 3 December 2026 "
        "(SC-6: the policy sets no deadline; this is the service's setting 'Change of circumstances "
        "reviewed within (working days)')"
    )
    assert Notification.objects.filter(recipient=world.sam, task=task).exists()


@pytest.mark.parametrize("today", ["Thursday 3 December 2026"], indirect=True)
def test_it_dates_the_sc6_review_from_the_services_setting(today, world) -> None:
    service = world.household_own.service
    service.change_notice_review_working_days = 2
    service.save()
    task = _change(world).task
    assert task.due_on == dt.date(2026, 12, 7)
    assert task.due_basis.startswith("2 working days after the carers told the service of the change")


@pytest.mark.parametrize("today", ["Thursday 3 December 2026"], indirect=True)
def test_it_skips_the_services_closure_day_in_the_sc6_review(today, world) -> None:
    ClosureDay.objects.create(service=world.service, date=dt.date(2026, 12, 7), reason="Staff training")
    assert _change(world).task.due_on == dt.date(2026, 12, 11)


@pytest.mark.parametrize("today", ["Thursday 26 November 2026"], indirect=True)
def test_it_skips_st_andrews_day_in_the_sc6_review_for_a_service_in_scotland(today, world) -> None:
    # England and Wales: Friday 27, Monday 30, Tuesday 1, Wednesday 2, Thursday 3 December.
    notice = _change(world)
    assert notice.task.due_on == dt.date(2026, 12, 3)
    services.change_notice_review(actor=world.sam, notice=notice, note="Fine")
    service = world.household_own.service
    service.holiday_nation = "SCT"
    service.save()
    # Scotland: Monday 30 November is St Andrew's Day.
    task = _change(world).task
    assert task.due_on == dt.date(2026, 12, 4)
    assert task.due_basis.startswith(
        "5 working days after the carers told the service of the change on Thursday 26 November 2026"
    )


def test_sc6_the_review_task_closes_when_every_notice_it_stands_for_is_reviewed(world) -> None:
    first = _change(world)
    second = _change(world, kind=ChangeKind.DEATH, details="Grandad died on Sunday.")
    assert first.task == second.task
    services.change_notice_review(actor=world.sam, notice=first, note="Agreement still fits")
    first.task.refresh_from_db()
    assert first.task.is_open
    services.change_notice_review(actor=world.sam, notice=second)
    first.task.refresh_from_db()
    assert first.task.status == TaskStatus.DONE
    with pytest.raises(ValidationError):
        services.change_notice_review(actor=world.sam, notice=second)


def test_sc6_a_carer_tells_only_about_their_own_household(world) -> None:
    with pytest.raises(PermissionDenied):
        _change(world, household=world.household_other)
    with pytest.raises(PermissionDenied):
        _change(world, actor=world.sam)


def test_sc6_only_the_ssw_and_fostering_managers_mark_a_notice_reviewed(world) -> None:
    notice = _change(world)
    for name in ("carol", "chris", "tom"):
        with pytest.raises(PermissionDenied):
            services.change_notice_review(actor=world.users[name], notice=notice)


# SC-8, SC-11: immediate notices ----------------------------------------------------------------


def test_sc8_the_ssw_and_each_placed_childs_csw_are_alerted_at_once_and_the_task_is_due_today(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.immediate_notice_send(
            actor=world.carol,
            household=world.household_own,
            kind=ImmediateKind.OWN_ABILITY,
            details="I am exhausted and worried I cannot keep Xavier safe.",
        )
    task = notice.task
    assert (task.rule_id, task.owner, task.due_on) == ("SC-8", world.sam, timezone.localdate())
    assert task.due_basis.endswith("the policy says immediately (SC-8)")
    assert list(notice.children.all()) == [world.child_own]
    alerted = set(Notification.objects.filter(task=task).values_list("recipient__username", flat=True))
    assert alerted == {"sam", "chris"}
    assert sorted(m.to[0] for m in mail.outbox) == ["chris@example.org", "sam@example.org"]
    assert all("A foster carer has sent an immediate notice" in m.subject for m in mail.outbox)
    assert all(task.reference in m.body for m in mail.outbox)


@pytest.mark.parametrize("today", ["Saturday 5 December 2026"], indirect=True)
def test_it_makes_an_immediate_notice_due_the_same_day_even_at_the_weekend(today, world) -> None:
    for kind, rule_id in ((ImmediateKind.ALLEGATION_RISK, "SC-8"), (ImmediateKind.RISKY_ACTIVITY, "SC-11")):
        task = services.immediate_notice_send(
            actor=world.carol, household=world.household_own, kind=kind, details="x"
        ).task
        assert task.due_on == dt.date(2026, 12, 5)
        assert task.due_basis == (
            f"the same day as the carer's notice on Saturday 5 December 2026: the policy says immediately "
            f"({rule_id})"
        )


def test_sc11_risky_activities_alert_the_ssw_and_only_the_csw_of_a_named_child(world) -> None:
    notice = services.immediate_notice_send(
        actor=world.carol,
        household=world.household_own,
        kind=ImmediateKind.RISKY_ACTIVITY,
        details="My son has started climbing on the garage roof.",
    )
    assert notice.rule_id == "SC-11" and notice.task.rule_id == "SC-11"
    assert notice.task.due_on == timezone.localdate()
    alerted = set(Notification.objects.filter(task=notice.task).values_list("recipient__username", flat=True))
    assert alerted == {"sam"}
    named = services.immediate_notice_send(
        actor=world.carol,
        household=world.household_own,
        kind=ImmediateKind.RISKY_ACTIVITY,
        details="Xavier joined him.",
        children=[world.child_own],
    )
    alerted = set(
        Notification.objects.filter(dedupe_key=f"notices:immediate:{named.pk}").values_list(
            "recipient__username", flat=True
        )
    )
    assert alerted == {"sam", "chris"}


def test_sc11_a_carer_names_only_children_living_with_them(world) -> None:
    with pytest.raises(ValidationError) as error:
        services.immediate_notice_send(
            actor=world.carol,
            household=world.household_own,
            kind=ImmediateKind.RISKY_ACTIVITY,
            details="x",
            children=[world.child_other],
        )
    assert "children" in error.value.message_dict


def test_sc8_with_no_ssw_allocated_the_fostering_team_manager_is_alerted(world) -> None:
    household_services.allocation_end(actor=world.frank, allocation=world.allocation_own)
    notice = services.immediate_notice_send(
        actor=world.carol, household=world.household_own, kind=ImmediateKind.ALLEGATION_RISK, details="x"
    )
    alerted = set(Notification.objects.filter(task=notice.task).values_list("recipient__username", flat=True))
    assert alerted == {"fiona", "chris"}


def test_sc8_responding_closes_the_task(world) -> None:
    notice = services.immediate_notice_send(
        actor=world.carol, household=world.household_own, kind=ImmediateKind.ALLEGATION_RISK, details="x"
    )
    with pytest.raises(ValidationError):
        services.immediate_notice_acknowledge(actor=world.sam, notice=notice, note="")
    services.immediate_notice_acknowledge(actor=world.sam, notice=notice, note="Visited the same day")
    notice.task.refresh_from_db()
    assert notice.task.status == TaskStatus.DONE


# SC-12: care arrangements ----------------------------------------------------------------------


def _ask(world, *, starts_in: dt.timedelta, hours: float, child=None):
    starts = timezone.now() + starts_in
    return services.arrangement_request(
        actor=world.carol,
        household=world.household_own,
        child=child or world.child_own,
        carer_name="Rose Patel",
        relationship="Grandparent",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        reason="Hospital appointment",
    )


LONDON = ZoneInfo("Europe/London")


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def _record(world, *, starts_at, ends_at, actor=None, carer_name="Rose Patel", child=None):
    return services.arrangement_request(
        actor=actor or world.carol,
        household=world.household_own,
        child=child or world.child_own,
        carer_name=carer_name,
        relationship="Grandparent",
        starts_at=starts_at,
        ends_at=ends_at,
        reason="Hospital appointment",
    )


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_makes_the_sc12_decision_due_on_the_day_the_child_is_to_be_left(today, world) -> None:
    arrangement = _record(world, starts_at=_at(2026, 12, 4, 18), ends_at=_at(2026, 12, 6, 0))
    task = arrangement.task
    assert (task.rule_id, task.owner, task.child) == ("SC-12", world.sam, world.child_own)
    assert task.due_on == dt.date(2026, 12, 4)
    assert task.due_basis == (
        "the day the child is to be left with someone, Friday 4 December 2026 (SC-12: the policy's own "
        "deadline: the service's consent before the child is left)"
    )
    assert arrangement.long_stay


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_brings_the_sc12_decision_forward_for_an_earlier_arrangement_of_the_same_child(
    today, world
) -> None:
    later = _record(world, starts_at=_at(2026, 12, 11, 9), ends_at=_at(2026, 12, 11, 12))
    sooner = _record(world, starts_at=_at(2026, 12, 3, 9), ends_at=_at(2026, 12, 3, 12))
    assert later.task == sooner.task
    later.task.refresh_from_db()
    assert later.task.due_on == dt.date(2026, 12, 3)
    assert later.task.due_basis.startswith(
        "the day the child is to be left with someone, Thursday 3 December"
    )


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_lets_a_carer_record_an_arrangement_that_has_already_ended(today, world) -> None:
    short = _record(world, starts_at=_at(2026, 11, 28, 9), ends_at=_at(2026, 11, 28, 17))
    assert not short.is_breach() and short.recorded_late
    task = short.task
    assert task.due_on == dt.date(2026, 12, 1)
    assert task.due_basis.startswith(
        "the same day the arrangement was recorded, Tuesday 1 December 2026: it began on Saturday 28 November"
    )
    # Consent after the fact is recorded for a short one: the service now knows.
    services.arrangement_decide(actor=world.sam, arrangement=short, consent=True)
    long = _record(
        world, starts_at=_at(2026, 11, 20, 9), ends_at=_at(2026, 11, 22, 9), carer_name="Tom Brown"
    )
    assert long.long_stay and long.is_breach()
    assert list(breaches(world.sam)) == [long]


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_lets_the_ssw_record_an_arrangement_learned_of_after_the_fact(today, world) -> None:
    arrangement = _record(
        world, actor=world.sam, starts_at=_at(2026, 11, 27, 18), ends_at=_at(2026, 11, 29, 12)
    )
    assert arrangement.requested_by == world.sam
    assert arrangement.is_breach()
    assert arrangement.task.due_on == dt.date(2026, 12, 1)
    assert arrangement.history.first().history_user == world.sam
    with pytest.raises(ValidationError) as error:
        services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=True)
    assert "SC-12" in error.value.message_dict["decision"][0]


@pytest.mark.parametrize("name", ["chris", "fiona", "frank", "tom", "helen"])
def test_it_lets_staff_who_see_the_household_record_an_arrangement(world, name) -> None:
    starts = timezone.now() - dt.timedelta(days=2)
    arrangement = _record(
        world, actor=world.users[name], starts_at=starts, ends_at=starts + dt.timedelta(hours=5)
    )
    assert arrangement.status == ArrangementStatus.REQUESTED
    # The SSW, who decides, is told; nobody is told of what they recorded themselves.
    alerted = Notification.objects.filter(task=arrangement.task).values_list("recipient__username", flat=True)
    assert set(alerted) == {"sam"}


def test_it_refuses_staff_an_arrangement_of_a_child_not_placed_there_when_it_began(world, new_child) -> None:
    starts = timezone.now() - dt.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        _record(
            world,
            actor=world.sam,
            child=world.child_other,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
        )
    assert "SC-12" in error.value.message_dict["child"][0]
    # Placed there only from tomorrow.
    household_services.placement_create(
        actor=world.chris,
        child=new_child,
        household=world.household_own,
        start_on=timezone.localdate() + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        _record(
            world, actor=world.sam, child=new_child, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
        )


def test_it_lets_the_ssw_record_an_arrangement_of_a_child_whose_placement_has_since_ended(world) -> None:
    starts = timezone.now() - dt.timedelta(days=3)
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=timezone.localdate() - dt.timedelta(days=1),
        end_reason="planned_move",
    )
    arrangement = _record(world, actor=world.sam, starts_at=starts, ends_at=starts + dt.timedelta(hours=6))
    assert arrangement.child == world.child_own
    with pytest.raises(ValidationError):
        _record(world, starts_at=starts, ends_at=starts + dt.timedelta(hours=6))  # the carer no longer


@pytest.mark.parametrize("name", ["asha", "bella", "pat", "ada"])
def test_it_refuses_an_arrangement_from_anyone_else(world, name) -> None:
    starts = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        _record(world, actor=world.users[name], starts_at=starts, ends_at=starts + dt.timedelta(hours=3))


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_counts_two_20_hour_arrangements_back_to_back_with_the_same_person_as_over_24_hours(
    today, world
) -> None:
    first = _record(world, starts_at=_at(2026, 12, 4, 18), ends_at=_at(2026, 12, 5, 14))
    assert not first.long_stay
    second = _record(
        world, starts_at=_at(2026, 12, 5, 14), ends_at=_at(2026, 12, 6, 10), carer_name="  rose PATEL "
    )
    first.refresh_from_db()
    assert first.long_stay and second.long_stay
    assert first.counted_from is None
    assert second.counted_from == _at(2026, 12, 4, 18)
    # Consent to both before the first starts is consent in time.
    services.arrangement_decide(actor=world.sam, arrangement=first, consent=True)
    services.arrangement_decide(actor=world.sam, arrangement=second, consent=True)
    today.move_to(_at(2026, 12, 6, 12))
    assert not breaches(world.sam).filter(pk__in=[first.pk, second.pk]).exists()


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_flags_a_second_arrangement_that_makes_a_stay_over_24_hours_once_the_first_began(
    today, world
) -> None:
    first = _record(world, starts_at=_at(2026, 12, 4, 18), ends_at=_at(2026, 12, 5, 14))
    services.arrangement_decide(actor=world.sam, arrangement=first, consent=True)
    today.move_to(_at(2026, 12, 5, 9))  # the child is with Rose already
    second = _record(world, starts_at=_at(2026, 12, 5, 14), ends_at=_at(2026, 12, 6, 10))
    assert second.long_stay and second.counted_from == _at(2026, 12, 4, 18)
    with pytest.raises(ValidationError) as error:
        services.arrangement_decide(actor=world.sam, arrangement=second, consent=True)
    message = error.value.message_dict["decision"][0]
    assert "SC-12" in message and "04/12/2026 at 18:00" in message
    today.move_to(_at(2026, 12, 5, 15))
    assert list(breaches(world.sam).filter(pk__in=[first.pk, second.pk])) == [second]
    first.refresh_from_db()
    assert not first.is_breach()


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_counts_apart_arrangements_with_someone_else_or_more_than_a_day_apart(today, world) -> None:
    first = _record(world, starts_at=_at(2026, 12, 4, 18), ends_at=_at(2026, 12, 5, 14))
    other_person = _record(
        world, starts_at=_at(2026, 12, 5, 14), ends_at=_at(2026, 12, 6, 10), carer_name="Rosa Patel"
    )
    day_later = _record(world, starts_at=_at(2026, 12, 6, 14, 1), ends_at=_at(2026, 12, 7, 10))
    for arrangement in (first, other_person, day_later):
        arrangement.refresh_from_db()
        assert not arrangement.long_stay
    # Exactly a day after the first ended still follows it.
    within_a_day = _record(world, starts_at=_at(2026, 12, 6, 14), ends_at=_at(2026, 12, 6, 16))
    assert within_a_day.long_stay


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_counts_without_an_arrangement_refused_before_it_began(today, world) -> None:
    first = _record(world, starts_at=_at(2026, 12, 4, 18), ends_at=_at(2026, 12, 5, 14))
    second = _record(world, starts_at=_at(2026, 12, 5, 14), ends_at=_at(2026, 12, 6, 10))
    services.arrangement_decide(actor=world.sam, arrangement=second, consent=False, note="Too long")
    first.refresh_from_db()
    assert not first.long_stay
    services.arrangement_decide(actor=world.sam, arrangement=first, consent=True)


def test_sc12_consent_before_the_start_closes_the_task_and_is_no_breach(world) -> None:
    arrangement = _ask(world, starts_in=dt.timedelta(days=1), hours=48)
    services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=True)
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.CONSENTED
    assert arrangement.task.status == TaskStatus.DONE
    later = timezone.now() + dt.timedelta(days=2)
    assert not arrangement.is_breach(later)
    assert not breaches(world.frank, now=later).filter(pk=arrangement.pk).exists()


def test_sc12_over_24_hours_cannot_be_consented_after_it_started_and_is_a_breach(world) -> None:
    arrangement = _ask(world, starts_in=-dt.timedelta(hours=1), hours=48)
    with pytest.raises(ValidationError) as error:
        services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=True)
    assert "SC-12" in error.value.message_dict["decision"][0]
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.REQUESTED
    assert arrangement.is_breach()
    assert list(breaches(world.frank)) == [arrangement]
    assert list(breaches(world.sam)) == [arrangement]
    # The CSW sees the breach of their child; another household's carer's SSW does not.
    assert list(breaches(world.chris)) == [arrangement]
    assert not breaches(world.asha).exists()


def test_sc12_a_refusal_after_the_start_is_still_a_breach_but_one_before_is_not(world) -> None:
    late = _ask(world, starts_in=-dt.timedelta(hours=1), hours=30)
    services.arrangement_decide(actor=world.sam, arrangement=late, consent=False, note="Too long")
    late.refresh_from_db()
    assert late.is_breach()
    early = _ask(world, starts_in=dt.timedelta(hours=5), hours=30)
    services.arrangement_decide(actor=world.sam, arrangement=early, consent=False, note="Too long")
    early.refresh_from_db()
    assert not early.is_breach(timezone.now() + dt.timedelta(hours=6))


def test_sc12_a_short_arrangement_may_be_consented_after_it_started(world) -> None:
    arrangement = _ask(world, starts_in=-dt.timedelta(hours=1), hours=4)
    assert not arrangement.is_breach()
    services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=True)
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.CONSENTED


def test_sc12_exactly_24_hours_is_not_over_24_hours(world) -> None:
    assert not _ask(world, starts_in=dt.timedelta(days=1), hours=24).long_stay


def test_sc12_a_refusal_needs_a_note_and_a_decision_is_made_once(world) -> None:
    arrangement = _ask(world, starts_in=dt.timedelta(days=1), hours=5)
    with pytest.raises(ValidationError) as error:
        services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=False)
    assert "note" in error.value.message_dict
    services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=True)
    with pytest.raises(ValidationError):
        services.arrangement_decide(actor=world.sam, arrangement=arrangement, consent=False, note="No")


def test_sc12_a_carer_asks_only_for_a_child_placed_with_them_now(world) -> None:
    former = ChildFactory(service=world.service)
    PlacementFactory(
        child=former,
        household=world.household_own,
        start_on=timezone.localdate() - dt.timedelta(days=90),
        end_on=timezone.localdate() - dt.timedelta(days=5),
        end_reason="return_home",
    )
    with pytest.raises(ValidationError) as error:
        _ask(world, starts_in=dt.timedelta(days=1), hours=5, child=former)
    assert "SC-12" in error.value.message_dict["child"][0]
    with pytest.raises(PermissionDenied):
        services.arrangement_request(
            actor=world.carol,
            household=world.household_other,
            child=world.child_other,
            carer_name="x",
            relationship="x",
            starts_at=timezone.now() + dt.timedelta(days=1),
            ends_at=timezone.now() + dt.timedelta(days=2),
            reason="x",
        )


def test_sc12_the_times_must_be_in_order(world) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.arrangement_request(
            actor=world.carol,
            household=world.household_own,
            child=world.child_own,
            carer_name="x",
            relationship="x",
            starts_at=now + dt.timedelta(days=2),
            ends_at=now + dt.timedelta(days=1),
            reason="x",
        )
    assert "ends_at" in error.value.message_dict
    assert not CareArrangement.objects.filter(household=world.household_own, carer_name="x").exists()


def test_sc12_only_the_ssw_and_fostering_managers_decide(world) -> None:
    arrangement = _ask(world, starts_in=dt.timedelta(days=1), hours=5)
    for name in ("carol", "chris", "tom", "sue"):
        with pytest.raises(PermissionDenied):
            services.arrangement_decide(actor=world.users[name], arrangement=arrangement, consent=True)


def test_the_csw_of_a_child_placed_elsewhere_gets_no_alert(world) -> None:
    other_csw = AllocationFactory(
        worker=world.chris.__class__.objects.create(
            username="cora", service=world.service, role="childs_sw", email="cora@example.org"
        ),
        kind="childs",
        child=world.child_other,
    ).worker
    notice = services.immediate_notice_send(
        actor=world.carol, household=world.household_own, kind=ImmediateKind.OWN_ABILITY, details="x"
    )
    assert not Notification.objects.filter(task=notice.task, recipient=other_csw).exists()
