"""No child's or carer's name in the logs of the whole test suite (decision 0053, docs/operations.md).

Every test process (each xdist worker, or the one process) writes every log record it makes
to a file of its own: the `safecare` and `django` loggers from DEBUG, any other from WARNING.
When the session ends, the process that started it reads every file for the first and last
names of the demo service's children, carers and carers' children (safecare.demo's
seed_demo) and of the test world's (tests/conftest.py, make_world), and fails the run,
naming the record, if one appears. The names are read from those two files, so a name added
there is looked for the next run.

Two loggers are left at INFO: `django.db.backends`, whose DEBUG lines are the SQL of each
query with its values (the database's contents, logged only with DEBUG on, never in
production), and `django.template`, whose DEBUG lines name template variables, never values.

Wired by tests/conftest.py (its pytest_configure and pytest_sessionfinish).
"""

from __future__ import annotations

import ast
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

DIRECTORY_VARIABLE = "SAFECARE_TEST_LOG_SCAN_DIR"
_QUIET = ("django.db.backends", "django.template")
_CREATORS = {"child_create", "member_add", "ChildFactory", "MemberFactory"}
_REPOSITORY = Path(__file__).resolve().parent.parent
_SOURCES = [
    _REPOSITORY / "src/safecare/demo/management/commands/seed_demo.py",
    _REPOSITORY / "tests/conftest.py",
]


class _Everything(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("safecare", "django")):
            return True
        return record.levelno >= logging.WARNING


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", "\\n")


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def start(config: pytest.Config) -> None:
    """pytest_configure: every process logs to a file of its own, in one folder for the run."""
    if _is_controller(config) and DIRECTORY_VARIABLE not in os.environ:
        os.environ[DIRECTORY_VARIABLE] = tempfile.mkdtemp(prefix="safecare-log-scan-")
        config._safecare_log_scan_owner = True  # type: ignore[attr-defined]
    folder = Path(os.environ[DIRECTORY_VARIABLE])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    handler = logging.FileHandler(folder / f"{worker}.log", encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.addFilter(_Everything())
    handler.setFormatter(_OneLine("%(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger("safecare").setLevel(logging.DEBUG)
    logging.getLogger("django").setLevel(logging.DEBUG)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.INFO)


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _strings(nodes: list[ast.expr]) -> list[str]:
    return [node.value for node in nodes if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def names_in(source: Path) -> set[str]:
    """The first and last names a file gives children and household members.

    Keyword arguments first_name= and last_name= of child_create, member_add, ChildFactory
    and MemberFactory; `carer=(first, last, ...)`; and the rows of a `for first, last, ...`
    loop.
    """
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ("first_name", "last_name") and _name_of(node.func) in _CREATORS:
                    names.update(_strings([keyword.value]))
                if keyword.arg == "carer" and isinstance(keyword.value, ast.Tuple):
                    names.update(_strings(keyword.value.elts[:2]))
        if isinstance(node, ast.For) and isinstance(node.target, ast.Tuple):
            targets = [_name_of(element) for element in node.target.elts[:2]]
            if targets == ["first", "last"] and isinstance(node.iter, ast.List):
                for row in node.iter.elts:
                    if isinstance(row, ast.Tuple):
                        names.update(_strings(row.elts[:2]))
    return names


def watched_names() -> set[str]:
    from safecare.core.roles import Role
    from safecare.demo.management.commands.seed_demo import DEMO_USERS

    names = {part for _u, first, last, role, _t in DEMO_USERS if role == Role.CARER for part in (first, last)}
    for source in _SOURCES:
        names |= names_in(source)
    return names


def finish(session: pytest.Session) -> None:
    """pytest_sessionfinish: the starting process reads every process's file."""
    config = session.config
    if not getattr(config, "_safecare_log_scan_owner", False):
        return
    folder = Path(os.environ.pop(DIRECTORY_VARIABLE))
    for handler in list(logging.getLogger().handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename).parent == folder:
            handler.close()
            logging.getLogger().removeHandler(handler)
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, watched_names()))) + r")\b")
    found: list[str] = []
    for path in sorted(folder.glob("*.log")):
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                match = pattern.search(line)
                if match:
                    found.append(f"{match.group(1)!r} in {path.name}:{number}: {line.rstrip()[:300]}")
    shutil.rmtree(folder, ignore_errors=True)
    if found:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
        write = reporter.write_line if reporter is not None else print
        write(f"A child's or carer's name was logged ({len(found)} records):", red=True)
        for entry in found[:50]:
            write("  " + entry)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
