"""The internet monitoring API: assess (registered by monitoring.api)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    """Nothing registered yet."""
