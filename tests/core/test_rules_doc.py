"""docs/rules.md lists every rule id the code names, and every module it names exists.

The code names rules in rule_id= arguments, findings, messages and comments.
Each of those ids must have its own row on the page, so a worker who sees one
on a page can look it up. Each row's "where" names modules and the functions in
them; a file that moves or a function renamed without the page fails here.
"""

from __future__ import annotations

import pathlib
import re
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"
SRC = ROOT / "src"

RULE_ID = re.compile(r"\b(?:SC|DV|CX|HH|SOC|IM|PH|DP)-\d+\b")
PATH = re.compile(r"`(safecare/[\w/]+\.py)`")
# In a "where" cell: a module, then the names it defines, separated by commas.
WHERE = re.compile(r"`(safecare/[\w/]+\.py)`([\w, ]*)")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every table on the page: its header and its body rows."""
    found: list[tuple[list[str], list[list[str]]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        is_header = lines[i].startswith("|") and i + 1 < len(lines)
        if is_header and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1].strip()):
            header, rows = _cells(lines[i]), []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            found.append((header, rows))
        else:
            i += 1
    return found


def rule_rows() -> list[list[str]]:
    """The rows of the rule tables: id | rule | what Safecare does | where."""
    return [
        row
        for header, rows in tables(doc_text())
        if header == ["id", "rule", "what Safecare does", "where"]
        for row in rows
    ]


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def documented_ids() -> list[str]:
    """The id of each row of the rule tables."""
    ids = [row[0] for row in rule_rows()]
    assert all(RULE_ID.fullmatch(rule_id) for rule_id in ids), f"docs/rules.md: not a rule id in {ids}"
    return ids


def ids_in_code() -> dict[str, set[str]]:
    """Every rule id the source names, with the files that name it."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted((SRC / "safecare").rglob("*")):
        if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
            continue
        for rule_id in RULE_ID.findall(path.read_text(encoding="utf-8")):
            found[rule_id].add(str(path.relative_to(SRC)))
    return found


def test_every_rule_id_in_the_code_has_a_row():
    listed = set(documented_ids())
    missing = {rule_id: sorted(files) for rule_id, files in ids_in_code().items() if rule_id not in listed}
    assert not missing, f"docs/rules.md has no row for these rule ids the code names: {missing}"


def test_each_rule_has_one_row():
    ids = documented_ids()
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_each_policy_numbers_its_rules_without_gaps():
    numbers: dict[str, list[int]] = defaultdict(list)
    for rule_id in documented_ids():
        prefix, _, number = rule_id.partition("-")
        numbers[prefix].append(int(number))
    for prefix, listed in numbers.items():
        assert sorted(listed) == list(range(1, max(listed) + 1)), f"docs/rules.md: {prefix} rules have gaps"


def test_every_rule_row_says_what_safecare_does_and_where():
    for rule_id, says, does, where in rule_rows():
        assert says and does and where, f"docs/rules.md: the row of {rule_id} has an empty cell"
        if not does.startswith("Not built yet"):
            assert PATH.search(where), f"docs/rules.md: {rule_id} is built: name where"


def test_every_module_the_page_names_exists():
    for path in PATH.findall(doc_text()):
        assert (SRC / path).is_file(), f"docs/rules.md names {path}, which does not exist"


def test_every_name_in_a_where_cell_is_defined_in_its_module():
    for _, rows in tables(doc_text()):
        for row in rows:
            for path, names in WHERE.findall(row[-1]):
                _check_defined(row[0], path, names)


def _check_defined(rule_id: str, path: str, names: str) -> None:
    source = SRC / path
    if not source.is_file():
        return  # reported by test_every_module_the_page_names_exists
    text = source.read_text(encoding="utf-8")
    for name in filter(None, (n.strip() for n in names.split(","))):
        defined = re.search(rf"^\s*(?:def|class)\s+{name}\b|^\s*{name}\s*(?::[^=\n]*)?=", text, re.MULTILINE)
        assert defined, f"docs/rules.md ({rule_id}) names {name} in {path}, which does not define it"


def test_the_page_explains_the_rules_in_its_own_words():
    # Users have this page, not the specification it was drawn from.
    text = doc_text()
    assert "SPEC" not in text
    assert "/shared" not in text


def test_nothing_in_the_project_points_to_a_specification_its_users_do_not_have():
    # Code, pages and docs cite the rules by their id and docs/rules.md by its headings.
    offenders = []
    for folder in ("src", "docs", "tests", "bench"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".md", ".txt"} or not path.is_file():
                continue
            if path == pathlib.Path(__file__).resolve():
                continue  # this test names what it looks for
            text = path.read_text(encoding="utf-8")
            if re.search(r"SPEC §|SPEC\.md|\.\./shared", text):
                offenders.append(str(path.relative_to(ROOT)))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if re.search(r"SPEC §|SPEC\.md|\.\./shared", readme):
        offenders.append("README.md")
    assert not offenders
