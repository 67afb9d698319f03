"""The compliance figures' API: /api/v1/compliance/figures/ and /api/v1/compliance/duties/ (decision 0049).

The duties are test_report_pages's `known_duties` (1 January to 31 March 2026); the expected
numbers were worked out by hand from that list.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import include, path, reverse
from rest_framework.routers import SimpleRouter

from safecare.compliance import api_report
from safecare.core.models import AccessLog, Task
from tests.compliance.test_report_pages import PERIOD, known_duties
from tests.conftest import sign_in

# The routes as config/urls_api.py registers them (api_report.register), ahead of the others.
_router = SimpleRouter()
api_report.register(_router)
urlpatterns = [
    path("api/v1/", include(_router.urls)),
    path("", include("safecare.config.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.compliance.test_report_api")]


@pytest.fixture
def duties(world: Any) -> dict[str, Task]:
    return known_duties(world)


def _get(client: Any, user: Any, name: str, **params: str) -> Any:
    sign_in(client, user)
    return client.get(reverse(name), params)


def _figures(**counts: Any) -> dict[str, Any]:
    keys = ["due", "on_time", "late", "median_days_late", "worst_days_late", "open", "overdue", "cancelled"]
    return dict(zip(keys, counts["v"], strict=True))


def test_the_figures_as_json(client, world, duties) -> None:
    response = _get(client, world.fiona, "compliance-figures-list", **PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2026-01-01", "to": "2026-03-31"}
    assert body["subject"] == {"team": None, "worker": None, "household": None, "label": ""}
    assert [(p["letters"], p["name"], [r["rule_id"] for r in p["rules"]]) for p in body["policies"]] == [
        ("SC", "Safe care", ["SC-3"]),
        ("DV", "Cameras and microphones", ["DV-3"]),
        ("SOC", "Standards of care", ["SOC-7"]),
    ]
    sc3 = body["policies"][0]["rules"][0]
    assert sc3 == {"rule_id": "SC-3", **_figures(v=[4, 1, 2, 2, 3, 1, 1, 0]), "reasons": []}
    dv3 = body["policies"][1]["rules"][0]
    assert dv3["cancelled"] == 2 and dv3["median_days_late"] is None
    assert sorted((r["reason"], r["count"]) for r in dv3["reasons"]) == [
        ('=HYPERLINK("http://x.example","click")', 1),
        ("The placement ended", 1),
    ]
    assert body["policies"][1]["total"] == _figures(v=[2, 0, 0, None, None, 0, 0, 2])
    assert body["total"] == _figures(v=[7, 1, 3, 3, 10, 1, 1, 2])
    assert body["months"] == [
        {"month": "2026-01", "due": 2, "on_time": 1, "late": 1, "open": 0, "overdue": 0, "cancelled": 0},
        {"month": "2026-02", "due": 2, "on_time": 0, "late": 1, "open": 0, "overdue": 0, "cancelled": 1},
        {"month": "2026-03", "due": 3, "on_time": 0, "late": 1, "open": 1, "overdue": 1, "cancelled": 1},
    ]


def test_the_service_reader_narrows_to_a_household(client, world, duties) -> None:
    body = _get(
        client, world.frank, "compliance-figures-list", household=str(world.household_other.pk), **PERIOD
    ).json()
    assert body["subject"]["household"] == world.household_other.pk
    assert body["total"] == _figures(v=[2, 1, 0, None, None, 1, 1, 0])


def test_the_duties_behind_a_number_with_one_access_log_row(client, world, duties) -> None:
    before = AccessLog.objects.count()
    response = _get(client, world.frank, "compliance-duty-list", rule="SC-3", outcome="late", **PERIOD)
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["results"]]
    assert ids == [duties["sc3_late_3"].pk, duties["sc3_late_1"].pk, duties["sc3_chris_late_1"].pk]
    assert response.json()["results"][0]["reference"] == duties["sc3_late_3"].reference
    assert AccessLog.objects.count() == before + 1
    entry = AccessLog.objects.order_by("-id").first()
    assert entry is not None and (entry.subject_type, entry.listed_ids, entry.via_api) == ("task", ids, True)


def test_a_workers_duties_are_his_own(client, world, duties) -> None:
    response = _get(client, world.sam, "compliance-duty-list", outcome="cancelled", month="2026-03", **PERIOD)
    assert [item["id"] for item in response.json()["results"]] == [duties["dv3_formula"].pk]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "from"),
        ({"to": "2999-01-01"}, "to"),
        ({"from": "2010-01-01", "to": "2025-01-01"}, "from"),
        ({"team": "abc"}, "team"),
        ({"colour": "red"}, "colour"),
    ],
)
@pytest.mark.parametrize("route", ["compliance-figures-list", "compliance-duty-list"])
def test_a_wrong_parameter_is_400_naming_it(client, world, params, name, route) -> None:
    response = _get(client, world.frank, route, **params)
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"outcome": "sideways"}, "outcome"),
        ({"rule": "XX-1"}, "rule"),
        ({"month": "2026-13"}, "month"),
        ({"policy": "ZZ"}, "policy"),
    ],
)
def test_a_wrong_drill_down_parameter_is_400_naming_it(client, world, params, name) -> None:
    response = _get(client, world.frank, "compliance-duty-list", **params)
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize(
    ("reader", "param", "target"),
    [
        ("fiona", "team", "other_fostering_team"),
        ("sam", "household", "household_other"),
        ("frank", "household", "household_south"),
    ],
)
@pytest.mark.parametrize("route", ["compliance-figures-list", "compliance-duty-list"])
def test_a_subject_out_of_reach_is_404(client, world, reader, param, target, route) -> None:
    response = _get(client, getattr(world, reader), route, **{param: str(getattr(world, target).pk)})
    assert response.status_code == 404


@pytest.mark.parametrize("reader", ["carol", "bella", "pat", "adam", "ada"])
@pytest.mark.parametrize("route", ["compliance-figures-list", "compliance-duty-list"])
def test_those_who_read_no_figures_get_404(client, world, reader, route) -> None:
    assert _get(client, world.users[reader], route).status_code == 404


def test_another_services_duties_are_never_counted(client, world, duties) -> None:
    body = _get(client, world.olga, "compliance-figures-list", **PERIOD).json()
    assert body["total"]["due"] == 1
