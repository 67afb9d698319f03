"""The compliance report's choices: the period and what the figures are about (decision 0049).

The form is sent with GET, so a report can be shared as a link. A team or a worker is chosen
from those the reader may count (compliance.scope); a household is typed by its reference
(H-00012) or its name, as the allocation form's household box is (core.typeahead), so the page
never lists every household of the service. One outside the reader's reach answers 404, before
the form is checked: a link never tells anyone that a team, worker or household exists.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.http import Http404, QueryDict

from safecare.core.forms import DATE_HINT, GovukForm
from safecare.core.models import Team, User
from safecare.core.typeahead import name_match
from safecare.core.widgets import ManySelect
from safecare.households.access import households_visible_to

MAX_YEARS = 10
_HOUSEHOLD_REFERENCE = re.compile(r"^\s*(?:[Hh]-?)?0*(\d{1,9})\s*$")


def default_start(today: dt.date) -> dt.date:
    """The day after the same day a year ago: the 12 months to today, both ends included."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February: a year ago there was none
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _date_field(label: str, what: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=DATE_HINT,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"The {what.removeprefix('an ').removeprefix('a ')} must be a real date",
            "incomplete": f"The {what.removeprefix('an ').removeprefix('a ')} must include a %(parts)s",
            "year": f"The {what.removeprefix('an ').removeprefix('a ')} must include a year with 4 numbers, "
            "like 2027",
        },
    )


def household_pk(text: str) -> int | None:
    """The household a reference (H-00012) or a bare id names; None for anything else (a name)."""
    match = _HOUSEHOLD_REFERENCE.match(text)
    return int(match.group(1)) if match else None


def chosen_id(data: QueryDict, name: str) -> int | None:
    """A team's or worker's id as a link gives it; None when not given or not a number."""
    value = (data.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


class ReportForm(GovukForm):
    """The period and the subject. `from` and `to` are keywords in Python: added in __init__."""

    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    worker = forms.TypedChoiceField(
        label="Worker", required=False, coerce=int, empty_value=None, widget=ManySelect
    )
    household = forms.CharField(
        label="Household",
        required=False,
        max_length=200,
        help_text="Type the household's reference, like H-00012, or its name.",
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        user: User,
        reach: str,
        today: dt.date,
        teams: list[Team],
        workers: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self.today = today
        self.fields = {
            "from": _date_field("From", "a start date"),
            "to": _date_field("To", "an end date"),
            **self.fields,
        }
        if reach == "service":
            cast(forms.ChoiceField, self.fields["team"]).choices = [
                ("", "All teams"),
                *[(team.pk, team.name) for team in teams],
            ]
        else:
            del self.fields["team"]
        if reach in ("service", "team"):
            cast(forms.ChoiceField, self.fields["worker"]).choices = [
                ("", "Everyone"),
                *[(worker.pk, worker.display_name) for worker in workers],
            ]
        else:
            del self.fields["worker"]
        self.household_found: int | None = None

    def clean_household(self) -> int | None:
        text = (self.cleaned_data.get("household") or "").strip()
        if not text:
            return None
        pk = household_pk(text)
        if pk is not None:
            return pk  # checked against the reader's reach by the page: 404 outside it
        matches = list(
            households_visible_to(self.user)
            .filter(name_match(("name",), text))
            .values_list("pk", flat=True)[:2]
        )
        if not matches:
            raise forms.ValidationError(
                f"No household you can see matches “{text}”: check the spelling, or type its reference, "
                "like H-00012"
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                f"More than one household matches “{text}”: type more of the name, or its reference, "
                "like H-00012"
            )
        return int(matches[0])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if end is not None and end > self.today:
            self.add_error("to", "Enter an end date that is today or before")
        elif start is not None and end is not None:
            if start > end:
                self.add_error("from", "Enter a start date on or before the end date")
            elif start <= years_before(end, MAX_YEARS):
                self.add_error(
                    "from", f"Enter a start date no more than {MAX_YEARS} years before the end date"
                )
        return data


def check_reach(
    data: QueryDict, *, teams: list[Team], workers: list[User]
) -> tuple[Team | None, User | None]:
    """The team and worker a link names, from those the reader may count; 404 for any other."""
    team = worker = None
    team_id, worker_id = chosen_id(data, "team"), chosen_id(data, "worker")
    if team_id is not None:
        team = next((t for t in teams if t.pk == team_id), None)
        if team is None:
            raise Http404
    if worker_id is not None:
        worker = next((w for w in workers if w.pk == worker_id), None)
        if worker is None:
            raise Http404
    return team, worker
