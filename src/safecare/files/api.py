"""API of confidential files, under /api/v1/…: documents and reports (api_documents), photos and
loss reports (api_photos), subject access requests (api_export). No file bytes through the API
to carers (PH-1)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import api_documents, api_export, api_photos


def register(router: SimpleRouter) -> None:
    for part in (api_documents, api_photos, api_export):
        part.register(router)
