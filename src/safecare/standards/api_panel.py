"""The standards of care API of SOC-10 (registered by standards.api): the meeting's outcome, the
referrals to the fostering panel, the panel's recommendations, the agency decision maker's
decisions and the carer's requests for an independent review.

Same scopes and permissions as the pages (standards.selectors, standards.rules): out of
scope, or an action the caller may not take, answers 404. Writes go through
standards.services_panel, whose refusals come back as {field: [message naming the rule]}.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import MAX_ID, QueryFilter, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, NewestFirstViewSet
from safecare.core.audit import log_view
from safecare.core.models import User

from . import selectors, services_panel
from .api import LONG_TEXT, MAX_ITEMS, _answer, _choice, _day, _id, _refuse, _text, refusals
from .models import (
    AdmDecision,
    ApprovalChoice,
    Meeting,
    MeetingOutcome,
    OutcomeKind,
    PanelRecommendation,
    PanelReferral,
    ReviewRequest,
    VisitAction,
)
from .services import ActionInput

CHOICE_MESSAGE = "choose that approval continues, continues on changed terms, or ends (SOC-10)"

# Output ----------------------------------------------------------------------------------------


class OutcomeActionSerializer(serializers.ModelSerializer[VisitAction]):
    class Meta:
        model = VisitAction
        fields = ["id", "what", "owner", "due_on", "done_on"]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer[MeetingOutcome]):
    actions = serializers.SerializerMethodField(help_text="SOC-10: the actions for the carer the outcome set")
    panel_referral = serializers.SerializerMethodField(
        help_text="SOC-10: the referral to the fostering panel, for an outcome that made one"
    )

    class Meta:
        model = MeetingOutcome
        fields = [
            "id",
            "meeting",
            "kind",
            "summary",
            "decided_on",
            "recorded_by",
            "recorded_at",
            "actions",
            "panel_referral",
        ]
        read_only_fields = fields

    @extend_schema_field(OutcomeActionSerializer(many=True))
    def get_actions(self, obj: MeetingOutcome) -> list[dict[str, Any]]:
        actions = obj.meeting.actions.all()
        return list(OutcomeActionSerializer(sorted(actions, key=lambda a: (a.due_on, a.pk)), many=True).data)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_panel_referral(self, obj: MeetingOutcome) -> int | None:
        try:
            return obj.meeting.panel_referral.pk
        except PanelReferral.DoesNotExist:
            return None


class RecommendationSerializer(serializers.ModelSerializer[PanelRecommendation]):
    class Meta:
        model = PanelRecommendation
        fields = ["id", "referral", "recommendation", "reasons", "panel_on", "recorded_by", "recorded_at"]
        read_only_fields = fields


class AdmDecisionSerializer(serializers.ModelSerializer[AdmDecision]):
    class Meta:
        model = AdmDecision
        fields = [
            "id",
            "referral",
            "decision",
            "reasons",
            "decided_on",
            "after_review",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ReviewRequestSerializer(serializers.ModelSerializer[ReviewRequest]):
    class Meta:
        model = ReviewRequest
        fields = ["id", "referral", "received_on", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class PanelReferralSerializer(serializers.ModelSerializer[PanelReferral]):
    reference = serializers.CharField(read_only=True)
    state = serializers.SerializerMethodField(help_text="SOC-10: where the referral stands, in words")
    recommendation = serializers.SerializerMethodField()
    adm_decisions = AdmDecisionSerializer(many=True, read_only=True)
    review_request = serializers.SerializerMethodField()
    deregisters_on = serializers.SerializerMethodField(
        help_text="SOC-10: the day a first decision to deregister ends the approval unless the carer asks "
        "for an independent review before it (28 calendar days, reg. 28); null otherwise"
    )

    class Meta:
        model = PanelReferral
        fields = [
            "id", "reference", "household", "meeting", "referred_on", "state", "recommendation",
            "adm_decisions", "review_request", "deregisters_on",
        ]  # fmt: skip
        read_only_fields = fields

    def get_state(self, obj: PanelReferral) -> str:
        return services_panel.referral_state(obj)

    @extend_schema_field(RecommendationSerializer(allow_null=True))
    def get_recommendation(self, obj: PanelReferral) -> dict[str, Any] | None:
        try:
            return RecommendationSerializer(obj.recommendation).data
        except PanelRecommendation.DoesNotExist:
            return None

    @extend_schema_field(ReviewRequestSerializer(allow_null=True))
    def get_review_request(self, obj: PanelReferral) -> dict[str, Any] | None:
        try:
            return ReviewRequestSerializer(obj.review_request).data
        except ReviewRequest.DoesNotExist:
            return None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_deregisters_on(self, obj: PanelReferral) -> Any:
        first = next((d for d in obj.adm_decisions.all() if not d.after_review), None)
        if first is None or first.decision != ApprovalChoice.DEREGISTER:
            return None
        return services_panel.deregistration_day(first.decided_on)


# Input -----------------------------------------------------------------------------------------


class OutcomeActionInput(serializers.Serializer[Any]):
    what = _text(help_text="What will be done")
    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Who does it: a carer of the household, or its supervising social worker",
    )
    due_on = _day("Done by: after the meeting")


class OutcomeInput(serializers.Serializer[Any]):
    meeting = _id("The meeting whose outcome this is: its chair records it, on or after its day")
    kind = _choice(
        OutcomeKind.choices,
        "Outcome: choose actions for the carer, a referral to the fostering panel, or no further action (SOC-10)",
    )
    summary = _text(LONG_TEXT, "The chair's summary and recommendations")
    decided_on = _day("Default: today; not before the meeting")
    actions = serializers.ListField(
        child=OutcomeActionInput(),
        required=False,
        default=list,
        max_length=MAX_ITEMS,
        help_text="For an outcome of actions for the carer: at least one",
    )


class RecommendationInput(serializers.Serializer[Any]):
    referral = _id("The referral to the panel")
    recommendation = _choice(ApprovalChoice.choices, f"Recommendation: {CHOICE_MESSAGE}")
    reasons = _text(help_text="Why the panel recommends this")
    panel_on = _day("The date of the panel")


class AdmDecisionInput(serializers.Serializer[Any]):
    referral = _id("A referral the panel has recommended on")
    decision = _choice(ApprovalChoice.choices, f"Decision: {CHOICE_MESSAGE}")
    reasons = _text(help_text="Why")
    decided_on = _day("Default: today")
    after_review = _answer("true: the decision made after the independent review the carer asked for")


class ReviewRequestInput(serializers.Serializer[Any]):
    referral = _id("The referral whose panel and ADM decision the carer asks to be reviewed")
    received_on = _day("The date the carer's request was received")
    note = _text()


class MeetingFilter(QueryFilter):
    meeting = id_field("Only this meeting's outcome")


class HouseholdFilter(QueryFilter):
    household = id_field("Only this household's referrals")


class ReferralFilter(QueryFilter):
    referral = id_field("Only this referral's records")


# Helpers ---------------------------------------------------------------------------------------


class _ByReferral(NewestFirstViewSet):
    filter_class = ReferralFilter

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "referral" in filters:
            queryset = queryset.filter(referral_id=filters["referral"])
        return queryset


def _referral(user: User, pk: int) -> PanelReferral:
    referral = selectors.panel_referrals_visible_to(user).filter(pk=pk).first()
    if referral is None:
        raise NotFound
    return referral


def _outcome_actions(meeting: Meeting, items: list[dict[str, Any]]) -> list[ActionInput]:
    owners = {user.pk: user for user in services_panel.action_owners(meeting.household)}
    actions = []
    for number, item in enumerate(items, start=1):
        owner_id = item["owner"]
        if owner_id is not None and owner_id not in owners:
            raise _refuse(
                "actions",
                f"Actions: action {number} can be given only to a carer of the household or its supervising "
                "social worker (SOC-10)",
            )
        actions.append(ActionInput(what=item["what"], owner=owners.get(owner_id or 0), due_on=item["due_on"]))
    return actions


# Viewsets --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-10 outcomes of standards of care meetings the caller may see", parameters=[MeetingFilter]
    ),
    retrieve=extend_schema(
        summary="One meeting's outcome, with the actions it set",
        responses={200: OutcomeSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="SOC-10: the chair records the meeting's outcome on or after its day: actions for the carer "
        "(each with who and by when), a referral to the fostering panel, or no further action",
        request=OutcomeInput,
        responses={201: OutcomeSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class OutcomeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = MeetingOutcome
    serializer_class = OutcomeSerializer
    filter_class = MeetingFilter

    def scope(self, user: User) -> QuerySet[MeetingOutcome]:
        return (
            selectors.outcomes_visible_to(user)
            .select_related("meeting__household", "meeting__panel_referral")
            .prefetch_related("meeting__actions")
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "meeting" in filters:
            queryset = queryset.filter(meeting_id=filters["meeting"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        outcome = self.get_object()
        log_view(request, outcome.meeting.household, via_api=True)
        return self.render(outcome)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.record_outcome")
        data = self.parse(OutcomeInput)
        meeting = (
            selectors.meetings_visible_to(self.user)
            .filter(pk=data.pop("meeting"))
            .select_related("household", "chair")
            .first()
        )
        if meeting is None or not services_panel.may_record_outcome(self.user, meeting):
            raise NotFound
        actions = _outcome_actions(meeting, data.pop("actions"))
        with refusals():
            outcome = services_panel.outcome_record(actor=self.user, meeting=meeting, actions=actions, **data)
        return self.render(self.get_queryset().get(pk=outcome.pk), code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="SOC-10 referrals to the fostering panel the caller may see (panel members: the service's; "
        "the agency decision maker: those the panel has recommended on)",
        parameters=[HouseholdFilter],
    ),
    retrieve=extend_schema(
        summary="One referral to the panel: the recommendation, the decisions and any review asked for",
        responses={200: PanelReferralSerializer, 404: NOT_FOUND},
    ),
)
class PanelReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = PanelReferral
    serializer_class = PanelReferralSerializer
    filter_class = HouseholdFilter

    def scope(self, user: User) -> QuerySet[PanelReferral]:
        return (
            selectors.panel_referrals_visible_to(user)
            .select_related("household", "recommendation", "review_request")
            .prefetch_related("adm_decisions")
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        log_view(request, referral.household, via_api=True)
        return self.render(referral)


@extend_schema_view(
    list=extend_schema(
        summary="SOC-10 the fostering panel's recommendations the caller may see", parameters=[ReferralFilter]
    ),
    create=extend_schema(
        summary="SOC-10: a panel member records the panel's recommendation; it goes to the agency decision maker",
        request=RecommendationInput,
        responses={201: RecommendationSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class RecommendationViewSet(mixins.ListModelMixin, _ByReferral):
    model = PanelRecommendation
    serializer_class = RecommendationSerializer

    def scope(self, user: User) -> QuerySet[PanelRecommendation]:
        return selectors.recommendations_visible_to(user)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.record_recommendation")
        data = self.parse(RecommendationInput)
        referral = _referral(self.user, data.pop("referral"))
        with refusals():
            recorded = services_panel.recommendation_record(actor=self.user, referral=referral, **data)
        return self.render(recorded, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="SOC-10 the agency decision maker's decisions the caller may see", parameters=[ReferralFilter]
    ),
    create=extend_schema(
        summary="SOC-10: the agency decision maker decides on the panel's recommendation, or again after the "
        "independent review (after_review). A first decision to deregister ends the approval 28 calendar days "
        "later unless a review is asked for; one after the review ends it at once",
        request=AdmDecisionInput,
        responses={201: AdmDecisionSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class AdmDecisionViewSet(mixins.ListModelMixin, _ByReferral):
    model = AdmDecision
    serializer_class = AdmDecisionSerializer

    def scope(self, user: User) -> QuerySet[AdmDecision]:
        return selectors.adm_decisions_visible_to(user)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.decide_approval")
        data = self.parse(AdmDecisionInput)
        referral = _referral(self.user, data.pop("referral"))
        data["after_review"] = bool(data["after_review"])
        with refusals():
            made = services_panel.adm_decide(actor=self.user, referral=referral, **data)
        return self.render(made, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="SOC-10 the carers' requests for an independent review the caller may see",
        parameters=[ReferralFilter],
    ),
    create=extend_schema(
        summary="SOC-10: a fostering manager records the carer's request for an independent review (not a "
        "complaint), before the approval ends; the deregistration waits for the decision after the review",
        request=ReviewRequestInput,
        responses={201: ReviewRequestSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class ReviewRequestViewSet(mixins.ListModelMixin, _ByReferral):
    model = ReviewRequest
    serializer_class = ReviewRequestSerializer

    def scope(self, user: User) -> QuerySet[ReviewRequest]:
        return selectors.review_requests_visible_to(user)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.record_review_request")
        data = self.parse(ReviewRequestInput)
        referral = _referral(self.user, data.pop("referral"))
        with refusals():
            recorded = services_panel.review_request_record(actor=self.user, referral=referral, **data)
        return self.render(recorded, code=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("soc-outcomes", OutcomeViewSet, basename="soc-outcome")
    router.register("soc-panel-referrals", PanelReferralViewSet, basename="soc-panel-referral")
    router.register("soc-panel-recommendations", RecommendationViewSet, basename="soc-panel-recommendation")
    router.register("soc-adm-decisions", AdmDecisionViewSet, basename="soc-adm-decision")
    router.register("soc-review-requests", ReviewRequestViewSet, basename="soc-review-request")
