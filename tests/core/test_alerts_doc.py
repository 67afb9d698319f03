"""docs/alerts.md lists every kind of alert Safecare raises, and nothing else.

The kinds are read from the code itself (each literal `kind=` given to `notify` or to
a helper that passes it on), so an alert added without a row on the page fails here,
and so does a row for an alert that has gone.
"""

from __future__ import annotations

import ast
import pathlib
import re

from safecare.core.notifications import KIND_LABELS

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "alerts.md"
SRC = ROOT / "src" / "safecare"
# Functions that raise an alert of the kind they are given.
RAISERS = {"notify", "tell_carers_of_decision"}


def kinds_raised_in_code() -> set[str]:
    kinds: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in RAISERS:
                continue
            for keyword in node.keywords:
                if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                    kinds.add(str(keyword.value.value))
    return kinds


def documented_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in DOC.read_text().splitlines():
        match = re.match(r"^\| `(\w+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def test_every_alert_raised_is_on_the_page_and_every_row_is_raised() -> None:
    raised = kinds_raised_in_code()
    # The carers' decision alerts on devices: at least these are raised (guards the scan itself).
    assert {"monitor_decided", "device_reviewed", "cctv_decided", "agreement_to_sign"} <= raised
    assert set(documented_rows()) == raised


def test_every_kind_has_the_name_the_alerts_list_shows_and_the_page_uses_it() -> None:
    rows = documented_rows()
    assert set(KIND_LABELS) == set(rows)
    for kind, (shown_as, who, when, rule) in rows.items():
        assert shown_as == KIND_LABELS[kind], kind
        assert who and when and rule, kind
