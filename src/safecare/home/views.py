"""The signed-in person's first page: what each role sees and must do first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safecare.core import selectors
from safecare.core.models import User
from safecare.core.roles import SERVICE_DASHBOARD_ROLES, TEAM_MANAGER_ROLES, Role
from safecare.core.rulebook import POLICIES, RULES
from safecare.households.access import children_visible_to, households_visible_to

from .things_to_do import NOTHING_TO_DO, carer_home


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    context: dict[str, object] = {"today": today}
    role = user.role
    if role == Role.CARER:
        # Her household, the children placed with her and her things to do: read together,
        # in a few queries whatever her history (decision 0059).
        home = carer_home(user, today=today)
        context["household"] = home.household
        context["things_to_do"] = home.things
        context["nothing_to_do"] = NOTHING_TO_DO
        context["placements"] = home.placements
        return render(request, "home/carer.html", context)
    if role in {Role.ASSESSING_SW, Role.SUPERVISING_SW}:
        context["households"] = households_visible_to(user, today=today).order_by("name", "id")[:100]
        context["inbox"] = selectors.task_inbox(user, today=today, limit=10)
        return render(request, "home/household_worker.html", context)
    if role == Role.CHILDS_SW:
        context["children"] = children_visible_to(user, today=today).order_by("last_name", "id")[:100]
        context["inbox"] = selectors.task_inbox(user, today=today, limit=10)
        return render(request, "home/childs_worker.html", context)
    if role in TEAM_MANAGER_ROLES or role in SERVICE_DASHBOARD_ROLES:
        scope = "team" if role in TEAM_MANAGER_ROLES else "service"
        open_tasks = selectors.task_dashboard(user, scope=scope, today=today)
        context["scope"] = scope
        context["overdue"] = list(open_tasks.filter(due_on__lt=today)[:20])
        # Both counts in one aggregate, not one scan of the scope each (decision 0055).
        counts = open_tasks.order_by().aggregate(
            overdue=Count("id", filter=Q(due_on__lt=today)), open=Count("id")
        )
        context["overdue_count"] = counts["overdue"]
        context["open_count"] = counts["open"]
        context["inbox"] = selectors.task_inbox(user, today=today, limit=10)
        return render(request, "home/manager.html", context)
    return render(request, "home/other.html", context)


@require_GET
@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Every rule Safecare follows, in plain words: where a "policy reference" link leads."""
    policies = [
        {
            "letters": letters,
            "name": name,
            "rules": [(rule_id, text) for rule_id, text in RULES.items() if rule_id.split("-")[0] == letters],
        }
        for letters, name in POLICIES.items()
    ]
    response = render(request, "home/rules.html", {"policies": policies})
    # The one page whose subject is the rule ids: carers read them here too (core.carer_words).
    response.shows_rule_ids = True  # type: ignore[attr-defined]
    return response
