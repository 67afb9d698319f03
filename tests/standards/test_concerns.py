"""SOC-1: a concern is recorded with who raised it and when; the fostering managers hear at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecare.core.models import Notification, Task, TaskStatus
from safecare.standards.duties import ROUTE_DECISION
from safecare.standards.models import Concern, NationalMinimumStandard, RaisedBy
from safecare.standards.nms import NMS_2011
from tests.factories import ServiceFactory

from .conftest import record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_a_concern_asks_a_fostering_manager_for_its_route_the_same_day(today, world) -> None:
    concern = record(world, by=world.chris, received_on=dt.date(2027, 3, 24), children=[world.child_own])
    assert concern.received_on == dt.date(2027, 3, 24)
    assert concern.raised_by_kind == RaisedBy.ROLE
    assert concern.raised_by == "Head teacher, Hill Primary"
    assert concern.recorded_by == world.chris
    assert list(concern.children.all()) == [world.child_own]
    assert {h.history_user for h in concern.history.all()} == {world.chris}
    task = Task.objects.get(kind=ROUTE_DECISION, household=world.household_own)
    assert task.rule_id == "SOC-2"
    assert task.owner == world.frank
    assert task.status == TaskStatus.OPEN
    assert task.due_on == dt.date(2027, 3, 25)  # immediately: the day it is recorded, not the day received
    assert task.due_basis == (
        "the same day as the concern was recorded on Thursday 25 March 2027: the policy says immediately (SOC-1)"
    )


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_the_ssw_and_the_fostering_managers_are_alerted_and_the_e_mail_names_nobody(
    today, world, django_capture_on_commit_callbacks
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern = record(world, by=world.chris, details="Xavier Smith was smacked by Carol Patel.")
    alerted = Notification.objects.filter(kind="soc_concern").order_by("recipient__username")
    assert [n.recipient.username for n in alerted] == ["frank", "sam"]
    assert {n.rule_id for n in alerted} == {"SOC-1"}
    assert {n.household_id for n in alerted} == {world.household_own.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["frank@example.org", "sam@example.org"]
    for message in mail.outbox:
        assert message.subject.startswith("Safecare: A standards of care concern has been recorded (T-")
        text = message.subject + message.body
        for personal in ("Xavier", "Smith", "Carol", "Patel", "smacked", "Hill Primary", concern.reference):
            assert personal not in text


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_the_ssw_who_records_it_is_not_alerted_of_their_own_concern(today, world) -> None:
    record(world, by=world.sam)
    assert list(
        Notification.objects.filter(kind="soc_concern").values_list("recipient__username", flat=True)
    ) == ["frank"]


def test_an_anonymous_concern_keeps_no_name(world) -> None:
    concern = record(world, raised_by_kind=RaisedBy.ANONYMOUS, raised_by="")
    assert concern.anonymous and concern.raised_by == ""
    with pytest.raises(ValidationError) as refused:
        record(world, raised_by_kind=RaisedBy.ANONYMOUS, raised_by="Mrs Green next door")
    assert refused.value.message_dict == {
        "raised_by": ["Their name or role: leave it empty for an anonymous concern (SOC-1)"]
    }


def test_a_concern_names_who_raised_it_unless_anonymous_and_what_was_said_and_when(world) -> None:
    with pytest.raises(ValidationError) as refused:
        record(
            world,
            raised_by_kind=RaisedBy.NAMED,
            raised_by="  ",
            received_on=timezone.localdate() + dt.timedelta(days=1),
            details=" ",
            children=[world.child_other],
        )
    assert refused.value.message_dict == {
        "raised_by": ["Their name or role: say who raised it, or choose anonymous (SOC-1)"],
        "received_on": ["Date the information was received: it cannot be in the future (SOC-1)"],
        "details": ["What was said: write down the concern as it was told (SOC-1)"],
        "children": ["Children involved: only children placed in this household (SOC-1)"],
    }
    assert not Concern.objects.exists()
    assert not Task.objects.filter(kind=ROUTE_DECISION).exists()


@pytest.mark.parametrize("name", ["carol", "bella", "pat", "adam", "ada"])
def test_carers_business_support_panel_adm_and_administrators_do_not_record_concerns(world, name) -> None:
    with pytest.raises(PermissionDenied):
        record(world, by=world.users[name])
    assert not Concern.objects.exists()


def test_a_childs_social_worker_records_a_concern_only_about_a_household_they_see(world) -> None:
    assert record(world, by=world.chris).recorded_by == world.chris
    with pytest.raises(PermissionDenied):
        record(world, by=world.chris, household=world.household_other)


def test_two_concerns_share_one_route_task_due_on_the_first_day(world) -> None:
    record(world)
    record(world, raised_by_kind=RaisedBy.NAMED, raised_by="Mrs Green")
    assert Task.objects.filter(kind=ROUTE_DECISION, household=world.household_own).count() == 1


def test_every_service_has_the_national_minimum_standards_2011_and_a_new_one_gets_them(world) -> None:
    listed = NationalMinimumStandard.objects.filter(service=world.service)
    assert listed.count() == 31
    assert (
        listed.get(number=1).title
        == "The child's wishes and feelings and the views of those significant to them"
    )
    assert listed.get(number=22).title == "Handling allegations and suspicions of harm"
    new = ServiceFactory(name="East Fostering", slug="east")
    assert list(NationalMinimumStandard.objects.filter(service=new).values_list("number", flat=True)) == list(
        range(1, 32)
    )
    assert len(NMS_2011) == 31
