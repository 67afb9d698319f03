"""Forms for writing a new agreement version and for signing one.

They only parse what was typed; the rules (every section written, who took
part, who signs, no lost edits) are in agreements.services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet

from safecare.core.forms import GovukForm
from safecare.households.models import HouseholdMember

from .models import SECTIONS

if TYPE_CHECKING:
    _MemberField = forms.ModelMultipleChoiceField[HouseholdMember]
else:
    _MemberField = forms.ModelMultipleChoiceField


class MemberChoice(_MemberField):
    def label_from_instance(self, obj: HouseholdMember) -> str:
        return f"{obj.full_name} ({obj.get_kind_display().lower()})"


class AgreementForm(GovukForm):
    """Every section of the agreement, who took part, and the version the editor started from."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, members: QuerySet[HouseholdMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, hint in SECTIONS:
            self.fields[key] = forms.CharField(
                label=label,
                help_text=f"{hint} Write 'none' if nothing applies.",
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=10000,
                error_messages={"required": "write what the household agrees, or 'none'"},
            )
        self.fields["participants"] = MemberChoice(
            queryset=members,
            label="Who took part in writing this version",
            help_text="SC-1: the agreement is written with everyone who lives in the home.",
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "select everyone who took part"},
        )

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key, _, _ in SECTIONS}


class SignForm(GovukForm):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label="I have read this version of the agreement and I agree to it",
        required=False,
    )
