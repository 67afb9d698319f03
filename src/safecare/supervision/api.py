"""API routes of recordings (SC-7, PH-2) and supervisions (SC-10, DV-2), under /api/v1/.

The same scopes and permissions as the pages (selectors.py, rules.py); writes
through services.py only; updates need If-Match with the record's ETag, so a
change saved meanwhile is never overwritten (rules: Everywhere).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, flag_field, id_field
from safecare.api.permissions import require_perm
from safecare.api.serializers import ServiceScopedField
from safecare.api.views import IF_MATCH, INVALID, NO_VERSION, NOT_FOUND, STALE, CaseViewSet, service_errors
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.households.access import children_visible_to, households_visible_to, members_visible_to
from safecare.households.models import Child, Household, HouseholdMember

from . import selectors, services
from .models import Recording, RecordingCategory, Supervision, SupervisionAmendment

# Serializers -------------------------------------------------------------------------------------


class RecordingSerializer(serializers.ModelSerializer[Recording]):
    reference = serializers.CharField(read_only=True)
    written_by = serializers.CharField(source="written_by.display_name", read_only=True)
    edited = serializers.BooleanField(source="is_edited", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = [
            "id",
            "reference",
            "child",
            "household",
            "placement",
            "recorded_on",
            "category",
            "text",
            "written_by",
            "created_at",
            "edited",
            "edited_at",
            "revision",
            "is_read",
        ]
        read_only_fields = fields

    def get_is_read(self, recording: Recording) -> bool:
        """SC-7: whether the SSW (or a fostering manager) has read the current revision."""
        value = getattr(recording, "is_read", None)
        if value is None:
            value = recording.reads.filter(revision=recording.revision).exists()
        return bool(value)


class RecordingCreateSerializer(serializers.Serializer[Recording]):
    child = ServiceScopedField(
        model=Child,
        limit=lambda user: children_visible_to(user),
        message="Child: no child you can see has this id",
    )
    recorded_on = serializers.DateField()
    category = serializers.ChoiceField(choices=RecordingCategory.choices, required=False, allow_blank=True)
    text = serializers.CharField(max_length=20000)


class RecordingUpdateSerializer(serializers.Serializer[Recording]):
    recorded_on = serializers.DateField(required=False)
    category = serializers.ChoiceField(choices=RecordingCategory.choices, required=False, allow_blank=True)
    text = serializers.CharField(max_length=20000, required=False)


class AmendmentSerializer(serializers.ModelSerializer[SupervisionAmendment]):
    made_by = serializers.CharField(source="made_by.display_name", read_only=True)

    class Meta:
        model = SupervisionAmendment
        fields = ["id", "text", "made_by", "made_at"]
        read_only_fields = fields


class AmendmentInputSerializer(serializers.Serializer[SupervisionAmendment]):
    text = serializers.CharField()


class SupervisionSerializer(serializers.ModelSerializer[Supervision]):
    reference = serializers.CharField(read_only=True)
    written_by = serializers.CharField(source="written_by.display_name", read_only=True)
    completed_by = serializers.CharField(source="completed_by.display_name", read_only=True, default=None)
    acknowledged_by = serializers.CharField(
        source="acknowledged_by.display_name", read_only=True, default=None
    )
    amendments = AmendmentSerializer(many=True, read_only=True)

    class Meta:
        model = Supervision
        fields = [
            "id",
            "reference",
            "household",
            "held_on",
            "attendees",
            "other_attendees",
            "discussion",
            "safe_care_discussion",
            "device_check_done",
            "register_complete",
            "device_check_notes",
            "status",
            "written_by",
            "completed_at",
            "completed_by",
            "acknowledged_at",
            "acknowledged_by",
            "amendments",
        ]
        read_only_fields = fields


def _members(user: User) -> QuerySet[HouseholdMember]:
    return members_visible_to(user)


class SupervisionFieldsSerializer(serializers.Serializer[Supervision]):
    held_on = serializers.DateField()
    attendees = ServiceScopedField(
        many=True,
        required=False,
        model=HouseholdMember,
        limit=_members,
        message="Household members present: no member you can see has this id",
    )
    other_attendees = serializers.CharField(required=False, allow_blank=True)
    discussion = serializers.CharField(required=False, allow_blank=True)
    safe_care_discussion = serializers.CharField(required=False, allow_blank=True)
    device_check_done = serializers.BooleanField(required=False, allow_null=True, default=None)
    register_complete = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="DV-2: does the register list every camera and microphone in and around the home? "
        "Needed to complete a record whose devices were checked; when false, the notes say what is missing.",
    )
    device_check_notes = serializers.CharField(required=False, allow_blank=True)
    complete = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Complete the record now: refused without the safe care discussion (SC-10), "
        "when due the device check (DV-2), and with a device check the register answer (DV-2).",
    )


class SupervisionCreateSerializer(SupervisionFieldsSerializer):
    household = ServiceScopedField(
        model=Household,
        limit=lambda user: households_visible_to(user),
        message="Household: no household you can see has this id",
    )


# Views -------------------------------------------------------------------------------------------


class RecordingFilter(QueryFilter):
    household = id_field("Only this household's recordings")
    child = id_field("Only the recordings about this child")
    unread = flag_field("true: only the recordings whose current version nobody has marked read (SC-7)")


class SupervisionFilter(QueryFilter):
    household = id_field("Only this household's supervisions")


@extend_schema_view(
    list=extend_schema(summary="Carers' recordings the caller may read (SC-7)", parameters=[RecordingFilter]),
    retrieve=extend_schema(
        summary="One recording (logged as a view of the child's record)",
        responses={200: RecordingSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="A carer records a day of a child placed with them now (SC-7, PH-2)",
        request=RecordingCreateSerializer,
        responses={201: RecordingSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="The author corrects a recording; the earlier version stays in its history",
        request=RecordingUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: RecordingSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: NO_VERSION},
    ),
)
class RecordingViewSet(mixins.ListModelMixin, CaseViewSet):
    """The carers' "Our Life Together" recordings about the children placed with them."""

    model = Recording
    serializer_class = RecordingSerializer

    def scope(self, user: User) -> QuerySet[Recording]:
        return selectors.with_read_state(
            selectors.recordings_visible_to(user, today=self.today)
        ).select_related("written_by")

    filter_class = RecordingFilter

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        if "child" in filters:
            queryset = queryset.filter(child_id=filters["child"])
        if filters.get("unread") is True:
            queryset = selectors.unread(queryset)
        return queryset.order_by("-recorded_on", "-created_at", "-id")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        recording = self.get_object()
        log_view(request, recording.child, via_api=True)
        return self.render(recording)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "supervision.add_recording")
        data = self.parse(RecordingCreateSerializer)
        with service_errors():
            recording = services.recording_create(actor=self.user, **data)
        return self.render(recording, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        recording = self.get_object()
        if not self.user.has_perm("supervision.change_recording", recording):
            raise NotFound
        version = self.expected_version()
        data = self.parse(RecordingUpdateSerializer, partial=True)
        with service_errors():
            recording = services.recording_update(
                actor=self.user, recording=recording, expected_version=version, **data
            )
        return self.render(self.get_queryset().get(pk=recording.pk))

    @extend_schema(
        summary="Mark a recording read, as it stands now (SC-7)",
        request=None,
        responses={200: RecordingSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="read", url_name="read")
    def read(self, request: Request, pk: str | None = None) -> Response:
        recording = self.get_object()
        require_perm(self.user, "supervision.mark_recording_read")
        with service_errors():
            services.recordings_mark_read(actor=self.user, recordings=[recording])
        return self.render(self.get_queryset().get(pk=recording.pk))


@extend_schema_view(
    list=extend_schema(summary="Supervision records the caller may read", parameters=[SupervisionFilter]),
    retrieve=extend_schema(
        summary="One supervision record (logged as a view of the household's record)",
        responses={200: SupervisionSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Record a supervision, as a draft or completed (SC-10, DV-2)",
        request=SupervisionCreateSerializer,
        responses={201: SupervisionSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Change a draft supervision record; a completed one is locked",
        request=SupervisionFieldsSerializer,
        parameters=[IF_MATCH],
        responses={200: SupervisionSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: NO_VERSION},
    ),
)
class SupervisionViewSet(mixins.ListModelMixin, CaseViewSet):
    """Supervision records: the household's SSW and managers write; its carers read completed ones."""

    model = Supervision
    serializer_class = SupervisionSerializer

    def scope(self, user: User) -> QuerySet[Supervision]:
        return (
            selectors.supervisions_visible_to(user, today=self.today)
            .select_related("written_by", "completed_by", "acknowledged_by")
            .prefetch_related("attendees", "amendments__made_by")
        )

    filter_class = SupervisionFilter

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset.order_by("-held_on", "-id")

    def _fresh(self, supervision: Supervision) -> Supervision:
        fresh: Supervision = self.get_queryset().get(pk=supervision.pk)
        return fresh

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        supervision = self.get_object()
        log_view(request, supervision.household, via_api=True)
        return self.render(supervision)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "supervision.change_supervision")
        data = self.parse(SupervisionCreateSerializer)
        with service_errors():
            supervision = services.supervision_create(actor=self.user, **data)
        return self.render(self._fresh(supervision), code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        supervision = self.get_object()
        require_perm(self.user, "supervision.change_supervision")
        version = self.expected_version()
        data = self.parse(SupervisionFieldsSerializer, partial=True)
        with service_errors():
            supervision = services.supervision_update(
                actor=self.user, supervision=supervision, expected_version=version, **data
            )
        return self.render(self._fresh(supervision))

    @extend_schema(
        summary="Complete a draft: refused without the safe care discussion (SC-10) or a due device check (DV-2)",
        request=None,
        parameters=[
            OpenApiParameter(
                "If-Match",
                location=OpenApiParameter.HEADER,
                required=False,
                description="The ETag as last read: completing a record someone changed since is refused (412).",
            )
        ],
        responses={200: SupervisionSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE},
    )
    @action(detail=True, methods=["post"], url_path="complete", url_name="complete")
    def complete(self, request: Request, pk: str | None = None) -> Response:
        supervision = self.get_object()
        require_perm(self.user, "supervision.change_supervision")
        version = self.expected_version() if request.headers.get("If-Match") else None
        with service_errors():
            supervision = services.supervision_complete(
                actor=self.user, supervision=supervision, expected_version=version
            )
        return self.render(self._fresh(supervision))

    @extend_schema(
        summary="A carer acknowledges they have read the completed record",
        request=None,
        responses={200: SupervisionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="acknowledge", url_name="acknowledge")
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        supervision = self.get_object()
        require_perm(self.user, "supervision.acknowledge_supervision")
        with service_errors():
            supervision = services.supervision_acknowledge(actor=self.user, supervision=supervision)
        return self.render(self._fresh(supervision))

    @extend_schema(
        summary="Add a correction beneath a completed (locked) record",
        request=AmendmentInputSerializer,
        responses={201: AmendmentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="amendments", url_name="amendments")
    def amendments(self, request: Request, pk: str | None = None) -> Response:
        supervision = self.get_object()
        require_perm(self.user, "supervision.change_supervision")
        data = self.parse(AmendmentInputSerializer)
        with service_errors():
            amendment = services.supervision_amend(actor=self.user, supervision=supervision, **data)
        return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("recordings", RecordingViewSet, basename="recording")
    router.register("supervisions", SupervisionViewSet, basename="supervision")
