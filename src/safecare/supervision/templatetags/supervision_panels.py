"""The recordings and supervisions panels of the household and child pages.

A fixed number of queries whatever the household holds (counts, never rows),
so the household page's query count stays constant.
"""

from __future__ import annotations

from typing import Any

from django import template

from safecare.core.roles import Role

from .. import selectors

register = template.Library()


@register.inclusion_tag("supervision/_household_panel_body.html", takes_context=True)
def supervision_household_panel(context: template.Context, household: Any) -> dict[str, Any]:
    request = context["request"]
    return {**selectors.household_panel(request.user, household), "request": request}


@register.inclusion_tag("supervision/_child_panel_body.html", takes_context=True)
def supervision_child_panel(context: template.Context, child: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    is_carer = user.role == Role.CARER
    panel: dict[str, Any] = {
        "child": child,
        "is_carer": is_carer,
        # A carer writes only while the child lives with them (the page has the current placement).
        "can_write": is_carer
        and context.get("current") is not None
        and user.has_perm("supervision.add_recording"),
        "request": request,
    }
    if user.has_perm("supervision.mark_recording_read"):
        panel["unread_count"] = selectors.unread(
            selectors.recordings_visible_to(user).filter(child=child)
        ).count()
    return panel
