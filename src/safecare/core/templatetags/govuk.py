"""Template tags and filters for GOV.UK Frontend markup.

``{% load govuk %}`` gives:

Filters
    ``govuk_date``          a date or datetime as "Wed 24 Mar 2027".
    ``govuk_widget_kind``   how a bound field is laid out: "input", "textarea",
                            "select", "file", "checkbox", "radios",
                            "checkboxes", "fieldset" or "hidden".
    ``govuk_widget_class``  the govuk-* class(es) for a bound field's widget.
    ``govuk_options``       the options of a radio/checkbox group, each input
                            carrying its govuk-* class.
    ``govuk_error_anchor``  the id the error summary links to for a field.
    ``govuk_label``         the field's label, with " (optional)" once, only when
                            the field is optional.

Tags
    ``{% govuk_widget field %}``     the field's own widget HTML, with govuk-*
                                     classes added (aria-describedby, required
                                     and aria-invalid come from Django).
    ``{% govuk_error_summary_items form as items %}``
                                     [{"text": ..., "href": ...}, ...] for the
                                     error summary.
    ``{% govuk_page_range page_obj as pages %}``
                                     page numbers with None for each gap.
    ``{% govuk_button "Save" %}``    a submit button.

The form templates in ``templates/forms/govuk/`` (used by
``safecare.core.forms_renderer.GovukFormRenderer``) are built on these.
"""

import datetime
import re
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField, BoundWidget
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from safecare.core.forms import OPTIONAL, GovukDateInput, bare_label

register = template.Library()

GOVUK_DATE_FORMAT = "D j M Y"  # Wed 24 Mar 2027


@register.filter(expects_localtime=True)
def govuk_date(value: object) -> object:
    """Format a date (or datetime, in local time) as "Wed 24 Mar 2027".

    Empty values render as an empty string; anything that is not a date is
    returned unchanged.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, GOVUK_DATE_FORMAT)
    if isinstance(value, datetime.date):
        return dateformat.format(value, GOVUK_DATE_FORMAT)
    return value


# --------------------------------------------------------------------------
# Form fields
# --------------------------------------------------------------------------


def _kind(widget: forms.Widget) -> str:
    # Order matters: CheckboxSelectMultiple is a RadioSelect subclass.
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if getattr(widget, "use_fieldset", False):
        # MultiWidget (e.g. SplitDateTimeWidget), SelectDateWidget, ...
        return "fieldset"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def govuk_label(bound_field: BoundField) -> str:
    """The label, saying "(optional)" once, and only on an optional field (a single checkbox
    or a group of checkboxes is left unticked freely, so it never says it; a field a service
    requires, core.forms.needed, is not optional)."""
    label = bare_label(bound_field.label)
    field = bound_field.field
    if field.required or getattr(field, "needed", False) or _kind(field.widget) in ("checkbox", "checkboxes"):
        return label
    return f"{label} {OPTIONAL}"


@register.filter
def govuk_widget_kind(bound_field: BoundField) -> str:
    return _kind(bound_field.field.widget)


def _base_class(widget: forms.Widget) -> str:
    kind = _kind(widget)
    if isinstance(widget, GovukDateInput):
        return "govuk-input"
    if kind == "fieldset":
        if isinstance(widget, forms.SelectDateWidget):
            return "govuk-select"
        subwidgets = getattr(widget, "widgets", [])
        if subwidgets and all(isinstance(w, forms.Select) for w in subwidgets):
            return "govuk-select"
        return "govuk-input govuk-input--width-10"
    return {
        "input": "govuk-input",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "file": "govuk-file-upload",
        "checkbox": "govuk-checkboxes__input",
        "radios": "govuk-radios__input",
        "checkboxes": "govuk-checkboxes__input",
        "hidden": "",
    }[kind]


ERROR_MODIFIERS = ("govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload")


@register.filter
def govuk_widget_class(bound_field: BoundField) -> str:
    """The class attribute for the field's widget: govuk class, the error
    modifier when the field has errors, then any class set on the widget."""
    widget = bound_field.field.widget
    base = _base_class(widget)
    if not base:
        return str(widget.attrs.get("class", ""))
    classes = base.split()
    if bound_field.errors and base in ERROR_MODIFIERS:
        classes.append(f"{base}--error")
    if isinstance(widget, forms.DateInput | forms.TimeInput) and "govuk-input--width" not in (
        widget.attrs.get("class", "")
    ):
        classes.append("govuk-input--width-10")
    if extra := widget.attrs.get("class"):
        classes.extend(c for c in extra.split() if c not in classes)
    return " ".join(classes)


@register.simple_tag
def govuk_widget(bound_field: BoundField) -> SafeString:
    """Render the field's own widget with GOV.UK classes added.

    Django adds ``required``, ``aria-invalid`` and ``aria-describedby``
    ("<id>_helptext <id>_error", the ids used by forms/govuk/field.html);
    for widgets drawn inside a fieldset Django puts aria-describedby on the
    fieldset instead.
    """
    attrs: dict[str, str | bool] = {}
    css_class = govuk_widget_class(bound_field)
    if css_class:
        attrs["class"] = css_class
    return bound_field.as_widget(attrs=attrs)


@register.filter
def govuk_options(bound_field: BoundField) -> list[BoundWidget]:
    """Options of a RadioSelect / CheckboxSelectMultiple, each rendering (via
    ``{{ option.tag }}``) a bare <input> with the govuk-radios__input or
    govuk-checkboxes__input class, ready for a separate <label>."""
    css_class = govuk_widget_class(bound_field)
    options = []
    for option in bound_field.subwidgets:
        data = {**option.data, "attrs": {**option.data["attrs"], "class": css_class}}
        options.append(BoundWidget(option.parent_widget, data, option.renderer))
    return options


@register.filter
def govuk_error_anchor(bound_field: BoundField) -> str:
    """The id of the element an error-summary link should point at: the
    field's input, the first input of a radio/checkbox group, or the day box
    of a date input."""
    if _kind(bound_field.field.widget) in ("radios", "checkboxes"):
        subwidgets = bound_field.subwidgets
        if subwidgets and subwidgets[0].id_for_label:
            return subwidgets[0].id_for_label
    return bound_field.id_for_label or bound_field.auto_id or ""


@register.simple_tag
def govuk_error_summary_items(form: forms.BaseForm | None) -> list[dict[str, str]]:
    """Error-summary entries for a bound form, in page order.

    Non-field errors come first and have no link. Each field error links to the
    field's input (``href``) and reads as on the field when it names the field or
    asks for it ("Enter date of birth", "Date of birth must be a real date",
    decision 0027); a message written to follow the label ("must be the same as or
    after ...") or not naming it (a service's "SC-2: ...") reads "<Label>: <message>".
    """
    if not isinstance(form, forms.BaseForm) or not form.errors:
        return []
    items = [{"text": str(error), "href": ""} for error in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        bound_field = form[name]
        label = bare_label(bound_field.label) or name
        anchor = "" if bound_field.is_hidden else govuk_error_anchor(bound_field)
        href = f"#{anchor}" if anchor else ""
        # A hidden field's message names no field: there is none on the page to name.
        items.extend(
            {"text": str(error) if bound_field.is_hidden else _summary_text(label, str(error)), "href": href}
            for error in form.errors[name]
        )
    return items


RULE_PREFIX = re.compile(r"^[A-Z]{2,3}-\d+: ")  # "SC-3: ", the rule a message quotes


def _summary_text(label: str, error: str) -> str:
    # "Enter date of birth", "Date of birth must be a real date": as on the field. A message
    # written to follow the label ("must be after ...") or not naming it ("SC-2: ...") gets it.
    body = RULE_PREFIX.sub("", error)
    if body.startswith(("Enter ", "Select ", "The answer to ")) or body.lower().startswith(label.lower()):
        return error
    return f"{label}: {error}"


# --------------------------------------------------------------------------
# Pagination and buttons
# --------------------------------------------------------------------------


@register.simple_tag
def govuk_page_range(page_obj: Page[Any], on_each_side: int = 1, on_ends: int = 1) -> list[int | None]:
    """Page numbers around the current page, with None for each gap
    (rendered as an ellipsis item by includes/pagination.html)."""
    paginator = page_obj.paginator
    return [
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]


@register.simple_tag
def govuk_button(
    text: str, variant: str = "", name: str = "", value: str = "", button_type: str = "submit"
) -> SafeString:
    """``{% govuk_button "Save" %}`` or ``{% govuk_button "Delete" variant="warning" %}``.

    variant: "" (primary), "secondary", "warning" or "inverse".
    """
    classes = "govuk-button"
    if variant:
        classes += f" govuk-button--{variant}"
    name_attr = format_html(' name="{}" value="{}"', name, value) if name else ""
    return format_html(
        '<button type="{}" class="{}"{} data-module="govuk-button" '
        'data-prevent-double-click="true">{}</button>',
        button_type,
        classes,
        name_attr,
        text,
    )
