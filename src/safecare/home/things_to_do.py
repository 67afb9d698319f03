"""A foster carer's "Things to do": everything waiting for her to sign, acknowledge or act on.

Read through each app's own scopes (households_visible_to, agreements_visible_to,
supervisions_visible_to, requests_visible_to, arrangements_visible_to), so a carer is
shown exactly what she may open, and nothing of another household. Each kind of thing is
read in a fixed number of queries, however many there are (no query per item).

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
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from safecare.agreements.models import Agreement, AgreementKind, AgreementVersion
from safecare.agreements.selectors import agreements_visible_to
from safecare.agreements.services import CHILD_AGREEMENT, SCFA_ASSESSMENT, SCFA_PLACEMENT
from safecare.core.deadlines import long_date
from safecare.core.models import Signature, Task, TaskStatus, User
from safecare.core.roles import Role
from safecare.core.signatures import check_signatures
from safecare.devices.models import CctvReport, CctvRequest, RequestStatus
from safecare.devices.selectors import CCTV_SIGN, register, register_to_do, requests_visible_to
from safecare.households.access import households_visible_to, placements_visible_to
from safecare.households.models import Household
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


def things_to_do(user: User, *, today: dt.date | None = None) -> list[ThingToDo]:
    """Everything waiting for this carer, newest first. Empty for anyone who is not a carer."""
    if user.role != Role.CARER or not user.is_active:
        return []
    today = today or timezone.localdate()
    households = list(households_visible_to(user, today=today).select_related("service"))
    if not households:
        return []
    due = _open_due_dates(households)
    items = [
        *_agreements_to_sign(user, today, due),
        *_supervisions_to_acknowledge(user, today),
        *_cctv_reports_to_sign(user, due),
        *_devices_to_sort_out(households, today),
        *_arrangements_waiting(user),
        *_recordings_to_write(user, today),
        *_visit_records_to_sign(user),
        *_meeting_reports_to_read(households, today),
        *_internet_monitoring_to_read(user, today),
        *_documents_to_read(user),
    ]
    return sorted(items, key=lambda item: item.since, reverse=True)


def _open_due_dates(households: Iterable[Household]) -> dict[tuple[str, int, int | None], dt.date]:
    """The earliest due date of each open duty a carer's signature fulfils, by (kind, household, child)."""
    due: dict[tuple[str, int, int | None], dt.date] = {}
    rows = Task.objects.filter(
        household__in=list(households),
        status=TaskStatus.OPEN,
        kind__in=[*_AGREEMENT_DUTIES, CCTV_SIGN],
    ).values_list("kind", "household_id", "child_id", "due_on")
    for kind, household_id, child_id, due_on in rows:
        key = (kind, household_id, child_id)
        due[key] = min(due_on, due.get(key, due_on))
    return due


def _signatures_by_document(model: type, ids: list[int]) -> dict[int, list[Signature]]:
    by_document: dict[int, list[Signature]] = {pk: [] for pk in ids}
    if ids:
        for signature in Signature.objects.filter(
            document_type=ContentType.objects.get_for_model(model), document_id__in=ids
        ):
            by_document[signature.document_id].append(signature)
    return by_document


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
    user: User, today: dt.date, due: dict[tuple[str, int, int | None], dt.date]
) -> list[ThingToDo]:
    """SC-1, SC-4, SC-5: the latest version of each agreement she sees, if she has not signed it."""
    agreements = agreements_visible_to(user, today=today)
    latest = (
        AgreementVersion.objects.filter(agreement=OuterRef("agreement")).order_by("-number").values("pk")[:1]
    )
    versions = list(
        AgreementVersion.objects.filter(agreement__in=agreements, pk=Subquery(latest)).select_related(
            "agreement__child"
        )
    )
    signatures = _signatures_by_document(AgreementVersion, [v.pk for v in versions])
    items = []
    for version in versions:
        if not _waits_for(user, signatures[version.pk], version.content):
            continue
        agreement: Agreement = version.agreement
        if agreement.kind == AgreementKind.CHILD and agreement.child is not None:
            what = f"{agreement.child.first_name}'s safer caring agreement"
            due_on = due.get((CHILD_AGREEMENT, agreement.household_id, agreement.child_id))
        else:
            what = "your safer caring agreement"
            due_on = min(
                (
                    d
                    for k in (SCFA_ASSESSMENT, SCFA_PLACEMENT)
                    if (d := due.get((k, agreement.household_id, None)))
                ),
                default=None,
            )
        first = version.number == 1
        items.append(
            ThingToDo(
                kind=AGREEMENT,
                text=f"Sign {what}" if first else f"Sign the new version of {what}",
                url=reverse("agreements:sign", kwargs={"pk": version.pk}),
                since=version.created_at,
                due_on=due_on,
            )
        )
    return items


def _supervisions_to_acknowledge(user: User, today: dt.date) -> list[ThingToDo]:
    """SC-10: a completed supervision record the carers have not read and acknowledged yet."""
    waiting = supervisions_visible_to(user, today=today).filter(acknowledged_at__isnull=True)
    return [
        ThingToDo(
            kind=SUPERVISION,
            text=f"Read and acknowledge the record of your supervision on {long_date(supervision.held_on)}",
            url=reverse("supervision:supervision_detail", kwargs={"pk": supervision.pk}),
            since=supervision.completed_at or timezone.now(),
        )
        for supervision in waiting.only("pk", "held_on", "completed_at")
    ]


def _cctv_reports_to_sign(user: User, due: dict[tuple[str, int, int | None], dt.date]) -> list[ThingToDo]:
    """CX-3: the latest report of a request being signed, if she has not signed it. Carers sign first."""
    latest = CctvReport.objects.filter(request=OuterRef("request")).order_by("-number").values("pk")[:1]
    reports = list(
        CctvReport.objects.filter(
            request__in=requests_visible_to(user).filter(status=RequestStatus.SIGNING), pk=Subquery(latest)
        ).select_related("request")
    )
    signatures = _signatures_by_document(CctvReport, [r.pk for r in reports])
    items = []
    for report in reports:
        if not _waits_for(user, signatures[report.pk], report.content):
            continue
        request: CctvRequest = report.request
        items.append(
            ThingToDo(
                kind=CCTV,
                text="Read and sign the report asking for CCTV cameras inside your home",
                url=reverse("devices:request_sign", kwargs={"pk": request.pk}),
                since=report.submitted_at,
                due_on=due.get((CCTV_SIGN, request.household_id, None)),
            )
        )
    return items


def _devices_to_sort_out(households: list[Household], today: dt.date) -> list[ThingToDo]:
    """DV-1 to DV-12: what the register asks the household to do, each device's first thing first."""
    items = []
    for household in households:  # a carer lives in one household
        for device, finding in register_to_do(register(household, today=today)):
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


def _arrangements_waiting(user: User) -> list[ThingToDo]:
    """SC-12: a child is never left with anyone before the service agrees; her request still waits."""
    now = timezone.now()
    waiting = (
        arrangements_visible_to(user)
        .filter(status=ArrangementStatus.REQUESTED, starts_at__gt=now)
        .select_related("child")
        .order_by("starts_at", "id")
    )
    return [
        ThingToDo(
            kind=CARE_ARRANGEMENT,
            text=(
                f"Wait for the service to agree before you leave {arrangement.child.first_name} "
                f"with {arrangement.carer_name} on {long_date(timezone.localtime(arrangement.starts_at).date())}: "
                "your request has not been answered yet"
            ),
            url=reverse("notices:arrangement_detail", kwargs={"pk": arrangement.pk}),
            since=arrangement.requested_at,
        )
        for arrangement in waiting
    ]


def _recordings_to_write(user: User, today: dt.date) -> list[ThingToDo]:
    """SC-7: today's recording for each child placed with her, until somebody in the household writes it."""
    # A carer sees only the placements with her now (placements_visible_to).
    placements = list(
        placements_visible_to(user, today=today).select_related("child").order_by("start_on", "id")
    )
    written = set(
        Recording.objects.filter(placement__in=[p.pk for p in placements], recorded_on=today).values_list(
            "placement_id", flat=True
        )
    )
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
        if placement.pk not in written
    ]


def _visit_records_to_sign(user: User) -> list[ThingToDo]:
    """SOC-4: a visit record shared with her (carers see only shared ones) that she has not signed."""
    from safecare.standards.models import Visit
    from safecare.standards.selectors import visits_visible_to
    from safecare.standards.services_visit import visit_content

    visits = list(
        visits_visible_to(user).prefetch_related("standards", "actions").order_by("shared_at", "id")
    )
    signatures = _signatures_by_document(Visit, [v.pk for v in visits])
    return [
        ThingToDo(
            kind=VISIT_RECORD,
            text=f"Sign your visit record from {long_date(visit.visited_on)}",
            url=reverse("standards:visit_sign", kwargs={"pk": visit.pk}),
            since=visit.shared_at or timezone.now(),
        )
        for visit in visits
        if _waits_for(user, signatures[visit.pk], visit_content(visit))
    ]


def _meeting_reports_to_read(households: list[Household], today: dt.date) -> list[ThingToDo]:
    """SOC-7, SOC-8: the meeting report shared with the carers, until receipt is confirmed;
    then, until the meeting day, that she may answer the chair. One query."""
    from safecare.standards.models import Recipient, ReportSending

    sendings = (
        ReportSending.objects.filter(
            recipient=Recipient.CARER,
            version__report__meeting__household__in=households,
            version__report__meeting__meets_on__gte=today,
        )
        .select_related("version__report__meeting", "receipt")
        .order_by("recorded_at", "id")
    )
    items: dict[int, ThingToDo] = {}
    for sending in sendings:
        meeting = sending.version.report.meeting
        received = hasattr(sending, "receipt")
        items[meeting.pk] = ThingToDo(
            kind=MEETING_REPORT,
            text=(
                f"Read the report for your meeting on {long_date(meeting.meets_on)}, and say you have received it"
                if not received
                else f"If you want to, send the chair your response to the report before your meeting on "
                f"{long_date(meeting.meets_on)}"
            ),
            url=(
                reverse("standards:report_version", kwargs={"pk": sending.version_id})
                if not received
                else reverse("standards:meeting_detail", kwargs={"pk": meeting.pk})
            ),
            since=sending.recorded_at,
            due_on=meeting.meets_on,
        )
    return list(items.values())


def _internet_monitoring_to_read(user: User, today: dt.date) -> list[ThingToDo]:
    """IM-8: each agreement in force for a young person she cares for, once, until it ends. One query."""
    from safecare.monitoring.selectors import agreements_visible_to

    agreements = (
        agreements_visible_to(user)
        .filter(end__isnull=True, starts_on__lte=today, ends_on__gt=today)
        .select_related("child")
        .order_by("starts_on", "id")
    )
    return [
        ThingToDo(
            kind=INTERNET_MONITORING,
            text=f"Read the internet monitoring agreement for {agreement.child.first_name}",
            url=reverse("monitoring:child", kwargs={"pk": agreement.child_id}),
            since=agreement.recorded_at,
        )
        for agreement in agreements
    ]


def _documents_to_read(user: User) -> list[ThingToDo]:
    """PH-1: each document shared with her household she has not yet opened (no page of it in the
    access log under her name), until she opens it. One query."""
    from safecare.core.models import AccessLog
    from safecare.files.selectors import documents_visible_to

    opened = AccessLog.objects.filter(user=user, subject_type="shareddocument", subject_id=OuterRef("pk"))
    documents = documents_visible_to(user).filter(~Exists(opened)).order_by("shared_at", "id")[:20]
    return [
        ThingToDo(
            kind=DOCUMENT,
            text=f"Read {document.title}",
            url=reverse("files:document", kwargs={"pk": document.pk}),
            since=document.shared_at,
        )
        for document in documents
    ]
