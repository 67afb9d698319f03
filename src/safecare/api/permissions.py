"""Action permissions for the API, answered the way the web pages answer them.

Seeing a record is decided by safecare.core.access (the viewsets' querysets);
what a user may do with it is a django-rules permission. A user who may see a
record but not act on it gets 404 for the action too: the API never tells a
caller that something exists which they may not touch (SPEC §3).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound

from safecare.households.workflow import TRANSITION_PERMISSIONS

STATUS_PERMISSIONS = TRANSITION_PERMISSIONS


def require_perm(user: Any, perm: str) -> None:
    if not user.has_perm(perm):
        raise NotFound


def require_any_perm(user: Any, perms: set[str] | frozenset[str]) -> None:
    if not any(user.has_perm(perm) for perm in perms):
        raise NotFound


def may_change_status_to(user: Any, to_status: str) -> bool:
    perm = STATUS_PERMISSIONS.get(to_status)
    # A status no transition reaches needs no permission of its own: the
    # workflow refuses it with its own reason.
    return perm is None or bool(user.has_perm(perm))
