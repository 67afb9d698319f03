"""Separation of duties: a role that reaches case content, or manages people, needs a second person
(security review finding 5)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from safecare.core.models import Notification, User
from safecare.core.roles import Role
from safecare.people import services
from tests.conftest import PASSWORD, sign_in
from tests.core.test_people import edit_data, new_user_data
from tests.factories import UserFactory


@pytest.fixture
def ann(world) -> User:  # type: ignore[no-untyped-def]
    """A second service administrator of North."""
    return UserFactory(username="ann", service=world.service, role=Role.SERVICE_ADMIN)


def create(client: Client, role: str, **extra: object):  # type: ignore[no-untyped-def]
    return client.post(reverse("people:user_create"), new_user_data(username="hana", role=role, **extra))


def test_an_administrator_cannot_give_herself_head_of_service(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client_for(world.ada), Role.HEAD_OF_SERVICE, email="ada.own@example.org")
    assert response.status_code == 302
    hana = User.objects.get(username="hana")
    assert hana.role == "" and hana.pending_role == Role.HEAD_OF_SERVICE
    assert hana.is_active is False  # cannot sign in
    assert hana.pending_role_requested_by == world.ada
    # No password link until confirmed: nobody can take the account over meanwhile.
    assert [m for m in mailoutbox if "ada.own@example.org" in m.to] == []
    hana.set_password(PASSWORD)
    hana.save()
    client = Client()
    response = client.post("/sign-in/", {"username": "hana", "password": PASSWORD})
    assert response.status_code == 200  # refused, as for any inactive account
    assert client.get("/").status_code == 302
    # She cannot confirm it herself.
    client_for(world.ada).post(reverse("people:user_confirm_role", args=[hana.pk]))
    hana.refresh_from_db()
    assert hana.role == "" and hana.pending_role == Role.HEAD_OF_SERVICE


def test_a_second_administrator_confirms_and_the_history_shows_both(
    world, ann, client_for, mailoutbox, django_capture_on_commit_callbacks, caplog
) -> None:
    create(client_for(world.ada), Role.HEAD_OF_SERVICE)
    hana = User.objects.get(username="hana")
    # The confirmers are told, without personal details.
    alert = Notification.objects.get(recipient=ann, kind="role_confirmation")
    assert "hana" not in alert.subject.lower()
    assert Notification.objects.filter(recipient=world.harry, kind="role_confirmation").exists()
    assert not Notification.objects.filter(recipient=world.ada, kind="role_confirmation").exists()

    page = client_for(ann).get(reverse("people:confirmations")).content.decode()
    assert "Head of service" in page and "hana" in page
    with (
        caplog.at_level(logging.INFO, logger="safecare.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(ann).post(reverse("people:user_confirm_role", args=[hana.pk]))
    assert response.status_code == 302
    hana.refresh_from_db()
    assert hana.role == Role.HEAD_OF_SERVICE and hana.pending_role == "" and hana.is_active
    assert [m.to for m in mailoutbox] == [["nina@example.org"]]  # now the password link goes
    rows = list(hana.history.order_by("history_date", "history_id"))
    assert rows[0].history_user == world.ada and rows[0].pending_role == Role.HEAD_OF_SERVICE
    assert rows[-1].history_user == ann and rows[-1].role == Role.HEAD_OF_SERVICE
    logged = [r.getMessage() for r in caplog.records if "role_confirmed" in r.getMessage()]
    assert (
        logged and f"requested_by_id={world.ada.pk}" in logged[0] and f"confirmed_by_id={ann.pk}" in logged[0]
    )


def test_the_head_of_service_confirms_too(world, client_for) -> None:
    create(client_for(world.ada), Role.SUPERVISING_SW)
    hana = User.objects.get(username="hana")
    client_for(world.harry).post(reverse("people:user_confirm_role", args=[hana.pk]))
    hana.refresh_from_db()
    assert hana.role == Role.SUPERVISING_SW and hana.is_active


def test_the_head_of_service_gives_such_a_role_directly(world) -> None:
    hana = services.user_create(
        actor=world.harry,
        username="hana",
        first_name="Hana",
        last_name="Hart",
        email="hana@example.org",
        role=Role.FOSTERING_MANAGER,
        team=None,
    )
    assert hana.role == Role.FOSTERING_MANAGER and hana.pending_role == "" and hana.is_active


def test_raising_an_account_keeps_its_role_until_confirmed(world, ann, client_for) -> None:
    pat = world.pat
    client_for(world.ada).post(
        reverse("people:user_edit", args=[pat.pk]), edit_data(pat, role=Role.HEAD_OF_SERVICE)
    )
    pat.refresh_from_db()
    assert pat.role == Role.PANEL_MEMBER and pat.pending_role == Role.HEAD_OF_SERVICE
    # Pat gains nothing meanwhile: a head of service's page is still closed to him.
    assert sign_in(Client(), pat).get(reverse("settings:edit")).status_code == 404
    # The page shows the request.
    page = client_for(world.ada).get(reverse("people:user_edit", args=[pat.pk])).content.decode()
    assert "waiting for confirmation" in page
    client_for(ann).post(reverse("people:user_confirm_role", args=[pat.pk]))
    pat.refresh_from_db()
    assert pat.role == Role.HEAD_OF_SERVICE
    assert sign_in(Client(), pat).get(reverse("settings:edit")).status_code == 200


def test_a_refused_request_changes_nothing(world, ann, client_for) -> None:
    pat = world.pat
    client_for(world.ada).post(
        reverse("people:user_edit", args=[pat.pk]), edit_data(pat, role=Role.FOSTERING_MANAGER)
    )
    client_for(ann).post(reverse("people:user_refuse_role", args=[pat.pk]))
    pat.refresh_from_db()
    assert pat.role == Role.PANEL_MEMBER and pat.pending_role == ""
    assert pat.history.first().history_user == ann


def test_a_role_without_case_content_needs_nobody_else(world, client_for) -> None:
    create(client_for(world.ada), Role.BUSINESS_SUPPORT)
    hana = User.objects.get(username="hana")
    assert hana.role == Role.BUSINESS_SUPPORT and hana.is_active and hana.pending_role == ""


def test_a_new_administrator_also_needs_a_second_person(world, client_for) -> None:
    # Otherwise one administrator could make a second account and confirm her own requests with it.
    create(client_for(world.ada), Role.SERVICE_ADMIN)
    hana = User.objects.get(username="hana")
    assert hana.role == "" and hana.pending_role == Role.SERVICE_ADMIN and not hana.is_active


def test_nobody_confirms_their_own_new_role(world, ann, client_for) -> None:
    with pytest.raises(Exception, match="second person"):
        services.user_update(actor=world.ada, user=ann, role=Role.HEAD_OF_SERVICE, team=None, is_active=True)
        services.user_confirm_role(actor=ann, user=User.objects.get(pk=ann.pk))
