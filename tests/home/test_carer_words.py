"""Carers read plain English: a rule id reaches a carer only as a small "policy reference" link.

Every page a foster carer may open (each GET row of the access table that allows carol) is
read as carol sees it, and every form she may send is sent empty, so its messages are read
too. Outside a policy-reference link, no rule id (SC-4, DV-3, CX-2 and so on) may show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.conftest import SharedWorld, World, sign_in
from tests.security.test_access_table import ROWS, _url, walk_world

RULE_ID = re.compile(r"\b(?:HH|SC|DV|CX|PH|SOC|IM)-[1-9]\d?\b(?!-)")
POLICY_REFERENCE = re.compile(r'<a [^>]*class="[^"]*app-policy-ref[^"]*"[^>]*>.*?</a>', re.S)
INVISIBLE = re.compile(r"<(script|style|textarea)\b.*?</\1>|<[^>]+>", re.S)

# Every page carol may open, but the rules page: its subject is the rule ids.
CAROLS_PAGES = [
    row
    for row in ROWS
    if row["method"] == "GET"
    and not row.get("api")
    and "carol" in row.get("allowed", ())
    and row["name"] != "rules"
]


def visible_text(html: str) -> str:
    """The page's words as read, without policy-reference links, tags, scripts or typed text."""
    return INVISIBLE.sub(" ", POLICY_REFERENCE.sub(" ", html))


def rule_ids_shown(html: str) -> list[str]:
    text = visible_text(html)
    return [text[max(m.start() - 60, 0) : m.end() + 20].strip() for m in RULE_ID.finditer(text)]


@pytest.fixture(scope="module")
def carol(_shared_world: SharedWorld, django_db_blocker: Any) -> Iterator[tuple[World, Client]]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = walk_world(_shared_world)
            yield world, sign_in(Client(), world.users["carol"])
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_the_scan_finds_a_rule_id_only_outside_a_policy_reference() -> None:
    page = (
        '<p>You cannot have a camera in a child\'s bedroom <a class="govuk-link app-policy-ref" '
        'href="/rules/#DV-3">Policy reference DV-3</a></p><p>Prohibited · DV-3</p>'
    )
    (shown,) = rule_ids_shown(page)
    assert shown.endswith("Prohibited · DV-3")


@pytest.mark.django_db
@pytest.mark.parametrize("row", CAROLS_PAGES, ids=[row["name"] for row in CAROLS_PAGES])
def test_no_rule_id_reaches_a_carer_but_as_a_policy_reference(row: dict[str, Any], carol) -> None:  # type: ignore[no-untyped-def]
    world, client = carol
    url = _url(row, world)
    assert url is not None
    with transaction.atomic():
        response = client.get(url)
        shown = []
        if response.status_code == 200 and "text/html" in response.headers.get("Content-Type", ""):
            html = response.content.decode()
            shown += rule_ids_shown(html)
            if '<form method="post" novalidate' in html:
                sent = client.post(url, {})
                if sent.status_code == 200:
                    shown += [f"(sent empty) {found}" for found in rule_ids_shown(sent.content.decode())]
        transaction.set_rollback(True)
    assert not shown, f"{url}:\n" + "\n".join(shown)
