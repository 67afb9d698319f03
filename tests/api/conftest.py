"""Fixtures of the API tests: the records the access table names beyond `world`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.security.table_api import extra_objects


@pytest.fixture
def extras(world: World) -> dict[str, Any]:
    return extra_objects(world)


def url(name: str, pk: int | None = None) -> str:
    return reverse(name, kwargs={"pk": pk} if pk is not None else {})


def send(client: Client, method: str, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
    """One API call with a JSON body, as an integration would make it."""
    if method == "GET":
        return client.get(path, data or {}, **extra)
    return client.generic(method, path, data=json.dumps(data or {}), content_type="application/json", **extra)
