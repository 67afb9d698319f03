"""A row's figures as table cells: written once here, as a report of ten years has 600 of them.

Each cell is a number, a link to the duties behind it when there are any, with what it counts
for screen readers ("SC-3: met late"). Every value is escaped (html.escape, quotes included) and
the cells are written as plain strings: a report of ten years has thousands of them, and
format_html for each cost more than the report's SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CLASSES = "govuk-table__cell govuk-table__cell--numeric"


@register.simple_tag
def figures_cells(cells: Iterable[Any], bold: bool = False) -> SafeString:
    return mark_safe(_cells(cells, bold))  # noqa: S308  # every value escaped in _cells


@register.simple_tag
def figures_rows(lines: Iterable[Any]) -> SafeString:
    """Rows of a table: each line's label as the row's header, then its cells (the months of a
    report over ten years are 120 rows)."""
    html = [
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(line.label)}</th>'
        f"{_cells(line.cells, False)}</tr>"
        for line in lines
    ]
    return mark_safe("".join(html))  # noqa: S308  # every value escaped


def _cells(cells: Iterable[Any], bold: bool) -> str:
    classes = f"{_CLASSES} govuk-!-font-weight-bold" if bold else _CLASSES
    html = []
    for cell in cells:
        value = escape(cell.value)
        if not cell.url:
            html.append(f'<td class="{classes}">{value}</td>')
        elif cell.says:
            html.append(
                f'<td class="{classes}"><a class="govuk-link" href="{escape(cell.url)}">{value}'
                f'<span class="govuk-visually-hidden"> ({escape(cell.says)})</span></a></td>'
            )
        else:
            html.append(
                f'<td class="{classes}"><a class="govuk-link" href="{escape(cell.url)}">{value}</a></td>'
            )
    return "".join(html)
