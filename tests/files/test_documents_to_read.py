"""PH-1: a carer always sees what to read next: each document shared with her household stays in
her "Things to do" until she opens it."""

from __future__ import annotations

from django.urls import reverse

from safecare.home.things_to_do import DOCUMENT, things_to_do
from tests.files.test_documents import share


def _to_read(user) -> list[str]:  # type: ignore[no-untyped-def]
    return [thing.text for thing in things_to_do(user) if thing.kind == DOCUMENT]


def test_ph1_a_shared_document_is_a_thing_to_do_until_the_carer_opens_it(world, client_for) -> None:
    document = share(world, title="Contact arrangements")
    assert _to_read(world.carol) == ["Read Contact arrangements"]
    assert _to_read(world.oscar) == []  # another household's carer is never told of it

    home = client_for(world.carol).get(reverse("home"))
    assert reverse("files:document", kwargs={"pk": document.pk}) in home.content.decode()

    client_for(world.carol).get(reverse("files:document", kwargs={"pk": document.pk}))
    assert _to_read(world.carol) == []


def test_ph1_a_withdrawn_document_is_no_longer_a_thing_to_do(world) -> None:
    from safecare.files import services_documents

    document = share(world, title="Old plan")
    services_documents.document_withdraw(actor=world.sam, document=document, reason="Replaced by a new plan")
    assert _to_read(world.carol) == []
