"""Carers' recordings about the children placed with them, and supervision records.

SC-7 and PH-2: carers keep the "Our Life Together" recording of each child
throughout the placement, through the portal, and the SSW reads it at each
supervision. SC-10: safe care is discussed at every supervision. DV-2: the
carers are asked about devices at the service's interval.

Recordings are the largest table of a service (millions of rows over ten
years): every list reads them by household or child and date through an index.
Whether one is read is a row of RecordingRead; the recording also keeps the latest
revision read (`read_revision`), so the unread ones have a partial index of their own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService
from safecare.households.models import Child, Household, HouseholdMember, Placement


class RecordingCategory(models.TextChoices):
    DAY_TO_DAY = "day_to_day", "Day to day"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    FAMILY_TIME = "family_time", "Family time and contact"
    BEHAVIOUR = "behaviour", "Behaviour and feelings"
    INCIDENT = "incident", "Incident or accident"
    OTHER = "other", "Other"


# SC-7: a recording whose current revision nobody has read (Recording.unread).
UNREAD = ExpressionWrapper(
    Q(read_revision__isnull=True) | Q(read_revision__lt=F("revision")), output_field=models.BooleanField()
)


class Recording(models.Model):
    """One entry of a carer's daily recording about a child placed with them (SC-7, PH-2).

    `household` and `service` repeat what the placement says so that the
    household's unread list and the scopes filter on indexed columns.
    `revision` counts the author's edits: a read is of one revision, so an edit
    after the SSW read it makes it unread again (docs/decisions/0012).
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="recordings")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="recordings")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="recordings")
    recorded_on = models.DateField("Date of the day recorded")
    category = models.CharField(max_length=32, choices=RecordingCategory.choices, blank=True)
    text = models.TextField("What happened")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    # SC-7: the latest revision someone has read (None: never read), kept by RecordingRead.save.
    read_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # SC-7: nobody has read the current revision (none read, or an edit raised the revision
    # since). Worked out by the database from the two columns, so an edit needs no code to make
    # a recording unread again; the unread recordings have a partial index of their own.
    unread = models.GeneratedField(expression=UNREAD, output_field=models.BooleanField(), db_persist=True)
    # Neither is part of what the carer wrote: the reads have their own history.
    history = HistoricalRecords(excluded_fields=["read_revision", "unread"])

    class Meta:
        ordering = ["-recorded_on", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["household", "recorded_on"], name="recording_household_day"),
            models.Index(fields=["child", "recorded_on"], name="recording_child_day"),
            models.Index(fields=["placement", "recorded_on"], name="recording_placement_day"),
            # SC-7's weekly check: only the unread recordings, a few among millions.
            models.Index(
                fields=["household", "created_at"],
                name="recording_unread_household",
                condition=Q(unread=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Recording {self.reference} about {self.child_id} on {self.recorded_on}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:07d}"

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class RecordingRead(models.Model):
    """The SSW (or a fostering manager covering) read one revision of a recording (SC-7).

    Append-only in practice: a later edit does not delete the read, it raises
    the recording's revision, so the read no longer counts and the history of
    who read what, when, stays.
    """

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="reads")
    revision = models.PositiveIntegerField()
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)
    # Set when the recording was read from a supervision's page (SC-7: "at each supervision").
    supervision = models.ForeignKey(
        "Supervision", on_delete=models.SET_NULL, null=True, blank=True, related_name="reads"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["recording", "revision"], name="recording_read_revision")]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "revision", "reader"], name="recording_read_once_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} read {self.recording_id} r{self.revision} at {self.read_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # The recording's read_revision only ever rises: a read of an older revision, saved
        # after a newer one, leaves it as it is. A read of a revision the recording has since
        # moved past leaves it unread, since read_revision stays below revision.
        Recording.objects.filter(pk=self.recording_id).filter(
            Q(read_revision__isnull=True) | Q(read_revision__lt=self.revision)
        ).update(read_revision=self.revision)


class SupervisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


class Supervision(models.Model):
    """The written record of a supervision session between the SSW and the carers.

    A draft may be saved in any state; completing it is refused without the
    safe-care discussion (SC-10) and, when one is due, the device check (DV-2).
    A completed record is locked: corrections are SupervisionAmendment rows.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="supervisions")
    held_on = models.DateField("Date of the supervision")
    attendees = models.ManyToManyField(
        HouseholdMember, blank=True, related_name="supervisions", verbose_name="Household members present"
    )
    other_attendees = models.TextField("Others present", blank=True)
    discussion = models.TextField("Discussion", blank=True)
    safe_care_discussion = models.TextField("Safe care discussion", blank=True)
    # DV-2: None until the question is answered.
    device_check_done = models.BooleanField(
        "Devices checked with the carers", null=True, blank=True, default=None
    )
    # DV-2: the carers' answer at the device check; None until it is given.
    register_complete = models.BooleanField(
        "Does the register list every camera and microphone in and around the home?",
        null=True,
        blank=True,
        default=None,
    )
    device_check_notes = models.TextField("Device check notes", blank=True)
    status = models.CharField(
        max_length=16, choices=SupervisionStatus.choices, default=SupervisionStatus.DRAFT
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["household", "status", "held_on"], name="supervision_household_held"),
            # SC-10's weekly check: the households supervised since a day (the interval ago),
            # read off the index alone, whatever the years of supervisions behind them.
            models.Index(
                fields=["held_on", "household"],
                name="supervision_completed_held",
                condition=Q(status="completed"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False),
                name="supervision_completed_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"Supervision {self.reference} of {self.household_id} on {self.held_on}"

    @property
    def reference(self) -> str:
        return f"S-{self.pk:06d}"

    @property
    def is_completed(self) -> bool:
        return self.status == SupervisionStatus.COMPLETED


class SupervisionAmendment(models.Model):
    """A correction to a completed (locked) supervision record, shown beneath it."""

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="amendments")
    text = models.TextField("Correction")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["made_at", "id"]

    def __str__(self) -> str:
        return f"Amendment to {self.supervision_id} at {self.made_at:%Y-%m-%d %H:%M}"
