"""A new version with nothing changed is refused (SC-1, SC-4, rules: Everywhere, Signatures).

Every new version must be signed again by everyone before it is in force, so saving one
identical to the last would make the carers and workers sign again for nothing.

In the shared world the lounge camera (tests/devices/world.py) was put on the register after
version 1 of household_own's agreement was written, so version 1 does not cover it: each test
first writes version 2, which does, and then tries to save it again unchanged.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from safecare.agreements.models import AgreementVersion
from safecare.agreements.services import version_create
from tests.agreements.world import sections
from tests.api.helpers import send, url

pytestmark = pytest.mark.django_db

REFUSAL = "Nothing has changed since version 2: change at least one section to save a new version"


def _write(world, text: str, based_on: int) -> AgreementVersion:  # type: ignore[no-untyped-def]
    return version_create(
        actor=world.sam,
        agreement=world.agreement_own,
        sections=sections(text),
        participants=world.household_own.members.all(),
        based_on=based_on,
    )


def test_the_service_refuses_a_version_identical_to_the_last_naming_the_rule(world) -> None:
    _write(world, "Agreed again", based_on=1)
    with pytest.raises(ValidationError) as refused:
        _write(world, "Agreed again", based_on=2)
    assert refused.value.message_dict == {NON_FIELD_ERRORS: [REFUSAL]}
    assert AgreementVersion.objects.filter(agreement=world.agreement_own).count() == 2


def test_whitespace_around_a_section_is_not_a_change(world) -> None:
    _write(world, "Agreed again", based_on=1)
    padded = {key: f"  {text}\n" for key, text in sections("Agreed again").items()}
    with pytest.raises(ValidationError) as refused:
        version_create(
            actor=world.sam,
            agreement=world.agreement_own,
            sections=padded,
            participants=world.household_own.members.all(),
            based_on=2,
        )
    assert refused.value.messages == [REFUSAL]


def test_changing_one_section_saves_the_next_version(world) -> None:
    _write(world, "Agreed again", based_on=1)
    version = version_create(
        actor=world.sam,
        agreement=world.agreement_own,
        sections={**sections("Agreed again"), "privacy": "Knock and wait"},
        participants=world.household_own.members.all(),
        based_on=2,
    )
    assert version.number == 3


def test_a_device_put_on_the_register_since_is_a_change_dv10(world) -> None:
    # Version 1 was written before the lounge camera was on the register: a version with the
    # same text that covers it is what DV-10 asks for, and is not refused.
    version = _write(world, "Agreed", based_on=1)
    assert version.number == 2
    assert [entry["room"] for entry in version.devices] == ["Lounge"]


def test_the_page_shows_the_refusal_as_a_form_error_and_saves_nothing(world, client_for) -> None:
    _write(world, "Agreed again", based_on=1)
    data = {**sections("Agreed again"), "based_on": "2"}
    data["participants"] = [str(m.pk) for m in world.household_own.members.all()]
    response = client_for(world.sam).post(
        reverse("agreements:household_edit", kwargs={"pk": world.household_own.pk}), data
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSAL in page
    assert AgreementVersion.objects.filter(agreement=world.agreement_own).count() == 2


def test_the_api_answers_400_with_the_refusal(world, client_for) -> None:
    _write(world, "Agreed again", based_on=1)
    body = {
        "sections": sections("Agreed again"),
        "participants": [m.pk for m in world.household_own.members.all()],
    }
    response = send(
        client_for(world.sam),
        "POST",
        url("agreement-versions", world.agreement_own.pk),
        body,
        HTTP_IF_MATCH='"2"',
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [REFUSAL]}
    assert AgreementVersion.objects.filter(agreement=world.agreement_own).count() == 2
