"""API of internet monitoring from the worry to the discussion (IM-1 to IM-6), and where a young
person lives; registered by monitoring.api.

- /im-worries/ (IM-1): anyone caring for the young person tells a worry; read by its raiser
  and the young person's social worker and managers.
- /im-assessments/ (IM-2), /im-strategy-discussions/ and /im-panel-referrals/ (IM-3, with
  `outcome`), /im-evaluations/ (IM-4), /im-decisions/ (IM-5, never changed),
  /im-discussions/ (IM-6, with `advocate`): the young person's social worker, the children's
  team manager of their team and the service managers.
- /im-residences/: where a young person lives when not in a foster placement.

Same scopes as the pages (monitoring.selectors); a record out of scope answers 404, and a
service's refusal 400 with its field keys and messages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, NewestFirstViewSet
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.households.models import Child, Household
from safecare.standards.api import refusals

from . import selectors
from . import services_assess as services
from .models import (
    Assessment,
    Decision,
    Discussion,
    Evaluation,
    Panel,
    PanelReferral,
    Residence,
    ResidenceKind,
    RiskKind,
    RiskLevel,
    StrategyDiscussion,
    Worry,
)

LONG_TEXT = 20000


def _text(*, required: bool = True) -> serializers.CharField:
    if required:
        return serializers.CharField(max_length=LONG_TEXT, allow_blank=True)
    return serializers.CharField(max_length=LONG_TEXT, allow_blank=True, required=False, default="")


class ChildFilter(QueryFilter):
    child = id_field("Only those about this young person")


class AssessmentFilter(QueryFilter):
    assessment = id_field("Only those of this assessment")


class _Scoped(NewestFirstViewSet):
    def _child(self, pk: int) -> Child:
        child = selectors.children_in_full(self.user).filter(pk=pk).first()
        if child is None:
            raise NotFound
        return child

    def _assessment(self, pk: int) -> Assessment:
        assessment = (
            selectors.assessments_visible_to(self.user).select_related("child__service").filter(pk=pk).first()
        )
        if assessment is None:
            raise NotFound
        return assessment

    def _person(self, pk: int | None) -> User | None:
        if pk is None:
            return None
        return User.objects.filter(pk=pk, service_id=self.user.service_id).first()


# Output ----------------------------------------------------------------------------------------


class ImWorrySerializer(serializers.ModelSerializer[Worry]):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Worry
        fields = ["id", "reference", "child", "risk", "details", "noticed_on", "raised_by", "raised_at"]
        read_only_fields = fields


class ImAssessmentSerializer(serializers.ModelSerializer[Assessment]):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "child",
            "worry",
            "assessed_on",
            "young_person_took_part",
            "family",
            "officers",
            "carers",
            "findings",
            "level",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ImStrategyDiscussionSerializer(serializers.ModelSerializer[StrategyDiscussion]):
    class Meta:
        model = StrategyDiscussion
        fields = [
            "id",
            "assessment",
            "held_on",
            "manager",
            "attendees",
            "outcome",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ImPanelReferralSerializer(serializers.ModelSerializer[PanelReferral]):
    class Meta:
        model = PanelReferral
        fields = [
            "id",
            "assessment",
            "panel",
            "referred_on",
            "outcome",
            "outcome_on",
            "minutes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ImEvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    class Meta:
        model = Evaluation
        fields = [
            "id",
            "assessment",
            "evaluated_on",
            "team_manager",
            "service_manager",
            "summary",
            "legal_advice_taken",
            "legal_advice_reasons",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ImDecisionSerializer(serializers.ModelSerializer[Decision]):
    assessment = serializers.IntegerField(source="evaluation.assessment_id", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "child",
            "assessment",
            "evaluation",
            "monitor",
            "reasons",
            "less_restrictive_evidence",
            "legal_and_necessary",
            "reasonable_and_proportionate",
            "decided_on",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ImDiscussionSerializer(serializers.ModelSerializer[Discussion]):
    class Meta:
        model = Discussion
        fields = [
            "id",
            "decision",
            "held_on",
            "young_person_views",
            "family",
            "family_support",
            "advocate_offered",
            "advocate_wanted",
            "advocate",
            "advocate_arranged_on",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ImResidenceSerializer(serializers.ModelSerializer[Residence]):
    class Meta:
        model = Residence
        fields = [
            "id",
            "child",
            "kind",
            "provider",
            "household",
            "address_kind",
            "from_on",
            "to_on",
            "recorded_by",
        ]
        read_only_fields = fields


# Input -----------------------------------------------------------------------------------------


class ImWorryInput(serializers.Serializer[Any]):
    child = serializers.IntegerField(min_value=1)
    risk = serializers.ChoiceField(choices=RiskKind.choices)
    details = _text()
    noticed_on = serializers.DateField(allow_null=True)


class ImAssessmentInput(serializers.Serializer[Any]):
    worry = serializers.IntegerField(min_value=1)
    assessed_on = serializers.DateField(allow_null=True)
    young_person_took_part = serializers.BooleanField(allow_null=True)
    family = _text(required=False)
    officers = _text(required=False)
    carers = _text(required=False)
    findings = _text()
    level = serializers.ChoiceField(choices=RiskLevel.choices)


class ImStrategyDiscussionInput(serializers.Serializer[Any]):
    assessment = serializers.IntegerField(min_value=1)
    held_on = serializers.DateField(allow_null=True)
    manager = serializers.IntegerField(
        min_value=1, help_text="A children's team manager of the team, or a service manager"
    )
    attendees = _text(required=False)
    outcome = _text()


class ImPanelReferralInput(serializers.Serializer[Any]):
    assessment = serializers.IntegerField(min_value=1)
    panel = serializers.ChoiceField(choices=Panel.choices)
    referred_on = serializers.DateField(allow_null=True)


class ImPanelOutcomeInput(serializers.Serializer[Any]):
    outcome = _text()
    outcome_on = serializers.DateField(allow_null=True)
    minutes = _text()


class ImEvaluationInput(serializers.Serializer[Any]):
    assessment = serializers.IntegerField(min_value=1)
    evaluated_on = serializers.DateField(allow_null=True)
    team_manager = serializers.IntegerField(min_value=1)
    service_manager = serializers.IntegerField(min_value=1)
    summary = _text()
    legal_advice_taken = serializers.BooleanField(allow_null=True)
    legal_advice_reasons = _text()


class ImDecisionInput(serializers.Serializer[Any]):
    assessment = serializers.IntegerField(min_value=1, help_text="Decided on its latest evaluation (IM-4)")
    monitor = serializers.BooleanField(allow_null=True)
    reasons = _text()
    less_restrictive_evidence = _text(required=False)
    legal_and_necessary = _text(required=False)
    reasonable_and_proportionate = _text(required=False)
    decided_on = serializers.DateField(allow_null=True)


class ImDiscussionInput(serializers.Serializer[Any]):
    decision = serializers.IntegerField(min_value=1)
    held_on = serializers.DateField(allow_null=True)
    young_person_views = _text()
    family = _text(required=False)
    family_support = serializers.BooleanField(allow_null=True)
    advocate_offered = serializers.BooleanField(required=False, default=False)
    advocate_wanted = serializers.BooleanField(required=False, default=False)


class ImAdvocateInput(serializers.Serializer[Any]):
    advocate = serializers.CharField(max_length=200, allow_blank=True)
    arranged_on = serializers.DateField(allow_null=True)


class ImResidenceEndInput(serializers.Serializer[Any]):
    to_on = serializers.DateField(allow_null=True, help_text="The day the young person moved out")


class ImResidenceInput(serializers.Serializer[Any]):
    child = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=ResidenceKind.choices)
    provider = serializers.CharField(max_length=200, allow_blank=True)
    household = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    address_kind = serializers.CharField(max_length=120, allow_blank=True)
    from_on = serializers.DateField(allow_null=True)
    to_on = serializers.DateField(required=False, allow_null=True, default=None)


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="IM-1: worries about young people's internet use the caller may read",
        parameters=[ChildFilter],
    ),
    retrieve=extend_schema(summary="One worry", responses={200: ImWorrySerializer, 404: NOT_FOUND}),
)
class WorryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Worry
    serializer_class = ImWorrySerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[Worry]:
        return selectors.worries_visible_to(user).select_related("child")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(child_id=filters["child"]) if "child" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        worry = self.get_object()
        log_view(request, worry.child, via_api=True)
        return self.render(worry)

    @extend_schema(
        summary="IM-1: tell the young person's social worker of a worry (alerted now; assessment due today)",
        request=ImWorryInput,
        responses={201: ImWorrySerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.record_worry")
        data = self.parse(ImWorryInput)
        child = services.worry_children(self.user).filter(pk=data.pop("child")).first()
        if child is None:
            raise NotFound
        with refusals():
            worry = services.worry_record(actor=self.user, child=child, **data)
        return self.render(worry, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="IM-2: assessments of the risk", parameters=[ChildFilter]),
    retrieve=extend_schema(summary="One assessment", responses={200: ImAssessmentSerializer, 404: NOT_FOUND}),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Assessment
    serializer_class = ImAssessmentSerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[Assessment]:
        return selectors.assessments_visible_to(user).select_related("child")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(child_id=filters["child"]) if "child" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        log_view(request, assessment.child, via_api=True)
        return self.render(assessment)

    @extend_schema(
        summary="IM-2: the social worker's assessment, with who took part (closes the assessment duty)",
        request=ImAssessmentInput,
        responses={201: ImAssessmentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.assess")
        data = self.parse(ImAssessmentInput)
        worry = (
            selectors.worries_visible_to(self.user)
            .select_related("child__service")
            .filter(pk=data.pop("worry"))
            .first()
        )
        if worry is None:
            raise NotFound
        with refusals():
            assessment = services.assessment_record(actor=self.user, worry=worry, **data)
        return self.render(assessment, code=status.HTTP_201_CREATED)


class _OfAssessment(_Scoped):
    """A record hanging off an assessment: listed by it, logged against its young person."""

    filter_class = AssessmentFilter

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(assessment_id=filters["assessment"]) if "assessment" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        log_view(request, record.assessment.child, via_api=True)
        return self.render(record)


@extend_schema_view(
    list=extend_schema(summary="IM-3: strategy discussions", parameters=[AssessmentFilter]),
    retrieve=extend_schema(
        summary="One strategy discussion", responses={200: ImStrategyDiscussionSerializer, 404: NOT_FOUND}
    ),
)
class StrategyDiscussionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _OfAssessment):
    model = StrategyDiscussion
    serializer_class = ImStrategyDiscussionSerializer

    def scope(self, user: User) -> QuerySet[StrategyDiscussion]:
        return selectors.strategy_discussions_visible_to(user).select_related("assessment__child")

    @extend_schema(
        summary="IM-3: the social worker and their manager's strategy discussion about a significant risk",
        request=ImStrategyDiscussionInput,
        responses={201: ImStrategyDiscussionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.record_strategy")
        data = self.parse(ImStrategyDiscussionInput)
        assessment = self._assessment(data.pop("assessment"))
        data["manager"] = self._person(data["manager"])
        with refusals():
            record = services.strategy_record(actor=self.user, assessment=assessment, **data)
        return self.render(record, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="IM-3: referrals to the EFRH or Channel panel", parameters=[AssessmentFilter]),
    retrieve=extend_schema(
        summary="One panel referral", responses={200: ImPanelReferralSerializer, 404: NOT_FOUND}
    ),
)
class PanelReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _OfAssessment):
    model = PanelReferral
    serializer_class = ImPanelReferralSerializer

    def scope(self, user: User) -> QuerySet[PanelReferral]:
        return selectors.panel_referrals_visible_to(user).select_related("assessment__child")

    @extend_schema(
        summary="IM-3: refer the case to the EFRH panel or to Channel, whatever the level",
        request=ImPanelReferralInput,
        responses={201: ImPanelReferralSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.refer_panel")
        data = self.parse(ImPanelReferralInput)
        assessment = self._assessment(data.pop("assessment"))
        with refusals():
            record = services.panel_refer(actor=self.user, assessment=assessment, **data)
        return self.render(record, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="IM-3: the panel's outcome and minutes, once; the plans to update within 5 working days",
        request=ImPanelOutcomeInput,
        responses={200: ImPanelReferralSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="outcome", url_name="outcome")
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        require_perm(self.user, "monitoring.refer_panel")
        data = self.parse(ImPanelOutcomeInput)
        with refusals():
            referral = services.panel_outcome(actor=self.user, referral=referral, **data)
        return self.render(referral)


@extend_schema_view(
    list=extend_schema(summary="IM-4: evaluations of the assessments", parameters=[AssessmentFilter]),
    retrieve=extend_schema(summary="One evaluation", responses={200: ImEvaluationSerializer, 404: NOT_FOUND}),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _OfAssessment):
    model = Evaluation
    serializer_class = ImEvaluationSerializer

    def scope(self, user: User) -> QuerySet[Evaluation]:
        return selectors.evaluations_visible_to(user).select_related("assessment__child")

    @extend_schema(
        summary="IM-4: the evaluation with the team manager and the service manager; legal advice and why",
        request=ImEvaluationInput,
        responses={201: ImEvaluationSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.evaluate")
        data = self.parse(ImEvaluationInput)
        assessment = self._assessment(data.pop("assessment"))
        data["team_manager"] = self._person(data["team_manager"])
        data["service_manager"] = self._person(data["service_manager"])
        with refusals():
            record = services.evaluation_record(actor=self.user, assessment=assessment, **data)
        return self.render(record, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="IM-5: decisions whether to monitor (never changed)", parameters=[ChildFilter]
    ),
    retrieve=extend_schema(summary="One decision", responses={200: ImDecisionSerializer, 404: NOT_FOUND}),
)
class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Decision
    serializer_class = ImDecisionSerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[Decision]:
        return selectors.decisions_visible_to(user).select_related("child", "evaluation")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(child_id=filters["child"]) if "child" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        decision = self.get_object()
        log_view(request, decision.child, via_api=True)
        return self.render(decision)

    @extend_schema(
        summary="IM-5: decide whether to monitor, on the assessment's latest evaluation; to monitor needs "
        "the less restrictive evidence and both of Ofsted's tests",
        request=ImDecisionInput,
        responses={201: ImDecisionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.decide")
        data = self.parse(ImDecisionInput)
        assessment = self._assessment(data.pop("assessment"))
        with refusals():
            record = services.decision_record(actor=self.user, assessment=assessment, **data)
        return self.render(record, code=status.HTTP_201_CREATED)


class DecisionFilter(QueryFilter):
    decision = id_field("Only those of this decision")


@extend_schema_view(
    list=extend_schema(summary="IM-6: discussions with the young person", parameters=[DecisionFilter]),
    retrieve=extend_schema(summary="One discussion", responses={200: ImDiscussionSerializer, 404: NOT_FOUND}),
)
class DiscussionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Discussion
    serializer_class = ImDiscussionSerializer
    filter_class = DecisionFilter

    def scope(self, user: User) -> QuerySet[Discussion]:
        return selectors.discussions_visible_to(user).select_related("decision__child")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(decision_id=filters["decision"]) if "decision" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        discussion = self.get_object()
        log_view(request, discussion.decision.child, via_api=True)
        return self.render(discussion)

    @extend_schema(
        summary="IM-6: the proposal discussed with the young person; an advocate offered without family "
        "support, and to arrange if they want one",
        request=ImDiscussionInput,
        responses={201: ImDiscussionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.discuss")
        data = self.parse(ImDiscussionInput)
        decision = (
            selectors.decisions_visible_to(self.user)
            .select_related("child__service")
            .filter(pk=data.pop("decision"))
            .first()
        )
        if decision is None:
            raise NotFound
        with refusals():
            record = services.discussion_record(actor=self.user, decision=decision, **data)
        return self.render(record, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="IM-6: the advocate the young person wanted, arranged (closes the duty)",
        request=ImAdvocateInput,
        responses={200: ImDiscussionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="advocate", url_name="advocate")
    def advocate(self, request: Request, pk: str | None = None) -> Response:
        discussion = self.get_object()
        require_perm(self.user, "monitoring.discuss")
        data = self.parse(ImAdvocateInput)
        with refusals():
            discussion = services.advocate_arranged(actor=self.user, discussion=discussion, **data)
        return self.render(discussion)


@extend_schema_view(
    list=extend_schema(
        summary="Where young people live when not in a foster placement", parameters=[ChildFilter]
    ),
    retrieve=extend_schema(summary="One residence", responses={200: ImResidenceSerializer, 404: NOT_FOUND}),
)
class ResidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Residence
    serializer_class = ImResidenceSerializer
    filter_class = ChildFilter

    def scope(self, user: User) -> QuerySet[Residence]:
        return selectors.residences_visible_to(user).select_related("child")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return queryset.filter(child_id=filters["child"]) if "child" in filters else queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        residence = self.get_object()
        log_view(request, residence.child, via_api=True)
        return self.render(residence)

    @extend_schema(
        summary="Record where a young person lives (supported lodgings, supported accommodation)",
        request=ImResidenceInput,
        responses={201: ImResidenceSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "monitoring.record_residence")
        data = self.parse(ImResidenceInput)
        child = self._child(data.pop("child"))
        household_id = data.pop("household")
        household = None
        if household_id is not None:
            household = Household.objects.filter(pk=household_id, service_id=child.service_id).first()
            if household is None:
                raise serializers.ValidationError(
                    {
                        "household": [
                            "Host household: choose a household of this service (IM, where the young person lives)"
                        ]
                    }
                )
        with refusals():
            record = services.residence_record(actor=self.user, child=child, household=household, **data)
        return self.render(record, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The young person moved out: the residence ends on that day",
        request=ImResidenceEndInput,
        responses={200: ImResidenceSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="end", url_name="end")
    def end(self, request: Request, pk: str | None = None) -> Response:
        residence = self.get_object()
        require_perm(self.user, "monitoring.record_residence")
        data = self.parse(ImResidenceEndInput)
        with refusals():
            record = services.residence_end(actor=self.user, residence=residence, to_on=data["to_on"])
        return self.render(record)


def register(router: SimpleRouter) -> None:
    router.register("im-worries", WorryViewSet, basename="im-worry")
    router.register("im-assessments", AssessmentViewSet, basename="im-assessment")
    router.register("im-strategy-discussions", StrategyDiscussionViewSet, basename="im-strategy-discussion")
    router.register("im-panel-referrals", PanelReferralViewSet, basename="im-panel-referral")
    router.register("im-evaluations", EvaluationViewSet, basename="im-evaluation")
    router.register("im-decisions", DecisionViewSet, basename="im-decision")
    router.register("im-discussions", DiscussionViewSet, basename="im-discussion")
    router.register("im-residences", ResidenceViewSet, basename="im-residence")
