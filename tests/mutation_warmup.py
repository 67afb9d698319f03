"""What the mutation run's fork server loads once, before it forks a process per mutant.

`make mutation` (docs/mutation.md) runs each mutant's tests in a fresh process forked
from one server. The server imports this module first, so every mutant's process
starts with pytest, its plugins, the libraries and Django's apps already loaded and
pays only for the test modules and the tests themselves.

Nothing here calls a rule function or keeps a result of one: the calendars, scopes
and verdicts a test uses are still made in the mutant's own process, by the mutated
code. Test modules are not imported here for that reason (tests/core/test_dates.py
builds its calendar when it is imported).
"""

from __future__ import annotations

import importlib
import os

import django

PRELOADED = (
    "_hypothesis_pytestplugin",
    "_pytest.python",
    "dateutil.relativedelta",
    "django.test",
    "factory.django",
    "faker",
    "holidays",
    "hypothesis",
    "pytest",
    "pytest_django.fixtures",
    "pytest_django.plugin",
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecare.config.settings.test")
django.setup()
for name in PRELOADED:
    importlib.import_module(name)
