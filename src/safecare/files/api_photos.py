"""API of children's photos and lost devices (PH-3 to PH-6), registered by files.api.

- /photos/ (PH-4, PH-5): list and read a photo's details, never its bytes and no address of
  them: a carer sees photos on the child's page only. Same scope as the pages
  (files.selectors.photos_visible_to): the household's carers while the child is placed with
  them, then only the photos agreed to be kept; staff who see the child or the household.
- /photo-rules/ (PH-3): read the rules recorded for a child (staff who see the child; the
  carers the child is placed with now).
- /loss-reports/ (PH-6): list and read; a carer reports a lost or stolen device or prints,
  with the same rules and alerts as the page.
- /keep-requests/ (PH-5): list and read the requests to keep photos.

Every list is logged (one access-log row) and every read of one record too; a record out of
scope answers 404, a service's refusal 400 with its field keys and messages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, NewestFirstViewSet
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.households.models import Child
from safecare.standards.api import refusals

from . import selectors
from . import services_photos as services
from .models import KeepRequest, LossKind, LossReport, LostThing, Photo, PhotoRules


class ChildFilter(QueryFilter):
    child = id_field("Only those of this child")


# Output ----------------------------------------------------------------------------------------


class PhotoSerializer(serializers.ModelSerializer[Photo]):
    """A photo's details; its image is shown on the child's photos page only."""

    class Meta:
        model = Photo
        fields = [
            "id",
            "child",
            "household",
            "caption",
            "taken_on",
            "width",
            "height",
            "uploaded_by",
            "uploaded_at",
            "rules_confirmed_at",
            "passed_on_at",
            "kept",
        ]
        read_only_fields = fields


class PhotoRulesSerializer(serializers.ModelSerializer[PhotoRules]):
    class Meta:
        model = PhotoRules
        fields = [
            "id",
            "child",
            "wants_no_photos",
            "childs_views",
            "issues_from_child",
            "issues_from_social_worker",
            "issues_from_birth_parents",
            "planning_meeting_on",
            "school_photos",
            "community_photos",
            "permissions_decided_with",
            "recorded_by",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class LossReportSerializer(serializers.ModelSerializer[LossReport]):
    children: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    acknowledged_for = serializers.SerializerMethodField()

    class Meta:
        model = LossReport
        fields = [
            "id",
            "household",
            "what",
            "kind",
            "details",
            "happened_on",
            "children",
            "police_reference",
            "reported_by",
            "reported_at",
            "acknowledged_for",
        ]
        read_only_fields = fields

    def get_acknowledged_for(self, report: LossReport) -> list[int]:
        """The children whose social worker has recorded what they did."""
        return sorted(a.child_id for a in report.acknowledgements.all())


class KeepRequestSerializer(serializers.ModelSerializer[KeepRequest]):
    photos: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = KeepRequest
        fields = [
            "id",
            "household",
            "child",
            "photos",
            "reason",
            "asked_by",
            "asked_at",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


# Input -----------------------------------------------------------------------------------------


class LossReportInput(serializers.Serializer[Any]):
    what = serializers.ChoiceField(choices=LostThing.choices, required=False, default="")
    kind = serializers.ChoiceField(choices=LossKind.choices, required=False, default="")
    happened_on = serializers.DateField(required=False, allow_null=True, default=None)
    children = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Children placed with the household now or before whose images may be on it",
    )
    details = serializers.CharField(
        max_length=services.LONG_TEXT, allow_blank=True, required=False, default=""
    )
    police_reference = serializers.CharField(max_length=60, allow_blank=True, required=False, default="")


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="PH-4, PH-5: photos the caller may see (details only)", parameters=[ChildFilter]
    ),
    retrieve=extend_schema(
        summary="One photo's details (no image)", responses={200: PhotoSerializer, 404: NOT_FOUND}
    ),
)
class PhotoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = Photo
    serializer_class = PhotoSerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[Photo]:
        return selectors.photos_visible_to(user)

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(child_id=filters["child"]) if "child" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        photo = self.get_object()
        log_view(request, photo, via_api=True)
        return self.render(photo)


@extend_schema_view(
    list=extend_schema(
        summary="PH-3: the photo rules of the children the caller sees", parameters=[ChildFilter]
    ),
    retrieve=extend_schema(
        summary="One child's photo rules", responses={200: PhotoRulesSerializer, 404: NOT_FOUND}
    ),
)
class PhotoRulesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = PhotoRules
    serializer_class = PhotoRulesSerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[PhotoRules]:
        return selectors.photo_rules_visible_to(user).select_related("child")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(child_id=filters["child"]) if "child" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        rules = self.get_object()
        log_view(request, rules.child, via_api=True)
        return self.render(rules)


@extend_schema_view(
    list=extend_schema(summary="PH-6: reports of lost or stolen devices or prints the caller may see"),
    retrieve=extend_schema(summary="One loss report", responses={200: LossReportSerializer, 404: NOT_FOUND}),
)
class LossReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = LossReport
    serializer_class = LossReportSerializer

    def scope(self, user: User) -> QuerySet[LossReport]:
        return (
            selectors.loss_reports_visible_to(user)
            .select_related("household")
            .prefetch_related("children", "acknowledgements")
        )

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        log_view(request, report.household, via_api=True)
        return self.render(report)

    @extend_schema(
        summary="PH-6: a carer reports a lost or stolen device or prints; each named child's social worker "
        "gets a task due today and an alert, the household's SSW is told",
        request=LossReportInput,
        responses={201: LossReportSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "files.report_loss")
        data = self.parse(LossReportInput)
        ids = data.pop("children")
        children = list(Child.objects.filter(pk__in=ids, service_id=self.user.service_id))
        # An id that is no child of this service is refused like a child never placed with them.
        known = {c.pk for c in children}
        missing = [Child(pk=pk) for pk in ids if pk not in known]
        with refusals():
            report = services.loss_report_make(actor=self.user, children=[*children, *missing], **data)
        return self.render(report, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="PH-5: requests to keep photos after a child leaves", parameters=[ChildFilter]
    ),
    retrieve=extend_schema(
        summary="One request to keep photos", responses={200: KeepRequestSerializer, 404: NOT_FOUND}
    ),
)
class KeepRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = KeepRequest
    serializer_class = KeepRequestSerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[KeepRequest]:
        return (
            selectors.keep_requests_visible_to(user)
            .filter(service_id=user.service_id)
            .select_related("household")
            .prefetch_related("photos")
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(child_id=filters["child"]) if "child" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        log_view(request, item.household, via_api=True)
        return self.render(item)


def register(router: SimpleRouter) -> None:
    router.register("photos", PhotoViewSet, basename="photo")
    router.register("photo-rules", PhotoRulesViewSet, basename="photo-rules")
    router.register("loss-reports", LossReportViewSet, basename="loss-report")
    router.register("keep-requests", KeepRequestViewSet, basename="keep-request")
