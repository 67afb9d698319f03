"""Forms of the notices pages. They parse what a person typed; services decide the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from safecare.core.forms import GovukForm
from safecare.households.forms import DATE_HINT, date_field
from safecare.households.models import Child

from .models import ChangeKind, ImmediateKind, RiskLevel

TIME_HINT = "Use the 24-hour clock, for example 18:30."


class ChildChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Child) -> str:
        # Carers know the children living with them by first name.
        return obj.first_name


class ChildrenChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Child) -> str:
        return obj.first_name


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class ChangeNoticeForm(GovukForm):
    kind = forms.ChoiceField(label="What has changed?", choices=ChangeKind.choices, widget=forms.RadioSelect)
    happened_on = date_field("When did it happen, or when will it happen?")
    details = _text(
        "Tell us about the change",
        help_text="For example who the person is, how often they visit or stay, and anything we should know.",
    )


class ImmediateNoticeForm(GovukForm):
    kind = forms.ChoiceField(
        label="What do you need to tell us?", choices=ImmediateKind.choices, widget=forms.RadioSelect
    )
    details = _text("What has happened?")
    children = ChildrenChoiceField(
        label="Which foster children are involved, if any?",
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For risky activities only. Their social worker is told too. "
        "Leave empty if it is about your own children.",
    )

    def __init__(self, *args: Any, children: QuerySet[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children  # type: ignore[attr-defined]
        if not children.exists():
            del self.fields["children"]


class ArrangementForm(GovukForm):
    """SC-12: a carer asks before, or tells after; staff record one they learned of."""

    child = ChildChoiceField(
        label="Which child?", queryset=Child.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    carer_name = forms.CharField(label="Who will look after them?", max_length=160)
    relationship = forms.CharField(
        label="Their relationship to you or the child",
        max_length=120,
        help_text="For example grandparent, neighbour, friend.",
    )
    starts_on = date_field(
        "Date the child is left with them",
        help_text="If you have already left the child with them, tell us the date it happened.",
    )
    starts_time = forms.TimeField(label="Time the child is left with them", help_text=TIME_HINT)
    ends_on = date_field("Date the child is collected")
    ends_time = forms.TimeField(label="Time the child is collected", help_text=TIME_HINT)
    reason = _text("Why?", rows=3)

    def __init__(self, *args: Any, children: QuerySet[Child], staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        field.queryset = children  # type: ignore[attr-defined]
        if staff:
            # Staff know children by full name; the arrangement may be over already.
            field.label_from_instance = lambda child: f"{child.full_name} ({child.reference})"  # type: ignore[attr-defined]
            self.fields["carer_name"].label = "Who looked after the child, or will?"
            self.fields["relationship"].label = "Their relationship to the carers or the child"
            self.fields["starts_on"].label = "Date the child was left with them"
            self.fields["starts_on"].help_text = f"Record it even if it happened some time ago. {DATE_HINT}"
            self.fields["starts_time"].label = "Time the child was left with them"
            self.fields["ends_on"].label = "Date the child was collected"
            self.fields["ends_time"].label = "Time the child was collected"
            self.fields["reason"].label = "Why, and how the service learned of it"

    @staticmethod
    def _at(day: dt.date, time: dt.time) -> dt.datetime:
        # Times are London times; make_aware places them on the right side of a clock change.
        return timezone.make_aware(dt.datetime.combine(day, time))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("starts_time") is not None:
            data["starts_at"] = self._at(data["starts_on"], data["starts_time"])
        if data.get("ends_on") and data.get("ends_time") is not None:
            data["ends_at"] = self._at(data["ends_on"], data["ends_time"])
        return data


class ReviewForm(GovukForm):
    note = _text("What did you review or change?", required=False, rows=3)


class AcknowledgeForm(GovukForm):
    note = _text("What has been done in response?", rows=4)


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("consent", "Consent"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
    )
    note = _text("Note", required=False, rows=3, help_text="Needed when you refuse: the carer sees it.")


class RiskFlagForm(GovukForm):
    level = forms.ChoiceField(
        label="Is the child known, likely or with potential to put themselves or others at risk?",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
    )
    reason = _text("Why?", required=False, rows=3, help_text="Needed when the child is flagged.")


class RiskAssessmentForm(GovukForm):
    completed_on = date_field("Date the risk assessment was completed")
    summary = _text("Summary of the risk assessment")
