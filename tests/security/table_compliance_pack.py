"""Access table of inspection packs (compliance.views_pack and api_pack).

- The packs page (list and asking for one), a pack's page (and building it again), its
  download, and the API's read and create: the service-wide readers (compliance.make_pack:
  frank, helen, harry), their own service's packs; olga her own service's list. Nobody else:
  not the team managers, the workers, the service manager, the carers, business support,
  panel members, the agency decision maker or the service administrator.
- Objects: pack_own (asked for by frank) and pack_other (by helen), both of North; pack_south
  of South (olga's).
- The API's list answers everyone, empty outside the scope (every API list does).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.compliance.models import InspectionPack, PackStatus
from safecare.files import storage

from .table_standards_api import EVERYONE, _api

MAKERS = {"frank", "helen", "harry"}


def _pack(world: Any, suffix: str, service: Any, requester: Any) -> None:
    now = timezone.now()
    stored = storage.store(service=service, data=b"%PDF-1.7 pack", content_type="application/pdf")
    pack = InspectionPack.objects.create(
        service=service,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        purpose="Ofsted inspection",
        requested_by=requester,
        status=PackStatus.READY,
        progress=100,
        file=stored,
        built_at=now,
        expires_at=now + dt.timedelta(days=14),
    )
    setattr(world, f"pack_{suffix}", pack)


def extend(world: Any) -> None:
    _pack(world, "own", world.service, world.frank)
    _pack(world, "other", world.service, world.helen)
    _pack(world, "south", world.south, world.olga)


def _page(name: str, method: str = "GET") -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": "pack_own"},
        "method": method,
        "allowed": MAKERS,
        "own": "pack_own",
        "other": "pack_other",
        "allowed_other": MAKERS,
    }


ROUTES: list[dict[str, Any]] = [
    {"name": "compliance:packs", "kwargs": {}, "method": "GET", "allowed": MAKERS | {"olga"}},
    {"name": "compliance:packs", "kwargs": {}, "method": "POST", "allowed": MAKERS | {"olga"}},
    _page("compliance:pack"),
    _page("compliance:pack", "POST"),
    _page("compliance:pack_download"),
    _api("inspection-pack-list", "GET", EVERYONE),
    _api("inspection-pack-list", "POST", MAKERS | {"olga"}),
    _api("inspection-pack-detail", "GET", MAKERS, "pack_own", MAKERS),
]
