"""Forms of the agreement and review pages (IM-7, IM-8, IM-9): they parse what was typed; the
services in monitoring.services_agree decide the rules, and their refusals, each naming its
field and rule, go back onto these forms with everything typed kept."""

from __future__ import annotations

from typing import Any

from django import forms

from safecare.core.forms import GovukForm, needed
from safecare.households.forms import date_field

from .models import Decision, ReviewOutcome, Signatory

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _text(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _needed(form: forms.Form, exclude: tuple[str, ...] = ()) -> None:
    """Every field is left to the service to check, naming the rule; none is optional to the
    person filling it in (core.forms.needed), but those in `exclude`."""
    for name, field in form.fields.items():
        if name not in exclude:
            needed(field)


class DecisionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Decision) -> str:
        what = "to monitor" if obj.monitor else "not to monitor"
        return f"Decision {what}, {obj.decided_on:%-d %B %Y}"


class AgreementForm(GovukForm):
    """IM-7, IM-8: the written agreement as signed. Fields the rules need are checked by the service."""

    decision = DecisionChoice(
        queryset=Decision.objects.none(),
        label="Which decision does it follow?",
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    starts_on = date_field("Monitoring starts on", required=False)
    ends_on = date_field(
        "Monitoring ends on",
        required=False,
        help_text="The agreement is time-limited: monitoring ends at the start of this day",
    )
    what = _text("What is monitored")
    how = _text("How it is monitored")
    by_whom = _text("Who does the monitoring")
    who_sees = _text("Who sees what the monitoring finds")
    action_plan = _text(
        "Action plan to replace monitoring with positive measures",
        help_text="How monitoring will be replaced by positive measures over the agreed period",
        rows=6,
    )
    signatory = forms.ChoiceField(
        label="Who signed it?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (Signatory.YOUNG_PERSON.value, Signatory.YOUNG_PERSON.label),
            (Signatory.PARENTAL_RESPONSIBILITY.value, Signatory.PARENTAL_RESPONSIBILITY.label),
        ],
        help_text="Never the local authority as corporate parent",
    )
    signed_on = date_field("Date it was signed", required=False)
    gillick_assessed_on = date_field(
        "Date of the Gillick competence assessment", required=False, help_text="If the young person signed"
    )
    gillick_assessment = _text(
        "The Gillick competence assessment",
        help_text="If the young person signed: why you judge them competent to agree",
    )
    signed_by_name = forms.CharField(
        label="Name of the person who signed",
        max_length=200,
        required=False,
        help_text="If a person with parental responsibility signed",
    )
    relationship = forms.CharField(
        label="Their relationship to the young person",
        max_length=120,
        required=False,
        help_text="If a person with parental responsibility signed",
    )

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.queryset = decisions  # type: ignore[attr-defined]
        # The conditional ones (the Gillick assessment, or the parental responsibility holder's
        # name) say in their hints when they are needed.
        _needed(self)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("what", "how", "by_whom", "who_sees", "action_plan", "gillick_assessment"):
            data[name] = data.get(name) or ""
        data["signatory"] = data.get("signatory") or ""
        data["signed_by_name"] = data.get("signed_by_name") or ""
        data["relationship"] = data.get("relationship") or ""
        return data


class ReviewForm(GovukForm):
    """IM-9: a review with the young person, family and all relevant parties."""

    held_on = date_field("Date of the review", required=False)
    young_person_took_part = forms.TypedChoiceField(
        label="Did the young person take part?",
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    family = _text("Family who took part", help_text="Leave empty if none took part", rows=2)
    others = _text("Everyone else who took part", help_text="Carers, officers, an advocate", rows=3)
    outcome = forms.ChoiceField(
        label="What did the review decide?",
        choices=ReviewOutcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    notes = _text("What the review found", rows=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _needed(self, exclude=("family",))

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("family", "others", "notes", "outcome"):
            data[name] = data.get(name) or ""
        return data
