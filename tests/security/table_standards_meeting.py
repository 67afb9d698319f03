"""Access table of arranging the standards of care meeting, its invitations, the service's
documents (SOC-8) and the minutes (SOC-9): pages and API.

Who does what (standards.rules, standards.selectors, standards.services_meeting):
- the SSW (sam), the fostering team manager of the household's team (fiona), the fostering
  manager (frank) and the heads (helen, harry) ask business support to arrange a meeting and
  may arrange it themselves; the business support officer asked (bella) arranges it, lists its
  invitees and sends the invitations, and sees nothing else of the case;
- "Meetings to arrange" is business support's own page;
- the service's documents are uploaded by business support, the fostering managers and the
  heads (olga too, for South Fostering), and read by the service's staff and the carers
  invited to a meeting (carol, once invited); never by another service;
- the chair (frank here) alone records the minutes.

The records are made for the walks only (`extend`), inside the walk's rolled-back transaction:
for each household a second meeting decided on, with bella asked to arrange it and the meeting
arranged (soc_arrmeeting_*), a third one asked of bella and not arranged yet
(soc_toarrange_*), a fourth decided on and not yet asked of anyone (soc_asking_*), a contact
on the list not yet invited (soc_invitee_*), the carer invited (soc_carolinvite_own), and
North Fostering's three documents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from safecare.standards.models import (
    Arrangement,
    DocumentKind,
    Invitee,
    InviteeRole,
    Meeting,
    MeetingProposal,
    ServiceDocument,
)

EVERYONE = {
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
}  # fmt: skip
ARRANGERS = {"sam", "fiona", "frank", "helen", "harry"}
ARRANGERS_OTHER = {"frank", "helen", "harry"}
INVITERS = ARRANGERS | {"bella"}
INVITERS_OTHER = ARRANGERS_OTHER | {"bella"}
MEETING_READERS = INVITERS | {"carol"}
MEETING_READERS_OTHER = INVITERS_OTHER | {"oscar"}
UPLOADERS = {"bella", "frank", "helen", "harry", "olga"}
# North Fostering's staff, and carol, invited to a meeting; South Fostering has no documents.
DOCUMENT_READERS = {
    "asha", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry", "bella", "pat", "adam",
    "ada", "carol",
}  # fmt: skip
# standards.rules for a create that names its record in the body (any service's).
REQUESTERS = {"sam", "fiona", "frank", "helen", "harry", "olga"}
INVITE_PERM = REQUESTERS | {"bella"}
WALK_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def _convened(household: Any, by: Any, reasons: str) -> MeetingProposal:
    return MeetingProposal.objects.create(
        service=household.service,
        household=household,
        proposed_on=timezone.localdate(),
        pattern=True,
        convene=True,
        decided_by=by,
        decided_at=timezone.now(),
        decision_reasons=reasons,
    )


def _records(world: Any, suffix: str, household: Any, manager: Any, officer: Any) -> None:
    proposal = _convened(household, manager, "Arranged with business support.")
    arrangement = Arrangement.objects.create(
        service=household.service, proposal=proposal, business_support=officer, requested_by=manager
    )
    meeting = Meeting.objects.create(
        service=household.service,
        household=household,
        proposal=proposal,
        meets_on=timezone.localdate() + dt.timedelta(days=40),
        place="Room 3, Civic Centre",
        chair=manager,
        arranged_by=officer,
    )
    invitee = Invitee.objects.create(
        service=household.service,
        meeting=meeting,
        role=InviteeRole.SUPPORT_WORKER,
        name="Dana Reed",
        email="dana.reed@fostering.example",
        added_by=officer,
    )
    waiting = _convened(household, manager, "To be arranged by business support.")
    Arrangement.objects.create(
        service=household.service, proposal=waiting, business_support=officer, requested_by=manager
    )
    asking = _convened(household, manager, "Not yet asked of anyone.")
    for name, record in (
        ("arrangement", arrangement),
        ("arrmeeting", meeting),
        ("invitee", invitee),
        ("toarrange", waiting),
        ("asking", asking),
    ):
        setattr(world, f"soc_{name}_{suffix}", record)


def _documents(world: Any) -> None:
    for kind in DocumentKind.values:
        name = f"service-documents/walk/{world.service.pk}-{kind}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(WALK_PDF))
        document = ServiceDocument.objects.create(
            service=world.service,
            kind=kind,
            file=name,
            name=f"{kind}.pdf",
            sha256="0" * 64,
            uploaded_by=world.bella,
        )
        if kind == DocumentKind.PROCEDURE:
            world.soc_document_own = document


def extend(world: Any) -> None:
    _records(world, "own", world.household_own, world.frank, world.bella)
    _records(world, "other", world.household_other, world.frank, world.bella)
    _records(world, "south", world.household_south, world.olga, world.olga)
    world.soc_carolinvite_own = Invitee.objects.create(
        service=world.service,
        meeting=world.soc_arrmeeting_own,
        role=InviteeRole.CARER,
        user=world.carol,
        name="Carol Patel",
        invited_at=timezone.now(),
        added_by=world.bella,
    )
    _documents(world)


def _rows(
    name: str,
    attr: str | None,
    allowed: set[str],
    allowed_other: set[str] | None = None,
    methods: tuple[str, ...] = ("GET", "POST"),
    kwargs: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "kwargs": kwargs if kwargs is not None else ({"pk": attr} if attr else {}),
            "method": method,
            "allowed": allowed,
            "own": attr,
            "other": attr.replace("_own", "_other") if attr else None,
            "allowed_other": allowed_other or set(),
        }
        for method in methods
    ]


def _api(
    name: str, method: str, allowed: set[str], own: str | None = None, allowed_other: set[str] | None = None
) -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": allowed,
        "own": own,
        "other": own.replace("_own", "_other") if own else None,
        "allowed_other": allowed_other or set(),
        "api": True,
    }


ROUTES: list[dict[str, Any]] = [
    *_rows("standards:arrangement_list", None, {"bella"}, methods=("GET",)),
    *_rows("standards:arrangement_request", "soc_asking_own", ARRANGERS, ARRANGERS_OTHER),
    *_rows("standards:meeting_arrange", "soc_toarrange_own", INVITERS, INVITERS_OTHER),
    *_rows("standards:invitee_add", "soc_arrmeeting_own", INVITERS, INVITERS_OTHER),
    *_rows("standards:invitees_usual", "soc_arrmeeting_own", INVITERS, INVITERS_OTHER, ("POST",)),
    *_rows("standards:invitations_send", "soc_arrmeeting_own", INVITERS, INVITERS_OTHER),
    *_rows("standards:invitee_remove", "soc_invitee_own", INVITERS, INVITERS_OTHER),
    # The person invited reads their invitation; those arranging the invitations too.
    *_rows("standards:invitation_detail", "soc_carolinvite_own", INVITERS | {"carol"}, methods=("GET",)),
    # SOC-9: the meeting's chair alone.
    *_rows("standards:minutes_record", "soc_arrmeeting_own", {"frank"}, {"frank"}),
    *_rows("standards:documents_list", None, UPLOADERS, methods=("GET",)),
    *_rows("standards:document_upload", None, UPLOADERS, kwargs={"kind": "procedure"}),
    *_rows(
        "standards:document_download", None, DOCUMENT_READERS, methods=("GET",), kwargs={"kind": "procedure"}
    ),
    # The API: the same scopes.
    _api("soc-arrangement-list", "GET", EVERYONE),
    _api("soc-arrangement-list", "POST", REQUESTERS),
    _api("soc-arrangement-detail", "GET", INVITERS, "soc_arrangement_own", INVITERS_OTHER),
    _api("soc-meeting-list", "GET", EVERYONE),
    _api("soc-meeting-list", "POST", REQUESTERS | {"bella"}),
    _api("soc-meeting-detail", "GET", MEETING_READERS, "soc_arrmeeting_own", MEETING_READERS_OTHER),
    _api("soc-meeting-send-invitations", "POST", INVITERS, "soc_arrmeeting_own", INVITERS_OTHER),
    _api("soc-meeting-minutes", "POST", {"frank"}, "soc_arrmeeting_own", {"frank"}),
    _api("soc-invitee-list", "GET", EVERYONE),
    _api("soc-invitee-list", "POST", INVITE_PERM),
    _api("soc-invitee-detail", "GET", MEETING_READERS, "soc_invitee_own", MEETING_READERS_OTHER),
    _api("soc-service-document-list", "GET", EVERYONE),
    _api("soc-service-document-detail", "GET", DOCUMENT_READERS, "soc_document_own"),
]
