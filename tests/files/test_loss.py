"""PH-6: a lost or stolen camera, phone, prints or storage device is reported from the portal;
each named child's social worker is alerted at once with a task due the same day, and the
household's SSW is told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from safecare.core.models import Notification, Task, TaskStatus
from safecare.core.notifications import is_urgent
from safecare.files import services_photos as services
from safecare.files.duties import LOSS
from safecare.files.models import LossKind, LossReport, LostThing
from safecare.households.models import PlacementEndReason
from tests.factories import ChildFactory, PlacementFactory

pytestmark = pytest.mark.django_db

WEDNESDAY_13_JANUARY_2027 = pytest.mark.parametrize("today", ["Wednesday 13 January 2027"], indirect=True)
SATURDAY_16_JANUARY_2027 = pytest.mark.parametrize("today", ["Saturday 16 January 2027"], indirect=True)


def former_child(world: Any) -> Any:
    """Will, placed with the Patel household before, no social worker allocated, Children East."""
    child = ChildFactory(
        service=world.service, first_name="Will", last_name="Green", team=world.children_team
    )
    PlacementFactory(
        child=child,
        household=world.household_own,
        start_on=dt.date(2026, 1, 5),
        end_on=dt.date(2026, 6, 1),
        end_reason=PlacementEndReason.RETURN_HOME,
    )
    return child


def report(world: Any, children: list[Any], **changes: Any) -> LossReport:
    values: dict[str, Any] = {
        "what": LostThing.PHONE,
        "kind": LossKind.STOLEN,
        "happened_on": dt.date(2027, 1, 12),
        "children": children,
        "details": "Taken from the car.",
        "police_reference": "CR/123/27",
        **changes,
    }
    return services.loss_report_make(actor=world.carol, **values)


@WEDNESDAY_13_JANUARY_2027
def test_ph6_each_childs_social_worker_gets_a_task_due_today_and_an_alert_now(today, world) -> None:
    will = former_child(world)
    made = report(world, [world.child_own, will])
    assert set(made.children.all()) == {world.child_own, will}
    xavier = Task.objects.get(kind=LOSS, child=world.child_own)
    assert xavier.due_on == dt.date(2027, 1, 13) and xavier.owner == world.chris and xavier.rule_id == "PH-6"
    assert "the same day" in xavier.due_basis
    # Will has no social worker: the task stays with his team, its manager is alerted.
    task_will = Task.objects.get(kind=LOSS, child=will)
    assert task_will.due_on == dt.date(2027, 1, 13) and task_will.owner is None
    assert task_will.team == world.children_team
    alerts = {(n.recipient.username, n.task_id) for n in Notification.objects.filter(kind="loss_report")}
    assert alerts == {("chris", xavier.pk), ("tom", task_will.pk), ("sam", None)}
    chris_alert = Notification.objects.get(kind="loss_report", recipient=world.chris)
    assert is_urgent(chris_alert)  # "Act today"
    assert "Xavier" not in chris_alert.subject


@SATURDAY_16_JANUARY_2027
def test_ph6_due_the_same_day_even_on_a_saturday(today, world) -> None:
    report(world, [world.child_own], happened_on=dt.date(2027, 1, 16))
    assert Task.objects.get(kind=LOSS).due_on == dt.date(2027, 1, 16)


@WEDNESDAY_13_JANUARY_2027
def test_ph6_no_child_named_the_ssw_is_still_told(today, world) -> None:
    report(world, [])
    assert not Task.objects.filter(kind=LOSS).exists()
    assert [n.recipient for n in Notification.objects.filter(kind="loss_report")] == [world.sam]


@WEDNESDAY_13_JANUARY_2027
def test_ph6_only_children_placed_with_the_household_now_or_before(today, world) -> None:
    with pytest.raises(ValidationError) as refused:
        report(world, [world.child_other])
    assert "children" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(world, [], happened_on=dt.date(2027, 1, 14))
    assert "happened_on" in refused.value.message_dict


@WEDNESDAY_13_JANUARY_2027
def test_ph6_only_a_carer_reports(today, world) -> None:
    with pytest.raises(PermissionDenied):
        services.loss_report_make(
            actor=world.sam, what="phone", kind="lost", happened_on=dt.date(2027, 1, 12), children=[]
        )


@WEDNESDAY_13_JANUARY_2027
def test_ph6_the_csw_records_what_they_did_which_closes_the_task(today, world) -> None:
    made = report(world, [world.child_own])
    with pytest.raises(ValidationError):
        services.loss_acknowledge(actor=world.chris, report=made, child=world.child_own, actions="")
    ack = services.loss_acknowledge(
        actor=world.chris,
        report=made,
        child=world.child_own,
        actions="Told the birth parents; checked the cloud.",
    )
    assert ack.by == world.chris
    assert Task.objects.get(kind=LOSS).status == TaskStatus.DONE
    assert not is_urgent(Notification.objects.get(kind="loss_report", recipient=world.chris))
    with pytest.raises(ValidationError):  # once per child
        services.loss_acknowledge(actor=world.chris, report=made, child=world.child_own, actions="Again")


@WEDNESDAY_13_JANUARY_2027
def test_ph6_a_second_report_waits_with_its_own_task(today, world) -> None:
    first = report(world, [world.child_own])
    report(world, [world.child_own], what=LostThing.PRINTS, kind=LossKind.LOST)
    assert Task.objects.filter(kind=LOSS, status=TaskStatus.OPEN).count() == 1
    services.loss_acknowledge(actor=world.chris, report=first, child=world.child_own, actions="Done.")
    assert Task.objects.filter(kind=LOSS, status=TaskStatus.OPEN).count() == 1


@WEDNESDAY_13_JANUARY_2027
def test_ph6_the_report_is_append_only(today, world) -> None:
    made = report(world, [])
    with pytest.raises(DatabaseError), transaction.atomic():
        LossReport.objects.filter(pk=made.pk).update(details="changed")


@WEDNESDAY_13_JANUARY_2027
def test_ph6_the_carer_reports_from_the_portal_and_reads_what_happens_next(today, world, client_for) -> None:
    carol = client_for(world.carol)
    form = carol.get(reverse("files:report_loss")).content.decode()
    assert "Xavier Smith" in form
    sent = carol.post(
        reverse("files:report_loss"),
        {
            "what": "phone",
            "kind": "lost",
            "happened_on": "2027-01-12",
            "children": [world.child_own.pk],
        },
    )
    assert sent.status_code == 302
    page = carol.get(sent["Location"]).content.decode()
    assert "Report sent" in page and "What happens next" in page
    assert "The social worker of Xavier has been told now" in page
    assert "Your supervising social worker has been told" in page
    made = LossReport.objects.get()
    chris = client_for(world.chris)
    url = reverse("files:loss_report", kwargs={"pk": made.pk})
    assert "Record what you did" in chris.get(url).content.decode()
    assert chris.post(url, {"child": world.child_own.pk, "actions": "Phoned the carer."}).status_code == 302
    assert Task.objects.get(kind=LOSS).status == TaskStatus.DONE
    assert client_for(world.oscar).get(url).status_code == 404
