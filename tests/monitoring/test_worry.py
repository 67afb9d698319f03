"""IM-1: anyone caring for a young person tells their social worker of a worry about their
internet use; the social worker is alerted now and the assessment is due the same day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import Notification, Task, TaskStatus
from safecare.households.models import Allocation
from safecare.monitoring import services_assess as services
from safecare.monitoring.duties import ASSESS
from safecare.monitoring.models import Assessment, RiskKind, RiskLevel, Worry

pytestmark = pytest.mark.django_db

D = dt.date


def tell(world: Any, *, by: Any = None, child: Any = None, **kwargs: Any) -> Worry:
    """A worry about Xavier (child_own), told by his carer Carol."""
    values: dict[str, Any] = {
        "child": child or world.child_own,
        "risk": RiskKind.FROM_OTHERS,
        "details": "An adult he met in a game asks him to keep their chats secret.",
        "noticed_on": D(2027, 3, 12),
    }
    values.update(kwargs)
    return services.worry_record(actor=by or world.carol, **values)


def assess(world: Any, worry: Worry, *, by: Any = None, **kwargs: Any) -> Assessment:
    values: dict[str, Any] = {
        "assessed_on": timezone.localdate(),
        "young_person_took_part": True,
        "family": "",
        "officers": "PC Adams, exploitation team",
        "carers": "Carol Patel",
        "findings": "Grooming: the adult sent gifts and asked for photographs.",
        "level": RiskLevel.SIGNIFICANT,
    }
    values.update(kwargs)
    return services.assessment_record(actor=by or world.chris, worry=worry, **values)


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im1_a_carers_worry_alerts_the_social_worker_now_and_the_assessment_is_due_today(
    today, world, mailoutbox
) -> None:
    worry = tell(world)

    task = Task.objects.get(kind=ASSESS)
    assert (task.child, task.owner, task.rule_id, task.status) == (
        world.child_own,
        world.chris,
        "IM-2",
        TaskStatus.OPEN,
    )
    assert task.due_on == D(2027, 3, 15)  # "immediately": the same day
    assert "immediately" in task.due_basis and "IM-1" in task.due_basis
    alert = Notification.objects.get(kind="im_worry")
    assert (alert.recipient, alert.rule_id, alert.task) == (world.chris, "IM-1", task)
    assert alert.url == f"/internet-monitoring/worries/{worry.pk}/"
    assert worry.raised_by == world.carol and worry.reference == f"IW-{worry.pk:06d}"


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im1_the_alert_e_mail_holds_no_personal_data(
    today, world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world)
    (message,) = mail.outbox
    text = message.subject + message.body
    for personal in ("Xavier", "Smith", "Carol", "Patel", "game", "photographs", "secret"):
        assert personal not in text
    assert message.to == [world.chris.email]


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im1_with_no_social_worker_the_childrens_team_manager_is_told_and_owns_the_assessment(
    today, world
) -> None:
    Allocation.objects.filter(child=world.child_own).delete()
    tell(world)
    task = Task.objects.get(kind=ASSESS)
    assert (task.owner, task.due_on) == (world.tom, D(2027, 3, 15))
    assert list(
        Notification.objects.filter(kind="im_worry").values_list("recipient__username", flat=True)
    ) == ["tom"]


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im1_the_ssw_the_social_worker_and_managers_may_tell_a_worry_too(today, world) -> None:
    for person in (world.sam, world.fiona, world.chris, world.tom, world.sue):
        tell(world, by=person)
    assert Worry.objects.count() == 5
    assert (
        Task.objects.filter(kind=ASSESS, status=TaskStatus.OPEN).count() == 1
    )  # one duty open per young person
    # The social worker telling it is not alerted by their own worry.
    assert Notification.objects.filter(kind="im_worry").count() == 4


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im1_only_for_a_young_person_the_person_cares_for(today, world) -> None:
    for outsider, child in (
        (world.oscar, world.child_own),  # another household's carer
        (world.carol, world.child_other),
        (world.frank, world.child_own),  # a fostering manager has no part (decision 0043)
        (world.helen, world.child_own),
        (world.olga, world.child_own),
    ):
        with pytest.raises(PermissionDenied):
            tell(world, by=outsider, child=child)
    assert not Worry.objects.exists()


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im1_refusals_name_the_field_and_the_rule(today, world) -> None:
    with pytest.raises(ValidationError) as refused:
        tell(world, risk="", details="  ", noticed_on=D(2027, 3, 16))
    assert refused.value.message_dict == {
        "risk": ["What is the worry?: choose a risk to the young person or to others (IM-1)"],
        "details": ["What have you seen or been told?: say what you have seen or been told (IM-1)"],
        "noticed_on": ["When did you notice it?: it cannot be in the future (IM-1)"],
    }
    assert not Worry.objects.exists() and not Task.objects.filter(kind=ASSESS).exists()


@pytest.mark.parametrize("today", ["Tuesday 16 March 2027"], indirect=True)
def test_im2_the_assessment_closes_the_duty_and_a_worry_may_be_assessed_again(today, world) -> None:
    worry = tell(world)
    assessment = assess(world, worry, assessed_on=D(2027, 3, 16))
    task = Task.objects.get(kind=ASSESS)
    assert task.status == TaskStatus.DONE and task.completed_by == world.chris
    assert (assessment.child, assessment.worry, assessment.level) == (world.child_own, worry, "significant")
    again = assess(world, worry, assessed_on=D(2027, 3, 16), level=RiskLevel.NOT_SIGNIFICANT)
    assert worry.assessments.count() == 2 and again.level == "not_significant"
