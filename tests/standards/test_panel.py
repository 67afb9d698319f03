"""SOC-10: the fostering panel recommends, the agency decision maker (ADM) decides, and the carer
may ask for an independent review (not a complaint).

A decision to deregister ends the household's approval through the household workflow only:
28 calendar days after the decision when no review was asked for by then (Fostering Services
(England) Regulations 2011, reg. 28), or at once on the ADM's decision after the review.

The dates of these tests: the meeting on Monday 12 April 2027 refers the Patel household to the
panel; the panel sits on Monday 10 May 2027; the ADM decides on Wednesday 19 May 2027. The
28th calendar day after it is Wednesday 16 June 2027; the 27th is Tuesday 15 June 2027.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecare.core.jobs import run_one, run_scheduled_work
from safecare.core.models import Notification, ScheduledJob, Task, TaskStatus
from safecare.households.models import HouseholdStatus, PlacementEndReason
from safecare.households.services import placement_end
from safecare.standards import selectors, services_panel
from safecare.standards.duties import ADM_DECISION, PANEL_RECOMMENDATION
from safecare.standards.jobs import deregister_after_adm_decision
from safecare.standards.models import (
    AdmDecision,
    ApprovalChoice,
    OutcomeKind,
    PanelRecommendation,
    PanelReferral,
    ReviewRequest,
)

from .test_outcome import ARRANGED, MEETS_ON, arranged, at, outcome

pytestmark = pytest.mark.django_db

D = dt.date
LONDON = ZoneInfo("Europe/London")
PANEL_ON = D(2027, 5, 10)
DECIDED_ON = D(2027, 5, 19)
DAY_27 = D(2027, 6, 15)
DAY_28 = D(2027, 6, 16)


def referred(today: Any, world: Any) -> PanelReferral:
    meeting = arranged(world)
    at(today, MEETS_ON, 15)
    outcome(world, meeting, OutcomeKind.PANEL)
    return PanelReferral.objects.get()


def recommended(today: Any, world: Any, choice: str = ApprovalChoice.DEREGISTER) -> PanelReferral:
    referral = referred(today, world)
    at(today, PANEL_ON, 16)
    services_panel.recommendation_record(
        actor=world.pat,
        referral=referral,
        recommendation=choice,
        reasons="The carers cannot keep to the plan.",
        panel_on=PANEL_ON,
    )
    return referral


def decided(today: Any, world: Any, choice: str = ApprovalChoice.DEREGISTER) -> AdmDecision:
    referral = recommended(today, world)
    at(today, DECIDED_ON, 11)
    return services_panel.adm_decide(
        actor=world.adam, referral=referral, decision=choice, reasons="I agree with the panel."
    )


def child_moved(world: Any) -> None:
    """Xavier leaves the Patel household: the workflow deregisters no household with a child placed."""
    placement_end(
        actor=world.frank,
        placement=world.placement_own,
        end_on=D(2027, 5, 20),
        end_reason=PlacementEndReason.PLANNED_MOVE,
    )


def status(world: Any) -> str:
    world.household_own.refresh_from_db()
    return world.household_own.status


# The panel -------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_panels_recommendation_goes_to_the_adm_due_7_working_days_later(today, world) -> None:
    referral = recommended(today, world)
    recommendation = PanelRecommendation.objects.get()
    assert (recommendation.recommendation, recommendation.panel_on, recommendation.recorded_by) == (
        ApprovalChoice.DEREGISTER,
        D(2027, 5, 10),
        world.pat,
    )
    assert Task.objects.get(kind=PANEL_RECOMMENDATION).status == TaskStatus.DONE
    task = Task.objects.get(kind=ADM_DECISION)
    # Monday 10 May 2027 is day 0: 11, 12, 13, 14, 17, 18 and Wednesday 19 May 2027.
    assert (task.due_on, task.owner, task.rule_id, task.status) == (
        D(2027, 5, 19),
        world.adam,
        "SOC-10",
        TaskStatus.OPEN,
    )
    [alert] = Notification.objects.filter(kind="soc_panel_recommendation")
    assert (alert.recipient, alert.url) == (world.adam, f"/standards-of-care/panel/{referral.pk}/")
    # Only now does the ADM see the referral (SOC-10).
    assert list(selectors.panel_referrals_visible_to(world.adam)) == [referral]


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_adm_sees_no_referral_before_the_panel_has_recommended(today, world) -> None:
    referral = referred(today, world)
    assert not selectors.panel_referrals_visible_to(world.adam).exists()
    with pytest.raises(PermissionDenied):
        services_panel.adm_decide(
            actor=world.adam, referral=referral, decision=ApprovalChoice.DEREGISTER, reasons="Too soon."
        )


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_recommendation_names_its_choice_reasons_and_a_panel_date_and_is_made_once(
    today, world
) -> None:
    referral = referred(today, world)
    at(today, PANEL_ON, 16)
    with pytest.raises(ValidationError) as refused:
        services_panel.recommendation_record(
            actor=world.pat, referral=referral, recommendation="maybe", reasons=" ", panel_on=D(2027, 4, 11)
        )
    assert refused.value.message_dict == {
        "recommendation": [
            "Recommendation: choose that approval continues, continues on changed terms, or ends (SOC-10)"
        ],
        "reasons": ["Reasons: say why the panel recommends this (SOC-10)"],
        "panel_on": ["Date of the panel: it cannot be before the referral on Monday 12 April 2027 (SOC-10)"],
    }
    with pytest.raises(ValidationError) as future:
        services_panel.recommendation_record(
            actor=world.pat,
            referral=referral,
            recommendation=ApprovalChoice.CONTINUE,
            reasons="Fine",
            panel_on=D(2027, 5, 11),
        )
    assert future.value.message_dict["panel_on"] == ["Date of the panel: it cannot be in the future (SOC-10)"]
    services_panel.recommendation_record(
        actor=world.pat,
        referral=referral,
        recommendation=ApprovalChoice.CONTINUE,
        reasons="Fine",
        panel_on=PANEL_ON,
    )
    with pytest.raises(ValidationError) as again:
        services_panel.recommendation_record(
            actor=world.pat,
            referral=referral,
            recommendation=ApprovalChoice.CONTINUE,
            reasons="Fine",
            panel_on=PANEL_ON,
        )
    assert again.value.message_dict["recommendation"] == [
        "Recommendation: the panel's recommendation is already recorded (SOC-10)"
    ]


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_only_a_panel_member_records_the_recommendation(today, world) -> None:
    referral = referred(today, world)
    for someone in (world.frank, world.helen, world.adam, world.sam, world.carol):
        with pytest.raises(PermissionDenied):
            services_panel.recommendation_record(
                actor=someone,
                referral=referral,
                recommendation=ApprovalChoice.CONTINUE,
                reasons="Fine",
                panel_on=MEETS_ON,
            )
    assert not PanelRecommendation.objects.exists()


# The ADM ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_decision_to_deregister_waits_28_calendar_days_in_a_job_and_alerts_the_ssw_and_manager(
    today, world
) -> None:
    decision = decided(today, world)
    assert (decision.decision, decision.decided_on, decision.after_review) == (
        ApprovalChoice.DEREGISTER,
        D(2027, 5, 19),
        False,
    )
    assert status(world) == HouseholdStatus.APPROVED
    job = ScheduledJob.objects.get(key=f"soc10:deregister:{decision.referral_id}")
    assert job.due_at == dt.datetime(2027, 6, 16, 0, 0, tzinfo=LONDON)
    assert job.kind == "soc10_deregister"
    assert Task.objects.get(kind=ADM_DECISION).status == TaskStatus.DONE
    alerted = {n.recipient for n in Notification.objects.filter(kind="soc_adm_decision")}
    assert alerted == {world.sam, world.frank}
    with pytest.raises(ValidationError) as again:
        services_panel.adm_decide(
            actor=world.adam, referral=decision.referral, decision=ApprovalChoice.CONTINUE, reasons="Changed"
        )
    assert again.value.message_dict["decision"] == [
        "Decision: the agency decision maker's decision is already recorded (SOC-10)"
    ]


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_deregistered_on_day_28_exactly_not_day_27_through_the_household_workflow(today, world) -> None:
    decided(today, world)
    child_moved(world)
    run_scheduled_work(at(today, DAY_27, 23, 59))
    assert status(world) == HouseholdStatus.APPROVED
    run_scheduled_work(at(today, DAY_28, 0, 5))
    assert status(world) == HouseholdStatus.DEREGISTERED
    change = world.household_own.status_changes.get(to_status=HouseholdStatus.DEREGISTERED)
    assert (change.effective_on, change.changed_by) == (D(2027, 6, 16), world.frank)
    assert change.reason == (
        "SOC-10: deregistered 28 calendar days after the agency decision maker's decision of Wednesday "
        "19 May 2027, with no independent review asked for (reg. 28)"
    )


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_the_job_run_twice_or_on_two_workers_deregisters_once_with_one_history_row(
    today, world
) -> None:
    decision = decided(today, world)
    child_moved(world)
    moment = at(today, DAY_28, 0, 5)
    job = ScheduledJob.objects.get(key=f"soc10:deregister:{decision.referral_id}")
    deregister_after_adm_decision(job)
    deregister_after_adm_decision(job)
    assert run_one(job.pk, moment) is True
    assert run_one(job.pk, moment) is False  # done: the second worker finds nothing to do
    assert world.household_own.status_changes.filter(to_status=HouseholdStatus.DEREGISTERED).count() == 1
    assert world.household_own.history.filter(status=HouseholdStatus.DEREGISTERED).count() == 1


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_child_still_placed_keeps_the_job_due_with_the_workflows_refusal(today, world) -> None:
    decision = decided(today, world)
    run_scheduled_work(at(today, DAY_28, 0, 5))
    job = ScheduledJob.objects.get(key=f"soc10:deregister:{decision.referral_id}")
    assert job.done_at is None and job.attempts == 1
    assert "still placed with the household" in job.last_error
    assert status(world) == HouseholdStatus.APPROVED


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_decision_that_approval_continues_ends_the_process(today, world) -> None:
    decision = decided(today, world, ApprovalChoice.CONTINUE)
    assert not ScheduledJob.objects.filter(key__startswith="soc10:").exists()
    assert not Task.objects.filter(
        kind__in=(PANEL_RECOMMENDATION, ADM_DECISION), status=TaskStatus.OPEN
    ).exists()
    with pytest.raises(ValidationError) as refused:
        services_panel.review_request_record(
            actor=world.frank, referral=decision.referral, received_on=DECIDED_ON
        )
    assert refused.value.message_dict["referral"] == [
        "Review request: SOC-10 the decision was that approval continues; there is nothing to review"
    ]
    assert services_panel.referral_state(decision.referral) == "Decided: Approval continues"


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_only_the_adm_decides_and_never_before_the_panel(today, world) -> None:
    referral = recommended(today, world)
    at(today, DECIDED_ON, 11)
    for someone in (world.frank, world.helen, world.pat, world.sam):
        with pytest.raises(PermissionDenied):
            services_panel.adm_decide(
                actor=someone, referral=referral, decision=ApprovalChoice.DEREGISTER, reasons="No"
            )
    with pytest.raises(ValidationError) as early:
        services_panel.adm_decide(
            actor=world.adam,
            referral=referral,
            decision=ApprovalChoice.DEREGISTER,
            reasons="",
            decided_on=D(2027, 5, 9),
        )
    assert early.value.message_dict == {
        "reasons": ["Reasons: say why (SOC-10)"],
        "decided_on": ["Date of the decision: it cannot be before the panel on Monday 10 May 2027 (SOC-10)"],
    }


# The independent review ------------------------------------------------------------------------


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_review_asked_for_on_day_27_stops_the_deregistration_until_the_decision_after_it(
    today, world
) -> None:
    decision = decided(today, world)
    child_moved(world)
    at(today, DAY_27, 16)
    request = services_panel.review_request_record(
        actor=world.frank, referral=decision.referral, received_on=DAY_27, note="By letter to the manager."
    )
    assert (request.received_on, request.recorded_by) == (D(2027, 6, 15), world.frank)
    assert not ScheduledJob.objects.filter(key=f"soc10:deregister:{decision.referral_id}").exists()
    [alert] = Notification.objects.filter(kind="soc_review_requested")
    assert alert.recipient == world.adam
    run_scheduled_work(at(today, DAY_28, 0, 5))
    assert status(world) == HouseholdStatus.APPROVED
    assert services_panel.referral_state(decision.referral) == (
        "Review asked for: waiting for the decision after the review"
    )
    # After the review, the ADM decides again: to deregister ends the approval at once.
    at(today, D(2027, 7, 1), 14)
    services_panel.adm_decide(
        actor=world.adam,
        referral=decision.referral,
        decision=ApprovalChoice.DEREGISTER,
        reasons="The review panel agreed.",
        after_review=True,
    )
    assert status(world) == HouseholdStatus.DEREGISTERED
    change = world.household_own.status_changes.get(to_status=HouseholdStatus.DEREGISTERED)
    assert (change.effective_on, change.changed_by) == (D(2027, 7, 1), world.frank)
    assert change.reason == (
        "SOC-10: deregistered on the agency decision maker's decision of Thursday 1 July 2027 after the "
        "independent review"
    )
    with pytest.raises(ValidationError) as twice:
        services_panel.adm_decide(
            actor=world.adam,
            referral=decision.referral,
            decision=ApprovalChoice.CONTINUE,
            reasons="Again",
            after_review=True,
        )
    assert twice.value.message_dict["decision"] == [
        "Decision: the decision after the review is already recorded (SOC-10)"
    ]


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_after_the_review_approval_may_continue_and_the_process_ends(today, world) -> None:
    decision = decided(today, world)
    at(today, D(2027, 6, 1), 10)
    services_panel.review_request_record(
        actor=world.frank, referral=decision.referral, received_on=D(2027, 6, 1)
    )
    services_panel.adm_decide(
        actor=world.adam,
        referral=decision.referral,
        decision=ApprovalChoice.CHANGE_TERMS,
        reasons="Approval for one child only.",
        after_review=True,
    )
    run_scheduled_work(at(today, DAY_28, 0, 5))
    assert status(world) == HouseholdStatus.APPROVED
    assert not ScheduledJob.objects.filter(key__startswith="soc10:").exists()
    assert services_panel.referral_state(decision.referral) == (
        "Decided after the review: Approval continues on changed terms"
    )


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_decision_after_the_review_with_a_child_placed_waits_in_the_job_for_the_move(
    today, world
) -> None:
    decision = decided(today, world)
    at(today, D(2027, 6, 1), 10)
    services_panel.review_request_record(
        actor=world.frank, referral=decision.referral, received_on=D(2027, 6, 1)
    )
    at(today, D(2027, 7, 1), 14)
    services_panel.adm_decide(
        actor=world.adam,
        referral=decision.referral,
        decision=ApprovalChoice.DEREGISTER,
        reasons="The review panel agreed.",
        after_review=True,
    )
    assert status(world) == HouseholdStatus.APPROVED
    job = ScheduledJob.objects.get(key=f"soc10:deregister:{decision.referral_id}")
    assert job.done_at is None
    placement_end(
        actor=world.frank,
        placement=world.placement_own,
        end_on=D(2027, 7, 1),
        end_reason=PlacementEndReason.PLANNED_MOVE,
    )
    run_scheduled_work(at(today, D(2027, 7, 1), 14, 1))
    assert status(world) == HouseholdStatus.DEREGISTERED
    change = world.household_own.status_changes.get(to_status=HouseholdStatus.DEREGISTERED)
    assert change.effective_on == D(2027, 7, 1)


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_decision_after_the_review_before_any_request_is_refused(today, world) -> None:
    decision = decided(today, world)
    with pytest.raises(ValidationError) as refused:
        services_panel.adm_decide(
            actor=world.adam,
            referral=decision.referral,
            decision=ApprovalChoice.DEREGISTER,
            reasons="Now",
            after_review=True,
        )
    assert refused.value.message_dict["after_review"] == [
        "After the review: SOC-10 a decision after the independent review needs the carer's request for "
        "one, and none is recorded"
    ]
    assert status(world) == HouseholdStatus.APPROVED


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_review_received_on_day_28_is_late_and_after_the_deregistration_is_refused(
    today, world
) -> None:
    decision = decided(today, world)
    child_moved(world)
    at(today, DAY_28, 0, 1)  # the job has not run yet
    with pytest.raises(ValidationError) as late:
        services_panel.review_request_record(
            actor=world.frank, referral=decision.referral, received_on=DAY_28
        )
    assert late.value.message_dict["received_on"] == [
        "Date the request was received: SOC-10 the 28 days to ask for a review ended on Tuesday 15 June 2027"
    ]
    run_scheduled_work(at(today, DAY_28, 0, 5))
    assert status(world) == HouseholdStatus.DEREGISTERED
    at(today, DAY_28, 9)
    with pytest.raises(ValidationError) as after:
        services_panel.review_request_record(
            actor=world.frank, referral=decision.referral, received_on=DAY_27
        )
    assert after.value.message_dict["referral"] == [
        "Review request: SOC-10 the household's approval has already ended on Wednesday 16 June 2027; a "
        "review can no longer stop it"
    ]
    assert not ReviewRequest.objects.exists()


@pytest.mark.parametrize("today", [ARRANGED], indirect=True)
def test_soc10_a_review_is_recorded_once_by_a_fostering_manager_after_the_decision(today, world) -> None:
    referral = recommended(today, world)
    with pytest.raises(ValidationError) as no_decision:
        services_panel.review_request_record(actor=world.frank, referral=referral, received_on=PANEL_ON)
    assert no_decision.value.message_dict["referral"] == [
        "Review request: SOC-10 a review is of the panel and the agency decision maker's decision, and there "
        "is no decision yet"
    ]
    at(today, DECIDED_ON, 11)
    services_panel.adm_decide(
        actor=world.adam, referral=referral, decision=ApprovalChoice.DEREGISTER, reasons="I agree."
    )
    for someone in (world.sam, world.fiona, world.adam, world.pat, world.carol):
        with pytest.raises(PermissionDenied):
            services_panel.review_request_record(actor=someone, referral=referral, received_on=DECIDED_ON)
    with pytest.raises(ValidationError) as before:
        services_panel.review_request_record(actor=world.frank, referral=referral, received_on=D(2027, 5, 18))
    assert before.value.message_dict["received_on"] == [
        "Date the request was received: it cannot be before the decision on Wednesday 19 May 2027 (SOC-10)"
    ]
    services_panel.review_request_record(actor=world.helen, referral=referral, received_on=DECIDED_ON)
    with pytest.raises(ValidationError) as twice:
        services_panel.review_request_record(actor=world.frank, referral=referral, received_on=DECIDED_ON)
    assert twice.value.message_dict["referral"] == [
        "Review request: SOC-10 the carer's request for a review is already recorded"
    ]
