"""A foster carer's "Things to do": everything waiting for her to sign, acknowledge or act on.

Read through each app's own scopes (households_visible_to, agreements_visible_to,
supervisions_visible_to, requests_visible_to, arrangements_visible_to), so a carer is
shown exactly what she may open, and nothing of another household. Every kind of thing is
read in one query together, the rows of each kind as columns of a shared shape (one UNION
ALL, decision 0059); only what needs more than a row (a device's verdict, a visit record's
text to check a signature against) is read after it, and only when there is one.

The kinds:
- a version of the Safe Caring Family Agreement, or of a child's agreement, that she has
  not signed (SC-1, SC-4, SC-5);
- a completed supervision record the household has not acknowledged (SC-10);
- a CCTV report being signed that she has not signed: the carers sign first (CX-3);
- what the device register asks the household to do or record about a camera or
  microphone, a prohibited one first (DV-1, DV-3, DV-7, DV-11, DV-12 and the others);
- a care arrangement she asked for that the service has not answered yet: the child is
  not left until it agrees (SC-12);
- today's recording for each child placed with her, until it is written: recordings are
  kept up to date throughout the placement (SC-7), and the record is a daily one;
- a standards of care visit record the supervising social worker has signed and shared,
  that she has not signed yet (SOC-4);
- the report for her standards of care meeting, shared with her, until she says she has
  received it (SOC-7); then, until the meeting, that she may send the chair a response (SOC-8);
- an agreement to monitor the internet use of a young person she cares for (placed with her
  or lodging with her household), while it is in force: she reads what it asks of her (IM-8).

The words are for carers: plain English first, no rule ids.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from safecare.agreements.models import AgreementKind, AgreementVersion
from safecare.agreements.selectors import agreements_visible_to
from safecare.agreements.services import CHILD_AGREEMENT, SCFA_ASSESSMENT, SCFA_PLACEMENT
from safecare.core.deadlines import long_date
from safecare.core.models import Signature, Task, TaskStatus, User
from safecare.core.roles import Role
from safecare.core.signatures import check_signatures
from safecare.devices.assessment import agreement_gaps, contexts
from safecare.devices.models import CctvReport, Device, DeviceStatus, RequestStatus
from safecare.devices.selectors import (
    CCTV_SIGN,
    RegisterRow,
    current_devices,
    register_to_do,
    requests_visible_to,
)
from safecare.devices.verdict import DeviceFacts, verdict
from safecare.households.access import households_visible_to, placements_visible_to
from safecare.households.models import Child, Household, Placement
from safecare.notices.models import ArrangementStatus
from safecare.notices.selectors import arrangements_visible_to
from safecare.supervision.models import Recording
from safecare.supervision.selectors import supervisions_visible_to

NOTHING_TO_DO = "You have nothing to do at the moment."

# The kinds of thing to do, for the page's styling and the tests.
AGREEMENT = "agreement"
SUPERVISION = "supervision"
CCTV = "cctv"
DEVICE = "device"
CARE_ARRANGEMENT = "care_arrangement"
RECORDING = "recording"
VISIT_RECORD = "visit_record"
MEETING_REPORT = "meeting_report"
INTERNET_MONITORING = "internet_monitoring"
DOCUMENT = "document"

# The duties whose due date is the date a new agreement must be in force, and so signed by.
# A review (SC-4, SC-5) is due months ahead and says nothing about when to sign.
_AGREEMENT_DUTIES = (SCFA_ASSESSMENT, SCFA_PLACEMENT, CHILD_AGREEMENT)


@dataclass(frozen=True)
class ThingToDo:
    """One thing a carer has to do: what, where she does it, since when and by when."""

    kind: str
    text: str
    url: str
    since: dt.datetime
    due_on: dt.date | None = None

    @property
    def due_label(self) -> str:
        return long_date(self.due_on) if self.due_on else ""


@dataclass(frozen=True)
class CarerHome:
    """What a carer's home page shows: her household, the children placed with her, her things to do."""

    household: Household | None
    placements: list[Placement]
    things: list[ThingToDo]


def things_to_do(user: User, *, today: dt.date | None = None) -> list[ThingToDo]:
    """Everything waiting for this carer, newest first. Empty for anyone who is not a carer."""
    return carer_home(user, today=today).things


def carer_home(user: User, *, today: dt.date | None = None) -> CarerHome:
    """The carer's home page in one query, whatever her history (decision 0059).

    Her households, the children placed with her (each with whether today's recording is
    written) and every kind of thing to do are rows of one query. Only when her household
    has a device on its register are its verdicts read, by the register's own queries.
    """
    if user.role != Role.CARER or not user.is_active:
        return CarerHome(household=None, placements=[], things=[])
    today = today or timezone.localdate()
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _one_query(user, today):
        rows[row["r_kind"]].append(row)
    households = _households(user, rows["household"])
    if not households:
        return CarerHome(household=None, placements=[], things=[])
    placements = _placements(rows["placement"])
    due = _open_due_dates(rows["due"])
    items = [
        *_agreements_to_sign(user, rows, due),
        *_supervisions_to_acknowledge(rows),
        *_cctv_reports_to_sign(user, rows, due),
        *(_devices_to_sort_out(households, placements, today) if rows["device"] else []),
        *_arrangements_waiting(rows),
        *_recordings_to_write(placements, today),
        *_visit_records_to_sign(user, rows),
        *_meeting_reports_to_read(rows),
        *_internet_monitoring_to_read(rows),
        *_documents_to_read(rows),
    ]
    things = sorted(items, key=lambda item: item.since, reverse=True)
    return CarerHome(household=households[0], placements=placements, things=things)


def _households(user: User, rows: list[dict[str, Any]]) -> list[Household]:
    """Her households, by name, from their rows. A household she sees is of her service, already
    loaded with her (core.auth_backends): the register reads its settings there."""
    households = [
        Household(
            pk=row["r_pk"], name=row["r_t1"], status=row["r_t2"], service_id=row["r_n1"], team_id=row["r_n2"]
        )
        for row in sorted(rows, key=lambda row: (row["r_t1"], row["r_pk"]))
    ]
    if user.service is not None:  # a carer always has one
        for household in households:
            household.service = user.service
    return households


def _placements(rows: list[dict[str, Any]]) -> list[Placement]:
    """The children placed with her now, from their rows, longest placed first."""
    placements = []
    for row in sorted(rows, key=lambda row: (row["r_d1"], row["r_pk"])):
        child = Child(
            pk=row["r_n1"], first_name=row["r_t1"], last_name=row["r_t2"], date_of_birth=row["r_d2"]
        )
        placement = Placement(pk=row["r_pk"], child=child, household_id=row["r_n2"], start_on=row["r_d1"])
        placement.written_today = bool(row["r_yes"])  # type: ignore[attr-defined]
        placements.append(placement)
    return placements


# The one query's columns: every kind's rows take this shape, each kind filling the columns it
# needs (its own meaning for each, noted by the kind's branch) and leaving the others empty.
_COLUMNS: dict[str, Callable[[], models.Field[Any, Any]]] = {
    "r_pk": models.BigIntegerField,
    "r_n1": models.BigIntegerField,
    "r_n2": models.BigIntegerField,
    "r_n3": models.BigIntegerField,
    "r_n4": models.BigIntegerField,
    "r_t1": models.TextField,
    "r_t2": models.TextField,
    "r_d1": models.DateField,
    "r_d2": models.DateField,
    "r_at": models.DateTimeField,
    "r_at2": models.DateTimeField,
    "r_yes": models.BooleanField,
    "r_doc": models.JSONField,
}


def _rows(queryset: QuerySet[Any], kind: str, *, first: bool = False, **columns: Any) -> QuerySet[Any]:
    """One kind's rows in the shared shape: `columns` names each filled column (without "r_").

    The first kind's empty columns are typed: PostgreSQL matches a UNION's columns two branches
    at a time, and would read two untyped NULLs as text, which no later date or number
    matches; and the rows are read as the first kind's columns say. After it, a NULL takes the
    type already there.
    """
    unknown = set(columns) - {name[2:] for name in _COLUMNS}
    if unknown:
        raise TypeError(f"no such column: {sorted(unknown)}")
    values: dict[str, Any] = {"r_kind": Value(kind, output_field=models.CharField())}
    for name, field in _COLUMNS.items():
        given = columns.get(name[2:])
        if given is None:
            empty = Value(None, output_field=field())  # a plain NULL (JSON's: the JSON null)
            values[name] = Cast(Value(None), output_field=field()) if first else empty
        else:
            values[name] = F(given) if isinstance(given, str) else given
    return queryset.order_by().values(**values)


def _one_query(user: User, today: dt.date) -> list[dict[str, Any]]:
    """Every kind of thing to do, read together in one query (UNION ALL), through each app's scopes."""
    from safecare.core.models import AccessLog
    from safecare.files.models import SharedDocument
    from safecare.files.selectors import documents_visible_to
    from safecare.monitoring.selectors import agreements_visible_to as monitoring_agreements_visible_to
    from safecare.standards.models import ReceiptConfirmation, Recipient, ReportSending, Visit, VisitAction
    from safecare.standards.selectors import visits_visible_to

    households = households_visible_to(user, today=today)
    now = timezone.now()

    def not_signed_by_her(documents: QuerySet[Any], model: type[models.Model]) -> QuerySet[Any]:
        # Signed by her, a document waits no more: her signature stands, or one is broken and
        # nobody signs it now. So only the others are read, whatever her history.
        hers = Signature.objects.filter(
            document_type=ContentType.objects.get_for_model(model), document_id=OuterRef("pk"), signer=user
        )
        return documents.filter(~Exists(hers))

    latest_version = (
        AgreementVersion.objects.filter(agreement=OuterRef("agreement")).order_by("-number").values("pk")[:1]
    )
    versions = not_signed_by_her(
        AgreementVersion.objects.filter(
            agreement__in=agreements_visible_to(user, today=today), pk=Subquery(latest_version)
        ),
        AgreementVersion,
    )
    latest_report = (
        CctvReport.objects.filter(request=OuterRef("request")).order_by("-number").values("pk")[:1]
    )
    reports = not_signed_by_her(
        CctvReport.objects.filter(
            request__in=requests_visible_to(user).filter(status=RequestStatus.SIGNING),
            pk=Subquery(latest_report),
        ),
        CctvReport,
    )
    visits = not_signed_by_her(visits_visible_to(user), Visit)
    opened = AccessLog.objects.filter(user=user, subject_type="shareddocument", subject_id=OuterRef("pk"))
    unread = documents_visible_to(user).filter(~Exists(opened))
    written = Recording.objects.filter(placement=OuterRef("pk"), recorded_on=today)
    branches = [
        # Her households, and the children placed with her now with whether today's recording
        # is written (SC-7).
        _rows(
            households,
            "household",
            first=True,
            pk="pk",
            n1="service_id",
            n2="team_id",
            t1="name",
            t2="status",
        ),
        _rows(
            placements_visible_to(user, today=today),
            "placement",
            pk="pk",
            n1="child_id",
            n2="household_id",
            t1="child__first_name",
            t2="child__last_name",
            d1="start_on",
            d2="child__date_of_birth",
            yes=Exists(written),
        ),
        # The open duties a carer's signature fulfils: (kind, household, child) and their due date.
        _rows(
            Task.objects.filter(
                household__in=households, status=TaskStatus.OPEN, kind__in=[*_AGREEMENT_DUTIES, CCTV_SIGN]
            ),
            "due",
            n1="household_id",
            n2="child_id",
            t1="kind",
            d1="due_on",
        ),
        # The latest version of each agreement she sees, and the signatures on it.
        _rows(
            versions,
            "version",
            pk="pk",
            n1="number",
            n2="agreement__child_id",
            n3="agreement__household_id",
            n4="agreement_id",
            t1="agreement__child__first_name",
            t2="agreement__kind",
            at="created_at",
            doc="content",
        ),
        # (The signatures of the latest version of every agreement of her households: the same
        # versions and more, without building the agreements scope again; the others are let go.)
        _signature_rows(
            "version_signature",
            AgreementVersion,
            AgreementVersion.objects.filter(agreement__household__in=households, pk=Subquery(latest_version)),
        ),
        _rows(
            supervisions_visible_to(user, today=today).filter(acknowledged_at__isnull=True),
            "supervision",
            pk="pk",
            d1="held_on",
            at="completed_at",
        ),
        # The latest report of each CCTV request being signed, and the signatures on it.
        _rows(
            reports,
            "report",
            pk="pk",
            n1="request_id",
            n3="request__household_id",
            at="submitted_at",
            doc="content",
        ),
        _signature_rows("report_signature", CctvReport, reports),
        # Whether her household has a device on its register (planned or in use, as
        # devices.selectors.current_devices): its verdicts are read only then.
        _rows(
            Device.objects.filter(household__in=households).exclude(status=DeviceStatus.REMOVED),
            "device",
            pk="pk",
        ),
        _rows(
            arrangements_visible_to(user).filter(status=ArrangementStatus.REQUESTED, starts_at__gt=now),
            "arrangement",
            pk="pk",
            t1="child__first_name",
            t2="carer_name",
            at="requested_at",
            at2="starts_at",
        ),
        # The visit records shared with her, and the signatures on them, with what they signed:
        # the record's standards and actions (services_visit.visit_content).
        _rows(
            visits,
            "visit",
            pk="pk",
            d1="visited_on",
            at="shared_at",
            t1="concerns_discussed",
            t2="carer_response",
        ),
        _signature_rows("visit_signature", Visit, visits),
        _rows(
            Visit.standards.through.objects.filter(visit__in=visits),
            "visit_standard",
            pk="nationalminimumstandard_id",
            n1="visit_id",
            n2="nationalminimumstandard__number",
            t1="nationalminimumstandard__title",
        ),
        _rows(
            VisitAction.objects.filter(visit__in=visits),
            "visit_action",
            pk="pk",
            n1="visit_id",
            n2="owner_id",
            t1="what",
            d1="due_on",
        ),
        _rows(
            ReportSending.objects.filter(
                recipient=Recipient.CARER,
                version__report__meeting__household__in=households,
                version__report__meeting__meets_on__gte=today,
            ),
            "sending",
            pk="pk",
            n1="version_id",
            n2="version__report__meeting_id",
            d1="version__report__meeting__meets_on",
            at="recorded_at",
            yes=Exists(ReceiptConfirmation.objects.filter(sending=OuterRef("pk"))),
        ),
        _rows(
            monitoring_agreements_visible_to(user).filter(
                end__isnull=True, starts_on__lte=today, ends_on__gt=today
            ),
            "monitoring",
            pk="pk",
            n1="child_id",
            t1="child__first_name",
            d1="starts_on",
            at="recorded_at",
        ),
        # The first 20 documents she has not opened (a subquery: SQLite sorts no branch of a UNION).
        _rows(
            SharedDocument.objects.filter(pk__in=unread.order_by("shared_at", "id").values("pk")[:20]),
            "document",
            pk="pk",
            t1="title",
            at="shared_at",
        ),
    ]
    first, *others = branches
    return list(first.union(*others, all=True))


def _signature_rows(kind: str, model: type[models.Model], documents: QuerySet[Any]) -> QuerySet[Any]:
    return _rows(
        Signature.objects.filter(
            document_type=ContentType.objects.get_for_model(model), document_id__in=documents.values("pk")
        ),
        kind,
        pk="pk",
        n1="document_id",
        n2="signer_id",
        t1="content_hash",
        at="signed_at",
    )


def _signatures(rows: Iterable[dict[str, Any]]) -> dict[int, list[Signature]]:
    """The signatures of each document, by its id, as much of them as a check needs."""
    by_document: dict[int, list[Signature]] = defaultdict(list)
    for row in rows:
        by_document[row["r_n1"]].append(
            Signature(
                pk=row["r_pk"],
                document_id=row["r_n1"],
                signer_id=row["r_n2"],
                content_hash=row["r_t1"],
                signed_at=row["r_at"],
            )
        )
    return by_document


def _open_due_dates(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, int, int | None], dt.date]:
    """The earliest due date of each open duty a carer's signature fulfils, by (kind, household, child)."""
    due: dict[tuple[str, int, int | None], dt.date] = {}
    for row in rows:
        key = (row["r_t1"], row["r_n1"], row["r_n2"])
        due_on = row["r_d1"]
        due[key] = min(due_on, due.get(key, due_on))
    return due


def _waits_for(user: User, signatures: list[Signature], content: object) -> bool:
    """Whether this person has still to sign: not signed yet, and nobody's signature broken.

    A broken signature (the text changed after it) means nobody signs this text now: the
    workers write a new version or report first (rules: Everywhere, Signatures).
    """
    checked = check_signatures(signatures, content)
    if any(not getattr(s, "intact", False) for s in checked):
        return False
    return not any(s.signer_id == user.pk for s in checked)


def _agreements_to_sign(
    user: User, rows: dict[str, list[dict[str, Any]]], due: dict[tuple[str, int, int | None], dt.date]
) -> list[ThingToDo]:
    """SC-1, SC-4, SC-5: the latest version of each agreement she sees, if she has not signed it."""
    signatures = _signatures(rows["version_signature"])
    items = []
    for version in sorted(rows["version"], key=lambda row: row["r_n4"]):  # by agreement
        if not _waits_for(user, signatures[version["r_pk"]], version["r_doc"]):
            continue
        household_id, child_id = version["r_n3"], version["r_n2"]
        if version["r_t2"] == AgreementKind.CHILD and child_id is not None:
            what = f"{version['r_t1']}'s safer caring agreement"
            due_on = due.get((CHILD_AGREEMENT, household_id, child_id))
        else:
            what = "your safer caring agreement"
            due_on = min(
                (d for k in (SCFA_ASSESSMENT, SCFA_PLACEMENT) if (d := due.get((k, household_id, None)))),
                default=None,
            )
        first = version["r_n1"] == 1
        items.append(
            ThingToDo(
                kind=AGREEMENT,
                text=f"Sign {what}" if first else f"Sign the new version of {what}",
                url=reverse("agreements:sign", kwargs={"pk": version["r_pk"]}),
                since=version["r_at"],
                due_on=due_on,
            )
        )
    return items


def _supervisions_to_acknowledge(rows: dict[str, list[dict[str, Any]]]) -> list[ThingToDo]:
    """SC-10: a completed supervision record the carers have not read and acknowledged yet."""
    newest_first = sorted(rows["supervision"], key=lambda row: (row["r_d1"], row["r_pk"]), reverse=True)
    return [
        ThingToDo(
            kind=SUPERVISION,
            text=f"Read and acknowledge the record of your supervision on {long_date(supervision['r_d1'])}",
            url=reverse("supervision:supervision_detail", kwargs={"pk": supervision["r_pk"]}),
            since=supervision["r_at"] or timezone.now(),
        )
        for supervision in newest_first
    ]


def _cctv_reports_to_sign(
    user: User, rows: dict[str, list[dict[str, Any]]], due: dict[tuple[str, int, int | None], dt.date]
) -> list[ThingToDo]:
    """CX-3: the latest report of a request being signed, if she has not signed it. Carers sign first."""
    signatures = _signatures(rows["report_signature"])
    return [
        ThingToDo(
            kind=CCTV,
            text="Read and sign the report asking for CCTV cameras inside your home",
            url=reverse("devices:request_sign", kwargs={"pk": report["r_n1"]}),
            since=report["r_at"],
            due_on=due.get((CCTV_SIGN, report["r_n3"], None)),
        )
        for report in sorted(rows["report"], key=lambda row: row["r_n1"])  # by request
        if _waits_for(user, signatures[report["r_pk"]], report["r_doc"])
    ]


def _devices_to_sort_out(
    households: list[Household], placements: list[Placement], today: dt.date
) -> list[ThingToDo]:
    """DV-1 to DV-12: what the register asks the household to do, each device's first thing first.

    The register's own verdict (devices.assessment, decision 0013), with the children placed
    already read for the page rather than read again.
    """
    placed: dict[int, list[Placement]] = defaultdict(list)
    for placement in sorted(placements, key=lambda p: p.child_id):
        placed[placement.household_id].append(placement)
    items = []
    for household in households:  # a carer lives in one household
        devices = list(current_devices(household).select_related("household__service"))
        if not devices:
            continue
        found = contexts({household.pk: household}, placed, today)[household.pk]
        gaps = agreement_gaps(devices, {household.pk: household}, placed)
        rows = [
            RegisterRow(device=d, verdict=verdict(DeviceFacts.of(d, today=today), found), not_in=gaps[d.pk])
            for d in devices
        ]
        for device, finding in register_to_do(rows):
            room = _where(device.room)
            items.append(
                ThingToDo(
                    kind=DEVICE,
                    text=f"{device.get_device_type_display()}{room}: {finding.for_carers}",
                    url=reverse("devices:device_detail", kwargs={"pk": device.pk}),
                    since=device.declared_at,
                )
            )
    return items


# Words a room's name starts with that are not a name: "Lounge" reads "in the lounge".
_ROOM_WORDS = frozenset(
    [
        "lounge",
        "kitchen",
        "hall",
        "hallway",
        "landing",
        "bedroom",
        "bathroom",
        "toilet",
        "garden",
        "front",
        "back",
        "side",
        "living",
        "dining",
        "sitting",
        "study",
        "office",
        "spare",
        "main",
        "loft",
        "garage",
        "porch",
        "drive",
        "driveway",
        "utility",
        "conservatory",
        "stairs",
        "playroom",
        "nursery",
        "upstairs",
        "downstairs",
        "shared",
        "communal",
        "family",
        "master",
        "box",
        "attic",
        "cellar",
    ]
)


def _where(room: str) -> str:
    """Where a device is, as a carer would say it: "in the lounge", "in Mia's bedroom"."""
    room = room.strip()
    if not room:
        return ""
    first = room.split()[0].lower()
    if first in _ROOM_WORDS:
        return f" in the {room[0].lower()}{room[1:]}"
    if first in ("the", "a", "an", "in", "at", "on", "outside", "by"):
        return f" {'in ' if first in ('the', 'a', 'an') else ''}{room[0].lower()}{room[1:]}"
    return f" in {room}"  # a name, such as "Mia's bedroom": as typed


def _arrangements_waiting(rows: dict[str, list[dict[str, Any]]]) -> list[ThingToDo]:
    """SC-12: a child is never left with anyone before the service agrees; her request still waits."""
    soonest_first = sorted(rows["arrangement"], key=lambda row: (row["r_at2"], row["r_pk"]))
    return [
        ThingToDo(
            kind=CARE_ARRANGEMENT,
            text=(
                f"Wait for the service to agree before you leave {arrangement['r_t1']} "
                f"with {arrangement['r_t2']} on {long_date(timezone.localtime(arrangement['r_at2']).date())}: "
                "your request has not been answered yet"
            ),
            url=reverse("notices:arrangement_detail", kwargs={"pk": arrangement["r_pk"]}),
            since=arrangement["r_at"],
        )
        for arrangement in soonest_first
    ]


def _recordings_to_write(placements: list[Placement], today: dt.date) -> list[ThingToDo]:
    """SC-7: today's recording for each child placed with her, until somebody in the household writes it."""
    # A carer sees only the placements with her now (placements_visible_to).
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return [
        ThingToDo(
            kind=RECORDING,
            text=f"Write today's recording for {placement.child.first_name}",
            url=reverse("supervision:recording_create", kwargs={"pk": placement.child_id}),
            since=start_of_today,
            due_on=today,
        )
        for placement in placements
        if not placement.written_today  # type: ignore[attr-defined]
    ]


def _visit_records_to_sign(user: User, rows: dict[str, list[dict[str, Any]]]) -> list[ThingToDo]:
    """SOC-4: a visit record shared with her (carers see only shared ones) that she has not signed.

    The others' signatures are checked against the record as the visit page shows it
    (services_visit.visit_content), built from the rows already read.
    """
    from safecare.standards.services_visit import visit_content

    signatures = _signatures(rows["visit_signature"])
    visits = {row["r_pk"]: _visit(row, rows) for row in rows["visit"]}
    return [
        ThingToDo(
            kind=VISIT_RECORD,
            text=f"Sign your visit record from {long_date(visit['r_d1'])}",
            url=reverse("standards:visit_sign", kwargs={"pk": visit["r_pk"]}),
            since=visit["r_at"] or timezone.now(),
        )
        for visit in sorted(rows["visit"], key=lambda row: (row["r_at"], row["r_pk"]))
        if _waits_for(user, signatures[visit["r_pk"]], visit_content(visits[visit["r_pk"]]))
    ]


def _visit(row: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> Any:
    """A visit record from its rows, its standards and actions in place as if prefetched."""
    from safecare.standards.models import NationalMinimumStandard, Visit, VisitAction

    visit = Visit(
        pk=row["r_pk"],
        visited_on=row["r_d1"],
        shared_at=row["r_at"],
        concerns_discussed=row["r_t1"],
        carer_response=row["r_t2"],
    )
    standards = [
        NationalMinimumStandard(pk=r["r_pk"], number=r["r_n2"], title=r["r_t1"])
        for r in rows["visit_standard"]
        if r["r_n1"] == visit.pk
    ]
    actions = [
        VisitAction(pk=r["r_pk"], visit_id=visit.pk, owner_id=r["r_n2"], what=r["r_t1"], due_on=r["r_d1"])
        for r in rows["visit_action"]
        if r["r_n1"] == visit.pk
    ]
    visit._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "standards": _read(NationalMinimumStandard.objects.none(), standards),
        "actions": _read(VisitAction.objects.none(), actions),
    }
    return visit


def _read(queryset: QuerySet[Any], objects: list[Any]) -> QuerySet[Any]:
    """A queryset already read, as prefetch_related leaves one: .all() gives these, asking nothing."""
    queryset._result_cache = objects
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def _meeting_reports_to_read(rows: dict[str, list[dict[str, Any]]]) -> list[ThingToDo]:
    """SOC-7, SOC-8: the meeting report shared with the carers, until receipt is confirmed;
    then, until the meeting day, that she may answer the chair. The latest sending of each
    meeting decides, in the place of the meeting's first."""
    items: dict[int, ThingToDo] = {}
    for sending in sorted(rows["sending"], key=lambda row: (row["r_at"], row["r_pk"])):
        meeting_id, meets_on, received = sending["r_n2"], sending["r_d1"], bool(sending["r_yes"])
        items[meeting_id] = ThingToDo(
            kind=MEETING_REPORT,
            text=(
                f"Read the report for your meeting on {long_date(meets_on)}, and say you have received it"
                if not received
                else f"If you want to, send the chair your response to the report before your meeting on "
                f"{long_date(meets_on)}"
            ),
            url=(
                reverse("standards:report_version", kwargs={"pk": sending["r_n1"]})
                if not received
                else reverse("standards:meeting_detail", kwargs={"pk": meeting_id})
            ),
            since=sending["r_at"],
            due_on=meets_on,
        )
    return list(items.values())


def _internet_monitoring_to_read(rows: dict[str, list[dict[str, Any]]]) -> list[ThingToDo]:
    """IM-8: each agreement in force for a young person she cares for, once, until it ends."""
    return [
        ThingToDo(
            kind=INTERNET_MONITORING,
            text=f"Read the internet monitoring agreement for {agreement['r_t1']}",
            url=reverse("monitoring:child", kwargs={"pk": agreement["r_n1"]}),
            since=agreement["r_at"],
        )
        for agreement in sorted(rows["monitoring"], key=lambda row: (row["r_d1"], row["r_pk"]))
    ]


def _documents_to_read(rows: dict[str, list[dict[str, Any]]]) -> list[ThingToDo]:
    """PH-1: each document shared with her household she has not yet opened (no page of it in the
    access log under her name), until she opens it: the first 20."""
    return [
        ThingToDo(
            kind=DOCUMENT,
            text=f"Read {document['r_t1']}",
            url=reverse("files:document", kwargs={"pk": document["r_pk"]}),
            since=document["r_at"],
        )
        for document in sorted(rows["document"], key=lambda row: (row["r_at"], row["r_pk"]))
    ]
