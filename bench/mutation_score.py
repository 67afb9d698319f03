"""The mutation score of each rule module, from `mutmut results --all true` (docs/mutation.md).

    .venv/bin/mutmut results --all true | python bench/mutation_score.py [--min 95] [MODULE ...]

A module's score is the share of its mutants the tests detect (killed, or made to run
out of time), leaving out the mutants docs/mutation.md lists as equivalent: changes no
test can tell from the original because the behaviour is the same. A listed mutant that
the tests now kill, or that no longer exists, is reported: the list has gone stale.

Exits 1 when a module asked for has no results or scores under the minimum.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

MODULES = (
    "safecare.core.dates",
    "safecare.core.deadlines",
    "safecare.core.access",
    "safecare.households.access",
    "safecare.households.approval",
    "safecare.devices.verdict",
)
DETECTED = {"killed", "timeout", "segfault"}  # segfault: killed at the CPU limit (SIGKILL)
EQUIVALENT_LIST = Path(__file__).resolve().parent.parent / "docs" / "mutation.md"
_RESULT = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+?)\s*$")
_LISTED = re.compile(r"`(safecare\.\S+?__mutmut_\d+)`")


def module_of(mutant: str) -> str:
    """safecare.core.dates.xǁWorkingCalendarǁis_working_day__mutmut_3 -> safecare.core.dates"""
    parts = mutant.split(".")
    for i, part in enumerate(parts):
        if part.startswith(("x_", "xǁ")):
            return ".".join(parts[:i])
    raise ValueError(f"Not a mutant name: {mutant}")


def parse_results(lines: list[str]) -> dict[str, str]:
    results = {}
    for line in lines:
        found = _RESULT.match(line)
        if found:
            results[found["name"]] = found["status"]
    return results


def listed_equivalents(text: str) -> set[str]:
    return set(_LISTED.findall(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES), help="dotted module names")
    parser.add_argument("--min", type=float, default=95.0, help="lowest passing score, in per cent")
    parser.add_argument("--results", type=Path, help="a saved `mutmut results --all true` (default: stdin)")
    args = parser.parse_args(argv)

    lines = (args.results.read_text() if args.results else sys.stdin.read()).splitlines()
    results = parse_results(lines)
    equivalent = listed_equivalents(EQUIVALENT_LIST.read_text())
    failed = False

    print(f"{'module':32} {'mutants':>7} {'equiv.':>6} {'detected':>8} {'missed':>6} {'score':>7}")
    for module in args.modules:
        mine = {name: status for name, status in results.items() if module_of(name) == module}
        if not mine:
            print(f"{module:32} not measured")
            failed = True
            continue
        statuses = Counter(mine.values())
        excused = {name for name in mine if name in equivalent and mine[name] not in DETECTED}
        detected = sum(1 for status in mine.values() if status in DETECTED)
        counted = len(mine) - len(excused)
        missed = counted - detected
        score = 100.0 * detected / counted if counted else 100.0
        low = score < args.min
        failed = failed or low
        print(
            f"{module:32} {len(mine):7} {len(excused):6} {detected:8} {missed:6} {score:6.1f}%"
            + ("  under the minimum" if low else "")
        )
        for name, status in sorted(mine.items()):
            if status not in DETECTED and name not in equivalent:
                print(f"    {status}: {name}")
        for name in sorted(equivalent):
            if module_of(name) != module:
                continue
            if name not in mine:
                print(f"    listed as equivalent but no such mutant (stale list): {name}")
            elif mine[name] in DETECTED:
                print(f"    listed as equivalent but the tests detect it (stale list): {name}")
        other = {status: n for status, n in statuses.items() if status not in DETECTED | {"survived"}}
        if other:
            print(f"    other results: {dict(sorted(other.items()))}")
    print(f"minimum {args.min:.0f}% for every module: {'FAILED' if failed else 'passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
