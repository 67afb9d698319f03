"""Inspection packs: the service's evidence for an Ofsted inspection or a Regulation 35 review.

A fostering manager asks for a pack for a period; the job runner builds it (its progress on
the page), stores the PDF encrypted like every other file (files.storage), and erases it after
the service's expiry period, as it does subject access exports. The figures in it are counted
from the tasks and records when it is built; the same figures download as CSV from the report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService
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
