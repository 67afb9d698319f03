"""Forms for household, member, child and placement pages.

Forms parse and check what a person typed; the rules that decide whether a
change may happen live in services.py and approval.py, and their refusals are
put back onto these forms by the views. ModelForms here are never saved
directly: every write goes through a service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from safecare.core.forms import DATE_HINT, GovukForm, GovukModelForm, wording
from safecare.core.models import FosteringService, Team, TeamKind, User
from safecare.core.roles import Role
from safecare.core.typeahead import RecordField

from . import plausible
from .models import (
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    MemberKind,
    PlacementEndReason,
    TrainingCourse,
    TrainingRecord,
    Visitor,
)
from .workflow import FINAL

__all__ = ["DATE_HINT"]  # the hint of every date input, used by the other apps' forms

NAME_MAX_LENGTH = 100


def date_field(label: str, *, help_text: str = "", required: bool = True, **kwargs: Any) -> forms.DateField:
    """A date, drawn as the GOV.UK date input by GovukForm (day, month and year boxes)."""
    hint = f"{help_text} {DATE_HINT}".strip()
    return forms.DateField(label=label, help_text=hint, required=required, **kwargs)


def _not_in_future(value: dt.date | None, label: object, rule: str = "") -> None:
    if value and value > timezone.localdate():
        said_by = f"{rule}: " if rule else ""
        raise forms.ValidationError(f"{said_by}{wording(label).subject} must be today or in the past")


def _plausible(message: str) -> None:
    """Refuse on the field what the service would refuse (households.plausible, decision 0027)."""
    if message:
        raise forms.ValidationError(message)


def _name(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=NAME_MAX_LENGTH)


class VersionedForm:
    """Edit forms carry the version of the record they were opened on (rules: Everywhere).

    The version is the id of the record's latest history row. If someone else
    saved the record since, the view refuses the save and names what changed,
    so two people editing at once cannot silently overwrite each other.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)


# Households ------------------------------------------------------------------------------


class HouseholdForm(GovukModelForm):
    class Meta:
        model = Household
        fields = ["name", "team", "postcode", "max_children", "age_min", "age_max"]
        labels = {
            "name": "Household name",
            "team": "Fostering team",
            "postcode": "Postcode",
            "max_children": "Number of children approved for",
            "age_min": "Youngest age approved for",
            "age_max": "Oldest age approved for",
        }
        help_texts = {
            "name": "How the service refers to the household, for example the Patel household.",
            "team": "The fostering team that supervises the household.",
            "max_children": "Terms of approval: the most children placed at the same time.",
            "age_min": "Terms of approval, in years.",
            "age_max": "Terms of approval, in years.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
            "max_children": forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
            "age_min": forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
            "age_max": forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        }

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        team.queryset = Team.objects.filter(service=service, kind=TeamKind.FOSTERING).order_by("name")  # type: ignore[attr-defined]
        team.empty_label = "No team"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        age_min, age_max = data.get("age_min"), data.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", "terms of approval: must be the same as or above the youngest age")
        return data


class HouseholdEditForm(VersionedForm, HouseholdForm):
    pass


class StatusChangeForm(GovukForm):
    """A status change; the rules on it (dates, placements, final statuses) are the service's."""

    to_status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={
            # The error summary puts "New status:" in front.
            "required": "choose the household's new status",
            "invalid_choice": "choose one of the statuses listed; that change is not one you may make "
            "to this household",
        },
    )
    effective_on = date_field(
        "Date the change takes effect",
        help_text="Today or a day already past, not before the household's previous status change. "
        "For an approval, the date of the decision.",
        error_messages={"required": f"enter the date the change took effect. {DATE_HINT}"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the panel recommendation and decision, or why the carers resigned.",
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        required=False,
        help_text="Only for resigned or deregistered. These are final: the household can come back only "
        "as a new applicant, with a full assessment. Every placement must have ended first, and the "
        "household's open tasks are cancelled.",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices  # type: ignore[attr-defined]
        if not any(status in FINAL for status, _ in choices):
            # Nothing final is offered: nothing to confirm.
            del self.fields["confirm"]
        if not self.is_bound:
            self.initial.setdefault("effective_on", timezone.localdate())


class GuidanceForm(GovukForm):
    given_on = date_field(
        "Date the guidance was given",
        help_text="SC-3: carers receive 'Safer Caring: A New Approach' during assessment "
        "or within 14 days of approval.",
    )

    def clean_given_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["given_on"]
        _not_in_future(value, self.fields["given_on"].label, "SC-3")
        return value


# Members, visitors, training -----------------------------------------------------------------


class MemberForm(GovukModelForm):
    # First and last names: the model's 80 characters, within NAME_MAX_LENGTH.
    date_of_birth = date_field("Date of birth")
    moved_in_on = date_field("Date moved in", required=False)
    moved_out_on = date_field(
        "Date moved out",
        required=False,
        help_text="SC-6: carers tell the service when someone moves out. Blank while living here.",
    )

    class Meta:
        model = HouseholdMember
        fields = [
            "kind",
            "first_name",
            "last_name",
            "date_of_birth",
            "moved_in_on",
            "moved_out_on",
            "user",
        ]
        labels = {
            "kind": "Who they are in the household",
            "first_name": "First name",
            "last_name": "Last name",
            "user": "Sign-in account",
        }
        help_texts = {
            "user": "Foster carers only: link the carer's own account so they can use the carers' "
            "portal. The account then sees this household.",
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only carer accounts of this service not yet linked to someone else.
        accounts = User.objects.filter(service=service, role=Role.CARER, is_active=True).filter(
            household_member__isnull=True
        )
        if self.instance.pk and self.instance.user_id:
            accounts = accounts | User.objects.filter(pk=self.instance.user_id)
        user = self.fields["user"]
        user.queryset = accounts.order_by("first_name", "last_name", "username")  # type: ignore[attr-defined]
        user.label_from_instance = lambda u: f"{u.display_name} ({u.username})"  # type: ignore[attr-defined]
        user.empty_label = "No account"  # type: ignore[attr-defined]
        self.fields["kind"].choices = MemberKind.choices  # type: ignore[attr-defined]

    def clean_date_of_birth(self) -> dt.date:
        value: dt.date = self.cleaned_data["date_of_birth"]
        label = self.fields["date_of_birth"].label
        _not_in_future(value, label)
        _plausible(plausible.person_born_too_early(value, timezone.localdate(), wording(label).subject))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        moved_in, moved_out = data.get("moved_in_on"), data.get("moved_out_on")
        if moved_in and moved_out and moved_out < moved_in:
            self.add_error("moved_out_on", "must be the same as or after the date moved in")
        if data.get("user") and data.get("kind") != MemberKind.CARER:
            self.add_error("user", "only a foster carer can have a sign-in account linked to the household")
        return data


class MemberEditForm(VersionedForm, MemberForm):
    pass


class VisitorForm(GovukModelForm):
    name = _name("Full name")
    since = date_field("Visiting or staying since")
    until = date_field("Until", required=False, help_text="Leave blank if the visits carry on.")

    class Meta:
        model = Visitor
        fields = ["kind", "name", "relationship", "since", "until", "notes"]
        labels = {
            "kind": "Type of visitor",
            "name": "Full name",
            "relationship": "Relationship to the household",
            "notes": "Notes",
        }
        help_texts = {
            "kind": "SC-6: carers tell the service about new regular visitors and people staying overnight.",
            "relationship": "For example grandparent, family friend, lodger.",
        }
        widgets = {"kind": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "must be the same as or after the date the visits began")
        return data


class TrainingForm(GovukModelForm):
    completed_on = date_field("Date completed")

    class Meta:
        model = TrainingRecord
        fields = ["member", "course", "title", "completed_on"]
        labels = {
            "member": "Who completed the training",
            "course": "Course",
            "title": "Course name",
        }
        help_texts = {
            "course": "SC-2: applicants complete Skills to Foster before they can be approved.",
            "title": "Only needed when the course is not listed.",
        }
        widgets = {"course": forms.RadioSelect}

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = HouseholdMember.objects.filter(household=household).order_by(  # type: ignore[attr-defined]
            "first_name", "last_name", "id"
        )
        member.empty_label = "Choose a household member"  # type: ignore[attr-defined]
        self.fields["course"].choices = TrainingCourse.choices  # type: ignore[attr-defined]

    def clean_completed_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["completed_on"]
        label = self.fields["completed_on"].label
        _not_in_future(value, label)
        _plausible(plausible.training_too_early(value, wording(label).subject))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("course") == TrainingCourse.OTHER and not data.get("title"):
            self.add_error("title", "enter the name of the course when it is not listed")
        return data


# Children and placements ---------------------------------------------------------------------


class ChildForm(GovukModelForm):
    # First and last names: the model's 80 characters, within NAME_MAX_LENGTH.
    date_of_birth = date_field("Date of birth")

    class Meta:
        model = Child
        fields = ["first_name", "last_name", "date_of_birth", "team"]
        labels = {"first_name": "First name", "last_name": "Last name", "team": "Children's team"}
        help_texts = {"team": "The children's team responsible for the child."}

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        team.queryset = Team.objects.filter(service=service, kind=TeamKind.CHILDREN).order_by("name")  # type: ignore[attr-defined]
        team.empty_label = "No team"  # type: ignore[attr-defined]

    def clean_date_of_birth(self) -> dt.date:
        value: dt.date = self.cleaned_data["date_of_birth"]
        label = self.fields["date_of_birth"].label
        _not_in_future(value, label)
        _plausible(plausible.child_born_too_early(value, timezone.localdate(), wording(label).subject))
        return value


class ChildCreateForm(ChildForm):
    csw = forms.ModelChoiceField(
        label="Child's social worker (CSW)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not allocated yet",
        help_text="Left blank, a child's social worker adding the child is allocated.",
    )
    different_child = forms.BooleanField(
        label="This is a different child with the same name and date of birth",
        required=False,
        help_text="Only when Safecare says a child with this name and date of birth is already recorded.",
    )

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, service=service, **kwargs)
        self.service = service
        csw = self.fields["csw"]
        csw.queryset = User.objects.filter(  # type: ignore[attr-defined]
            service=service, role=Role.CHILDS_SW, is_active=True
        ).order_by("first_name", "last_name", "username")
        csw.label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]

    # The same child added again is refused by the service (households.plausible), onto the
    # "different child" box, so the API refuses it too.


class ChildEditForm(VersionedForm, ChildForm):
    pass


def household_choice_label(household: Household) -> str:
    return f"{household.name} ({household.reference})"


class PlacementForm(GovukForm):
    # Typed by name or reference, suggested as you type (core.typeahead): no drop-down of
    # every approved household.
    household = RecordField(
        label="Household",
        queryset=Household.objects.none(),
        fields=("name",),
        prefix="H",
        noun="approved household",
        labeller=household_choice_label,
        refused="A child can only be placed with an approved household of this fostering service.",
        help_text="Type the household's name or reference, like H-00012. Only approved households can "
        "be chosen. The household's terms of approval (number and ages of children) must allow the "
        "placement.",
        error_messages={"required": "Enter the household the child is placed with"},
    )
    start_on = date_field(
        "Start date",
        help_text="The household must have been approved on this day.",
        error_messages={"required": f"enter the date the placement starts. {DATE_HINT}"},
    )
    emergency = forms.BooleanField(
        label="Emergency placement",
        required=False,
        help_text="SC-4, SC-5 and SC-9: for an emergency placement the safe caring agreements and "
        "any risk assessment are due within working days of the start, instead of before it.",
    )

    def __init__(self, *args: Any, households: Any, suggest_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(RecordField, self.fields["household"])
        field.queryset = households
        if suggest_url:
            field.set_suggestion_url(suggest_url)
        if not self.is_bound:
            self.initial.setdefault("start_on", timezone.localdate())


class PlacementEndForm(GovukForm):
    end_on = date_field(
        "End date",
        help_text="The day the child left the household. From this day the carers no longer "
        "see the child's record.",
    )
    end_reason = forms.ChoiceField(
        label="Reason the placement ended",
        choices=[("", "Choose a reason"), *PlacementEndReason.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("end_on", timezone.localdate())


class HouseholdFilterForm(GovukForm):
    q = forms.CharField(label="Household name", required=False, max_length=120)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *HouseholdStatus.choices]
    )


class ChildFilterForm(GovukForm):
    q = forms.CharField(label="Child's name", required=False, max_length=120)
