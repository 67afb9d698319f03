"""docs/events.md lists every case event, every subscriber and every approval check.

The page is read as Markdown tables and held against the live registry
(safecare.core.events): a subscriber or an approval check added without a line
on the page fails here, and so does a line for one that has gone.
"""

from __future__ import annotations

import pathlib
import re

import pytest

# Approval checks of the households app register when households.approval is imported,
# which every caller of approval_problems does: import it so the registry is complete.
import safecare.households.approval  # noqa: F401
from safecare.core.events import Event, approval_checks, subscribers

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "events.md"
SRC = ROOT / "src"

DOTTED = re.compile(r"^`(safecare(?:\.\w+)+)`$")
PATH = re.compile(r"`(safecare/[\w/]+\.py)`\s*([A-Za-z_]\w*)?")
NONE = "none"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def tables(text: str) -> list[list[dict[str, str]]]:
    """Every table on the page, each a list of rows as {column: cell}."""
    found: list[list[dict[str, str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        is_header = lines[i].startswith("|") and i + 1 < len(lines)
        if is_header and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1].strip()):
            header = _cells(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(dict(zip(header, _cells(lines[i]), strict=True)))
                i += 1
            found.append(rows)
        else:
            i += 1
    return found


def table_with(columns: set[str]) -> list[dict[str, str]]:
    """The one table on the page that has these columns."""
    matching = [rows for rows in tables(DOC.read_text(encoding="utf-8")) if rows and columns <= set(rows[0])]
    assert len(matching) == 1, f"docs/events.md: expected one table with the columns {sorted(columns)}"
    return matching[0]


def _name(check: object) -> str:
    return f"{check.__module__}.{check.__qualname__}"  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def documented() -> dict[str, list[str]]:
    """The subscribers the page lists for each event, in the order it lists them."""
    by_event: dict[str, list[str]] = {}
    for row in table_with({"event", "subscriber"}):
        event = row["event"].strip("`")
        listed = by_event.setdefault(event, [])
        cell = row["subscriber"]
        if cell == NONE:
            continue
        match = DOTTED.match(cell)
        assert match, f"docs/events.md: subscriber of {event} is not `safecare.app.module.function`: {cell}"
        listed.append(match.group(1))
    return by_event


def test_every_event_is_listed_with_its_subscribers_or_none(documented):
    live = {event.value for event in Event}
    assert set(documented) == live, (
        f"docs/events.md: events missing {sorted(live - set(documented))}, "
        f"unknown {sorted(set(documented) - live)}"
    )


def test_every_event_says_who_publishes_it():
    listed = {row["event"].strip("`"): row["published by"] for row in table_with({"event", "published by"})}
    assert set(listed) == {event.value for event in Event}
    assert all(PATH.search(cell) for cell in listed.values()), "docs/events.md: name each publisher's module"


@pytest.mark.parametrize("event", list(Event), ids=lambda e: e.value)
def test_subscribers_of_each_event_match_the_registry_in_order(event, documented):
    live = [subscription.name for subscription in subscribers(event)]
    assert documented.get(event.value) == live, (
        f"docs/events.md lists {documented.get(event.value)} for {event.value}; "
        f"the registry runs {live}. Update the page."
    )


def test_every_subscriber_row_says_what_it_does_and_for_which_rule():
    for row in table_with({"event", "subscriber"}):
        if row["subscriber"] != NONE:
            assert row["what it does"], f"docs/events.md: say what {row['subscriber']} does"
            assert re.search(r"\b[A-Z]{2,3}-\d+\b", row["rules"]), (
                f"docs/events.md: name the rule {row['subscriber']} acts for"
            )


def test_approval_checks_match_the_registry():
    listed = []
    for row in table_with({"approval check", "rules"}):
        match = DOTTED.match(row["approval check"])
        assert match, f"docs/events.md: approval check is not `safecare.app.module.function`: {row}"
        listed.append(match.group(1))
        assert re.search(r"\b[A-Z]{2,3}-\d+\b", row["rules"]), f"docs/events.md: name the rule of {row}"
    live = [_name(check) for check in approval_checks()]
    assert sorted(listed) == sorted(live), (
        f"docs/events.md lists approval checks {sorted(listed)}; the registry has {sorted(live)}"
    )
    assert len(listed) == len(set(listed))


def test_every_module_the_page_names_exists():
    text = DOC.read_text(encoding="utf-8")
    for path, name in PATH.findall(text):
        source = SRC / path
        assert source.is_file(), f"docs/events.md names {path}, which does not exist"
        if name:
            defined = re.search(
                rf"^\s*(?:def|class)\s+{name}\b|^\s*{name}\s*(?::[^=\n]*)?=",
                source.read_text(encoding="utf-8"),
                re.MULTILINE,
            )
            assert defined, f"docs/events.md names {name} in {path}, which does not define it"
