"""Forms of the meeting report pages (SOC-7, SOC-8): they parse what was typed; the services
in standards.services_report decide the rules, and their refusals go back onto these forms."""

from __future__ import annotations

from typing import Any

from django import forms

from safecare.core.forms import GovukForm, GovukModelForm
from safecare.core.models import User
from safecare.households.forms import date_field

from .forms import OwnerField
from .models import REPORT_SECTIONS, MeetingReport, Recipient, SharedHow


class ReportForm(GovukModelForm):
    """SOC-7: the sections of the procedure's Appendix 1, saved as a draft as often as needed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MeetingReport
        fields = ["csw", "investigator", *REPORT_SECTIONS]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in REPORT_SECTIONS}

    def __init__(self, *args: Any, csw_choices: list[User], may_name_csw: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_name_csw:
            field = OwnerField(
                queryset=User.objects.filter(pk__in=[u.pk for u in csw_choices]),
                required=False,
                label="Child's social worker writing with you",
                help_text="They can then write in this report, and read nothing else of the procedure",
                empty_label="Nobody yet",
            )
            self.fields["csw"] = field
        else:
            del self.fields["csw"]
        for name in REPORT_SECTIONS:
            self.fields[name].required = False

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class SubmitForm(GovukForm):
    confirm = forms.BooleanField(
        label="I confirm this report is ready for QA, and I sign it as the supervising social worker",
        error_messages={"required": "Confirm the report is ready for QA to submit it (SOC-7)"},
    )


class QaForm(GovukForm):
    confirm = forms.BooleanField(
        label="I have quality assured this report and it may be sent to the chair and the carer",
        error_messages={"required": "Confirm you have quality assured the report (SOC-7)"},
    )


class SendForm(GovukForm):
    recipient = forms.ChoiceField(
        label="Who was it sent to?", choices=Recipient.choices, widget=forms.RadioSelect
    )
    recipient_name = forms.CharField(
        label="Their name",
        max_length=200,
        required=False,
        help_text="Needed for the carer's advocate; for the chair and the carer Safecare fills it in",
    )
    how = forms.ChoiceField(label="How was it shared?", choices=SharedHow.choices, widget=forms.RadioSelect)
    sent_on = date_field("Date it was sent")
    receipt_confirmed = forms.TypedChoiceField(
        label="Has the recipient confirmed they received it?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="A carer sent it in Safecare confirms it there themselves",
    )


class ReceiptForm(GovukForm):
    confirmed_on = date_field("Date receipt was confirmed")


class CarerReceiptForm(GovukForm):
    confirm = forms.BooleanField(
        label="I have received the report",
        error_messages={"required": "Tick the box to say you have received the report"},
    )


class ResponseForm(GovukForm):
    text = forms.CharField(
        label="Your response to the chair",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What you want the chair to know before the meeting. You can also say it at the meeting.",
    )


class RescheduleForm(GovukForm):
    meets_on = date_field("New date of the meeting")
    reason = forms.CharField(label="Why it moves", widget=forms.Textarea(attrs={"rows": 3}))
