"""rules: Everywhere: a signature covers exactly what was signed (security review finding 3).

A version's signed content is frozen when the version is written, so editing a household
member afterwards changes neither the content nor its hash. If the stored content were ever
changed (the database refuses it; the tests drop the trigger to simulate it), every page,
PDF and the API show the signatures as broken, and a broken signature does not count: the
version is not in force and nobody can sign it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from safecare.agreements import selectors, services
from safecare.agreements.models import AgreementVersion
from safecare.core.append_only import install, trigger_names
from safecare.core.signatures import content_hash, signatures_of
from safecare.households.services import member_update
from tests.api.helpers import send, url

pytestmark = pytest.mark.django_db


def _tamper(version: AgreementVersion, **content: Any) -> None:
    """Change a version's stored content as only someone dropping its trigger could."""
    table = AgreementVersion._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in trigger_names(table, connection.vendor):
            on = f" ON {quote(table)}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER {quote(name)}{on}")
    AgreementVersion.objects.filter(pk=version.pk).update(content={**version.content, **content})
    install(connection, [table])


def test_editing_a_member_after_signing_changes_neither_the_content_nor_its_hash(world: Any) -> None:
    version = world.agreement_version_own
    before = services.version_content(version)
    hashed = services.version_hash(version)
    carol = world.household_own.members.get(user=world.carol)
    member_update(actor=world.sam, member=carol, first_name="Caroline", last_name="Renamed")

    version = AgreementVersion.objects.get(pk=version.pk)
    assert services.version_content(version) == before
    assert services.version_hash(version) == hashed
    assert "Carol Patel" in str(before["participants"])
    view = selectors.version_view(version)
    assert view.status == "current" and not view.broken
    assert all(s.intact for s in view.signatures)  # type: ignore[attr-defined]
    assert {s.content_hash for s in signatures_of(version)} == {hashed}
    assert selectors.household_has_current_agreement(world.household_own)


def test_the_version_page_shows_who_took_part_as_signed(world: Any, client_for: Any) -> None:
    carol = world.household_own.members.get(user=world.carol)
    member_update(actor=world.sam, member=carol, first_name="Caroline")
    page = (
        client_for(world.sam)
        .get(reverse("agreements:version", kwargs={"pk": world.agreement_version_own.pk}))
        .content.decode()
    )
    assert "Carol Patel (foster carer)" in page and "Caroline" not in page
    assert "Broken" not in page and "govuk-tag--green" in page


def test_a_changed_text_shows_its_signatures_as_broken_and_is_not_in_force(
    world: Any, client_for: Any
) -> None:
    version = world.agreement_version_own
    before = send(client_for(world.sam), "GET", url("agreement-list")).json()
    rows = before["results"]
    assert [r["current_version_number"] for r in rows if r["id"] == world.agreement_own.pk] == [1]
    _tamper(version, sections={**version.content["sections"], "privacy": "Changed after signing"})

    version = AgreementVersion.objects.get(pk=version.pk)
    view = selectors.version_view(version)
    assert view.status == "broken" and view.broken
    assert not any(s.intact for s in view.signatures)  # type: ignore[attr-defined]
    assert not selectors.household_has_current_agreement(world.household_own)
    assert {s.user for s in services.outstanding_signers(version)} >= {world.carol, world.sam}

    sam = client_for(world.sam)
    page = sam.get(reverse("agreements:version", kwargs={"pk": version.pk})).content.decode()
    assert "Signatures broken" in page and "govuk-tag--red" in page and "changed after it was signed" in page
    household_page = sam.get(reverse("agreements:household", kwargs={"pk": world.household_own.pk}))
    assert "No version has been signed by everyone yet." in household_page.content.decode()
    pdf = sam.get(reverse("agreements:pdf", kwargs={"pk": version.pk}))
    assert pdf.status_code == 200

    body = send(sam, "GET", url("agreement-detail", world.agreement_own.pk)).json()
    assert body["current_version_number"] is None
    (shown,) = body["versions"]
    assert shown["status"] == "broken"
    assert [s["intact"] for s in shown["signatures"]] == [False, False]
    assert shown["content_hash"] == content_hash(shown["content"])
    listed = send(sam, "GET", url("agreement-list")).json()
    rows = listed["results"]
    (row,) = [r for r in rows if r["id"] == world.agreement_own.pk]
    assert row["current_version_number"] is None


def test_nobody_signs_a_version_whose_signatures_are_broken(world: Any) -> None:
    """The text changes between two signatures: the later one is refused, the first is broken."""
    from safecare.agreements.services import version_create, version_sign
    from tests.agreements.world import sections

    version = version_create(
        actor=world.sam,
        household=world.household_own,
        sections=sections("Second"),
        participants=world.household_own.members.all(),
        based_on=1,
    )
    version_sign(actor=world.carol, version=version, confirmed=True)
    _tamper(version, sections={**version.content["sections"], "transport": "Changed after Carol signed"})
    with pytest.raises(ValidationError) as refused:
        version_sign(actor=world.sam, version=version, confirmed=True)
    assert "changed since it was signed" in str(refused.value)
    assert [s.signer for s in signatures_of(version)] == [world.carol]
    fresh = AgreementVersion.objects.get(pk=version.pk)
    assert not selectors.version_view(fresh).signatures[0].intact  # type: ignore[attr-defined]
    assert world.agreement_own.current_version_id == world.agreement_version_own.pk
