"""What carers tell the service, children's risk, and care arrangements (SC-6, SC-8, SC-9, SC-11, SC-12).

Every record belongs to one fostering service and keeps its change history.
Notices and requests are written by carers and reviewed by the household's
supervising social worker; the duty each one raises is a core Task.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService, Task
from safecare.households.models import Child, Household, Placement

# SC-12: the longest a child may be left with someone on consent given after it began.
LONG_STAY = dt.timedelta(hours=24)
# SC-12: arrangements with the same person that follow each other within a day count as one.
FOLLOWS_WITHIN = dt.timedelta(hours=24)


def same_person(name: str) -> str:
    """SC-12: who a child is left with, compared by name: trimmed, spaces collapsed, any case."""
    return " ".join(name.split()).casefold()


# SC-9: risk ------------------------------------------------------------------------------------


class RiskLevel(models.TextChoices):
    NONE = "none", "Not flagged"
    KNOWN = "known", "Known to put themselves or others at risk"
    LIKELY = "likely", "Likely to put themselves or others at risk"
    POTENTIAL = "potential", "Has potential to put themselves or others at risk"


class ChildRiskFlag(models.Model):
    """SC-9: whether a child is known, likely or has potential to put themselves or others at risk.

    One row per child; changing it keeps the earlier levels in the history,
    which is also where "who set it, when" is read from.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="risk_flag")
    level = models.CharField(max_length=16, choices=RiskLevel.choices, default=RiskLevel.NONE)
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.child_id}: {self.level}"

    @property
    def flagged(self) -> bool:
        return self.level != RiskLevel.NONE


class RiskAssessment(models.Model):
    """SC-9: a completed risk assessment of a child, for a placement where one is named."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="risk_assessments")
    placement = models.ForeignKey(
        Placement, on_delete=models.SET_NULL, null=True, blank=True, related_name="risk_assessments"
    )
    completed_on = models.DateField()
    summary = models.TextField()
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["child", "completed_on"], name="riskassessment_child")]

    def __str__(self) -> str:
        return f"Risk assessment of {self.child_id} on {self.completed_on}"


# SC-6: changes of circumstance -----------------------------------------------------------------


class ChangeKind(models.TextChoices):
    NEW_REGULAR_VISITOR = "new_regular_visitor", "A new regular visitor"
    OVERNIGHT_STAYS = "overnight_stays", "Someone not known to the service staying overnight regularly"
    MEMBER_MOVED_OUT = "member_moved_out", "Someone in the family moving out"
    DEATH = "death", "A death in the family or of someone close to the child"
    OTHER = "other", "Another change that could affect caring"


class ChangeNotice(models.Model):
    """SC-6: a carer tells the service of a change that could affect their ability to foster."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="change_notices")
    kind = models.CharField("What has changed", max_length=32, choices=ChangeKind.choices)
    happened_on = models.DateField("Date of the change")
    details = models.TextField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["household", "reviewed_at"], name="changenotice_household")]

    def __str__(self) -> str:
        return f"SC-6 notice {self.reference}"

    @property
    def reference(self) -> str:
        return f"CN-{self.pk:06d}"

    @property
    def rule_id(self) -> str:
        return "SC-6"

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None


# SC-8, SC-11: immediate notices ----------------------------------------------------------------


class ImmediateKind(models.TextChoices):
    OWN_ABILITY = "own_ability", "I have concerns about my ability to provide safe care"
    ALLEGATION_RISK = "allegation_risk", "Something has happened that makes me feel at risk of an allegation"
    RISKY_ACTIVITY = (
        "risky_activity",
        "A foster child or one of my own children is involved in risky activities",
    )


IMMEDIATE_RULES = {
    ImmediateKind.OWN_ABILITY: "SC-8",
    ImmediateKind.ALLEGATION_RISK: "SC-8",
    ImmediateKind.RISKY_ACTIVITY: "SC-11",
}


class ImmediateNotice(models.Model):
    """SC-8, SC-11: what a carer must tell the SSW (and for SC-8 the CSW) immediately.

    `children` are the foster children the notice concerns: for SC-8 every
    child placed when it was sent, for SC-11 those the carer named. Their
    social workers were alerted and may read it.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="immediate_notices")
    kind = models.CharField("What you need to tell us", max_length=32, choices=ImmediateKind.choices)
    details = models.TextField()
    children = models.ManyToManyField(Child, blank=True, related_name="immediate_notices")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    response_note = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["household", "acknowledged_at"], name="immediatenotice_household")]

    def __str__(self) -> str:
        return f"{self.rule_id} notice {self.reference}"

    @property
    def reference(self) -> str:
        return f"IN-{self.pk:06d}"

    @property
    def rule_id(self) -> str:
        return IMMEDIATE_RULES[ImmediateKind(self.kind)]

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


# SC-12: care arrangements ----------------------------------------------------------------------


class ArrangementStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a decision"
    CONSENTED = "consented", "Consented"
    REFUSED = "refused", "Refused"


def breach_q(now: dt.datetime) -> Q:
    """SC-12: over 24 hours, begun, and not consented before it began.

    "Over 24 hours" and "before it began" count an arrangement together with those with
    the same person it follows within 24 hours (long_stay, counted_from): consent was
    needed before the first of them started. Consent after that is refused, so consent
    given later was given only for a shorter stay. A refusal before the arrangement's own
    start means the child was not left; a refusal later, or no decision, leaves the breach.
    """
    counted_start = Coalesce(models.F("counted_from"), models.F("starts_at"))
    consented_in_time = (
        Q(status=ArrangementStatus.CONSENTED) & Q(decided_at__isnull=False) & Q(decided_at__lte=counted_start)
    )
    refused_in_time = (
        Q(status=ArrangementStatus.REFUSED)
        & Q(decided_at__isnull=False)
        & Q(decided_at__lte=models.F("starts_at"))
    )
    return Q(long_stay=True) & Q(starts_at__lte=now) & ~consented_in_time & ~refused_in_time


class CareArrangement(models.Model):
    """SC-12: a foster child left with someone; the SSW decides on it.

    A carer asks before, or tells after; staff record one they learn of after the fact.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="care_arrangements")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_arrangements")
    carer_name = models.CharField("Who will look after the child", max_length=160)
    relationship = models.CharField(
        "Their relationship to you or the child",
        max_length=120,
        help_text="For example grandparent, neighbour",
    )
    starts_at = models.DateTimeField("From")
    ends_at = models.DateTimeField("Until")
    # Stored from the times, so the breach list is one indexed query: over 24 hours,
    # counted with the arrangements with the same person it follows within 24 hours.
    long_stay = models.BooleanField(default=False, editable=False)
    # When the stretch it is counted in began, where an earlier arrangement begins it;
    # empty when it is counted from its own start.
    counted_from = models.DateTimeField(
        "Counted with earlier arrangements from", null=True, blank=True, editable=False
    )
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        max_length=16, choices=ArrangementStatus.choices, default=ArrangementStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["household", "starts_at"], name="carearrangement_household"),
            models.Index(
                fields=["service", "starts_at"],
                name="carearrangement_long",
                condition=Q(long_stay=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="arrangement_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"SC-12 care arrangement {self.reference}"

    @property
    def reference(self) -> str:
        return f"CA-{self.pk:06d}"

    @property
    def rule_id(self) -> str:
        return "SC-12"

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at

    @property
    def counted_start(self) -> dt.datetime:
        """SC-12: consent is needed before this: its own start, or the earlier one it follows."""
        return self.counted_from or self.starts_at

    @property
    def recorded_late(self) -> bool:
        """Recorded only after it had begun: a carer telling, or staff learning, after the fact."""
        return self.requested_at > self.starts_at

    def is_breach(self, now: dt.datetime | None = None) -> bool:
        """Python twin of breach_q."""
        now = now or timezone.now()
        if not self.long_stay or self.starts_at > now:
            return False
        decided = self.decided_at
        if self.status == ArrangementStatus.CONSENTED:
            return decided is None or decided > self.counted_start
        if self.status == ArrangementStatus.REFUSED:
            return decided is None or decided > self.starts_at
        return True
