"""Every list's query parameters are checked, and a wrong one is answered 400 naming it.

A filter silently ignored makes a caller read the whole list as the filtered one; a
huge integer passed to the database overflowed SQLite (a 500). Each list declares
its filters as typed fields (safecare.api.filters), and the table below states what
each list accepts, written from the API's documentation, not read from the code.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safecare.config.urls_api import router
from safecare.households import services
from tests.api.helpers import send, url

pytestmark = pytest.mark.django_db

# Each list and its id filters (an id is a positive 64-bit integer).
ID_FILTERS = {
    "shared-document-list": ["household", "child"],
    "carer-report-list": ["household", "child"],
    "photo-list": ["child"],
    "photo-rules-list": ["child"],
    "keep-request-list": ["child"],
    "loss-report-list": [],
    "subject-access-request-list": ["household"],
    "household-list": [],
    "child-list": [],
    "placement-list": [],
    "task-list": ["owner"],
    "agreement-list": [],
    "device-list": ["household"],
    "cctv-request-list": ["household"],
    "change-notice-list": [],
    "immediate-notice-list": [],
    "care-arrangement-list": [],
    "risk-flag-list": ["child"],
    "risk-assessment-list": ["child"],
    "recording-list": ["household", "child"],
    "supervision-list": ["household"],
    "api-token-list": [],
    "soc-concern-list": ["household"],
    "soc-route-decision-list": ["concern"],
    "soc-allegation-outcome-list": ["concern"],
    "soc-visit-list": ["household"],
    "soc-visit-action-list": ["visit"],
    "soc-meeting-proposal-list": ["household"],
    "national-minimum-standard-list": [],
    "soc-outcome-list": ["meeting"],
    "soc-panel-referral-list": ["household"],
    "soc-panel-recommendation-list": ["referral"],
    "soc-adm-decision-list": ["referral"],
    "soc-review-request-list": ["referral"],
    "soc-support-referral-list": ["household"],
    "soc-resignation-list": ["household"],
    "soc-arrangement-list": [],
    "soc-meeting-list": ["household"],
    "soc-invitee-list": ["meeting"],
    "soc-service-document-list": [],
    "soc-report-list": ["meeting"],
    "soc-report-version-list": ["meeting"],
    "soc-report-sending-list": ["meeting"],
    "soc-carer-response-list": ["meeting"],
    "im-worry-list": ["child"],
    "im-assessment-list": ["child"],
    "im-strategy-discussion-list": ["assessment"],
    "im-panel-referral-list": ["assessment"],
    "im-evaluation-list": ["assessment"],
    "im-decision-list": ["child"],
    "im-discussion-list": ["decision"],
    "im-residence-list": ["child"],
    "im-agreement-list": ["child"],
    "im-review-list": ["agreement"],
    # Compliance: a team, worker or household is a subject checked against the reader's reach,
    # and one out of reach (or none such) answers 404, not an empty list (decision 0049).
    "compliance-figures-list": [],
    "compliance-duty-list": [],
    "inspection-pack-list": [],
}


def test_the_table_names_every_list_of_the_api() -> None:
    lists = {f"{basename}-list" for _, viewset, basename in router.registry if hasattr(viewset, "list")}
    assert lists == set(ID_FILTERS)


@pytest.mark.parametrize("name", sorted(ID_FILTERS))
def test_a_parameter_the_list_does_not_know_is_refused_naming_it(world, client_for, name: str) -> None:
    response = send(client_for(world.frank), "GET", url(name), {"housold": "1"})
    assert response.status_code == 400, response.content
    assert "housold" in response.json()
    assert "no such filter" in response.json()["housold"][0]


@pytest.mark.parametrize(
    ("name", "parameter"), [(name, p) for name, params in sorted(ID_FILTERS.items()) for p in params]
)
@pytest.mark.parametrize("value", ["abc", "-3", "0", "1.5", str(2**63), "99999999999999999999999"])
def test_an_id_filter_takes_only_a_positive_64_bit_integer(
    world, client_for, name: str, parameter: str, value: str
) -> None:
    response = send(client_for(world.frank), "GET", url(name), {parameter: value})
    assert response.status_code == 400, response.content
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize(
    ("name", "parameter"), [(name, p) for name, params in sorted(ID_FILTERS.items()) for p in params]
)
def test_the_largest_id_is_a_valid_filter_that_finds_nothing(
    world, client_for, name: str, parameter: str
) -> None:
    response = send(client_for(world.frank), "GET", url(name), {parameter: str(2**63 - 1)})
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


def test_a_filter_given_twice_is_refused(world, client_for) -> None:
    path = url("device-list") + f"?household={world.household_own.pk}&household={world.household_other.pk}"
    response = client_for(world.frank).get(path)
    assert response.status_code == 400
    assert list(response.json()) == ["household"]


@pytest.mark.parametrize(("parameter", "value"), [("status", "lost"), ("overdue", "perhaps")])
def test_a_choice_or_a_flag_outside_its_values_is_refused(
    world, client_for, parameter: str, value: str
) -> None:
    response = send(client_for(world.frank), "GET", url("task-list"), {parameter: value})
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_a_good_filter_still_filters(world, client_for) -> None:
    response = send(client_for(world.frank), "GET", url("device-list"), {"household": world.household_own.pk})
    assert response.status_code == 200
    assert {row["household"] for row in response.json()["results"]} <= {world.household_own.pk}
    assert response.json()["results"]


# Implausible dates of birth ---------------------------------------------------------------------


@pytest.mark.parametrize("born", ["0001-01-01", "1026-05-04", "1990-01-01"])
def test_a_childs_date_of_birth_must_be_a_child_s(world, client_for, born: str) -> None:
    # A child in care is under 18; a care leaver staying put may be older, up to 25.
    response = send(
        client_for(world.chris),
        "POST",
        url("child-list"),
        {"first_name": "Ada", "last_name": "Year", "date_of_birth": born},
    )
    assert response.status_code == 400, response.content
    assert "must be the same as or after" in response.json()["date_of_birth"][0]


def test_a_child_aged_24_can_still_be_recorded(world) -> None:
    today = timezone.localdate()
    born = dt.date(today.year - 24, 1, 1)
    child = services.child_create(
        actor=world.chris, service=world.service, first_name="Staying", last_name="Put", date_of_birth=born
    )
    assert child.pk is not None


def test_a_household_members_date_of_birth_cannot_be_in_the_year_1(world) -> None:
    from django.core.exceptions import ValidationError

    from safecare.households.models import MemberKind

    with pytest.raises(ValidationError) as refused:
        services.member_add(
            actor=world.frank,
            household=world.household_own,
            kind=MemberKind.OTHER_ADULT,
            first_name="Old",
            last_name="Year",
            date_of_birth=dt.date(1, 1, 1),
        )
    assert "must be the same as or after" in refused.value.message_dict["date_of_birth"][0]
