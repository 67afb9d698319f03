"""Forms of the standards of care pages (SOC-1 to SOC-5). They parse what was typed; the
services decide the rules and their refusals go back onto these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from safecare.core.forms import GovukForm
from safecare.core.models import User
from safecare.households.forms import date_field
from safecare.households.models import Child

from .models import AllegationOutcome, NationalMinimumStandard, RaisedBy, Route, RouteDecision
from .services import QUESTION_FIELDS, ActionInput

YES_NO = [("yes", "Yes"), ("no", "No")]
# SOC-4: a visit agrees at least one action; the page offers this many rows (no script needed).
ACTION_ROWS = 5


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
    )


class ChildrenField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Child) -> str:
        return f"{obj.full_name} ({obj.reference})"


class StandardsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: NationalMinimumStandard) -> str:
        return f"{obj.number}. {obj.title}"


class OwnerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


# SOC-1 -----------------------------------------------------------------------------------------


class ConcernForm(GovukForm):
    raised_by_kind = forms.ChoiceField(
        label="Who raised it?", choices=RaisedBy.choices, widget=forms.RadioSelect
    )
    raised_by = forms.CharField(
        label="Their name or role (optional)",
        max_length=200,
        required=False,
        help_text="For example Mrs Khan, the child's head teacher. Leave it empty for an anonymous concern: "
        "no name is kept.",
    )
    received_on = date_field("Date the information was received")
    details = _text("What was said", help_text="Write it down as it was told to you.")
    children = ChildrenField(
        label="Which children does it involve? (optional)",
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Children placed in this household now.",
    )

    def __init__(self, *args: Any, children: QuerySet[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children  # type: ignore[attr-defined]
        if not children.exists():
            del self.fields["children"]


# SOC-2, SOC-3 ----------------------------------------------------------------------------------


def _question_label(name: str) -> str:
    return str(RouteDecision._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


class RouteForm(GovukForm):
    harmed_child = _yes_no(_question_label("harmed_child"))
    offence_against_child = _yes_no(_question_label("offence_against_child"))
    risk_of_harm = _yes_no(_question_label("risk_of_harm"))
    unsuitable = _yes_no(_question_label("unsuitable"))
    carers_own_child = _yes_no(_question_label("carers_own_child"))
    other_borough = _yes_no(_question_label("other_borough"))
    route = forms.ChoiceField(
        label="Route",
        choices=Route.choices,
        widget=forms.RadioSelect,
        help_text="A yes to any of the first four questions allows only the LADO or safeguarding route; "
        "the carer's own child allows only safeguarding.",
    )
    reasons = _text("Reasons", help_text="Why this route was chosen.")
    lado = forms.CharField(
        label="LADO (for an allegation)",
        max_length=200,
        required=False,
        help_text="The LADO's name and authority. Only for the LADO or safeguarding route.",
    )
    borough = forms.CharField(
        label="The carer's borough (for an allegation)",
        max_length=120,
        required=False,
        help_text="Only when the carer lives in another borough: its LADO is told.",
    )

    def answers(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in (*QUESTION_FIELDS, "route", "reasons", "lado", "borough")
        }


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What did the investigation find?", choices=AllegationOutcome.choices, widget=forms.RadioSelect
    )
    lado = forms.CharField(label="LADO", max_length=200, help_text="Who gave the outcome.")
    outcome_on = date_field("Date of the outcome")
    note = _text("Note (optional)", required=False, rows=3)


# SOC-4 -----------------------------------------------------------------------------------------


class VisitForm(GovukForm):
    visited_on = date_field("Date of the visit")
    standards = StandardsField(
        label="Relevant National Minimum Standards",
        queryset=NationalMinimumStandard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    concerns_discussed = _text("The concerns discussed")
    carer_response = _text("The carer's response")

    def __init__(
        self, *args: Any, standards: QuerySet[NationalMinimumStandard], owners: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards  # type: ignore[attr-defined]
        for row in range(1, ACTION_ROWS + 1):
            optional = "" if row == 1 else " (optional)"
            self.fields[f"action_{row}_what"] = forms.CharField(
                label=f"Action {row}: what will be done{optional}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"action_{row}_owner"] = OwnerField(
                label=f"Action {row}: who does it{optional}",
                queryset=owners,
                required=False,
                empty_label="Choose who",
            )
            self.fields[f"action_{row}_due_on"] = date_field(
                f"Action {row}: done by{optional}", required=False
            )

    def action_rows(self) -> list[list[Any]]:
        """The bound fields of each action row, for the page to group them."""
        return [
            [self[f"action_{row}_{part}"] for part in ("what", "owner", "due_on")]
            for row in range(1, ACTION_ROWS + 1)
        ]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("visited_on", "standards", "concerns_discussed", "carer_response")]

    def actions(self) -> list[ActionInput]:
        """The rows up to the last one with anything in it, so "action 2" is the second row."""
        rows = [
            ActionInput(
                what=self.cleaned_data.get(f"action_{row}_what") or "",
                owner=self.cleaned_data.get(f"action_{row}_owner"),
                due_on=self.cleaned_data.get(f"action_{row}_due_on"),
            )
            for row in range(1, ACTION_ROWS + 1)
        ]
        while rows and not (rows[-1].what.strip() or rows[-1].owner or rows[-1].due_on):
            rows.pop()
        return rows


class ActionDoneForm(GovukForm):
    done_on = date_field("Done on")


# SOC-5 -----------------------------------------------------------------------------------------


class ProposalDecisionForm(GovukForm):
    convene = _yes_no("Convene a standards of care meeting?")
    decision_reasons = _text("Reasons")
