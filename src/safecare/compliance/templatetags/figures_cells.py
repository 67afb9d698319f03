"""A row's figures as table cells: written once here, as a report of ten years has 600 of them.

Each cell is a number, a link to the duties behind it when there are any, with what it counts
for screen readers ("SC-3: met late"). Rendered with format_html, so every value is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CLASSES = "govuk-table__cell govuk-table__cell--numeric"


@register.simple_tag
def figures_cells(cells: Iterable[Any], bold: bool = False) -> SafeString:
    classes = f"{_CLASSES} govuk-!-font-weight-bold" if bold else _CLASSES
    html = []
    for cell in cells:
        if not cell.url:
            html.append(format_html('<td class="{}">{}</td>', classes, cell.value))
        elif cell.says:
            html.append(
                format_html(
                    '<td class="{}"><a class="govuk-link" href="{}">{}'
                    '<span class="govuk-visually-hidden"> ({})</span></a></td>',
                    classes,
                    cell.url,
                    cell.value,
                    cell.says,
                )
            )
        else:
            html.append(
                format_html(
                    '<td class="{}"><a class="govuk-link" href="{}">{}</a></td>',
                    classes,
                    cell.url,
                    cell.value,
                )
            )
    return mark_safe("".join(html))  # noqa: S308  # each part is format_html's, escaped
