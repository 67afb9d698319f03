"""Standards of care pages: panel (routes in standards.urls_panel)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safecare.core.models import User
from safecare.standards.models import Meeting


def meeting_context(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    """What this part adds to the meeting's page (standards/_meeting_panel.html reads it)."""
    return {}
