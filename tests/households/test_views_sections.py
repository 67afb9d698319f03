"""The staff household page in sections: Summary, People, Agreements, Devices, Notices,
Recordings and supervision, History; one sub-navigation, each section its own queries."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.core.models import AccessLog

pytestmark = pytest.mark.django_db

# URL name, the section's name in the <title> and the sub-navigation, and what only that section shows.
SECTIONS = [
    ("households:detail", "Summary", "Safer Caring guidance (SC-3)"),
    ("households:section_people", "People", "Regular visitors and overnight stays"),
    ("households:section_agreements", "Agreements", "Read the Safe Caring Family Agreement"),
    ("households:section_devices", "Devices", "On the register (DV-1)"),
    ("households:section_notices", "Notices", "Changes to review (SC-6)"),
    ("households:section_supervision", "Recordings and supervision", "Recordings not read yet"),
    ("households:section_history", "History", "Status changes"),
]

# The whole household page, every panel on it, cost 30 queries for the household's SSW
# (sam) and 27 for the CSW of the child placed there (chris) before it was split.
WHOLE_PAGE = {"sam": 27, "chris": 24}

# What each section costs now, for sam and for chris: 5 of them are every signed-in page's
# (session, user with their service, team and unread alerts, two-factor device), the household
# and the log (decision 0055).
SECTION_QUERIES = {
    # sam reads standards of care records: the summary counts the household's concerns (1 query).
    "households:detail": {"sam": 8, "chris": 7},
    "households:section_people": {"sam": 9, "chris": 9},
    "households:section_agreements": {"sam": 5, "chris": 5},
    "households:section_devices": {"sam": 11, "chris": 11},
    "households:section_notices": {"sam": 10, "chris": 9},
    "households:section_supervision": {"sam": 7, "chris": 5},
    "households:section_history": {"sam": 6, "chris": 6},
}


def url(name: str, household) -> str:
    return reverse(name, kwargs={"pk": household.pk})


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def subnav(response) -> list[tuple[str, str, bool]]:
    """The sub-navigation's links: (href, label, marked current)."""
    content = response.content.decode()
    start = content.index('aria-label="Sections of the household\'s record"')
    nav = content[start : content.index("</nav>", start)]
    links = re.findall(
        r'<a class="govuk-service-navigation__link" href="([^"]+)"([^>]*)>(.*?)</a>', nav, re.S
    )
    return [
        (href, re.sub(r"<[^>]+>", "", label).strip(), "aria-current" in attrs) for href, attrs, label in links
    ]


@pytest.mark.parametrize(("name", "label", "shows"), SECTIONS)
def test_each_section_names_itself_and_the_household_and_is_marked_current(
    world, client_for, name, label, shows
):
    response = client_for(world.sam).get(url(name, world.household_own))
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()
    assert title == f"{label} \u2013 Patel household \u2013 Safecare"
    assert shows in text(response)
    own = world.household_own.pk
    assert subnav(response) == [
        (f"/households/{own}/", "Summary", name == "households:detail"),
        (f"/households/{own}/sections/people/", "People", name == "households:section_people"),
        (f"/households/{own}/sections/agreements/", "Agreements", name == "households:section_agreements"),
        (f"/households/{own}/sections/devices/", "Devices", name == "households:section_devices"),
        (f"/households/{own}/sections/notices/", "Notices", name == "households:section_notices"),
        (
            f"/households/{own}/sections/supervision/",
            "Recordings and supervision",
            name == "households:section_supervision",
        ),
        (f"/households/{own}/sections/history/", "History", name == "households:section_history"),
    ]
    assert response.content.decode().count('aria-current="page"') == 1


def test_each_section_shows_only_its_own_part_of_the_record(world, client_for):
    client = client_for(world.fiona)
    summary = text(client.get(url("households:detail", world.household_own)))
    assert "Fostering North" in summary
    assert "Regular visitors and overnight stays" not in summary
    assert "On the register (DV-1)" not in summary
    assert "Status changes" not in summary
    people = text(client.get(url("households:section_people", world.household_own)))
    assert "Carol Patel" in people and "Xavier Smith" in people and "Training" in people
    assert "Safer Caring guidance (SC-3)" not in people
    assert "Changes to review (SC-6)" not in people


@pytest.mark.parametrize(("name", "label", "shows"), SECTIONS)
def test_every_section_view_writes_one_access_log_row_for_the_household(
    world, client_for, name, label, shows
):
    address = url(name, world.household_own)
    assert client_for(world.sam).get(address).status_code == 200
    rows = AccessLog.objects.filter(user=world.sam, subject_type="household")
    assert list(rows.values_list("subject_id", "path")) == [(world.household_own.pk, address)]


@pytest.mark.parametrize("username", ["sam", "chris"])
@pytest.mark.parametrize("name", [name for name, _, _ in SECTIONS])
def test_each_section_costs_its_own_queries_fewer_than_the_whole_page(
    world, client_for, django_assert_num_queries, username, name
):
    client = client_for(world.users[username])
    address = url(name, world.household_own)
    client.get(address)  # the first request of a session writes the session once
    expected = SECTION_QUERIES[name][username]
    assert expected < WHOLE_PAGE[username]
    with django_assert_num_queries(expected):
        assert client.get(address).status_code == 200


def test_the_people_section_costs_the_same_queries_however_many_people_it_lists(world, client_for):
    import datetime as dt

    from safecare.households.models import Visitor
    from tests.factories import MemberFactory

    client = client_for(world.sam)
    address = url("households:section_people", world.household_own)
    client.get(address)
    with CaptureQueriesContext(connection) as before:
        client.get(address)
    for n in range(5):
        MemberFactory(household=world.household_own, first_name=f"Extra{n}")
        Visitor.objects.create(
            household=world.household_own,
            kind="regular_visitor",
            name=f"Visitor {n}",
            relationship="Friend",
            since=dt.date(2026, 1, 1),
        )
    with CaptureQueriesContext(connection) as after:
        page = text(client.get(address))
    assert "Extra4" in page and "Visitor 4" in page
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize(("name", "label", "shows"), SECTIONS[1:])
def test_a_carer_opening_a_section_is_sent_to_their_household_page(world, client_for, name, label, shows):
    client = client_for(world.carol)
    response = client.get(url(name, world.household_own))
    assert (response.status_code, response["Location"]) == (302, f"/households/{world.household_own.pk}/")
    assert not AccessLog.objects.filter(user=world.carol).exists()
    assert client.get(url(name, world.household_other)).status_code == 404


def test_the_carers_page_is_one_page_without_the_sections(world, client_for):
    response = client_for(world.carol).get(url("households:detail", world.household_own))
    content = response.content.decode()
    assert "Sections of the household" not in content
    assert "/sections/" not in content
    page = text(response)
    assert "People living in your household" in page
    assert "Cameras and microphones in your home" in page
    assert "Tell us or ask us" in page


@pytest.mark.parametrize(("name", "label", "shows"), SECTIONS)
def test_a_section_of_a_household_out_of_scope_is_404(world, client_for, name, label, shows):
    client = client_for(world.sam)
    assert client.get(url(name, world.household_other)).status_code == 404
    assert client.get(url(name, world.household_south)).status_code == 404
    assert not AccessLog.objects.filter(user=world.sam).exists()


def test_the_history_section_links_to_the_change_history_only_for_those_who_may_read_it(world, client_for):
    history = reverse("households:household_history", kwargs={"pk": world.household_own.pk})
    address = url("households:section_history", world.household_own)
    assert history in client_for(world.fiona).get(address).content.decode()
    assert history not in client_for(world.sam).get(address).content.decode()


def test_adding_a_member_returns_to_the_people_section(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:member_add", kwargs={"pk": world.household_own.pk}),
        {"kind": "carers_child", "first_name": "Ravi", "last_name": "Patel", "date_of_birth": "2012-03-04"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/households/{world.household_own.pk}/sections/people/"
