"""Households with a dated status history, and a clock stopped on a named day.

Every date here is written out: the tests check the rules against days a person
can count on a calendar, never against dates the code under test works out.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import time_machine

from safecare.households.models import Child, Household, HouseholdStatus, HouseholdStatusChange
from tests.conftest import World
from tests.factories import AllocationFactory, ChildFactory, HouseholdFactory


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    """Stop the clock at noon on `day` (London time is UTC in winter, UTC+1 in summer)."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 11, 0, tzinfo=dt.UTC), tick=False):
        yield


def approved_household(
    world: World,
    approved_on: dt.date,
    *,
    recorded: bool = True,
    name: str = "Khan household",
    **fields: object,
) -> Household:
    """An approved household of North Fostering supervised by sam, with no child placed.

    recorded: its approval is a row of its status history, as when it was approved
    here; without, only `approved_on` says when (a household approved before its
    history was kept here).
    """
    household = HouseholdFactory(
        service=world.service,
        team=world.fostering_team,
        name=name,
        status=HouseholdStatus.APPROVED,
        approved_on=approved_on,
        **fields,
    )
    AllocationFactory(worker=world.sam, kind="supervising", household=household)
    if recorded:
        HouseholdStatusChange.objects.create(
            household=household,
            from_status=HouseholdStatus.IN_ASSESSMENT,
            to_status=HouseholdStatus.APPROVED,
            changed_by=world.frank,
            effective_on=approved_on,
            reason="Panel and ADM decision",
        )
    return household


def child_of_chris(world: World, born: dt.date = dt.date(2016, 4, 9), **fields: object) -> Child:
    """A child of North Fostering, not placed anywhere, whose social worker is chris."""
    child = ChildFactory(service=world.service, team=world.children_team, date_of_birth=born, **fields)
    AllocationFactory(worker=world.chris, kind="childs", child=child)
    return child


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text, tags stripped, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def error_summary(response) -> str:  # type: ignore[no-untyped-def]
    content = response.content.decode()
    start = content.find('class="govuk-error-summary"')
    assert start != -1, "no error summary on the page"
    end = content.find("</ul>", start)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content[start:end])))


def is_checked(response, name: str, value: str = "on") -> bool:  # type: ignore[no-untyped-def]
    """Whether the page shows the radio or checkbox `name` with `value` ticked."""
    for tag in re.findall(r"<input[^>]*>", response.content.decode()):
        if f'name="{name}"' in tag and (value == "on" or f'value="{value}"' in tag):
            return bool(re.search(r"\schecked[\s>]", tag))
    raise AssertionError(f"no input {name}={value} on the page")


def date_boxes(name: str, day: str, month: str, year: str) -> dict[str, str]:
    """What the GOV.UK date input posts: a day, a month and a year box."""
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def shows_date(response, name: str, day: str, month: str, year: str) -> bool:  # type: ignore[no-untyped-def]
    """The date input shows back what was typed in each box."""
    content = response.content.decode()
    return all(
        f'name="{name}_{part}" value="{value}"' in content
        for part, value in (("day", day), ("month", month), ("year", year))
    )
