"""The standards of care API: the visit record signed and shared (SOC-4), a meeting on the
fostering manager's own grounds (SOC-5), the support referral (SOC-6), the resignation (SOC-11).

Registered by standards.api. Same scopes and permissions as the pages (standards.views_visit):
a record out of scope, or an action the caller may not take, answers 404; a service's
refusal answers 400 with its field keys and messages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import MAX_ID
from safecare.api.permissions import require_perm
from safecare.api.views import INVALID, NOT_FOUND, CaseViewSet, NewestFirstViewSet
from safecare.core.audit import log_view
from safecare.core.models import Signature, User
from safecare.households.models import Household

from . import selectors, services, services_visit
from .api import (
    LONG_TEXT,
    MAX_ITEMS,
    HouseholdFilter,
    MeetingProposalSerializer,
    VisitSerializer,
    _day,
    _text,
    refusals,
)
from .models import Concern, MeetingProposal, Resignation, SupportReferral, Visit

# Output ----------------------------------------------------------------------------------------


class VisitSignatureSerializer(serializers.ModelSerializer[Signature]):
    intact = serializers.SerializerMethodField(
        help_text="Whether the record still reads as it did when signed, and every signature before it is "
        "intact (rules: Everywhere: a change after signing voids the signatures that follow)"
    )

    class Meta:
        model = Signature
        fields = ["id", "signer", "signed_as", "signed_at", "content_hash", "intact"]
        read_only_fields = fields

    def get_intact(self, obj: Signature) -> bool:
        return bool(getattr(obj, "intact", False))


class SignedVisitSerializer(VisitSerializer):
    content_hash = serializers.SerializerMethodField(
        help_text="SHA-256 of the record as shown: send it back when signing to sign exactly this"
    )
    signatures = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "shared_at", "shared_by", "content_hash", "signatures"]
        read_only_fields = fields

    def get_content_hash(self, obj: Visit) -> str:
        return services_visit.visit_hash(obj)

    @extend_schema_field(VisitSignatureSerializer(many=True))
    def get_signatures(self, obj: Visit) -> list[dict[str, Any]]:
        return VisitSignatureSerializer(services_visit.visit_signatures(obj), many=True).data  # type: ignore[return-value]


class GroundsProposalSerializer(MeetingProposalSerializer):
    class Meta(MeetingProposalSerializer.Meta):
        fields = [
            *MeetingProposalSerializer.Meta.fields,
            "pattern",
            "refused_plan",
            "significant",
            "proposed_by",
            "grounds_reasons",
        ]
        read_only_fields = fields


class SupportReferralSerializer(serializers.ModelSerializer[SupportReferral]):
    class Meta:
        model = SupportReferral
        fields = ["id", "household", "proposal", "referred_on", "how", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ResignationSerializer(serializers.ModelSerializer[Resignation]):
    concerns: serializers.PrimaryKeyRelatedField[Concern] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Resignation
        fields = [
            "id",
            "household",
            "received_on",
            "deregisters_on",
            "concerns",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


# Input -----------------------------------------------------------------------------------------


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


class VisitSignInput(serializers.Serializer[Any]):
    confirm = serializers.BooleanField(
        required=False, default=False, help_text="The signer has read the record and it is right"
    )
    content_hash = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="The content_hash of the record as read; refused if the record has changed since",
    )


class GroundsInput(serializers.Serializer[Any]):
    household = _id("The household the meeting is about")
    pattern = serializers.BooleanField(required=False, default=False, help_text="A pattern of concerns")
    refused_plan = serializers.BooleanField(
        required=False, default=False, help_text="The carer refuses the action plan agreed at the visit"
    )
    significant = serializers.BooleanField(
        required=False, default=False, help_text="A concern significant enough on its own"
    )
    grounds_reasons = _text(help_text="Why these grounds are met; also the reasons for the decision")
    concerns = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=MAX_ITEMS,
        help_text="The household's concerns on the standards of care route behind the meeting",
    )


class SupportReferralInput(serializers.Serializer[Any]):
    proposal = _id("A meeting decided on (a proposal with convene true)")
    referred_on = _day("Date of the referral; default today")
    how = _text(LONG_TEXT, "How the referral was made")


class ResignationInput(serializers.Serializer[Any]):
    household = _id("The household whose carers resigned")
    received_on = _day("The date the written resignation was received")


def _household(user: User, pk: int) -> Household:
    household = selectors.soc_households_visible_to(user).filter(pk=pk).select_related("service").first()
    if household is None:
        raise NotFound
    return household


# SOC-4: signing the visit record ----------------------------------------------------------------


@extend_schema_view(
    signatures=extend_schema(
        summary="SOC-4: the visit record's signatures, in order, each intact or broken, and the hash of "
        "the record as it reads now",
        responses={200: SignedVisitSerializer, 404: NOT_FOUND},
    ),
    sign=extend_schema(
        summary="SOC-4: sign the visit record as shown. The household's SSW signs and shares it in one "
        "step (the carers and the fostering managers are alerted; the sharing duty closes); then each "
        "carer of the household signs it",
        request=VisitSignInput,
        responses={200: SignedVisitSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class VisitSignatureViewSet(CaseViewSet):
    model = Visit
    serializer_class = SignedVisitSerializer

    def scope(self, user: User) -> QuerySet[Visit]:
        return (
            selectors.visits_visible_to(user)
            .select_related("household", "service")
            .prefetch_related("standards", "actions")
        )

    @action(detail=True, methods=["get"], url_path="signatures", url_name="signatures")
    def signatures(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        log_view(request, visit.household, via_api=True)
        return self.render(visit)

    @action(detail=True, methods=["post"], url_path="sign", url_name="sign")
    def sign(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        if services_visit.signer_capacity(visit, self.user) is None:
            raise NotFound
        data = self.parse(VisitSignInput)
        with refusals():
            services_visit.visit_sign(
                actor=self.user,
                visit=visit,
                confirmed=data["confirm"],
                shown_hash=data["content_hash"] or None,
            )
        return self.render(self.get_queryset().get(pk=visit.pk))


# SOC-5: a meeting on the fostering manager's own grounds ----------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="SOC-5: a fostering manager convenes a meeting on their own grounds (a pattern, the "
        "carer refusing the action plan, a significant concern), with reasons and the concerns behind "
        "it; decided at once, and the SOC-6 support referral falls due. A proposal of Safecare's "
        "waiting for a decision takes the grounds and is decided",
        request=GroundsInput,
        responses={201: GroundsProposalSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class MeetingGroundsViewSet(NewestFirstViewSet):
    model = MeetingProposal
    serializer_class = GroundsProposalSerializer

    def scope(self, user: User) -> QuerySet[MeetingProposal]:
        return selectors.proposals_visible_to(user).select_related("household", "task")

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.propose_meeting")
        data = self.parse(GroundsInput)
        household = _household(self.user, data["household"])
        ids = set(data["concerns"])
        concerns = list(Concern.objects.filter(household=household, pk__in=ids))
        if len(concerns) != len(ids):
            raise serializers.ValidationError(
                {
                    "concerns": [
                        "Concerns: choose only this household's concerns on the standards of care route (SOC-5)"
                    ]
                }
            )
        with refusals():
            proposal = services_visit.meeting_grounds_propose(
                actor=self.user,
                household=household,
                pattern=data["pattern"],
                refused_plan=data["refused_plan"],
                significant=data["significant"],
                reasons=data["grounds_reasons"],
                concerns=concerns,
            )
        return self.render(self.get_queryset().get(pk=proposal.pk), code=status.HTTP_201_CREATED)


# SOC-6: the support referral --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-6 referrals of the carers to the Fostering Network the caller may see",
        parameters=[HouseholdFilter],
    ),
    retrieve=extend_schema(
        summary="One support referral", responses={200: SupportReferralSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="SOC-6: the household's SSW records the referral for an independent support worker "
        "(closes the referral duty)",
        request=SupportReferralInput,
        responses={201: SupportReferralSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class SupportReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = SupportReferral
    serializer_class = SupportReferralSerializer
    filter_class = HouseholdFilter

    def scope(self, user: User) -> QuerySet[SupportReferral]:
        return SupportReferral.objects.filter(
            household__in=selectors.soc_households_visible_to(user)
        ).select_related("household")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        log_view(request, referral.household, via_api=True)
        return self.render(referral)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.record_visit")
        data = self.parse(SupportReferralInput)
        proposal = selectors.proposals_visible_to(self.user).filter(pk=data["proposal"]).first()
        if proposal is None:
            raise NotFound
        with refusals():
            referral = services.support_referral_record(
                actor=self.user, proposal=proposal, referred_on=data["referred_on"], how=data["how"]
            )
        return self.render(referral, code=status.HTTP_201_CREATED)


# SOC-11: the resignation ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-11 resignations received during a standards of care process, that the caller may see",
        parameters=[HouseholdFilter],
    ),
    retrieve=extend_schema(summary="One resignation", responses={200: ResignationSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="SOC-11: a fostering manager records the carers' written resignation; the household is "
        "deregistered 28 calendar days after it was received",
        request=ResignationInput,
        responses={201: ResignationSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    withdraw=extend_schema(
        summary="SOC-11: a resignation during a standards of care process can never be withdrawn or "
        "declined: always refused with 400",
        request=None,
        responses={400: INVALID, 404: NOT_FOUND},
    ),
)
class ResignationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = Resignation
    serializer_class = ResignationSerializer
    filter_class = HouseholdFilter

    def scope(self, user: User) -> QuerySet[Resignation]:
        return (
            Resignation.objects.filter(household__in=selectors.soc_households_visible_to(user))
            .select_related("household")
            .prefetch_related("concerns")
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "household" in filters:
            queryset = queryset.filter(household_id=filters["household"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        resignation = self.get_object()
        log_view(request, resignation.household, via_api=True)
        return self.render(resignation)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.decide_meeting")
        data = self.parse(ResignationInput)
        household = _household(self.user, data["household"])
        with refusals():
            resignation = services.resignation_record(
                actor=self.user, household=household, received_on=data["received_on"]
            )
        return self.render(self.get_queryset().get(pk=resignation.pk), code=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw")
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        resignation = self.get_object()
        require_perm(self.user, "standards.decide_meeting")
        with refusals():
            services.resignation_withdraw(actor=self.user, resignation=resignation)
        return self.render(resignation)  # never reached: the service always refuses


def register(router: SimpleRouter) -> None:
    # The sign and signatures actions sit under /soc-visits/{id}/, beside standards.api's VisitViewSet.
    router.register("soc-visits", VisitSignatureViewSet, basename="soc-visit-signature")
    router.register("soc-meeting-grounds", MeetingGroundsViewSet, basename="soc-meeting-grounds")
    router.register("soc-support-referrals", SupportReferralViewSet, basename="soc-support-referral")
    router.register("soc-resignations", ResignationViewSet, basename="soc-resignation")
