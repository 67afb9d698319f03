"""Access table of subject access requests (DP-1) and records past their retention period (DP-2)
(safecare.files.views_export; decisions 0047, 0048).

- A household's subject access pages, a request's page, its status, its download, marking it
  sent and building it again: the managers who see every household (frank, helen, harry), in
  their own service; nobody else: not the carers, the social workers, the team or service
  managers.
- Records past their retention period: the named role (SAFECARE_RETENTION_ROLE, the head of
  service: harry; olga in her own service's list), nobody else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.files import storage
from safecare.files.models import ExportStatus, RetentionCase, RetentionSubject, SubjectAccessRequest
from safecare.households.models import MemberKind
from tests.factories import MemberFactory

from .table_standards_api import EVERYONE, _api

EXPORTERS = {"frank", "helen", "harry"}
RETENTION = {"harry"}


def _request(world: Any, suffix: str, household: Any, member: Any, recorder: Any) -> None:
    now = timezone.now()
    stored = storage.store(service=household.service, data=b"PK export", content_type="application/zip")
    sar = SubjectAccessRequest.objects.create(
        service=household.service,
        household=household,
        member=member,
        received_on=timezone.localdate(),
        recorded_by=recorder,
        status=ExportStatus.READY,
        progress=100,
        file=stored,
        built_at=now,
        expires_at=now + dt.timedelta(days=14),
    )
    setattr(world, f"sar_{suffix}", sar)


def _case(world: Any, suffix: str, child: Any) -> None:
    case = RetentionCase.objects.create(
        service=child.service,
        subject=RetentionSubject.CHILD,
        subject_id=child.pk,
        label=f"Child record C-{child.pk:05d}",
        keep_until=timezone.localdate() - dt.timedelta(days=1),
    )
    setattr(world, f"retention_case_{suffix}", case)


def extend(world: Any) -> None:
    _request(world, "own", world.household_own, world.carer_member, world.frank)
    _request(world, "other", world.household_other, world.member_other, world.frank)
    south_carer = MemberFactory(household=world.household_south, kind=MemberKind.CARER)
    _request(world, "south", world.household_south, south_carer, world.olga)
    _case(world, "own", world.child_own)
    _case(world, "other", world.child_other)
    _case(world, "south", world.child_south)


def _page(name: str, attr: str, allowed: set[str], method: str = "GET") -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": attr},
        "method": method,
        "allowed": allowed,
        "own": attr,
        "other": attr.replace("_own", "_other"),
        "allowed_other": allowed,
    }


ROUTES: list[dict[str, Any]] = [
    _page("files:export_list", "household_own", EXPORTERS),
    _page("files:export_list", "household_own", EXPORTERS, "POST"),
    _page("files:export_detail", "sar_own", EXPORTERS),
    _page("files:export_status", "sar_own", EXPORTERS),
    _page("files:export_download", "sar_own", EXPORTERS),
    _page("files:export_sent", "sar_own", EXPORTERS, "POST"),
    _page("files:export_retry", "sar_own", EXPORTERS, "POST"),
    {"name": "files:retention_list", "kwargs": {}, "method": "GET", "allowed": RETENTION | {"olga"}},
    _page("files:retention_detail", "retention_case_own", RETENTION),
    _page("files:retention_erase", "retention_case_own", RETENTION),
    _page("files:retention_erase", "retention_case_own", RETENTION, "POST"),
    _page("files:retention_keep", "retention_case_own", RETENTION),
    _page("files:retention_keep", "retention_case_own", RETENTION, "POST"),
]

# The API: the same readers; a list answers everyone (empty outside the scope).
ROUTES += [
    _api("subject-access-request-list", "GET", EVERYONE),
    _api("subject-access-request-list", "POST", EXPORTERS | {"olga"}),
    _api("subject-access-request-detail", "GET", EXPORTERS, "sar_own", EXPORTERS),
]
