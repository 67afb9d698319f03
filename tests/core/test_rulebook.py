"""The rules page in Safecare and docs/rules.md say the same of every rule.

The rulebook (safecare.core.rulebook) is what carers and staff read behind a "policy
reference" link; docs/rules.md adds what Safecare does for each rule and where. A rule
changed in one and not the other fails here.
"""

from __future__ import annotations

import pathlib
import re

from safecare.core.rulebook import POLICIES, RULES

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "rules.md"
ROW = re.compile(r"^\| ((?:HH|SC|DV|CX|PH|SOC|IM|DP)-\d+) \| ([^|]+) \|")
HEADING = re.compile(r"^## (.+) \((HH|SC|DV|CX|PH|SOC|IM|DP)\)$")


def test_every_rule_says_on_the_page_what_the_doc_says() -> None:
    said: dict[str, str] = {}
    policies: dict[str, str] = {}
    in_rules = False
    for line in DOC.read_text().splitlines():
        if heading := HEADING.match(line):
            policies[heading.group(2)] = heading.group(1)
            in_rules = True
        elif line.startswith("## "):
            in_rules = False
        elif in_rules and (row := ROW.match(line)):
            said[row.group(1)] = row.group(2).strip()
    assert policies == POLICIES
    assert said == RULES
