"""Standards of care: a concern about a carer's practice, its route, the SSW's visit (SOC-1 to SOC-5).

Every record belongs to one fostering service and keeps its change history. A route
decision and an allegation's outcome are never changed once made: the database refuses
it (core.append_only). A route is changed by a new decision, so the earlier ones stay
(decision 0034).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safecare.core.models import FosteringService, Task
from safecare.households.models import Child, Household


class NationalMinimumStandard(models.Model):
    """SOC-4: one of the Fostering Services National Minimum Standards 2011, as the service lists it."""

    service = models.ForeignKey(FosteringService, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    active = models.BooleanField(default=True, help_text="Offered when a visit names the standards")
    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="nms_number_unique_per_service")
        ]

    def __str__(self) -> str:
        return f"Standard {self.number}: {self.title}"


# SOC-1: the concern ----------------------------------------------------------------------------


class RaisedBy(models.TextChoices):
    NAMED = "named", "A named person"
    ROLE = "role", "Someone in a role (for example the school, or the child's social worker)"
    ANONYMOUS = "anonymous", "Anonymous"


class Route(models.TextChoices):
    LADO = "lado", "An allegation: to the LADO under the allegations procedure"
    SAFEGUARDING = "safeguarding", "Safeguarding, and the LADO told (the carer's own child)"
    STANDARDS_OF_CARE = "standards_of_care", "Standards of care"
    COMPLAINTS = "complaints", "The complaints procedure"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


# The routes that take a concern out of the service's hands, to the LADO (SOC-2).
ALLEGATION_ROUTES = frozenset({Route.LADO, Route.SAFEGUARDING})


class ConcernQuerySet(models.QuerySet["Concern"]):
    def with_route(self) -> ConcernQuerySet:
        """Each concern's current route (`current_route`): its latest decision's, or None."""
        latest = RouteDecision.objects.filter(concern=OuterRef("pk")).order_by("-decided_at", "-id")
        return self.annotate(current_route=Subquery(latest.values("route")[:1]))

    def routed(self, route: str) -> ConcernQuerySet:
        return self.with_route().filter(current_route=route)  # type: ignore[misc]

    def unrouted(self) -> ConcernQuerySet:
        return self.with_route().filter(current_route__isnull=True)  # type: ignore[misc]


class Concern(models.Model):
    """SOC-1: information about a carer's practice, who gave it and when the service received it."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="soc_concerns")
    raised_by_kind = models.CharField("Who raised it", max_length=16, choices=RaisedBy.choices)
    raised_by = models.CharField(
        "Their name or role",
        max_length=200,
        blank=True,
        help_text="Empty when the concern was raised anonymously",
    )
    received_on = models.DateField("Date the information was received")
    details = models.TextField("What was said")
    children = models.ManyToManyField(Child, blank=True, related_name="soc_concerns")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[children])

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["household", "received_on"], name="concern_household_received")]

    def __str__(self) -> str:
        return f"Standards of care concern {self.reference}"

    @property
    def reference(self) -> str:
        return f"CC-{self.pk:06d}"

    @property
    def anonymous(self) -> bool:
        return self.raised_by_kind == RaisedBy.ANONYMOUS

    def latest_decision(self) -> RouteDecision | None:
        return self.route_decisions.order_by("-decided_at", "-id").first()

    @property
    def route(self) -> str | None:
        decision = self.latest_decision()
        return decision.route if decision is not None else None


# SOC-2, SOC-3: the route -----------------------------------------------------------------------


class RouteDecision(models.Model):
    """SOC-2: the fostering manager's route for a concern, with each threshold considered.

    Never changed (append-only): a later decision on the same concern replaces it as the
    current route, and both stay on record.
    """

    append_only = True  # the database refuses UPDATE and DELETE (core.append_only)

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="route_decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("Date of the decision")
    decided_at = models.DateTimeField(default=timezone.now)
    # The allegations thresholds (SOC-2), each answered yes or no.
    harmed_child = models.BooleanField("The carer has harmed a child, or may have")
    offence_against_child = models.BooleanField(
        "The carer may have committed a criminal offence against or related to a child"
    )
    risk_of_harm = models.BooleanField(
        "The carer has behaved in a way that suggests a risk of harm to children"
    )
    unsuitable = models.BooleanField("The carer may not be suitable to work with children")
    carers_own_child = models.BooleanField("It concerns the carer's own child")
    other_borough = models.BooleanField("The carer lives in another borough")
    route = models.CharField(max_length=24, choices=Route.choices)
    reasons = models.TextField()
    # For an allegation: the LADO spoken to, and the carer's borough when it is another one.
    # Contacts, not users: they do not sign in (rules: Who sees what).
    lado = models.CharField("LADO", max_length=200, blank=True, help_text="The LADO's name and authority")
    borough = models.CharField("The carer's borough", max_length=120, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"Route of {self.concern_id}: {self.route}"

    @property
    def thresholds_met(self) -> bool:
        """SOC-2: any of the four allegations thresholds answered yes."""
        return self.harmed_child or self.offence_against_child or self.risk_of_harm or self.unsuitable


class AllegationOutcome(models.TextChoices):
    NO_EVIDENCE = "no_evidence", "No evidence of harm"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated: not enough evidence to prove or disprove it"
    SUBSTANTIATED = "substantiated", "Substantiated"
    BELOW_THRESHOLD = "below_threshold", "Below the allegations threshold: returned to the fostering service"


class AllegationResult(models.Model):
    """SOC-3: what the LADO's allegation investigation found, recorded by the fostering manager.

    Never changed (append-only). "No evidence of harm" closes the standards of care route
    to this concern for good (NMS 22.10).
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="allegation_result")
    outcome = models.CharField(max_length=24, choices=AllegationOutcome.choices)
    lado = models.CharField("LADO", max_length=200, help_text="Who gave the outcome")
    outcome_on = models.DateField("Date of the outcome")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Allegation outcome of {self.concern_id}: {self.outcome}"


# SOC-4: the visit ------------------------------------------------------------------------------


class Visit(models.Model):
    """SOC-4: the SSW's visit to the carer about a concern on the standards of care route."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="soc_visits")
    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="visit")
    visited_on = models.DateField("Date of the visit")
    standards = models.ManyToManyField(
        NationalMinimumStandard, related_name="visits", verbose_name="Relevant National Minimum Standards"
    )
    concerns_discussed = models.TextField("The concerns discussed")
    carer_response = models.TextField("The carer's response")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[standards])

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"Standards of care visit {self.reference}"

    @property
    def reference(self) -> str:
        return f"SV-{self.pk:06d}"


class VisitAction(models.Model):
    """SOC-4: an action agreed at the visit, with its owner and timescale; SOC-5 watches it."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField("What will be done")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Who does it"
    )
    due_on = models.DateField("Done by")
    done_on = models.DateField("Done on", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Action {self.pk} of visit {self.visit_id}"


def overdue_actions(today: dt.date) -> QuerySet[VisitAction]:
    """SOC-5: actions not done by their timescale: due before today and not done."""
    return VisitAction.objects.filter(due_on__lt=today, done_on__isnull=True)


# SOC-5: a meeting proposed ---------------------------------------------------------------------


class MeetingProposal(models.Model):
    """SOC-5: Safecare proposes a standards of care meeting; the fostering manager decides.

    One open proposal per household: a proposal not yet decided gathers every concern and
    overdue action found until it is.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="soc_proposals")
    proposed_on = models.DateField()
    three_concerns = models.BooleanField("3 standards of care concerns within 12 months", default=False)
    overdue = models.BooleanField("Agreed actions not done by their timescales", default=False)
    concerns = models.ManyToManyField(Concern, blank=True, related_name="proposals")
    actions = models.ManyToManyField(VisitAction, blank=True, related_name="proposals")
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    convene = models.BooleanField("Convene a standards of care meeting", null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[concerns, actions])

    class Meta:
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(decided_at__isnull=True),
                name="one_open_meeting_proposal_per_household",
            )
        ]

    def __str__(self) -> str:
        return f"Standards of care meeting proposed {self.reference}"

    @property
    def reference(self) -> str:
        return f"MP-{self.pk:06d}"

    @property
    def decided(self) -> bool:
        return self.decided_at is not None


# SOC-6: support for the carer ------------------------------------------------------------------


class SupportReferral(models.Model):
    """SOC-6: the SSW referred the carer to the Fostering Network for an independent support worker.

    Recorded once for a meeting decided on; it closes the referral duty. Never changed.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="soc_support_referrals")
    proposal = models.OneToOneField(
        MeetingProposal, on_delete=models.PROTECT, related_name="support_referral"
    )
    referred_on = models.DateField("Date of the referral")
    how = models.TextField(
        "How the referral was made", help_text="For example, by e-mail to the Fostering Network"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Support referral for proposal {self.proposal_id}"


# SOC-7, SOC-8, SOC-9: the meeting --------------------------------------------------------------


class Meeting(models.Model):
    """SOC-7 to SOC-9: the standards of care meeting the fostering manager decided to hold.

    Its date leaves room for the report to reach the chair (5 clear working days before)
    and the carer (10 calendar days before). The chair, a fostering manager, sends the
    minutes within 3 weeks of it.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="soc_meetings")
    proposal = models.OneToOneField(MeetingProposal, on_delete=models.PROTECT, related_name="meeting")
    meets_on = models.DateField("Date of the meeting")
    place = models.CharField("Where, or how to join", max_length=300)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Chair"
    )
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    arranged_at = models.DateTimeField(default=timezone.now)
    minutes_sent_on = models.DateField("Date the minutes were sent", null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Standards of care meeting on {self.meets_on:%d %b %Y}"


# SOC-11: resignation during a process ----------------------------------------------------------


class Resignation(models.Model):
    """SOC-11: a carer's written resignation received while a standards of care process is open.

    The household is deregistered 28 calendar days after it was received, by itself (a
    scheduled job). It can never be withdrawn or declined: the record is never changed.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="soc_resignations")
    received_on = models.DateField("Date the written resignation was received")
    deregisters_on = models.DateField("Deregistered on")
    concerns = models.ManyToManyField(Concern, related_name="resignations")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Resignation of household {self.household_id} received {self.received_on:%d %b %Y}"
