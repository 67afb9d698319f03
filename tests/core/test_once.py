"""A creation form sent twice saves one record (core.once): the second POST goes where the first went."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import UsedFormToken
from safecare.core.once import ALREADY_SAVED, FIELD
from safecare.devices.models import CctvRequest, RequestStatus
from safecare.households.models import Household
from safecare.notices.models import ChangeNotice
from safecare.supervision.models import Recording

TOKEN = re.compile(r'<input type="hidden" name="once_token" value="([A-Za-z0-9_-]+)">')


def token_of(response) -> str:  # type: ignore[no-untyped-def]
    found = TOKEN.findall(response.content.decode())
    assert len(found) == 1, found
    return found[0]


def household(name: str, team: int) -> dict[str, object]:
    return {"name": name, "team": team, "max_children": 2, "age_min": 0, "age_max": 11}


def test_the_same_household_form_sent_twice_saves_one_household(world, client_for) -> None:
    asha = client_for(world.asha)
    url = reverse("households:create")
    token = token_of(asha.get(url))
    data = {**household("Nguyen household", world.fostering_team.pk), FIELD: token}

    first = asha.post(url, data)
    again = asha.post(url, data)

    created = Household.objects.get(name="Nguyen household")
    assert first.status_code == 302
    assert first["Location"] == f"/households/{created.pk}/"
    assert again.status_code == 302
    assert again["Location"] == f"/households/{created.pk}/"
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == "This was already saved."
    assert Household.objects.filter(name="Nguyen household").count() == 1
    page = asha.get(again["Location"]).content.decode()
    assert "This was already saved." in page


def test_two_forms_each_with_its_own_token_save_two_records(world, client_for) -> None:
    carol = client_for(world.carol)
    url = reverse("supervision:recording_create", kwargs={"pk": world.child_own.pk})
    day = timezone.localdate().strftime("%d/%m/%Y")
    for _ in range(2):
        token = token_of(carol.get(url))
        response = carol.post(
            url, {"recorded_on": day, "category": "health", "text": "Dentist at 10.", FIELD: token}
        )
        assert response.status_code == 302
    assert Recording.objects.filter(text="Dentist at 10.").count() == 2


def test_a_form_sent_again_after_its_errors_were_corrected_saves_it(world, client_for) -> None:
    asha = client_for(world.asha)
    url = reverse("households:create")
    token = token_of(asha.get(url))
    wrong = asha.post(
        url, {**household("Nguyen household", world.fostering_team.pk), "age_min": 12, FIELD: token}
    )
    assert wrong.status_code == 200
    assert not UsedFormToken.objects.filter(token=token).exists()

    right = asha.post(url, {**household("Nguyen household", world.fostering_team.pk), FIELD: token})
    assert right.status_code == 302
    assert Household.objects.filter(name="Nguyen household").count() == 1
    used = UsedFormToken.objects.get(token=token)
    assert (used.user, used.path, used.redirect_to) == (world.asha, "/households/new/", right["Location"])


def test_a_carer_sending_a_change_notice_twice_tells_the_service_once(world, client_for) -> None:
    carol = client_for(world.carol)
    url = reverse("notices:change_create", kwargs={"pk": world.household_own.pk})
    token = token_of(carol.get(url))
    before = ChangeNotice.objects.count()
    form = {"kind": "member_moved_out", "happened_on": "3/2/2027", "details": "Ravi moved out.", FIELD: token}
    first = carol.post(url, form)
    again = carol.post(url, form, follow=True)
    assert first.status_code == 302, first.content.decode()
    assert ChangeNotice.objects.count() == before + 1
    assert again.redirect_chain == [(first["Location"], 302)]
    assert "This was already saved." in again.content.decode()


def test_a_token_is_the_senders_own(world, client_for) -> None:
    """Another person's POST with the same token is their own first: it learns nothing of where the first went."""
    url = reverse("households:create")
    token = token_of(client_for(world.asha).get(url))
    asha = client_for(world.asha).post(
        url, {**household("Nguyen household", world.fostering_team.pk), FIELD: token}
    )
    fiona = client_for(world.fiona).post(
        url, {**household("Lee household", world.fostering_team.pk), FIELD: token}
    )
    assert asha.status_code == fiona.status_code == 302
    assert asha["Location"] != fiona["Location"]
    assert Household.objects.filter(name__in=["Nguyen household", "Lee household"]).count() == 2


def test_a_post_without_a_token_is_handled_as_before(world, client_for) -> None:
    asha = client_for(world.asha)
    url = reverse("households:create")
    for token in (None, "short", "<script>"):
        data = household("Nguyen household", world.fostering_team.pk)
        if token is not None:
            data[FIELD] = token
        assert asha.post(url, data).status_code == 302
    assert Household.objects.filter(name="Nguyen household").count() == 3
    assert not UsedFormToken.objects.exists()


def test_a_token_kept_while_the_first_post_was_saving_answers_the_second_with_the_first(
    world, client_for
) -> None:
    """Two POSTs at once: the unique constraint makes the second insert fail once the first commits."""
    asha = client_for(world.asha)
    url = reverse("households:create")
    token = token_of(asha.get(url))
    UsedFormToken.objects.create(user=world.asha, token=token, path=url, redirect_to="/households/")
    response = asha.post(url, {**household("Nguyen household", world.fostering_team.pk), FIELD: token})
    assert (response.status_code, response["Location"]) == (302, "/households/")
    assert not Household.objects.filter(name="Nguyen household").exists()


# Every creation form of the pages carries a token, and its view keeps it.
CREATION_FORMS = [
    ("asha", "households:create", None),
    ("sam", "households:member_add", "household_own"),
    ("sam", "households:visitor_add", "household_own"),
    ("sam", "households:training_add", "household_own"),
    ("chris", "households:child_create", None),
    ("frank", "households:placement_create", "child_own"),
    ("carol", "notices:change_create", "household_own"),
    ("carol", "notices:immediate_create", "household_own"),
    ("carol", "notices:arrangement_create", "household_own"),
    ("carol", "supervision:recording_create", "child_own"),
    ("sam", "supervision:supervision_create", "household_own"),
    ("carol", "devices:device_create", "household_own"),
    ("sam", "devices:request_create", "household_own"),
    ("sam", "agreements:household_edit", "household_own"),
    ("sam", "agreements:child_edit", "placement_own"),
    ("ada", "people:user_create", None),
    ("ada", "people:teams", None),
    ("ada", "people:allocations", None),
]


@pytest.mark.parametrize(("username", "name", "record"), CREATION_FORMS)
def test_every_creation_form_carries_a_one_time_token(world, client_for, username, name, record) -> None:
    # The world's household has a CCTV request under way already; the form is for a first one.
    CctvRequest.objects.filter(household=world.household_own).update(status=RequestStatus.WITHDRAWN)
    kwargs = {"pk": getattr(world, record).pk} if record else {}
    response = client_for(world.users[username]).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    first, second = (
        token_of(response),
        token_of(client_for(world.users[username]).get(reverse(name, kwargs=kwargs))),
    )
    assert first != second
    assert len(first) == 32


@pytest.mark.parametrize(("username", "name", "record"), CREATION_FORMS)
def test_every_creation_view_refuses_a_used_token(world, client_for, username, name, record) -> None:
    kwargs = {"pk": getattr(world, record).pk} if record else {}
    user = world.users[username]
    url = reverse(name, kwargs=kwargs)
    UsedFormToken.objects.create(user=user, token="a" * 32, path=url, redirect_to="/somewhere/")
    response = client_for(user).post(url, {FIELD: "a" * 32})
    assert (response.status_code, response["Location"]) == (302, "/somewhere/")
    assert ALREADY_SAVED == "This was already saved."
