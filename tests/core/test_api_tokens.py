"""API tokens: stored as a digest, named, expiring, last use shown, revoked by their owner and by a
new password or role (security review finding 8)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import ApiToken
from safecare.core.roles import Role
from tests.api.helpers import send, url
from tests.conftest import World, sign_in


def issue(username: str, *args: str, name: str = "Case system sync") -> str:
    out = StringIO()
    call_command("issue_api_token", username, "--name", name, *args, stdout=out)
    return out.getvalue().strip()


def use(key: str) -> int:
    return send(Client(), "GET", url("household-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_token_is_stored_only_as_a_digest(world: World) -> None:
    key = issue("sam")
    token = ApiToken.objects.get(user=world.sam)
    assert key not in token.digest and token.digest != key
    assert key.startswith(token.token_key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert key not in stored
    assert use(key) == 200


def test_a_token_has_a_name_and_expires(world: World) -> None:
    key = issue("sam", "--days", "30", name="Nightly report")
    token = ApiToken.objects.get(user=world.sam)
    assert token.name == "Nightly report"
    assert dt.timedelta(days=29) < token.expiry - timezone.now() <= dt.timedelta(days=30)
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert use(key) == 403


def test_a_token_without_days_lasts_ninety(world: World) -> None:
    issue("sam")
    token = ApiToken.objects.get(user=world.sam)
    assert dt.timedelta(days=89) < token.expiry - timezone.now() <= dt.timedelta(days=90)


@pytest.mark.parametrize("args", [["--days", "0"], ["--days", "400"]])
def test_it_refuses_a_lifetime_out_of_range(world: World, args: list[str]) -> None:
    with pytest.raises(CommandError, match="--days"):
        issue("sam", *args)


def test_it_records_the_last_use(world: World) -> None:
    key = issue("sam")
    assert ApiToken.objects.get(user=world.sam).last_used_at is None
    assert use(key) == 200
    assert ApiToken.objects.get(user=world.sam).last_used_at is not None


def test_a_password_reset_ends_every_token(world: World) -> None:
    key = issue("sam")
    client = Client()
    client.post("/password-reset/", {"email": world.sam.email})
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "a brand new long passphrase"
    client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert not ApiToken.objects.filter(user=world.sam).exists()
    assert use(key) == 403


def test_a_role_change_ends_every_token(world: World) -> None:
    key = issue("bella")
    world.bella.role = Role.PANEL_MEMBER
    world.bella.save(update_fields=["role"])
    assert use(key) == 403
    # Another change leaves a token alone.
    other = issue("pat")
    world.pat.first_name = "Patricia"
    world.pat.save()
    assert use(other) == 200


def test_the_owner_sees_and_revokes_her_tokens_on_a_page(world: World) -> None:
    key = issue("sam", name="Nightly report")
    use(key)
    issue("frank", name="Frank's own")
    client = sign_in(Client(), world.sam)
    page = client.get(reverse("api_tokens")).content.decode()
    token = ApiToken.objects.get(user=world.sam)
    assert "Nightly report" in page and token.token_key in page and "Frank&#x27;s own" not in page
    assert key not in page
    assert "Not used yet" not in page  # it was used
    # Someone else's token is not there to revoke.
    frank_token = ApiToken.objects.get(user=world.frank)
    assert client.post(reverse("api_token_revoke", args=[frank_token.token_key])).status_code == 404
    response = client.post(reverse("api_token_revoke", args=[token.token_key]))
    assert response.status_code == 302
    assert use(key) == 403
    deleted = ApiToken.history.filter(history_type="-").get(digest=token.digest)
    assert deleted.history_user == world.sam


def test_the_owner_lists_and_revokes_her_tokens_in_the_api(world: World) -> None:
    key = issue("sam", name="Nightly report")
    issue("frank")
    client = sign_in(Client(), world.sam)
    listed = send(client, "GET", url("api-token-list")).json()
    assert [row["name"] for row in listed["results"]] == ["Nightly report"]
    assert set(listed["results"][0]) == {"token_key", "name", "created", "expiry", "last_used_at"}
    frank_key = ApiToken.objects.get(user=world.frank).token_key
    assert (
        send(client, "DELETE", reverse("api-token-detail", kwargs={"token_key": frank_key})).status_code
        == 404
    )
    token_key = listed["results"][0]["token_key"]
    assert (
        send(client, "DELETE", reverse("api-token-detail", kwargs={"token_key": token_key})).status_code
        == 204
    )
    assert use(key) == 403
    assert ApiToken.objects.filter(user=world.frank).exists()
