"""Forms of the subject access and retention pages: they parse what was typed; the services
(files.services_export, files.services_retention) decide, and their refusals go back onto
these forms with everything typed kept."""

from __future__ import annotations

from typing import Any

from django import forms

from safecare.core.forms import GovukForm
from safecare.households.forms import date_field
from safecare.households.models import HouseholdMember


class MemberChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: HouseholdMember) -> str:
        return obj.full_name


class RequestForm(GovukForm):
    """DP-1: whose request it is and when it reached the service."""

    member = MemberChoice(
        queryset=HouseholdMember.objects.none(),
        label="Whose request is it?",
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    received_on = date_field(
        "When did the request reach the service?",
        required=False,
        help_text="The law's one-month deadline runs from this date.",
    )

    def __init__(self, *args: Any, carers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = carers  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {
            "member": self.cleaned_data.get("member"),
            "received_on": self.cleaned_data.get("received_on"),
        }


class EraseForm(GovukForm):
    """DP-2: the named role confirms the deletion; a note is optional."""

    reason = forms.CharField(
        label="Anything to record about this decision (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I confirm this record is past its retention period and should be deleted for good",
        required=False,
    )


class KeepForm(GovukForm):
    """DP-2: keeping a record past its period needs a reason (a court case, an inquiry)."""

    reason = forms.CharField(
        label="Why keep it?",
        help_text="For example, a court case or an inquiry that needs the record. It is looked at again in a year.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
