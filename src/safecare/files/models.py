"""Confidential files: documents shared with carers, carers' reports, children's photos, lost
devices, a carer's subject access export, and records past their retention period
(PH-1 to PH-6; rules: Everywhere).

Every byte of a file is held encrypted in the storage (files.storage), under a random name
that says nothing of what it is; a `StoredFile` row is all the database knows of it. No file
has a public address: each is served by a view that checks who asks.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService, Task
from safecare.households.models import Child, Household, HouseholdMember, Placement

# Keys and stored files (PH-4) -----------------------------------------------------------------


class ServiceKey(models.Model):
    """A service's data key, kept only wrapped (encrypted) by the master key (PH-4).

    The master key comes from the environment, never the database, so a copy of the database
    and the storage together still reveals nothing. Rotating keys (`manage.py rotate_keys`)
    makes a new data key, re-encrypts the service's files with it and retires this one.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="file_keys")
    wrapped = models.BinaryField()
    # Which master key wraps it: the first 16 hex digits of the SHA-256 of that key.
    master_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["service_id", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_key_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"Key {self.pk} of service {self.service_id}"


class StoredFile(models.Model):
    """One file, encrypted at rest (PH-4). `name` in the storage is random; erasing removes the
    bytes and keeps this row, stamped, as the tombstone of the file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(ServiceKey, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=200, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()  # of the plain file
    sha256 = models.CharField(max_length=64)  # of the plain file
    filename = models.CharField("File name", max_length=200, blank=True)  # as uploaded, for staff
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"File {self.pk}"


# PH-1: documents shared with carers -----------------------------------------------------------


class DocumentKind(models.TextChoices):
    PLACEMENT_INFORMATION = "placement_information", "Placement information"
    PLAN = "plan", "A plan (care, placement or health)"
    REPORT = "report", "A report"
    MEETING = "meeting", "Minutes or notes of a meeting"
    OTHER = "other", "Something else"


class DocumentSource(models.TextChoices):
    PDF = "pdf", "PDF"
    IMAGE = "image", "Image"
    CONVERTED = "converted", "Office document, converted to PDF"


class SharedDocument(models.Model):
    """PH-1: a document the service gives a household, or about a child, read in the portal only.

    Carers see it page by page as images, never as a file; staff who may see the household or
    the child may download it. `file` is a PDF or a cleaned image; `original` the office
    document it was converted from, if any (staff only).
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="shared_documents"
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="shared_documents"
    )
    title = models.CharField("Title", max_length=200)
    kind = models.CharField("What is it?", max_length=32, choices=DocumentKind.choices)
    description = models.TextField("What carers should know about it", blank=True)
    source = models.CharField(max_length=16, choices=DocumentSource.choices)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    page_count = models.PositiveIntegerField(default=1)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(household__isnull=False) | models.Q(child__isnull=False),
                name="shared_document_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        return f"Shared document {self.pk}"


# PH-2: carers' reports ------------------------------------------------------------------------


class CarerReport(models.Model):
    """PH-2: a written account a carer sends through the portal, with any attachments.

    Sent is sent: the database refuses to change it (append-only); a correction is a new report.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="carer_reports")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="carer_reports"
    )
    title = models.CharField("What is the report about?", max_length=200)
    body = models.TextField("Your report")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Carer report {self.pk}"


class ReportAttachment(models.Model):
    """A photo or document sent with a carer's report, held like a photo (PH-2, PH-4)."""

    append_only = True

    report = models.ForeignKey(CarerReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report_id", "position", "id"]

    def __str__(self) -> str:
        return f"Attachment {self.pk} of report {self.report_id}"


class ReportRead(models.Model):
    """A member of staff opened a carer's report (the first time each, append-only)."""

    append_only = True

    report = models.ForeignKey(CarerReport, on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "reader"], name="report_read_once_per_reader")
        ]

    def __str__(self) -> str:
        return f"Report {self.report_id} read by {self.reader_id}"


# PH-3 to PH-5: children's photos --------------------------------------------------------------


class Permission(models.TextChoices):
    NOT_DECIDED = "not_decided", "Not decided yet: ask the child's social worker"
    YES = "yes", "Yes"
    NO = "no", "No"


class PhotoRules(models.Model):
    """PH-3: what is known at placement planning about photographing this child, recorded per child.

    The carer reads it on the upload page before every upload. Changes are kept (history).
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="photo_rules")
    wants_no_photos = models.BooleanField("The child does not want photos taken of them", default=False)
    childs_views = models.TextField("The child's own views on being photographed", blank=True)
    issues_from_child = models.TextField("Photography issues the child raised", blank=True)
    issues_from_social_worker = models.TextField(
        "Photography issues the child's social worker raised", blank=True
    )
    issues_from_birth_parents = models.TextField("Photography issues the birth parents raised", blank=True)
    planning_meeting_on = models.DateField(
        "Date of the placement planning meeting or review", null=True, blank=True
    )
    school_photos = models.CharField(
        "May the school take photos of the child?",
        max_length=16,
        choices=Permission.choices,
        default=Permission.NOT_DECIDED,
    )
    community_photos = models.CharField(
        "May community groups take photos of the child?",
        max_length=16,
        choices=Permission.choices,
        default=Permission.NOT_DECIDED,
    )
    permissions_decided_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Decided with the child's social worker",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency (core.concurrency)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Photo rules for child {self.child_id}"


class Photo(models.Model):
    """PH-4: a photo of a child a carer uploaded, cleaned and encrypted, after confirming the rules.

    `household` is the household that took it. When the placement ends (PH-5) the photos pass
    to the child's social worker (`passed_on_at`) and the household keeps reading only those
    agreed with its SSW (`kept`).
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="photos")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="photos")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField("What is happening in the photo?", max_length=200, blank=True)
    taken_on = models.DateField("When was it taken?", null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # PH-4: the moment the uploader confirmed the rules for this upload.
    rules_confirmed_at = models.DateTimeField()
    # PH-5: passed to the child's social worker for life-story work when the placement ended.
    passed_on_at = models.DateTimeField(null=True, blank=True)
    # PH-5: one of the few the household may keep after the placement, as agreed with the SSW.
    kept = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["child", "household"], name="photo_child_household")]

    def __str__(self) -> str:
        return f"Photo {self.pk}"


class KeepStatus(models.TextChoices):
    ASKED = "asked", "Waiting for the supervising social worker"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Not agreed"


class KeepRequest(models.Model):
    """PH-5: a household asks to keep a few significant photos after the child leaves; the SSW decides."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="keep_requests")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="keep_requests")
    photos = models.ManyToManyField(Photo, related_name="keep_requests")
    reason = models.TextField("Why these photos matter to your family")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=KeepStatus.choices, default=KeepStatus.ASKED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("What was agreed, and any care to take", blank=True)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"Request to keep photos {self.pk}"


class Handover(models.Model):
    """PH-5: the child's photos passed to their social worker for life-story work at the placement's end.

    Opened by the placement's end with a task for the CSW; the CSW's receipt closes it.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="photo_handover")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="photo_handovers")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="photo_handovers")
    photo_count = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"Photo handover {self.pk}"


# PH-6: lost or stolen devices and prints ------------------------------------------------------


class LostThing(models.TextChoices):
    PHONE = "phone", "A phone"
    CAMERA = "camera", "A camera"
    TABLET_OR_COMPUTER = "computer", "A tablet or computer"
    STORAGE = "storage", "A memory card, USB stick or other storage device"
    PRINTS = "prints", "Printed photos"
    OTHER = "other", "Something else"


class LossKind(models.TextChoices):
    LOST = "lost", "Lost or missing"
    STOLEN = "stolen", "Stolen"


class LossReport(models.Model):
    """PH-6: a carer reports a camera, phone, prints or storage device lost or stolen; the CSW of
    each child whose images may be on it is alerted at once, with a task due the same day."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="loss_reports")
    what = models.CharField("What was lost or stolen?", max_length=16, choices=LostThing.choices)
    kind = models.CharField("Was it lost or stolen?", max_length=16, choices=LossKind.choices)
    details = models.TextField("Tell us more", blank=True)
    happened_on = models.DateField("When did it happen, or when did you notice?")
    children = models.ManyToManyField(Child, related_name="loss_reports", blank=True)
    police_reference = models.CharField("Police crime reference", max_length=60, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"Loss report {self.pk}"


class LossAcknowledgement(models.Model):
    """PH-6: a child's social worker has read a loss report and acted; closes their same-day task."""

    append_only = True

    report = models.ForeignKey(LossReport, on_delete=models.PROTECT, related_name="acknowledgements")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actions = models.TextField("What you have done or will do")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "child"], name="loss_acknowledged_once_per_child")
        ]

    def __str__(self) -> str:
        return f"Loss report {self.report_id} acknowledged for child {self.child_id}"


# Subject access (rules: Everywhere) -----------------------------------------------------------


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class SubjectAccessRequest(models.Model):
    """A carer's request for everything Safecare holds about them, and the export that answers it.

    The law's one-month deadline is a task from `received_on`. The export is built by the job
    runner, stored encrypted, and erased after the service's expiry period.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="subject_access_requests")
    member = models.ForeignKey(
        HouseholdMember, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    received_on = models.DateField("When did the request reach the service?")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The export given to the carer: the record that closes the duty.
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"


# Retention (Fostering Services (England) Regulations 2011, reg. 32) ------------------------------


class RetentionSubject(models.TextChoices):
    CHILD = "child", "A child's record"
    HOUSEHOLD = "household", "A foster carer's record"


class RetentionStatus(models.TextChoices):
    AWAITING = "awaiting", "Waiting for a decision"
    ERASED = "erased", "Deleted"
    KEPT = "kept", "Kept for now"


class RetentionCase(models.Model):
    """A record past its retention period, listed by the scheduled job for a named role to confirm.

    Nothing is deleted without that confirmation. Once erased, the subject is gone; this row
    and the `Erasure` tombstone say what was deleted, when and on whose decision.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=16, choices=RetentionSubject.choices)
    subject_id = models.BigIntegerField()
    label = models.CharField(max_length=200)  # a reference, never a name: "Child 123"
    keep_until = models.DateField()  # the last day of the retention period
    found_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=RetentionStatus.choices, default=RetentionStatus.AWAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["keep_until", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_id"],
                condition=models.Q(status="awaiting"),
                name="one_awaiting_retention_case",
            )
        ]

    def __str__(self) -> str:
        return self.label


class Erasure(models.Model):
    """The tombstone of a confirmed deletion: what, when, on whose decision (append-only)."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(RetentionCase, on_delete=models.PROTECT, related_name="erasures")
    subject = models.CharField(max_length=16, choices=RetentionSubject.choices)
    subject_id = models.BigIntegerField()
    # What was removed: {"table": rows, ...} and the number of files.
    removed = models.JSONField(default=dict)
    files_removed = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure {self.pk} of {self.subject} {self.subject_id}"
