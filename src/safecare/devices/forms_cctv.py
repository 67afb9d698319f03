"""Forms of the CCTV exception request pages (CX-1 to CX-6).

They only parse what was typed. Whether a request is complete, whether a camera
may be asked for (CX-2), who signs and in what order (CX-3), who answers for a
child (CX-4) and when a decision may be made are decided by devices.services_cctv,
whose refusals the views put back on these forms. Fields are optional where the
service gives the rule's own message, so the page shows that message rather
than a generic "required"; such a field is still shown as required (no
"(optional)"), because it is required for the step the service checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet

from safecare.core.forms import GovukForm
from safecare.households.forms import DATE_HINT, VersionedForm

from .models import REQUEST_SECTION_KEYS, REQUEST_SECTIONS, Device

if TYPE_CHECKING:
    _DeviceField = forms.ModelMultipleChoiceField[Device]
else:
    _DeviceField = forms.ModelMultipleChoiceField

# The conditions every agreement is subject to: the CCTV policy's "Head of Fostering
# Agreement for the use of CCTV inside the foster home". Shown to the decider as
# guidance and printed on the decision page of the report.
POLICY_CONDITIONS = (
    "The child's or young person's safe care plan records, at a minimum, that CCTV is in use, "
    "where the cameras are positioned and why they are used.",
    "The children's social workers for every child in the home agree to the use of CCTV.",
    "Cameras are never installed in bathrooms, toilets, bedrooms or sleeping areas.",
    "Cameras are never used as a means to supervise children.",
    "Everyone in the foster home, and visitors to the home, are told by the foster carers that CCTV "
    "is in place.",
    "Information is not stored indefinitely and is deleted as soon as it is no longer needed; footage "
    "with no use is deleted within 24 hours. Information that is needed is stored securely and used "
    "only for the purpose it was recorded for.",
)


class ServiceChecked(forms.Field):
    """Required for the step, but an empty value is left for the service to refuse with its rule.

    A draft request is saved incomplete (CX-1 is checked on submit), and an empty
    answer or decision gets the rule's own message (CX-3, CX-4) instead of Django's.
    """

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            return
        super().validate(value)


class CheckedText(ServiceChecked, forms.CharField):
    pass


class CheckedDate(ServiceChecked, forms.DateField):
    pass


class CheckedChoice(ServiceChecked, forms.ChoiceField):
    pass


class CameraChoice(_DeviceField):
    def label_from_instance(self, obj: Device) -> str:
        # CX-2 turns on the kind of room, so the person choosing sees it next to the camera.
        return (
            f"{obj.get_device_type_display()} in {obj.room}, {obj.get_status_display().lower()}: "
            f"{obj.get_room_kind_display().lower()}"
        )


def _date(label: str, help_text: str = "") -> forms.DateField:
    return CheckedDate(label=label, help_text=f"{help_text} {DATE_HINT}".strip())


class RequestForm(GovukForm):
    """CX-1: every section of the report, the period and the cameras. A draft may be incomplete."""

    # Nothing is required to save a draft; the browser must not insist.
    use_required_attribute = False

    def __init__(self, *args: Any, devices: QuerySet[Device], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, hint in REQUEST_SECTIONS:
            self.fields[key] = CheckedText(
                label=label,
                help_text=hint,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        # The labels match the services' messages ("CCTV needed from: ..."), so the page
        # shows each message once, next to its field.
        self.fields["period_start"] = _date("CCTV needed from")
        self.fields["period_end"] = _date(
            "CCTV needed until", help_text="CX-6: an agreement holds only for this period."
        )
        self.fields["devices"] = CameraChoice(
            queryset=devices,
            label="Cameras",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Choose each camera the request is for from the household's register. CX-2: cameras "
            "only in communal areas, never in bedrooms, bathrooms or toilets, and never to supervise "
            "children. Add a camera to the register first if it is not listed.",
        )

    def request_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {key: data.get(key, "") for key in REQUEST_SECTION_KEYS}
        fields["period_start"] = data.get("period_start")
        fields["period_end"] = data.get("period_end")
        fields["devices"] = list(data.get("devices") or [])
        return fields


class RequestEditForm(VersionedForm, RequestForm):
    """The same, carrying the version the editor opened (rules: Everywhere: no silent overwrites)."""


class SignForm(GovukForm):
    # The hash of the report exactly as shown: the service refuses a signature over anything else.
    shown_hash = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    confirm = forms.BooleanField(
        label="I have read this report and I agree to it",
        required=False,
    )


class ConsentForm(GovukForm):
    """CX-4: the child's social worker agrees to CCTV in the home, or does not."""

    agrees = CheckedChoice(
        label="Do you agree",
        choices=[("yes", "Yes, I agree to CCTV in the home"), ("no", "No, I do not agree")],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when you do not agree. The carers and the decider read them.",
    )

    def agrees_value(self) -> bool | None:
        return _yes_no(self.cleaned_data.get("agrees"))


class DecideForm(GovukForm):
    """CX-3: agree or do not agree, with comments and conditions."""

    agreed = CheckedChoice(
        label="Decision",
        choices=[
            ("yes", "I agree to CCTV inside the foster home"),
            ("no", "I do not agree"),
        ],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when you do not agree.",
    )
    conditions = forms.CharField(
        label="Conditions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Any conditions in addition to the policy's, which every agreement is subject to.",
    )

    def agreed_value(self) -> bool | None:
        return _yes_no(self.cleaned_data.get("agreed"))


class ReasonForm(GovukForm):
    """CX-6: why an agreed exception needs a new decision."""

    reason = CheckedText(
        label="Reason",
        max_length=200,
        help_text="For example, 'a camera has moved' or 'the period is ending and CCTV is still needed'.",
    )


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")
