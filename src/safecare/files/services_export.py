"""A carer's subject access export (UK GDPR art. 15; rules: Everywhere; decision 0047).

- Who: the managers who see every household (files.make_export), for a household in scope.
- Recording the request opens the duty to answer it (duties.SUBJECT_ACCESS), due one calendar
  month after the day it was received (UK GDPR art. 12(3); 31 January → 28 February), owned
  by the person who recorded it, and schedules the build (core.jobs).
- The build runs in the job runner: a scheduled job hands it to the queue once the request is
  committed, and the build commits its progress step by step, so the request's page shows how
  far it has got. It gathers what each app holds about the carer, redacts third parties'
  details (decision 0047), and writes one ZIP: a readable PDF index, `data.json` (per app and
  record type, a list of records with ISO dates) and the household's files under `files/`.
  The ZIP is stored encrypted (files.storage) and expires `export_expiry_days` after it was
  built; a daily job erases expired exports. A failure is kept on the request; "Try again"
  builds it again.
- The duty closes only when the export is given: "Mark as sent to the carer" records who and
  when.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import logging
import traceback
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from safecare.core import jobs
from safecare.core.audit import save_as
from safecare.core.deadlines import months_after
from safecare.core.models import Signature, TaskStatus, User
from safecare.core.notifications import notify
from safecare.core.pdf import render_pdf
from safecare.core.tasks import task_complete, task_open
from safecare.households.models import Child, Household, HouseholdMember, MemberKind, Placement

from . import storage
from .duties import SUBJECT_ACCESS
from .models import ExportStatus, StoredFile, SubjectAccessRequest
from .selectors import EXPORT_ROLES

if TYPE_CHECKING:
    pass

logger = logging.getLogger("safecare.files.export")

BUILD_JOB = "files_build_export"
RULE = "DP-1"
ERROR_KEPT = 4000

# What replaces a withheld value (decision 0047).
WITHHELD = "[withheld: third party]"
WITHHELD_RAISER = "[withheld: the person who raised the concern]"
WITHHELD_CHILD = "[withheld: a child not placed with the household]"
WITHHELD_CARER = "[withheld: another carer]"


# Recording the request ----------------------------------------------------------------------


def due_on(received_on: dt.date) -> dt.date:
    """UK GDPR art. 12(3): one calendar month from receipt, to the same day of the next month,
    or its last day when there is no such day (31 January → 28 February)."""
    return months_after(received_on, 1, event="the request was received", rule_id=RULE).due_on


def may_make_export(user: User, household: Household) -> bool:
    return (
        user.is_active
        and user.role in EXPORT_ROLES
        and user.has_perm("files.make_export")
        and household.service_id == user.service_id
    )


def request_record(
    *, actor: User, household: Household, member: HouseholdMember | None, received_on: dt.date | None
) -> SubjectAccessRequest:
    """Record a carer's subject access request: the duty due a month after receipt, and the build."""
    errors: dict[str, list[str]] = {}
    if not may_make_export(actor, household):
        raise ValidationError({"member": ["You cannot record a subject access request for this household."]})
    if member is None or member.household_id != household.pk or member.kind != MemberKind.CARER:
        errors["member"] = ["Whose request is it: choose one of the household's foster carers (DP-1)"]
    today = timezone.localdate()
    if received_on is None:
        errors["received_on"] = ["Date received: enter the date the request reached the service (DP-1)"]
    elif received_on > today:
        errors["received_on"] = [
            "Date received: the date the request reached the service cannot be in the future"
        ]
    if errors or member is None or received_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        deadline = months_after(
            received_on, 1, event="the request was received", rule_id="UK GDPR art. 12(3)"
        )
        task = task_open(
            service=household.service,
            rule_id=RULE,
            kind=SUBJECT_ACCESS,
            title="Answer a foster carer's subject access request",
            due_on=deadline.due_on,
            owner=actor,
            household=household,
            actor=actor,
            due_basis=deadline.basis,
        )
        sar = SubjectAccessRequest(
            service=household.service,
            household=household,
            member=member,
            received_on=received_on,
            recorded_by=actor,
            task=task,
        )
        save_as(sar, actor)
        _schedule(sar)
    return sar


def _schedule(sar: SubjectAccessRequest) -> None:
    attempt = uuid.uuid4().hex[:8]
    jobs.schedule(
        BUILD_JOB,
        f"files:export:{sar.pk}:{attempt}",
        timezone.now(),
        service=sar.service,
        payload={"request": sar.pk},
    )


def retry(*, actor: User, sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """Build again a failed or expired export; the request and its duty stay as they are."""
    if not may_make_export(actor, sar.household):
        raise ValidationError({"__all__": ["You cannot build this export."]})
    if sar.status not in (ExportStatus.FAILED, ExportStatus.EXPIRED):
        raise ValidationError({"__all__": ["The export is already built or being built."]})
    if sar_sent(sar):
        raise ValidationError({"__all__": ["The export was sent to the carer: record a new request."]})
    with transaction.atomic():
        sar.status = ExportStatus.QUEUED
        sar.progress = 0
        sar.error = ""
        sar.file = None
        sar.built_at = None
        sar.expires_at = None
        save_as(sar, actor)
        _schedule(sar)
    return sar


def sar_sent(sar: SubjectAccessRequest) -> bool:
    return getattr(sar, "sent_at", None) is not None


def mark_sent(*, actor: User, sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """The export was given to the carer: that is the record that fulfils the duty."""
    if not may_make_export(actor, sar.household):
        raise ValidationError({"__all__": ["You cannot record this."]})
    if sar_sent(sar):
        return sar
    if sar.status != ExportStatus.READY:
        raise ValidationError(
            {"__all__": ["The export is not ready: it can be sent once it is built (DP-1)."]}
        )
    with transaction.atomic():
        sar.sent_at = timezone.now()
        sar.sent_by = actor
        save_as(sar, actor)
        task = sar.task
        # The household's duty is one task (core.tasks): it closes when every request it
        # answers has been sent.
        others = SubjectAccessRequest.objects.filter(task=task, sent_at__isnull=True).exclude(pk=sar.pk)
        if task is not None and task.status == TaskStatus.OPEN and not others.exists():
            task_complete(actor=actor, task=task)
    return sar


# Building -----------------------------------------------------------------------------------


def claim(request_id: int) -> bool:
    """The scheduled job: a queued request is taken for building (in the job's transaction)."""
    sar = SubjectAccessRequest.objects.select_for_update().filter(pk=request_id).first()
    if sar is None or sar.status not in (ExportStatus.QUEUED,):
        return False
    sar.status = ExportStatus.BUILDING
    sar.progress = 0
    save_as(sar, None, update_fields=["status", "progress"])
    return True


def _progress(request_id: int, percent: int) -> None:
    """Committed at once, outside any transaction of the build, so the page sees it."""
    SubjectAccessRequest.objects.filter(pk=request_id).update(progress=max(0, min(percent, 99)))


def build(request_id: int) -> SubjectAccessRequest:
    """Build the export of a request being built; on an error, the request says it failed."""
    sar = SubjectAccessRequest.objects.select_related("service", "household", "member", "recorded_by").get(
        pk=request_id
    )
    if sar.status != ExportStatus.BUILDING:
        return sar
    try:
        archive, counts = gather_and_zip(sar, progress=lambda p: _progress(request_id, p))
        with transaction.atomic():
            sar = SubjectAccessRequest.objects.select_for_update().get(pk=request_id)
            if sar.status != ExportStatus.BUILDING:
                return sar
            stored = storage.store(
                service=sar.service,
                data=archive,
                content_type="application/zip",
                filename=f"subject-access-{sar.pk}.zip",
                actor=None,
            )
            now = timezone.now()
            sar.file = stored
            sar.built_at = now
            sar.expires_at = now + dt.timedelta(days=sar.service.export_expiry_days)
            sar.status = ExportStatus.READY
            sar.progress = 100
            sar.error = ""
            save_as(sar, None)
            notify(
                service=sar.service,
                recipients=[sar.recorded_by],
                kind="export_ready",
                subject="A subject access export is ready",
                reference=f"SAR-{sar.pk:05d}",
                url=reverse("files:export_detail", kwargs={"pk": sar.pk}),
                dedupe_key=f"export_ready:{sar.pk}:{now.isoformat()}",
                rule_id=RULE,
                task=sar.task,
                household=sar.household,
            )
        logger.info("export_built request=%s counts=%s", sar.pk, sum(counts.values()))
    except Exception as error:  # the request keeps the error; "Try again" builds it again
        logger.exception("export_failed request=%s", request_id)
        with transaction.atomic():
            sar = SubjectAccessRequest.objects.select_for_update().get(pk=request_id)
            sar.status = ExportStatus.FAILED
            sar.error = "".join(traceback.format_exception(error))[-ERROR_KEPT:]
            save_as(sar, None)
    return sar


def expire_exports(now: dt.datetime | None = None) -> int:
    """The daily job: exports past their expiry are erased; the request says it expired."""
    now = now or timezone.now()
    done = 0
    for sar in SubjectAccessRequest.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now
    ).select_related("file"):
        with transaction.atomic():
            if sar.file is not None:
                storage.erase(sar.file)
            sar.status = ExportStatus.EXPIRED
            save_as(sar, None, update_fields=["status"])
        done += 1
    return done


# Gathering ----------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


@dataclass
class Redactor:
    """Who may be named in this carer's export (decision 0047)."""

    member: HouseholdMember
    known_children: set[int]
    other_carers: set[int]
    users: dict[int, User] = field(default_factory=dict)
    children: dict[int, Child] = field(default_factory=dict)
    withheld: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.withheld[what] = self.withheld.get(what, 0) + 1

    def user(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if self.member.user_id == user_id:
            return self.member.full_name
        if user_id in self.other_carers:
            self.count("names of other carers")
            return WITHHELD_CARER
        user = self.users.get(user_id)
        if user is None:
            user = User.objects.filter(pk=user_id).first()
            if user is None:
                return None
            self.users[user_id] = user
        # Staff acting in their professional role are named (decision 0047).
        return f"{user.get_full_name() or user.username} ({user.get_role_display()})"

    def child(self, child_id: int | None) -> str | None:
        if child_id is None:
            return None
        if child_id not in self.known_children:
            self.count("children not placed with the household")
            return WITHHELD_CHILD
        child = self.children.get(child_id)
        if child is None:
            child = Child.objects.get(pk=child_id)
            self.children[child_id] = child
        return f"{child.first_name} {child.last_name}"


# Per model: fields left out altogether (not about the carer, or internal), and fields whose
# value is replaced (third parties' details), by model label.
LEFT_OUT = {"service", "version", "content_hash", "key", "name", "sha256"}
WITHHOLD: dict[str, dict[str, str]] = {
    # The person who raised a concern, when named (a role, e.g. "the school", stays): DPA 2018
    # Sch. 2 Part 3 para 16.
    "standards.concern": {"raised_by": WITHHELD_RAISER},
    # The young person's competence assessment and the parent who signed are about them, not the carer.
    "monitoring.agreement": {
        "gillick_assessment": WITHHELD,
        "signed_by_name": WITHHELD,
        "relationship": WITHHELD,
    },
    # Visitors' checks and notes are about the visitor.
    "households.visitor": {"notes": WITHHELD},
}


def row(obj: models.Model, redactor: Redactor) -> dict[str, Any]:
    label = obj._meta.label_lower
    withhold = WITHHOLD.get(label, {})
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in LEFT_OUT:
            continue
        value = getattr(obj, f.attname)
        if f.name in withhold:
            if label == "standards.concern" and getattr(obj, "raised_by_kind", "") != "named":
                out[f.name] = value
                continue
            if value:
                redactor.count(f"{obj._meta.verbose_name}: {f.verbose_name}")
                out[f.name] = withhold[f.name]
            else:
                out[f.name] = value
            continue
        if isinstance(f, models.ForeignKey | models.OneToOneField):
            target = f.related_model
            if target is User:
                out[f.name] = redactor.user(value)
            elif target is Child:
                out[f.name] = redactor.child(value)
            elif target is StoredFile:
                out[f.name] = str(value) if value else None
            else:
                out[f.attname] = value
            continue
        if isinstance(f, models.BinaryField):
            continue
        out[f.name] = _iso(value)
    for m2m in obj._meta.many_to_many:
        ids = [pk for pk in getattr(obj, m2m.name).values_list("pk", flat=True)]
        if m2m.related_model is Child:
            out[m2m.name] = [redactor.child(pk) for pk in ids]
        elif m2m.related_model is User:
            out[m2m.name] = [redactor.user(pk) for pk in ids]
        else:
            out[m2m.name] = ids
    return out


def member_row(other: models.Model, redactor: Redactor) -> dict[str, Any]:
    """The carer in full; the other people of the household by name and relationship only."""
    data = row(other, redactor)
    if isinstance(other, HouseholdMember) and other.pk != redactor.member.pk:
        data["date_of_birth"] = WITHHELD
        data.pop("user", None)
        redactor.count("household members: date of birth")
    return data


@dataclass
class Section:
    app: str
    title: str
    sets: list[tuple[str, Callable[[], Iterable[models.Model]]]]


def sections(sar: SubjectAccessRequest) -> list[Section]:
    """What Safecare holds about the carer, app by app (decision 0047)."""
    from safecare.agreements.models import Agreement, AgreementVersion
    from safecare.devices.models import CctvDecision, CctvReport, CctvRequest, Device, DeviceCheck
    from safecare.households.models import HouseholdStatusChange, TrainingRecord, Visitor
    from safecare.monitoring.models import Agreement as MonitoringAgreement
    from safecare.notices.models import CareArrangement, ChangeNotice, ImmediateNotice
    from safecare.standards.models import (
        AllegationResult,
        Concern,
        Meeting,
        MeetingOutcome,
        PanelReferral,
        Resignation,
        RouteDecision,
        Visit,
    )
    from safecare.supervision.models import Recording, Supervision

    from .models import CarerReport, KeepRequest, LossReport, Photo, ReportAttachment, SharedDocument

    household = sar.household
    user_id = sar.member.user_id
    children = Placement.objects.filter(household=household).values("child_id")
    versions = AgreementVersion.objects.filter(agreement__household=household)
    version_type = _content_type(AgreementVersion)
    return [
        Section(
            "households",
            "Household record",
            [
                ("household", lambda: Household.objects.filter(pk=household.pk)),
                ("members", lambda: household.members.all()),
                ("status_changes", lambda: HouseholdStatusChange.objects.filter(household=household)),
                ("training", lambda: TrainingRecord.objects.filter(member=sar.member)),
                ("visitors", lambda: Visitor.objects.filter(household=household)),
                ("placements", lambda: Placement.objects.filter(household=household)),
            ],
        ),
        Section(
            "agreements",
            "Agreements and signatures",
            [
                ("agreements", lambda: Agreement.objects.filter(household=household)),
                ("versions", lambda: versions),
                (
                    "signatures",
                    lambda: Signature.objects.filter(
                        document_type=version_type, document_id__in=versions.values("pk")
                    ),
                ),
            ],
        ),
        Section(
            "notices",
            "Notices",
            [
                ("change_notices", lambda: ChangeNotice.objects.filter(household=household)),
                ("immediate_notices", lambda: ImmediateNotice.objects.filter(household=household)),
                ("care_arrangements", lambda: CareArrangement.objects.filter(household=household)),
            ],
        ),
        Section(
            "supervision",
            "Recordings and supervision",
            [
                (
                    "recordings_written",
                    lambda: (
                        Recording.objects.filter(household=household, written_by_id=user_id)
                        if user_id
                        else Recording.objects.none()
                    ),
                ),
                ("supervisions", lambda: Supervision.objects.filter(household=household)),
            ],
        ),
        Section(
            "devices",
            "Devices and CCTV",
            [
                ("devices", lambda: Device.objects.filter(household=household)),
                ("device_checks", lambda: DeviceCheck.objects.filter(household=household)),
                ("cctv_requests", lambda: CctvRequest.objects.filter(household=household)),
                ("cctv_reports", lambda: CctvReport.objects.filter(request__household=household)),
                ("cctv_decisions", lambda: CctvDecision.objects.filter(report__request__household=household)),
            ],
        ),
        Section(
            "standards",
            "Standards of care",
            [
                ("concerns", lambda: Concern.objects.filter(household=household)),
                ("route_decisions", lambda: RouteDecision.objects.filter(concern__household=household)),
                ("allegation_results", lambda: AllegationResult.objects.filter(concern__household=household)),
                ("visits", lambda: Visit.objects.filter(household=household)),
                ("meetings", lambda: Meeting.objects.filter(household=household)),
                ("meeting_outcomes", lambda: MeetingOutcome.objects.filter(meeting__household=household)),
                ("resignations", lambda: Resignation.objects.filter(household=household)),
                ("panel_referrals", lambda: PanelReferral.objects.filter(household=household)),
            ],
        ),
        Section(
            "monitoring",
            "Internet monitoring agreements the carer acts on",
            [("agreements", lambda: MonitoringAgreement.objects.filter(child_id__in=children))],
        ),
        Section(
            "files",
            "Documents, reports, photos and loss reports",
            [
                ("shared_documents", lambda: SharedDocument.objects.filter(household=household)),
                (
                    "reports_written",
                    lambda: (
                        CarerReport.objects.filter(household=household, written_by_id=user_id)
                        if user_id
                        else CarerReport.objects.none()
                    ),
                ),
                (
                    "report_attachments",
                    lambda: (
                        ReportAttachment.objects.filter(
                            report__household=household, report__written_by_id=user_id
                        )
                        if user_id
                        else ReportAttachment.objects.none()
                    ),
                ),
                ("photos", lambda: Photo.objects.filter(household=household)),
                ("keep_requests", lambda: KeepRequest.objects.filter(household=household)),
                ("loss_reports", lambda: LossReport.objects.filter(household=household)),
                (
                    "subject_access_requests",
                    lambda: SubjectAccessRequest.objects.filter(member=sar.member),
                ),
            ],
        ),
    ]


def _content_type(model: type[models.Model]) -> Any:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


def redactor_for(sar: SubjectAccessRequest) -> Redactor:
    household = sar.household
    known = set(Placement.objects.filter(household=household).values_list("child_id", flat=True))
    other_carers = set(
        HouseholdMember.objects.filter(user__isnull=False, kind=MemberKind.CARER)
        .exclude(pk=sar.member.pk)
        .values_list("user_id", flat=True)
    )
    return Redactor(member=sar.member, known_children=known, other_carers=other_carers)


def _files(sar: SubjectAccessRequest) -> list[tuple[str, StoredFile]]:
    from .models import Photo, ReportAttachment, SharedDocument

    found: list[tuple[str, StoredFile]] = []
    for photo in Photo.objects.filter(household=sar.household).select_related("file"):
        found.append((f"photos/photo-{photo.pk}", photo.file))
    user_id = sar.member.user_id
    if user_id:
        for attachment in ReportAttachment.objects.filter(
            report__household=sar.household, report__written_by_id=user_id
        ).select_related("file"):
            found.append(
                (f"reports/report-{attachment.report_id}-attachment-{attachment.pk}", attachment.file)
            )
    for document in SharedDocument.objects.filter(
        household=sar.household, withdrawn_at__isnull=True
    ).select_related("file"):
        found.append((f"documents/document-{document.pk}", document.file))
    return found


EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf", "image/webp": ".webp"}


def gather(
    sar: SubjectAccessRequest, progress: Callable[[int], None] = lambda _p: None
) -> tuple[dict[str, dict[str, list[dict[str, Any]]]], Redactor]:
    redactor = redactor_for(sar)
    data: dict[str, dict[str, list[dict[str, Any]]]] = {}
    all_sections = sections(sar)
    for index, section in enumerate(all_sections):
        app = data.setdefault(section.app, {})
        for name, rows in section.sets:
            make = member_row if (section.app, name) == ("households", "members") else row
            app[name] = [make(obj, redactor) for obj in rows()]
        progress(int(60 * (index + 1) / len(all_sections)))
    return data, redactor


def gather_and_zip(
    sar: SubjectAccessRequest, progress: Callable[[int], None] = lambda _p: None
) -> tuple[bytes, dict[str, int]]:
    progress(1)
    data, redactor = gather(sar, progress)
    counts = {f"{app}.{name}": len(rows) for app, sets in data.items() for name, rows in sets.items()}
    buffer = io.BytesIO()
    files = _files(sar)
    written: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (path, stored) in enumerate(files):
            try:
                content = storage.read(stored)
            except storage.FileUnavailable:
                written.append({"file": path, "held": False})
                continue
            name = f"files/{path}{EXTENSIONS.get(stored.content_type, '')}"
            archive.writestr(name, content)
            written.append({"file": name, "held": True, "content_type": stored.content_type})
            progress(60 + int(25 * (index + 1) / max(len(files), 1)))
        document = {
            "subject": {"member": sar.member_id, "household": sar.household_id, "name": sar.member.full_name},
            "request": {"id": sar.pk, "received_on": sar.received_on.isoformat()},
            "built_at": timezone.now().isoformat(),
            "withheld": redactor.withheld,
            "records": data,
            "files": written,
        }
        archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str))
        progress(90)
        index_pdf = render_pdf(
            "files/export/index_pdf.html",
            {
                "service": sar.service,
                "sar": sar,
                "sections": [
                    {
                        "title": section.title,
                        "app": section.app,
                        "sets": [
                            (name.replace("_", " "), len(data[section.app][name])) for name, _ in section.sets
                        ],
                    }
                    for section in sections(sar)
                ],
                "files": written,
                "withheld": sorted(redactor.withheld.items()),
                "records": data,
                "built_at": timezone.now(),
            },
        )
        archive.writestr("index.pdf", index_pdf)
    progress(95)
    return buffer.getvalue(), counts
