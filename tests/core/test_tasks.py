"""Tasks: idempotent duties, the inbox sections and dashboards with constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from safecare.core import selectors
from safecare.core.models import Task
from safecare.core.tasks import task_open
from tests.conftest import sign_in
from tests.factories import HouseholdFactory, TaskFactory, UserFactory


def open_duty(world, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "service": world.service,
        "rule_id": "SC-3",
        "kind": "safer_caring_guidance",
        "title": "Give the guidance",
        "due_on": timezone.localdate(),
        "owner": world.sam,
        "household": world.household_own,
    }
    fields.update(overrides)
    return task_open(**fields)


def test_opening_the_same_duty_twice_returns_the_first_task(world) -> None:
    first = open_duty(world)
    second = open_duty(world, due_on=timezone.localdate() + dt.timedelta(days=3))
    assert first.pk == second.pk
    assert Task.objects.filter(kind="safer_caring_guidance").count() == 1


def test_the_database_refuses_a_second_open_task_for_the_same_duty(world) -> None:
    open_duty(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            service=world.service,
            rule_id="SC-3",
            kind="safer_caring_guidance",
            title="dup",
            due_on=timezone.localdate(),
            household=world.household_own,
        )


def test_a_task_takes_its_owners_team(world) -> None:
    assert open_duty(world).team == world.fostering_team


def test_the_inbox_splits_overdue_this_week_and_later(world) -> None:
    today = timezone.localdate()
    for days, kind in [(-3, "a"), (0, "b"), (6, "c"), (7, "d"), (30, "e")]:
        TaskFactory(service=world.service, owner=world.sam, kind=kind, due_on=today + dt.timedelta(days=days))
    inbox = selectors.task_inbox(world.sam, today=today)
    assert [t.kind for t in inbox.overdue] == ["a"]
    assert sorted(t.kind for t in inbox.this_week) == ["b", "c", world.task_own.kind]
    assert [t.kind for t in inbox.later] == ["d", "e"]


def test_my_tasks_page_shows_overdue_tasks_marked(world) -> None:
    TaskFactory(
        service=world.service,
        owner=world.sam,
        title="Late duty",
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    page = sign_in(Client(), world.sam).get("/tasks/").content.decode()
    assert "Late duty" in page and "Overdue" in page


def test_marking_a_reminder_done_records_who_when_and_what_was_done(world) -> None:
    client = sign_in(Client(), world.sam)
    response = client.post(f"/tasks/{world.task_own.pk}/done/", {"note": "Rang the carers"})
    assert response.status_code == 302
    world.task_own.refresh_from_db()
    assert world.task_own.status == "done"
    assert world.task_own.completed_by == world.sam
    assert world.task_own.completed_at is not None
    assert world.task_own.closed_note == "Rang the carers"


def test_a_reminder_is_not_marked_done_without_saying_what_was_done(world) -> None:
    client = sign_in(Client(), world.sam)
    response = client.post(f"/tasks/{world.task_own.pk}/done/", {"note": "  "})
    assert response.status_code == 400
    assert "What was done: say what was done" in response.content.decode()
    world.task_own.refresh_from_db()
    assert world.task_own.status == "open"


def test_the_service_dashboard_filters_by_rule_and_owner(world) -> None:
    TaskFactory(service=world.service, owner=world.asha, rule_id="SC-9", title="Risk assessment")
    client = sign_in(Client(), world.frank)
    page = client.get("/tasks/service/", {"rule_id": "SC-9"}).content.decode()
    assert "Risk assessment" in page and world.task_own.title not in page
    page = client.get("/tasks/service/", {"owner": world.asha.pk}).content.decode()
    assert "Risk assessment" in page


def test_the_dashboard_offers_the_rules_and_owners_of_open_tasks_and_the_current_staff(world) -> None:
    """Decision 0055: the choices never come from the whole history."""
    gone = UserFactory(
        service=world.service, team=world.fostering_team, first_name="Gwen", last_name="Left", is_active=False
    )
    TaskFactory(service=world.service, owner=gone, team=world.fostering_team, rule_id="SC-77", status="done")
    TaskFactory(service=world.service, owner=world.asha, team=world.fostering_team, rule_id="SC-78")
    form = sign_in(Client(), world.fiona).get("/tasks/team/").context["form"]
    rules = [value for value, _ in form.fields["rule_id"].choices]
    owners = [label for _, label in form.fields["owner"].choices]
    assert "SC-78" in rules and "SC-77" not in rules
    assert "Gwen Left" not in owners
    assert world.sam.display_name in owners  # current staff of the team, open tasks or not


def test_the_inbox_reads_the_first_of_each_group_and_counts_them_all(world) -> None:
    today = timezone.localdate()
    for days in (-3, -2, -1, 0, 2, 3, 9, 10, 11):
        TaskFactory(service=world.service, owner=world.asha, due_on=today + dt.timedelta(days=days))
    inbox = selectors.task_inbox(world.asha, today=today, limit=2)
    assert [(t.due_on - today).days for t in inbox.overdue] == [-3, -2]
    assert [(t.due_on - today).days for t in inbox.due_today] == [0]
    assert [(t.due_on - today).days for t in inbox.after_today] == [2, 3]
    assert [(t.due_on - today).days for t in inbox.later] == [9, 10]
    counts = (inbox.overdue_count, inbox.due_today_count, inbox.after_today_count, inbox.later_count)
    assert counts == (3, 1, 2, 3)


def test_the_team_dashboard_shows_only_the_team(world) -> None:
    page = sign_in(Client(), world.fiona).get("/tasks/team/").content.decode()
    assert world.household_own.name in page and world.household_other.name not in page


def _seed_tasks(world, count: int) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    for i in range(count):
        household = HouseholdFactory(service=world.service, team=world.fostering_team)
        TaskFactory(
            service=world.service,
            owner=world.sam,
            team=world.fostering_team,
            household=household,
            due_on=today + dt.timedelta(days=(i % 20) - 10),
        )


@pytest.mark.parametrize(
    "path,username,expected",
    [
        # Session, user (with service, team and unread alerts), two-factor device; then the page.
        ("/tasks/", "sam", 5),
        ("/tasks/team/", "fiona", 8),
        ("/tasks/service/", "frank", 8),
        ("/", "sam", 5),
        ("/", "fiona", 6),
    ],
)
def test_task_pages_cost_the_same_queries_whatever_the_data(
    world, django_assert_max_num_queries, path, username, expected
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = sign_in(Client(), world.users[username])
    _seed_tasks(world, 3)
    client.get(path)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    _seed_tasks(world, 30)
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(small) == expected, [q["sql"] for q in small.captured_queries]
