"""The standards of care API: arranging the meeting with business support, its invitees and
invitations, the service's documents (SOC-8), and the minutes (SOC-9).

Same scopes as the pages (standards.selectors): business support reads the arrangements and
meetings they are asked to arrange, and nothing else of the case; a record out of scope, or an
action the caller may not take, answers 404. Writes go through standards.services and
standards.services_meeting, whose refusals come back as {field: [message naming the rule]}.
The documents are uploaded on the page (the API takes JSON only) and read here as a record:
kind, name and SHA-256.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import MAX_ID, QueryFilter, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, CaseViewSet
from safecare.core.access import is_active
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.core.roles import Role

from . import selectors, services, services_meeting
from .api import refusals
from .models import Arrangement, DocumentKind, Invitee, InviteeRole, Meeting, MeetingProposal, ServiceDocument

NO_CONTENT = OpenApiResponse(description="Taken off the list")


# Output ----------------------------------------------------------------------------------------


class ArrangementSerializer(serializers.ModelSerializer[Arrangement]):
    household = serializers.IntegerField(source="proposal.household_id", read_only=True)
    household_name = serializers.CharField(source="proposal.household.name", read_only=True)
    business_support_name = serializers.CharField(source="business_support.display_name", read_only=True)
    meeting = serializers.SerializerMethodField(help_text="The meeting once arranged (SOC-7, SOC-8)")

    class Meta:
        model = Arrangement
        fields = [
            "id", "proposal", "household", "household_name", "business_support", "business_support_name",
            "requested_by", "requested_at", "meeting",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_meeting(self, obj: Arrangement) -> int | None:
        return getattr(obj, "meeting_id", None)


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    household_name = serializers.CharField(source="household.name", read_only=True)
    chair_name = serializers.CharField(source="chair.display_name", read_only=True)
    invitations_sent = serializers.SerializerMethodField(
        help_text="SOC-8: the invitations have gone to at least one invitee"
    )

    class Meta:
        model = Meeting
        fields = [
            "id", "household", "household_name", "proposal", "meets_on", "place", "chair", "chair_name",
            "arranged_by", "arranged_at", "invitations_sent", "minutes_sent_on",
        ]  # fmt: skip
        read_only_fields = fields

    def get_invitations_sent(self, obj: Meeting) -> bool:
        sent = getattr(obj, "invitations_sent", None)
        if sent is None:
            return Invitee.objects.filter(meeting=obj, invited_at__isnull=False).exists()
        return bool(sent)


class SentDocumentSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)
    name = serializers.CharField(read_only=True)
    sha256 = serializers.CharField(read_only=True)


class InviteeSerializer(serializers.ModelSerializer[Invitee]):
    email = serializers.SerializerMethodField(
        help_text="A contact's e-mail address; empty for a person in Safecare, and for a carer reading"
    )
    documents = SentDocumentSerializer(
        many=True, read_only=True, help_text="SOC-8: the documents the invitation was sent with"
    )

    class Meta:
        model = Invitee
        fields = ["id", "meeting", "role", "user", "name", "email", "invited_at", "documents"]
        read_only_fields = fields

    def get_email(self, obj: Invitee) -> str:
        request = self.context.get("request")
        if getattr(getattr(request, "user", None), "role", None) == Role.CARER:
            return ""
        return obj.email


class ServiceDocumentSerializer(serializers.ModelSerializer[ServiceDocument]):
    class Meta:
        model = ServiceDocument
        fields = ["id", "kind", "name", "sha256", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


# Input -----------------------------------------------------------------------------------------


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


def _optional_id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None, help_text=help_text
    )


def _text(max_length: int, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length, help_text=help_text
    )


class ArrangementInput(serializers.Serializer[Any]):
    proposal = _id("The proposed meeting the fostering manager decided to hold (SOC-5)")
    business_support = _optional_id("An active business support officer of the service")


class MeetingInput(serializers.Serializer[Any]):
    proposal = _id("The meeting decided on (business support: one they were asked to arrange)")
    meets_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="SOC-7: leaves 5 clear working days for the report to reach the chair and 10 calendar "
        "days to reach the carer",
    )
    place = _text(300, "Where, or how to join")
    chair = _optional_id("A fostering manager of the service")


class MinutesInput(serializers.Serializer[Any]):
    minutes_sent_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today"
    )


class InviteeInput(serializers.Serializer[Any]):
    meeting = _id("The meeting")
    role = serializers.ChoiceField(
        choices=InviteeRole.choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": "Invited as: choose who they are at the meeting (SOC-8)"},
    )
    user = _optional_id("A person in Safecare (invited in the app); null for a contact")
    name = _text(200, "A contact's name")
    email = _text(254, "A contact's e-mail address: the invitation and the documents go to it")


class MeetingFilter(QueryFilter):
    household = id_field("Only this household's meetings")


class InviteeFilter(QueryFilter):
    meeting = id_field("Only this meeting's invitees")


# Helpers ---------------------------------------------------------------------------------------


class _Scoped(CaseViewSet):
    """Scoped by standards.selectors alone: business support reads the meetings they arrange."""

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        if not is_active(user):  # type: ignore[arg-type]
            return self.model._default_manager.none()
        return self.scope(user)  # type: ignore[arg-type]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset).order_by("-id")


def _user_of(service_id: int | None, pk: int | None, field: str, message: str) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(service_id=service_id, pk=pk).first()
    if user is None:
        # Never says whether the account exists elsewhere: the service's own refusal.
        raise serializers.ValidationError({field: [message]})
    return user


def _proposal(user: User, pk: int, *, arranging: bool) -> MeetingProposal:
    if arranging and user.role == Role.BUSINESS_SUPPORT:
        scope = MeetingProposal.objects.filter(arrangement__in=selectors.arrangements_visible_to(user))
    else:
        scope = selectors.proposals_visible_to(user)
    proposal = scope.filter(pk=pk).select_related("household", "service").first()
    if proposal is None:
        raise NotFound
    return proposal


# Arrangements (SOC-8) --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-8 requests to business support to arrange a meeting (business support: those naming them)"
    ),
    retrieve=extend_schema(
        summary="One request to arrange a meeting", responses={200: ArrangementSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="SOC-8: the SSW or a fostering manager asks a business support officer to arrange the "
        "meeting; they get the duty, due in 2 working days (Safecare's default), and an alert",
        request=ArrangementInput,
        responses={201: ArrangementSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class ArrangementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Arrangement
    serializer_class = ArrangementSerializer

    def scope(self, user: User) -> QuerySet[Arrangement]:
        meeting = Meeting.objects.filter(proposal_id=OuterRef("proposal_id")).values("pk")[:1]
        return (
            selectors.arrangements_visible_to(user)
            .select_related("proposal__household", "business_support")
            .annotate(meeting_id=Subquery(meeting))
        )

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        arrangement = self.get_object()
        log_view(request, arrangement.proposal.household, via_api=True)
        return self.render(arrangement)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.request_arrangement")
        data = self.parse(ArrangementInput)
        proposal = _proposal(self.user, data["proposal"], arranging=False)
        officer = _user_of(
            proposal.service_id,
            data["business_support"],
            "business_support",
            "Business support officer: choose an active business support officer of the service (SOC-8)",
        )
        with refusals():
            arrangement = services_meeting.arrangement_request(
                actor=self.user, proposal=proposal, business_support=officer
            )
        return self.render(self.get_queryset().get(pk=arrangement.pk), code=status.HTTP_201_CREATED)


# Meetings (SOC-7, SOC-8, SOC-9) ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-7 to SOC-9 standards of care meetings the caller may see (business support: those "
        "they arrange)",
        parameters=[MeetingFilter],
    ),
    retrieve=extend_schema(
        summary="One standards of care meeting (logged as a view of the household)",
        responses={200: MeetingSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="SOC-7, SOC-8: arrange the meeting: its date (leaving room for the report's notice), place "
        "and chair; opens the duties its date sets",
        request=MeetingInput,
        responses={201: MeetingSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Meeting
    serializer_class = MeetingSerializer
    filter_class = MeetingFilter

    def scope(self, user: User) -> QuerySet[Meeting]:
        sent = Invitee.objects.filter(meeting=OuterRef("pk"), invited_at__isnull=False)
        return (
            selectors.meetings_visible_to(user)
            .select_related("household", "chair")
            .annotate(invitations_sent=Exists(sent))
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        log_view(request, meeting.household, via_api=True)
        return self.render(meeting)

    def create(self, request: Request) -> Response:
        if not (self.user.has_perm("standards.arrange_meeting") or self.user.role == Role.BUSINESS_SUPPORT):
            raise NotFound
        data = self.parse(MeetingInput)
        proposal = _proposal(self.user, data["proposal"], arranging=True)
        chair = _user_of(
            proposal.service_id,
            data["chair"],
            "chair",
            "Chair: SOC-7 the meeting is chaired by a fostering manager of the service",
        )
        with refusals():
            meeting = services.meeting_arrange(
                actor=self.user,
                proposal=proposal,
                meets_on=data["meets_on"],
                place=data["place"],
                chair=chair,
            )
        return self.render(self.get_queryset().get(pk=meeting.pk), code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="SOC-8: send the invitations, with the service's three documents, to everyone on the list "
        "not yet invited (people in Safecare in the app, contacts by e-mail); closes the invitations duty",
        request=None,
        responses={200: InviteeSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="send-invitations", url_name="send-invitations")
    def send_invitations(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        if not services_meeting.may_invite(self.user, meeting):
            raise NotFound
        self.parse(NoBody)
        with refusals():
            sent = services_meeting.invitations_send(actor=self.user, meeting=meeting)
        return Response(InviteeSerializer(sent, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="SOC-9: the chair records the day the minutes were sent (closes the minutes duty)",
        request=MinutesInput,
        responses={200: MeetingSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="minutes", url_name="minutes")
    def minutes(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        require_perm(self.user, "standards.record_minutes")
        if meeting.chair_id != self.user.pk:
            raise NotFound
        data = self.parse(MinutesInput)
        with refusals():
            services.minutes_record(actor=self.user, meeting=meeting, sent_on=data["minutes_sent_on"])
        return self.render(self.get_queryset().get(pk=meeting.pk))


class NoBody(serializers.Serializer[Any]):
    """An action that takes nothing: any field sent is refused by name."""


# Invitees (SOC-8) ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-8 invitees of the meetings the caller may see", parameters=[InviteeFilter]
    ),
    retrieve=extend_schema(summary="One invitee", responses={200: InviteeSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="SOC-8: invite someone: a person in Safecare (user) or a contact (name and e-mail address)",
        request=InviteeInput,
        responses={201: InviteeSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="SOC-8: take someone off the list before their invitation went",
        responses={204: NO_CONTENT, 400: INVALID, 404: NOT_FOUND},
    ),
)
class InviteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = Invitee
    serializer_class = InviteeSerializer
    filter_class = InviteeFilter

    def scope(self, user: User) -> QuerySet[Invitee]:
        return Invitee.objects.filter(meeting__in=selectors.meetings_visible_to(user)).select_related(
            "meeting__household"
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "meeting" in filters:
            queryset = queryset.filter(meeting_id=filters["meeting"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        invitee = self.get_object()
        log_view(request, invitee.meeting.household, via_api=True)
        return self.render(invitee)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.send_invitations")
        data = self.parse(InviteeInput)
        meeting = selectors.meetings_visible_to(self.user).filter(pk=data["meeting"]).first()
        if meeting is None or not services_meeting.may_invite(self.user, meeting):
            raise NotFound
        person = _user_of(
            meeting.service_id,
            data["user"],
            "user",
            "Person: choose an active account of the service (SOC-8)",
        )
        with refusals():
            invitee = services_meeting.invitee_add(
                actor=self.user,
                meeting=meeting,
                role=data["role"],
                user=person,
                name=data["name"],
                email=data["email"],
            )
        return self.render(invitee, code=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        invitee = self.get_object()
        if not services_meeting.may_invite(self.user, invitee.meeting):
            raise NotFound
        with refusals():
            services_meeting.invitee_remove(actor=self.user, invitee=invitee)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The service's documents (SOC-8) ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-8: the service's documents sent with every invitation (kind, name, SHA-256); the "
        "file itself is read on the page, by the service's staff and the carers invited"
    ),
    retrieve=extend_schema(
        summary="One of the service's documents", responses={200: ServiceDocumentSerializer, 404: NOT_FOUND}
    ),
)
class ServiceDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    model = ServiceDocument
    serializer_class = ServiceDocumentSerializer

    def scope(self, user: User) -> QuerySet[ServiceDocument]:
        return services_meeting.documents_visible_to(user)


def register(router: SimpleRouter) -> None:
    router.register("soc-arrangements", ArrangementViewSet, basename="soc-arrangement")
    router.register("soc-meetings", MeetingViewSet, basename="soc-meeting")
    router.register("soc-invitees", InviteeViewSet, basename="soc-invitee")
    router.register("soc-service-documents", ServiceDocumentViewSet, basename="soc-service-document")
