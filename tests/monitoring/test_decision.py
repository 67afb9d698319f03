"""IM-5, IM-6: the decision whether to monitor and the discussion with the young person; and
where a young person lives when not in a foster placement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from safecare.core.models import Task, TaskStatus
from safecare.monitoring import services_assess as services
from safecare.monitoring.duties import ADVOCATE
from safecare.monitoring.models import Decision, Discussion, Residence, ResidenceKind, RiskLevel

from .test_assessment import evaluate
from .test_worry import assess, tell

pytestmark = pytest.mark.django_db

D = dt.date

TO_MONITOR = {
    "monitor": True,
    "reasons": "He is being groomed; the adult keeps finding new ways to reach him.",
    "less_restrictive_evidence": "Two months of safety work and parental controls did not stop the contact.",
    "legal_and_necessary": "To prevent serious harm to him: section 22 duty to safeguard.",
    "reasonable_and_proportionate": "Only messaging apps, for three months, reviewed monthly.",
}


def decide(world: Any, assessment: Any, *, by: Any = None, **kwargs: Any) -> Decision:
    values = {**TO_MONITOR, "decided_on": timezone.localdate(), **kwargs}
    return services.decision_record(actor=by or world.chris, assessment=assessment, **values)


def evaluated(world: Any, **kwargs: Any) -> Any:
    assessment = assess(world, tell(world), **kwargs)
    evaluate(world, assessment)
    return assessment


def discuss(world: Any, decision: Decision, **kwargs: Any) -> Discussion:
    values: dict[str, Any] = {
        "held_on": timezone.localdate(),
        "young_person_views": "He agrees if it is only the messaging apps.",
        "family": "",
        "family_support": False,
        "advocate_offered": True,
        "advocate_wanted": True,
    }
    values.update(kwargs)
    return services.discussion_record(actor=world.chris, decision=decision, **values)


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_im5_a_decision_needs_an_evaluation_first(today, world) -> None:
    assessment = assess(world, tell(world))
    with pytest.raises(ValidationError) as refused:
        decide(world, assessment)
    assert refused.value.message_dict == {
        "evaluation": [
            "Evaluation: evaluate the assessment with the team manager and the service manager before deciding (IM-4)"
        ]
    }
    evaluate(world, assessment)
    decision = decide(world, assessment)
    assert (
        decision.monitor
        and decision.evaluation.assessment == assessment
        and decision.child == world.child_own
    )


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_im5_to_monitor_is_refused_without_the_evidence_and_both_of_ofsteds_tests_each_named(
    today, world
) -> None:
    assessment = evaluated(world)
    with pytest.raises(ValidationError) as refused:
        decide(
            world,
            assessment,
            reasons="",
            less_restrictive_evidence=" ",
            legal_and_necessary="",
            reasonable_and_proportionate="",
        )
    assert refused.value.message_dict == {
        "reasons": ["Reasons: write the reasons for the decision (IM-5)"],
        "less_restrictive_evidence": [
            "Evidence that less restrictive measures cannot reduce the risk enough: write why less restrictive "
            "measures cannot reduce the risk enough (IM-5)"
        ],
        "legal_and_necessary": [
            "Why it is legal and necessary: write why monitoring is legal and necessary (Ofsted's first test) (IM-5)"
        ],
        "reasonable_and_proportionate": [
            "Why it is reasonable and proportionate: write why monitoring is reasonable and proportionate "
            "(Ofsted's second test) (IM-5)"
        ],
    }
    for missing in ("less_restrictive_evidence", "legal_and_necessary", "reasonable_and_proportionate"):
        with pytest.raises(ValidationError) as one:
            decide(world, assessment, **{missing: ""})
        assert list(one.value.message_dict) == [missing]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_im5_not_to_monitor_needs_only_reasons_and_to_monitor_a_risk_not_significant_is_refused(
    today, world
) -> None:
    assessment = evaluated(world, level=RiskLevel.NOT_SIGNIFICANT)
    with pytest.raises(ValidationError) as refused:
        decide(world, assessment)
    assert list(refused.value.message_dict) == ["monitor"]
    no = decide(
        world,
        assessment,
        monitor=False,
        reasons="Safety work is enough.",
        less_restrictive_evidence="",
        legal_and_necessary="",
        reasonable_and_proportionate="",
    )
    assert not no.monitor and no.reasons == "Safety work is enough."


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_im5_a_decision_is_never_changed(today, world) -> None:
    decision = decide(world, evaluated(world))
    decision.reasons = "Changed afterwards."
    with pytest.raises(DatabaseError), transaction.atomic():
        decision.save()
    assert Decision.objects.get().reasons == TO_MONITOR["reasons"]


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_im5_who_decides(today, world) -> None:
    assessment = evaluated(world)
    assert decide(world, assessment, by=world.tom).decided_by == world.tom
    assert decide(world, assessment, by=world.sue).decided_by == world.sue
    for outsider in (world.helen, world.harry, world.frank, world.fiona, world.sam, world.carol):
        with pytest.raises(PermissionDenied):
            decide(world, assessment, by=outsider)


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_im6_without_family_support_an_advocate_must_be_offered(today, world) -> None:
    decision = decide(world, evaluated(world))
    with pytest.raises(ValidationError) as refused:
        discuss(world, decision, family_support=False, advocate_offered=False, advocate_wanted=False)
    assert refused.value.message_dict == {
        "advocate_offered": [
            "An advocate was recommended to the young person: a young person without family to support them "
            "is offered an advocate (IM-6)"
        ]
    }
    with pytest.raises(ValidationError) as empty:
        discuss(world, decision, held_on=None, young_person_views="", family_support=None)
    assert empty.value.message_dict == {
        "held_on": ["Date of the discussion: give the date (IM-6)"],
        "young_person_views": ["The young person's views: write down what the young person said (IM-6)"],
        "family_support": [
            "The young person has family who can support them in this: answer yes or no (IM-6)"
        ],
    }
    with_family = discuss(
        world,
        decision,
        family="His aunt: supports it.",
        family_support=True,
        advocate_offered=False,
        advocate_wanted=False,
    )
    assert with_family.family_support and not Task.objects.filter(kind=ADVOCATE).exists()


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_im6_an_advocate_wanted_is_due_in_5_working_days_and_closes_only_when_recorded(today, world) -> None:
    discussion = discuss(world, decide(world, evaluated(world)))
    task = Task.objects.get(kind=ADVOCATE)
    # Thursday 25 March 2027 + 5 working days, Good Friday (26) and Easter Monday (29) between:
    # 30, 31 March, 1, 2 April, then Monday 5 April 2027.
    assert (task.owner, task.due_on, task.rule_id, task.status) == (
        world.chris,
        D(2027, 4, 5),
        "IM-6",
        TaskStatus.OPEN,
    )

    with pytest.raises(ValidationError) as refused:
        services.advocate_arranged(
            actor=world.chris, discussion=discussion, advocate=" ", arranged_on=D(2027, 3, 24)
        )
    assert refused.value.message_dict == {
        "advocate": ["The advocate: give the advocate's name and organisation (IM-6)"],
        "advocate_arranged_on": [
            "Date the advocate was arranged: it cannot be before the discussion on Thursday 25 March 2027 (IM-6)"
        ],
    }
    assert Task.objects.get(kind=ADVOCATE).status == TaskStatus.OPEN

    services.advocate_arranged(
        actor=world.chris,
        discussion=discussion,
        advocate="Ana Cole, Voices Advocacy",
        arranged_on=D(2027, 3, 25),
    )
    assert Task.objects.get(kind=ADVOCATE).status == TaskStatus.DONE
    discussion.refresh_from_db()
    assert (discussion.advocate, discussion.advocate_arranged_on) == (
        "Ana Cole, Voices Advocacy",
        D(2027, 3, 25),
    )
    with pytest.raises(ValidationError) as twice:
        services.advocate_arranged(
            actor=world.chris, discussion=discussion, advocate="B", arranged_on=D(2027, 3, 25)
        )
    assert twice.value.message_dict == {"advocate": ["The advocate: the advocate is already recorded (IM-6)"]}


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_im6_no_discussion_of_a_decision_not_to_monitor_and_no_advocate_nobody_wanted(today, world) -> None:
    assessment = evaluated(world)
    no = decide(world, assessment, monitor=False, reasons="Not needed.")
    with pytest.raises(ValidationError) as refused:
        discuss(world, no)
    assert list(refused.value.message_dict) == ["decision"]
    discussion = discuss(world, decide(world, assessment), advocate_wanted=False)
    with pytest.raises(ValidationError) as unwanted:
        services.advocate_arranged(
            actor=world.chris, discussion=discussion, advocate="A", arranged_on=D(2027, 3, 25)
        )
    assert unwanted.value.message_dict == {
        "advocate": ["The advocate: the young person did not want an advocate (IM-6)"]
    }
    with pytest.raises(PermissionDenied):  # the social worker discusses it with the young person
        services.discussion_record(
            actor=world.tom,
            decision=discussion.decision,
            held_on=D(2027, 3, 25),
            young_person_views="x",
            family_support=True,
        )


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_where_a_young_person_lives_with_a_host_household_and_no_overlap(today, world) -> None:
    lodging = services.residence_record(
        actor=world.chris,
        child=world.child_own,
        kind=ResidenceKind.SUPPORTED_LODGINGS,
        provider="Mrs Jones",
        household=world.household_other,
        address_kind="A room in the host's home",
        from_on=D(2027, 3, 1),
    )
    assert (lodging.household, lodging.to_on, lodging.recorded_by) == (
        world.household_other,
        None,
        world.chris,
    )
    with pytest.raises(ValidationError) as refused:
        services.residence_record(
            actor=world.tom,
            child=world.child_own,
            kind="hotel",
            provider="",
            address_kind="",
            from_on=D(2027, 3, 10),
        )
    assert refused.value.message_dict == {
        "kind": ["Where they live: choose where the young person lives (IM, where the young person lives)"],
        "provider": ["Provider: give the provider's or host's name (IM, where the young person lives)"],
        "address_kind": [
            "Kind of address: say what kind of address it is (IM, where the young person lives)"
        ],
        "from_on": [
            "From: the young person already lives somewhere recorded from Monday 1 March 2027 "
            "(IM, where the young person lives)"
        ],
    }
    with pytest.raises(ValidationError) as backwards:
        services.residence_record(
            actor=world.sue,
            child=world.child_other,
            kind=ResidenceKind.SUPPORTED_ACCOMMODATION,
            provider="Northway Housing",
            address_kind="A flat",
            from_on=D(2027, 3, 10),
            to_on=D(2027, 3, 9),
        )
    assert list(backwards.value.message_dict) == ["to_on"]
    for outsider in (world.carol, world.sam, world.helen, world.frank, world.fiona):
        with pytest.raises(PermissionDenied):
            services.residence_record(
                actor=outsider,
                child=world.child_own,
                kind=ResidenceKind.OTHER,
                provider="X",
                address_kind="Y",
                from_on=D(2027, 3, 10),
            )
    assert Residence.objects.count() == 1
