"""IM-7, IM-8: the monitoring agreement, through the services (safecare.monitoring.services_agree).

Xavier (child_own) is placed with the Patel household (carol); chris is his social worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from safecare.core.models import Notification, ScheduledJob, Task, TaskStatus
from safecare.monitoring import services_agree as services
from safecare.monitoring.duties import REVIEW
from safecare.monitoring.models import (
    Agreement,
    AgreementEnd,
    Assessment,
    Decision,
    EndReason,
    Evaluation,
    RiskKind,
    RiskLevel,
    Signatory,
    Worry,
)

MONDAY_15_MARCH_2027 = pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)


def decision_for(
    world: Any, child: Any = None, *, monitor: bool = True, decided_on: dt.date = dt.date(2026, 10, 1)
) -> Decision:
    """IM-1 to IM-5 made directly with the models: a worry, its assessment, evaluation and decision."""
    child = child or world.child_own
    service = child.service
    worry = Worry.objects.create(
        service=service,
        child=child,
        risk=RiskKind.FROM_OTHERS,
        details="Messages from an adult he met in a game, asking to meet.",
        noticed_on=decided_on - dt.timedelta(days=20),
        raised_by=world.carol,
    )
    assessment = Assessment.objects.create(
        service=service,
        child=child,
        worry=worry,
        assessed_on=decided_on - dt.timedelta(days=14),
        young_person_took_part=True,
        findings="Grooming: the adult asks for photographs.",
        level=RiskLevel.SIGNIFICANT,
        recorded_by=world.chris,
    )
    evaluation = Evaluation.objects.create(
        service=service,
        assessment=assessment,
        evaluated_on=decided_on - dt.timedelta(days=3),
        team_manager=world.tom,
        service_manager=world.sue,
        summary="The risk is significant and continuing.",
        legal_advice_taken=False,
        legal_advice_reasons="The young person agrees.",
        recorded_by=world.chris,
    )
    return Decision.objects.create(
        service=service,
        child=child,
        evaluation=evaluation,
        monitor=monitor,
        reasons="Blocking and education have not stopped the contact.",
        less_restrictive_evidence="Three months of education and blocking; the contact went on.",
        legal_and_necessary="To prevent significant harm.",
        reasonable_and_proportionate="Time-limited, with a plan to end it.",
        decided_on=decided_on,
        decided_by=world.tom,
    )


PARTS = {
    "what": "Messages and friend requests on his phone's games and social media apps.",
    "how": "A parental-control app reports new contacts weekly.",
    "by_whom": "His carer, Carol, with his social worker.",
    "who_sees": "Carol and his social worker; nobody else.",
    "action_plan": "Weekly online-safety sessions; from the second month he checks new contacts himself.",
}


def young_person_signs(world: Any, decision: Decision, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "actor": world.chris,
        "child": decision.child,
        "decision": decision,
        "starts_on": dt.date(2027, 3, 1),
        "ends_on": dt.date(2027, 9, 1),
        **PARTS,
        "signatory": Signatory.YOUNG_PERSON,
        "signed_on": dt.date(2027, 2, 26),
        "gillick_assessed_on": dt.date(2027, 2, 24),
        "gillick_assessment": "He understands what is monitored, why, and that he may ask for a review.",
    }
    values.update(overrides)
    return values


def agree(world: Any, decision: Decision | None = None, **overrides: Any) -> Agreement:
    return services.agreement_record(
        **young_person_signs(world, decision or decision_for(world), **overrides)
    )


def refusal(world: Any, **overrides: Any) -> dict[str, list[str]]:
    decision = overrides.pop("decision", None) or decision_for(world)
    with pytest.raises(ValidationError) as refused:
        services.agreement_record(**young_person_signs(world, decision, **overrides))
    return refused.value.message_dict


# IM-7: who signs ----------------------------------------------------------------------------------


@MONDAY_15_MARCH_2027
def test_im7_a_gillick_competent_young_person_alone_signs_and_monitoring_is_scheduled_to_end(
    today, world
) -> None:
    agreement = agree(world)
    assert agreement.signatory == Signatory.YOUNG_PERSON
    assert agreement.signed_by_name == "Xavier Smith"
    assert agreement.gillick_assessed_on == dt.date(2027, 2, 24)
    # IM-8: the end job falls due at the start of the end date, London time.
    job = ScheduledJob.objects.get(key=f"im8:agreement:{agreement.pk}:end")
    assert job.kind == "im_agreement_end"
    assert job.due_at == dt.datetime(2027, 9, 1, 0, 0, tzinfo=ZoneInfo("Europe/London"))
    # IM-9: the first review, one month after monitoring started, is chris's.
    task = Task.objects.get(kind=REVIEW, child=world.child_own, status=TaskStatus.OPEN)
    assert (task.owner, task.due_on, task.rule_id) == (world.chris, dt.date(2027, 4, 1), "IM-9")
    # The carers read it: carol is told; the subject names nobody.
    alerts = Notification.objects.filter(kind="im_agreement")
    assert [n.recipient for n in alerts] == [world.carol]
    assert "Xavier" not in alerts[0].subject


@MONDAY_15_MARCH_2027
def test_im7_the_young_person_cannot_sign_alone_without_the_competence_assessment(today, world) -> None:
    errors = refusal(world, gillick_assessment="", gillick_assessed_on=None)
    assert "IM-7" in errors["gillick_assessment"][0]
    assert "IM-7" in errors["gillick_assessed_on"][0]
    assert not Agreement.objects.exists()


@MONDAY_15_MARCH_2027
def test_im7_the_competence_is_assessed_before_signing_and_not_in_the_future(today, world) -> None:
    errors = refusal(world, gillick_assessed_on=dt.date(2027, 2, 27))
    assert (
        "IM-7" in errors["gillick_assessed_on"][0]
        and "Friday 26 February 2027" in errors["gillick_assessed_on"][0]
    )
    errors = refusal(world, gillick_assessed_on=dt.date(2027, 3, 16))
    assert errors["gillick_assessed_on"] == [
        "Date of the Gillick competence assessment: cannot be in the future"
    ]
    # On the day of signing is fine.
    assert agree(world, gillick_assessed_on=dt.date(2027, 2, 26)).pk


@MONDAY_15_MARCH_2027
def test_im7_a_person_with_parental_responsibility_signs(today, world) -> None:
    agreement = agree(
        world,
        signatory=Signatory.PARENTAL_RESPONSIBILITY,
        signed_by_name="Maria Smith",
        relationship="Mother",
        gillick_assessment="",
        gillick_assessed_on=None,
    )
    assert (agreement.signed_by_name, agreement.relationship) == ("Maria Smith", "Mother")
    assert agreement.gillick_assessed_on is None


@MONDAY_15_MARCH_2027
def test_im7_parental_responsibility_needs_the_name_and_the_relationship(today, world) -> None:
    errors = refusal(world, signatory=Signatory.PARENTAL_RESPONSIBILITY, signed_by_name=" ", relationship="")
    assert "IM-7" in errors["signed_by_name"][0]
    assert "IM-7" in errors["relationship"][0]


@MONDAY_15_MARCH_2027
def test_im7_the_local_authority_as_corporate_parent_never_signs(today, world) -> None:
    errors = refusal(world, signatory=Signatory.LOCAL_AUTHORITY, signed_by_name="North Council")
    # The service refuses, naming the rule: the database constraint is never what the user meets.
    assert errors["signatory"][0].startswith(
        "Who signed it: IM-7 the local authority as corporate parent never"
    )
    assert not Agreement.objects.exists()


@MONDAY_15_MARCH_2027
def test_im7_the_database_refuses_the_corporate_parent_too(today, world) -> None:
    agreement = agree(world)
    values = {
        f.attname: getattr(agreement, f.attname) for f in Agreement._meta.concrete_fields if f.name != "id"
    }
    values.update(signatory=Signatory.LOCAL_AUTHORITY, replaces_id=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        Agreement.objects.create(**values)


# IM-5: only after a decision to monitor -------------------------------------------------------------


@MONDAY_15_MARCH_2027
def test_im7_a_decision_not_to_monitor_starts_no_monitoring(today, world) -> None:
    errors = refusal(world, decision=decision_for(world, monitor=False))
    assert "IM-5" in errors["decision"][0]


@MONDAY_15_MARCH_2027
def test_im7_a_decision_about_another_young_person_is_refused(today, world) -> None:
    errors = refusal(world, decision=decision_for(world, world.child_other), child=world.child_own)
    assert "IM-5" in errors["decision"][0]


@MONDAY_15_MARCH_2027
def test_im7_the_agreement_is_signed_after_the_decision(today, world) -> None:
    errors = refusal(world, decision=decision_for(world, decided_on=dt.date(2027, 2, 27)))
    assert "Saturday 27 February 2027" in errors["signed_on"][0]


# IM-8: time-limited, with an action plan -------------------------------------------------------------


@MONDAY_15_MARCH_2027
def test_im8_an_agreement_without_an_end_date_is_refused(today, world) -> None:
    errors = refusal(world, ends_on=None)
    assert errors["ends_on"][0].startswith("Monitoring ends on: IM-8")


@MONDAY_15_MARCH_2027
def test_im8_the_end_date_is_after_the_start(today, world) -> None:
    errors = refusal(world, ends_on=dt.date(2027, 3, 1))
    assert errors["ends_on"] == ["Monitoring ends on: IM-8 must be after the day monitoring starts"]


@MONDAY_15_MARCH_2027
def test_im8_an_end_date_already_past_is_refused(today, world) -> None:
    errors = refusal(world, ends_on=dt.date(2027, 3, 15))
    assert errors["ends_on"] == ["Monitoring ends on: IM-8 must be a date still to come"]


@MONDAY_15_MARCH_2027
def test_im8_an_agreement_without_an_action_plan_is_refused(today, world) -> None:
    errors = refusal(world, action_plan="  ")
    assert errors["action_plan"][0].startswith(
        "Action plan to replace monitoring with positive measures: IM-8 write the plan"
    )


@pytest.mark.parametrize("field", ["what", "how", "by_whom", "who_sees"])
@MONDAY_15_MARCH_2027
def test_im8_what_how_by_whom_and_who_sees_are_required(today, world, field: str) -> None:
    errors = refusal(world, **{field: ""})
    assert list(errors) == [field]
    assert "IM-8" in errors[field][0]


@MONDAY_15_MARCH_2027
def test_im7_monitoring_starts_only_once_signed(today, world) -> None:
    errors = refusal(world, starts_on=dt.date(2027, 2, 25))
    assert "IM-7" in errors["starts_on"][0] and "Friday 26 February 2027" in errors["starts_on"][0]


@MONDAY_15_MARCH_2027
def test_im7_only_the_young_persons_social_worker_records_it(today, world) -> None:
    decision = decision_for(world)
    for person in (world.tom, world.sue, world.sam, world.carol, world.frank):
        with pytest.raises(PermissionDenied):
            services.agreement_record(**young_person_signs(world, decision, actor=person))
    other = decision_for(world, world.child_other)
    with pytest.raises(PermissionDenied):
        services.agreement_record(**young_person_signs(world, other, child=world.child_other))


@MONDAY_15_MARCH_2027
def test_im7_nothing_edits_an_agreement(today, world) -> None:
    agreement = agree(world)
    agreement.ends_on = dt.date(2028, 3, 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        agreement.save()


# IM-8: one agreement in force: a new one replaces it ------------------------------------------------


@MONDAY_15_MARCH_2027
def test_im8_a_new_agreement_replaces_the_one_in_force(today, world) -> None:
    decision = decision_for(world)
    first = agree(world, decision)
    second = agree(
        world,
        decision,
        starts_on=dt.date(2027, 3, 15),
        ends_on=dt.date(2027, 12, 15),
        signed_on=dt.date(2027, 3, 12),
        what="Only social media messages.",
    )
    assert second.replaces == first
    end = AgreementEnd.objects.get(agreement=first)
    assert (end.reason, end.ended_on, end.recorded_by) == (
        EndReason.REPLACED,
        dt.date(2027, 3, 15),
        world.chris,
    )
    # The old end job is gone; the new one waits.
    assert not ScheduledJob.objects.filter(key=f"im8:agreement:{first.pk}:end").exists()
    assert ScheduledJob.objects.filter(key=f"im8:agreement:{second.pk}:end", done_at__isnull=True).exists()
    # The first review of the new agreement: one month after it starts.
    open_reviews = Task.objects.filter(kind=REVIEW, child=world.child_own, status=TaskStatus.OPEN)
    assert [(t.due_on, t.title) for t in open_reviews] == [
        (dt.date(2027, 4, 15), f"Review internet monitoring agreement {second.reference}")
    ]
    cancelled = Task.objects.get(kind=REVIEW, child=world.child_own, status=TaskStatus.CANCELLED)
    assert cancelled.closed_note.startswith(
        f"IM-9: agreement {first.reference} ended on Monday 15 March 2027"
    )
    # Nobody is told the old one ended: they are told of the new one.
    assert not Notification.objects.filter(kind="im_agreement_ended").exists()
    assert Notification.objects.filter(kind="im_agreement", recipient=world.carol).count() == 2


@MONDAY_15_MARCH_2027
def test_im8_a_replacement_cannot_start_before_the_agreement_it_replaces(today, world) -> None:
    decision = decision_for(world)
    agree(world, decision)
    errors = refusal(world, decision=decision, starts_on=dt.date(2027, 2, 28), signed_on=dt.date(2027, 2, 26))
    assert "IM-8" in errors["starts_on"][0] and "Monday 1 March 2027" in errors["starts_on"][0]


@MONDAY_15_MARCH_2027
def test_im8_continuing_past_the_end_date_is_a_new_agreement_from_that_date(today, world) -> None:
    decision = decision_for(world)
    first = agree(world, decision)
    following = agree(world, decision, starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2028, 3, 1))
    assert following.replaces is None
    assert not AgreementEnd.objects.exists()  # the first ends by itself on 1 September
    # Its review duty waits until the first ends: one open per young person.
    task = Task.objects.get(kind=REVIEW, child=world.child_own, status=TaskStatus.OPEN)
    assert task.title.endswith(first.reference)
