"""The standards of care API: report (registered by standards.api)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    """Nothing registered yet."""
