"""The inspection packs' API (/api/v1/compliance/packs/): list, read and ask for a pack, metadata
only, for the service-wide readers of their own service; a refusal is a 400 naming the field.

Until the compliance routes are in config.urls_api, this module serves the API through its
own URL list (the project's routes with the packs' added in front)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import include, path
from django.utils import timezone
from rest_framework.routers import SimpleRouter

from safecare.compliance import api_pack
from safecare.compliance.models import InspectionPack, PackStatus
from safecare.config import urls as project_urls
from safecare.core.models import AccessLog

_router = SimpleRouter()
api_pack.register(_router)
urlpatterns = [path("api/v1/", include(_router.urls)), *project_urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/api/v1/compliance/packs/"


def _post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


def _body(**kwargs: Any) -> dict[str, Any]:
    return {"start": "2026-01-01", "end": "2026-03-31", "purpose": "Ofsted inspection", **kwargs}


def test_a_manager_asks_for_a_pack_and_reads_it_back_without_its_bytes(world: Any, client_for: Any) -> None:
    client = client_for(world.helen)
    response = _post(client, _body())
    assert response.status_code == 201, response.content
    created = response.json()
    pack = InspectionPack.objects.get()
    assert created["id"] == pack.pk and created["reference"] == pack.reference
    assert (created["period_start"], created["period_end"], created["purpose"]) == (
        "2026-01-01",
        "2026-03-31",
        "Ofsted inspection",
    )
    assert created["status"] in {PackStatus.QUEUED, PackStatus.READY}
    assert "file" not in created and "error" not in created
    listed = client.get(URL).json()["results"]
    assert [item["id"] for item in listed] == [pack.pk]
    before = AccessLog.objects.count()
    one = client.get(f"{URL}{pack.pk}/")
    assert one.status_code == 200 and one.json()["requested_by"] == world.helen.pk
    assert AccessLog.objects.count() == before + 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"end": "2099-01-01"}, "end", "the period must end today or before"),
        ({"start": "2026-04-01", "end": "2026-03-31"}, "start", "must start on or before the day it ends"),
        ({"purpose": ""}, "purpose", "say what the pack is for"),
        ({"start": None}, "start", "enter the first day"),
        ({"start": "1 Jan"}, "start", ""),
    ],
)
def test_a_refusal_is_a_400_naming_the_field(
    world: Any, client_for: Any, body: Any, field: Any, words: Any
) -> None:
    response = _post(client_for(world.frank), _body(**body))
    assert response.status_code == 400, response.content
    errors = json.dumps(response.json())
    assert field in errors and words in errors
    assert not InspectionPack.objects.exists()


def test_others_cannot_ask_and_list_nothing(world: Any, client_for: Any) -> None:
    pack = InspectionPack.objects.create(
        service=world.service,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        purpose="Ofsted inspection",
        requested_by=world.frank,
        requested_at=timezone.now(),
    )
    for name in ("fiona", "sam", "carol", "sue", "olga"):
        client = client_for(world.users[name])
        assert _post(client, _body()).status_code == (201 if name == "olga" else 404), name
        assert client.get(URL).json()["results"] == [] or name == "olga", name
        assert client.get(f"{URL}{pack.pk}/").status_code == 404, name
    assert InspectionPack.objects.filter(service=world.service).count() == 1
