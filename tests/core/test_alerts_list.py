"""Alerts name what they are about in the app (never in e-mails), mark what is urgent, link to it,
and can all be marked read at once (rules: Everywhere; decision 0025)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from safecare.core.models import AccessLog, Notification, TaskStatus
from safecare.core.notifications import is_urgent, notify
from tests.conftest import sign_in
from tests.factories import TaskFactory

# Tuesday 1 December 2026, 10:00 in London.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _task(world, due_on, **fields):  # type: ignore[no-untyped-def]
    return TaskFactory(
        service=world.service, owner=world.sam, household=world.household_own, due_on=due_on, **fields
    )


def _alert(world, *, kind, task=None, key, household=None):  # type: ignore[no-untyped-def]
    (notification,) = notify(
        service=world.service,
        recipients=[world.sam],
        kind=kind,
        subject="A foster carer has sent an immediate notice",
        reference="T-000123",
        url=f"/tasks/{task.pk}/" if task else "/alerts/",
        dedupe_key=key,
        rule_id="SC-8",
        task=task,
        household=household,
    )
    return notification


def test_an_alert_takes_its_household_from_its_task(clock, world) -> None:
    notification = _alert(world, kind="immediate_notice", task=_task(world, TODAY), key="a")
    assert notification.household == world.household_own


def test_the_list_names_the_household_and_the_kind_and_links_to_the_thing(clock, world) -> None:
    task = _task(world, TODAY)
    _alert(world, kind="immediate_notice", task=task, key="a")
    page = sign_in(Client(), world.sam).get("/alerts/").content.decode()
    assert f'<a class="govuk-link" href="/tasks/{task.pk}/">Patel household: Immediate notice</a>' in page


def test_an_alert_about_no_household_names_only_its_kind(clock, world) -> None:
    _alert(world, kind="sign_in_failures", key="b")
    page = sign_in(Client(), world.sam).get("/alerts/").content.decode()
    assert '<a class="govuk-link" href="/alerts/">Your account</a>' in page


def test_the_email_names_neither_the_household_nor_anyone(
    clock, world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _alert(world, kind="immediate_notice", task=_task(world, TODAY), key="a")
    (message,) = mail.outbox
    for text in (message.subject, message.body):
        assert "Patel" not in text
        assert "household" not in text.lower()


@pytest.mark.parametrize(
    "kind,due,status,urgent",
    [
        ("immediate_notice", dt.date(2026, 12, 4), TaskStatus.OPEN, True),  # an immediate notice, still open
        ("immediate_notice", dt.date(2026, 12, 1), TaskStatus.DONE, False),  # responded to
        ("change_notice", dt.date(2026, 12, 1), TaskStatus.OPEN, True),  # due today
        ("change_notice", dt.date(2026, 11, 30), TaskStatus.OPEN, True),  # overdue
        ("change_notice", dt.date(2026, 12, 2), TaskStatus.OPEN, False),  # due tomorrow
        ("change_notice", dt.date(2026, 11, 30), TaskStatus.DONE, False),  # done late: nothing to do today
    ],
)
def test_an_alert_is_urgent_while_it_asks_for_something_today(
    clock, world, kind, due, status, urgent
) -> None:
    notification = _alert(world, kind=kind, task=_task(world, due, status=status), key="a")
    assert is_urgent(notification, TODAY) is urgent


def test_an_immediate_notice_without_a_task_is_urgent_until_read(clock, world) -> None:
    notification = _alert(world, kind="immediate_notice", key="a", household=world.household_own)
    assert is_urgent(notification, TODAY) is True
    notification.read_at = NOW
    assert is_urgent(notification, TODAY) is False


def test_an_urgent_alert_shows_a_red_act_today_tag_and_a_later_one_does_not(clock, world) -> None:
    _alert(world, kind="change_notice", task=_task(world, dt.date(2026, 12, 1)), key="today")
    page = sign_in(Client(), world.sam).get("/alerts/").content.decode()
    assert page.count('<strong class="govuk-tag govuk-tag--red">Act today</strong>') == 1
    Notification.objects.filter(dedupe_key="today").delete()
    _alert(world, kind="change_notice", task=_task(world, dt.date(2026, 12, 8), kind="later"), key="later")
    page = sign_in(Client(), world.sam).get("/alerts/").content.decode()
    assert "Act today" not in page


def test_mark_all_as_read_marks_every_own_alert_and_no_one_elses(clock, world) -> None:
    _alert(world, kind="change_notice", task=_task(world, TODAY), key="a")
    _alert(world, kind="sign_in_failures", key="b")
    chris_alert = Notification.objects.create(
        service=world.service,
        recipient=world.chris,
        kind="x",
        subject="s",
        reference="r",
        url="/",
        dedupe_key="c",
    )
    client = sign_in(Client(), world.sam)
    assert "Alerts (3)" in client.get("/").content.decode()
    page = client.get("/alerts/").content.decode()
    assert "Mark all as read</button>" in page
    response = client.post("/alerts/read/", follow=True)
    assert response.redirect_chain == [("/alerts/", 302)]
    page = response.content.decode()
    assert "3 alerts marked as read" in page
    assert "Mark all as read</button>" not in page
    assert not Notification.objects.filter(recipient=world.sam, read_at__isnull=True).exists()
    assert set(Notification.objects.filter(recipient=world.sam).values_list("read_at", flat=True)) == {NOW}
    chris_alert.refresh_from_db()
    assert chris_alert.read_at is None


def test_mark_all_as_read_is_a_post_with_its_csrf_token(world) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), world.sam)
    assert client.get("/alerts/read/").status_code == 405
    assert client.post("/alerts/read/").status_code == 403
    assert Notification.objects.filter(recipient=world.sam, read_at__isnull=True).count() == 1


def test_mark_as_read_on_the_list_stays_on_the_list(world) -> None:
    client = sign_in(Client(), world.sam)
    response = client.post(f"/alerts/{world.notification_own.pk}/open/", {"then": "list"})
    assert response["Location"] == "/alerts/"
    world.notification_own.refresh_from_db()
    assert world.notification_own.read_at is not None


def test_the_list_is_in_the_access_log(clock, world) -> None:
    Notification.objects.filter(pk=world.notification_own.pk).update(created_at=NOW - dt.timedelta(days=1))
    alert = _alert(world, kind="change_notice", task=_task(world, TODAY), key="a")
    sign_in(Client(), world.sam).get("/alerts/")
    entry = AccessLog.objects.get(user=world.sam, path="/alerts/")
    # Newest first, as the page lists them.
    assert (entry.subject_type, entry.listed_ids) == ("notification", [alert.pk, world.notification_own.pk])


def test_links_in_emails_name_the_configured_site_address(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8080"
    with django_capture_on_commit_callbacks(execute=True):
        _alert(world, kind="sign_in_failures", key="a")
    assert "Sign in to see it: http://127.0.0.1:8080/alerts/" in mail.outbox[-1].body
    Client().post("/password-reset/", {"email": world.sam.email}, HTTP_HOST="localhost")
    assert re.search(r"http://127\.0\.0\.1:8080/password-reset/\S+/", mail.outbox[-1].body)


def test_the_migration_gives_existing_alerts_their_tasks_household(world) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("safecare.core.migrations.0014_alert_household_and_nation_names")
    Notification.objects.filter(pk=world.notification_own.pk).update(task=world.task_own, household=None)
    migration.household_from_task(apps, None)
    world.notification_own.refresh_from_db()
    assert world.notification_own.household == world.household_own
