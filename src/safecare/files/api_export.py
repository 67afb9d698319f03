"""API of subject access requests (DP-1; decision 0047), registered by files.api.

- /subject-access-requests/: list, read and record, for the managers who see every household
  (fostering manager, head of fostering, head of service). The export's state and dates are
  given, never its bytes: the ZIP is downloaded from the request's page, which logs it.

Same scope as the pages (files.selectors); a record out of scope answers 404, and a service's
refusal 400 with its field keys and messages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, NewestFirstViewSet
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.households.access import households_visible_to
from safecare.households.models import HouseholdMember
from safecare.standards.api import refusals

from . import selectors
from . import services_export as services
from .models import SubjectAccessRequest


class HouseholdFilter(QueryFilter):
    household = id_field("Only those of this household")


class SubjectAccessRequestSerializer(serializers.ModelSerializer[SubjectAccessRequest]):
    due_on = serializers.DateField(source="task.due_on", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SubjectAccessRequest
        fields = [
            "id",
            "household",
            "member",
            "received_on",
            "due_on",
            "recorded_by",
            "recorded_at",
            "status",
            "progress",
            "built_at",
            "expires_at",
            "sent_at",
            "sent_by",
        ]
        read_only_fields = fields


class SubjectAccessRequestInput(serializers.Serializer[Any]):
    household = serializers.IntegerField(min_value=1)
    member = serializers.IntegerField(min_value=1, help_text="The foster carer whose request it is")
    received_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="When the request reached the service"
    )


@extend_schema_view(
    list=extend_schema(summary="DP-1: carers' subject access requests", parameters=[HouseholdFilter]),
    retrieve=extend_schema(
        summary="One subject access request (no file)",
        responses={200: SubjectAccessRequestSerializer, 404: NOT_FOUND},
    ),
)
class SubjectAccessRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = SubjectAccessRequest
    serializer_class = SubjectAccessRequestSerializer
    filter_class = HouseholdFilter

    def scope(self, user: User) -> QuerySet[SubjectAccessRequest]:
        return selectors.subject_access_requests_visible_to(user).select_related("task")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        sar = self.get_object()
        log_view(request, sar, via_api=True)
        return self.render(sar)

    @extend_schema(
        summary="DP-1: record a carer's subject access request: the answer is due one calendar month from "
        "receipt, and the export is built by the job runner",
        request=SubjectAccessRequestInput,
        responses={201: SubjectAccessRequestSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "files.make_export")
        data = self.parse(SubjectAccessRequestInput)
        household = (
            households_visible_to(self.user).filter(pk=data["household"], service=self.service).first()
        )
        if household is None:
            raise NotFound
        member = HouseholdMember.objects.filter(pk=data["member"], household=household).first()
        with refusals():
            sar = services.request_record(
                actor=self.user, household=household, member=member, received_on=data["received_on"]
            )
        return self.render(sar, code=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("subject-access-requests", SubjectAccessRequestViewSet, basename="subject-access-request")
