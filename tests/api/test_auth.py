"""Who the API lets in: verified sessions and integration tokens; the schema for anyone."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from safecare.core.models import ApiToken
from tests.api.helpers import send, url
from tests.conftest import World, sign_in


def issue_token(username: str, *args: str) -> str:
    out = StringIO()
    call_command("issue_api_token", username, "--name", "Case system sync", *args, stdout=out)
    return out.getvalue().strip()


def test_it_accepts_an_integration_token_and_scopes_it_like_the_account(world: World) -> None:
    key = issue_token("sam")
    client = Client()

    response = send(client, "GET", url("household-list"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.household_own.pk]
    assert (
        send(
            client,
            "GET",
            url("household-detail", world.household_other.pk),
            HTTP_AUTHORIZATION=f"Token {key}",
        ).status_code
        == 404
    )


def test_it_writes_through_a_token_as_the_account(world: World) -> None:
    key = issue_token("sam")

    response = send(
        Client(),
        "POST",
        url("task-done", world.task_own.pk),
        {"note": "Rang the carers"},
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert response.status_code == 200
    world.task_own.refresh_from_db()
    assert world.task_own.completed_by == world.sam


def test_it_refuses_an_unknown_token(world: World) -> None:
    response = send(Client(), "GET", url("household-list"), HTTP_AUTHORIZATION="Token not-a-real-key")

    assert response.status_code == 403


def test_it_refuses_a_session_that_has_not_completed_two_factor(world: World) -> None:
    client = Client()
    client.force_login(world.sam)  # password only: no second factor

    assert send(client, "GET", url("household-list")).status_code == 403
    assert send(client, "GET", url("household-detail", world.household_own.pk)).status_code == 403
    assert send(client, "POST", url("task-done", world.task_own.pk)).status_code == 403
    world.task_own.refresh_from_db()
    assert world.task_own.is_open


def test_it_accepts_a_carers_session_where_the_service_does_not_require_two_factor(world: World) -> None:
    world.service.carers_require_two_factor = False
    world.service.carers_two_factor_off_reason = "A recorded reason"
    world.service.save()
    client = Client()
    client.force_login(world.carol)

    assert send(client, "GET", url("household-detail", world.household_own.pk)).status_code == 200


def test_it_refuses_a_session_write_without_the_csrf_token(world: World) -> None:
    # A browser session writes only from the site's own pages; a token needs no CSRF check.
    client = sign_in(Client(enforce_csrf_checks=True), world.sam)

    response = send(client, "POST", url("task-done", world.task_own.pk))

    assert response.status_code == 403
    world.task_own.refresh_from_db()
    assert world.task_own.is_open


def test_it_refuses_an_anonymous_caller(world: World) -> None:
    assert send(Client(), "GET", url("household-list")).status_code == 403


# Issuing tokens -----------------------------------------------------------------------------------


def test_it_issues_a_new_token_each_time_and_rotating_ends_the_others(world: World) -> None:
    first = issue_token("sam")
    second = issue_token("sam")

    assert second != first
    assert ApiToken.objects.filter(user=world.sam).count() == 2
    rotated = issue_token("sam", "--rotate")
    assert ApiToken.objects.filter(user=world.sam).count() == 1
    assert rotated not in {first, second}


@pytest.mark.parametrize("username", ["nobody", "deactivated"])
def test_it_issues_no_token_to_a_missing_or_deactivated_account(world: World, username: str) -> None:
    world.sam.username = "deactivated"
    world.sam.is_active = False
    world.sam.save()

    with pytest.raises(CommandError):
        issue_token(username)
    assert not ApiToken.objects.exists()


# The schema -----------------------------------------------------------------------------------------


def test_it_serves_the_schema_to_anyone(db: None) -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/households/", "/api/v1/children/{id}/", "/api/v1/tasks/{id}/done/"} <= set(paths)


def test_it_generates_a_valid_schema_without_warnings(db: None) -> None:
    # Outside tools (client generators, fuzzers) read this schema: a warning means it lies somewhere.
    out = StringIO()

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=StringIO())

    assert "/api/v1/placements/{id}/end/" in out.getvalue()
