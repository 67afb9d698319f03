"""Navigation for the signed-in user's role."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .access import sees_case_content
from .models import Notification
from .roles import SERVICE_DASHBOARD_ROLES, TEAM_MANAGER_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def unread_alerts(user: object) -> int:
    """Counted with the user's own row when the session loaded it (core.auth_backends); else one
    indexed count (partial index of unread alerts by recipient)."""
    counted = getattr(user, "unread_alerts", None)
    if counted is not None:
        return int(counted)
    return Notification.objects.filter(recipient_id=getattr(user, "pk", None), read_at__isnull=True).count()


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    base: dict[str, object] = {"today": timezone.localdate()}
    if not user.is_authenticated or not getattr(user, "service_id", None):
        return base
    if user.requires_two_factor() and not user.two_factor_verified():
        return base
    items: list[tuple[str, str]] = [("Home", reverse("home"))]
    unread = unread_alerts(user)
    items.append((f"Alerts ({unread})" if unread else "Alerts", reverse("notifications:list")))
    role = user.role
    if role == Role.CARER:
        items.append(("My tasks", reverse("tasks:mine")))
    elif sees_case_content(user):
        items.append(("My tasks", reverse("tasks:mine")))
        if role in TEAM_MANAGER_ROLES:
            items.append(("Team tasks", reverse("tasks:team")))
        if role in SERVICE_DASHBOARD_ROLES:
            items.append(("Service tasks", reverse("tasks:service")))
        items.append(("Households", reverse("households:list")))
        items.append(("Children", reverse("households:child_list")))
        if user.has_perm("compliance.view_report"):
            items.append(("Compliance", reverse("compliance:report")))
    if user.has_perm("core.manage_people"):
        items.append(("People and teams", reverse("people:users")))
    if user.has_perm("core.change_service_settings"):
        items.append(("Service settings", reverse("settings:edit")))
    path = request.path
    return {
        **base,
        "nav_items": [
            NavItem(label, url, path == url if url == "/" else path.startswith(url)) for label, url in items
        ],
    }
