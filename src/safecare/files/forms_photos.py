"""Forms of the photos pages (PH-3 to PH-6): they parse what was typed; the services in
files.services_photos decide the rules, and their refusals go back onto these forms with
everything typed kept (a chosen file cannot be kept by a browser: the page says to choose it
again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from safecare.core.forms import GovukForm, needed
from safecare.households.forms import date_field

from .models import LossKind, LostThing, Permission, Photo
from .services_photos import LONG_TEXT

# A hint to the phone or browser only: the server decides what is a photo (files.images).
ACCEPT_PHOTOS = "image/jpeg,image/png,image/webp,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.heic,.heif"
MAX_FILES = 10


def _text(label: str, help_text: str = "", rows: int = 4, max_length: int = LONG_TEXT) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """One or more photos in one upload (each checked by the service)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": ACCEPT_PHOTOS, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class PhotoRulesForm(GovukForm):
    """PH-3: what the placement planning meeting decided about photos of the child."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wants_no_photos = forms.BooleanField(
        label="The child does not want photos taken of them",
        required=False,
        help_text="The carer's upload page then says so first, and each upload needs the carer to confirm the "
        "child agreed to that photo",
    )
    childs_views = _text("The child's own views on being photographed")
    issues_from_child = _text("Photography issues the child raised", rows=3)
    issues_from_social_worker = _text("Photography issues the child's social worker raised", rows=3)
    issues_from_birth_parents = _text("Photography issues the birth parents raised", rows=3)
    planning_meeting_on = date_field("Date of the placement planning meeting or review", required=False)
    school_photos = forms.ChoiceField(
        label="May the school take photos of the child?",
        choices=Permission.choices,
        widget=forms.RadioSelect,
        help_text="Decided with the child's social worker",
    )
    community_photos = forms.ChoiceField(
        label="May community groups take photos of the child?",
        choices=Permission.choices,
        widget=forms.RadioSelect,
        help_text="Clubs, sports, faith and youth groups. Decided with the child's social worker",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed(self.fields["planning_meeting_on"])

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        expected = data.pop("version")
        for name in (
            "childs_views",
            "issues_from_child",
            "issues_from_social_worker",
            "issues_from_birth_parents",
        ):
            data[name] = data.get(name) or ""
        data["expected_version"] = expected if expected is not None else 0
        return data


class UploadForm(GovukForm):
    """PH-4: photos of the child, with the carer's confirmation of the rules."""

    photos = PhotosField(
        label="Photo",
        required=False,
        help_text=f"A JPEG, PNG, HEIC or WebP photo. You can choose up to {MAX_FILES} at once, each up to "
        f"{settings.SAFECARE_UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
    )
    caption = forms.CharField(
        label="What is happening in the photo? (optional)",
        max_length=200,
        required=False,
        help_text="For example, 'First day at the new school'",
    )
    taken_on = date_field("When was it taken? (optional)", required=False)
    rules_confirmed = forms.BooleanField(
        label="I confirm this photo keeps to the rules above",
        required=False,
    )

    def __init__(
        self, *args: Any, wants_no_photos: bool = False, first_name: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        needed(self.fields["photos"])
        needed(self.fields["rules_confirmed"])
        if wants_no_photos:
            self.fields["child_agreed"] = needed(
                forms.BooleanField(
                    label=f"{first_name} agreed to this photo being taken and kept",
                    required=False,
                )
            )
            self.order_fields(["photos", "caption", "taken_on", "child_agreed", "rules_confirmed"])

    def clean_photos(self) -> Any:
        files = self.cleaned_data.get("photos") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Choose {MAX_FILES} photos or fewer at once")
        return files

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        files = [(f.read(), f.name or "") for f in data.get("photos") or []]
        return {
            "files": files,
            "caption": data.get("caption") or "",
            "taken_on": data.get("taken_on"),
            "rules_confirmed": bool(data.get("rules_confirmed")),
            "child_agreed": bool(data.get("child_agreed")),
        }


class PhotoChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Photo) -> str:
        when = obj.taken_on or obj.uploaded_at.date()
        caption = obj.caption or "No caption"
        return f"{caption} ({when:%-d %B %Y})"


class KeepRequestForm(GovukForm):
    """PH-5: the photos a family would like to keep, and why."""

    photos = PhotoChoice(
        queryset=Photo.objects.none(),
        label="Which photos would you like to keep?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = _text("Why these photos matter to your family", rows=4)

    def __init__(self, *args: Any, photos: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].queryset = photos  # type: ignore[attr-defined]
        needed(self.fields["photos"])
        needed(self.fields["reason"])

    def values(self) -> dict[str, Any]:
        return {
            "photos": list(self.cleaned_data.get("photos") or []),
            "reason": self.cleaned_data.get("reason") or "",
        }


class KeepDecisionForm(GovukForm):
    """PH-5: the SSW agrees to all, some or none of the photos asked for."""

    agreed = PhotoChoice(
        queryset=Photo.objects.none(),
        label="Which photos may the family keep?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose none to refuse the request",
    )
    decision_note = _text(
        "What was agreed, and any care to take",
        help_text="Needed when you refuse. For example, keep them out of sight of visitors",
    )

    def __init__(self, *args: Any, photos: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed"].queryset = photos  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {
            "agreed": list(self.cleaned_data.get("agreed") or []),
            "decision_note": self.cleaned_data.get("decision_note") or "",
        }


class ChildrenChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class LossReportForm(GovukForm):
    """PH-6: what was lost or stolen, when, and which children's images may be on it."""

    what = forms.ChoiceField(
        label="What was lost or stolen?", choices=LostThing.choices, widget=forms.RadioSelect, required=False
    )
    kind = forms.ChoiceField(
        label="Was it lost or stolen?", choices=LossKind.choices, widget=forms.RadioSelect, required=False
    )
    happened_on = date_field("When did it happen, or when did you notice?", required=False)
    children = ChildrenChoice(
        queryset=None,
        label="Which children might have photos or videos on it?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every child whose photos, videos or details might be on it. If you are not sure, "
        "choose them",
    )
    details = _text(
        "Tell us more (optional)", help_text="Where and how it happened, and whether it had a password"
    )
    police_reference = forms.CharField(
        label="Police crime reference (optional)",
        max_length=60,
        required=False,
        help_text="If you reported it to the police",
    )

    def __init__(self, *args: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children  # type: ignore[attr-defined]
        for name in ("what", "kind", "happened_on"):
            needed(self.fields[name])

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "what": data.get("what") or "",
            "kind": data.get("kind") or "",
            "happened_on": data.get("happened_on"),
            "children": list(data.get("children") or []),
            "details": data.get("details") or "",
            "police_reference": data.get("police_reference") or "",
        }


class LossAcknowledgementForm(GovukForm):
    """PH-6: the child's social worker records what they did."""

    child: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label="Which child is this about?",
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    actions = _text("What you have done or will do", rows=5)

    def __init__(self, *args: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        field.queryset = children  # type: ignore[attr-defined]
        field.label_from_instance = lambda obj: str(obj.full_name)  # type: ignore[attr-defined]
        needed(field)
        needed(self.fields["actions"])

    def values(self) -> dict[str, Any]:
        return {"child": self.cleaned_data.get("child"), "actions": self.cleaned_data.get("actions") or ""}


class ReceiveForm(GovukForm):
    """PH-5: the child's social worker confirms they received the photos."""

    received = forms.BooleanField(
        label="I have received the photos for the child's life-story work", required=False
    )
