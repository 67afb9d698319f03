"""The rules of the notices app, through its services (SC-6, SC-8, SC-9, SC-11, SC-12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import Notification, Task, TaskStatus
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


def test_sc9_a_planned_placement_of_a_flagged_child_needs_an_assessment_the_day_before_it_starts(
    world, new_child
) -> None:
    _flag(world, new_child)
    start = timezone.localdate() + dt.timedelta(days=10)
    placement = household_services.placement_create(
        actor=world.chris, child=new_child, household=world.household_own, start_on=start
    )
    task = _risk_tasks(new_child).get()
    assert task.rule_id == "SC-9"
    assert task.due_on == start - dt.timedelta(days=1)
    assert task.owner == world.chris  # the CSW owns it
    assert task.household == placement.household


def test_sc9_an_emergency_placement_gets_the_services_working_days(world, new_child) -> None:
    _flag(world, new_child, RiskLevel.LIKELY)
    # SPEC §5 worked example: emergency placement from Wed 22 Dec 2027, 5 working days -> Fri 31 Dec.
    household_services.placement_create(
        actor=world.chris,
        child=new_child,
        household=world.household_own,
        start_on=dt.date(2027, 12, 22),
        emergency=True,
    )
    assert _risk_tasks(new_child).get().due_on == dt.date(2027, 12, 31)


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


def test_sc9_flagging_a_child_already_placed_opens_the_duty_and_the_assessment_closes_it(world) -> None:
    child = world.child_own
    _flag(world, child)
    task = _risk_tasks(child).get()
    # Flagged during the placement: "as soon as possible" counted from the flag.
    assert task.due_on == world.service.calendar().add_working_days(timezone.localdate(), 5)
    assert task.owner == world.chris
    assessment = services.risk_assessment_record(
        actor=world.chris, child=child, completed_on=timezone.localdate(), summary="Safety plan agreed"
    )
    assert assessment.placement == world.placement_own
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


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


def test_sc6_a_change_notice_gives_the_ssw_a_review_task_due_in_5_working_days(world) -> None:
    notice = _change(world)
    task = notice.task
    assert (task.rule_id, task.kind, task.owner) == ("SC-6", "scfa_review_after_change", world.sam)
    assert task.due_on == world.service.calendar().add_working_days(timezone.localdate(), 5)
    assert Notification.objects.filter(recipient=world.sam, task=task).exists()


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
    assert list(notice.children.all()) == [world.child_own]
    alerted = set(Notification.objects.filter(task=task).values_list("recipient__username", flat=True))
    assert alerted == {"sam", "chris"}
    assert sorted(m.to[0] for m in mail.outbox) == ["chris@example.org", "sam@example.org"]
    assert all("A foster carer has sent an immediate notice" in m.subject for m in mail.outbox)
    assert all(task.reference in m.body for m in mail.outbox)


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


def test_sc12_a_request_gives_the_ssw_a_task_due_by_the_start_date(world) -> None:
    arrangement = _ask(world, starts_in=dt.timedelta(days=4), hours=30)
    task = arrangement.task
    assert (task.rule_id, task.owner, task.child) == ("SC-12", world.sam, world.child_own)
    assert task.due_on == timezone.localtime(arrangement.starts_at).date()
    assert arrangement.long_stay


def test_sc12_an_earlier_request_for_the_same_child_brings_the_task_forward(world) -> None:
    later = _ask(world, starts_in=dt.timedelta(days=10), hours=3)
    sooner = _ask(world, starts_in=dt.timedelta(days=2), hours=3)
    assert later.task == sooner.task
    later.task.refresh_from_db()
    assert later.task.due_on == timezone.localtime(sooner.starts_at).date()


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


def test_sc12_the_times_must_be_in_order_and_not_over(world) -> None:
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
