"""The weekly checks (SC-4, SC-5, SC-7, SC-10, DV-*): the list of checks and each check's table.

Fostering managers, heads of fostering and heads of service run them over the whole service;
a fostering team manager over the households of their team (compliance.run_checks). Anyone
else gets 404. Each check's page lists 50 rows a page and writes one access-log row naming
the records it shows (rules: Everywhere).
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from rules.permissions import permissions as rule_set

from safecare.core.audit import log_list
from safecare.core.models import FosteringService, User

from . import checks
from .scope import SERVICE_ROLES


def _checker(request: HttpRequest) -> tuple[User, FosteringService]:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm("compliance.run_checks") or user.service_id is None:
        raise Http404
    # Read only by the checks that need a setting: the devices and child agreements pages do not.
    service = cast(FosteringService, SimpleLazyObject(lambda: user.service))
    return user, service


def _may_change_settings(user: User) -> bool:
    # The rule itself (households.rules), not every auth backend: no query for a "no".
    return bool(rule_set.test_rule("core.change_service_settings", user))  # type: ignore[no-untyped-call]


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    user, service = _checker(request)
    today = timezone.localdate()
    counts = checks.counts(user, service, today)
    rows = [
        {
            "check": check,
            # None: counted on the check's own page only (the devices).
            "count": counts.get(slug),
            "count_label": check.count_label(counts[slug]) if slug in counts else "",
            "setting_text": check.setting_text(service) if check.setting else "",
        }
        for slug, check in checks.CHECKS.items()
    ]
    context = {
        "rows": rows,
        "today": today,
        "team_only": user.role not in SERVICE_ROLES,
        "may_change_settings": _may_change_settings(user),
    }
    return render(request, "compliance/checks.html", context)


@require_GET
@login_required
def check(request: HttpRequest, check: str) -> HttpResponse:
    user, service = _checker(request)
    today = timezone.localdate()
    found = checks.listing(check, user, service, today)
    if found is None:
        raise Http404
    page = Paginator(found.rows, 50).get_page(request.GET.get("page"))
    log_list(request, found.model, [found.record_id(row) for row in page])
    context = {
        "check": found.check,
        "page_obj": page,
        "rows": [found.present(row) for row in page],
        "partial": f"compliance/_check_{found.check.slug.replace('-', '_')}.html",
        "today": today,
        "querystring": "",
        "setting_text": found.check.setting_text(service) if found.check.setting else "",
        "may_change_settings": _may_change_settings(user),
    }
    return render(request, "compliance/check.html", context)
