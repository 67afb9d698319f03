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

from safecare.core.history import HistoricalRecords
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
    # SOC-4: shared in the app with the carer and the fostering manager once the SSW has signed
    # it; from then on the carers read it and sign it, and it is never edited.
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[standards])

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"Standards of care visit {self.reference}"

    @property
    def reference(self) -> str:
        return f"SV-{self.pk:06d}"


class VisitAction(models.Model):
    """SOC-4, SOC-10: an action agreed at the visit, or set by the meeting's outcome, with its
    owner and timescale; SOC-5 watches it. It belongs to exactly one of the two.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    what = models.TextField("What will be done")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Who does it"
    )
    due_on = models.DateField("Done by")
    done_on = models.DateField("Done on", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(visit__isnull=False, meeting__isnull=True)
                    | models.Q(visit__isnull=True, meeting__isnull=False)
                ),
                name="action_of_a_visit_or_a_meeting",
            )
        ]

    def __str__(self) -> str:
        if self.visit_id is None:
            return f"Action {self.pk} of meeting {self.meeting_id}"
        return f"Action {self.pk} of visit {self.visit_id}"

    @property
    def source(self) -> Visit | Meeting:
        """The visit that agreed it, or the meeting whose outcome set it."""
        source = self.visit if self.visit_id is not None else self.meeting
        if source is None:  # the check constraint makes this impossible once saved
            raise ValueError("an action belongs to a visit or to a meeting")
        return source

    @property
    def agreed_on(self) -> dt.date:
        source = self.source
        return source.visited_on if isinstance(source, Visit) else source.meets_on


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
    # SOC-5: the grounds that are the fostering manager's judgement, proposed by them with reasons.
    pattern = models.BooleanField("A pattern of concerns has emerged", default=False)
    refused_plan = models.BooleanField("The carer refuses the action plan", default=False)
    significant = models.BooleanField("The concern is significant enough on its own", default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when Safecare proposed it",
    )
    grounds_reasons = models.TextField("Why these grounds are met", blank=True)
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


# SOC-8: arranging the meeting with business support --------------------------------------------


class Arrangement(models.Model):
    """SOC-8: the SSW (or a fostering manager) asks a business support officer to arrange the meeting.

    The officer then sees this meeting, to set its date and send the invitations, and nothing
    else of the case: not the concerns, the route, the visit or the report.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    proposal = models.OneToOneField(MeetingProposal, on_delete=models.PROTECT, related_name="arrangement")
    business_support = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Business support officer",
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Arrangement of proposal {self.proposal_id}"


class DocumentKind(models.TextChoices):
    PROCEDURE = "procedure", "The standards of care procedure"
    CONFIDENTIALITY = "confidentiality", "The confidentiality agreement"
    CODE_OF_CONDUCT = "code_of_conduct", "The meeting code of conduct"


class ServiceDocument(models.Model):
    """SOC-8: a document sent with every invitation, uploaded once by the service (a PDF).

    Replacing it keeps the earlier one in the history; each invitation records the SHA-256
    of exactly what it was sent with.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    file = models.FileField(upload_to="service-documents/%Y/")
    name = models.CharField("File name", max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["service", "kind"], name="one_service_document_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.name})"


class InviteeRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    CARER = "carer", "Foster carer"
    SUPPORT_WORKER = "support_worker", "Independent support worker"
    SSW = "ssw", "Supervising social worker"
    SSW_MANAGER = "ssw_manager", "Supervising social worker's manager"
    CSW = "csw", "Child's social worker"
    CSW_MANAGER = "csw_manager", "Child's social worker's manager"
    MINUTE_TAKER = "minute_taker", "Minute-taker"
    REVIEW_OFFICER = "review_officer", "Independent review officer"
    ADVOCATE = "advocate", "The carer's advocate"


class Invitee(models.Model):
    """SOC-8: someone invited to the meeting: a person in Safecare, or a contact (name and e-mail)."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey("Meeting", on_delete=models.PROTECT, related_name="invitees")
    role = models.CharField(max_length=24, choices=InviteeRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField("Name", max_length=200)
    email = models.EmailField("E-mail address", blank=True)
    # Set when the invitation went, with what it was sent with (kind, name and SHA-256 of each document).
    invited_at = models.DateTimeField(null=True, blank=True)
    documents = models.JSONField(default=list, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


# SOC-7, SOC-12: the meeting report -------------------------------------------------------------

# The sections of the report the SSW and CSW write, in the procedure's order (Appendix 1).
REPORT_SECTIONS = (
    "reason",
    "career",
    "investigation",
    "consultation",
    "current_situation",
    "analysis",
    "working_well",
    "worried_about",
    "next_steps",
    "appendices",
)


class MeetingReport(models.Model):
    """SOC-7: the standards of care concerns meeting report, in the sections of the procedure.

    A working draft the SSW and the named CSW write. Submitting it for QA freezes what was
    written, with the facts drawn from the records and the chronology (SOC-12), as a
    ReportVersion the SSW signs; the fostering team manager's QA is their signature on that
    version. Only a QA'd version is ever sent.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    meeting = models.OneToOneField("Meeting", on_delete=models.PROTECT, related_name="report")
    csw = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Child's social worker writing with you",
    )
    investigator = models.CharField(
        "Investigating social worker, senior practitioner or team manager", max_length=200, blank=True
    )
    reason = models.TextField(
        "Reason for the report",
        blank=True,
        help_text="A summary of the concern, the dates, and the decisions that brought it to a meeting",
    )
    career = models.TextField(
        "Overview of the fostering career",
        blank=True,
        help_text="Changes in registration or family circumstances, children placed, support groups and training",
    )
    investigation = models.TextField(
        "Investigation",
        blank=True,
        help_text="Significant people, strategy discussions, interviews, action taken, social media searches and findings",
    )
    consultation = models.TextField(
        "Consultation with the foster carers and others",
        blank=True,
        help_text="The carers' views and responses, and others', including the children's wishes and feelings",
    )
    current_situation = models.TextField(
        "Current situation and impact on the children in placement",
        blank=True,
        help_text="Placement update, support given, learning, and what the children's and carers' behaviour shows",
    )
    analysis = models.TextField(
        "Analysis of the foster carers' suitability and competency",
        blank=True,
        help_text="The findings, and which standards or parts of the foster care agreement are not met, with the evidence",
    )
    working_well = models.TextField("What's working well?", blank=True)
    worried_about = models.TextField("What are we worried about?", blank=True)
    next_steps = models.TextField("What needs to happen next?", blank=True)
    appendices = models.TextField(
        "Appendices",
        blank=True,
        help_text="For example the CSW's report and the safer caring policy",
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Standards of care meeting report {self.pk}"


class ReportVersion(models.Model):
    """SOC-7, SOC-12: one frozen version of the report, exactly as signed, QA'd and sent.

    Append-only (the database refuses UPDATE and DELETE): `content` holds every section,
    the facts from the records and the chronology as they were when it was submitted;
    the signatures (core.Signature) cover its hash.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(MeetingReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of report {self.report_id}"


class Recipient(models.TextChoices):
    CHAIR = "chair", "The chair"
    CARER = "carer", "The foster carer"
    ADVOCATE = "advocate", "The carer's advocate"


class SharedHow(models.TextChoices):
    APP = "app", "In Safecare"
    SECURE_EMAIL = "secure_email", "Secure e-mail"
    RECORDED_DELIVERY = "recorded_delivery", "Recorded delivery"
    FACE_TO_FACE = "face_to_face", "Face to face"


class ReportSending(models.Model):
    """SOC-7: one QA'd version of the report sent to the chair, the carer or their advocate.

    Append-only. Sent in Safecare, the carer reads it in the portal and confirms receipt
    there; otherwise whether receipt was confirmed is recorded with it, or later as a
    ReceiptConfirmation.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="sendings")
    recipient = models.CharField(max_length=16, choices=Recipient.choices)
    recipient_name = models.CharField("Their name", max_length=200)
    how = models.CharField("How it was shared", max_length=24, choices=SharedHow.choices)
    sent_on = models.DateField("Date it was sent")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"Report version {self.version_id} sent to {self.recipient} on {self.sent_on}"


class ReceiptConfirmation(models.Model):
    """SOC-7: the recipient confirmed they received the report (append-only)."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    sending = models.OneToOneField(ReportSending, on_delete=models.PROTECT, related_name="receipt")
    confirmed_on = models.DateField("Date receipt was confirmed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Receipt of sending {self.sending_id} on {self.confirmed_on}"


class CarerResponse(models.Model):
    """SOC-8: the carer's response to the report, sent to the chair (append-only)."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey("Meeting", on_delete=models.PROTECT, related_name="carer_responses")
    text = models.TextField("Your response")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"Carer's response {self.pk} to meeting {self.meeting_id}"


# SOC-10: the outcome, the panel and the agency decision maker -----------------------------------


class OutcomeKind(models.TextChoices):
    ACTIONS = "actions", "Actions for the carer"
    PANEL = "panel", "A referral to the fostering panel"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class MeetingOutcome(models.Model):
    """SOC-10: what the meeting decided, recorded by its chair (append-only)."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    meeting = models.OneToOneField("Meeting", on_delete=models.PROTECT, related_name="outcome")
    kind = models.CharField("Outcome", max_length=24, choices=OutcomeKind.choices)
    summary = models.TextField("The chair's summary and recommendations")
    decided_on = models.DateField("Date of the outcome")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Outcome of meeting {self.meeting_id}: {self.kind}"


class PanelReferral(models.Model):
    """SOC-10: the household referred to the fostering panel after the meeting.

    Panel members see the referrals to the panel of their service, and the agency decision
    maker those with a recommendation; neither sees anything else of the case.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="soc_panel_referrals")
    meeting = models.OneToOneField("Meeting", on_delete=models.PROTECT, related_name="panel_referral")
    referred_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"Panel referral {self.reference}"

    @property
    def reference(self) -> str:
        return f"PR-{self.pk:06d}"


class ApprovalChoice(models.TextChoices):
    CONTINUE = "continue", "Approval continues"
    CHANGE_TERMS = "change_terms", "Approval continues on changed terms"
    DEREGISTER = "deregister", "Deregister: approval ends"


class PanelRecommendation(models.Model):
    """SOC-10: the fostering panel's recommendation, recorded by a panel member (append-only)."""

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(PanelReferral, on_delete=models.PROTECT, related_name="recommendation")
    recommendation = models.CharField(max_length=24, choices=ApprovalChoice.choices)
    reasons = models.TextField()
    panel_on = models.DateField("Date of the panel")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Panel recommendation on {self.referral_id}: {self.recommendation}"


class AdmDecision(models.Model):
    """SOC-10: the agency decision maker's decision (append-only).

    A decision to deregister waits: 28 calendar days for the carer to ask for an
    independent review, and, when they do, for the decision made after the review
    (`after_review`). Only then does the household's approval end.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(PanelReferral, on_delete=models.PROTECT, related_name="adm_decisions")
    decision = models.CharField(max_length=24, choices=ApprovalChoice.choices)
    reasons = models.TextField()
    decided_on = models.DateField("Date of the decision")
    after_review = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "after_review"], name="one_adm_decision_per_stage")
        ]

    def __str__(self) -> str:
        return f"ADM decision on {self.referral_id}: {self.decision}"


class ReviewRequest(models.Model):
    """SOC-10: the carer asked for an independent review of the panel and ADM decision (append-only).

    Not a complaint. A deregistration waits for the decision made after the review.
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(PanelReferral, on_delete=models.PROTECT, related_name="review_request")
    received_on = models.DateField("Date the request was received")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Review request on {self.referral_id}"
