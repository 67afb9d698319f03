"""Base classes of every Safecare form: GOV.UK error messages and the GOV.UK date input.

Every form of the pages derives from ``GovukForm`` or ``GovukModelForm``. Once a
form is made (after its own ``__init__``, so fields added or relabelled there are
included) and again before it is checked, each field whose messages were not set
explicitly is given GOV.UK content-style messages made from its label
(decision 0027):

=================  ====================================================================
required           "Enter <label>" (text, numbers, dates, times); "Select <label>" (a
                   choice); 'Select "<label>" to continue' (a checkbox that must be ticked)
invalid choice     "Select <label>"
max_length         "<Label> must be N characters or fewer" (min_length: "or more")
max/min value      "<Label> must be N or less" / "<Label> must be N or more"
number             "<Label> must be a number"
date               "<Label> must be a real date"; "<Label> must include a month"
time               "<Label> must be a real time, for example 14:30"
email              "Enter an email address in the correct format, like name@example.com"
=================  ====================================================================

A label that is a question ("Why?") is quoted: "Enter an answer to “Why?”", "The
answer to “Why?” must be 160 characters or fewer". A message set on the field
(``error_messages=``, a validator's own ``message``) is kept: those say why a rule
needs the field.

Every DateField is drawn as the GOV.UK date input (day, month and year boxes in a
fieldset). It also takes one value under the field's own name ("2027-03-24" or
"24/3/2027"), as a script or an older page sends it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.core import validators
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import ModelFormMetaclass
from django.forms.utils import pretty_name

DATE_HINT = "For example, 27 3 2027."
TIME_HINT = "For example, 14:30."
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
OPTIONAL = "(optional)"


# Labels --------------------------------------------------------------------------------------


def needed(field: forms.Field) -> forms.Field:
    """Mark a field a service requires though the form does not.

    A procedure's form may leave a field optional so that its service, not the form, says
    what is missing and names the rule; the field is not optional for the person filling
    it in, so its label never says "(optional)".
    """
    field.needed = True  # type: ignore[attr-defined]
    return field


def bare_label(label: object) -> str:
    """The label without a trailing "(optional)"."""
    text = str(label or "").strip()
    if text.lower().endswith(OPTIONAL):
        text = text[: -len(OPTIONAL)].rstrip()
    return text


def _lower_first_word(text: str) -> str:
    # "Date of birth" -> "date of birth"; "CCTV needed from", "I agree" and "SC-3" stay as they are.
    first, _, rest = text.partition(" ")
    if len(first) > 1 and first[1:] == first[1:].lower() and first[0].isupper():
        first = first[0].lower() + first[1:]
    return f"{first} {rest}" if rest else first


class Wording(NamedTuple):
    subject: str  # starts a sentence: "Date of birth", "The answer to “Why?”"
    phrase: str  # follows a verb: "date of birth", "an answer to “Why?”"


def wording(label: object, name: str = "") -> Wording:
    text = bare_label(label) or pretty_name(name)
    if text.endswith("?"):
        return Wording(f"The answer to “{text}”", f"an answer to “{text}”")
    return Wording(text, _lower_first_word(text))


# The GOV.UK date input -----------------------------------------------------------------------


class DateParts(NamedTuple):
    """The day, month and year boxes as typed."""

    day: str
    month: str
    year: str


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes (GOV.UK date input), posted as <name>_day, _month, _year."""

    template_name = "forms/govuk/date_input.html"
    use_fieldset = True
    PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({key: forms.TextInput(attrs=dict(box)) for key, _, _ in self.PARTS}, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, str) and value:
            value = parse_date_text(value) or value
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        keys = [f"{name}_{key}" for key, _, _ in self.PARTS]
        if any(key in data for key in keys):
            return DateParts(*(str(data.get(key) or "").strip() for key in keys))
        # One value under the field's own name ("2027-03-24"), as a script or an older page sends it.
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{key}" not in data for key, _, _ in self.PARTS)

    def id_for_label(self, id_: str) -> str:
        # The label, and the error summary's link, go to the day box.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        classes = [c for c in str((attrs or {}).get("class", "")).split() if "--width" not in c]
        base_id = context["widget"]["attrs"].get("id")
        for subwidget, (key, label, width) in zip(context["widget"]["subwidgets"], self.PARTS, strict=True):
            subwidget["part_label"] = label
            if base_id:
                subwidget["attrs"]["id"] = f"{base_id}_{key}"
            subwidget["attrs"]["class"] = " ".join(
                dict.fromkeys(
                    ["govuk-input", "govuk-date-input__input", *classes, f"govuk-input--width-{width}"]
                )
            )
        return context


def parse_date_text(value: str) -> dt.date | None:
    for fmt in settings.DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
    return None


class GovukDateMixin:
    """Reads the three boxes of GovukDateInput; any other value as the DateField it is mixed into."""

    error_messages: Any

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, DateParts):
            return super().to_python(value)  # type: ignore[misc]
        if not any(value):
            return None
        missing = [key for key, part in zip(("day", "month", "year"), value, strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                self.error_messages["incomplete"], code="incomplete", params={"parts": " and ".join(missing)}
            )
        if not all(part.isdigit() for part in value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(value.year) != 4:
            raise forms.ValidationError(self.error_messages["year"], code="year")
        try:
            return dt.date(int(value.year), int(value.month), int(value.day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


_DATE_CLASSES: dict[type, type] = {}


def _date_class(cls: type[forms.DateField]) -> type:
    if issubclass(cls, GovukDateMixin):
        return cls
    if cls not in _DATE_CLASSES:
        _DATE_CLASSES[cls] = type(cls.__name__, (GovukDateMixin, cls), {"__module__": cls.__module__})
    return _DATE_CLASSES[cls]


class GovukDateField(GovukDateMixin, forms.DateField):
    """A DateField drawn as the GOV.UK date input (any DateField of a GovukForm becomes one)."""

    widget = GovukDateInput


# Messages ------------------------------------------------------------------------------------


def _default_message(field: forms.Field, key: str) -> str | None:
    for cls in type(field).__mro__:
        message = getattr(cls, "default_error_messages", {}).get(key)
        if message is not None:
            return str(message)
    return None


def _messages(field: forms.Field, words: Wording) -> dict[str, str]:
    subject, phrase = words
    if isinstance(field, forms.BooleanField):
        return {"required": f"Select “{bare_label(field.label)}” to continue"}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        choose = f"Select {phrase}"
        return {
            "required": choose,
            "invalid_choice": choose,
            "invalid_list": choose,
            "invalid_pk_value": choose,
        }
    messages = {"required": f"Enter {phrase}"}
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        messages["invalid"] = f"{subject} must be a number"
        messages["max_digits"] = messages["max_decimal_places"] = messages["max_whole_digits"] = (
            f"{subject} must be a smaller number"
        )
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{subject} must be a real date and time"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{subject} must be a real date"
        messages["incomplete"] = f"{subject} must include a %(parts)s"
        messages["year"] = f"{subject} must include a year with 4 numbers, like 2027"
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = f"{subject} must be a real time, for example 14:30"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = EMAIL_MESSAGE
    elif isinstance(field, forms.FileField):
        messages.update(
            {
                "required": f"Select {phrase}",
                "invalid": f"Select {phrase}",
                "missing": f"Select {phrase}",
                "empty": f"The selected file for {phrase} is empty",
                "max_length": f"The name of the file for {phrase} must be %(max)d characters or fewer",
            }
        )
    elif isinstance(field, forms.CharField):
        messages["null_characters_not_allowed"] = f"{subject} must not contain null characters"
    return messages


def _validator(validator: Any, subject: str, hidden: bool = False) -> Any:
    """The validator with a GOV.UK message, unless it carries a message of its own."""
    kind = type(validator)
    if getattr(validator, "message", None) != getattr(kind, "message", None):
        return validator
    if hidden and isinstance(validator, validators.BaseValidator):
        return kind(validator.limit_value, message=HIDDEN_MESSAGE)
    if kind is validators.MaxLengthValidator:
        return kind(validator.limit_value, message=f"{subject} must be %(limit_value)s characters or fewer")
    if kind is validators.MinLengthValidator:
        return kind(validator.limit_value, message=f"{subject} must be %(limit_value)s characters or more")
    if kind is validators.MaxValueValidator:
        return kind(validator.limit_value, message=f"{subject} must be %(limit_value)s or less")
    if kind is validators.MinValueValidator:
        return kind(validator.limit_value, message=f"{subject} must be %(limit_value)s or more")
    if kind is validators.EmailValidator:
        return kind(message=EMAIL_MESSAGE)
    if kind is validators.ProhibitNullCharactersValidator:
        return kind(message=f"{subject} must not contain null characters")
    return validator


# A hidden field is filled in by the page, not by the person: its message names no field.
HIDDEN_MESSAGE = "This page is out of date: open it again, then make your changes again"


def _hidden_messages(field: forms.Field) -> dict[str, str]:
    keys = set()
    for cls in type(field).__mro__:
        keys |= set(getattr(cls, "default_error_messages", {}))
    return dict.fromkeys(keys, HIDDEN_MESSAGE)


def govuk_field(field: forms.Field, name: str) -> None:
    """Give one field the GOV.UK date input or time box, and GOV.UK messages where none were set."""
    if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
        field.__class__ = _date_class(type(field))
        if not isinstance(field.widget, GovukDateInput) and not field.widget.is_hidden:
            widget = GovukDateInput()
            widget.is_required = field.required
            field.widget = widget
    if isinstance(field, forms.TimeField) and not field.widget.is_hidden:
        field.widget.attrs.setdefault("inputmode", "numeric")
        field.widget.attrs.setdefault("autocomplete", "off")
        if not field.help_text:
            field.help_text = TIME_HINT
    words = wording(field.label, name)
    generated: dict[str, str] = getattr(field, "_govuk_messages", {})
    hidden = field.widget.is_hidden
    mine = _hidden_messages(field) if hidden else _messages(field, words)
    given: dict[str, str] = {}
    for key, message in mine.items():
        current = field.error_messages.get(key)
        if current is None or str(current) == _default_message(field, key) or current == generated.get(key):
            field.error_messages[key] = given[key] = message
    field._govuk_messages = given  # type: ignore[attr-defined]
    field.validators = [_validator(v, words.subject, hidden) for v in field.validators]


class GovukFormMixin:
    fields: dict[str, forms.Field]

    def govuk_fields(self) -> None:
        for name, field in self.fields.items():
            govuk_field(field, name)

    def full_clean(self) -> None:
        # Again, for a field added or relabelled after the form was made.
        self.govuk_fields()
        super().full_clean()  # type: ignore[misc]


class _GovukFormMetaclass(DeclarativeFieldsMetaclass):
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        form = super().__call__(*args, **kwargs)
        form.govuk_fields()
        return form


class _GovukModelFormMetaclass(ModelFormMetaclass):
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        form = super().__call__(*args, **kwargs)
        form.govuk_fields()
        return form


class GovukForm(GovukFormMixin, forms.Form, metaclass=_GovukFormMetaclass):
    """A form with GOV.UK error messages and date inputs (see the module's text)."""


class GovukModelForm(GovukFormMixin, forms.ModelForm, metaclass=_GovukModelFormMetaclass):  # type: ignore[type-arg]
    """A model form with GOV.UK error messages and date inputs (see the module's text)."""
