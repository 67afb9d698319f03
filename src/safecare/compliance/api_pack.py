"""API of inspection packs, at /api/v1/compliance/packs/ (registered by `register(router)`).

- List, read and ask for a pack, for the service-wide readers (compliance.make_pack:
  fostering managers, heads of fostering, heads of service), their own service's packs only.
- The pack's state, progress and dates are given, never its bytes: the PDF is downloaded from
  the pack's page, which logs it.

A pack out of scope answers 404, and the service's refusal 400 with its field keys and messages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, NewestFirstViewSet
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.standards.api import refusals

from . import services_pack as services
from .models import InspectionPack


class InspectionPackSerializer(serializers.ModelSerializer[InspectionPack]):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = InspectionPack
        fields = [
            "id",
            "reference",
            "period_start",
            "period_end",
            "purpose",
            "requested_by",
            "requested_at",
            "status",
            "progress",
            "step",
            "built_at",
            "expires_at",
        ]
        read_only_fields = fields


class InspectionPackInput(serializers.Serializer[Any]):
    start = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="First day covered"
    )
    end = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Last day covered: today or before"
    )
    purpose = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text='What the pack is for, e.g. "Ofsted inspection" or "Regulation 35 review"',
    )


@extend_schema_view(
    list=extend_schema(summary="Inspection packs of the caller's service"),
    retrieve=extend_schema(
        summary="One inspection pack (no file)",
        responses={200: InspectionPackSerializer, 404: NOT_FOUND},
    ),
)
class InspectionPackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = InspectionPack
    serializer_class = InspectionPackSerializer

    def scope(self, user: User) -> QuerySet[InspectionPack]:
        return services.packs_visible_to(user)  # type: ignore[no-any-return]

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        pack = self.get_object()
        log_view(request, pack, via_api=True)
        return self.render(pack)

    @extend_schema(
        summary="Ask for an inspection pack of the service for a period: the job runner builds it",
        request=InspectionPackInput,
        responses={201: InspectionPackSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "compliance.make_pack")
        data = self.parse(InspectionPackInput)
        with refusals():
            pack = services.request_pack(
                actor=self.user, start=data["start"], end=data["end"], purpose=data["purpose"]
            )
        return self.render(pack, code=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("compliance/packs", InspectionPackViewSet, basename="inspection-pack")
