"""Tenancy, people and duties: the records every policy builds on."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from knox.models import AbstractAuthToken

from safecare.core.history import HistoricalRecords

from .dates import WorkingCalendar
from .roles import STAFF_ROLES, Role


class HolidayNation(models.TextChoices):
    """Whose bank holidays a service keeps: the UK nations, named as the holidays package names them.

    The values are the package's subdivision codes (dates.NATIONS); England is first, as
    most services are there. Wales has bank holidays of its own in the package, so England
    is England alone (decision 0025).
    """

    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class CctvDecider(models.TextChoices):
    HEAD_OF_FOSTERING = "head_of_fostering", "Head of fostering"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"


class ConnectedDeviceSecurity(models.TextChoices):
    PASSWORD_AND_2FA = "password_and_2fa", "Strong password and two-factor authentication"
    PASSWORD_OR_2FA = "password_or_2fa", "Strong password or two-factor authentication"


class FosteringService(models.Model):
    """A tenant: a local authority's or agency's fostering service (rules: Service settings settings)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # rules: Service settings: local variations are settings, each with the policy's default.
    cctv_decider = models.CharField(
        "Who decides a CCTV exception",
        max_length=32,
        choices=CctvDecider.choices,
        default=CctvDecider.HEAD_OF_FOSTERING,
    )
    smart_speakers_in_bedrooms = models.BooleanField(
        "Smart speakers allowed in children's bedrooms", default=False
    )
    connected_device_security = models.CharField(
        "Security measures required for connected devices",
        max_length=32,
        choices=ConnectedDeviceSecurity.choices,
        default=ConnectedDeviceSecurity.PASSWORD_AND_2FA,
    )
    scfa_review_months = models.PositiveSmallIntegerField(
        "Safe Caring Family Agreement review interval (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    device_check_every_supervision = models.BooleanField(
        "Check the device register at every supervision", default=True
    )
    device_check_months = models.PositiveSmallIntegerField(
        "Device check interval (months), when not at every supervision",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    supervision_interval_weeks = models.PositiveSmallIntegerField(
        "Supervision interval (weeks)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    emergency_risk_assessment_working_days = models.PositiveSmallIntegerField(
        "Emergency placement risk assessment due within (working days)",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    max_inside_cctv_retention_hours = models.PositiveSmallIntegerField(
        "Maximum footage retention for inside CCTV (hours)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 31)],
    )
    baby_age_months = models.PositiveSmallIntegerField(
        "A child is a baby, for baby monitors, until this age (months)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Deadlines the policies leave open (rules: Service settings): each a setting with a stated default,
    # and every task they set says so (Task.due_basis).
    assessment_agreement_months = models.PositiveSmallIntegerField(
        "Safe Caring Family Agreement written by the end of the assessment: months after it starts",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    before_placement_working_days = models.PositiveSmallIntegerField(
        "Duties due 'before the child is placed': working days before the start",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    change_notice_review_working_days = models.PositiveSmallIntegerField(
        "Change of circumstances reviewed within (working days)",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    device_review_working_days = models.PositiveSmallIntegerField(
        "New or changed camera or microphone reviewed within (working days)",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    device_agreement_update_working_days = models.PositiveSmallIntegerField(
        "Agreements updated to describe every camera and microphone within (working days)",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    prohibited_device_removal_working_days = models.PositiveSmallIntegerField(
        "A camera or microphone the policy does not allow taken out within (working days)",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    device_arrivals_told_working_days = models.PositiveSmallIntegerField(
        "Someone who moves in, or a child placed, told about the cameras and microphones within (working days)",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    cctv_step_working_days = models.PositiveSmallIntegerField(
        "Each step of a CCTV exception request (signing, answering, deciding) within (working days)",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    cctv_expiry_notice_months = models.PositiveSmallIntegerField(
        "Ask for a new CCTV decision this many months before an exception ends",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    holiday_nation = models.CharField(
        "Bank holidays of", max_length=3, choices=HolidayNation.choices, default=HolidayNation.ENGLAND
    )
    carers_require_two_factor = models.BooleanField(
        "Foster carers must use two-factor authentication", default=True
    )
    carers_two_factor_off_reason = models.TextField(
        "Why foster carers may sign in without two-factor authentication",
        blank=True,
        help_text="Needed when two-factor authentication is off for carers; kept in the settings history.",
    )
    # PH-1: documents the service gives carers are read in the portal, not kept on their devices.
    carers_may_download_agreements = models.BooleanField(
        "Foster carers may download their signed agreements as PDFs", default=False
    )
    # PH-5: "a few significant photographs" a household may keep after a child leaves.
    photos_kept_after_placement = models.PositiveSmallIntegerField(
        "Photos a family may keep of a child who has left, at most",
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    # A carer's subject access export is erased after this many days (rules: Everywhere).
    export_expiry_days = models.PositiveSmallIntegerField(
        "Days a subject access export is kept before it is deleted",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    # The weekly check of carers' recordings nobody has read (SC-7): how old an unread one may be.
    recordings_unread_days = models.PositiveSmallIntegerField(
        "Days a carer's recording may stay unread before the weekly check lists it",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Changes whenever a closure day is added or removed (core.calendars): each process keeps
    # the service's closure days in memory while the stamp it was read with is current, so a
    # deadline costs no query. Not a setting: kept out of the settings history.
    closures_stamp = models.UUIDField(default=uuid.uuid4, editable=False)
    history = HistoricalRecords(excluded_fields=["closures_stamp"])

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.carers_require_two_factor and not self.carers_two_factor_off_reason.strip():
            # Two-factor protects children's records; turning it off is a decision someone answers for.
            raise ValidationError(
                {
                    "carers_two_factor_off_reason": "Why foster carers may sign in without two-factor "
                    "authentication: give the reason for turning it off"
                }
            )

    def calendar(self) -> WorkingCalendar:
        from .calendars import calendar_for_service

        return calendar_for_service(self)


class ClosureDay(models.Model):
    """A day the service is closed beyond bank holidays: not a working day (rules: How dates are counted)."""

    service = models.ForeignKey(FosteringService, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["service", "date"], name="closure_day_unique_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.reason}"


class TeamKind(models.TextChoices):
    FOSTERING = "fostering", "Fostering team"
    CHILDREN = "children", "Children's team"


class Team(models.Model):
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=TeamKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="team_name_unique_per_service")
        ]

    def __str__(self) -> str:
        return self.name


class SafecareUserManager(UserManager["User"]):
    pass


class User(AbstractUser):  # type: ignore[django-manager-missing]  # ApiToken: django-rest-knox is untyped
    """A person who signs in. Belongs to exactly one service (platform superusers to none)."""

    service = models.ForeignKey(
        FosteringService, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    # Separation of duties (people.services, decision 0022): a role that reaches case content, or
    # that manages people, waits here until a second person confirms it. Until then the account
    # keeps its old role, and a new account stays inactive (it cannot sign in).
    pending_role = models.CharField(
        "Role waiting for confirmation", max_length=32, choices=Role.choices, blank=True
    )
    pending_role_requested_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pending_role_requested_at = models.DateTimeField(null=True, blank=True)
    activate_on_confirmation = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = SafecareUserManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):
        indexes = [models.Index(fields=["service", "role"])]

    def clean(self) -> None:
        super().clean()
        if self.team is not None and self.service_id and self.team.service_id != self.service_id:
            raise ValidationError({"team": "Team: the team must belong to the user's service."})

    @property
    def is_carer(self) -> bool:
        return self.role == Role.CARER

    @property
    def is_service_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a new password or another role ends every API token of the account.

        A token stands in for a signed-in session: one issued before a password reset (perhaps
        to whoever knew the old password) or under the old role must not outlive it.
        """
        new_password = self._password is not None  # type: ignore[attr-defined]
        update_fields = kwargs.get("update_fields")
        new_role = False
        if self.pk is not None and (update_fields is None or "role" in update_fields):
            before = User.objects.filter(pk=self.pk).values_list("role", flat=True).first()
            new_role = before is not None and before != self.role
        super().save(*args, **kwargs)
        if new_password or new_role:
            revoke_api_tokens(
                self, actor=getattr(self, "_history_user", None), reason="password or role changed"
            )

    def two_factor_verified(self) -> bool:
        """Whether this session completed the second factor (django-otp sets is_verified)."""
        is_verified = getattr(self, "is_verified", None)
        return bool(is_verified and is_verified())

    def requires_two_factor(self) -> bool:
        """Every staff role signs in with TOTP; carers when their service says so."""
        if self.is_superuser or self.role in STAFF_ROLES:
            return True
        return bool(self.role == Role.CARER and self.service and self.service.carers_require_two_factor)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Task(models.Model):
    """A duty from a policy rule: who must do what by when (the tasks table).

    Created and closed by services in the same transaction as the event that
    causes them. `household` and `child` are denormalised from the subject so
    dashboards filter and scope with plain indexed joins.
    """

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="tasks")
    rule_id = models.CharField(max_length=16, help_text="Policy rule, e.g. SC-3")
    kind = models.CharField(max_length=64, help_text="Stable key of the duty, e.g. safer_caring_guidance")
    title = models.CharField(max_length=200)
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    child = models.ForeignKey(
        "households.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where the due date comes from, in words: the rule's own deadline, or the service's
    # setting for one the policy leaves open (rules: Everywhere).
    due_basis = models.CharField("Where the due date comes from", max_length=300, blank=True)
    # Why a person marked a reminder done, or why a duty was cancelled.
    closed_note = models.TextField("Note", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The overdue and "this week" dashboards read open tasks by due date only.
            # The open duties of a period, counted by rule and month from the index alone on
            # PostgreSQL (compliance.figures): the rule and team ride along in it.
            models.Index(
                fields=["service", "due_on"],
                name="task_open_by_due",
                condition=Q(status="open"),
                include=["rule_id", "team"],
            ),
            models.Index(fields=["owner", "status", "due_on"], name="task_owner_status_due"),
            models.Index(fields=["team", "status", "due_on"], name="task_team_status_due"),
            # Compliance figures count every duty due in a period, whatever its status, over
            # the service or a team (compliance.figures).
            models.Index(fields=["service", "due_on"], name="task_service_due"),
            models.Index(fields=["team", "due_on"], name="task_team_due"),
            # The dashboards' choices of rule and owner come from the open duties in scope: read
            # from these alone (index-only), not from the rows of every open duty.
            models.Index(
                fields=["service", "team", "rule_id"], name="task_open_rules", condition=Q(status="open")
            ),
            models.Index(
                fields=["service", "team", "owner"], name="task_open_owners", condition=Q(status="open")
            ),
            # Duties closed since the compliance tallies were last counted (compliance.tallies).
            models.Index(fields=["service", "completed_at"], name="task_service_closed"),
        ]
        constraints = [
            # A duty is open once per subject: raising it twice (a retried job,
            # a double-submitted form) must not create a second task.
            # Coalesce: a missing household or child counts as one value, on SQLite too.
            models.UniqueConstraint(
                F("service"),
                F("kind"),
                Coalesce("household", Value(0)),
                Coalesce("child", Value(0)),
                condition=Q(status="open"),
                name="task_one_open_per_duty",
            ),
            # A closed duty has the moment it closed: the compliance figures judge it by that day.
            models.CheckConstraint(
                condition=Q(status="open") | Q(completed_at__isnull=False),
                name="task_closed_has_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.title}"

    @property
    def reference(self) -> str:
        return f"T-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class AccessLog(models.Model):
    """Append-only record of every read of case content (rules: Everywhere).

    One row per request: the view of one household's or child's record (subject_type,
    subject_id), or a list (subject_type names the kind of record listed, subject_id is
    empty, listed_ids holds the ids of the records returned).
    """

    class Subject(models.TextChoices):
        HOUSEHOLD = "household", "Household"
        CHILD = "child", "Child"

    append_only = True  # the database refuses UPDATE and DELETE (core.append_only)

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField(null=True, blank=True)
    listed_ids = models.JSONField(default=list, blank=True)
    path = models.CharField(max_length=300)
    via_api = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="accesslog_subject")]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.subject_type} {self.subject_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValidationError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError("The access log is append-only.")


class Signature(models.Model):
    """A person's signature on one exact version of a document (rules: Everywhere).

    It binds the signed-in person, the time and the version: `document` is an
    immutable version row and `content_hash` the SHA-256 of exactly what was
    shown when signing. Editing a document makes a new version, which carries no
    signature of the old one. Append-only (database trigger, core.append_only).
    """

    append_only = True

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    document_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    document_id = models.BigIntegerField()
    document = GenericForeignKey("document_type", "document_id")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures")
    signer_role = models.CharField(max_length=32, choices=Role.choices)
    signed_as = models.CharField(max_length=64, help_text="The capacity signed in, e.g. carer, SSW")
    signed_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at", "id"]
        indexes = [models.Index(fields=["document_type", "document_id"], name="signature_document")]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_id", "signer"], name="signature_once_per_signer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer_id} signed {self.document_type_id}:{self.document_id} at {self.signed_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app alert for one person; its e-mail carries no personal data (rules: Everywhere)."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    rule_id = models.CharField(max_length=16, blank=True)
    kind = models.CharField(max_length=64, help_text="Stable key of the event, e.g. immediate_concern")
    subject = models.CharField(max_length=200, help_text="What to look at, without personal data")
    reference = models.CharField(max_length=32, help_text="A short reference the reader recognises")
    url = models.CharField(max_length=300)
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the alert is about, named in the app only (never in its e-mail); empty for an alert
    # about the person's own account.
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, help_text="One notification per event and person")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.reference})"


class SignInFailures(models.Model):
    """Wrong passwords given for one account, from any address, since it last signed in.

    The per-account limit (core.lockout): past a few failures each further one delays
    password-only attempts on the account for longer, while the password together with a
    current code from the account's own authenticator still signs in (decision 0022).
    Not a case record and not versioned: the audit log records each failure.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_failures"
    )
    count = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    delayed_until = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.count} failed sign-ins"


class ApiToken(AbstractAuthToken):  # type: ignore[misc]
    """An API token (django-rest-knox): only a SHA-512 digest is kept, with a name and an expiry.

    The token itself is shown once, when issued. `token_key` is its first characters, enough
    to name it on the owner's page without giving it away. A token ends at its expiry, when
    its owner or an administrator revokes it, and when the account's password or role changes.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_token_set"
    )
    name = models.CharField("Name", max_length=100)
    last_used_at = models.DateTimeField("Last used", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key})"


def revoke_api_tokens(user: User, *, actor: User | None, reason: str) -> int:
    """End every API token of the account; each deletion is in the token history, naming the actor."""
    import logging

    tokens = list(ApiToken.objects.filter(user_id=user.pk))
    for token in tokens:
        token._history_user = actor
        token.delete()
    if tokens:
        logging.getLogger("safecare.audit").info(
            "api_tokens_revoked user_id=%s count=%d reason=%s actor_id=%s",
            user.pk,
            len(tokens),
            reason,
            actor.pk if actor is not None else "",
        )
    return len(tokens)


class UsedFormToken(models.Model):
    """A creation form's one-time token, once a POST carrying it has saved something (core.once).

    Keyed to the person who sent it: a second POST with the same token (a double click, the
    browser's back button and "Resubmit", a retry on a slow connection) is answered with a
    redirect to where the first went and creates nothing. Not a case record: the record
    created has its own history. Rows older than a couple of days are pruned.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    redirect_to = models.CharField(max_length=2000)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_token_used_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.path} -> {self.redirect_to}"


class ScheduledJob(models.Model):
    """Work that must happen on a date by itself, e.g. SOC-11's deregistration 28 days on (core.jobs).

    The table, not the queue, is the source of truth: Huey only wakes `run_due_jobs`, which runs
    each job that is due and not done, under its row lock, and marks it done in the same
    transaction as what its handler changed. `key` names the job once (the same job is never
    scheduled twice); a done job is never run again, cancelled or deleted, so `done_at` and the
    change history of what it changed keep what happened. A failed attempt is counted and its
    error kept; the job stays due and is tried again on the next run.
    """

    kind = models.CharField(max_length=64, help_text="The registered handler, e.g. soc11_deregister")
    key = models.CharField(max_length=200, unique=True, help_text="Names the job once, e.g. soc11:process:42")
    service = models.ForeignKey(
        FosteringService, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # run_due_jobs reads the jobs not done by due date only.
            models.Index(fields=["due_at"], name="scheduledjob_due", condition=Q(done_at__isnull=True)),
            models.Index(fields=["done_at"], name="scheduledjob_done"),
        ]

    def __str__(self) -> str:
        state = f"done {self.done_at:%Y-%m-%d %H:%M}" if self.done_at else f"due {self.due_at:%Y-%m-%d %H:%M}"
        return f"{self.kind} {self.key} ({state})"

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.done_at is not None:
            raise ValidationError("A done job is kept: it records what happened.")
        return super().delete(*args, **kwargs)
