"""Standards of care pages: meeting (routes in standards.urls_meeting)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safecare.core.models import User
from safecare.standards.models import Meeting


def meeting_context(request: HttpRequest, user: User, meeting: Meeting) -> dict[str, Any]:
    """What this part adds to the meeting's page (standards/_meeting_meeting.html reads it)."""
    return {}
