"""The link to a young person's internet monitoring page (IM-1 to IM-9), for those who may open it.

Shown on the child's page: always to the full readers (monitoring.selectors.children_in_full);
to the carers and the household's supervising social worker only while an agreement is in
force, as that is all the page holds for them. One query.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef
from django.utils import timezone

from safecare.households.models import Child
from safecare.monitoring.models import Agreement
from safecare.monitoring.selectors import CARING, FULL_READERS, children_cared_for, children_in_full

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open_internet_monitoring(context: Any, child: Child) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or child is None:
        return False
    if user.role in FULL_READERS:
        return children_in_full(user).filter(pk=child.pk).exists()
    if user.role in CARING:
        today = timezone.localdate()
        in_force = Agreement.objects.filter(
            child=OuterRef("pk"), end__isnull=True, starts_on__lte=today, ends_on__gt=today
        )
        return children_cared_for(user, today=today).filter(Exists(in_force), pk=child.pk).exists()
    return False
