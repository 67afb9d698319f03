"""The partial updates of tests/security/table_api.py, walked like the GET and POST rows.

tests/security/test_access_table.py sends GET and POST only; a PATCH row there
would be probed as a GET. Same rules here: every named user, own object and
other object, each request rolled back.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import World, sign_in
from tests.security.table_api import EVERYONE, PATCH_ROUTES


def _patch(client: Client, path: str) -> int:
    with transaction.atomic():
        etag = client.get(path).headers.get("ETag", '"0"')
        response = client.patch(path, data="{}", content_type="application/json", HTTP_IF_MATCH=etag)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("row", PATCH_ROUTES, ids=[f"{r['method']} {r['name']}" for r in PATCH_ROUTES])
def test_a_partial_update_answers_only_whom_the_table_allows(world: World, row: dict[str, Any]) -> None:
    own = reverse(row["name"], kwargs={"pk": getattr(world, row["own"]).pk})
    other = reverse(row["name"], kwargs={"pk": getattr(world, row["other"]).pk})
    assert _patch(Client(), own) == 403

    failures = []
    for username in sorted(EVERYONE):
        client = sign_in(Client(), world.users[username])
        for path, allowed in [(own, row["allowed"]), (other, row["allowed_other"])]:
            code = _patch(client, path)
            expected_ok = username in allowed
            if expected_ok != (code == 200) or (not expected_ok and code != 404):
                failures.append(f"{username} PATCH {path}: {code}")
    assert not failures, "\n".join(failures)
