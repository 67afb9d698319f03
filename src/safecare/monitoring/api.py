"""API of the internet monitoring procedure (IM-1 to IM-9), under /api/v1/im-…/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import api_agree, api_assess


def register(router: SimpleRouter) -> None:
    for part in (api_assess, api_agree):
        part.register(router)
