"""Forms of the internet monitoring pages from the worry to the discussion (IM-1 to IM-6) and
where a young person lives: they parse what was typed; the services in
monitoring.services_assess decide the rules, and their refusals (naming the field and the
rule) go back onto these forms with everything typed kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from safecare.core.forms import GovukForm, needed
from safecare.core.models import User
from safecare.households.forms import date_field
from safecare.households.models import Child, Household

from .models import (
    Assessment,
    Decision,
    Discussion,
    Evaluation,
    Panel,
    PanelReferral,
    Residence,
    ResidenceKind,
    RiskKind,
    RiskLevel,
    StrategyDiscussion,
    Worry,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def _help(model: type, name: str) -> str:
    return str(model._meta.get_field(name).help_text or "")  # type: ignore[attr-defined]


def _mark(field: forms.Field, optional: bool) -> Any:
    """Not required by the form, so the service says what is missing, naming the rule; the
    label says "(optional)" only on what is truly optional (core.forms.needed)."""
    return field if optional else needed(field)


def _text(
    model: type, name: str, *, rows: int = 5, help_text: str = "", optional: bool = False
) -> forms.CharField:
    field = forms.CharField(
        label=_label(model, name),
        required=False,
        help_text=help_text or _help(model, name),
        widget=forms.Textarea(attrs={"rows": rows}),
    )
    return _mark(field, optional)  # type: ignore[no-any-return]


def _line(model: type, name: str, *, max_length: int = 200) -> forms.CharField:
    field = forms.CharField(
        label=_label(model, name), required=False, max_length=max_length, help_text=_help(model, name)
    )
    return needed(field)  # type: ignore[return-value]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return needed(
        forms.TypedChoiceField(
            label=label,
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            help_text=help_text,
        )
    )  # type: ignore[return-value]


def _date(model: type, name: str, *, optional: bool = False) -> forms.DateField:
    return _mark(date_field(_label(model, name), required=False), optional)  # type: ignore[no-any-return]


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ChildField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Child) -> str:
        return obj.full_name


class HouseholdField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Household) -> str:
        return obj.name


class ValuesForm(GovukForm):
    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# IM-1 ------------------------------------------------------------------------------------------


class WorryForm(ValuesForm):
    """IM-1: a carer's words: which young person, what the worry is, what they saw, when."""

    child = ChildField(
        queryset=Child.objects.none(),
        label="Which young person is it about?",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    risk = needed(
        forms.ChoiceField(
            label=_label(Worry, "risk"), choices=RiskKind.choices, widget=forms.RadioSelect, required=False
        )
    )
    details = _text(Worry, "details", rows=6, help_text="Write it as you would tell their social worker")
    noticed_on = _date(Worry, "noticed_on")

    def __init__(self, *args: Any, children: QuerySet[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children  # type: ignore[attr-defined]


# IM-2 ------------------------------------------------------------------------------------------


class AssessmentForm(ValuesForm):
    assessed_on = _date(Assessment, "assessed_on")
    young_person_took_part = _yes_no(_label(Assessment, "young_person_took_part"))
    family = _text(Assessment, "family", rows=2, optional=True)
    officers = _text(Assessment, "officers", rows=2, optional=True)
    carers = _text(Assessment, "carers", rows=2, optional=True)
    findings = _text(Assessment, "findings", rows=8)
    level = needed(
        forms.ChoiceField(
            label=_label(Assessment, "level"),
            choices=RiskLevel.choices,
            widget=forms.RadioSelect,
            required=False,
        )
    )


# IM-3 ------------------------------------------------------------------------------------------


class StrategyForm(ValuesForm):
    held_on = _date(StrategyDiscussion, "held_on")
    manager = needed(
        PersonField(
            queryset=User.objects.none(),
            label=_label(StrategyDiscussion, "manager"),
            required=False,
            help_text="The children's team manager or a service manager who took part",
        )
    )
    attendees = _text(StrategyDiscussion, "attendees", rows=2, optional=True)
    outcome = _text(StrategyDiscussion, "outcome", rows=6)

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]


class PanelReferralForm(ValuesForm):
    panel = needed(
        forms.ChoiceField(
            label="Which panel?", choices=Panel.choices, widget=forms.RadioSelect, required=False
        )
    )
    referred_on = _date(PanelReferral, "referred_on")


class PanelOutcomeForm(ValuesForm):
    outcome = _text(PanelReferral, "outcome", rows=5)
    outcome_on = _date(PanelReferral, "outcome_on")
    minutes = _text(PanelReferral, "minutes", rows=10)


# IM-4 ------------------------------------------------------------------------------------------


class EvaluationForm(ValuesForm):
    evaluated_on = _date(Evaluation, "evaluated_on")
    team_manager = needed(
        PersonField(queryset=User.objects.none(), label=_label(Evaluation, "team_manager"), required=False)
    )
    service_manager = needed(
        PersonField(queryset=User.objects.none(), label=_label(Evaluation, "service_manager"), required=False)
    )
    summary = _text(Evaluation, "summary", rows=6)
    legal_advice_taken = _yes_no(_label(Evaluation, "legal_advice_taken"))
    legal_advice_reasons = _text(Evaluation, "legal_advice_reasons", rows=4)

    def __init__(
        self, *args: Any, team_managers: QuerySet[User], service_managers: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_manager"].queryset = team_managers  # type: ignore[attr-defined]
        self.fields["service_manager"].queryset = service_managers  # type: ignore[attr-defined]


# IM-5 ------------------------------------------------------------------------------------------


class DecisionForm(ValuesForm):
    monitor = _yes_no(_label(Decision, "monitor"))
    reasons = _text(Decision, "reasons", rows=5)
    less_restrictive_evidence = _text(
        Decision, "less_restrictive_evidence", rows=5, help_text="Needed for a decision to monitor"
    )
    legal_and_necessary = _text(
        Decision, "legal_and_necessary", rows=4, help_text="Needed for a decision to monitor"
    )
    reasonable_and_proportionate = _text(
        Decision, "reasonable_and_proportionate", rows=4, help_text="Needed for a decision to monitor"
    )
    decided_on = _date(Decision, "decided_on")


# IM-6 ------------------------------------------------------------------------------------------


class DiscussionForm(ValuesForm):
    held_on = _date(Discussion, "held_on")
    young_person_views = _text(Discussion, "young_person_views", rows=5)
    family = _text(Discussion, "family", rows=3, optional=True)
    family_support = _yes_no(_label(Discussion, "family_support"))
    advocate_offered = forms.BooleanField(
        label=_label(Discussion, "advocate_offered"),
        required=False,
        help_text="Needed when the young person has no family to support them",
    )
    advocate_wanted = forms.BooleanField(label=_label(Discussion, "advocate_wanted"), required=False)


class AdvocateForm(ValuesForm):
    advocate = _line(Discussion, "advocate")
    advocate_arranged_on = _date(Discussion, "advocate_arranged_on")


# Where the young person lives -------------------------------------------------------------------------


class ResidenceForm(ValuesForm):
    kind = needed(
        forms.ChoiceField(
            label=_label(Residence, "kind"),
            choices=ResidenceKind.choices,
            widget=forms.RadioSelect,
            required=False,
        )
    )
    provider = _line(Residence, "provider")
    household = HouseholdField(
        queryset=Household.objects.none(),
        label="Host household",
        required=False,
        help_text=_help(Residence, "household"),
        empty_label="None in Safecare",
    )
    address_kind = _line(Residence, "address_kind", max_length=120)
    from_on = _date(Residence, "from_on")
    to_on = _date(Residence, "to_on", optional=True)

    def __init__(self, *args: Any, households: QuerySet[Household], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households  # type: ignore[attr-defined]


class ResidenceEndForm(ValuesForm):
    to_on = needed(date_field("The day the young person moved out", required=False))
