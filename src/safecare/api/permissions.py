"""Action permissions for the API, answered the way the web pages answer them.

Seeing a record is decided by safecare.core.access (the viewsets' querysets);
what a user may do with it is a django-rules permission. A user who may see a
record but not act on it gets 404 for the action too: the API never tells a
caller that something exists which they may not touch (rules: Who sees what).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound


def require_perm(user: Any, perm: str) -> None:
    if not user.has_perm(perm):
        raise NotFound
