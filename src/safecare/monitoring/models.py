"""Monitoring a young person's internet use: from the first worry to the reviewed, time-limited
agreement (IM-1 to IM-9).

A restrictive practice: every step has its record, and the records that decide or consent
(the decision to monitor, the agreement, its end, each review) are never changed once made
(append-only, core.append_only). Continuing past an agreement's end is a new agreement.
Where a young person lives other than in a foster placement (supported lodgings, supported
accommodation), a Residence says so; the procedure is the same.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService
from safecare.households.models import Child, Household


class ResidenceKind(models.TextChoices):
    SUPPORTED_LODGINGS = "supported_lodgings", "Supported lodgings"
    SUPPORTED_ACCOMMODATION = "supported_accommodation", "Supported accommodation"
    OTHER = "other", "Somewhere else"


class Residence(models.Model):
    """Where a young person lives when it is not a foster placement (IM applies the same).

    The provider is a name (a contact); when the young person lodges with a household that
    Safecare holds (supported lodgings hosts are often approved households), `household`
    names it, and its carers read what the agreement asks of them.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="residences")
    kind = models.CharField("Where they live", max_length=32, choices=ResidenceKind.choices)
    provider = models.CharField("Provider", max_length=200, help_text="The provider or host's name")
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        help_text="The household in Safecare that hosts them, if any",
    )
    address_kind = models.CharField(
        "Kind of address", max_length=120, help_text="For example, a room in the host's home, or a flat"
    )
    from_on = models.DateField("From")
    to_on = models.DateField("Until", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-from_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_on__isnull=True) | models.Q(to_on__gte=models.F("from_on")),
                name="residence_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for child {self.child_id} from {self.from_on}"


# IM-1: the worry ------------------------------------------------------------------------------


class RiskKind(models.TextChoices):
    FROM_OTHERS = (
        "from_others",
        "Their internet use puts them at substantial risk of significant harm from others",
    )
    TO_OTHERS = "to_others", "Their internet use makes them a substantial risk of significant harm to others"


class Worry(models.Model):
    """IM-1: someone caring for the young person tells their social worker of a risk online."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="internet_worries")
    risk = models.CharField("What is the worry?", max_length=16, choices=RiskKind.choices)
    details = models.TextField("What have you seen or been told?")
    noticed_on = models.DateField("When did you notice it?")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"Internet worry {self.reference}"

    @property
    def reference(self) -> str:
        return f"IW-{self.pk:06d}"


# IM-2, IM-3: assessment, strategy discussion, panels ------------------------------------------


class RiskLevel(models.TextChoices):
    SIGNIFICANT = "significant", "A significant risk of harm"
    NOT_SIGNIFICANT = "not_significant", "Not a significant risk of harm"


class Assessment(models.Model):
    """IM-2: the social worker's assessment of the risk, with who took part."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="internet_assessments")
    worry = models.ForeignKey(Worry, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField("Date of the assessment")
    young_person_took_part = models.BooleanField("The young person took part")
    family = models.TextField(
        "Family who took part", blank=True, help_text="Where appropriate; empty if none"
    )
    officers = models.TextField("Officers who took part", blank=True)
    carers = models.TextField("Carers or providers who took part", blank=True)
    findings = models.TextField("The risks found")
    level = models.CharField("Level of risk", max_length=16, choices=RiskLevel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"Internet risk assessment {self.pk}"


class StrategyDiscussion(models.Model):
    """IM-3: the social worker and their manager's strategy discussion about a significant risk."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="strategy_discussions")
    held_on = models.DateField("Date of the discussion")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Manager"
    )
    attendees = models.TextField("Who else took part", blank=True)
    outcome = models.TextField("Outcome")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Strategy discussion {self.pk}"


class Panel(models.TextChoices):
    EFRH = "efrh", "Extra-Familial Risk of Harm panel"
    CHANNEL = "channel", "Channel panel (Prevent): extremism or radicalisation"


class PanelReferral(models.Model):
    """IM-3: the case referred to the EFRH panel, or to Channel; its outcome and minutes on file."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="panel_referrals")
    panel = models.CharField(max_length=16, choices=Panel.choices)
    referred_on = models.DateField("Date of the referral")
    outcome = models.TextField("The panel's outcome", blank=True)
    outcome_on = models.DateField("Date of the outcome", null=True, blank=True)
    minutes = models.TextField("The panel's minutes", blank=True, help_text="As the panel sent them")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_panel_display()} referral {self.pk}"


# IM-4, IM-5: evaluation and the decision ------------------------------------------------------


class Evaluation(models.Model):
    """IM-4: the assessment evaluated with the team manager and the service manager; legal advice."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evaluations")
    evaluated_on = models.DateField("Date of the evaluation")
    team_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Team manager"
    )
    service_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Service manager"
    )
    summary = models.TextField("What the evaluation found")
    legal_advice_taken = models.BooleanField("Legal advice was taken")
    legal_advice_reasons = models.TextField("Why legal advice was, or was not, taken")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Evaluation {self.pk}"


class Decision(models.Model):
    """IM-5: whether to monitor. Never changed (append-only).

    A decision to monitor holds the reasons, the evidence that less restrictive measures
    cannot reduce the risk enough, and the two tests Ofsted applies: legal and necessary;
    reasonable and proportionate. A decision not to monitor holds its reasons.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="internet_decisions")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="decisions")
    monitor = models.BooleanField("Monitor the young person's internet use")
    reasons = models.TextField("Reasons")
    less_restrictive_evidence = models.TextField(
        "Evidence that less restrictive measures cannot reduce the risk enough", blank=True
    )
    legal_and_necessary = models.TextField("Why it is legal and necessary", blank=True)
    reasonable_and_proportionate = models.TextField("Why it is reasonable and proportionate", blank=True)
    decided_on = models.DateField("Date of the decision")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"Internet monitoring decision {self.pk}: {'monitor' if self.monitor else 'do not monitor'}"


# IM-6: the discussion ---------------------------------------------------------------------------


class Discussion(models.Model):
    """IM-6: the proposal discussed with the young person and family; an advocate if they want one."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField("Date of the discussion")
    young_person_views = models.TextField("The young person's views")
    family = models.TextField("Family who took part, and their views", blank=True)
    family_support = models.BooleanField("The young person has family who can support them in this")
    advocate_offered = models.BooleanField("An advocate was recommended to the young person", default=False)
    advocate_wanted = models.BooleanField("The young person wants an advocate", default=False)
    advocate = models.CharField("The advocate", max_length=200, blank=True, help_text="Name and organisation")
    advocate_arranged_on = models.DateField("Date the advocate was arranged", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Discussion {self.pk}"


# IM-7, IM-8: the agreement ------------------------------------------------------------------------


class Signatory(models.TextChoices):
    YOUNG_PERSON = "young_person", "The young person (Gillick competent)"
    PARENTAL_RESPONSIBILITY = "parental_responsibility", "A person with parental responsibility"
    LOCAL_AUTHORITY = "local_authority", "The local authority as corporate parent"


class Agreement(models.Model):
    """IM-7, IM-8: the written, signed, time-limited agreement to monitor. Never changed.

    Signed by the young person if Gillick competent (with the social worker's competence
    assessment and its date) or by a person with parental responsibility (a contact), never
    by the local authority as corporate parent. It ends on its end date by itself (a
    scheduled job) or earlier at a review; continuing is a new agreement.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="internet_agreements")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="agreements")
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    starts_on = models.DateField("Monitoring starts on")
    ends_on = models.DateField("Monitoring ends on")
    what = models.TextField("What is monitored")
    how = models.TextField("How it is monitored")
    by_whom = models.TextField("Who does the monitoring")
    who_sees = models.TextField("Who sees what the monitoring finds")
    action_plan = models.TextField("Action plan to replace monitoring with positive measures")
    signatory = models.CharField("Who signed it", max_length=32, choices=Signatory.choices)
    gillick_assessed_on = models.DateField("Date of the Gillick competence assessment", null=True, blank=True)
    gillick_assessment = models.TextField("The Gillick competence assessment", blank=True)
    signed_by_name = models.CharField(
        "Name of the person who signed", max_length=200, help_text="For a person with parental responsibility"
    )
    relationship = models.CharField("Their relationship to the young person", max_length=120, blank=True)
    signed_on = models.DateField("Date it was signed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="agreement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(signatory="local_authority"),
                name="agreement_never_signed_by_corporate_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"Internet monitoring agreement {self.reference}"

    @property
    def reference(self) -> str:
        return f"IA-{self.pk:06d}"


class EndReason(models.TextChoices):
    END_DATE = "end_date", "Its end date came"
    REVIEW = "review", "A review stopped it"
    REPLACED = "replaced", "A new agreement replaced it"


class AgreementEnd(models.Model):
    """IM-8, IM-9: monitoring under an agreement ended, once (append-only)."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="end")
    ended_on = models.DateField()
    reason = models.CharField(max_length=16, choices=EndReason.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"End of agreement {self.agreement_id} on {self.ended_on}"


# IM-9: reviews --------------------------------------------------------------------------------------


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Monitoring continues as agreed"
    CHANGE = "change", "Monitoring should change: a new agreement is needed"
    STOP = "stop", "Monitoring stops"


class Review(models.Model):
    """IM-9: a review of the agreement with the young person, family and all relevant parties (append-only)."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField("Date of the review")
    young_person_took_part = models.BooleanField("The young person took part")
    family = models.TextField("Family who took part", blank=True)
    others = models.TextField("Everyone else who took part")
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices)
    notes = models.TextField("What the review found")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Review {self.pk} of agreement {self.agreement_id}"
