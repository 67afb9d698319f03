"""The compliance report's pages: the figures by rule, the duties behind each number, the CSV
(decision 0049).

The duties of `known_duties` fell due from 1 January to 31 March 2026; every expected number
below was worked out by hand from that list, not from the code. A duty met on its due date is
on time; days late are calendar days from the due date to the day it was done (in London); an
open duty whose due date has passed is overdue. Each reader's figures count only the duties
they could open: frank the service's, fiona her team's, sam his own, chris his own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.core.models import AccessLog, Task, TaskStatus
from tests.conftest import sign_in
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}
DONE, CANCELLED = TaskStatus.DONE, TaskStatus.CANCELLED
INJECTION = '=HYPERLINK("http://x.example","click")'


def _at(day: dt.date, hour: int = 14) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def known_duties(world: Any) -> dict[str, Task]:
    """Eleven duties of North in the period (and three that must never be counted)."""
    d = dt.date
    team, other_team, children = world.fostering_team, world.other_fostering_team, world.children_team

    def duty(key: str, rule_id: str, due_on: dt.date, *, owner: Any, team: Any, household: Any = None,
             status: str = TaskStatus.OPEN, done_on: dt.date | None = None, note: str = "",
             service: Any = None) -> None:  # fmt: skip
        made[key] = TaskFactory(
            service=service or world.service,
            rule_id=rule_id,
            due_on=due_on,
            owner=owner,
            team=team,
            household=household,
            status=status,
            completed_at=_at(done_on) if done_on else None,
            closed_note=note,
        )

    made: dict[str, Task] = {}
    home = world.household_own
    # Sam's, in fiona's team, at household A.
    duty(
        "sc3_on_time",
        "SC-3",
        d(2026, 1, 15),
        owner=world.sam,
        team=team,
        household=home,
        status=DONE,
        done_on=d(2026, 1, 15),
    )
    duty(
        "sc3_late_3",
        "SC-3",
        d(2026, 1, 20),
        owner=world.sam,
        team=team,
        household=home,
        status=DONE,
        done_on=d(2026, 1, 23),
    )
    duty(
        "sc3_late_1",
        "SC-3",
        d(2026, 2, 10),
        owner=world.sam,
        team=team,
        household=home,
        status=DONE,
        done_on=d(2026, 2, 11),
    )
    duty("sc3_open", "SC-3", d(2026, 3, 2), owner=world.sam, team=team, household=home)
    duty(
        "dv3_ended",
        "DV-3",
        d(2026, 2, 2),
        owner=world.sam,
        team=team,
        household=home,
        status=CANCELLED,
        done_on=d(2026, 1, 30),
        note="The placement ended",
    )
    duty(
        "dv3_formula",
        "DV-3",
        d(2026, 3, 1),
        owner=world.sam,
        team=team,
        household=home,
        status=CANCELLED,
        done_on=d(2026, 2, 20),
        note=INJECTION,
    )
    # Asha's, in fiona's team.
    duty(
        "soc7_late_10",
        "SOC-7",
        d(2026, 3, 10),
        owner=world.asha,
        team=team,
        status=DONE,
        done_on=d(2026, 3, 20),
    )
    # Nobody's, in the other fostering team, at household B.
    duty(
        "sc3_other_open", "SC-3", d(2026, 1, 5), owner=None, team=other_team, household=world.household_other
    )
    duty(
        "soc7_other_on_time",
        "SOC-7",
        d(2026, 2, 15),
        owner=None,
        team=other_team,
        household=world.household_other,
        status=DONE,
        done_on=d(2026, 2, 14),
    )
    # Chris's, in the children's team.
    duty(
        "sc3_chris_late_1",
        "SC-3",
        d(2026, 3, 5),
        owner=world.chris,
        team=children,
        status=DONE,
        done_on=d(2026, 3, 6),
    )
    # Never counted: due the day before and the day after the period; another service's.
    duty("before", "SC-3", d(2025, 12, 31), owner=world.sam, team=team, household=home)
    duty("after", "SC-3", d(2026, 4, 1), owner=world.sam, team=team, household=home)
    duty(
        "south",
        "SC-3",
        d(2026, 2, 1),
        owner=None,
        team=None,
        household=world.household_south,
        service=world.south,
    )
    return made


@pytest.fixture
def duties(world: Any) -> dict[str, Task]:
    return known_duties(world)


def _get(client: Any, user: Any, name: str, **params: str) -> Any:
    sign_in(client, user)
    return client.get(reverse(name), params)


def _figures(response: Any) -> dict[str, list[str]]:
    """The rows of the report's tables, by rule (and policy totals, overall, and months)."""
    rows: dict[str, list[str]] = {}
    for table in response.context["tables"]:
        for line in table.lines:
            rows[line.label] = [cell.value for cell in line.cells]
        rows[table.total.label] = [cell.value for cell in table.total.cells]
    rows["All rules"] = [cell.value for cell in response.context["overall"].cells]
    for line in response.context["months"]:
        rows[line.label] = [cell.value for cell in line.cells]
    return rows


# due, on time, late, median days late, worst days late, open, overdue, cancelled


def test_the_service_reader_sees_every_duty_of_the_service(client, world, duties) -> None:
    response = _get(client, world.frank, "compliance:report", **PERIOD)
    assert response.status_code == 200
    assert _figures(response) == {
        "SC-3": ["6", "1", "3", "1", "3", "2", "2", "0"],
        "Total: Safe care": ["6", "1", "3", "1", "3", "2", "2", "0"],
        "DV-3": ["2", "0", "0", "None", "None", "0", "0", "2"],
        "Total: Cameras and microphones": ["2", "0", "0", "None", "None", "0", "0", "2"],
        "SOC-7": ["2", "1", "1", "10", "10", "0", "0", "0"],
        "Total: Standards of care": ["2", "1", "1", "10", "10", "0", "0", "0"],
        "All rules": ["10", "2", "4", "2", "10", "2", "2", "2"],
        # Month: due, on time, late, open, cancelled
        "January 2026": ["3", "1", "1", "1", "0"],
        "February 2026": ["3", "1", "1", "0", "1"],
        "March 2026": ["4", "0", "2", "1", "1"],
    }
    body = response.content.decode()
    assert "1 January 2026" in body or "Thu 1 Jan 2026" in body
    assert "The placement ended" in body
    assert reverse("compliance:checks") in body and reverse("compliance:packs") in body
    assert "Download these figures as CSV" in body


def test_a_team_manager_sees_her_teams_duties_only(client, world, duties) -> None:
    response = _get(client, world.fiona, "compliance:report", **PERIOD)
    rows = _figures(response)
    assert rows["SC-3"] == ["4", "1", "2", "2", "3", "1", "1", "0"]
    assert rows["DV-3"] == ["2", "0", "0", "None", "None", "0", "0", "2"]
    assert rows["SOC-7"] == ["1", "0", "1", "10", "10", "0", "0", "0"]
    assert rows["All rules"] == ["7", "1", "3", "3", "10", "1", "1", "2"]
    body = response.content.decode()
    assert reverse("compliance:packs") not in body


def test_a_worker_sees_his_own_duties_only(client, world, duties) -> None:
    rows = _figures(_get(client, world.sam, "compliance:report", **PERIOD))
    assert rows["SC-3"] == ["4", "1", "2", "2", "3", "1", "1", "0"]
    assert rows["DV-3"] == ["2", "0", "0", "None", "None", "0", "0", "2"]
    assert "SOC-7" not in rows
    assert rows["All rules"] == ["6", "1", "2", "2", "3", "1", "1", "2"]
    rows = _figures(_get(client, world.chris, "compliance:report", **PERIOD))
    assert rows["All rules"] == ["1", "0", "1", "1", "1", "0", "0", "0"]


def test_the_service_reader_narrows_to_a_team_a_worker_or_a_household(client, world, duties) -> None:
    other = _figures(
        _get(client, world.frank, "compliance:report", team=str(world.other_fostering_team.pk), **PERIOD)
    )
    assert other["All rules"] == ["2", "1", "0", "None", "None", "1", "1", "0"]
    asha = _figures(_get(client, world.frank, "compliance:report", worker=str(world.asha.pk), **PERIOD))
    assert asha["All rules"] == ["1", "0", "1", "10", "10", "0", "0", "0"]
    home = _figures(
        _get(client, world.frank, "compliance:report", household=world.household_own.reference, **PERIOD)
    )
    assert home["All rules"] == ["6", "1", "2", "2", "3", "1", "1", "2"]


def test_the_default_period_is_the_twelve_months_to_today(client, world) -> None:
    response = _get(client, world.frank, "compliance:report")
    choice = response.context["choice"]
    today = response.context["today"]
    assert choice.period.end == today
    year_ago = today.replace(year=today.year - 1)
    assert choice.period.start == year_ago + dt.timedelta(days=1)


def test_an_empty_period_says_so(client, world, duties) -> None:
    response = _get(client, world.frank, "compliance:report", **{"from": "2020-01-01", "to": "2020-01-31"})
    assert "No duties fell due in this period." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2026-03-01", "to": "2026-02-01"}, "from", "Enter a start date on or before the end date"),
        ({"from": "2026-01-01", "to": "2999-01-01"}, "to", "Enter an end date that is today or before"),
        (
            {"from": "2015-03-31", "to": "2025-03-31"},
            "from",
            "Enter a start date no more than 10 years before the end date",
        ),
        (
            {"from_day": "31", "from_month": "2", "from_year": "2026", "to": "2026-03-31"},
            "from",
            "The start date must be a real date",
        ),
        (
            {"from_day": "", "from_month": "", "from_year": "", "to": "2026-03-31"},
            "from",
            "Enter a start date",
        ),
    ],
)
def test_a_wrong_period_is_refused_naming_the_field(client, world, params, field, message) -> None:
    response = _get(client, world.frank, "compliance:report", **params)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    body = response.content.decode()
    assert "There is a problem" in body and message in body


def test_ten_years_exactly_is_allowed(client, world) -> None:
    response = _get(client, world.frank, "compliance:report", **{"from": "2015-04-01", "to": "2025-03-31"})
    assert response.status_code == 200


def test_a_household_named_by_a_name_no_one_can_see_is_refused(client, world) -> None:
    response = _get(client, world.sam, "compliance:report", household="Nowhere household", **PERIOD)
    assert response.status_code == 400
    assert "No household you can see matches" in response.context["form"].errors["household"][0]


@pytest.mark.parametrize(
    ("reader", "param", "target"),
    [
        ("fiona", "team", "other_fostering_team"),
        ("fiona", "worker", "chris"),
        ("fiona", "household", "household_other"),
        ("sam", "worker", "asha"),
        ("sam", "household", "household_other"),
        ("sam", "team", "fostering_team"),
        ("frank", "household", "household_south"),
        ("frank", "worker", "olga"),
    ],
)
@pytest.mark.parametrize("route", ["compliance:report", "compliance:duties", "compliance:figures_csv"])
def test_a_subject_out_of_reach_answers_404(client, world, reader, param, target, route) -> None:
    response = _get(
        client, getattr(world, reader), route, **{param: str(getattr(world, target).pk)}, **PERIOD
    )
    assert response.status_code == 404


@pytest.mark.parametrize("reader", ["carol", "oscar", "bella", "pat", "adam", "ada"])
@pytest.mark.parametrize("route", ["compliance:report", "compliance:duties", "compliance:figures_csv"])
def test_those_who_read_no_figures_get_404(client, world, reader, route) -> None:
    assert _get(client, world.users[reader], route).status_code == 404


def test_each_number_links_to_exactly_the_duties_behind_it(client, world, duties) -> None:
    response = _get(client, world.frank, "compliance:report", **PERIOD)
    sc3 = next(line for table in response.context["tables"] for line in table.lines if line.label == "SC-3")
    late_url = sc3.cells[2].url
    assert "rule=SC-3" in late_url and "outcome=late" in late_url and "from=2026-01-01" in late_url
    listed = client.get(late_url)
    assert listed.status_code == 200
    assert [t.pk for t in listed.context["page_obj"]] == [
        duties["sc3_late_3"].pk,
        duties["sc3_late_1"].pk,
        duties["sc3_chris_late_1"].pk,
    ]
    body = listed.content.decode()
    assert "SC-3: met late, 1 January 2026 to 31 March 2026" in body
    assert reverse("tasks:detail", args=[duties["sc3_late_3"].pk]) in body
    # A zero links nowhere.
    assert sc3.cells[7].value == "0" and sc3.cells[7].url == ""


def test_a_months_number_lists_the_duties_due_that_month(client, world, duties) -> None:
    response = _get(client, world.frank, "compliance:report", **PERIOD)
    march = next(line for line in response.context["months"] if line.label == "March 2026")
    listed = client.get(march.cells[4].url)  # cancelled in March
    assert [t.pk for t in listed.context["page_obj"]] == [duties["dv3_formula"].pk]
    assert INJECTION in listed.content.decode().replace("&quot;", '"')


def test_a_policy_total_lists_its_rules_duties(client, world, duties) -> None:
    listed = _get(client, world.fiona, "compliance:duties", policy="DV", outcome="cancelled", **PERIOD)
    assert [t.pk for t in listed.context["page_obj"]] == [duties["dv3_ended"].pk, duties["dv3_formula"].pk]


def test_the_drill_down_lists_only_what_the_reader_may_open(client, world, duties) -> None:
    listed = _get(client, world.fiona, "compliance:duties", outcome="overdue", **PERIOD)
    assert [t.pk for t in listed.context["page_obj"]] == [duties["sc3_open"].pk]


def test_the_drill_down_writes_one_access_log_row_naming_the_duties(client, world, duties) -> None:
    before = AccessLog.objects.count()
    _get(client, world.frank, "compliance:duties", rule="SC-3", outcome="open", **PERIOD)
    assert AccessLog.objects.count() == before + 1
    entry = AccessLog.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.subject_type, entry.listed_ids, entry.user_id) == (
        "task",
        [duties["sc3_other_open"].pk, duties["sc3_open"].pk],
        world.frank.pk,
    )


@pytest.mark.parametrize(
    "params",
    [
        {"outcome": "sideways"},
        {"rule": "XX-99"},
        {"rule": "SC-3;drop"},
        {"month": "2026-13"},
        {"policy": "ZZ"},
    ],
)
def test_a_drill_down_link_that_is_not_real_answers_404(client, world, params) -> None:
    assert _get(client, world.frank, "compliance:duties", **params, **PERIOD).status_code == 404


def test_the_csv_holds_the_figures_the_months_and_the_reasons_made_safe(client, world, duties) -> None:
    response = _get(client, world.fiona, "compliance:figures_csv", **PERIOD)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="safecare-compliance-2026-01-01-2026-03-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "Policy",
            "Rule",
            "Fell due",
            "Met on time",
            "Met late",
            "Median days late",
            "Worst days late",
            "Still open",
            "Overdue",
            "Cancelled",
        ],
        ["Safe care", "SC-3", "4", "1", "2", "2", "3", "1", "1", "0"],
        ["Cameras and microphones", "DV-3", "2", "0", "0", "", "", "0", "0", "2"],
        ["Standards of care", "SOC-7", "1", "0", "1", "10", "10", "0", "0", "0"],
        ["Safe care", "Total", "4", "1", "2", "2", "3", "1", "1", "0"],
        ["Cameras and microphones", "Total", "2", "0", "0", "", "", "0", "0", "2"],
        ["Standards of care", "Total", "1", "0", "1", "10", "10", "0", "0", "0"],
        ["All policies", "Total", "7", "1", "3", "3", "10", "1", "1", "2"],
        [],
        ["Month", "Fell due", "Met on time", "Met late", "Still open", "Overdue", "Cancelled"],
        ["2026-01", "2", "1", "1", "0", "0", "0"],
        ["2026-02", "2", "0", "1", "0", "0", "1"],
        ["2026-03", "3", "0", "1", "1", "1", "1"],
        [],
        ["Rule", "Reason for cancelling", "Cancelled"],
        ["DV-3", "'" + INJECTION, "1"],
        ["DV-3", "The placement ended", "1"],
    ]


def test_a_wrong_period_for_the_csv_shows_the_report_with_the_error(client, world) -> None:
    response = _get(
        client, world.frank, "compliance:figures_csv", **{"from": "2026-03-01", "to": "2026-02-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["from"] == ["Enter a start date on or before the end date"]


# Queries: the same number whatever the data ---------------------------------------------------


def _many_duties(world: Any, n: int) -> None:
    rules = ["SC-3", "SC-4", "DV-3", "SOC-7", "IM-7", "PH-1", "DP-1"]
    for i in range(n):
        due = dt.date(2026, 1 + i % 11, 1 + i % 27)
        status = [TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.CANCELLED][i % 3]
        TaskFactory(
            service=world.service,
            rule_id=rules[i % len(rules)],
            due_on=due,
            owner=world.sam,
            team=world.fostering_team,
            household=world.household_own,
            status=status,
            completed_at=_at(due + dt.timedelta(days=i % 5)) if status != TaskStatus.OPEN else None,
            closed_note=f"Reason {i % 4}" if status == TaskStatus.CANCELLED else "",
        )


def _count(client: Any, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


# The most each page asks. Four are every page's, before the page asks anything: the session,
# the user (with their service and team), the second factor, and the navigation's alerts count.
# The figures are one aggregate query (compliance.figures, a UNION ALL), and over a service or a team
# the tallies' seal one more; the report's choices two (teams,
# workers); a household, team or worker named one each, in place of the choices; a drill-down's
# count, page and access-log row three.
SUBJECT = {"team": "fostering_team", "worker": "sam", "household": "household_own"}


@pytest.mark.parametrize(
    ("route", "extra", "most"),
    [
        ("compliance:report", {}, 7),
        ("compliance:report", SUBJECT, 7),
        ("compliance:duties", {"outcome": "due"}, 6),
        ("compliance:duties", SUBJECT, 9),
        ("compliance:figures_csv", {}, 5),
        ("compliance:figures_csv", SUBJECT, 7),
    ],
)
def test_the_pages_ask_the_same_few_queries_whatever_the_data(client, world, route, extra, most) -> None:
    sign_in(client, world.frank)
    params = {"from": "2026-01-01", "to": "2026-11-30"}
    params.update(
        {
            key: str(getattr(world, value).pk) if hasattr(world, str(value)) else value
            for key, value in extra.items()
        }
    )
    url = reverse(route)
    client.get(url, params)  # the session's first read
    _many_duties(world, 3)
    small = _count(client, url, params)
    _many_duties(world, 297)
    large = _count(client, url, params)
    assert small == large
    assert large == most
