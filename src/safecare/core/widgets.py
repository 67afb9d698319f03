"""Widgets written in Python where Django's templates cost too much.

`ManySelect` is a select of many options (owners, workers: a service has a hundred staff or
more). Django renders each option through a template of its own, about a tenth of a millisecond
an option, so a select of 84 owners took 8 to 10 ms of a dashboard's 45. This one writes the
same markup in Python (tests/core/test_widgets.py compares the two), escaping every value.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: `name="value"`, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        parts.append(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value))
    return "".join(parts)


class ManySelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html: list[str] = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                html.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),  # noqa: S308  # escaped by _attrs
                        option["label"],
                    )
                )
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # noqa: S308  # each part escaped by format_html
