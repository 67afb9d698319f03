"""API of carers' notices, care arrangements and children's risk (SC-6, SC-8, SC-9, SC-11, SC-12).

Same scopes and permissions as the pages (notices.selectors, notices.rules):
out of scope or not allowed answers 404; writes go through notices.services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, flag_field, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, NewestFirstViewSet, service_errors
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.households.access import households_visible_to
from safecare.households.models import Child, Household

from . import selectors, services
from .models import (
    CareArrangement,
    ChangeKind,
    ChangeNotice,
    ChildRiskFlag,
    ImmediateKind,
    ImmediateNotice,
    RiskAssessment,
    RiskLevel,
    breach_q,
)

# Output ----------------------------------------------------------------------------------------


class ChangeNoticeSerializer(serializers.ModelSerializer[ChangeNotice]):
    reference = serializers.CharField(read_only=True)
    rule_id = serializers.CharField(read_only=True)
    task_reference = serializers.SerializerMethodField()

    class Meta:
        model = ChangeNotice
        fields = [
            "id", "reference", "rule_id", "household", "kind", "happened_on", "details",
            "reported_by", "reported_at", "task_reference", "reviewed_by", "reviewed_at", "review_note",
        ]  # fmt: skip
        read_only_fields = fields

    def get_task_reference(self, obj: ChangeNotice) -> str | None:
        return obj.task.reference if obj.task_id and obj.task else None


class ImmediateNoticeSerializer(serializers.ModelSerializer[ImmediateNotice]):
    reference = serializers.CharField(read_only=True)
    rule_id = serializers.CharField(read_only=True)
    children: serializers.PrimaryKeyRelatedField[Child] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = ImmediateNotice
        fields = [
            "id", "reference", "rule_id", "household", "kind", "details", "children", "reported_by",
            "reported_at", "acknowledged_by", "acknowledged_at", "response_note",
        ]  # fmt: skip
        read_only_fields = fields


class CareArrangementSerializer(serializers.ModelSerializer[CareArrangement]):
    reference = serializers.CharField(read_only=True)
    breach = serializers.SerializerMethodField(
        help_text="SC-12: over 24 hours (counted with the arrangements with the same person it follows "
        "within 24 hours) and begun without consent given before"
    )

    class Meta:
        model = CareArrangement
        fields = [
            "id", "reference", "household", "child", "carer_name", "relationship", "starts_at", "ends_at",
            "long_stay", "counted_from", "reason", "requested_by", "requested_at", "status", "decided_by",
            "decided_at", "decision_note", "breach",
        ]  # fmt: skip
        read_only_fields = fields

    def get_breach(self, obj: CareArrangement) -> bool:
        return obj.is_breach()


class RiskAssessmentSerializer(serializers.ModelSerializer[RiskAssessment]):
    class Meta:
        model = RiskAssessment
        fields = ["id", "child", "placement", "completed_on", "summary", "completed_by", "recorded_at"]
        read_only_fields = fields


class RiskFlagSerializer(serializers.ModelSerializer[ChildRiskFlag]):
    class Meta:
        model = ChildRiskFlag
        fields = ["child", "level", "reason", "set_by", "set_at"]
        read_only_fields = fields


# Input -----------------------------------------------------------------------------------------


class ChangeNoticeInput(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    happened_on = serializers.DateField()
    details = serializers.CharField()


class ImmediateNoticeInput(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ImmediateKind.choices)
    details = serializers.CharField()
    children = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class CareArrangementInput(serializers.Serializer[Any]):
    household = serializers.IntegerField()
    child = serializers.IntegerField()
    carer_name = serializers.CharField(max_length=160)
    relationship = serializers.CharField(max_length=120)
    starts_at = serializers.DateTimeField(help_text="With a UTC offset; without one, London time")
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()


class NoteInput(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredNoteInput(serializers.Serializer[Any]):
    note = serializers.CharField()


class DecisionInput(serializers.Serializer[Any]):
    consent = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RiskFlagInput(serializers.Serializer[Any]):
    child = serializers.IntegerField()
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RiskAssessmentInput(serializers.Serializer[Any]):
    child = serializers.IntegerField()
    completed_on = serializers.DateField()
    summary = serializers.CharField()


class ChildFilter(QueryFilter):
    child = id_field("Only this child's records")


class ArrangementFilter(QueryFilter):
    breach = flag_field("true: only arrangements over 24 hours begun without consent (SC-12); false: all")


# Helpers ---------------------------------------------------------------------------------------


def _own_household(user: User, pk: int) -> Household:
    household = households_visible_to(user).filter(pk=pk).select_related("service").first()
    if household is None:
        raise NotFound
    return household


def _placed_children(household: Household, ids: list[int]) -> list[Child]:
    children = list(Child.objects.filter(service_id=household.service_id, pk__in=ids))
    if len(children) != len(set(ids)):
        raise serializers.ValidationError(
            {"children": ["Children: choose only children living with you now"]}
        )
    return children


# Change notices (SC-6) -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="SC-6 change notices the caller may see"),
    retrieve=extend_schema(
        summary="One SC-6 change notice", responses={200: ChangeNoticeSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="SC-6: a carer tells the service of a change in their household",
        request=ChangeNoticeInput,
        responses={201: ChangeNoticeSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class ChangeNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = ChangeNotice
    serializer_class = ChangeNoticeSerializer

    def scope(self, user: User) -> QuerySet[ChangeNotice]:
        return selectors.change_notices_visible_to(user).select_related("household", "task")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        log_view(request, notice.household, via_api=True)
        return self.render(notice)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "notices.send_notice")
        data = self.parse(ChangeNoticeInput)
        household = _own_household(self.user, data.pop("household"))
        with service_errors():
            notice = services.change_notice_send(actor=self.user, household=household, **data)
        return self.render(notice, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="SC-6: mark the notice reviewed (closes the SSW's task when none is left)",
        request=NoteInput,
        responses={200: ChangeNoticeSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="review", url_name="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        require_perm(self.user, "notices.review_notice")
        data = self.parse(NoteInput)
        with service_errors():
            notice = services.change_notice_review(actor=self.user, notice=notice, note=data["note"])
        return self.render(notice)


# Immediate notices (SC-8, SC-11) ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="SC-8 and SC-11 immediate notices the caller may see"),
    retrieve=extend_schema(
        summary="One immediate notice", responses={200: ImmediateNoticeSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="SC-8, SC-11: a carer tells the SSW (and CSW) now; an alert and a task due today",
        request=ImmediateNoticeInput,
        responses={201: ImmediateNoticeSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class ImmediateNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = ImmediateNotice
    serializer_class = ImmediateNoticeSerializer

    def scope(self, user: User) -> QuerySet[ImmediateNotice]:
        return (
            selectors.immediate_notices_visible_to(user)
            .select_related("household")
            .prefetch_related("children")
        )

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        log_view(request, notice.household, via_api=True)
        return self.render(notice)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "notices.send_notice")
        data = self.parse(ImmediateNoticeInput)
        household = _own_household(self.user, data["household"])
        children = _placed_children(household, data["children"])
        with service_errors():
            notice = services.immediate_notice_send(
                actor=self.user,
                household=household,
                kind=data["kind"],
                details=data["details"],
                children=children,
            )
        return self.render(notice, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the response to an immediate notice (closes the task when none is left)",
        request=RequiredNoteInput,
        responses={200: ImmediateNoticeSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="respond", url_name="respond")
    def respond(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        require_perm(self.user, "notices.review_notice")
        data = self.parse(RequiredNoteInput)
        with service_errors():
            notice = services.immediate_notice_acknowledge(actor=self.user, notice=notice, note=data["note"])
        return self.render(notice)


# Care arrangements (SC-12) ---------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="SC-12 care arrangements the caller may see", parameters=[ArrangementFilter]),
    retrieve=extend_schema(
        summary="One care arrangement", responses={200: CareArrangementSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="SC-12: record a care arrangement: a carer asks before (or tells after) leaving a child "
        "with someone; staff who see the household record one they learned of, after the fact too",
        request=CareArrangementInput,
        responses={201: CareArrangementSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class CareArrangementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = CareArrangement
    serializer_class = CareArrangementSerializer

    def scope(self, user: User) -> QuerySet[CareArrangement]:
        return selectors.arrangements_visible_to(user).select_related("household", "child")

    filter_class = ArrangementFilter

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if filters.get("breach") is True:
            queryset = queryset.filter(breach_q(timezone.now()))
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        arrangement = self.get_object()
        log_view(request, arrangement.household, via_api=True)
        log_view(request, arrangement.child, via_api=True)
        return self.render(arrangement)

    def create(self, request: Request) -> Response:
        if not services.may_record_arrangement(self.user):
            raise NotFound
        data = self.parse(CareArrangementInput)
        household = _own_household(self.user, data.pop("household"))
        child = selectors.arrangement_children(self.user, household).filter(pk=data.pop("child")).first()
        if child is None:
            raise serializers.ValidationError(
                {
                    "child": [
                        "Child: choose a child living with you now, or placed in this household "
                        "when the arrangement began (SC-12)"
                    ]
                }
            )
        with service_errors():
            arrangement = services.arrangement_request(
                actor=self.user, household=household, child=child, **data
            )
        return self.render(arrangement, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="SC-12: consent or refuse; over 24 hours, consent after the start is refused",
        request=DecisionInput,
        responses={200: CareArrangementSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="decide", url_name="decide")
    def decide(self, request: Request, pk: str | None = None) -> Response:
        arrangement = self.get_object()
        require_perm(self.user, "notices.decide_care_arrangement")
        data = self.parse(DecisionInput)
        with service_errors():
            arrangement = services.arrangement_decide(actor=self.user, arrangement=arrangement, **data)
        return self.render(arrangement)


# Risk (SC-9) -----------------------------------------------------------------------------------


def _risk_child(user: User, pk: int) -> Child:
    child = selectors.risk_children_visible_to(user).filter(pk=pk).select_related("service").first()
    if child is None:
        raise NotFound
    return child


@extend_schema_view(
    list=extend_schema(
        summary="SC-9 risk flags of the children the caller may see", parameters=[ChildFilter]
    ),
    create=extend_schema(
        summary="SC-9: set or lift a child's risk flag (a flag during a placement opens the duty)",
        request=RiskFlagInput,
        responses={200: RiskFlagSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class RiskFlagViewSet(mixins.ListModelMixin, NewestFirstViewSet):
    model = ChildRiskFlag
    serializer_class = RiskFlagSerializer

    def scope(self, user: User) -> QuerySet[ChildRiskFlag]:
        return selectors.risk_flags_visible_to(user)

    filter_class = ChildFilter

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "child" in filters:
            queryset = queryset.filter(child_id=filters["child"])
        return queryset

    def create(self, request: Request) -> Response:
        require_perm(self.user, "notices.flag_child_risk")
        data = self.parse(RiskFlagInput)
        child = _risk_child(self.user, data["child"])
        with service_errors():
            flag = services.risk_flag_set(
                actor=self.user, child=child, level=data["level"], reason=data["reason"]
            )
        return self.render(flag)


@extend_schema_view(
    list=extend_schema(
        summary="SC-9 risk assessments of the children the caller may see", parameters=[ChildFilter]
    ),
    create=extend_schema(
        summary="SC-9: record a completed risk assessment (fulfils the child's open duty)",
        request=RiskAssessmentInput,
        responses={201: RiskAssessmentSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class RiskAssessmentViewSet(mixins.ListModelMixin, NewestFirstViewSet):
    model = RiskAssessment
    serializer_class = RiskAssessmentSerializer

    def scope(self, user: User) -> QuerySet[RiskAssessment]:
        return selectors.risk_assessments_visible_to(user)

    filter_class = ChildFilter

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "child" in filters:
            queryset = queryset.filter(child_id=filters["child"])
        return queryset

    def create(self, request: Request) -> Response:
        require_perm(self.user, "notices.record_risk_assessment")
        data = self.parse(RiskAssessmentInput)
        child = _risk_child(self.user, data.pop("child"))
        with service_errors():
            assessment = services.risk_assessment_record(actor=self.user, child=child, **data)
        return self.render(assessment, code=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("change-notices", ChangeNoticeViewSet, basename="change-notice")
    router.register("immediate-notices", ImmediateNoticeViewSet, basename="immediate-notice")
    router.register("care-arrangements", CareArrangementViewSet, basename="care-arrangement")
    router.register("risk-flags", RiskFlagViewSet, basename="risk-flag")
    router.register("risk-assessments", RiskAssessmentViewSet, basename="risk-assessment")
