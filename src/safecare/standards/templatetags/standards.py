"""The standards of care panel of the household pages: a link, never the records themselves.

Shown only to those who may read or record the procedure's records (SOC-1 to SOC-5): the
household's side reads them, a child's social worker may only record a concern, and a
carer reads the visits about her household. A fixed number of queries: counts, never rows.
"""

from __future__ import annotations

from typing import Any

from django import template

from safecare.core.roles import Role

from .. import selectors
from ..models import Concern

register = template.Library()


@register.inclusion_tag("standards/_household_panel_body.html", takes_context=True)
def standards_household_panel(context: template.Context, household: Any) -> dict[str, Any]:
    user = context["request"].user
    panel: dict[str, Any] = {"household": household, "show": False}
    if user.role == Role.CARER:
        visits = selectors.visits_visible_to(user).filter(household=household).count()
        panel.update(show=bool(visits), is_carer=True, visits=visits)
        return {"panel": panel}
    reads = user.role in selectors.SOC_READERS
    panel.update(
        show=reads or user.has_perm("standards.record_concern"),
        reads=reads,
        may_record=user.has_perm("standards.record_concern"),
    )
    if reads:
        panel["unrouted"] = Concern.objects.filter(household=household).unrouted().count()
    return {"panel": panel}
