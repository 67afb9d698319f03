"""The device register and CCTV exception requests (rules: DV-1 to DV-12, CX-1 to CX-6).

A Device is one camera or microphone in or around a foster home, with every
DV-1 field. Its verdict is worked out by devices.verdict from the device, the
household's service settings, the children placed and the CCTV decisions every
time a page shows it, so it can never be stale (decision 0013). Only the weekly
check over a whole service reads a stored level (DeviceLevel), and only while
the household's VerdictStamp and the day say it is current (decision 0062).

A CctvRequest is the exception procedure of the CCTV policy. Its text is
edited while it is a draft; submitting it freezes the text into a CctvReport
(one per round), which is what the carers, the SSW and the fostering team
manager sign (CX-3), what each child's social worker agrees to (CX-4) and what
the decider decides (CX-3). A reopened request (CX-6) is edited and submitted
again as the next round; earlier rounds keep their signatures and decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService
from safecare.households.models import Child, Household, HouseholdMember


class DeviceType(models.TextChoices):
    BABY_MONITOR = "baby_monitor", "Baby monitor"
    CCTV_CAMERA = "cctv_camera", "CCTV camera"
    VIDEO_DOORBELL = "video_doorbell", "Video doorbell"
    INTERNAL_SECURITY_CAMERA = "internal_security_camera", "Internal security camera"
    SMART_SPEAKER = "smart_speaker", "Smart speaker"
    PET_CAMERA = "pet_camera", "Pet camera"
    OTHER = "other", "Other camera or microphone"


class RoomKind(models.TextChoices):
    CHILD_BEDROOM = "child_bedroom", "A child's bedroom"
    OTHER_BEDROOM = "other_bedroom", "Another bedroom (an adult's or a spare room)"
    BATHROOM = "bathroom", "A bathroom or toilet"
    COMMUNAL = "communal", "A communal area (living room, kitchen, hallway, landing)"
    OUTSIDE = "outside", "Outside the home (door, driveway, garden)"


INSIDE_ROOM_KINDS = frozenset(
    {RoomKind.CHILD_BEDROOM, RoomKind.OTHER_BEDROOM, RoomKind.BATHROOM, RoomKind.COMMUNAL}
)


class Purpose(models.TextChoices):
    PROPERTY = "property", "Protecting the property from crime"
    HOUSEHOLD_SAFETY = "household_safety", "The safety of people in the household"
    SLEEPING_CHILD = "sleeping_child", "Keeping a sleeping baby or child safe"
    PETS = "pets", "Watching pets"
    HOME_USE = "home_use", "Music, alarms and everyday home use"
    MONITOR_CHILDREN = "monitor_children", "Supervising or watching the children"
    OTHER = "other", "Something else"


class DeviceStatus(models.TextChoices):
    PLANNED = "planned", "Planned: not installed yet"
    IN_USE = "in_use", "In use"
    REMOVED = "removed", "Removed"


class ChildConsent(models.TextChoices):
    NOT_ASKED = "", "Not recorded"
    GIVEN = "given", "The child has agreed"
    NOT_ABLE = "not_able", "The child is not of an age or understanding to give consent"
    REFUSED = "refused", "The child does not agree"


class RecordsWhen(models.TextChoices):
    """DV-8: a pet camera watches animals only when nobody is home or overnight."""

    NOT_RECORDED = "", "Not recorded"
    NOBODY_HOME = "nobody_home", "Only when nobody is home"
    OVERNIGHT = "overnight", "Only overnight"
    NOBODY_HOME_OR_OVERNIGHT = "nobody_home_or_overnight", "Only when nobody is home, and overnight"
    OTHER_TIMES = "other_times", "At other times too"


class Device(models.Model):
    """One camera or microphone in or around the home (DV-1)."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="devices")
    device_type = models.CharField("Type", max_length=32, choices=DeviceType.choices)
    description = models.CharField(
        "Make and model", max_length=200, blank=True, help_text="For example, 'Ring Video Doorbell 4'"
    )
    status = models.CharField(max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.IN_USE)
    room = models.CharField("Room or place", max_length=120, help_text="For example, 'front door', 'lounge'")
    room_kind = models.CharField("Kind of room", max_length=32, choices=RoomKind.choices)
    positioning = models.TextField(
        "How it is positioned", help_text="What it points at and what it can see or hear"
    )
    records_video = models.BooleanField("Records or streams video", default=False)
    records_audio = models.BooleanField("Records or streams sound", default=False)
    # DV-3: a device with a camera is a camera whatever its type, even if it records nothing.
    has_camera = models.BooleanField("Has a camera, even if it does not record", default=False)
    # DV-8: when a pet camera records.
    records_when = models.CharField(
        "When it records", max_length=32, choices=RecordsWhen.choices, blank=True, default=""
    )
    purpose = models.CharField("Why it is used", max_length=32, choices=Purpose.choices)
    purpose_detail = models.TextField("Why it is used, in the household's words", blank=True)
    internet_connected = models.BooleanField("Connected to the internet", default=False)
    cloud_upload = models.BooleanField("Uploads to the cloud or a third party", default=False)
    strong_password = models.BooleanField("Protected by a strong password", default=False)
    two_factor = models.BooleanField("Protected by two-factor authentication", default=False)
    software_up_to_date = models.BooleanField("Software kept up to date", default=False)
    responsible_person = models.CharField("Who is responsible for it", max_length=160, blank=True)
    retention_hours = models.PositiveIntegerField(
        "How long recordings are kept (hours)",
        null=True,
        blank=True,
        help_text="0 if nothing is recorded or kept",
    )
    storage = models.CharField("Where recordings are stored", max_length=200, blank=True)
    access = models.CharField("Who can see or hear the recordings", max_length=200, blank=True)
    # DV-11: everyone living in the home is told where devices are and why; visitors too, for cameras inside.
    members_told_on = models.DateField("Date everyone in the household was told", null=True, blank=True)
    visitors_told_on = models.DateField("Date visitors were first told", null=True, blank=True)
    # DV-9: a baby monitor is for one child; an older child's needs the CSW's and SSW's agreement and consent.
    monitored_child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Child in care it monitors",
    )
    monitored_member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Child of the household it monitors",
    )
    # DV-9: a monitor is allowed only in the sleeping area of the child it is for.
    monitored_sleeps_here = models.BooleanField("The child it is for sleeps in this room", default=False)
    monitoring_reason = models.TextField("Why an older child is monitored", blank=True)
    csw_agreed_on = models.DateField("Date the child's social worker agreed", null=True, blank=True)
    csw_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ssw_agreed_on = models.DateField("Date the supervising social worker agreed", null=True, blank=True)
    ssw_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child_consent = models.CharField(
        "The child's consent", max_length=16, choices=ChildConsent.choices, blank=True, default=""
    )
    # DV-9: a monitor for an older child that records video or uploads to the cloud is also
    # decided by the service's CCTV decider (the head of fostering or the head of service).
    decider_agreed = models.BooleanField("The CCTV decider agreed", null=True, blank=True)
    decider_decided_on = models.DateField("Date the CCTV decider decided", null=True, blank=True)
    decider_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decider_comments = models.TextField("The CCTV decider's comments", blank=True)
    installed_on = models.DateField("Date installed", null=True, blank=True)
    removed_on = models.DateField("Date removed", null=True, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)
    # DV-2: every declaration or change waits for the SSW's review.
    needs_review = models.BooleanField(default=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_notes = models.TextField(blank=True)
    history = HistoricalRecords()

    # Saved alongside a change, never typed by the person editing (core.concurrency).
    CHANGE_MESSAGE_QUIET_FIELDS = (
        "needs_review",
        "reviewed_by",
        "reviewed_at",
        "declared_by",
        "declared_at",
        "csw_agreed_by",
        "ssw_agreed_by",
        "decider_decided_by",
    )

    class Meta:
        ordering = ["household_id", "room", "id"]
        indexes = [models.Index(fields=["household", "status"], name="device_household_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(records_video=True) | Q(records_audio=True), name="device_records_something"
            ),
            models.CheckConstraint(
                condition=Q(monitored_child__isnull=True) | Q(monitored_member__isnull=True),
                name="device_monitors_one_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_device_type_display()} ({self.room})"

    @property
    def reference(self) -> str:
        return f"D-{self.pk:05d}"

    @property
    def is_inside(self) -> bool:
        return self.room_kind in INSIDE_ROOM_KINDS

    @property
    def captures(self) -> str:
        parts = [p for p, on in (("video", self.records_video), ("sound", self.records_audio)) if on]
        return " and ".join(parts)

    def agreement_entry(self) -> dict[str, Any]:
        """DV-10: what an agreement says of this device: where, how positioned, why."""
        return {
            "device": self.pk,
            "type": self.device_type,
            "label": self.get_device_type_display(),
            "room": self.room,
            "room_kind": self.room_kind,
            "positioning": self.positioning,
            "captures": self.captures,
            "purpose": self.get_purpose_display(),
            "purpose_detail": self.purpose_detail,
        }


class DeviceCheck(models.Model):
    """DV-2: the SSW went through the device register with the carers."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="device_checks")
    checked_on = models.DateField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    register_accurate = models.BooleanField(
        "The register lists every camera and microphone in and around the home"
    )
    notes = models.TextField(blank=True)
    supervision = models.ForeignKey(
        "supervision.Supervision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["household", "checked_on"], name="devicecheck_household_on")]

    def __str__(self) -> str:
        return f"Device check of {self.household_id} on {self.checked_on:%d %b %Y}"


# CCTV inside the home: the exception request ---------------------------------------------------


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNING = "signing", "Awaiting signatures"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    AGREED = "agreed", "Agreed"
    NOT_AGREED = "not_agreed", "Not agreed"
    REOPENED = "reopened", "Reopened: a new decision is needed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A household has one request in progress or in force at a time.
ACTIVE_REQUEST_STATUSES = (
    RequestStatus.DRAFT,
    RequestStatus.SIGNING,
    RequestStatus.AWAITING_DECISION,
    RequestStatus.AGREED,
    RequestStatus.REOPENED,
)
EDITABLE_REQUEST_STATUSES = (RequestStatus.DRAFT, RequestStatus.REOPENED)

# CX-1: every section of the report, in the form's order. (field, label, hint)
REQUEST_SECTIONS: list[tuple[str, str, str]] = [
    (
        "reasons",
        "Why CCTV is needed for the safety of the household",
        "What has happened, and who in the household it would keep safe.",
    ),
    (
        "alternatives",
        "Other measures tried or considered, and why they are not enough",
        "For example alarms, locks, door sensors or extra support.",
    ),
    (
        "camera_positions",
        "Where each camera will be and how it will be positioned",
        "Room by room: what each camera points at and what it can see and hear.",
    ),
    (
        "footage_access",
        "Who will access, view and dispose of the footage",
        "Who can see it, who looks at it and when, and who deletes it.",
    ),
    (
        "evidence",
        "Whether the footage is needed as evidence, and why",
        "Including whether images or sound may be needed in court proceedings.",
    ),
    (
        "internet_security",
        "Internet security",
        "Confirm that a system connected to the internet has current security software, and how it is kept up to date.",
    ),
    (
        "children_effects",
        "The children in care who live here and how they are affected",
        "How the cameras' positions protect each child's privacy.",
    ),
]
REQUEST_SECTION_KEYS = [key for key, _, _ in REQUEST_SECTIONS]
REQUEST_SECTION_LABELS = {key: label for key, label, _ in REQUEST_SECTIONS}


class CctvRequest(models.Model):
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cctv_requests")
    status = models.CharField(max_length=24, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    reasons = models.TextField(REQUEST_SECTION_LABELS["reasons"], blank=True)
    alternatives = models.TextField(REQUEST_SECTION_LABELS["alternatives"], blank=True)
    camera_positions = models.TextField(REQUEST_SECTION_LABELS["camera_positions"], blank=True)
    footage_access = models.TextField(REQUEST_SECTION_LABELS["footage_access"], blank=True)
    evidence = models.TextField(REQUEST_SECTION_LABELS["evidence"], blank=True)
    internet_security = models.TextField(REQUEST_SECTION_LABELS["internet_security"], blank=True)
    children_effects = models.TextField(REQUEST_SECTION_LABELS["children_effects"], blank=True)
    # CX-1 "how long it is needed": the exception holds from start to end (CX-6).
    period_start = models.DateField("CCTV needed from", null=True, blank=True)
    period_end = models.DateField("CCTV needed until", null=True, blank=True)
    # The cameras the request is for: devices on the register, planned or in use (CX-2).
    devices = models.ManyToManyField(Device, related_name="cctv_requests", blank=True)
    reopened_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The cameras chosen are part of the draft's history too (rules: Everywhere).
    history = HistoricalRecords(m2m_fields=[devices])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status__in=[s.value for s in ACTIVE_REQUEST_STATUSES]),
                name="cctv_request_one_active_per_household",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="cctv_request_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"CCTV exception request {self.reference}"

    @property
    def reference(self) -> str:
        return f"CX-{self.pk:05d}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REQUEST_STATUSES

    def section_items(self) -> list[tuple[str, str, str]]:
        return [(key, label, str(getattr(self, key))) for key, label, _ in REQUEST_SECTIONS]

    def expired(self, today: dt.date | None = None) -> bool:
        """CX-6: an agreed exception lapses when its period ends."""
        today = today or timezone.localdate()
        return self.status == RequestStatus.AGREED and self.period_end is not None and self.period_end < today


class CctvReport(models.Model):
    """One submitted round of a request, exactly as signed and decided. Never changed."""

    # What is signed: the database refuses UPDATE and DELETE (core.append_only).
    append_only = True

    request = models.ForeignKey(CctvRequest, on_delete=models.PROTECT, related_name="reports")
    # Signatures check the document's service (core.signatures).
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    # CX-6: the exception covers these children only, and these cameras only.
    children = models.ManyToManyField(Child, related_name="+", blank=True)
    devices = models.ManyToManyField(Device, related_name="+", blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["request_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="cctv_report_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request} report {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("A submitted CCTV report cannot be changed; reopen the request instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("A submitted CCTV report cannot be deleted.")


class CctvConsent(models.Model):
    """CX-4: the child's social worker's answer for one child named in a report."""

    report = models.ForeignKey(CctvReport, on_delete=models.PROTECT, related_name="consents")
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    csw = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField()
    comments = models.TextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "child"], name="cctv_consent_once_per_child")
        ]

    def __str__(self) -> str:
        return f"CSW {'agrees' if self.agrees else 'does not agree'} for child {self.child_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("A recorded answer cannot be changed.")
        super().save(*args, **kwargs)


class CctvDecision(models.Model):
    """CX-3: the decider agrees or does not agree, with comments and conditions. Never changed."""

    report = models.OneToOneField(CctvReport, on_delete=models.PROTECT, related_name="decision")
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    agreed = models.BooleanField()
    comments = models.TextField(blank=True)
    conditions = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decider_role = models.CharField(max_length=32)
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{'Agreed' if self.agreed else 'Not agreed'}: report {self.report_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("A decision cannot be changed.")
        super().save(*args, **kwargs)


class VerdictStamp(models.Model):
    """How many times anything a household's device verdicts read has changed (decision 0062).

    Written only by the database's triggers (devices.levels.TRIGGERS): each insert, update or
    delete of a device, placement, member, CCTV request, report or decision of the household, a
    change of a child's date of birth, of the household's status, or of the service's device
    settings adds one. Nothing in Python writes it, so no save can put back an older count.
    """

    household = models.OneToOneField(
        Household,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="verdict_stamp",
    )
    rev = models.BigIntegerField(default=0)

    class Meta:
        db_table = "devices_verdictstamp"

    def __str__(self) -> str:
        return f"household {self.household_id}: {self.rev}"


class DeviceLevel(models.Model):
    """A device's verdict level as worked out on `on`, at the household's stamp `rev` (decision 0062).

    Read by the weekly devices check only, and only when `on` is today and `rev` is the
    household's stamp now; otherwise the verdicts are worked out again first. The pages of a
    device and of a household never read it.
    """

    device = models.OneToOneField(
        Device, primary_key=True, on_delete=models.CASCADE, related_name="stored_level", db_constraint=False
    )
    household_id = models.BigIntegerField()
    level = models.PositiveSmallIntegerField()
    # The finding that decided it (devices.verdict.Verdict.deciding): its rule and what it says.
    rule_id = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    rev = models.BigIntegerField()
    on = models.DateField()

    class Meta:
        db_table = "devices_devicelevel"
        indexes = [models.Index(fields=["household_id"], name="devicelevel_household")]

    def __str__(self) -> str:
        return f"device {self.device_id}: level {self.level} on {self.on}"
