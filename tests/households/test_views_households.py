"""Household pages through HTTP: list, create, record, edit, status, members, visitors, training, SC-3."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog, Task, TaskStatus
from safecare.households import services
from safecare.households.models import (
    Allocation,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MemberKind,
    TrainingCourse,
    TrainingRecord,
    Visitor,
)
from tests.factories import ChildFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible text, tags stripped, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def error_summary(response) -> str:
    content = response.content.decode()
    start = content.find('class="govuk-error-summary"')
    assert start != -1, "no error summary on the page"
    end = content.find("</ul>", start)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content[start:end])))


def iso(day: dt.date) -> str:
    return day.isoformat()


# Lists ---------------------------------------------------------------------------------------


def test_the_list_shows_the_households_the_user_may_see(world, client_for):
    response = client_for(world.fiona).get(reverse("households:list"))
    assert response.status_code == 200
    page = text(response)
    assert "Patel household" in page
    assert "Okafor household" in page
    # Another team's household is not fiona's to see.
    assert "Jones household" not in page
    assert "Southern household" not in page


def test_the_list_searches_by_name_and_filters_by_status(world, client_for):
    client = client_for(world.frank)
    page = text(client.get(reverse("households:list"), {"q": "pate"}))
    assert "Patel household" in page
    assert "Jones household" not in page
    page = text(client.get(reverse("households:list"), {"status": HouseholdStatus.IN_ASSESSMENT}))
    assert "Okafor household" in page
    assert "Patel household" not in page


def test_the_list_is_paginated_by_50(world, client_for):
    for n in range(50):
        Household.objects.create(service=world.service, name=f"Zz household {n:02d}")
    total = Household.objects.filter(service=world.service).count()
    client = client_for(world.frank)
    first = text(client.get(reverse("households:list")))
    assert f"{total} households, showing 1 to 50" in first
    second = text(client.get(reverse("households:list"), {"page": 2}))
    assert f"showing 51 to {total}" in second
    assert "Zz household 49" in second


# Creating and editing ------------------------------------------------------------------------


def test_it_creates_a_household_and_allocates_the_assessing_worker(world, client_for):
    response = client_for(world.asha).post(
        reverse("households:create"),
        {
            "name": "Nguyen household",
            "team": world.fostering_team.pk,
            "max_children": 2,
            "age_min": 0,
            "age_max": 11,
        },
        follow=True,
    )
    household = Household.objects.get(name="Nguyen household")
    assert response.redirect_chain[-1][0] == reverse("households:detail", kwargs={"pk": household.pk})
    assert "Nguyen household (H-" in text(response)
    assert household.service == world.service
    assert household.status == HouseholdStatus.APPLICANT
    assert (
        Allocation.objects.current().filter(household=household, worker=world.asha, kind="assessing").exists()
    )
    assert household.history.first().history_user == world.asha


def test_it_keeps_what_was_typed_when_the_terms_of_approval_are_reversed(world, client_for):
    response = client_for(world.asha).post(
        reverse("households:create"),
        {"name": "Nguyen household", "max_children": 2, "age_min": 12, "age_max": 5},
    )
    assert response.status_code == 200
    assert "Oldest age approved for: terms of approval" in error_summary(response)
    assert 'value="Nguyen household"' in response.content.decode()
    assert not Household.objects.filter(name="Nguyen household").exists()


def test_it_updates_a_household_and_names_the_editor_in_the_history(world, client_for):
    client = client_for(world.sam)
    url = reverse("households:edit", kwargs={"pk": world.household_own.pk})
    form = client.get(url)
    version = re.search(r'name="version" value="(\d+)"', form.content.decode()).group(1)
    response = client.post(
        url,
        {
            "name": "Patel-Shah household",
            "team": world.fostering_team.pk,
            "postcode": "AB1 2CD",
            "max_children": 3,
            "age_min": 0,
            "age_max": 17,
            "version": version,
        },
        follow=True,
    )
    assert "Patel-Shah household has been updated." in text(response)
    household = Household.objects.get(pk=world.household_own.pk)
    assert (household.name, household.max_children, household.postcode) == (
        "Patel-Shah household",
        3,
        "AB1 2CD",
    )
    assert household.history.first().history_user == world.sam


def test_it_refuses_to_overwrite_a_change_someone_else_saved_meanwhile(world, client_for):
    # rules: Everywhere: two people editing the same record at once cannot silently overwrite each other.
    client = client_for(world.sam)
    url = reverse("households:edit", kwargs={"pk": world.household_own.pk})
    version = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)
    services.household_update(actor=world.fiona, household=world.household_own, max_children=4)
    data = {
        "name": "Patel-Shah household",
        "team": world.fostering_team.pk,
        "max_children": 2,
        "age_min": 0,
        "age_max": 17,
        "version": version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved changes to this record (Number of children approved for)" in error_summary(
        response
    )
    assert 'value="Patel-Shah household"' in response.content.decode()
    household = Household.objects.get(pk=world.household_own.pk)
    assert (household.name, household.max_children) == ("Patel household", 4)
    # Having seen the warning, saving again from the re-shown form goes through.
    fresh = re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)
    assert client.post(url, {**data, "version": fresh}).status_code == 302
    assert Household.objects.get(pk=world.household_own.pk).name == "Patel-Shah household"


def test_a_worker_who_may_see_but_not_change_a_household_gets_404_on_the_edit_page(world, client_for):
    # chris sees the Patel household through the child placed there, but may not change it.
    client = client_for(world.chris)
    assert client.get(reverse("households:detail", kwargs={"pk": world.household_own.pk})).status_code == 200
    assert client.get(reverse("households:edit", kwargs={"pk": world.household_own.pk})).status_code == 404


# The household's record ----------------------------------------------------------------------


def test_every_view_of_a_household_writes_one_access_log_row(world, client_for):
    client = client_for(world.sam)
    url = reverse("households:detail", kwargs={"pk": world.household_own.pk})
    for expected in (1, 2):
        assert client.get(url).status_code == 200
        rows = AccessLog.objects.filter(subject_type="household", subject_id=world.household_own.pk)
        assert rows.count() == expected
    row = rows.first()
    assert (row.user, row.service, row.path, row.via_api) == (world.sam, world.service, url, False)


def test_the_record_shows_status_terms_team_workers_members_and_children(world, client_for):
    client = client_for(world.fiona)
    page = text(client.get(reverse("households:detail", kwargs={"pk": world.household_own.pk})))
    assert "Up to 2 children at a time, aged 0 to 17" in page
    assert "Fostering North" in page
    assert f"Supervising social worker {world.sam.display_name}" in page
    assert "Safer Caring guidance (SC-3) Not given yet" in page
    people = text(client.get(reverse("households:section_people", kwargs={"pk": world.household_own.pk})))
    assert "Carol Patel" in people
    assert "Xavier Smith" in people


def test_the_record_shows_approval_problems_while_in_assessment(world, client_for):
    page = text(
        client_for(world.asha).get(reverse("households:detail", kwargs={"pk": world.household_applicant.pk}))
    )
    assert "Not ready for approval" in page
    assert "SC-2: Ada Okafor has not completed Skills to Foster training" in page


def test_a_csw_sees_only_their_own_child_among_the_children_placed(world, client_for):
    stranger = ChildFactory(service=world.service, first_name="Quentin", last_name="Other")
    PlacementFactory(child=stranger, household=world.household_own)
    page = text(
        client_for(world.chris).get(
            reverse("households:section_people", kwargs={"pk": world.household_own.pk})
        )
    )
    assert "Xavier Smith" in page
    assert "Quentin" not in page


def test_a_carer_sees_their_own_household_without_staff_internals(world, client_for):
    response = client_for(world.carol).get(
        reverse("households:detail", kwargs={"pk": world.household_own.pk})
    )
    assert response.status_code == 200
    page = text(response)
    assert "Carol Patel" in page
    assert "Xavier Smith" in page
    assert world.sam.display_name not in page
    assert "Status changes" not in page
    content = response.content.decode()
    assert "/edit/" not in content
    assert "/status/" not in content
    assert "/history/" not in content
    assert AccessLog.objects.filter(user=world.carol, subject_type="household").count() == 1


def test_a_carer_opening_another_households_url_gets_404(world, client_for):
    client = client_for(world.carol)
    assert (
        client.get(reverse("households:detail", kwargs={"pk": world.household_other.pk})).status_code == 404
    )
    assert (
        client.get(reverse("households:detail", kwargs={"pk": world.household_south.pk})).status_code == 404
    )
    assert not AccessLog.objects.filter(user=world.carol).exists()


def test_the_service_administrator_gets_404_on_household_and_child_pages(world, client_for):
    client = client_for(world.ada)
    urls = [
        reverse("households:list"),
        reverse("households:detail", kwargs={"pk": world.household_own.pk}),
        reverse("households:household_history", kwargs={"pk": world.household_own.pk}),
        reverse("households:child_list"),
        reverse("households:child_detail", kwargs={"pk": world.child_own.pk}),
        reverse("households:child_history", kwargs={"pk": world.child_own.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


# Status: SC-2 and SC-3 -----------------------------------------------------------------------


def test_sc2_approval_is_refused_until_the_carer_has_skills_to_foster_then_sc3_is_due_14_days_later(
    world, client_for
):
    household = world.household_applicant
    carer = HouseholdMember.objects.get(household=household, kind=MemberKind.CARER)
    status_url = reverse("households:status", kwargs={"pk": household.pk})
    decided_on = timezone.localdate() - dt.timedelta(days=3)
    approve = {
        "to_status": HouseholdStatus.APPROVED,
        "effective_on": iso(decided_on),
        "reason": "Panel 12 May",
    }
    frank = client_for(world.frank)

    refused = frank.post(status_url, approve)
    assert refused.status_code == 200
    assert "New status: SC-2: Ada Okafor has not completed Skills to Foster training" in error_summary(
        refused
    )
    assert "Panel 12 May" in refused.content.decode()  # what was typed is kept
    household.refresh_from_db()
    assert household.status == HouseholdStatus.IN_ASSESSMENT
    assert not Task.objects.filter(household=household, rule_id="SC-3").exists()

    # The assessing social worker records the training (SC-2).
    recorded = client_for(world.asha).post(
        reverse("households:training_add", kwargs={"pk": household.pk}),
        {"member": carer.pk, "course": TrainingCourse.SKILLS_TO_FOSTER, "completed_on": iso(decided_on)},
        follow=True,
    )
    assert "Skills to Foster training recorded for Ada Okafor." in text(recorded)
    assert TrainingRecord.objects.get(member=carer).recorded_by == world.asha

    approved = frank.post(status_url, approve, follow=True)
    assert approved.redirect_chain[-1][0] == reverse("households:detail", kwargs={"pk": household.pk})
    assert "Okafor household is now approved." in text(approved)
    household.refresh_from_db()
    assert (household.status, household.approved_on) == (HouseholdStatus.APPROVED, decided_on)
    change = household.status_changes.get()
    assert (change.changed_by, change.reason) == (world.frank, "Panel 12 May")
    # SC-3: the guidance is due 14 calendar days after the approval date.
    task = Task.objects.get(household=household, rule_id="SC-3", status=TaskStatus.OPEN)
    assert task.due_on == decided_on + dt.timedelta(days=14)
    assert task.owner == world.asha


def test_only_the_status_changes_a_user_may_make_are_offered(world, client_for):
    url = reverse("households:status", kwargs={"pk": world.household_own.pk})
    sam = client_for(world.sam)
    content = sam.get(url).content.decode()
    assert 'value="on_hold"' in content
    assert 'value="resigned"' in content
    # Deregistration is a manager's decision.
    assert 'value="deregistered"' not in content
    refused = sam.post(url, {"to_status": "deregistered", "effective_on": iso(timezone.localdate())})
    assert refused.status_code == 200
    assert "New status:" in error_summary(refused)
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.APPROVED
    assert 'value="deregistered"' in client_for(world.frank).get(url).content.decode()


def test_a_worker_puts_a_household_on_hold(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:status", kwargs={"pk": world.household_own.pk}),
        {
            "to_status": HouseholdStatus.ON_HOLD,
            "effective_on": iso(timezone.localdate()),
            "reason": "Moving house",
        },
    )
    assert response.status_code == 302
    world.household_own.refresh_from_db()
    assert world.household_own.status == HouseholdStatus.ON_HOLD


def test_sc3_recording_the_guidance_closes_the_task(world, client_for):
    household = world.household_applicant
    carer = HouseholdMember.objects.get(household=household, kind=MemberKind.CARER)
    services.training_record(
        actor=world.asha,
        household=household,
        member=carer,
        course=TrainingCourse.SKILLS_TO_FOSTER,
        completed_on=timezone.localdate(),
    )
    services.household_change_status(
        actor=world.frank, household=household, to_status=HouseholdStatus.APPROVED
    )
    task = Task.objects.get(household=household, rule_id="SC-3")
    given_on = timezone.localdate()
    response = client_for(world.asha).post(
        reverse("households:guidance", kwargs={"pk": household.pk}), {"given_on": iso(given_on)}, follow=True
    )
    assert "SC-3: the date the Safer Caring guidance was given has been recorded." in text(response)
    household.refresh_from_db()
    assert household.safer_caring_guidance_given_on == given_on
    task.refresh_from_db()
    assert (task.status, task.completed_by) == (TaskStatus.DONE, world.asha)


def test_sc3_the_guidance_date_cannot_be_in_the_future(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:guidance", kwargs={"pk": world.household_own.pk}),
        {"given_on": iso(timezone.localdate() + dt.timedelta(days=1))},
    )
    assert response.status_code == 200
    assert "SC-3: Date the guidance was given must be today or in the past" in error_summary(response)


# Members, visitors, training -----------------------------------------------------------------


def test_it_adds_a_member_to_the_household(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:member_add", kwargs={"pk": world.household_own.pk}),
        {
            "kind": MemberKind.CARERS_CHILD,
            "first_name": "Ravi",
            "last_name": "Patel",
            "date_of_birth": "2012-03-04",
        },
        follow=True,
    )
    assert "Ravi Patel has been added to Patel household." in text(response)
    member = HouseholdMember.objects.get(first_name="Ravi")
    assert (member.household, member.date_of_birth) == (world.household_own, dt.date(2012, 3, 4))


def test_a_member_moving_out_before_moving_in_is_refused(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:member_add", kwargs={"pk": world.household_own.pk}),
        {
            "kind": MemberKind.OTHER_ADULT,
            "first_name": "Lodger",
            "last_name": "Person",
            "date_of_birth": "1990-01-01",
            "moved_in_on": "2025-05-01",
            "moved_out_on": "2025-04-01",
        },
    )
    assert response.status_code == 200
    assert "Date moved out: must be the same as or after the date moved in" in error_summary(response)
    assert not HouseholdMember.objects.filter(first_name="Lodger").exists()


def test_it_edits_a_member_of_the_household(world, client_for):
    client = client_for(world.sam)
    member = world.member_own
    url = reverse("households:member_edit", kwargs={"pk": world.household_own.pk, "member_pk": member.pk})
    version = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)
    response = client.post(
        url,
        {
            "kind": MemberKind.CARER,
            "first_name": "Caroline",
            "last_name": "Patel",
            "date_of_birth": "1980-05-17",
            "user": world.carol.pk,
            "version": version,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.user) == ("Caroline", world.carol)


def test_a_member_of_another_household_is_404_through_this_households_url(world, client_for):
    url = reverse(
        "households:member_edit", kwargs={"pk": world.household_own.pk, "member_pk": world.member_other.pk}
    )
    assert client_for(world.frank).get(url).status_code == 404


def test_it_records_a_regular_visitor(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:visitor_add", kwargs={"pk": world.household_own.pk}),
        {
            "kind": "regular_visitor",
            "name": "June Patel",
            "relationship": "Grandmother",
            "since": "2026-01-10",
        },
    )
    assert response.status_code == 302
    assert Visitor.objects.get(household=world.household_own).name == "June Patel"


def test_a_visitor_until_before_since_is_refused_and_the_input_kept(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:visitor_add", kwargs={"pk": world.household_own.pk}),
        {
            "kind": "overnight_stay",
            "name": "June Patel",
            "relationship": "Grandmother",
            "since": "2026-01-10",
            "until": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "Until: must be the same as or after the date the visits began" in error_summary(response)
    assert 'value="June Patel"' in response.content.decode()


def test_training_can_only_be_recorded_for_a_member_of_the_household(world, client_for):
    client = client_for(world.sam)
    url = reverse("households:training_add", kwargs={"pk": world.household_own.pk})
    form = client.get(url).content.decode()
    assert "Carol Patel" in form
    assert "Oscar Jones" not in form
    response = client.post(
        url,
        {"member": world.member_other.pk, "course": TrainingCourse.FIRST_AID, "completed_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Select who completed the training" in error_summary(response)
    assert not TrainingRecord.objects.exists()


def test_training_not_listed_needs_the_course_name(world, client_for):
    response = client_for(world.sam).post(
        reverse("households:training_add", kwargs={"pk": world.household_own.pk}),
        {"member": world.member_own.pk, "course": TrainingCourse.OTHER, "completed_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Course name: enter the name of the course when it is not listed" in error_summary(response)
