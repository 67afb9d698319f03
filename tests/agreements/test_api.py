"""The agreements API (SC-1, SC-4, SC-5): scoped reads, new versions with If-Match, signing."""

from __future__ import annotations

import pytest

from safecare.agreements.models import AgreementVersion
from safecare.core.models import AccessLog
from tests.agreements.world import sections
from tests.api.helpers import send, url

pytestmark = pytest.mark.django_db


def _body(world, **changes):  # type: ignore[no-untyped-def]
    return {
        "sections": {**sections(), **changes},
        "participants": [m.pk for m in world.household_own.members.all()],
    }


def test_it_lists_only_the_agreements_the_caller_may_see(world, client_for) -> None:
    carol = send(client_for(world.carol), "GET", url("agreement-list")).json()
    ids = {row["id"] for row in carol["results"]} if "results" in carol else {row["id"] for row in carol}
    assert ids == {world.agreement_own.pk, world.child_agreement_own.pk}


def test_sc1_it_reads_one_agreement_with_its_versions_and_signatures_and_logs_the_view(
    world, client_for
) -> None:
    response = send(client_for(world.chris), "GET", url("agreement-detail", world.agreement_own.pk))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    version = response.json()["versions"][0]
    assert version["status"] == "current" and version["sections"]["privacy"] == "Agreed: privacy"
    assert {s["signed_as"] for s in version["signatures"]} == {"carer", "SSW"}
    assert AccessLog.objects.filter(user=world.chris, via_api=True).exists()
    assert (
        send(client_for(world.oscar), "GET", url("agreement-detail", world.agreement_own.pk)).status_code
        == 404
    )


def test_a_new_version_needs_if_match_and_a_stale_one_is_refused_naming_the_sections(
    world, client_for
) -> None:
    path = url("agreement-versions", world.agreement_own.pk)
    sam, fiona = client_for(world.sam), client_for(world.fiona)
    assert send(sam, "POST", path, _body(world)).status_code == 428
    first = send(sam, "POST", path, _body(world, privacy="Knock first"), HTTP_IF_MATCH='"1"')
    assert first.status_code == 201, first.content
    assert first["ETag"] == '"2"'
    stale = send(fiona, "POST", path, _body(world, transport="Back seat"), HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert "They changed: Privacy" in stale.json()["detail"]
    assert AgreementVersion.objects.filter(agreement=world.agreement_own).count() == 2


def test_a_missing_section_is_named_in_the_refusal(world, client_for) -> None:
    body = _body(world)
    del body["sections"]["bedrooms"]
    response = send(
        client_for(world.sam),
        "POST",
        url("agreement-versions", world.agreement_own.pk),
        body,
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 400
    assert response.json() == {"bedrooms": ["Bedrooms: write what the household agrees, or 'none'"]}


def test_sc5_the_csw_writes_the_first_child_specific_agreement_and_a_second_is_refused(
    world, client_for
) -> None:
    from safecare.households import services as household_services
    from tests.factories import ChildFactory

    child = ChildFactory(service=world.service)
    household_services.allocation_set(actor=world.harry, kind="childs", worker=world.chris, child=child)
    placement = household_services.placement_create(
        actor=world.harry, child=child, household=world.household_own, start_on=world.placement_own.start_on
    )
    chris = client_for(world.chris)
    created = send(chris, "POST", url("agreement-list"), {**_body(world), "placement": placement.pk})
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "child" and created.json()["versions"][0]["number"] == 1
    again = send(chris, "POST", url("agreement-list"), {**_body(world), "placement": placement.pk})
    assert again.status_code == 400 and "already exists" in again.json()["placement"][0]


def test_signing_binds_the_version_and_the_last_signature_brings_it_into_force(world, client_for) -> None:
    path = url("agreement-sign", world.child_agreement_own.pk)
    version = world.child_agreement_version_own
    read = send(client_for(world.carol), "GET", url("agreement-detail", world.child_agreement_own.pk)).json()
    shown = read["versions"][0]["content_hash"]
    assert send(client_for(world.oscar), "POST", path, {"version": 1, "confirm": True}).status_code == 404
    wrong = send(
        client_for(world.carol), "POST", path, {"version": 1, "confirm": True, "content_hash": "0" * 64}
    )
    assert wrong.status_code == 400
    for person in (world.carol, world.sam, world.chris):
        response = send(
            client_for(person), "POST", path, {"version": 1, "confirm": True, "content_hash": shown}
        )
        assert response.status_code == 200, response.content
    assert response.json()["current_version_number"] == version.number


def test_the_schema_stays_valid(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=StringIO(), stderr=StringIO())
