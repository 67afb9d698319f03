"""A long form in steps, one section a page, then "Check your answers" (rules: Everywhere).

The GOV.UK pattern for a long form is one thing per page, then a page to check every
answer before sending. Safecare's long forms keep their one Django form and their one
service call; this module only decides which of the form's sections a page shows:

- Every answer travels with the form: the fields of the other sections go as hidden
  inputs exactly as they were typed, so going forwards, backwards or to "Change" loses
  nothing, and nothing half-finished is stored on the server.
- "Continue" checks the answers of the section on the page and shows only their errors;
  the other sections are checked when they are reached, and all of them on sending.
- "Check your answers" lists every answer with a "Change" button for its section; the
  record is saved only from there. If the form or the service then refuses, the page
  goes back to the first section with an error and shows it; an error about no single
  answer is shown on the check page.
- A POST without a step (an older page, a script) is the whole form, sent as before.

It works without JavaScript: every button is a submit button naming where to go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.forms import BaseForm, BoundField
from django.forms.utils import ErrorDict
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

GO = "go"
STEP = "step"
SAVE = "save"
NEXT = "next"
BACK = "back"
CHANGE = "change-"
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Section:
    heading: str
    hint: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    label: str
    value: str
    field_id: str


@dataclass(frozen=True)
class CheckedSection:
    index: int
    heading: str
    answers: list[Answer]


def _flat_choices(choices: Iterable[Any]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            labels.update(_flat_choices(label))
        else:
            labels[str(value)] = str(label)
    return labels


def _shown(value: Any, choices: dict[str, str]) -> str:
    if value is None or value == "" or value == []:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return format_date(value, "j F Y")
    if isinstance(value, list | tuple):
        shown = [_shown(item, choices) for item in value]
        return ", ".join(item for item in shown if item != NOT_ANSWERED) or NOT_ANSWERED
    text = str(value)
    return choices.get(text, text)


class Steps:
    """Which section of `form` a page shows, from the POST's `go` and `step` (see the module's text)."""

    def __init__(self, form: BaseForm, sections: Sequence[Section], data: Any | None) -> None:
        self.form = form
        self.sections = [s for s in sections if any(name in form.fields for name in s.names)]
        self.count = len(self.sections)
        self.go = (data.get(GO) or SAVE) if data is not None else ""
        try:
            at = int(data.get(STEP, 0)) if data is not None else 0
        except (TypeError, ValueError):
            at = 0
        self.at = min(max(at, 0), self.count)
        self.page = 0

    # Deciding -----------------------------------------------------------------------------

    def ready_to_save(self) -> bool:
        """Whether the whole form is to be saved now; otherwise `page` says what to show."""
        if not self.go:
            return False
        valid = self.form.is_valid()
        if self.go == SAVE:
            if valid:
                return True
            self.after_refusal()
            return False
        if self.go == BACK:
            self.page = max(self.at - 1, 0)
        elif self.go.startswith(CHANGE):
            try:
                self.page = min(max(int(self.go.removeprefix(CHANGE)), 0), self.count - 1)
            except ValueError:
                self.page = self.at
        elif self.at < self.count and self._errors_in(self.at):
            self.page = self.at
            self._keep_errors_of(self.at)
            return False
        else:
            self.page = min(self.at + 1, self.count)
        self._keep_errors_of(None)
        return False

    def after_refusal(self) -> None:
        """Show the first section with an error; errors of no single answer go on the check page."""
        for index in range(self.count):
            if self._errors_in(index):
                self.page = index
                self._keep_errors_of(index)
                return
        self.page = self.count
        self._keep_errors_of(self.count)

    def _names(self, index: int) -> set[str]:
        return set(self.sections[index].names) if index < self.count else set()

    def _errors_in(self, index: int) -> bool:
        return any(name in self.form.errors for name in self._names(index))

    def _keep_errors_of(self, index: int | None) -> None:
        """Only the errors of the page shown: the error summary links every one to a field there."""
        keep = self._names(index) if index is not None else set()
        if index == self.count:
            keep = {"__all__"}
        elif index is not None:
            keep.add("__all__")
        self.form._errors = ErrorDict(  # type: ignore[attr-defined]
            {name: errors for name, errors in self.form.errors.items() if name in keep}
        )

    # Showing ------------------------------------------------------------------------------

    @property
    def checking(self) -> bool:
        return self.page >= self.count

    @property
    def number(self) -> int:
        return self.page + 1

    @property
    def section(self) -> Section | None:
        return None if self.checking else self.sections[self.page]

    @property
    def fields(self) -> list[BoundField]:
        section = self.section
        return [self.form[name] for name in section.names if name in self.form.fields] if section else []

    def carried(self) -> SafeString:
        """Hidden inputs holding every answer not asked on this page, exactly as it was sent."""
        shown = {bf.name for bf in self.fields}
        parts: list[SafeString] = []
        for bound in self.form.visible_fields():
            if bound.name in shown:
                continue
            if self.form.is_bound:
                widget = bound.field.widget
                suffixes = getattr(widget, "widgets_names", None) or [""]
                pairs = [
                    (bound.html_name + suffix, value)
                    for suffix in suffixes
                    for value in self.form.data.getlist(bound.html_name + suffix)  # type: ignore[attr-defined]
                ]
                parts.append(format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs))
            else:
                parts.append(bound.as_hidden())
        parts.append(format_html('<input type="hidden" name="{}" value="{}">', STEP, self.page))
        return SafeString("".join(parts))

    def checked(self) -> list[CheckedSection]:
        """Every answer, by section, as the check page lists them."""
        cleaned = getattr(self.form, "cleaned_data", {})
        result = []
        for index, section in enumerate(self.sections):
            answers = []
            for name in section.names:
                if name not in self.form.fields:
                    continue
                bound = self.form[name]
                value = cleaned[name] if name in cleaned else bound.value()
                choices = _flat_choices(getattr(bound.field, "choices", ()))
                answers.append(Answer(str(bound.label), _shown(value, choices), bound.id_for_label))
            result.append(CheckedSection(index, section.heading, answers))
        return result
