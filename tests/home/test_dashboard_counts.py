"""Every number on a manager's dashboard links to the list of exactly the tasks it counts."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def stats(body: str) -> list[tuple[str, str, str]]:
    """The dashboard's headline numbers: (number, what it counts, the link)."""
    found = re.findall(
        r'<p class="govuk-body app-stat"><a [^>]*href="([^"]+)"><span class="app-stat__number">(\d+)</span> (\w+)',
        body,
    )
    return [(number, label, html.unescape(href)) for href, number, label in found]


def listed(client, href: str) -> list[str]:
    response = client.get(href)
    assert response.status_code == 200
    return [task.title for task in response.context["page_obj"]]


@pytest.mark.parametrize(
    ("username", "tasks_url", "open_titles"),
    [
        # fiona manages the Patel household's team; frank sees the whole service.
        ("fiona", "/tasks/team/", ["A test duty", "Late one", "Later one", "Late two"]),
        ("frank", "/tasks/service/", ["A test duty", "A test duty", "Late one", "Later one", "Late two"]),
    ],
)
def test_the_overdue_and_open_numbers_link_to_those_tasks(
    world, client_for, username, tasks_url, open_titles
):
    today = timezone.localdate()
    team = world.fostering_team
    TaskFactory(service=world.service, team=team, title="Late one", due_on=today - dt.timedelta(days=3))
    TaskFactory(service=world.service, team=team, title="Late two", due_on=today - dt.timedelta(days=1))
    TaskFactory(service=world.service, team=team, title="Later one", due_on=today + dt.timedelta(days=20))
    TaskFactory(
        service=world.service,
        team=team,
        title="Done already",
        due_on=today - dt.timedelta(days=9),
        status="done",
    )
    client = client_for(world.users[username])
    overdue, open_ = stats(client.get("/").content.decode())
    assert overdue == ("2", "overdue", f"{tasks_url}?status=open&when=overdue")
    assert open_ == (str(len(open_titles)), "open", f"{tasks_url}?status=open")
    assert listed(client, overdue[2]) == ["Late one", "Late two"]
    assert sorted(listed(client, open_[2])) == sorted(open_titles)
