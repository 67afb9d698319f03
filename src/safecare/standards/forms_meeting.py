"""Forms of arranging the standards of care meeting, its invitations, the service's documents
and the minutes (SOC-8, SOC-9). They parse what was typed; standards.services_meeting and
standards.services decide the rules, and their refusals come back onto these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from safecare.core.forms import GovukForm
from safecare.core.models import User
from safecare.households.forms import date_field

from .models import InviteeRole


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ArrangementRequestForm(GovukForm):
    business_support = PersonField(
        label="Business support officer",
        queryset=User.objects.none(),
        empty_label="Choose who",
        help_text="They will see this meeting's date, place and invitees, and nothing else of the case.",
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business_support"].queryset = officers  # type: ignore[attr-defined]


class ArrangeForm(GovukForm):
    meets_on = date_field(
        "Date of the meeting",
        help_text="The report must reach the chair at least 5 clear working days before it, and the "
        "carer at least 10 calendar days before it.",
    )
    place = forms.CharField(
        label="Where, or how to join",
        max_length=300,
        help_text="For example, Room 2, Civic Centre; or the video call's joining link. It goes in the "
        "e-mail to invitees outside Safecare: do not write a carer's home address.",
    )
    chair = PersonField(
        label="Chair",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        help_text="A fostering manager of the service.",
    )

    def __init__(self, *args: Any, chairs: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs  # type: ignore[attr-defined]


ROLE_CHOICES = [("", "Choose who they are at the meeting"), *InviteeRole.choices]


class InviteeForm(GovukForm):
    role = forms.ChoiceField(label="Invited as", choices=ROLE_CHOICES)
    user = PersonField(
        label="Person in Safecare (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not someone in Safecare",
        help_text="Choose them if they use Safecare: they are invited in the app. Otherwise give a name "
        "and an e-mail address below.",
    )
    name = forms.CharField(label="Name (for a contact)", max_length=200, required=False)
    email = forms.CharField(
        label="E-mail address (for a contact)",
        max_length=254,
        required=False,
        help_text="The invitation and the documents are sent to this address.",
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]


class ConfirmForm(GovukForm):
    """A POST with nothing to type: the button is the decision."""


class DocumentForm(GovukForm):
    file = forms.FileField(label="PDF file")

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.fields["file"].help_text = "A PDF file."
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"


class MinutesForm(GovukForm):
    minutes_sent_on = date_field("Date the minutes were sent")
