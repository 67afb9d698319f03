"""Forms of the service settings pages (rules: Service settings)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models

from .forms import DATE_HINT, GovukForm, GovukModelForm
from .models import FosteringService
from .services_settings import SERVICE_SETTINGS_FIELDS

# What each setting changes, in the policies' words; the default is added from the model.
SETTING_HELP = {
    "cctv_decider": "Decides CCTV exception requests for cameras inside the home (CX-3).",
    "smart_speakers_in_bedrooms": "When not allowed, a smart speaker in a child's bedroom is prohibited (DV-6).",
    "connected_device_security": "What an internet-connected camera or microphone needs before it is allowed (DV-7).",
    "scfa_review_months": "How often each household's Safe Caring Family Agreement is reviewed (SC-4).",
    "device_check_every_supervision": "Carers are asked about their devices at each supervision (DV-2).",
    "device_check_months": "Used only when devices are not checked at every supervision (DV-2).",
    "supervision_interval_weeks": "How often the supervising social worker holds supervision with the carers.",
    "emergency_risk_assessment_working_days": "What 'as soon as possible' means for the risk assessment "
    "after an emergency placement (SC-9).",
    "max_inside_cctv_retention_hours": "Footage kept longer than this is flagged (DV-12).",
    "baby_age_months": "A monitor for a child this age or older needs the social workers' agreement "
    "and the child's consent (DV-9).",
    "assessment_agreement_months": "The policy says only 'by the end of the assessment' (SC-1).",
    "before_placement_working_days": "Agreements and risk assessments due before a planned placement "
    "fall due this many working days before it starts; 1 is the last working day before (SC-4, SC-5, SC-9).",
    "change_notice_review_working_days": "The policy sets no deadline for the supervising social worker's "
    "review of a change the carers tell the service about (SC-6).",
    "device_review_working_days": "The policy sets no deadline for reviewing a new or changed device (DV-2).",
    "device_agreement_update_working_days": "The policy sets no deadline for writing devices into the "
    "agreements (DV-10, CX-5).",
    "prohibited_device_removal_working_days": "0 means the same working day (DV-3, DV-4).",
    "device_arrivals_told_working_days": "0 means the day they arrive, or the next working day (DV-11).",
    "cctv_step_working_days": "The policy sets no deadline for signing, answering or deciding a CCTV "
    "request (CX-3, CX-4).",
    "cctv_expiry_notice_months": "The task to ask for a new decision before an exception ends (CX-6).",
    "holiday_nation": "Bank holidays of this nation are not working days (rules: How dates are counted).",
    "carers_require_two_factor": "Staff always sign in with two-factor authentication. Carers see "
    "children's details too, so it is on unless the service records why not.",
    "carers_two_factor_off_reason": "Needed only when carers may sign in without two-factor "
    "authentication. Kept in the settings history.",
    "carers_may_download_agreements": "The policy on photos and confidential information (PH-1) says "
    "documents the service gives carers are not kept on their own phones or computers; they read them in "
    "Safecare. Turn this on only if the service decides carers may keep a copy of an agreement they signed.",
    "photos_kept_after_placement": "The policy lets a family keep 'a few significant photographs' of a "
    "child who has left, as agreed with their supervising social worker; more need a new agreement (PH-5).",
    "export_expiry_days": "A carer's subject access export is deleted this many days after it is built; "
    "a new one can be made at any time.",
    "recordings_unread_days": "The supervising social worker reads the carers' recordings (SC-7). The "
    "weekly check lists the households with a recording unread for longer than this.",
}


def _default_text(field: models.Field[Any, Any]) -> str:
    default = field.get_default()
    if default == "":
        return "Default: none."
    if isinstance(field, models.BooleanField):
        shown = "Yes" if default else "No"
    elif field.choices:
        shown = str(dict(field.flatchoices).get(default, default))
    else:
        shown = str(default)
    return f"Default: {shown}."


class ServiceSettingsForm(GovukModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FosteringService
        fields = list(SERVICE_SETTINGS_FIELDS)
        widgets = {
            "cctv_decider": forms.RadioSelect,
            "connected_device_security": forms.RadioSelect,
            "holiday_nation": forms.RadioSelect,
            "carers_two_factor_off_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SERVICE_SETTINGS_FIELDS:
            model_field = cast("models.Field[Any, Any]", FosteringService._meta.get_field(name))
            formfield = self.fields[name]
            formfield.help_text = f"{SETTING_HELP.get(name, '')} {_default_text(model_field)}".strip()
            if isinstance(formfield, forms.TypedChoiceField):
                # RadioSelect: no empty "---------" option for a required setting.
                formfield.choices = list(model_field.flatchoices)
            if isinstance(formfield, forms.IntegerField):
                formfield.widget.attrs.update({"class": "govuk-input--width-4", "inputmode": "numeric"})

    def setting_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SERVICE_SETTINGS_FIELDS}


class ClosureDayForm(GovukForm):
    date = forms.DateField(
        label="Date",
        help_text=f"{DATE_HINT} Bank holidays and weekends are already not working days.",
    )
    reason = forms.CharField(
        label="Reason", max_length=200, help_text="For example: office closed between Christmas and New Year."
    )
