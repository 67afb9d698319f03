"""The signatures of a standards of care visit record on its page (SOC-4).

An inclusion tag, so the visit's page shows the signatures in the order they were made, each
intact or broken (core.signatures.check_signatures), and what this reader may do: the SSW
signs and shares, a carer signs once it is shared, the household's side prints it.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("standards/visit_signatures.html", takes_context=True)
def visit_signatures_panel(context: template.Context, visit: Any) -> dict[str, Any]:
    from ..views_visit import visit_record_context

    return visit_record_context(context["request"].user, visit)
