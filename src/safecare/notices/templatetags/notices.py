"""The panels the household and child pages include: fixed queries, whatever the page holds."""

from __future__ import annotations

from typing import Any

from django import template

from safecare.notices import selectors

register = template.Library()


@register.inclusion_tag("notices/_household_panel_body.html", takes_context=True)
def notices_household_panel(context: template.Context, household: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"panel": selectors.household_panel(user, household), "today": context.get("today")}


@register.inclusion_tag("notices/_child_panel_body.html", takes_context=True)
def notices_child_panel(context: template.Context, child: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"panel": selectors.child_panel(user, child), "today": context.get("today")}
