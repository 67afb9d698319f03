"""Forms of the visit signing (SOC-4), the manager's grounds for a meeting (SOC-5), the support
referral (SOC-6) and the resignation (SOC-11). They parse what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from safecare.core.forms import GovukForm
from safecare.households.forms import date_field

from .models import Concern


class VisitSignForm(GovukForm):
    """SOC-4: the signer confirms the record as shown (its hash travels with the page)."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    confirm = forms.BooleanField(required=False, label="I have read this visit record and it is right")

    def __init__(self, *args: Any, carer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if carer:
            self.fields[
                "confirm"
            ].label = "I have read this record of the visit, and it is what was talked about and agreed"


class ConcernChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Concern) -> str:
        return f"{obj.reference}, received {obj.received_on:%-d %B %Y}: {obj.details[:80]}"


class MeetingGroundsForm(GovukForm):
    """SOC-5: the grounds that are the fostering manager's judgement, with reasons."""

    pattern = forms.BooleanField(required=False, label="A pattern of standards of care concerns is emerging")
    refused_plan = forms.BooleanField(
        required=False, label="The carer refuses to cooperate with the action plan agreed at the visit"
    )
    significant = forms.BooleanField(
        required=False, label="A concern is significant enough on its own to call a meeting"
    )
    grounds_reasons = forms.CharField(
        label="Why these grounds are met",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your reasons: they are also the reasons for your decision to hold the meeting.",
    )
    concerns = ConcernChoices(
        label="The concerns behind the meeting",
        queryset=Concern.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="This household's concerns on the standards of care route.",
    )

    def __init__(self, *args: Any, concerns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = concerns  # type: ignore[attr-defined]


class SupportReferralForm(GovukForm):
    """SOC-6: the SSW referred the carer to the Fostering Network."""

    referred_on = date_field("Date of the referral")
    how = forms.CharField(
        label="How the referral was made",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, by e-mail to the Fostering Network's independent support service.",
    )


class ResignationForm(GovukForm):
    """SOC-11: the date the carer's written resignation was received."""

    received_on = date_field("Date the written resignation was received", required=False)
