"""Forms of the SOC-10 pages: the outcome, the panel's recommendation, the ADM's decision and
the review request. They parse what was typed; standards.services_panel decides the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from safecare.core.forms import GovukForm
from safecare.core.models import User
from safecare.households.forms import date_field

from .models import ApprovalChoice, OutcomeKind
from .services import ActionInput

# SOC-10: the outcome page offers this many action rows (no script needed).
OUTCOME_ACTION_ROWS = 5


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class OutcomeRecordForm(GovukForm):
    kind = forms.ChoiceField(
        label="What did the meeting decide?", choices=OutcomeKind.choices, widget=forms.RadioSelect
    )
    summary = _text(
        "The chair's summary and recommendations",
        help_text="The carers are told the outcome and read this summary.",
    )
    decided_on = date_field("Date of the outcome", help_text="The day of the meeting or later.")

    def __init__(self, *args: Any, owners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(owner.pk, owner.display_name) for owner in owners]
        for row in range(1, OUTCOME_ACTION_ROWS + 1):
            optional = "" if row == 1 else " (optional)"
            self.fields[f"action_{row}_what"] = forms.CharField(
                label=f"Action {row}: what will be done{optional}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"action_{row}_owner"] = forms.TypedChoiceField(
                label=f"Action {row}: who does it{optional}",
                choices=[("", "Choose who"), *choices],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"action_{row}_due_on"] = date_field(
                f"Action {row}: done by{optional}", required=False
            )
        self._owners = {owner.pk: owner for owner in owners}

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("kind", "summary", "decided_on")]

    def action_rows(self) -> list[list[Any]]:
        return [
            [self[f"action_{row}_{part}"] for part in ("what", "owner", "due_on")]
            for row in range(1, OUTCOME_ACTION_ROWS + 1)
        ]

    def actions(self) -> list[ActionInput]:
        """The rows up to the last one with anything in it, so "action 2" is the second row."""
        rows = [
            ActionInput(
                what=self.cleaned_data.get(f"action_{row}_what") or "",
                owner=self._owners.get(self.cleaned_data.get(f"action_{row}_owner") or 0),
                due_on=self.cleaned_data.get(f"action_{row}_due_on"),
            )
            for row in range(1, OUTCOME_ACTION_ROWS + 1)
        ]
        while rows and not (rows[-1].what.strip() or rows[-1].owner or rows[-1].due_on):
            rows.pop()
        return rows


class RecommendationForm(GovukForm):
    recommendation = forms.ChoiceField(
        label="The panel's recommendation", choices=ApprovalChoice.choices, widget=forms.RadioSelect
    )
    reasons = _text("Reasons")
    panel_on = date_field("Date of the panel")


class AdmDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision", choices=ApprovalChoice.choices, widget=forms.RadioSelect
    )
    reasons = _text("Reasons")
    decided_on = date_field("Date of the decision")


class ReviewRequestForm(GovukForm):
    received_on = date_field("Date the request was received")
    note = _text("Note (optional)", required=False, rows=3, help_text="For example how the carer asked.")
