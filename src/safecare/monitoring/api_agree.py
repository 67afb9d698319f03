"""API of the internet monitoring agreement and its reviews (IM-7 to IM-9), registered by monitoring.api.

- /im-agreements/ (IM-7, IM-8): list and read; the young person's social worker records one
  (never changed: a change or a continuation is a new agreement, which replaces the one in
  force). The full readers (the young person's social worker, the children's team manager of
  their team, the service managers) read every agreement in full, with its end. The carers
  of the household the young person lives with read the agreement in force, in the parts
  they act on only; that household's supervising social worker reads that it exists and
  its end date.
- /im-reviews/ (IM-9): list and read, for the full readers; the social worker records one.

Same scopes as the pages (monitoring.selectors); a record out of scope answers 404, and a
service's refusal 400 with its field keys and messages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
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
from safecare.core.roles import Role
from safecare.standards.api import refusals

from . import selectors
from . import services_agree as services
from .models import Agreement, Review, ReviewOutcome, Signatory

LONG_TEXT = services.LONG_TEXT
# The `view` each reader gets (safecare.api.schema's discriminator): one value per schema of oneOf.
FULL = "full"
CARER = "carer"
EXISTS = "exists"


def _text(max_length: int = LONG_TEXT) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, allow_blank=True, required=False, default="")


def _date() -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, default=None)


class ChildFilter(QueryFilter):
    child = id_field("Only those about this young person")


class AgreementFilter(QueryFilter):
    agreement = id_field("Only those of this agreement")


# Output ----------------------------------------------------------------------------------------


class ImAgreementSerializer(serializers.ModelSerializer[Agreement]):
    """The agreement in full: the young person's social worker and managers."""

    view = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True)
    ended_on = serializers.DateField(source="end.ended_on", read_only=True, allow_null=True, default=None)
    end_reason = serializers.CharField(source="end.reason", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Agreement
        fields = [
            "view",
            "id",
            "reference",
            "child",
            "decision",
            "replaces",
            "starts_on",
            "ends_on",
            "what",
            "how",
            "by_whom",
            "who_sees",
            "action_plan",
            "signatory",
            "gillick_assessed_on",
            "gillick_assessment",
            "signed_by_name",
            "relationship",
            "signed_on",
            "recorded_by",
            "recorded_at",
            "ended_on",
            "end_reason",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [FULL]})
    def get_view(self, agreement: Agreement) -> str:
        return FULL


class ImAgreementForCarersSerializer(serializers.ModelSerializer[Agreement]):
    """The agreement in force, in the parts the carers act on: never who signed it or why."""

    view = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "view",
            "id",
            "child",
            "starts_on",
            "ends_on",
            "what",
            "how",
            "by_whom",
            "who_sees",
            "action_plan",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [CARER]})
    def get_view(self, agreement: Agreement) -> str:
        return CARER


class ImAgreementExistsSerializer(serializers.ModelSerializer[Agreement]):
    """That an agreement is in force, and its end date: the household's supervising social worker."""

    view = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["view", "id", "child", "ends_on"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [EXISTS]})
    def get_view(self, agreement: Agreement) -> str:
        return EXISTS


AGREEMENT_ANSWER = PolymorphicProxySerializer(
    component_name="ImAgreementForRole",
    serializers={
        FULL: ImAgreementSerializer,
        CARER: ImAgreementForCarersSerializer,
        EXISTS: ImAgreementExistsSerializer,
    },
    resource_type_field_name="view",
)


class ImReviewSerializer(serializers.ModelSerializer[Review]):
    class Meta:
        model = Review
        fields = [
            "id",
            "agreement",
            "held_on",
            "young_person_took_part",
            "family",
            "others",
            "outcome",
            "notes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


# Input -----------------------------------------------------------------------------------------


class ImAgreementInput(serializers.Serializer[Any]):
    child = serializers.IntegerField(min_value=1, help_text="The young person")
    decision = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="IM-5: the decision to monitor"
    )
    starts_on = _date()
    ends_on = _date()
    what = _text()
    how = _text()
    by_whom = _text()
    who_sees = _text()
    action_plan = _text()
    signatory = serializers.ChoiceField(
        choices=Signatory.choices,
        required=False,
        default="",
        help_text="IM-7: never the local authority as corporate parent (refused)",
    )
    signed_on = _date()
    gillick_assessed_on = _date()
    gillick_assessment = _text()
    signed_by_name = _text(200)
    relationship = _text(120)


class ImReviewInput(serializers.Serializer[Any]):
    agreement = serializers.IntegerField(min_value=1)
    held_on = _date()
    young_person_took_part = serializers.BooleanField(required=False, allow_null=True, default=None)
    family = _text()
    others = _text()
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices, required=False, default="")
    notes = _text()


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="IM-7, IM-8: monitoring agreements the caller may read (carers: the one in force, "
        "the parts they act on; the household's SSW: that it exists and its end date)",
        parameters=[ChildFilter],
        responses=AGREEMENT_ANSWER,
    ),
    retrieve=extend_schema(
        summary="One monitoring agreement, as the caller may read it",
        responses={200: AGREEMENT_ANSWER, 404: NOT_FOUND},
    ),
)
class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = Agreement
    serializer_class = ImAgreementSerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[Agreement]:
        agreements = selectors.agreements_visible_to(user).select_related("child", "end")
        if selectors.sees_agreement_in_full(user):
            return agreements
        # The carers and the household's SSW: the agreement in force today only.
        return agreements.filter(end__isnull=True, starts_on__lte=self.today, ends_on__gt=self.today)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if getattr(self, "swagger_fake_view", False) or selectors.sees_agreement_in_full(self.user):
            return ImAgreementSerializer
        if self.user.role == Role.CARER:
            return ImAgreementForCarersSerializer
        return ImAgreementExistsSerializer

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "child" in filters:
            queryset = queryset.filter(child_id=filters["child"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        agreement = self.get_object()
        log_view(request, agreement.child, via_api=True)
        return self.render(agreement)

    @extend_schema(
        summary="IM-7, IM-8: the young person's social worker records the signed, time-limited agreement "
        "(it replaces an agreement in force that it overlaps)",
        request=ImAgreementInput,
        responses={201: ImAgreementSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.record_agreement")
        data = self.parse(ImAgreementInput)
        child = selectors.children_in_full(self.user).filter(pk=data.pop("child")).first()
        if child is None:
            raise NotFound
        decision_id = data.pop("decision")
        decision = (
            selectors.decisions_visible_to(self.user).filter(pk=decision_id).first() if decision_id else None
        )
        with refusals():
            agreement = services.agreement_record(actor=self.user, child=child, decision=decision, **data)
        return self.render(agreement, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="IM-9: reviews of monitoring agreements", parameters=[AgreementFilter]),
    retrieve=extend_schema(summary="One review", responses={200: ImReviewSerializer, 404: NOT_FOUND}),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = Review
    serializer_class = ImReviewSerializer
    filter_class = AgreementFilter

    def scope(self, user: User) -> QuerySet[Review]:
        return selectors.reviews_visible_to(user).select_related("agreement__child")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "agreement" in filters:
            queryset = queryset.filter(agreement_id=filters["agreement"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        log_view(request, review.agreement.child, via_api=True)
        return self.render(review)

    @extend_schema(
        summary="IM-9: the young person's social worker records a review: continue, change (a new agreement "
        "is needed) or stop (monitoring ends now)",
        request=ImReviewInput,
        responses={201: ImReviewSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.review")
        data = self.parse(ImReviewInput)
        agreement = (
            selectors.agreements_visible_to(self.user)
            .filter(pk=data.pop("agreement"))
            .select_related("child")
            .first()
        )
        if agreement is None or not selectors.sees_agreement_in_full(self.user):
            raise NotFound
        with refusals():
            review = services.review_record(actor=self.user, agreement=agreement, **data)
        return self.render(review, code=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("im-agreements", AgreementViewSet, basename="im-agreement")
    router.register("im-reviews", ReviewViewSet, basename="im-review")
