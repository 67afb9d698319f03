"""Fostering households, the people in them, children in care and placements."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from safecare.core.history import HistoricalRecords
from safecare.core.models import FosteringService, Team

from . import plausible


class HouseholdStatus(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    IN_ASSESSMENT = "in_assessment", "In assessment"
    APPROVED = "approved", "Approved"
    ON_HOLD = "on_hold", "On hold"
    RESIGNED = "resigned", "Resigned"
    DEREGISTERED = "deregistered", "Deregistered"


class Household(models.Model):
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(
        max_length=120, help_text="How the service refers to the household, e.g. the Patel household"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="households", null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.APPLICANT
    )
    approved_on = models.DateField(null=True, blank=True)
    # Terms of approval: how many children, of what ages.
    max_children = models.PositiveSmallIntegerField(
        "Number of children approved for", default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    age_min = models.PositiveSmallIntegerField(
        "Youngest age approved for", default=0, validators=[MaxValueValidator(21)]
    )
    age_max = models.PositiveSmallIntegerField(
        "Oldest age approved for", default=17, validators=[MaxValueValidator(21)]
    )
    postcode = models.CharField(max_length=10, blank=True)
    safer_caring_guidance_given_on = models.DateField(
        "Date 'Safer Caring: A New Approach' was given", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["service", "status"]), models.Index(fields=["service", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=F("age_max")), name="household_age_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reference(self) -> str:
        return f"H-{self.pk:05d}"


class HouseholdStatusChange(models.Model):
    """Each transition of a household's approval status: old, new, who, when, why."""

    append_only = True  # the database refuses UPDATE and DELETE (core.append_only)

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=HouseholdStatus.choices)
    to_status = models.CharField(max_length=16, choices=HouseholdStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    effective_on = models.DateField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_status} -> {self.to_status} on {self.effective_on}"


class MemberKind(models.TextChoices):
    CARER = "carer", "Foster carer"
    CARERS_CHILD = "carers_child", "Carer's own child"
    OTHER_ADULT = "other_adult", "Other adult living in the home"
    OTHER_CHILD = "other_child", "Other child living in the home"


# Plausible dates of birth (households.plausible, decision 0027): a year mistyped (1, 200,
# 1026) is refused here, so the pages and the API refuse it alike.
def child_birth_problem(born: dt.date | None, today: dt.date) -> str:
    """Why a child's date of birth cannot be right; empty if it can."""
    if born is None:
        return ""
    if born > today:
        return "Date of birth: cannot be in the future"
    return plausible.child_born_too_early(born, today)


def person_birth_problem(born: dt.date | None, today: dt.date) -> str:
    """Why a household member's date of birth cannot be right; empty if it can."""
    if born is None:
        return ""
    if born > today:
        return "Date of birth: cannot be in the future"
    return plausible.person_born_too_early(born, today)


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(max_length=16, choices=MemberKind.choices)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    # A carer signs in to the portal through their own account.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="household_member",
    )
    moved_in_on = models.DateField(null=True, blank=True)
    moved_out_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "date_of_birth", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moved_out_on__isnull=True)
                | Q(moved_in_on__isnull=True)
                | Q(moved_out_on__gte=F("moved_in_on")),
                name="member_moved_out_after_in",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        super().clean()
        problem = person_birth_problem(self.date_of_birth, timezone.localdate())
        if problem:
            raise ValidationError({"date_of_birth": [problem]})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_current(self, today: dt.date | None = None) -> bool:
        return self.moved_out_on is None or self.moved_out_on > (today or timezone.localdate())


class VisitorKind(models.TextChoices):
    REGULAR_VISITOR = "regular_visitor", "Regular visitor"
    OVERNIGHT_STAY = "overnight_stay", "Stays overnight"


class Visitor(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visitors")
    kind = models.CharField(max_length=16, choices=VisitorKind.choices)
    name = models.CharField(max_length=160)
    relationship = models.CharField(
        max_length=120, help_text="For example grandparent, family friend, lodger"
    )
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-since", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"


class TrainingCourse(models.TextChoices):
    SKILLS_TO_FOSTER = "skills_to_foster", "Skills to Foster"
    SAFER_CARING = "safer_caring", "Safer caring"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    FIRST_AID = "first_aid", "First aid"
    OTHER = "other", "Other"


class TrainingRecord(models.Model):
    """Training a household member completed (SC-2: Skills to Foster before approval)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="training")
    member = models.ForeignKey(HouseholdMember, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=32, choices=TrainingCourse.choices)
    title = models.CharField(max_length=200, blank=True, help_text="Name of the course when it is not listed")
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_course_display()} completed {self.completed_on}"


class Child(models.Model):
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="children", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["service", "last_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def reference(self) -> str:
        return f"C-{self.pk:05d}"

    def clean(self) -> None:
        super().clean()
        problem = child_birth_problem(self.date_of_birth, timezone.localdate())
        if problem:
            raise ValidationError({"date_of_birth": [problem]})

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


class PlacementEndReason(models.TextChoices):
    PLANNED_MOVE = "planned_move", "Planned move"
    RETURN_HOME = "return_home", "Returned home"
    ADOPTION = "adoption", "Adoption"
    SPECIAL_GUARDIANSHIP = "special_guardianship", "Special guardianship"
    INDEPENDENCE = "independence", "Moved to independence"
    DISRUPTION = "disruption", "Placement disruption"
    OTHER = "other", "Other"


class PlacementQuerySet(models.QuerySet["Placement"]):
    def current(self, today: dt.date | None = None) -> PlacementQuerySet:
        """Placements under way today. A placement ended today is over: access ends at once."""
        today = today or timezone.localdate()
        return self.filter(Q(start_on__lte=today), Q(end_on__isnull=True) | Q(end_on__gt=today))


class Placement(models.Model):
    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="placements")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="placements")
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, choices=PlacementEndReason.choices, blank=True)
    emergency = models.BooleanField("Emergency placement", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["household", "end_on"], name="placement_household_end"),
            models.Index(fields=["child", "end_on"], name="placement_child_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | ~Q(end_reason=""), name="placement_end_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} at {self.household} from {self.start_on:%d %b %Y}"

    def is_current(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start_on <= today and (self.end_on is None or self.end_on > today)


class AllocationKind(models.TextChoices):
    ASSESSING = "assessing", "Assessing social worker"
    SUPERVISING = "supervising", "Supervising social worker"
    CHILDS = "childs", "Child's social worker"


class AllocationQuerySet(models.QuerySet["Allocation"]):
    def current(self) -> AllocationQuerySet:
        return self.filter(ended_at__isnull=True)


class Allocation(models.Model):
    """A social worker allocated to a household (assessing, supervising) or a child (CSW)."""

    service = models.ForeignKey(FosteringService, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=16, choices=AllocationKind.choices)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, null=True, blank=True, related_name="allocations"
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="allocations"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["worker", "kind", "ended_at"], name="allocation_worker_current")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="childs") & Q(child__isnull=False) & Q(household__isnull=True))
                | (~Q(kind="childs") & Q(household__isnull=False) & Q(child__isnull=True)),
                name="allocation_subject_matches_kind",
            ),
            # One current worker of each kind per case: reallocating ends the old one.
            models.UniqueConstraint(
                fields=["kind", "household"],
                condition=Q(ended_at__isnull=True, household__isnull=False),
                name="allocation_one_current_per_household_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "child"],
                condition=Q(ended_at__isnull=True, child__isnull=False),
                name="allocation_one_current_csw_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.worker_id} to {self.household_id or self.child_id}"
