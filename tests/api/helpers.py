"""Helpers of the API tests: reverse a DRF route, send JSON as an integration would."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse


def url(name: str, pk: int | None = None) -> str:
    return reverse(name, kwargs={"pk": pk} if pk is not None else {})


def send(client: Client, method: str, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
    """One API call with a JSON body, as an integration would make it."""
    if method == "GET":
        return client.get(path, data or {}, **extra)
    return client.generic(method, path, data=json.dumps(data or {}), content_type="application/json", **extra)


def update(client: Client, path: str, data: dict[str, Any]) -> Any:
    """A PATCH as an integration makes it: read the record, then change it naming its ETag."""
    read = client.get(path)
    etag = read.headers.get("ETag", '"0"')
    return send(client, "PATCH", path, data, HTTP_IF_MATCH=etag)
