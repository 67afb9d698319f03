"""The weekly checks' API: GET /api/v1/compliance/checks/<check>/ (SC-4, SC-5, SC-7, SC-10, DV-*).

The same rows as each check's page, for the same readers, in pages of 50, with one access-log row
naming what was returned. The world and its dates are test_checks's (Thursday 10 December 2026).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from rest_framework.routers import SimpleRouter

from safecare.compliance import api_checks
from safecare.core.models import AccessLog
from tests.compliance.test_checks import SLUGS, _one_of_each, household, supervised

# The fixture that stops the clock, used by name (pytest.mark.usefixtures).
from tests.compliance.test_checks import today as today
from tests.conftest import sign_in

# The route as config/urls_api.py registers it (api_checks.register), ahead of the others.
_router = SimpleRouter()
api_checks.register(_router)
urlpatterns = [
    path("api/v1/", include(_router.urls)),
    path("", include("safecare.config.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.compliance.test_checks_api")]
STOPPED = pytest.mark.usefixtures("today")


def _url(slug: str) -> str:
    return reverse("compliance-check-detail", kwargs={"check": slug})


@STOPPED
def test_the_supervision_check_answers_its_rows(world: Any, client: Any) -> None:
    seven = household(world, "seven weeks")
    supervised(world, seven, dt.date(2026, 10, 22))
    exactly = household(world, "exactly six weeks")
    supervised(world, exactly, dt.date(2026, 10, 29))
    sign_in(client, world.frank)

    response = client.get(_url("supervision"))

    assert response.status_code == 200
    body = response.json()
    assert (body["check"], body["rule_ids"], body["setting"]) == (
        "supervision",
        "SC-10",
        "Supervision every 6 weeks",
    )
    mine = [row for row in body["results"] if row["household_name"].startswith("Check ")]
    assert [(row["household_name"], row["last_supervision"], row["days_since"]) for row in mine] == [
        ("Check seven weeks", "2026-10-22", 49)
    ]
    assert body["count"] == len(body["results"])


@STOPPED
@pytest.mark.parametrize("slug", SLUGS)
def test_each_check_logs_one_row_naming_what_it_returned(world: Any, client: Any, slug: str) -> None:
    _one_of_each(world, world.fostering_team, "ours")
    theirs = _one_of_each(world, world.other_fostering_team, "theirs")
    sign_in(client, world.fiona)
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0

    body = client.get(_url(slug)).json()

    logged = list(AccessLog.objects.filter(id__gt=last))
    kind, key = {
        "child-agreements": ("child", "child_id"),
        "devices": ("device", "device_id"),
    }.get(slug, ("household", "household_id"))
    assert [(e.subject_type, e.listed_ids, e.via_api) for e in logged] == [
        (kind, [row[key] for row in body["results"]], True)
    ]
    assert theirs.pk not in {row["household_id"] for row in body["results"]}


@pytest.mark.parametrize("username", ["carol", "sam", "bella", "chris", "sue", "ada"])
def test_everyone_else_gets_404(world: Any, client: Any, username: str) -> None:
    sign_in(client, world.users[username])
    for slug in SLUGS:
        assert client.get(_url(slug)).status_code == 404


def test_an_unknown_check_is_404_and_anonymous_is_refused(world: Any, client: Any) -> None:
    assert client.get(_url("supervision")).status_code in (401, 403)
    sign_in(client, world.frank)
    assert client.get(_url("nothing")).status_code == 404


@STOPPED
def test_pages_of_fifty_at_the_same_cost(world: Any, client: Any) -> None:
    sign_in(client, world.helen)
    for n in range(2):
        household(world, f"small {n:02d}", approved_on=dt.date(2026, 1, 5))
    client.get(_url("supervision"))
    with CaptureQueriesContext(connection) as small:
        client.get(_url("supervision"))
    for n in range(60):
        household(world, f"large {n:02d}", approved_on=dt.date(2026, 1, 5))
    with CaptureQueriesContext(connection) as large:
        first = client.get(_url("supervision")).json()
    assert len(small) == len(large) <= 10
    assert len(first["results"]) == 50 and first["next"]
    second = client.get(first["next"]).json()
    assert first["count"] == second["count"] == 50 + len(second["results"])
