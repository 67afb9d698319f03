"""Forms of the device register pages (DV-1, DV-2, DV-9, DV-11).

Carers fill these in on a phone, so the questions are in plain words and the
yes/no facts of DV-1 are asked as a few checkbox questions rather than one box
each. The forms only parse what was typed; devices.services_register decides the rules,
and its refusals are put back onto these forms by the views (keyed to the
question that asked for the field, see FIELD_QUESTION).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone

from safecare.core.forms import GovukForm
from safecare.households.forms import date_field
from safecare.households.models import Child, HouseholdMember, MemberKind, Placement

from .models import ChildConsent, Device, DeviceStatus, DeviceType, Purpose, RecordsWhen, RoomKind

# The yes/no DV-1 facts, asked as checkbox questions: question -> {choice: model field}.
CAPTURES = {"video": "records_video", "audio": "records_audio"}
CONNECTION = {"internet": "internet_connected", "cloud": "cloud_upload"}
SECURITY = {"password": "strong_password", "two_factor": "two_factor", "updates": "software_up_to_date"}
CHECKBOX_QUESTIONS = {"captures": CAPTURES, "connection": CONNECTION, "security": SECURITY}

# Which question a service refusal about a model field belongs to.
FIELD_QUESTION: dict[str, str] = {
    **{field: question for question, fields in CHECKBOX_QUESTIONS.items() for field in fields.values()},
    "monitored_child": "monitors",
    "monitored_member": "monitors",
}

NOBODY = ""
# Yes/no questions asked as radios (GOV.UK): the model's booleans.
YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_QUESTIONS = ("has_camera", "monitored_sleeps_here")


def _yes_no(label: str, *, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        widget=forms.RadioSelect,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        help_text=help_text,
    )


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _text(label: str, *, help_text: str = "", required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


@dataclass(frozen=True)
class Section:
    heading: str
    hint: str
    fields: list[BoundField]


class DeviceForm(GovukForm):
    """Every DV-1 field of one device, in the order a carer thinks of it."""

    SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
        ("The device", "", ("device_type", "description", "status", "installed_on")),
        (
            "Where it is",
            "Cameras and microphones are never allowed in a bathroom or toilet, "
            "or in a child's bedroom (except a baby monitor).",
            ("room", "room_kind", "positioning"),
        ),
        (
            "What it records and why",
            "A device with a camera counts as a camera, whatever kind of device it is.",
            ("captures", "has_camera", "purpose", "purpose_detail"),
        ),
        ("Internet and security", "", ("connection", "security")),
        (
            "Recordings",
            "If you do not know yet, leave these empty: the register shows what is still needed.",
            ("responsible_person", "retention_hours", "storage", "access"),
        ),
        (
            "Who has been told",
            "Everyone who lives in your home, children included, must be told where it is and why.",
            ("members_told_on", "visitors_told_on"),
        ),
        (
            "Pet cameras",
            "Only for a pet camera: a pet camera is allowed in a shared room to watch animals when "
            "nobody is home or overnight.",
            ("records_when",),
        ),
        (
            "Baby monitors",
            "Only for a baby monitor: the child it is for, and where they sleep. A baby monitor is "
            "allowed only in the bedroom where that child sleeps.",
            ("monitors", "monitored_sleeps_here", "monitoring_reason"),
        ),
    ]

    device_type = forms.ChoiceField(
        label="What kind of device is it?",
        choices=DeviceType.choices,
        widget=forms.RadioSelect,
        error_messages=_required("DV-1: say what kind of device it is"),
    )
    description = forms.CharField(
        label="Make and model",
        required=False,
        max_length=200,
        help_text="For example, Ring Video Doorbell 4.",
    )
    status = forms.ChoiceField(
        label="Is it in use yet?",
        choices=[
            (DeviceStatus.PLANNED.value, "Not yet: I am planning to put it in"),
            (DeviceStatus.IN_USE.value, "Yes, it is in use"),
        ],
        widget=forms.RadioSelect,
        error_messages=_required("DV-2: say whether it is in use or planned"),
    )
    installed_on = date_field("When was it put in?", required=False)
    room = forms.CharField(
        label="Which room or place is it in?",
        max_length=120,
        help_text="For example, front door, lounge, Xavier's bedroom.",
        error_messages=_required("DV-1: say which room or place it is in"),
    )
    room_kind = forms.ChoiceField(
        label="What kind of room or place is that?",
        choices=RoomKind.choices,
        widget=forms.RadioSelect,
        error_messages=_required("DV-1: say what kind of room or place it is"),
    )
    positioning = forms.CharField(
        label="What does it point at, and what can it see or hear?",
        help_text="For example, high on the wall facing the front door; it cannot see the stairs.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("DV-1: say what it points at and what it can see or hear"),
    )
    captures = forms.MultipleChoiceField(
        label="What does it record or stream?",
        choices=[("video", "Pictures or video"), ("audio", "Sound")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages=_required("DV-1: say whether it records or streams video, sound or both"),
    )
    has_camera = _yes_no(
        "Does it have a camera?",
        help_text="Say yes even if the camera is covered, switched off or does not record: for example, "
        "a smart speaker with a screen and a camera.",
    )
    purpose = forms.ChoiceField(
        label="Why do you use it?",
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages=_required("DV-1: say why it is used"),
    )
    purpose_detail = _text("Tell us more about why you use it")
    connection = forms.MultipleChoiceField(
        label="Is it connected to anything?",
        choices=[
            ("internet", "It is connected to the internet (for example, you can see it on your phone)"),
            ("cloud", "It sends recordings to the cloud or to another company"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. Leave empty if neither.",
    )
    security = forms.MultipleChoiceField(
        label="How is it kept safe from hacking?",
        choices=[
            ("password", "It has a strong password"),
            ("two_factor", "Two-factor authentication is turned on (a code as well as the password)"),
            ("updates", "Its software is kept up to date"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. Needed for a device connected to the internet or the cloud.",
    )
    responsible_person = forms.CharField(
        label="Who looks after it and its recordings?", required=False, max_length=160
    )
    retention_hours = forms.IntegerField(
        label="How many hours are recordings kept?",
        required=False,
        min_value=0,
        help_text="Put 0 if nothing is recorded or kept. One day is 24 hours; one week is 168 hours.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    storage = forms.CharField(
        label="Where are the recordings kept?",
        required=False,
        max_length=200,
        help_text="For example, on the camera's memory card, or in the Ring app.",
    )
    access = forms.CharField(
        label="Who can watch or listen to the recordings?", required=False, max_length=200
    )
    members_told_on = date_field("When did you tell everyone living in your home about it?", required=False)
    visitors_told_on = date_field(
        "When did you start telling visitors about it?",
        required=False,
        help_text="Needed for a camera inside your home.",
    )
    monitors = forms.ChoiceField(
        label="Which child does it watch?",
        required=False,
        widget=forms.RadioSelect,
        help_text="A baby monitor is for one child.",
    )
    monitored_sleeps_here = _yes_no(
        "Does the child it is for sleep in this room?",
        help_text="Answer for the part of the monitor that watches or listens to the child, not the parent "
        "unit. Say yes if a baby sleeps in your own bedroom and the monitor is there.",
    )
    monitoring_reason = _text(
        "If the child is 2 or older, why do they need a monitor?",
        help_text="For example, difficulties with sleep or a health condition. The child's social worker "
        "and your supervising social worker must agree.",
    )

    records_when = forms.ChoiceField(
        label="When does it record?",
        required=False,
        widget=forms.RadioSelect,
        choices=[(value, label) for value, label in RecordsWhen.choices if value],
        help_text="If you do not know yet, leave this empty.",
    )

    def __init__(
        self,
        *args: Any,
        children: Iterable[Child],
        members: Iterable[HouseholdMember],
        versioned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._monitored: dict[str, Child | HouseholdMember] = {
            **{f"child:{c.pk}": c for c in children},
            **{f"member:{m.pk}": m for m in members},
        }
        field = self.fields["monitors"]
        field.choices = [  # type: ignore[attr-defined]
            (NOBODY, "No child in particular"),
            *[(key, person.first_name) for key, person in self._monitored.items()],
        ]
        if versioned:
            self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        """DV-9: a baby monitor that names a child says whether the child sleeps in its room.

        Unanswered, the monitor would not count as in the child's sleeping area and would be
        prohibited, so the question is asked rather than left to the register.
        """
        data = super().clean() or {}
        if (
            data.get("device_type") == DeviceType.BABY_MONITOR
            and data.get("monitors")
            and data.get("monitored_sleeps_here") is None
        ):
            self.add_error(
                "monitored_sleeps_here",
                "DV-9: say whether the child it is for sleeps in this room; a baby monitor is allowed "
                "only in the bedroom where that child sleeps",
            )
        return data

    @classmethod
    def initial_for(cls, device: Device) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(device, name)
            for name in cls.base_fields
            if name not in CHECKBOX_QUESTIONS and name != "monitors"
        }
        for name in YES_NO_QUESTIONS:
            initial[name] = "yes" if getattr(device, name) else "no"
        for question, fields in CHECKBOX_QUESTIONS.items():
            initial[question] = [choice for choice, field in fields.items() if getattr(device, field)]
        if device.monitored_child_id:
            initial["monitors"] = f"child:{device.monitored_child_id}"
        elif device.monitored_member_id:
            initial["monitors"] = f"member:{device.monitored_member_id}"
        return initial

    def sections(self) -> list[Section]:
        return [
            Section(heading, hint, [self[name] for name in names if name in self.fields])
            for heading, hint, names in self.SECTIONS
        ]

    def device_fields(self) -> dict[str, Any]:
        """The cleaned answers as the model fields devices.services_register takes."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: data[name]
            for name in self.base_fields
            if name not in CHECKBOX_QUESTIONS and name not in ("monitors", "version")
        }
        for name in (
            "description",
            "positioning",
            "purpose_detail",
            "responsible_person",
            "storage",
            "access",
        ):
            values[name] = values[name].strip()
        values["monitoring_reason"] = values["monitoring_reason"].strip()
        for name in YES_NO_QUESTIONS:
            values[name] = bool(values[name])
        for question, fields in CHECKBOX_QUESTIONS.items():
            chosen = set(data.get(question) or [])
            values.update({field: choice in chosen for choice, field in fields.items()})
        monitored = self._monitored.get(data.get("monitors") or NOBODY)
        values["monitored_child"] = monitored if isinstance(monitored, Child) else None
        values["monitored_member"] = monitored if isinstance(monitored, HouseholdMember) else None
        return values


def monitor_choices(household: Any, device: Device | None = None) -> dict[str, Any]:
    """DV-9: the children a baby monitor may watch: children placed here now, the household's own children.

    On an edit, the child the device already names stays a choice even if they have
    left, so the page shows the service's DV-9 refusal instead of quietly dropping it.
    """
    today = timezone.localdate()
    placed = Placement.objects.current(today).filter(household=household).values("child_id")
    children: QuerySet[Child] | list[Child] = Child.objects.filter(pk__in=placed).order_by("first_name", "id")
    if device is not None and device.monitored_child_id is not None:
        children = list(children)
        if all(c.pk != device.monitored_child_id for c in children):
            children.append(device.monitored_child)  # type: ignore[arg-type]
    members = HouseholdMember.objects.filter(
        household=household, kind__in=[MemberKind.CARERS_CHILD, MemberKind.OTHER_CHILD]
    ).order_by("first_name", "id")
    return {"children": children, "members": members}


class RemoveForm(GovukForm):
    removed_on = date_field("When was it taken away?", required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("removed_on", timezone.localdate())


class ReviewForm(GovukForm):
    notes = _text(
        "Notes (optional)",
        help_text="For example, what you checked with the carers or what they have been asked to do.",
        rows=4,
    )


class MonitoringForm(GovukForm):
    agreed_on = date_field("Date you agreed", required=False, help_text="Leave empty for today.")
    child_consent = forms.ChoiceField(
        label="The child's consent",
        required=False,
        widget=forms.RadioSelect,
        choices=[(value, label) for value, label in ChildConsent.choices if value],
        help_text="Only if you know it. Leave unselected to keep what is recorded.",
    )

    def consent(self) -> str | None:
        return self.cleaned_data.get("child_consent") or None


class MonitoringDecisionForm(GovukForm):
    """DV-9: the CCTV decider's decision on a monitor that films or uploads for an older child."""

    agreed = forms.TypedChoiceField(
        label="Do you agree to this monitor?",
        required=True,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes, I agree"), ("no", "No, I do not agree")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        error_messages={"required": "Decision: DV-9 say whether you agree to the monitor"},
    )
    decided_on = date_field("Date you decided", required=False, help_text="Leave empty for today.")
    comments = _text(
        "Comments",
        help_text="If you do not agree, say why: the carers are told, and the monitor must be taken out.",
        rows=4,
    )


class CheckForm(GovukForm):
    checked_on = date_field("Date of the check", required=False)
    register_accurate = forms.TypedChoiceField(
        label="Does the register list every camera and microphone in and around the home?",
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        help_text="Ask the carers about every device, inside and outside the home.",
    )
    notes = _text("Notes", help_text="If anything is missing or wrong, say what.", rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("checked_on", timezone.localdate())
