"""API of documents shared with carers (PH-1) and carers' reports (PH-2), registered by files.api.

- /shared-documents/ (PH-1): list and read, metadata only (title, kind, household, child, page
  count, when shared, whether withdrawn). Never the file's bytes nor an address of the file:
  carers read documents in the portal only, page by page; staff download them from the page.
  Same scope as the pages (files.selectors.documents_visible_to): carers never see a withdrawn
  document.
- /carer-reports/ (PH-2): list and read, for the household's carers and the staff who see the
  household or the child; a carer sends one (JSON: title, body, household, child; attachments
  are sent from the portal's page, not through the API). A member of staff reading one is
  recorded (ReportRead), as on the page.

A record out of scope answers 404; a service's refusal 400 with its field keys and messages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, NewestFirstViewSet, service_errors
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.households.access import children_visible_to, households_visible_to

from . import selectors
from . import services_documents as services
from .models import CarerReport, SharedDocument


class HouseholdChildFilter(QueryFilter):
    household = id_field("Only those of this household")
    child = id_field("Only those about this child")


# Output ----------------------------------------------------------------------------------------


class SharedDocumentSerializer(serializers.ModelSerializer[SharedDocument]):
    """PH-1: what a shared document is, never its content."""

    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = SharedDocument
        fields = ["id", "title", "kind", "household", "child", "page_count", "shared_at", "withdrawn"]
        read_only_fields = fields

    def get_withdrawn(self, document: SharedDocument) -> bool:
        return document.withdrawn_at is not None


class CarerReportSerializer(serializers.ModelSerializer[CarerReport]):
    """PH-2: a carer's report as sent; its attachments are read in the portal."""

    attachment_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = CarerReport
        fields = ["id", "household", "child", "title", "body", "written_by", "sent_at", "attachment_count"]
        read_only_fields = fields


class CarerReportInput(serializers.Serializer[Any]):
    household = serializers.IntegerField(min_value=1, help_text="Your household")
    child = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="A child placed with you now, if the report is about them",
    )
    title = serializers.CharField(max_length=services.TITLE_MAX, allow_blank=True, required=False, default="")
    body = serializers.CharField(max_length=services.LONG_TEXT, allow_blank=True, required=False, default="")


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="PH-1: documents shared with carers that the caller may see (metadata only)",
        description="Never the file nor its address: carers read documents page by page in the portal; "
        "staff download them from the document's page.",
        parameters=[HouseholdChildFilter],
    ),
    retrieve=extend_schema(
        summary="PH-1: one shared document's metadata (logged in the access log)",
        responses={200: SharedDocumentSerializer, 404: NOT_FOUND},
    ),
)
class SharedDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = SharedDocument
    serializer_class = SharedDocumentSerializer
    filter_class = HouseholdChildFilter

    def scope(self, user: User) -> QuerySet[SharedDocument]:
        return selectors.documents_visible_to(user)

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        if "child" in filters:
            queryset = queryset.filter(child_id=filters["child"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        log_view(request, document, via_api=True)
        return self.render(document)


@extend_schema_view(
    list=extend_schema(
        summary="PH-2: carers' reports the caller may read", parameters=[HouseholdChildFilter]
    ),
    retrieve=extend_schema(
        summary="PH-2: one carer's report (logged; a member of staff's first reading is recorded)",
        responses={200: CarerReportSerializer, 404: NOT_FOUND},
    ),
)
class CarerReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = CarerReport
    serializer_class = CarerReportSerializer
    filter_class = HouseholdChildFilter

    def scope(self, user: User) -> QuerySet[CarerReport]:
        return selectors.reports_visible_to(user).annotate(attachment_count=Count("attachments"))

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        if "child" in filters:
            queryset = queryset.filter(child_id=filters["child"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        log_view(request, report, via_api=True)
        services.report_read(reader=self.user, report=report)
        return self.render(report)

    @extend_schema(
        summary="PH-2: a carer sends a report to the service (their SSW, and for a child the child's "
        "social worker, are told)",
        description="JSON only: title, body, household and, if it is about a child placed with the carer "
        "now, child. No attachments through the API: photos and documents are sent with a report from "
        "the portal's page, where each is checked and cleaned. A sent report is never changed.",
        request=CarerReportInput,
        responses={201: CarerReportSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "files.send_report")
        data = self.parse(CarerReportInput)
        household = households_visible_to(self.user).filter(pk=data.pop("household")).first()
        if household is None:
            raise NotFound
        child_id = data.pop("child")
        child = children_visible_to(self.user).filter(pk=child_id).first() if child_id else None
        if child_id and child is None:
            raise serializers.ValidationError(
                {"child": ["Which child is it about: choose a child who lives with you now, or none"]}
            )
        with service_errors():
            report = services.report_send(actor=self.user, household=household, child=child, **data)
        report.attachment_count = 0  # type: ignore[attr-defined]
        return self.render(report, code=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("shared-documents", SharedDocumentViewSet, basename="shared-document")
    router.register("carer-reports", CarerReportViewSet, basename="carer-report")
