"""After signing in, after a time-out too, the person is back on the page they were on; never on another site's."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.core.views_auth import FORGET_DRAFTS
from tests.conftest import PASSWORD, sign_in
from tests.core.test_auth import current_code

IDLE = 30 * 60


def idle_too_long(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    later = time.time() + IDLE + 120
    monkeypatch.setattr(time, "time", lambda: later)


def test_a_time_out_brings_the_person_back_to_the_page_through_both_steps(world, monkeypatch) -> None:
    device = TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = sign_in(Client(), world.sam)
    assert client.get("/tasks/").status_code == 200
    idle_too_long(monkeypatch)

    timed_out = client.get("/tasks/?due=week&page=2")
    monkeypatch.undo()  # signed out now; codes are of the real time again
    assert timed_out["Location"] == "/sign-in/?timed_out=1&next=%2Ftasks%2F%3Fdue%3Dweek%26page%3D2"
    page = client.get(timed_out["Location"]).content.decode()
    assert "You were signed out because you had not used Safecare for a while." in page
    assert '<input type="hidden" name="next" value="/tasks/?due=week&amp;page=2">' in page

    password = client.post(
        timed_out["Location"], {"username": "sam", "password": PASSWORD, "next": "/tasks/?due=week&page=2"}
    )
    assert password["Location"] == "/sign-in/two-factor/?next=%2Ftasks%2F%3Fdue%3Dweek%26page%3D2"
    step = client.get(password["Location"]).content.decode()
    assert '<input type="hidden" name="next" value="/tasks/?due=week&amp;page=2">' in step

    code = client.post(
        password["Location"], {"token": current_code(device), "next": "/tasks/?due=week&page=2"}
    )
    assert code["Location"] == "/tasks/?due=week&page=2"


def test_a_form_sent_after_the_time_out_comes_back_to_the_page_it_was_sent_from(world, monkeypatch) -> None:
    client = sign_in(Client(), world.carol)
    form_page = f"/children/{world.child_own.pk}/recordings/new/"
    assert client.get(form_page).status_code == 200
    idle_too_long(monkeypatch)
    response = client.post(
        form_page, {"text": "Dentist at 10."}, headers={"referer": f"http://testserver{form_page}"}
    )
    assert (
        response["Location"]
        == f"/sign-in/?timed_out=1&next=%2Fchildren%2F{world.child_own.pk}%2Frecordings%2Fnew%2F"
    )


def test_a_post_only_address_sends_back_to_the_referring_page_not_to_itself(world, monkeypatch) -> None:
    mark = f"/households/{world.household_own.pk}/recordings/read/"
    here = f"/households/{world.household_own.pk}/recordings/?show=unread"
    referers = {
        f"http://testserver{here}": (
            f"/sign-in/?timed_out=1&next=%2Fhouseholds%2F{world.household_own.pk}%2Frecordings%2F%3Fshow%3Dunread"
        ),
        # Another site's page is never where anyone is sent back to: the address itself then.
        "https://evil.example/phish/": (
            f"/sign-in/?timed_out=1&next=%2Fhouseholds%2F{world.household_own.pk}%2Frecordings%2Fread%2F"
        ),
    }
    clients = {referer: sign_in(Client(), world.sam) for referer in referers}
    for client in clients.values():
        assert client.get("/tasks/").status_code == 200
    idle_too_long(monkeypatch)
    for referer, expected in referers.items():
        response = clients[referer].post(mark, {}, headers={"referer": referer})
        assert response["Location"] == expected


def test_a_half_signed_in_person_is_sent_to_the_code_with_the_whole_address(world) -> None:
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    client.post("/sign-in/", {"username": "sam", "password": PASSWORD})
    response = client.get("/tasks/?due=week&page=2")
    assert response["Location"] == "/sign-in/two-factor/?next=%2Ftasks%2F%3Fdue%3Dweek%26page%3D2"


def test_a_first_device_set_up_keeps_the_next_page(world) -> None:
    client = Client()
    password = client.post(
        "/sign-in/", {"username": "chris", "password": PASSWORD, "next": "/tasks/?a=1&b=2"}
    )
    assert password["Location"] == "/sign-in/two-factor/?next=%2Ftasks%2F%3Fa%3D1%26b%3D2"
    to_set_up = client.get(password["Location"])
    assert to_set_up["Location"] == "/sign-in/two-factor/set-up/?next=%2Ftasks%2F%3Fa%3D1%26b%3D2"
    page = client.get(to_set_up["Location"]).content.decode()
    assert '<input type="hidden" name="next" value="/tasks/?a=1&amp;b=2">' in page
    device = TOTPDevice.objects.get(user=world.chris, confirmed=False)
    codes = client.post(to_set_up["Location"], {"token": current_code(device), "next": "/tasks/?a=1&b=2"})
    assert 'href="/tasks/?a=1&amp;b=2">I have saved my codes, continue</a>' in codes.content.decode()


def test_a_carer_without_two_factor_goes_straight_to_the_next_page(world) -> None:
    world.service.carers_require_two_factor = False
    world.service.carers_two_factor_off_reason = "Tested without"
    world.service.save()
    client = Client()
    response = client.post("/sign-in/?next=/households/", {"username": "carol", "password": PASSWORD})
    assert response["Location"] == "/households/"


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "/\\evil.example/",
        "https:///evil.example/",
    ],
)
def test_another_sites_address_is_never_a_next_page_at_any_step(world, unsafe) -> None:
    device = TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    client = Client()
    password = client.post("/sign-in/", {"username": "sam", "password": PASSWORD, "next": unsafe})
    assert password["Location"] == "/sign-in/two-factor/?next=%2F"
    step = client.get("/sign-in/two-factor/", {"next": unsafe}).content.decode()
    assert '<input type="hidden" name="next" value="/">' in step
    code = client.post("/sign-in/two-factor/", {"token": current_code(device), "next": unsafe})
    assert code["Location"] == "/"
    # Once signed in, the two-factor step sends on at once: still never elsewhere.
    assert client.get("/sign-in/two-factor/", {"next": unsafe})["Location"] == "/"


def test_set_up_refuses_another_sites_address_too(world) -> None:
    client = Client()
    client.post("/sign-in/", {"username": "chris", "password": PASSWORD})
    to_set_up = client.get("/sign-in/two-factor/", {"next": "https://evil.example/"})
    assert to_set_up["Location"] == "/sign-in/two-factor/set-up/?next=%2F"
    device = TOTPDevice.objects.create(user=world.chris, name="phone", confirmed=False)
    codes = client.post(
        "/sign-in/two-factor/set-up/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert "evil.example" not in codes.content.decode()


def test_signing_out_tells_the_next_page_to_forget_that_persons_drafts_once(world) -> None:
    client = sign_in(Client(), world.carol)
    response = client.post("/sign-out/", follow=True)
    assert response.redirect_chain == [("/sign-in/", 302)]
    assert f'data-forget-drafts-of="{world.carol.pk}"' in response.content.decode()
    assert FORGET_DRAFTS not in client.session
    assert "data-forget-drafts-of" not in client.get("/sign-in/").content.decode()


# The time-out warning's server side: the dialog, and "Stay signed in" ---------------------------


def test_a_signed_in_page_carries_the_time_out_warning_with_the_time_left(world, monkeypatch) -> None:
    client = sign_in(Client(), world.sam)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    page = client.get("/tasks/").content.decode()
    assert '<dialog class="app-timeout-dialog" id="app-timeout-dialog" hidden tabindex="-1"' in page
    assert 'data-idle-seconds="1800" data-seconds-left="1800"' in page
    assert 'data-stay-signed-in-url="/account/stay-signed-in/"' in page
    assert ">You will be signed out in 1 minute</h2>" in page
    assert ">Stay signed in</button>" in page
    assert f'<body class="govuk-template__body" data-user-id="{world.sam.pk}">' in page
    # The session notes its last use at most once a minute: 50 seconds on, it still has the first.
    monkeypatch.setattr(time, "time", lambda: now + 50)
    assert 'data-seconds-left="1750"' in client.get("/tasks/").content.decode()
    monkeypatch.setattr(time, "time", lambda: now + 600)
    assert 'data-seconds-left="1800"' in client.get("/tasks/").content.decode()


def test_nobody_signed_out_or_half_signed_in_gets_the_warning(world) -> None:
    anonymous = Client().get("/sign-in/").content.decode()
    assert "app-timeout-dialog" not in anonymous
    assert "data-user-id" not in anonymous
    TOTPDevice.objects.create(user=world.sam, name="phone", confirmed=True)
    half = Client()
    half.post("/sign-in/", {"username": "sam", "password": PASSWORD})
    assert "app-timeout-dialog" not in half.get("/sign-in/two-factor/").content.decode()


def test_stay_signed_in_counts_the_session_as_used_now(world, monkeypatch) -> None:
    client = sign_in(Client(), world.sam)
    start = time.time()
    assert client.get("/tasks/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 29 * 60)
    kept = client.post("/account/stay-signed-in/")
    assert (kept.status_code, kept.json()) == (200, {"seconds_left": 1800})
    # 29 minutes after "Stay signed in", 58 after the last page: still signed in.
    monkeypatch.setattr(time, "time", lambda: start + 58 * 60)
    assert client.get("/tasks/").status_code == 200


def test_stay_signed_in_is_a_post_with_its_csrf_token_from_someone_signed_in(world, monkeypatch) -> None:
    assert Client().post("/account/stay-signed-in/")["Location"].startswith("/sign-in/")
    client = sign_in(Client(enforce_csrf_checks=True), world.sam)
    assert client.get("/account/stay-signed-in/").status_code == 405
    assert client.post("/account/stay-signed-in/").status_code == 403
    # Too late: the session has ended and is not brought back.
    client.get("/tasks/")
    later = time.time() + IDLE + 120
    monkeypatch.setattr(time, "time", lambda: later)
    late = sign_in(Client(), world.sam)
    late.get("/tasks/")
    monkeypatch.setattr(time, "time", lambda: later + IDLE + 120)
    ended = late.post("/account/stay-signed-in/")
    assert ended.status_code == 302 and ended["Location"].startswith("/sign-in/?timed_out=1")
