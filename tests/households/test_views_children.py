"""Child and placement pages through HTTP: list, create, record, edit, placing and ending."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog
from safecare.households.models import (
    Allocation,
    AllocationKind,
    Child,
    Household,
    HouseholdStatus,
    Placement,
    PlacementEndReason,
)
from tests.factories import AllocationFactory, ChildFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def error_summary(response) -> str:
    content = response.content.decode()
    start = content.find('class="govuk-error-summary"')
    assert start != -1, "no error summary on the page"
    end = content.find("</ul>", start)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content[start:end])))


def unplaced_child_of_chris(world, **fields) -> Child:
    child = ChildFactory(service=world.service, team=world.children_team, **fields)
    AllocationFactory(worker=world.chris, kind="childs", child=child)
    return child


def place(client, child, household, start_on=None, **extra):
    typed = household if isinstance(household, str) else household.pk
    data = {"household": typed, "start_on": (start_on or timezone.localdate()).isoformat(), **extra}
    return client.post(reverse("households:placement_create", kwargs={"pk": child.pk}), data)


# Lists and records ---------------------------------------------------------------------------


def test_the_child_list_shows_the_children_the_user_may_see(world, client_for):
    page = text(client_for(world.chris).get(reverse("households:child_list")))
    assert "Xavier Smith" in page
    assert "Patel household" in page
    assert "Yasmin" not in page
    assert "Zoe" not in page
    page = text(client_for(world.sue).get(reverse("households:child_list"), {"q": "yas"}))
    assert "Yasmin Brown" in page
    assert "Xavier" not in page


def test_a_carer_gets_404_on_the_child_list(world, client_for):
    assert client_for(world.carol).get(reverse("households:child_list")).status_code == 404


def test_it_creates_a_child_and_allocates_the_chosen_csw(world, client_for):
    response = client_for(world.tom).post(
        reverse("households:child_create"),
        {
            "first_name": "Wendy",
            "last_name": "Ali",
            "date_of_birth": "2015-06-01",
            "team": world.children_team.pk,
            "csw": world.chris.pk,
        },
        follow=True,
    )
    child = Child.objects.get(first_name="Wendy")
    assert response.redirect_chain[-1][0] == reverse("households:child_detail", kwargs={"pk": child.pk})
    assert "Wendy Ali (C-" in text(response)
    assert child.service == world.service
    assert Allocation.objects.current().get(child=child, kind="childs").worker == world.chris


def test_the_csw_choice_lists_only_childrens_social_workers_of_the_service(world, client_for):
    content = client_for(world.tom).get(reverse("households:child_create")).content.decode()
    select = content[content.index('name="csw"') : content.index("</select>", content.index('name="csw"'))]
    assert world.chris.display_name in select
    assert world.sam.display_name not in select
    assert world.olga.display_name not in select


def test_a_child_born_in_the_future_is_refused(world, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(world.chris).post(
        reverse("households:child_create"),
        {"first_name": "Wendy", "last_name": "Ali", "date_of_birth": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "Date of birth must be today or in the past" in error_summary(response)
    assert 'value="Wendy"' in response.content.decode()


def test_the_childs_social_worker_is_the_current_allocation_or_none(world, client_for):
    """The worker's name is read with the child (one query fewer): an ended allocation is not
    shown, and a child with no current one says so."""
    url = reverse("households:child_detail", kwargs={"pk": world.child_own.pk})
    Allocation.objects.filter(child=world.child_own, kind=AllocationKind.CHILDS).update(
        ended_at=timezone.now()
    )
    page = text(client_for(world.tom).get(url))
    assert "Child's social worker Not allocated" in page


def test_every_view_of_a_child_writes_one_access_log_row(world, client_for):
    client = client_for(world.chris)
    url = reverse("households:child_detail", kwargs={"pk": world.child_own.pk})
    client.get(url)
    client.get(url)
    rows = AccessLog.objects.filter(subject_type="child", subject_id=world.child_own.pk, user=world.chris)
    assert rows.count() == 2


def test_the_childs_record_shows_csw_and_placements(world, client_for):
    page = text(
        client_for(world.chris).get(reverse("households:child_detail", kwargs={"pk": world.child_own.pk}))
    )
    assert f"Child's social worker {world.chris.display_name}" in page
    assert "Living with Patel household" in page
    assert "End this placement" in page


def test_a_carer_sees_only_name_age_and_the_placement_with_them(world, client_for):
    response = client_for(world.carol).get(
        reverse("households:child_detail", kwargs={"pk": world.child_own.pk})
    )
    assert response.status_code == 200
    page = text(response)
    assert "Xavier Smith" in page
    assert "Living with you since" in page
    assert world.chris.display_name not in page
    assert "Date of birth" not in page
    assert "/edit/" not in response.content.decode()
    assert AccessLog.objects.filter(user=world.carol, subject_type="child").count() == 1


def test_a_carer_gets_404_on_a_child_placed_elsewhere(world, client_for):
    url = reverse("households:child_detail", kwargs={"pk": world.child_other.pk})
    assert client_for(world.carol).get(url).status_code == 404


def test_it_edits_a_child(world, client_for):
    client = client_for(world.chris)
    url = reverse("households:child_edit", kwargs={"pk": world.child_own.pk})
    version = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)
    response = client.post(
        url,
        {
            "first_name": "Xavi",
            "last_name": "Smith",
            "date_of_birth": world.child_own.date_of_birth.isoformat(),
            "team": world.children_team.pk,
            "version": version,
        },
    )
    assert response.status_code == 302
    world.child_own.refresh_from_db()
    assert world.child_own.first_name == "Xavi"
    assert world.child_own.history.first().history_user == world.chris


# Placements ----------------------------------------------------------------------------------


def test_the_household_is_typed_and_suggested_from_approved_households_only(world, client_for):
    # The issue: typeahead search instead of drop-downs that list every household.
    child = unplaced_child_of_chris(world)
    chris = client_for(world.chris)
    page = chris.get(reverse("households:placement_create", kwargs={"pk": child.pk})).content.decode()
    suggest = reverse("households:placement_households", kwargs={"pk": child.pk})
    assert '<select name="household"' not in page
    assert f'data-typeahead-url="{suggest}"' in page
    # chris cannot open the Jones household, but may place a child there.
    suggested = chris.get(suggest, {"q": "household"}).json()["results"]
    assert suggested == [
        f"Jones household ({world.household_other.reference})",
        f"Patel household ({world.household_own.reference})",
    ]
    assert chris.get(suggest, {"q": world.household_other.reference}).json()["results"] == [
        f"Jones household ({world.household_other.reference})"
    ]
    assert chris.get(suggest, {"q": "okafor"}).json()["results"] == []  # in assessment
    assert chris.get(suggest, {"q": "southern"}).json()["results"] == []  # another service
    assert chris.get(suggest, {"q": "p"}).json()["results"] == []  # two letters before suggesting


@pytest.mark.parametrize(
    ("typed", "placed"),
    [
        ("Patel household (H-{own:05d})", "own"),
        ("patel", "own"),
        ("H-{other:05d}", "other"),
        ("h{other}", "other"),
    ],
)
def test_a_household_typed_by_name_or_reference_is_found(world, client_for, typed, placed):
    child = unplaced_child_of_chris(world)
    text = typed.format(own=world.household_own.pk, other=world.household_other.pk)
    response = place(client_for(world.chris), child, text)
    assert response.status_code == 302
    household = world.household_own if placed == "own" else world.household_other
    assert Placement.objects.get(child=child).household == household


def test_a_household_typed_that_matches_none_or_several_says_what_to_type(world, client_for):
    child = unplaced_child_of_chris(world)
    chris = client_for(world.chris)
    none = error_summary(place(chris, child, "Smithson"))
    assert "No approved household you can choose here matches “Smithson”: check the spelling" in none
    several = error_summary(place(chris, child, "household"))
    assert "More than one approved household matches “household”: type more of the name" in several
    assert not Placement.objects.filter(child=child).exists()


def test_it_places_a_child_with_an_approved_household(world, client_for):
    child = unplaced_child_of_chris(world)
    response = place(client_for(world.chris), child, world.household_own, emergency="on")
    assert response.status_code == 302
    placement = Placement.objects.get(child=child)
    assert (placement.household, placement.emergency, placement.end_on) == (world.household_own, True, None)
    assert placement.history.first().history_user == world.chris


def test_it_refuses_a_placement_into_an_unapproved_household(world, client_for):
    child = unplaced_child_of_chris(world)
    response = place(client_for(world.chris), child, world.household_applicant)
    assert response.status_code == 200
    assert "A child can only be placed with an approved household" in error_summary(response)
    assert not Placement.objects.filter(child=child).exists()


def test_it_refuses_a_placement_into_a_household_of_another_service(world, client_for):
    child = unplaced_child_of_chris(world)
    response = place(client_for(world.chris), child, world.household_south)
    assert response.status_code == 200
    assert "Household:" in error_summary(response)
    assert not Placement.objects.filter(child=child).exists()


def test_it_refuses_a_placement_over_the_number_of_children_approved(world, client_for):
    Household.objects.filter(pk=world.household_own.pk).update(max_children=1)
    child = unplaced_child_of_chris(world)
    response = place(client_for(world.chris), child, world.household_own)
    assert response.status_code == 200
    assert "Household: approved for 1 child at a time; 1 already placed then" in error_summary(response)
    assert not Placement.objects.filter(child=child).exists()


def test_it_refuses_a_placement_outside_the_approved_age_range(world, client_for):
    Household.objects.filter(pk=world.household_own.pk).update(age_min=0, age_max=5)
    child = unplaced_child_of_chris(world, date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 9))
    response = place(client_for(world.chris), child, world.household_own)
    assert response.status_code == 200
    assert "Household: approved for ages 0 to 5" in error_summary(response)
    assert not Placement.objects.filter(child=child).exists()


def test_a_household_put_on_hold_after_the_form_opened_is_refused(world, client_for):
    child = unplaced_child_of_chris(world)
    client = client_for(world.chris)
    client.get(reverse("households:placement_create", kwargs={"pk": child.pk}))
    Household.objects.filter(pk=world.household_other.pk).update(status=HouseholdStatus.ON_HOLD)
    response = place(client, child, world.household_other)
    assert response.status_code == 200
    assert "approved household" in error_summary(response)


def test_ending_a_placement_today_makes_the_child_404_for_the_carer_on_the_next_request(world, client_for):
    carol = client_for(world.carol)
    child_url = reverse("households:child_detail", kwargs={"pk": world.child_own.pk})
    assert carol.get(child_url).status_code == 200

    response = client_for(world.chris).post(
        reverse("households:placement_end", kwargs={"pk": world.placement_own.pk}),
        {"end_on": timezone.localdate().isoformat(), "end_reason": PlacementEndReason.RETURN_HOME},
        follow=True,
    )
    assert "has ended" in text(response)
    world.placement_own.refresh_from_db()
    assert (world.placement_own.end_on, world.placement_own.end_reason) == (
        timezone.localdate(),
        PlacementEndReason.RETURN_HOME,
    )
    assert carol.get(child_url).status_code == 404
    household_page = text(carol.get(reverse("households:detail", kwargs={"pk": world.household_own.pk})))
    assert "Xavier" not in household_page


def test_a_placement_cannot_end_before_it_started(world, client_for):
    before = world.placement_own.start_on - dt.timedelta(days=1)
    response = client_for(world.chris).post(
        reverse("households:placement_end", kwargs={"pk": world.placement_own.pk}),
        {"end_on": before.isoformat(), "end_reason": PlacementEndReason.PLANNED_MOVE},
    )
    assert response.status_code == 200
    assert "End date: cannot be before the placement started" in error_summary(response)
    world.placement_own.refresh_from_db()
    assert world.placement_own.end_on is None


def test_a_placement_of_another_child_is_404_to_the_csw(world, client_for):
    other = PlacementFactory(child=ChildFactory(service=world.service), household=world.household_own)
    url = reverse("households:placement_end", kwargs={"pk": other.pk})
    assert client_for(world.chris).get(url).status_code == 404
    assert client_for(world.harry).get(url).status_code == 200
