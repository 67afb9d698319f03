"""API routes of the agreements app: register(router) adds them under /api/v1/."""

from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    pass
