"""Forms of the recording and supervision pages. Never saved directly: services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from safecare.core.forms import GovukForm
from safecare.households.forms import VersionedForm, date_field
from safecare.households.models import Household, HouseholdMember

from .models import Recording, RecordingCategory


class RecordingForm(GovukForm):
    recorded_on = date_field("Date of the day recorded", help_text="The day you are writing about.")
    category = forms.ChoiceField(
        label="What it is about (optional)",
        choices=[("", "Choose if you like"), *RecordingCategory.choices],
        required=False,
    )
    text = forms.CharField(
        label="What happened",
        help_text="What the child did, how they were, anything the social workers should know.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
    )

    @classmethod
    def initial_for(cls, recording: Recording | None = None) -> dict[str, Any]:
        if recording is None:
            return {"recorded_on": timezone.localdate()}
        return {
            "recorded_on": recording.recorded_on,
            "category": recording.category,
            "text": recording.text,
        }


class RecordingEditForm(VersionedForm, RecordingForm):
    pass


class MarkReadForm(GovukForm):
    recordings = forms.ModelMultipleChoiceField(
        label="Recordings you have read",
        queryset=Recording.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the recordings you have read"},
    )

    def __init__(self, *args: Any, recordings: QuerySet[Recording], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recordings"]
        field.queryset = recordings  # type: ignore[attr-defined]


YES_NO = [("yes", "Yes"), ("no", "No")]


class SupervisionForm(VersionedForm, GovukForm):
    held_on = date_field("Date of the supervision")
    attendees = forms.ModelMultipleChoiceField(
        label="Household members present",
        queryset=HouseholdMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_attendees = forms.CharField(
        label="Others present (optional)",
        help_text="Name and role of anyone else who took part, one a line.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    discussion = forms.CharField(
        label="Discussion",
        help_text="What was discussed and agreed, with actions and who does them.",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    safe_care_discussion = forms.CharField(
        label="Safe care discussion",
        help_text="SC-10: safe care is discussed at every supervision. Needed to complete the record.",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    device_check_done = forms.TypedChoiceField(
        label="Devices checked with the carers",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    register_complete = forms.TypedChoiceField(
        label="Does the register list every camera and microphone in and around the home?",
        help_text="DV-2: the carers' answer at the device check. Needed when the devices were checked; "
        "if no, say in the notes what is missing or wrong.",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    device_check_notes = forms.CharField(
        label="Device check notes",
        help_text="DV-2: every camera and microphone in and around the home, and any change.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, household: Household, device_check_due: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        field.queryset = household.members.order_by("kind", "date_of_birth", "id")  # type: ignore[attr-defined]
        field.label_from_instance = lambda member: f"{member.full_name} ({member.get_kind_display().lower()})"  # type: ignore[attr-defined]
        check = self.fields["device_check_done"]
        if device_check_due:
            check.help_text = (
                "DV-2: a device check is due at this supervision. Needed to complete the record."
            )
        else:
            check.help_text = "DV-2: not due at this supervision; record it if you checked."

    @staticmethod
    def initial_for(supervision: Any) -> dict[str, Any]:
        done = supervision.device_check_done
        complete = supervision.register_complete
        return {
            "held_on": supervision.held_on,
            "attendees": list(supervision.attendees.all()),
            "other_attendees": supervision.other_attendees,
            "discussion": supervision.discussion,
            "safe_care_discussion": supervision.safe_care_discussion,
            "device_check_done": None if done is None else ("yes" if done else "no"),
            "register_complete": None if complete is None else ("yes" if complete else "no"),
            "device_check_notes": supervision.device_check_notes,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "attendees": list(data["attendees"]),
            "other_attendees": data["other_attendees"],
            "discussion": data["discussion"],
            "safe_care_discussion": data["safe_care_discussion"],
            "device_check_done": data["device_check_done"],
            "register_complete": data["register_complete"],
            "device_check_notes": data["device_check_notes"],
        }


class AmendmentForm(GovukForm):
    text = forms.CharField(
        label="Correction",
        help_text="What is corrected and why. The record itself stays as it was completed.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
