"""The form asking for an inspection pack: it parses what was typed; the service
(compliance.services_pack) decides, and its refusals go back onto the form with everything
typed kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safecare.core.forms import GovukForm
from safecare.households.forms import date_field

from .forms_report import default_start
from .services_pack import PURPOSES

OTHER = "other"


class PackForm(GovukForm):
    """The period the pack covers, and what it is for."""

    start = date_field("From", required=False, help_text="The first day the pack covers.")
    end = date_field("To", required=False, help_text="The last day the pack covers: today or before.")
    purpose = forms.ChoiceField(
        label="What is the pack for?",
        choices=[*PURPOSES.items(), (OTHER, "Something else")],
        required=False,
        widget=forms.RadioSelect,
    )
    other = forms.CharField(
        label="If something else, what is it for?",
        required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start, end = default_start(today), today
        self.fields["start"].initial = start
        self.fields["end"].initial = end
        self.fields["purpose"].initial = "ofsted"

    def values(self) -> dict[str, Any]:
        choice = self.cleaned_data.get("purpose") or ""
        purpose = self.cleaned_data.get("other", "") if choice == OTHER else PURPOSES.get(choice, "")
        return {
            "start": self.cleaned_data.get("start"),
            "end": self.cleaned_data.get("end"),
            "purpose": purpose or "",
        }
