"""The service administrator's pages: users, teams, allocations (rules: Who sees what).

ada (service administrator) manages North's people and opens no case content;
everyone else gets 404, and no administrator reaches another service's records.
"""

from __future__ import annotations

import logging
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.core import access as core_access
from safecare.core.models import Team, TeamKind, User
from safecare.core.roles import Role
from safecare.households import access
from safecare.households.models import Allocation
from tests.factories import TeamFactory, UserFactory

# Case content the administrator must never be sent: names from the world fixture.
CASE_WORDS = ["Patel", "Jones", "Okafor", "Xavier", "Yasmin", "Smith", "Brown"]


def new_user_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Newton",
        "email": "nina@example.org",
        "role": Role.SUPERVISING_SW,
        "team": "",
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(account: User, **overrides: object) -> dict[str, object]:
    from safecare.core.concurrency import record_version as history_version

    data: dict[str, object] = {
        "role": account.role,
        "team": account.team_id or "",
        "is_active": "on" if account.is_active else None,
        "version": history_version(account),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Users ----------------------------------------------------------------------------------------


def test_ada_creates_a_user_who_is_emailed_only_a_link_to_choose_a_password(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.ada)
    with django_capture_on_commit_callbacks(execute=True):
        # A role that sees no case content: nobody else need confirm it (test_separation_of_duties.py).
        response = client.post(
            reverse("people:user_create"),
            new_user_data(team=world.fostering_team.pk, role=Role.BUSINESS_SUPPORT),
        )

    nina = User.objects.get(username="nina")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:user_edit", args=[nina.pk])
    assert nina.service == world.service
    assert nina.team == world.fostering_team
    assert nina.role == Role.BUSINESS_SUPPORT
    assert not nina.has_usable_password()  # nobody but Nina ever knows it
    assert nina.history.earliest().history_user == world.ada

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nina@example.org"]
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1
    assert "/password-reset/" in links[0]
    # rules: Everywhere: no personal data in e-mail: not even the person's own name or the case names.
    for word in [*CASE_WORDS, "Nina", "Newton", "nina", "North"]:
        assert word not in message.body
        assert word not in message.subject

    # The link is Django's reset machinery: it lets Nina choose her password.
    visitor = Client()
    path = links[0].split("://", 1)[1].split("/", 1)[1]
    page = visitor.get("/" + path, follow=True)
    assert page.status_code == 200
    new_password = "a long and unusual passphrase 42"
    done = visitor.post(
        page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    nina.refresh_from_db()
    assert nina.check_password(new_password)


def test_an_inactive_new_account_is_sent_no_email(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.ada).post(
            reverse("people:user_create"), new_user_data(is_active=None, role=Role.BUSINESS_SUPPORT)
        )

    assert User.objects.get(username="nina").is_active is False
    assert mailoutbox == []


def test_a_user_can_only_be_put_in_a_team_of_the_admins_own_service(world, client_for):
    south_team = TeamFactory(service=world.south, name="Southern team")

    response = client_for(world.ada).post(reverse("people:user_create"), new_user_data(team=south_team.pk))

    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert not User.objects.filter(username="nina").exists()


def test_a_taken_username_is_refused_with_the_fields_name(world, client_for):
    response = client_for(world.ada).post(reverse("people:user_create"), new_user_data(username="SAM"))

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["this username is already taken"]
    # Nothing typed is lost.
    assert response.context["form"]["email"].value() == "nina@example.org"


def test_ada_edits_a_role_and_the_history_names_her(world, client_for):
    pat = world.pat

    response = client_for(world.ada).post(
        reverse("people:user_edit", args=[pat.pk]), edit_data(pat, role=Role.BUSINESS_SUPPORT)
    )

    assert response.status_code == 302
    pat.refresh_from_db()
    assert pat.role == Role.BUSINESS_SUPPORT
    latest = pat.history.order_by("-history_id").first()
    assert latest.history_user == world.ada
    page = client_for(world.ada).get(reverse("people:user_edit", args=[pat.pk]))
    assert "Role: Panel member → Business support officer" in page.content.decode()


def test_a_user_cannot_deactivate_their_own_account(world, client_for):
    ada = world.ada

    response = client_for(ada).post(
        reverse("people:user_edit", args=[ada.pk]), edit_data(ada, is_active=None)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == ["you cannot deactivate your own account"]
    ada.refresh_from_db()
    assert ada.is_active


def test_an_admin_cannot_change_their_own_role(world, client_for):
    ada = world.ada

    response = client_for(ada).post(
        reverse("people:user_edit", args=[ada.pk]), edit_data(ada, role=Role.HEAD_OF_SERVICE)
    )

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    ada.refresh_from_db()
    assert ada.role == Role.SERVICE_ADMIN


def test_a_worker_with_current_allocations_is_not_deactivated_or_moved_to_another_role(world, client_for):
    # Their households would be left with a worker who cannot see them.
    sam = world.sam
    client = client_for(world.ada)

    deactivate = client.post(reverse("people:user_edit", args=[sam.pk]), edit_data(sam, is_active=None))
    new_role = client.post(reverse("people:user_edit", args=[sam.pk]), edit_data(sam, role=Role.ASSESSING_SW))

    assert "1 current allocation" in deactivate.context["form"].errors["is_active"][0]
    assert "1 current allocation" in new_role.context["form"].errors["role"][0]
    sam.refresh_from_db()
    assert sam.is_active and sam.role == Role.SUPERVISING_SW


def test_deactivating_a_user_ends_their_access_at_once(world, client_for):
    bella = world.bella
    bella_client = client_for(bella)
    assert bella_client.get("/").status_code == 200

    client_for(world.ada).post(reverse("people:user_edit", args=[bella.pk]), edit_data(bella, is_active=None))

    bella.refresh_from_db()
    assert not bella.is_active
    assert bella_client.get("/").status_code == 302  # back to sign-in


def test_two_admins_editing_one_account_cannot_overwrite_each_other(world, client_for):
    # rules: Everywhere: the second save is refused, with what was typed kept on the page.
    pat = world.pat
    stale = edit_data(pat, role=Role.AGENCY_DECISION_MAKER)
    client_for(world.ada).post(
        reverse("people:user_edit", args=[pat.pk]), edit_data(pat, team=world.fostering_team.pk)
    )

    response = client_for(world.ada).post(reverse("people:user_edit", args=[pat.pk]), stale)

    assert response.status_code == 200
    # rules: Everywhere: refused, naming what the other administrator changed.
    assert (
        "Someone else saved changes to this record (Team)" in response.context["form"].non_field_errors()[0]
    )
    assert response.context["form"]["role"].value() == Role.AGENCY_DECISION_MAKER
    pat.refresh_from_db()
    assert pat.role == Role.PANEL_MEMBER
    assert pat.team == world.fostering_team


def test_ada_resets_two_factor_which_deletes_the_devices_and_is_audited(world, client_for, caplog):
    sam = world.sam
    sam_client = client_for(sam)  # signed in and verified with a TOTP device
    StaticDevice.objects.create(user=sam, name="backup codes")
    assert sam_client.get("/").status_code == 200

    with caplog.at_level(logging.INFO, logger="safecare.audit"):
        response = client_for(world.ada).post(reverse("people:user_reset_two_factor", args=[sam.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=sam).exists()
    assert not StaticDevice.objects.filter(user=sam).exists()
    records = [r for r in caplog.records if r.name == "safecare.audit"]
    assert len(records) == 1
    assert "two_factor_reset" in records[0].getMessage()
    # Ids only: a username is often a person's name (decision 0053).
    assert f"actor_id={world.ada.pk} user_id={sam.pk}" in records[0].getMessage()
    assert "sam" not in records[0].getMessage() and "ada" not in records[0].getMessage()
    # The old device no longer verifies sam's session: sam must enrol again.
    assert "/sign-in/two-factor/" in sam_client.get("/")["Location"]
    # The user's page shows the state the reset left.
    page = client_for(world.ada).get(reverse("people:user_edit", args=[sam.pk]))
    assert "Not set up: they set it up at their next sign-in" in page.content.decode()


def test_an_admin_cannot_reset_their_own_two_factor(world, client_for):
    ada = world.ada
    client = client_for(ada)

    response = client.post(reverse("people:user_reset_two_factor", args=[ada.pk]), follow=True)

    assert TOTPDevice.objects.filter(user=ada).exists()
    assert "ask another service administrator" in response.content.decode()


def test_a_new_password_link_can_be_sent(world, client_for, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.ada).post(reverse("people:user_send_password_link", args=[world.pat.pk]))

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[world.pat.email]]


def test_the_users_list_shows_role_team_and_two_factor(world, client_for):
    response = client_for(world.ada).get(reverse("people:users"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Supervising social worker" in page and "Fostering North" in page
    accounts = {u.username: u for u in response.context["page_obj"]}
    assert set(accounts) == {*world.users} - {"olga"}  # North only
    assert accounts["ada"].two_factor is True  # enrolled when she signed in
    assert accounts["pat"].two_factor is False


def test_the_users_list_runs_the_same_number_of_queries_whatever_the_users(world, client_for):
    client = client_for(world.ada)
    url = reverse("people:users")
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        user = UserFactory(username=f"extra{n}", service=world.service, team=world.children_team)
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.context["page_obj"].paginator.count == len(world.users) - 1 + 30
    assert len(many) == len(few)


def test_the_users_list_is_paginated(world, client_for):
    for n in range(60):
        UserFactory(username=f"extra{n:02d}", service=world.service)

    first = client_for(world.ada).get(reverse("people:users"))
    second = client_for(world.ada).get(reverse("people:users") + "?page=2")

    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == len(world.users) - 1 + 60 - 50


# Teams ----------------------------------------------------------------------------------------


def test_ada_adds_and_renames_a_team(world, client_for):
    client = client_for(world.ada)

    added = client.post(reverse("people:teams"), {"name": "Fostering South West", "kind": TeamKind.FOSTERING})
    team = Team.objects.get(name="Fostering South West")
    from safecare.core.concurrency import record_version as history_version

    renamed = client.post(
        reverse("people:team_edit", args=[team.pk]),
        {"name": "Fostering Coast", "kind": TeamKind.FOSTERING, "version": history_version(team)},
    )

    assert added.status_code == 302 and renamed.status_code == 302
    team.refresh_from_db()
    assert team.service == world.service
    assert team.name == "Fostering Coast"
    assert team.history.order_by("-history_id").first().history_user == world.ada


def test_a_team_name_is_unique_within_the_service(world, client_for):
    response = client_for(world.ada).post(
        reverse("people:teams"), {"name": "fostering north", "kind": TeamKind.FOSTERING}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["your service already has a team with this name"]


# Allocations ----------------------------------------------------------------------------------


def test_ada_allocates_sam_as_ssw_and_the_household_becomes_visible_to_him_until_it_ends(world, client_for):
    sam, household = world.sam, world.household_other
    client = client_for(world.ada)
    assert household not in access.households_visible_to(sam)

    response = client.post(
        reverse("people:allocations"),
        {"kind": "supervising", "worker": sam.pk, "household": household.pk, "child": ""},
    )

    assert response.status_code == 302
    assert household in access.households_visible_to(sam)
    allocation = Allocation.objects.current().get(household=household, kind="supervising")
    assert allocation.worker == sam
    assert allocation.history.earliest().history_user == world.ada

    listing = client.get(reverse("people:allocations") + f"?worker={sam.pk}")
    assert allocation in listing.context["page_obj"]
    assert f"{household.reference} Jones household" in listing.content.decode()

    ended = client.post(reverse("people:allocation_end", args=[allocation.pk]))

    assert ended.status_code == 302
    assert household not in access.households_visible_to(sam)
    allocation.refresh_from_db()
    assert allocation.ended_at is not None


def test_a_csw_is_allocated_to_a_child(world, client_for):
    chris, child = world.chris, world.child_other

    client_for(world.ada).post(
        reverse("people:allocations"),
        {"kind": "childs", "worker": chris.pk, "household": "", "child": child.pk},
    )

    assert child in access.children_visible_to(chris)


def test_an_allocation_needs_a_worker_in_the_matching_role(world, client_for):
    response = client_for(world.ada).post(
        reverse("people:allocations"),
        {"kind": "supervising", "worker": world.chris.pk, "household": world.household_other.pk, "child": ""},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["worker"]
    assert errors == ["a supervising social worker allocation needs a worker in that role"]
    assert not Allocation.objects.filter(worker=world.chris, kind="supervising").exists()


def test_an_allocation_names_its_subject(world, client_for):
    response = client_for(world.ada).post(
        reverse("people:allocations"),
        {"kind": "childs", "worker": world.chris.pk, "household": "", "child": ""},
    )

    assert "child" in response.context["form"].errors


def test_the_allocation_form_offers_only_the_services_own_households_children_and_workers(world, client_for):
    form = client_for(world.ada).get(reverse("people:allocations")).context["form"]

    households = set(form.fields["household"].queryset)
    children = set(form.fields["child"].queryset)
    worker_ids = {pk for _, group in form.fields["worker"].choices[1:] for pk, _ in group}
    assert world.household_south not in households and world.household_own in households
    assert world.child_south not in children and world.child_own in children
    assert worker_ids == {world.asha.pk, world.sam.pk, world.chris.pk}


def test_the_allocation_form_types_the_household_and_child_with_suggestions_from_the_service_only(
    world, client_for
):
    # The issue: typeahead search instead of drop-downs that list every household and child.
    ada = client_for(world.ada)
    page = ada.get(reverse("people:allocations")).content.decode()
    assert '<select name="household"' not in page and '<select name="child"' not in page
    assert 'data-typeahead-url="/people/allocations/suggest/?kind=household"' in page
    suggest = reverse("people:allocation_suggest")
    own, other = world.household_own, world.household_other
    assert ada.get(suggest, {"kind": "household", "q": "household"}).json()["results"] == [
        f"{other.reference} Jones household",
        f"{world.household_applicant.reference} Okafor household",
        f"{own.reference} Patel household",
    ]
    assert ada.get(suggest, {"kind": "household", "q": "southern"}).json()["results"] == []
    assert ada.get(suggest, {"kind": "child", "q": "xavier"}).json()["results"] == [
        f"{world.child_own.reference} Xavier Smith"
    ]
    # A suggestion sent back as it was chosen allocates that child.
    response = ada.post(
        reverse("people:allocations"),
        {"kind": "childs", "worker": world.chris.pk, "child": f"{world.child_other.reference} Yasmin Brown"},
    )
    assert response.status_code == 302
    assert world.child_other in access.children_visible_to(world.chris)


# No case content, no other service --------------------------------------------------------------


def test_ada_sees_no_case_content(world, client_for):
    # rules: Who sees what: the service administrator manages people, not cases.
    ada = world.ada
    assert not access.households_visible_to(ada).exists()
    assert not access.children_visible_to(ada).exists()
    assert not core_access.sees_case_content(ada)

    client = client_for(ada)
    assert client.get(f"/households/{world.household_own.pk}/").status_code == 404
    assert client.get(f"/children/{world.child_own.pk}/").status_code == 404


def test_another_services_admin_cannot_reach_norths_users_teams_or_allocations(world, client_for):
    sven = UserFactory(username="sven", service=world.south, role=Role.SERVICE_ADMIN)
    allocation = Allocation.objects.get(worker=world.sam)
    client = client_for(sven)

    assert client.get(reverse("people:user_edit", args=[world.sam.pk])).status_code == 404
    assert (
        client.post(
            reverse("people:user_edit", args=[world.sam.pk]), edit_data(world.sam, is_active=None)
        ).status_code
        == 404
    )
    assert client.post(reverse("people:user_reset_two_factor", args=[world.sam.pk])).status_code == 404
    assert client.get(reverse("people:team_edit", args=[world.fostering_team.pk])).status_code == 404
    assert client.post(reverse("people:allocation_end", args=[allocation.pk])).status_code == 404
    # Nor can olga, South's head of service: she has no people pages at all.
    assert client_for(world.olga).get(reverse("people:user_edit", args=[world.sam.pk])).status_code == 404
    assert client_for(world.olga).get(reverse("people:users")).status_code == 404
    world.sam.refresh_from_db()
    allocation.refresh_from_db()
    assert world.sam.is_active and allocation.ended_at is None
    # And South's list holds only South's people.
    listed = {u.username for u in client.get(reverse("people:users")).context["page_obj"]}
    assert listed == {"olga", "sven", "stella"}


def test_an_admin_cannot_allocate_another_services_worker_or_household(world, client_for):
    south_worker = UserFactory(username="sw_south", service=world.south, role=Role.SUPERVISING_SW)

    response = client_for(world.ada).post(
        reverse("people:allocations"),
        {
            "kind": "supervising",
            "worker": south_worker.pk,
            "household": world.household_south.pk,
            "child": "",
        },
    )

    assert response.status_code == 200
    assert {"worker", "household"} <= set(response.context["form"].errors)
    assert not Allocation.objects.filter(worker=south_worker).exists()
