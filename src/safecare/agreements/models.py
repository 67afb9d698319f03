"""Safe Caring Family Agreements and child-specific agreements (SC-1, SC-4, SC-5).

An agreement is the household's SCFA (one per household) or the child-specific
agreement of one placement. Its text lives in immutable versions: editing makes
a new version row, and the signatures of the old one stay with it (rules: Everywhere).
Which version is in force is `Agreement.current_version`, set when the last
required signer signs (agreements.services).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService
from safecare.households.models import Child, Household, HouseholdMember, Placement


class AgreementKind(models.TextChoices):
    HOUSEHOLD = "household", "Safe Caring Family Agreement"
    CHILD = "child", "Child-specific safe caring agreement"


# The sections a fostering service would recognise, in the order they are written.
# Keys are stored in each version's JSON; labels and hints are only for display.
SECTIONS: list[tuple[str, str, str]] = [
    ("privacy", "Privacy", "Knocking before entering, bedrooms and bathrooms as private spaces, locks."),
    ("bathing_dressing", "Bathing and dressing", "Who helps with bathing and dressing, and how."),
    ("bedrooms", "Bedrooms", "Who sleeps where, sharing, who goes into whose bedroom and when."),
    ("touch_affection", "Touch and affection", "Hugs, comforting, play fighting, tickling, sitting on laps."),
    (
        "photos_internet",
        "Photos and the internet",
        "Taking and sharing photos, social media, devices, gaming.",
    ),
    (
        "visitors_overnight",
        "Visitors and overnight stays",
        "Regular visitors, babysitters, sleepovers, who may stay overnight.",
    ),
    (
        "cameras_microphones",
        "Cameras and microphones",
        "Every camera and microphone in or around the home: where, how positioned, why, and that "
        "everyone knows.",
    ),
    ("transport", "Transport", "Car journeys, seating, who drives the child, taxis."),
    ("family_contact", "Contact with family", "Contact with birth family and friends, phones and visits."),
    ("house_rules", "The household's own rules", "Anything else the household agrees to."),
]
SECTION_KEYS = [key for key, _, _ in SECTIONS]
SECTION_LABELS = {key: label for key, label, _ in SECTIONS}


class Agreement(models.Model):
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=AgreementKind.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="agreements")
    # Child-specific agreements belong to one placement; the child is denormalised for scoping.
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    current_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    current_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["household_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(kind="household"), name="agreement_one_scfa_per_household"
            ),
            models.UniqueConstraint(
                fields=["placement"], condition=Q(kind="child"), name="agreement_one_per_placement"
            ),
            models.CheckConstraint(
                condition=(Q(kind="household") & Q(placement__isnull=True) & Q(child__isnull=True))
                | (Q(kind="child") & Q(placement__isnull=False) & Q(child__isnull=False)),
                name="agreement_subject_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AgreementKind.CHILD:
            return f"Child-specific agreement {self.reference}"
        return f"Safe Caring Family Agreement {self.reference}"

    @property
    def reference(self) -> str:
        return f"A-{self.pk:05d}"

    @property
    def is_household(self) -> bool:
        return self.kind == AgreementKind.HOUSEHOLD


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft: not signed yet"
    AWAITING = "awaiting", "Awaiting signatures"
    CURRENT = "current", "Current"
    SUPERSEDED = "superseded", "Superseded"
    # rules: Everywhere: the text changed after signing; the version is not in force.
    BROKEN = "broken", "Signatures broken: the text changed after signing"


class AgreementVersion(models.Model):
    """One version of an agreement, exactly as written. Never changed after it is saved.

    `content` is exactly what a signer is shown and signs, frozen when the version is
    written (participants' names as they were then, not joined live), so editing a
    household member later cannot change what a signature covers. The database refuses
    UPDATE and DELETE of the row (core.append_only).
    """

    append_only = True

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    # Signatures check the document's service (core.signatures).
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=dict)
    # SC-1: everyone in the home takes part in writing it; who did is recorded per version.
    participants = models.ManyToManyField(HouseholdMember, related_name="agreement_versions", blank=True)
    # DV-10: the cameras and microphones this version covers, as they were when it was written
    # (devices.models.Device.agreement_entry): where, how positioned, why.
    devices = models.JSONField(default=list, blank=True)
    # What a signature covers (agreements.services.version_content), frozen when written.
    content = models.JSONField(default=dict, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A signed text must stay what was signed: a change is a new version.
        if self.pk is not None:
            raise ValidationError("An agreement version cannot be changed; save a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("An agreement version cannot be deleted.")

    def section_items(self) -> list[tuple[str, str, str]]:
        """(key, label, text) for every section, in the standard order, as signed."""
        sections = self.content.get("sections", self.sections) if self.content else self.sections
        return [(key, label, str(sections.get(key, ""))) for key, label, _ in SECTIONS]
