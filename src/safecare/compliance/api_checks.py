"""API of the weekly checks (SC-4, SC-5, SC-7, SC-10, DV-*): GET /api/v1/compliance/checks/<check>/.

Read only. Each check answers the same rows as its page (compliance.checks), 50 a page, for
fostering managers, heads of fostering and heads of service (the whole service) and fostering
team managers (their team's households); anyone else, and a check that does not exist, 404.
One access-log row per request names the records returned (rules: Everywhere).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.views import NOT_FOUND
from safecare.core.audit import log_list
from safecare.core.models import User

from . import checks

CHECK_PAGE = inline_serializer(
    "ComplianceCheckPage",
    {
        "check": serializers.CharField(help_text="The check's slug"),
        "title": serializers.CharField(),
        "rule_ids": serializers.CharField(),
        "setting": serializers.CharField(help_text="The service setting the check reads, as it stands"),
        "count": serializers.IntegerField(help_text="Rows listed in all"),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": serializers.ListField(child=serializers.DictField()),
    },
)


class ChecksPagination(PageNumberPagination):
    page_size = 50


class ComplianceCheckViewSet(viewsets.ViewSet):
    lookup_field = "check"
    lookup_url_kwarg = "check"
    lookup_value_regex = r"[a-z][a-z-]*"

    @extend_schema(
        summary="One weekly check: the rows it lists today, 50 a page",
        parameters=[
            OpenApiParameter(
                "check",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(checks.CHECKS),
                description="Which check",
            )
        ],
        responses={200: CHECK_PAGE, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, check: str | None = None) -> Response:
        user: User = request.user  # type: ignore[assignment]
        if not user.has_perm("compliance.run_checks") or user.service is None:
            raise NotFound
        service = user.service
        found = checks.listing(check or "", user, service, timezone.localdate())
        if found is None:
            raise NotFound
        paginator = ChecksPagination()
        page: list[Any] = paginator.paginate_queryset(found.rows, request, view=self) or []
        log_list(request, found.model, [found.record_id(row) for row in page], via_api=True)
        count = paginator.page.paginator.count if paginator.page is not None else 0
        return Response(
            {
                "check": found.check.slug,
                "title": found.check.title,
                "rule_ids": found.check.rule_ids,
                "setting": found.check.setting_text(service) if found.check.setting else "",
                "count": count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": [found.present(row) for row in page],
            }
        )


def register(router: SimpleRouter) -> None:
    router.register("compliance/checks", ComplianceCheckViewSet, basename="compliance-check")
