"""The REST API under /api/v1/: parse, call one service, render.

Every queryset comes from a core.access scope, so a record outside the
caller's scope is answered 404, exactly as on the web pages. Writes go through
households.services and core.tasks only; the ValidationError a service raises
becomes a 400 with the same field keys and messages (rules: Everywhere: a clear message
naming the field and the rule). Every read of one household or child record
is written to the access log (rules: Everywhere).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from safecare.core.access import sees_case_content, tasks_visible_to
from safecare.core.audit import log_list, log_view
from safecare.core.concurrency import StaleEdit, record_version
from safecare.core.models import FosteringService, Task, TaskStatus, User
from safecare.core.roles import Role
from safecare.core.tasks import task_mark_done
from safecare.households import services
from safecare.households.access import (
    children_visible_to,
    households_visible_to,
    members_visible_to,
    placements_visible_to,
)
from safecare.households.models import Allocation, Child, Household, HouseholdMember, Placement
from safecare.households.workflow import may_change_any_status, permission_for

from . import serializers as s
from .bodies import wrong_types
from .filters import QueryFilter, parse_query
from .permissions import require_perm

NOT_FOUND = OpenApiResponse(description="No such record, or none the caller may see or act on")
STALE = OpenApiResponse(description="Someone else changed the record since the caller read it (If-Match)")
NO_VERSION = OpenApiResponse(description="If-Match is missing: send the ETag the record was read with")
IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as the caller last read it. A change saved meanwhile "
    "by someone else is never overwritten: the update is refused with 412 (rules: Everywhere).",
)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "If-Match: send the ETag of the record you read, so no one else's change is overwritten."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"


INVALID = OpenApiResponse(description="Refused: {field: [message naming the field and the rule]}")


def _is_carer(user: Any) -> bool:
    return getattr(user, "role", None) == Role.CARER


def _field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): list(messages)
        for field, messages in exc.message_dict.items()
    }


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's refusal becomes a 400 with the service's own field keys and messages."""
    try:
        yield
    except StaleEdit as exc:
        raise PreconditionFailed(detail=exc.messages[0]) from exc
    except DjangoValidationError as exc:
        raise serializers.ValidationError(_field_errors(exc)) from exc


def _current_allocations() -> Prefetch[Any]:
    return Prefetch(
        "allocations",
        queryset=Allocation.objects.current().select_related("worker"),
        to_attr="current_allocations",
    )


class CaseViewSet(viewsets.GenericViewSet[Any]):
    # Reads scoped by core.access; nothing of a case for roles that see no case content.
    model: type[Model]
    lookup_value_regex = r"[0-9]+"

    @cached_property
    def today(self) -> dt.date:
        # One date per request: a placement ending today is over for the whole answer.
        return timezone.localdate()

    @property
    def user(self) -> User:
        return self.request.user  # type: ignore[return-value]

    @property
    def service(self) -> FosteringService:
        # An account of no service (a platform superuser) has no case data to write to.
        if self.user.service is None:
            raise NotFound
        return self.user.service

    def scope(self, user: User) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        # rules: Who sees what: service administrators and business support see no case content.
        if not sees_case_content(user):  # type: ignore[arg-type]
            return self.model._default_manager.none()
        return self.scope(user)  # type: ignore[arg-type]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": self.today}

    # The list's query parameters (safecare.api.filters): typed, and a 400 naming any that is wrong.
    filter_class: type[QueryFilter] = QueryFilter

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.action != "list":
            return queryset
        return self.filtered(queryset, parse_query(self.request.query_params, self.filter_class))

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        """The list narrowed by its checked filters; a list with filters overrides this."""
        return queryset

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        # Every list of case content is a read of it (rules: Everywhere): one access-log row
        # per request, naming the records on the page returned.
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        log_list(self.request, self.model, [row.pk for row in rows], via_api=True)
        return page

    def parse(
        self, serializer_class: type[serializers.Serializer[Any]], *, partial: bool = False
    ) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        # A misspelt or read-only field would otherwise be dropped in silence and the
        # caller told "200 OK" about a change that never happened.
        if isinstance(self.request.data, Mapping):
            unknown = sorted(set(self.request.data) - set(serializer.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [f"{name}: cannot be set through this request"] for name in unknown}
                )
            mistyped = wrong_types(serializer, self.request.data)
            if mistyped:
                raise serializers.ValidationError(mistyped)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def render(self, instance: Any, *, code: int = status.HTTP_200_OK) -> Response:
        response = Response(self.get_serializer(instance).data, status=code)
        if hasattr(instance, "history"):
            # The version a later update must name in If-Match (core.concurrency).
            response["ETag"] = f'"{record_version(instance)}"'
        return response

    def expected_version(self) -> int:
        match = re.fullmatch(r'\s*(?:W/)?"?(\d+)"?\s*', self.request.headers.get("If-Match", ""))
        if match is None:
            raise PreconditionRequired
        return int(match.group(1))


class NewestFirstViewSet(CaseViewSet):
    """A procedure's list, newest record first (by id): the order its pages list in."""

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset).order_by("-id")


# Households and members -------------------------------------------------------------------------

HOUSEHOLD = PolymorphicProxySerializer(
    component_name="HouseholdForRole",
    serializers={s.FULL: s.HouseholdSerializer, s.CARER: s.CarerHouseholdSerializer},
    resource_type_field_name="view",
)


@extend_schema_view(
    list=extend_schema(summary="Households the caller may see", responses=HOUSEHOLD),
    retrieve=extend_schema(
        summary="One household (logged in the access log)", responses={200: HOUSEHOLD, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Record a new household",
        request=s.HouseholdInputSerializer,
        responses={201: s.HouseholdSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Change a household's name, team or terms of approval",
        request=s.HouseholdInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.HouseholdSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: NO_VERSION},
    ),
)
class HouseholdViewSet(mixins.ListModelMixin, CaseViewSet):
    """Fostering households. A carer reads a reduced record of their own household."""

    model = Household

    def scope(self, user: User) -> QuerySet[Household]:
        households = households_visible_to(user, today=self.today)
        if _is_carer(user):
            return households
        return households.prefetch_related(_current_allocations())

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "change_status":
            return s.HouseholdStatusChangeSerializer
        if self.action == "members":
            return s.MemberSerializer
        if _is_carer(self.request.user):
            return s.CarerHouseholdSerializer
        return s.HouseholdSerializer

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        household = self.get_object()
        log_view(request, household, via_api=True)
        return self.render(household)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "households.add_household")
        data = self.parse(s.HouseholdInputSerializer)
        with service_errors():
            household = services.household_create(actor=self.user, service=self.service, **data)
        return self.render(household, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        household = self.get_object()
        require_perm(self.user, "households.change_household")
        version = self.expected_version()
        data = self.parse(s.HouseholdInputSerializer, partial=True)
        with service_errors():
            household = services.household_update(
                actor=self.user, household=household, expected_version=version, **data
            )
        return self.render(household)

    @extend_schema(
        summary="Move a household to another approval status",
        description="The workflow refuses a move it does not allow, and approval while a rule "
        '(e.g. SC-2, Skills to Foster) is unmet, with 400 {"to_status": [reason]}. The change takes '
        "effect today or on a day already past, never before the household's previous change "
        '(400 {"effective_on": [reason]}). Resigned and deregistered are final: they need '
        '"confirm": true (400 {"confirm": [reason]} without it), every placement with the household '
        "ended on or before the date, and they cancel the household's open tasks.",
        request=s.HouseholdStatusChangeInputSerializer,
        responses={201: s.HouseholdStatusChangeSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request: Request, pk: str | None = None) -> Response:
        household = self.get_object()
        if not may_change_any_status(self.user):
            raise NotFound
        data = self.parse(s.HouseholdStatusChangeInputSerializer)
        if not self.user.has_perm(permission_for(data["to_status"])):
            raise serializers.ValidationError(
                {
                    "to_status": [
                        "Status: approval, deregistration and resuming from hold are decisions for a manager"
                    ]
                }
            )
        with service_errors():
            change = services.household_change_status(
                actor=self.user,
                household=household,
                to_status=data["to_status"],
                effective_on=data.get("effective_on"),
                reason=data.get("reason", ""),
                confirmed=data.get("confirm", False),
            )
        return self.render(change, code=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The people living in a household",
        responses={200: s.MemberSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record someone living in a household",
        request=s.MemberInputSerializer,
        responses={201: s.MemberSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(
        detail=True, methods=["get", "post"], url_path="members", url_name="members", pagination_class=None
    )
    def members(self, request: Request, pk: str | None = None) -> Response:
        household = self.get_object()
        if request.method == "POST":
            require_perm(self.user, "households.change_household")
            data = self.parse(s.MemberInputSerializer)
            with service_errors():
                member = services.member_add(actor=self.user, household=household, **data)
            return self.render(member, code=status.HTTP_201_CREATED)
        # The members are part of the household's record: reading them is a view of it.
        log_view(request, household, via_api=True)
        members = members_visible_to(self.user, today=self.today).filter(household=household)
        return Response(self.get_serializer(members, many=True).data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="One person living in a household", responses={200: s.MemberSerializer, 404: NOT_FOUND}
    ),
    partial_update=extend_schema(
        summary="Change what is recorded about someone living in a household",
        request=s.MemberInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.MemberSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: NO_VERSION},
    ),
)
class MemberViewSet(CaseViewSet):
    """The people living in a household, for whoever may see the household."""

    model = HouseholdMember
    serializer_class = s.MemberSerializer

    def scope(self, user: User) -> QuerySet[HouseholdMember]:
        return members_visible_to(user, today=self.today).select_related("household")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        member = self.get_object()
        log_view(request, member.household, via_api=True)
        return self.render(member)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        member = self.get_object()
        require_perm(self.user, "households.change_household")
        version = self.expected_version()
        data = self.parse(s.MemberInputSerializer, partial=True)
        with service_errors():
            member = services.member_update(actor=self.user, member=member, expected_version=version, **data)
        return self.render(member)


# Children and placements ----------------------------------------------------------------------

CHILD = PolymorphicProxySerializer(
    component_name="ChildForRole",
    serializers={s.FULL: s.ChildSerializer, s.CARER: s.CarerChildSerializer},
    resource_type_field_name="view",
)


@extend_schema_view(
    list=extend_schema(summary="Children the caller may see", responses=CHILD),
    retrieve=extend_schema(
        summary="One child (logged in the access log)", responses={200: CHILD, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Record a child in care",
        request=s.ChildCreateSerializer,
        responses={201: s.ChildSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Change a child's details",
        request=s.ChildInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ChildSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: NO_VERSION},
    ),
)
class ChildViewSet(mixins.ListModelMixin, CaseViewSet):
    """Children in care. A carer reads only what they need of a child placed with them."""

    model = Child

    def scope(self, user: User) -> QuerySet[Child]:
        children = children_visible_to(user, today=self.today).prefetch_related(
            Prefetch(
                "placements", queryset=Placement.objects.current(self.today), to_attr="current_placements"
            )
        )
        if _is_carer(user):
            return children
        return children.prefetch_related(_current_allocations())

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if _is_carer(self.request.user):
            return s.CarerChildSerializer
        return s.ChildSerializer

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        child = self.get_object()
        log_view(request, child, via_api=True)
        return self.render(child)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "households.add_child")
        data = self.parse(s.ChildCreateSerializer)
        with service_errors():
            child = services.child_create(actor=self.user, service=self.service, **data)
        return self.render(child, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        child = self.get_object()
        require_perm(self.user, "households.change_child")
        version = self.expected_version()
        data = self.parse(s.ChildInputSerializer, partial=True)
        with service_errors():
            child = services.child_update(actor=self.user, child=child, expected_version=version, **data)
        return self.render(child)


@extend_schema_view(
    list=extend_schema(summary="Placements of the children the caller may see"),
    retrieve=extend_schema(
        summary="One placement (logged as a view of the child's record)",
        responses={200: s.PlacementSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Place a child with an approved household",
        description='Refused with 400 naming the field and the rule, e.g. {"household": '
        '["Household: a child can only be placed with an approved household; ..."]}, or '
        '{"start_on": ["Start date: the household was not approved until 3 November 2026"]}: the '
        "household must be approved today and on the start date.",
        request=s.PlacementCreateSerializer,
        responses={201: s.PlacementSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class PlacementViewSet(mixins.ListModelMixin, CaseViewSet):
    """Placements of the children the caller may see; a carer sees only those current with them."""

    model = Placement
    serializer_class = s.PlacementSerializer

    def scope(self, user: User) -> QuerySet[Placement]:
        return placements_visible_to(user, today=self.today).select_related("child")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        # A placement is part of the child's record (rules: Everywhere: every view is logged).
        log_view(request, placement.child, via_api=True)
        return self.render(placement)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "households.manage_placements")
        data = self.parse(s.PlacementCreateSerializer)
        with service_errors():
            placement = services.placement_create(actor=self.user, **data)
        return self.render(placement, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a placement; from the end date the carers no longer see the child",
        request=s.PlacementEndSerializer,
        responses={200: s.PlacementSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="end", url_name="end")
    def end(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        require_perm(self.user, "households.manage_placements")
        data = self.parse(s.PlacementEndSerializer)
        with service_errors():
            placement = services.placement_end(actor=self.user, placement=placement, **data)
        return self.render(placement)


# Tasks ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Tasks the caller may see", parameters=[s.TaskFilterSerializer]),
    retrieve=extend_schema(summary="One task", responses={200: s.TaskSerializer, 404: NOT_FOUND}),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet):
    """Duties from the policies: a user's own, a team manager's team's, a service manager's all."""

    model = Task
    serializer_class = s.TaskSerializer

    def scope(self, user: User) -> QuerySet[Task]:
        return tasks_visible_to(user).select_related("owner")

    filter_class = s.TaskFilterSerializer

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if filters.get("rule_id"):
            queryset = queryset.filter(rule_id=filters["rule_id"])
        if filters.get("owner"):
            queryset = queryset.filter(owner_id=filters["owner"])
        if filters.get("status"):
            queryset = queryset.filter(status=filters["status"])
        overdue = Q(status=TaskStatus.OPEN, due_on__lt=self.today)
        if filters.get("overdue") is True:
            queryset = queryset.filter(overdue)
        elif filters.get("overdue") is False:
            queryset = queryset.exclude(overdue)
        return queryset.order_by("due_on", "id")

    @extend_schema(
        summary="Mark a reminder done, saying what was done",
        description="A duty that a record fulfils (an assessment, a signature, a review, a decision) "
        "closes only when that record is made, and is refused here with 400 (rules: Everywhere).",
        request=s.TaskDoneSerializer,
        responses={200: s.TaskSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="done", url_name="done")
    def done(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        note = self.parse(s.TaskDoneSerializer)["note"]
        try:
            with service_errors():
                task = task_mark_done(actor=self.user, task=task, note=note)
        except PermissionDenied as exc:
            raise NotFound from exc
        return self.render(task)
