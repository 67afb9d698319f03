"""A record chosen by typing its name or its reference, with suggestions as you type.

A drop-down of every household or child grows with the service: at ten years it is
thousands of options on every allocation and placement page, and hard to use on a
phone. `RecordField` is a text box instead:

- typed: a reference ("H-00012", anywhere in the text, as a suggestion carries it) finds
  that record; otherwise the words find the one record whose name holds them all. None,
  or more than one, is refused with a message saying what to type;
- suggested: with JavaScript the box is the GOV.UK accessible-autocomplete
  (static/safecare/typeahead.mjs), asking the page's suggestion address, which answers
  with `suggestions()` over the same records the field accepts;
- shown again (an error elsewhere on the form, a page opened to change something) as the
  record's label, never as a database id.

The choices are a queryset the page gives, in the reader's scope: nothing outside it can
be typed, suggested or found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

SUGGESTIONS = 10
_REFERENCE = re.compile(r"\b([A-Za-z]{1,3})-?0*(\d{1,9})\b")

Labeller = Callable[[Any], str]


def name_match(fields: tuple[str, ...], text: str) -> Q:
    """Every word typed is in one of the name fields (ignoring case)."""
    match = Q()
    for word in text.split()[:8]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        match &= any_field
    return match


def _by_reference(queryset: QuerySet[Any], text: str, prefix: str) -> Model | bool | None:
    """The record whose reference is typed; False when no reference of this kind is typed."""
    if text.isdigit():
        return queryset.filter(pk=int(text)).first()
    for letters, number in _REFERENCE.findall(text):
        if letters.upper() == prefix:
            return queryset.filter(pk=int(number)).first()
    return False


def suggestions(
    queryset: QuerySet[Any], text: str, *, fields: tuple[str, ...], prefix: str, labeller: Labeller
) -> list[str]:
    """Up to ten labels of the records the text could mean, by reference first, then by name."""
    text = text.strip()
    if len(text) < 2:
        return []
    found = _by_reference(queryset, text, prefix)
    if found:
        return [labeller(found)]
    return [labeller(record) for record in queryset.filter(name_match(fields, text))[:SUGGESTIONS]]


class TypeaheadInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})


class RecordField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A record typed by name or reference (see the module's text)."""

    widget = TypeaheadInput

    def __init__(
        self,
        *,
        queryset: QuerySet[Any],
        fields: tuple[str, ...],
        prefix: str,
        noun: str,
        labeller: Labeller,
        refused: str = "",
        **kwargs: Any,
    ) -> None:
        self.refused = refused
        self.name_fields = fields
        self.prefix = prefix
        self.noun = noun
        self.labeller = labeller
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)

    def set_suggestion_url(self, url: str) -> None:
        self.widget.attrs["data-typeahead-url"] = url

    def label_from_instance(self, obj: Any) -> str:
        return self.labeller(obj)

    def prepare_value(self, value: Any) -> Any:
        """What the box shows: the record's label, or the text as it was typed."""
        if isinstance(value, Model):
            return self.labeller(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            record = self.queryset.filter(pk=int(value)).first()  # type: ignore[union-attr]
            return self.labeller(record) if record is not None else value
        return value

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            value = value.pk
        text = str(value).strip()
        queryset = cast(QuerySet[Any], self.queryset)
        example = f"{self.prefix}-00012"
        found = _by_reference(queryset, text, self.prefix)
        if found is None:
            raise ValidationError(
                self.refused or f"There is no {self.noun} {text} you can choose here: check the reference",
                code="invalid_choice",
            )
        if found:
            return found
        for record in queryset.filter(name_match(self.name_fields, text))[:2]:
            if self.labeller(record).lower() == text.lower():
                return record
        matches = list(queryset.filter(name_match(self.name_fields, text))[:2])
        if not matches:
            raise ValidationError(
                f"No {self.noun} you can choose here matches “{text}”: check the spelling, or type its "
                f"reference, like {example}. {self.refused}".strip(),
                code="invalid_choice",
            )
        if len(matches) > 1:
            raise ValidationError(
                f"More than one {self.noun} matches “{text}”: type more of the name, or its reference, "
                f"like {example}",
                code="invalid_choice",
            )
        return matches[0]

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "")
