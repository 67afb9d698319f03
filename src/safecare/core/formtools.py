"""Putting a service's refusal onto the form the person filled in (SPEC §7: clear errors)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put each of a service's messages next to the field it names, or at the top.

    Service messages start with the field's name ("Date: ..."), so they read well
    in the API and in logs; on a page the error summary adds the field's label
    itself, so the name is not repeated there.
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        names: set[str] = set()
        if target:
            names = {str(form.fields[field].label).lower(), field.removeprefix("is_").replace("_", " ")}
        for message in messages:
            prefix, _, rest = message.partition(": ")
            form.add_error(target, rest if rest and prefix.lower() in names else message)
