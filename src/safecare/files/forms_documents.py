"""Forms of the documents and reports pages (PH-1, PH-2): they parse what was sent; the services
in files.services_documents decide the rules, and their refusals go back onto these forms with
everything typed kept (a browser never keeps a chosen file: the page says to choose it again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from safecare.core.forms import GovukForm, needed
from safecare.households.models import Child

from .models import DocumentKind
from .services_documents import LONG_TEXT, MAX_ATTACHMENTS, TITLE_MAX, Upload

# A hint to the browser's file picker only: the server decides what it accepts.
DOCUMENT_ACCEPT = (
    "application/pdf,.pdf,image/jpeg,image/png,image/webp,image/heic,.heic,"
    ".doc,.docx,.odt,.rtf,.xls,.xlsx,.ods,.ppt,.pptx,.odp"
)


def upload_of(file: UploadedFile[Any]) -> Upload:
    """The bytes of an uploaded file, read at most one byte over the limit (refused as too big)."""
    limit = settings.SAFECARE_UPLOAD_MAX_BYTES
    data = file.read(limit + 1)
    return Upload(name=str(file.name or "file")[:200], data=data)


def max_size() -> str:
    return f"{settings.SAFECARE_UPLOAD_MAX_BYTES // (1024 * 1024)} MB"


class ChildChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Child) -> str:
        return obj.full_name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to MAX_ATTACHMENTS files from one input; the service checks each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


class ShareForm(GovukForm):
    """PH-1: a document to share with a household or about a child."""

    title = forms.CharField(
        label="Title", max_length=TITLE_MAX, required=False, help_text="Carers see this in their list"
    )
    kind = forms.ChoiceField(
        label="What is it?", choices=DocumentKind.choices, required=False, widget=forms.RadioSelect
    )
    child = ChildChoice(
        queryset=Child.objects.none(),
        label="Which child is it about?",
        required=False,
        empty_label="The whole household",
    )
    description = forms.CharField(
        label="What carers should know about it",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(label="File", required=False)

    def __init__(self, *args: Any, children: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "kind", "file"):
            needed(self.fields[name])
        if children is None:
            del self.fields["child"]
        else:
            self.fields["child"].queryset = children  # type: ignore[attr-defined]
        file = self.fields["file"]
        file.widget.attrs["accept"] = DOCUMENT_ACCEPT
        file.help_text = (
            f"A PDF, a photo (JPEG, PNG, WebP) or an office document, {max_size()} or less. "
            "Office documents are turned into a PDF; carers read it page by page and cannot download it."
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        file = data.get("file")
        return {
            "title": data.get("title") or "",
            "kind": data.get("kind") or "",
            "description": data.get("description") or "",
            "upload": upload_of(file) if file else None,
        }


class WithdrawForm(GovukForm):
    """PH-1: why the document is withdrawn."""

    reason = forms.CharField(
        label="Why are you withdrawing it?",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Carers stop seeing it at once. Staff still see it, marked withdrawn, with this reason.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed(self.fields["reason"])


class ReportForm(GovukForm):
    """PH-2: a carer's report, with up to five attachments."""

    title = forms.CharField(label="What is the report about?", max_length=TITLE_MAX, required=False)
    child = ChildChoice(
        queryset=Child.objects.none(),
        label="Is it about a child?",
        required=False,
        empty_label="No, it is about our household",
    )
    body = forms.CharField(
        label="Your report", required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(label="Attachments", required=False)

    def __init__(self, *args: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed(self.fields["title"])
        needed(self.fields["body"])
        self.fields["child"].queryset = children  # type: ignore[attr-defined]
        attachments = self.fields["attachments"]
        attachments.widget.attrs["accept"] = DOCUMENT_ACCEPT
        attachments.help_text = (
            f"Up to {MAX_ATTACHMENTS} photos or documents (PDF, Word and similar), each {max_size()} or less."
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data.get("title") or "",
            "body": data.get("body") or "",
            "child": data.get("child"),
            "uploads": [upload_of(f) for f in data.get("attachments") or []],
        }
