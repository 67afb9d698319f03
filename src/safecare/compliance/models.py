"""Inspection packs: the service's evidence for an Ofsted inspection or a Regulation 35 review.

A fostering manager asks for a pack for a period; the job runner builds it (its progress on
the page), stores the PDF encrypted like every other file (files.storage), and erases it after
the service's expiry period, as it does subject access exports. The figures in it are counted
from the tasks and records when it is built; the same figures download as CSV from the report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService, Team
from safecare.files.models import StoredFile


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be built"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be built"
    EXPIRED = "expired", "Deleted after its expiry"


class InspectionPack(models.Model):
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField("Start of the period")
    period_end = models.DateField("End of the period")
    purpose = models.CharField("What the pack is for", max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    step = models.CharField("What the build is doing", max_length=120, blank=True)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Inspection pack {self.pk}"

    @property
    def reference(self) -> str:
        return f"IP-{self.pk:05d}"


class TallyOutcome(models.TextChoices):
    ON_TIME = "on_time", "Met on time"
    LATE = "late", "Met late"
    CANCELLED = "cancelled", "Cancelled"


class TallySpan(models.TextChoices):
    # By rule, days late and reason, for the month `due_month` begins.
    MONTH = "month", "A month's duties by rule"
    # The same for the calendar year `due_month` begins: long periods read twelve times fewer rows.
    YEAR = "year", "A year's duties by rule"
    # A month's duties by outcome only (no rule, days late or reason): the trend by month.
    TREND = "trend", "A month's duties by outcome"


class DutyTally(models.Model):
    """How many closed duties of one kind share one outcome: counted from the tasks, never entered.

    A service's tallies are counted again, all at once, by a daily job (compliance.tallies) and
    count only the duties closed before the moment their `TallySeal` names; the figures add to
    them the duties still open or closed since, read from the tasks themselves (decision 0060).
    A closed duty never changes, so a tally is the tasks' own answer, kept for speed; dropping
    every tally loses nothing. Each count writes three spans of rows (`TallySpan`).
    """

    service = models.ForeignKey(FosteringService, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    span = models.CharField(max_length=8, choices=TallySpan.choices, default=TallySpan.MONTH)
    rule_id = models.CharField(max_length=16, blank=True)  # blank in the trend's rows
    due_month = models.DateField("First day of the month (or year) the duties fell due in")
    outcome = models.CharField(max_length=16, choices=TallyOutcome.choices)
    # Days between the due date and the day met, for the late ones; 0 for the others (and in
    # the trend's rows, which don't count days).
    late_days = models.PositiveIntegerField(default=0)
    # Why the cancelled ones were cancelled; blank for the others.
    reason = models.TextField(blank=True)
    duties = models.PositiveIntegerField()
    # The count this row belongs to: its seal's `closed_before`. A count keeps the one before it
    # until the next, so a report that read the seal just before a count still finds its rows.
    closed_before = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["service", "closed_before", "span", "due_month"], name="tally_service_month"
            ),
            models.Index(fields=["team", "closed_before", "span", "due_month"], name="tally_team_month"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(duties__gt=0), name="tally_counts_something"),
            models.CheckConstraint(
                condition=Q(span="trend", late_days=0)
                | Q(outcome="late", late_days__gt=0)
                | (~Q(outcome="late") & Q(late_days=0)),
                name="tally_late_days_only_when_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.due_month:%Y-%m} {self.outcome}: {self.duties}"


class TallySeal(models.Model):
    """The moment a service's tallies count up to: duties closed before it are in them."""

    service = models.OneToOneField(
        FosteringService, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    closed_before = models.DateTimeField()
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Tallies of {self.service_id} to {self.closed_before:%Y-%m-%d %H:%M}"
