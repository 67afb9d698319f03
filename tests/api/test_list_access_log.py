"""Every read of case content is logged, lists included: one row per request, naming what was returned.

A list of recordings returns their text as surely as a recording's own page does, so
reading a list is a read of each record on it (rules: Everywhere). One access-log row
per request, whatever the number of records, keeps the cost of a page flat.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from safecare.api.views import CaseViewSet
from safecare.config.urls_api import router
from safecare.core.models import AccessLog
from tests.api.helpers import send, url

pytestmark = pytest.mark.django_db

# Every list of case records (the caller's own API tokens are not case content).
API_LISTS = sorted(
    f"{basename}-list"
    for _, viewset, basename in router.registry
    if hasattr(viewset, "list") and issubclass(viewset, CaseViewSet)
)

# The list pages of case content that are not one household's or child's own page
# (those log the household or child they show).
PAGE_LISTS = {
    "households:list": "household",
    "households:child_list": "child",
    "notices:breaches": "carearrangement",
    "tasks:mine": "task",
    "tasks:service": "task",
}


@pytest.mark.parametrize("name", API_LISTS)
def test_each_api_list_writes_one_row_naming_the_records_returned(world, client_for, name: str) -> None:
    client = client_for(world.frank)
    before = AccessLog.objects.count()
    response = send(client, "GET", url(name))
    assert response.status_code == 200
    returned = [row["id"] for row in response.json()["results"]]
    rows = list(AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - before])
    assert len(rows) == 1
    (row,) = rows
    assert row.user_id == world.frank.pk and row.via_api
    assert row.subject_id is None
    assert row.listed_ids == returned
    assert row.path == url(name)


def test_a_carer_reading_recordings_is_logged_with_what_she_read(world, client_for) -> None:
    response = send(client_for(world.carol), "GET", url("recording-list"))
    row = AccessLog.objects.order_by("-id").first()
    assert row is not None and row.user_id == world.carol.pk
    assert row.subject_type == "recording"
    assert row.listed_ids == [r["id"] for r in response.json()["results"]]


def test_an_api_list_costs_one_row_however_long(world, client_for) -> None:
    client = client_for(world.frank)
    before = AccessLog.objects.count()
    send(client, "GET", url("device-list"))
    send(client, "GET", url("task-list"))
    assert AccessLog.objects.count() - before == 2


@pytest.mark.parametrize(("name", "kind"), sorted(PAGE_LISTS.items()))
def test_each_list_page_writes_one_row_naming_the_records_shown(
    world, client_for, name: str, kind: str
) -> None:
    before = AccessLog.objects.count()
    response = client_for(world.frank).get(reverse(name))
    assert response.status_code == 200
    rows = list(AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - before])
    assert len(rows) == 1
    (row,) = rows
    assert row.subject_type == kind and row.user_id == world.frank.pk and not row.via_api
    if name == "tasks:mine":
        inbox = response.context["inbox"]
        shown = [*inbox.overdue, *inbox.this_week, *inbox.later]
    else:
        shown = list(response.context["page_obj"])
    assert row.listed_ids == [item.pk for item in shown]
