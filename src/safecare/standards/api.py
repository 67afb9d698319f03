"""API of the standards of care procedure: concerns, routes, visits, actions, proposed meetings (SOC-1 to SOC-5).

Same scopes and permissions as the pages (standards.selectors, standards.rules): a record
out of scope, or an action the caller may not take, answers 404. A carer reads only the
visit about her household and its actions: never the concern, who raised it, or its route.
Writes go through standards.services, which check every rule and refuse with
{field: [message naming the field and the rule]}; the API adds only what a body of ids
needs (an id that names nothing the caller may use is refused the same way).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import MAX_ID, QueryFilter, flag_field, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, CaseViewSet, NewestFirstViewSet, service_errors
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.core.roles import Role
from safecare.households.access import households_visible_to
from safecare.households.models import Child, Household

from . import selectors, services
from .models import (
    AllegationOutcome,
    AllegationResult,
    Concern,
    ConcernQuerySet,
    MeetingProposal,
    NationalMinimumStandard,
    RaisedBy,
    Route,
    RouteDecision,
    Visit,
    VisitAction,
)

# Free text is bounded so a body cannot fill the database; the short fields as the models are.
LONG_TEXT = 20000
MAX_ITEMS = 100


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal: ValidationError 400, a permission refusal 404 (rules: Who sees what)."""
    with service_errors():
        try:
            yield
        except PermissionDenied as exc:
            raise NotFound from exc


def _is_carer(user: Any) -> bool:
    return getattr(user, "role", None) == Role.CARER


def _refuse(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


# Output ----------------------------------------------------------------------------------------


class StandardSerializer(serializers.ModelSerializer[NationalMinimumStandard]):
    class Meta:
        model = NationalMinimumStandard
        fields = ["id", "number", "title"]
        read_only_fields = fields


class AllegationResultSerializer(serializers.ModelSerializer[AllegationResult]):
    class Meta:
        model = AllegationResult
        fields = ["id", "concern", "outcome", "lado", "outcome_on", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ConcernSerializer(serializers.ModelSerializer[Concern]):
    reference = serializers.CharField(read_only=True)
    children: serializers.PrimaryKeyRelatedField[Child] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    route = serializers.SerializerMethodField(
        help_text="SOC-2: the route of the latest decision; null until a fostering manager decides"
    )
    allegation_result = serializers.SerializerMethodField(
        help_text="SOC-3: what the LADO's investigation found, once recorded"
    )
    visit = serializers.SerializerMethodField(help_text="SOC-4: the visit about this concern, once recorded")

    class Meta:
        model = Concern
        fields = [
            "id", "reference", "household", "raised_by_kind", "raised_by", "received_on", "details",
            "children", "recorded_by", "recorded_at", "route", "allegation_result", "visit",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Route.choices, allow_null=True))
    def get_route(self, obj: Concern) -> str | None:
        # The scope annotates it (Concern.objects.with_route); a concern just written reads it.
        if hasattr(obj, "current_route"):
            return obj.current_route  # type: ignore[no-any-return]
        return obj.route

    @extend_schema_field(AllegationResultSerializer(allow_null=True))
    def get_allegation_result(self, obj: Concern) -> dict[str, Any] | None:
        try:
            result = obj.allegation_result
        except ObjectDoesNotExist:
            return None
        return AllegationResultSerializer(result).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_visit(self, obj: Concern) -> int | None:
        try:
            return obj.visit.pk
        except ObjectDoesNotExist:
            return None


class RouteDecisionSerializer(serializers.ModelSerializer[RouteDecision]):
    thresholds_met = serializers.BooleanField(
        read_only=True, help_text="SOC-2: any of the four allegations thresholds answered yes"
    )

    class Meta:
        model = RouteDecision
        fields = [
            "id", "concern", "decided_by", "decided_on", "decided_at", "harmed_child",
            "offence_against_child", "risk_of_harm", "unsuitable", "carers_own_child", "other_borough",
            "thresholds_met", "route", "reasons", "lado", "borough",
        ]  # fmt: skip
        read_only_fields = fields


class VisitActionSerializer(serializers.ModelSerializer[VisitAction]):
    overdue = serializers.SerializerMethodField(
        help_text="SOC-5: not done, and its date has passed (a meeting is proposed)"
    )

    class Meta:
        model = VisitAction
        fields = ["id", "visit", "what", "owner", "due_on", "done_on", "overdue"]
        read_only_fields = fields

    def get_overdue(self, obj: VisitAction) -> bool:
        return obj.done_on is None and obj.due_on < self.context["today"]


class VisitSerializer(serializers.ModelSerializer[Visit]):
    reference = serializers.CharField(read_only=True)
    concern = serializers.SerializerMethodField(
        help_text="The concern visited about; null for a carer, who never reads the concern (SOC-1)"
    )
    standards: serializers.PrimaryKeyRelatedField[NationalMinimumStandard] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    actions = VisitActionSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id", "reference", "household", "concern", "visited_on", "standards", "concerns_discussed",
            "carer_response", "actions", "recorded_by", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_concern(self, obj: Visit) -> int | None:
        request = self.context.get("request")
        if _is_carer(getattr(request, "user", None)):
            return None
        return obj.concern_id


class MeetingProposalSerializer(serializers.ModelSerializer[MeetingProposal]):
    reference = serializers.CharField(read_only=True)
    decided = serializers.BooleanField(read_only=True)
    concerns: serializers.PrimaryKeyRelatedField[Concern] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    actions: serializers.PrimaryKeyRelatedField[VisitAction] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    task_reference = serializers.SerializerMethodField()

    class Meta:
        model = MeetingProposal
        fields = [
            "id", "reference", "household", "proposed_on", "three_concerns", "overdue", "concerns",
            "actions", "task_reference", "decided", "decided_by", "decided_at", "convene",
            "decision_reasons",
        ]  # fmt: skip
        read_only_fields = fields

    def get_task_reference(self, obj: MeetingProposal) -> str | None:
        return obj.task.reference if obj.task_id and obj.task else None


# Input -----------------------------------------------------------------------------------------


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=MAX_ITEMS,
        help_text=help_text,
    )


def _text(max_length: int = LONG_TEXT, help_text: str = "") -> serializers.CharField:
    # Optional to the parser: the service refuses an empty one, naming the rule.
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length, help_text=help_text
    )


def _day(help_text: str = "") -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, default=None, help_text=help_text)


def _answer(help_text: str) -> serializers.BooleanField:
    return serializers.BooleanField(required=False, allow_null=True, default=None, help_text=help_text)


def _choice(choices: Any, message: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": message},
    )


class ConcernInput(serializers.Serializer[Any]):
    household = _id("The household whose carer the concern is about")
    raised_by_kind = _choice(
        RaisedBy.choices, "Who raised it: choose a named person, a role, or anonymous (SOC-1)"
    )
    raised_by = _text(200, "Their name or role; empty for an anonymous concern")
    received_on = _day("The date the information was received")
    details = _text(help_text="What was said")
    children = _ids("Children involved: children placed in this household")


class RouteDecisionInput(serializers.Serializer[Any]):
    concern = _id("The concern routed")
    harmed_child = _answer("The carer has harmed a child, or may have")
    offence_against_child = _answer(
        "The carer may have committed a criminal offence against or related to a child"
    )
    risk_of_harm = _answer("The carer has behaved in a way that suggests a risk of harm to children")
    unsuitable = _answer("The carer may not be suitable to work with children")
    carers_own_child = _answer("It concerns the carer's own child")
    other_borough = _answer("The carer lives in another borough")
    route = _choice(Route.choices, "Route: choose one of the routes (SOC-2)")
    reasons = _text(help_text="Why this route was chosen")
    lado = _text(200, "For an allegation: the LADO's name and authority")
    borough = _text(120, "For an allegation about a carer living in another borough: that borough")
    decided_on = _day("Default: today")


class AllegationOutcomeInput(serializers.Serializer[Any]):
    concern = _id("A concern routed to the LADO")
    outcome = _choice(AllegationOutcome.choices, "Outcome: choose one of the outcomes (SOC-3)")
    lado = _text(200, "Who gave the outcome")
    outcome_on = _day("The date of the outcome")
    note = _text()


class ActionItemInput(serializers.Serializer[Any]):
    what = _text(help_text="What will be done")
    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Who does it: a carer of the household, or a worker who sees it",
    )
    due_on = _day("Done by: no earlier than the visit")


class VisitInput(serializers.Serializer[Any]):
    concern = _id("A concern on the standards of care route, not yet visited about")
    visited_on = _day("The date of the visit")
    standards = _ids("Relevant National Minimum Standards: ids from the service's list")
    concerns_discussed = _text(help_text="The concerns discussed")
    carer_response = _text(help_text="The carer's response")
    actions = serializers.ListField(
        child=ActionItemInput(),
        required=False,
        default=list,
        max_length=MAX_ITEMS,
        help_text="The actions agreed: at least one",
    )


class ActionDoneInput(serializers.Serializer[Any]):
    done_on = _day("The date the action was done")


class ProposalDecisionInput(serializers.Serializer[Any]):
    convene = _answer("Convene a standards of care meeting: yes or no")
    decision_reasons = _text(help_text="Why")


class HouseholdFilter(QueryFilter):
    household = id_field("Only this household's records")


class ConcernPartFilter(QueryFilter):
    concern = id_field("Only this concern's records")


class ActionFilter(QueryFilter):
    visit = id_field("Only this visit's actions")
    overdue = flag_field("true: only actions not done by their date (SOC-5); false: only the others")


class ProposalFilter(QueryFilter):
    household = id_field("Only this household's proposals")
    decided = flag_field("true: only those decided; false: only those waiting for a decision")


# Helpers ---------------------------------------------------------------------------------------


def _household(user: User, pk: int) -> Household:
    household = households_visible_to(user).filter(pk=pk).select_related("service").first()
    if household is None:
        raise NotFound
    return household


def _concern(user: User, pk: int) -> Concern:
    concern = selectors.concerns_visible_to(user).filter(pk=pk).select_related("household").first()
    if concern is None:
        raise NotFound
    return concern


def _children(household: Household, ids: list[int]) -> list[Child]:
    children = list(Child.objects.filter(service_id=household.service_id, pk__in=ids))
    if len(children) != len(set(ids)):
        raise _refuse("children", "Children involved: only children placed in this household (SOC-1)")
    return children


def _standards(household: Household, ids: list[int]) -> list[NationalMinimumStandard]:
    standards = list(NationalMinimumStandard.objects.filter(service_id=household.service_id, pk__in=ids))
    if len(standards) != len(set(ids)):
        raise _refuse(
            "standards", "Relevant National Minimum Standards: choose from the service's list (SOC-4)"
        )
    return standards


def _actions(household: Household, items: list[dict[str, Any]]) -> list[services.ActionInput]:
    ids = {item["owner"] for item in items if item["owner"] is not None}
    owners = {user.pk: user for user in User.objects.filter(service_id=household.service_id, pk__in=ids)}
    actions = []
    for number, item in enumerate(items, start=1):
        owner_id = item["owner"]
        if owner_id is not None and owner_id not in owners:
            # Never says whether the account exists elsewhere: the service's own refusal.
            raise _refuse(
                "actions",
                f"Actions: action {number} can be given only to a carer of this household or a worker "
                "who sees it (SOC-4)",
            )
        actions.append(
            services.ActionInput(
                what=item["what"], owner=owners.get(owner_id) if owner_id else None, due_on=item["due_on"]
            )
        )
    return actions


# The standards list (SOC-4) --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="SOC-4: the National Minimum Standards a visit may name (the service's list)"),
)
class StandardViewSet(mixins.ListModelMixin, CaseViewSet):
    model = NationalMinimumStandard
    serializer_class = StandardSerializer

    def scope(self, user: User) -> QuerySet[NationalMinimumStandard]:
        return NationalMinimumStandard.objects.filter(service_id=user.service_id, active=True)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset).order_by("number", "id")


# Concerns (SOC-1) ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-1 standards of care concerns the caller may see", parameters=[HouseholdFilter]
    ),
    retrieve=extend_schema(
        summary="One standards of care concern (logged as a view of the household)",
        responses={200: ConcernSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="SOC-1: record a concern about a carer's practice; alerts the SSW and the fostering "
        "managers and asks for its route today",
        request=ConcernInput,
        responses={201: ConcernSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class ConcernViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = Concern
    serializer_class = ConcernSerializer
    filter_class = HouseholdFilter

    def scope(self, user: User) -> QuerySet[Concern]:
        # The selector's queryset is Concern.objects'; it adds each concern's current route.
        concerns = cast(ConcernQuerySet, selectors.concerns_visible_to(user))
        return concerns.with_route().select_related("allegation_result", "visit").prefetch_related("children")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        concern = self.get_object()
        log_view(request, concern.household, via_api=True)
        return self.render(concern)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.record_concern")
        data = self.parse(ConcernInput)
        household = _household(self.user, data.pop("household"))
        children = _children(household, data.pop("children"))
        with refusals():
            concern = services.concern_record(actor=self.user, household=household, children=children, **data)
        return self.render(concern, code=status.HTTP_201_CREATED)


# Routes (SOC-2, SOC-3) -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-2 route decisions the caller may see, each kept when a later one changes the route",
        parameters=[ConcernPartFilter],
    ),
    retrieve=extend_schema(
        summary="One route decision", responses={200: RouteDecisionSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="SOC-2: a fostering manager answers each threshold and routes the concern (or re-routes "
        "it); SOC-3: never to standards of care after the LADO found no evidence of harm",
        request=RouteDecisionInput,
        responses={201: RouteDecisionSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class RouteDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = RouteDecision
    serializer_class = RouteDecisionSerializer
    filter_class = ConcernPartFilter

    def scope(self, user: User) -> QuerySet[RouteDecision]:
        return selectors.route_decisions_visible_to(user).select_related("concern__household")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "concern" in filters:
            queryset = queryset.filter(concern_id=filters["concern"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        decision = self.get_object()
        log_view(request, decision.concern.household, via_api=True)
        return self.render(decision)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.decide_route")
        data = self.parse(RouteDecisionInput)
        concern = _concern(self.user, data.pop("concern"))
        with refusals():
            decision = services.route_decide(actor=self.user, concern=concern, **data)
        return self.render(decision, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="SOC-3 allegation outcomes the caller may see", parameters=[ConcernPartFilter]
    ),
    create=extend_schema(
        summary="SOC-3: record what the LADO's investigation of a concern found; recorded once, never changed",
        request=AllegationOutcomeInput,
        responses={201: AllegationResultSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class AllegationOutcomeViewSet(mixins.ListModelMixin, NewestFirstViewSet):
    model = AllegationResult
    serializer_class = AllegationResultSerializer
    filter_class = ConcernPartFilter

    def scope(self, user: User) -> QuerySet[AllegationResult]:
        return selectors.allegation_results_visible_to(user)

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "concern" in filters:
            queryset = queryset.filter(concern_id=filters["concern"])
        return queryset

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.record_allegation_outcome")
        data = self.parse(AllegationOutcomeInput)
        concern = _concern(self.user, data.pop("concern"))
        with refusals():
            result = services.allegation_outcome_record(actor=self.user, concern=concern, **data)
        return self.render(result, code=status.HTTP_201_CREATED)


# Visits and their actions (SOC-4, SOC-5) -------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-4 standards of care visits the caller may see (a carer: those about her household)",
        parameters=[HouseholdFilter],
    ),
    retrieve=extend_schema(
        summary="One standards of care visit, with its actions",
        responses={200: VisitSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="SOC-4: the SSW records the visit: the standards named, what was discussed and answered, "
        "and the actions agreed (each with who and by when)",
        request=VisitInput,
        responses={201: VisitSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = Visit
    serializer_class = VisitSerializer
    filter_class = HouseholdFilter

    def scope(self, user: User) -> QuerySet[Visit]:
        return (
            selectors.visits_visible_to(user)
            .select_related("household")
            .prefetch_related("standards", "actions")
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        log_view(request, visit.household, via_api=True)
        return self.render(visit)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.record_visit")
        data = self.parse(VisitInput)
        concern = _concern(self.user, data.pop("concern"))
        household = concern.household
        standards = _standards(household, data.pop("standards"))
        actions = _actions(household, data.pop("actions"))
        with refusals():
            visit = services.visit_record(
                actor=self.user, concern=concern, standards=standards, actions=actions, **data
            )
        return self.render(self.get_queryset().get(pk=visit.pk), code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="SOC-4 actions agreed at the visits the caller may see (a carer: her household's)",
        parameters=[ActionFilter],
    ),
    retrieve=extend_schema(
        summary="One agreed action", responses={200: VisitActionSerializer, 404: NOT_FOUND}
    ),
)
class VisitActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = VisitAction
    serializer_class = VisitActionSerializer
    filter_class = ActionFilter

    def scope(self, user: User) -> QuerySet[VisitAction]:
        return selectors.visit_actions_visible_to(user).select_related("visit__household")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "visit" in filters:
            queryset = queryset.filter(visit_id=filters["visit"])
        overdue = {"done_on__isnull": True, "due_on__lt": self.today}
        if filters.get("overdue") is True:
            queryset = queryset.filter(**overdue)
        elif filters.get("overdue") is False:
            queryset = queryset.exclude(**overdue)
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        log_view(request, item.visit.household, via_api=True)
        return self.render(item)

    @extend_schema(
        summary="SOC-4, SOC-5: the action is done (the SSW, the fostering managers); once done it no "
        "longer counts as overdue",
        request=ActionDoneInput,
        responses={200: VisitActionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="done", url_name="done")
    def done(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        require_perm(self.user, "standards.record_action_done")
        data = self.parse(ActionDoneInput)
        with refusals():
            item = services.action_done(actor=self.user, action=item, done_on=data["done_on"])
        return self.render(item)


# Proposed meetings (SOC-5) ---------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-5 standards of care meetings Safecare proposed, that the caller may see",
        parameters=[ProposalFilter],
    ),
    retrieve=extend_schema(
        summary="One proposed meeting", responses={200: MeetingProposalSerializer, 404: NOT_FOUND}
    ),
)
class MeetingProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = MeetingProposal
    serializer_class = MeetingProposalSerializer
    filter_class = ProposalFilter

    def scope(self, user: User) -> QuerySet[MeetingProposal]:
        return (
            selectors.proposals_visible_to(user)
            .select_related("household", "task")
            .prefetch_related("concerns", "actions")
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        if "decided" in filters:
            queryset = queryset.filter(decided_at__isnull=not filters["decided"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        log_view(request, proposal.household, via_api=True)
        return self.render(proposal)

    @extend_schema(
        summary="SOC-5: a fostering manager decides whether to convene the meeting, with reasons "
        "(closes the decision task)",
        request=ProposalDecisionInput,
        responses={200: MeetingProposalSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="decide", url_name="decide")
    def decide(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        require_perm(self.user, "standards.decide_meeting")
        data = self.parse(ProposalDecisionInput)
        with refusals():
            proposal = services.proposal_decide(
                actor=self.user,
                proposal=proposal,
                convene=data["convene"],
                reasons=data["decision_reasons"],
            )
        return self.render(proposal)


def register(router: SimpleRouter) -> None:
    router.register("soc-concerns", ConcernViewSet, basename="soc-concern")
    router.register("soc-route-decisions", RouteDecisionViewSet, basename="soc-route-decision")
    router.register("soc-allegation-outcomes", AllegationOutcomeViewSet, basename="soc-allegation-outcome")
    router.register("soc-visits", VisitViewSet, basename="soc-visit")
    router.register("soc-visit-actions", VisitActionViewSet, basename="soc-visit-action")
    router.register("soc-meeting-proposals", MeetingProposalViewSet, basename="soc-meeting-proposal")
    router.register("national-minimum-standards", StandardViewSet, basename="national-minimum-standard")
    # Each part of the procedure registers its own routes (SOC-4 signing, SOC-7/8 meeting and
    # report, SOC-10 outcome and panel).
    from . import api_meeting, api_panel, api_report, api_visit

    for part in (api_visit, api_meeting, api_report, api_panel):
        part.register(router)
