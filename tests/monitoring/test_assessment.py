"""IM-2 to IM-4: the assessment, the strategy discussion, the panels and the evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import Task, TaskStatus
from safecare.monitoring import services_assess as services
from safecare.monitoring.duties import ASSESS, PLANS_UPDATE
from safecare.monitoring.models import (
    Assessment,
    Evaluation,
    Panel,
    PanelReferral,
    RiskLevel,
    StrategyDiscussion,
)

from .test_worry import assess, tell

pytestmark = pytest.mark.django_db

D = dt.date


def evaluate(world: Any, assessment: Assessment, *, by: Any = None, **kwargs: Any) -> Evaluation:
    values: dict[str, Any] = {
        "evaluated_on": timezone.localdate(),
        "team_manager": world.tom,
        "service_manager": world.sue,
        "summary": "The risk is high and continuing; his phone is the channel.",
        "legal_advice_taken": False,
        "legal_advice_reasons": "The young person agrees; the service's standard advice covers it.",
    }
    values.update(kwargs)
    return services.evaluation_record(actor=by or world.chris, assessment=assessment, **values)


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im2_refusals_name_each_field_and_the_rule_and_keep_the_duty_open(today, world) -> None:
    worry = tell(world)
    with pytest.raises(ValidationError) as refused:
        assess(
            world, worry, assessed_on=D(2027, 3, 14), young_person_took_part=None, findings=" ", level="high"
        )
    assert refused.value.message_dict == {
        "assessed_on": [
            "Date of the assessment: it cannot be before the worry was told on Monday 15 March 2027 (IM-2)"
        ],
        "young_person_took_part": ["The young person took part: answer yes or no (IM-2)"],
        "findings": ["The risks found: write down the risks found (IM-2)"],
        "level": ["Level of risk: say whether the risk of harm is significant (IM-2)"],
    }
    assert Task.objects.get(kind=ASSESS).status == TaskStatus.OPEN


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im2_only_the_young_persons_social_worker_assesses(today, world) -> None:
    worry = tell(world)
    for other in (world.tom, world.sue, world.carol, world.sam, world.helen, world.frank):
        with pytest.raises(PermissionDenied):
            assess(world, worry, by=other)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("today", ["Wednesday 17 March 2027"], indirect=True)
def test_im3_a_strategy_discussion_with_a_manager_for_a_significant_risk(today, world) -> None:
    assessment = assess(world, tell(world))
    held = services.strategy_record(
        actor=world.chris,
        assessment=assessment,
        held_on=D(2027, 3, 17),
        manager=world.tom,
        attendees="PC Adams",
        outcome="Refer to the EFRH panel; carers to keep the phone downstairs at night.",
    )
    assert (held.manager, held.recorded_by) == (world.tom, world.chris)
    by_manager = services.strategy_record(
        actor=world.sue, assessment=assessment, held_on=D(2027, 3, 17), manager=world.sue, outcome="Agreed."
    )
    assert by_manager.manager == world.sue
    with pytest.raises(ValidationError) as refused:
        services.strategy_record(
            actor=world.chris, assessment=assessment, held_on=D(2027, 3, 18), manager=world.fiona, outcome=""
        )
    assert refused.value.message_dict == {
        "held_on": ["Date of the discussion: it cannot be in the future (IM-3)"],
        "manager": [
            "Manager: choose the children's team manager of the young person's team or a service manager (IM-3)"
        ],
        "outcome": ["Outcome: write down what was agreed (IM-3)"],
    }


@pytest.mark.parametrize("today", ["Wednesday 17 March 2027"], indirect=True)
def test_im3_no_strategy_discussion_for_a_risk_found_not_significant_but_a_panel_referral_is_allowed(
    today, world
) -> None:
    assessment = assess(world, tell(world), level=RiskLevel.NOT_SIGNIFICANT)
    with pytest.raises(ValidationError) as refused:
        services.strategy_record(
            actor=world.chris, assessment=assessment, held_on=D(2027, 3, 17), manager=world.tom, outcome="x"
        )
    assert list(refused.value.message_dict) == ["assessment"]
    assert refused.value.message_dict["assessment"][0].endswith("(IM-3)")
    assert not StrategyDiscussion.objects.exists()
    referral = services.panel_refer(
        actor=world.chris, assessment=assessment, panel=Panel.CHANNEL, referred_on=D(2027, 3, 17)
    )
    assert (referral.panel, referral.outcome_on) == ("channel", None)


@pytest.mark.parametrize("today", ["Tuesday 16 March 2027"], indirect=True)
def test_im3_the_panels_outcome_and_minutes_go_on_file_once_and_plans_are_updated_in_5_working_days(
    today, world
) -> None:
    assessment = assess(world, tell(world))
    referral = services.panel_refer(
        actor=world.chris, assessment=assessment, panel=Panel.EFRH, referred_on=D(2027, 3, 16)
    )
    today.move_to(dt.datetime(2027, 3, 25, 10, tzinfo=ZoneInfo("Europe/London")))  # Thursday
    with pytest.raises(ValidationError) as refused:
        services.panel_outcome(
            actor=world.chris, referral=referral, outcome="", outcome_on=D(2027, 3, 15), minutes=""
        )
    assert refused.value.message_dict == {
        "outcome": ["The panel's outcome: write down what the panel decided (IM-3)"],
        "outcome_on": [
            "Date of the outcome: it cannot be before the referral on Tuesday 16 March 2027 (IM-3)"
        ],
        "minutes": ["The panel's minutes: the panel's minutes go on the file (IM-3)"],
    }
    assert not Task.objects.filter(kind=PLANS_UPDATE).exists()

    services.panel_outcome(
        actor=world.chris,
        referral=referral,
        outcome="Police to investigate the adult.",
        outcome_on=D(2027, 3, 24),
        minutes="EFRH panel, 24 March 2027: ...",
    )
    referral.refresh_from_db()
    assert (referral.outcome_on, referral.minutes) == (D(2027, 3, 24), "EFRH panel, 24 March 2027: ...")
    task = Task.objects.get(kind=PLANS_UPDATE)
    # Wednesday 24 March 2027 + 5 working days, Good Friday and Easter Monday between: Friday 2 April.
    assert (task.owner, task.due_on, task.rule_id, task.child) == (
        world.chris,
        D(2027, 4, 2),
        "IM-3",
        world.child_own,
    )
    assert "5 working days" in task.due_basis and "policy sets no deadline" in task.due_basis

    with pytest.raises(ValidationError) as again:
        services.panel_outcome(
            actor=world.chris,
            referral=referral,
            outcome="Changed.",
            outcome_on=D(2027, 3, 25),
            minutes="New.",
        )
    assert again.value.message_dict == {"outcome": ["The panel's outcome: it is already recorded (IM-3)"]}
    assert PanelReferral.objects.get().outcome == "Police to investigate the adult."


@pytest.mark.parametrize("today", ["Wednesday 17 March 2027"], indirect=True)
def test_im4_the_evaluation_names_the_team_and_service_managers_and_why_legal_advice_was_or_was_not_taken(
    today, world
) -> None:
    assessment = assess(world, tell(world))
    evaluation = evaluate(world, assessment)
    assert (evaluation.team_manager, evaluation.service_manager, evaluation.legal_advice_taken) == (
        world.tom,
        world.sue,
        False,
    )
    assert evaluate(world, assessment, by=world.tom, legal_advice_taken=True).recorded_by == world.tom
    with pytest.raises(ValidationError) as refused:
        evaluate(
            world,
            assessment,
            team_manager=world.fiona,  # a fostering team manager, not the young person's team's
            service_manager=world.tom,
            summary="",
            legal_advice_taken=None,
            legal_advice_reasons=" ",
        )
    assert refused.value.message_dict == {
        "team_manager": [
            "Team manager: choose the children's team manager of the young person's team (IM-4)"
        ],
        "service_manager": ["Service manager: choose a service manager (IM-4)"],
        "summary": ["What the evaluation found: write down what the evaluation found (IM-4)"],
        "legal_advice_taken": ["Legal advice was taken: answer yes or no (IM-4)"],
        "legal_advice_reasons": [
            "Why legal advice was, or was not, taken: say why, whether it was taken or not (IM-4)"
        ],
    }
    with pytest.raises(ValidationError) as no_reasons:
        evaluate(world, assessment, legal_advice_taken=True, legal_advice_reasons="")
    assert list(no_reasons.value.message_dict) == ["legal_advice_reasons"]
    assert Evaluation.objects.count() == 2


@pytest.mark.parametrize("today", ["Wednesday 17 March 2027"], indirect=True)
def test_im3_im4_outsiders_are_refused(today, world) -> None:
    assessment = assess(world, tell(world))
    for outsider in (world.helen, world.harry, world.frank, world.fiona, world.sam, world.carol):
        with pytest.raises(PermissionDenied):
            evaluate(world, assessment, by=outsider)
        with pytest.raises(PermissionDenied):
            services.panel_refer(
                actor=outsider, assessment=assessment, panel=Panel.EFRH, referred_on=D(2027, 3, 16)
            )
    with pytest.raises(PermissionDenied):  # the managers hold strategy discussions; the social worker refers
        services.panel_refer(
            actor=world.tom, assessment=assessment, panel=Panel.EFRH, referred_on=D(2027, 3, 16)
        )
