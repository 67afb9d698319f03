"""Fixtures of the internet monitoring tests (IM-1 to IM-9)."""

from __future__ import annotations

# The clock stopped at 10:00 London time on a day a test names (the weekday is checked).
from tests.standards.conftest import today  # noqa: F401
