"""Input and output serializers of the API, one of each per operation where they differ.

Output serializers only read. Input serializers only parse and check types:
they never save, because every write goes through a service (households.services,
core.tasks), which holds the rules, the transaction and the audit record.

What a role may see decides the output serializer: a foster carer reads a
reduced record of their household and of a child placed with them (rules: Who sees what),
never allocations, teams or surnames. Each role-dependent record carries a
`view` field ("full" or "carer") so a client and the schema know which shape
came back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safecare.core.models import Task, TaskStatus, Team, User
from safecare.core.roles import Role
from safecare.core.tasks import duty_kind
from safecare.households.access import children_visible_to, households_visible_to
from safecare.households.models import (
    Allocation,
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    MemberKind,
    Placement,
    PlacementEndReason,
)
from safecare.households.workflow import PLACEABLE

from .filters import QueryFilter, id_field

FULL = "full"
CARER = "carer"


def _today(serializer: serializers.BaseSerializer[Any]) -> dt.date:
    today = serializer.context.get("today")
    return today if isinstance(today, dt.date) else timezone.localdate()


def _current_placement(child: Child, today: dt.date) -> Placement | None:
    # Views prefetch `current_placements`; a freshly written child has none loaded.
    placements = getattr(child, "current_placements", None)
    if placements is None:
        placements = list(child.placements.current(today))
    return placements[0] if placements else None


def _current_allocations(subject: Household | Child) -> list[Allocation]:
    allocations = getattr(subject, "current_allocations", None)
    if allocations is None:
        allocations = list(subject.allocations.current().select_related("worker"))
    return allocations


# Shared pieces --------------------------------------------------------------------------


class AllocationSerializer(serializers.ModelSerializer[Allocation]):
    worker_name = serializers.CharField(source="worker.display_name", read_only=True)

    class Meta:
        model = Allocation
        fields = ["kind", "worker", "worker_name", "started_at"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ServiceScopedField(serializers.PrimaryKeyRelatedField[Any]):
    """A reference to a row of the caller's own fostering service, and nothing else.

    `limit` narrows the queryset further for the caller (e.g. the children they
    may see). A key outside it is answered like a key that does not exist.
    """

    def __init__(self, *, model: Any, message: str, limit: Any = None, **kwargs: Any) -> None:
        self.model = model
        self.limit = limit
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {
            "does_not_exist": message,
            "incorrect_type": message,
            **kwargs["error_messages"],
        }
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "service_id", None):
            return self.model.objects.none()
        if self.limit is not None:
            return self.limit(user)
        return self.model.objects.filter(service_id=user.service_id)


# Households ---------------------------------------------------------------------------------


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    view = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True)
    allocations = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "view",
            "id",
            "reference",
            "name",
            "status",
            "approved_on",
            "team",
            "max_children",
            "age_min",
            "age_max",
            "postcode",
            "safer_caring_guidance_given_on",
            "allocations",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [FULL]})
    def get_view(self, household: Household) -> str:
        return FULL

    @extend_schema_field(AllocationSerializer(many=True))
    def get_allocations(self, household: Household) -> list[dict[str, Any]]:
        return AllocationSerializer(_current_allocations(household), many=True).data  # type: ignore[return-value]


class CarerHouseholdSerializer(serializers.ModelSerializer[Household]):
    """A carer's own household: no team, no allocations (rules: Who sees what)."""

    view = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Household
        fields = [
            "view",
            "id",
            "reference",
            "name",
            "status",
            "approved_on",
            "max_children",
            "age_min",
            "age_max",
            "postcode",
            "safer_caring_guidance_given_on",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [CARER]})
    def get_view(self, household: Household) -> str:
        return CARER


class HouseholdInputSerializer(serializers.Serializer[Household]):
    name = serializers.CharField(max_length=120)
    team = ServiceScopedField(
        model=Team, message="Team: must be a team of your fostering service", allow_null=True, required=False
    )
    max_children = serializers.IntegerField(min_value=1, max_value=10, required=False)
    age_min = serializers.IntegerField(min_value=0, max_value=21, required=False)
    age_max = serializers.IntegerField(min_value=0, max_value=21, required=False)
    postcode = serializers.CharField(max_length=10, allow_blank=True, required=False)


_STATUSES = ", ".join(HouseholdStatus.values)


class HouseholdStatusChangeInputSerializer(serializers.Serializer[HouseholdStatusChange]):
    to_status = serializers.ChoiceField(
        choices=HouseholdStatus.choices,
        error_messages={
            "required": f"New status: required, one of {_STATUSES}",
            "invalid_choice": f'New status: "{{input}}" is not a status; use one of {_STATUSES}',
            "null": f"New status: required, one of {_STATUSES}",
        },
    )
    effective_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The day the change took effect: today (the default) or a day already past, "
        "not before the household's previous status change",
        error_messages={"invalid": "Date the change takes effect: must be a real date, as YYYY-MM-DD"},
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        error_messages={"max_length": "Reason: at most 2000 characters"},
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required as true to make a household resigned or deregistered: those are final "
        "and cannot be undone",
        error_messages={"invalid": "Confirm: must be true or false"},
    )


class HouseholdStatusChangeSerializer(serializers.ModelSerializer[HouseholdStatusChange]):
    class Meta:
        model = HouseholdStatusChange
        fields = [
            "id",
            "household",
            "from_status",
            "to_status",
            "effective_on",
            "reason",
            "changed_by",
            "changed_at",
        ]
        read_only_fields = fields


# Members --------------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer[HouseholdMember]):
    class Meta:
        model = HouseholdMember
        fields = [
            "id",
            "household",
            "kind",
            "first_name",
            "last_name",
            "date_of_birth",
            "moved_in_on",
            "moved_out_on",
        ]
        read_only_fields = fields


class MemberInputSerializer(serializers.Serializer[HouseholdMember]):
    kind = serializers.ChoiceField(choices=MemberKind.choices)
    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    date_of_birth = serializers.DateField()
    moved_in_on = serializers.DateField(required=False, allow_null=True)
    moved_out_on = serializers.DateField(required=False, allow_null=True)


# Children -------------------------------------------------------------------------------------


class ChildPlacementSerializer(serializers.ModelSerializer[Placement]):
    class Meta:
        model = Placement
        fields = ["id", "household", "start_on", "emergency"]
        read_only_fields = fields


class ChildSerializer(serializers.ModelSerializer[Child]):
    view = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True)
    age = serializers.SerializerMethodField()
    current_placement = serializers.SerializerMethodField()
    allocations = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = [
            "view",
            "id",
            "reference",
            "first_name",
            "last_name",
            "date_of_birth",
            "age",
            "team",
            "current_placement",
            "allocations",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [FULL]})
    def get_view(self, child: Child) -> str:
        return FULL

    def get_age(self, child: Child) -> int:
        return child.age_on(_today(self))

    @extend_schema_field(ChildPlacementSerializer(allow_null=True))
    def get_current_placement(self, child: Child) -> dict[str, Any] | None:
        placement = _current_placement(child, _today(self))
        return ChildPlacementSerializer(placement).data if placement else None

    @extend_schema_field(AllocationSerializer(many=True))
    def get_allocations(self, child: Child) -> list[dict[str, Any]]:
        return AllocationSerializer(_current_allocations(child), many=True).data  # type: ignore[return-value]


class CarerChildSerializer(serializers.ModelSerializer[Child]):
    """What a carer needs of a child placed with them, and no more (rules: Who sees what)."""

    view = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()
    placement_start_on = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = ["view", "id", "first_name", "age", "placement_start_on"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [CARER]})
    def get_view(self, child: Child) -> str:
        return CARER

    def get_age(self, child: Child) -> int:
        return child.age_on(_today(self))

    def get_placement_start_on(self, child: Child) -> dt.date | None:
        placement = _current_placement(child, _today(self))
        return placement.start_on if placement else None


def _csw_choices(user: User) -> Any:
    return User.objects.filter(service_id=user.service_id, role=Role.CHILDS_SW, is_active=True)


class ChildInputSerializer(serializers.Serializer[Child]):
    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    date_of_birth = serializers.DateField()
    team = ServiceScopedField(
        model=Team, message="Team: must be a team of your fostering service", allow_null=True, required=False
    )


class ChildCreateSerializer(ChildInputSerializer):
    csw = ServiceScopedField(
        model=User,
        limit=_csw_choices,
        message="Child's social worker: must be a child's social worker of your fostering service",
        allow_null=True,
        required=False,
    )
    different_child = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A child with this name and date of birth is already recorded, and this is a different "
        "child. Without it, the same child again is refused (400, naming this field).",
    )


# Placements -----------------------------------------------------------------------------------


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    class Meta:
        model = Placement
        fields = ["id", "child", "household", "start_on", "end_on", "end_reason", "emergency"]
        read_only_fields = fields


def _visible_children(user: User) -> Any:
    return children_visible_to(user)


def _placeable_households(user: User) -> Any:
    # Any approved household of the service may receive a child, seen or not; a
    # household the caller can see is offered too, so that placing into one that
    # is not approved is refused with the rule's reason rather than "not found".
    return Household.objects.filter(service_id=user.service_id).filter(
        Q(status__in=PLACEABLE) | Q(pk__in=households_visible_to(user).values("pk"))
    )


class PlacementCreateSerializer(serializers.Serializer[Placement]):
    child = ServiceScopedField(
        model=Child, limit=_visible_children, message="Child: no child you can see has this id"
    )
    household = ServiceScopedField(
        model=Household,
        limit=_placeable_households,
        message="Household: a child can only be placed with an approved household of your fostering service",
    )
    start_on = serializers.DateField(
        help_text="The household must have been approved on this day, as well as today",
        error_messages={
            "required": "Start date: required, as YYYY-MM-DD",
            "null": "Start date: required, as YYYY-MM-DD",
            "invalid": "Start date: must be a real date, as YYYY-MM-DD",
        },
    )
    emergency = serializers.BooleanField(
        required=False, default=False, error_messages={"invalid": "Emergency: must be true or false"}
    )


class PlacementEndSerializer(serializers.Serializer[Placement]):
    end_on = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=PlacementEndReason.choices)


# Tasks ----------------------------------------------------------------------------------------


class TaskDoneSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=2000,
        allow_blank=False,
        trim_whitespace=True,
        help_text="What was done. Only a reminder may be marked done by hand",
        error_messages={
            "required": "What was done: say what was done before marking it done",
            "blank": "What was done: say what was done before marking it done",
        },
    )


class TaskSerializer(serializers.ModelSerializer[Task]):
    reference = serializers.CharField(read_only=True)
    owner_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    closes_with = serializers.SerializerMethodField(
        help_text="The record that closes this duty; empty for a reminder a person may mark done"
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "reference",
            "rule_id",
            "kind",
            "title",
            "household",
            "child",
            "owner",
            "owner_name",
            "team",
            "due_on",
            "due_basis",
            "closes_with",
            "status",
            "overdue",
            "completed_at",
            "closed_note",
        ]
        read_only_fields = fields

    def get_closes_with(self, task: Task) -> str:
        kind = duty_kind(task.kind)
        return kind.fulfilled_by if kind else ""

    def get_owner_name(self, task: Task) -> str | None:
        return task.owner.display_name if task.owner else None

    def get_overdue(self, task: Task) -> bool:
        return task.is_overdue(_today(self))


class TaskFilterSerializer(QueryFilter):
    rule_id = serializers.CharField(required=False, max_length=16, help_text="Policy rule, e.g. SC-3")
    owner = id_field("Id of the user who owns the task")
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only open tasks past their due date; false: only the others",
    )
