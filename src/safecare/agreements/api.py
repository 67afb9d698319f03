"""API of the agreements (SC-1, SC-4, SC-5): read, write a new version, sign.

Scoped exactly like the pages (agreements.selectors); every write goes through
agreements.services. A new version names the version it was written from in
If-Match (the agreement's ETag is its latest version number): a version saved
meanwhile by someone else is never silently replaced (412, naming the sections
they changed).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.serializers import ServiceScopedField
from safecare.api.views import IF_MATCH, INVALID, NO_VERSION, NOT_FOUND, STALE, CaseViewSet, service_errors
from safecare.core.audit import log_view
from safecare.core.models import Signature, User
from safecare.households.access import households_visible_to, placements_visible_to
from safecare.households.models import Household, HouseholdMember, Placement

from . import selectors, services
from .models import SECTION_KEYS, Agreement, AgreementKind, AgreementVersion

# Serializers ------------------------------------------------------------------------------------


class SignatureSerializer(serializers.ModelSerializer[Signature]):
    signer_name = serializers.CharField(source="signer.display_name", read_only=True)
    intact = serializers.BooleanField(
        read_only=True,
        help_text="Whether the version's text is still what this signature signed; a broken signature "
        "(the text changed after signing) does not count (rules: Everywhere)",
    )

    class Meta:
        model = Signature
        fields = ["signer", "signer_name", "signed_as", "signed_at", "content_hash", "intact"]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer[HouseholdMember]):
    class Meta:
        model = HouseholdMember
        fields = ["id", "first_name", "last_name", "kind"]
        read_only_fields = fields


SECTIONS_SCHEMA = {
    "type": "object",
    "properties": {key: {"type": "string"} for key in SECTION_KEYS},
    "required": SECTION_KEYS,
}


class VersionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="version.pk")
    number = serializers.IntegerField(source="version.number")
    status = serializers.CharField()
    sections = serializers.SerializerMethodField()
    participants = ParticipantSerializer(source="version.participants.all", many=True)
    created_by = serializers.IntegerField(source="version.created_by_id")
    created_at = serializers.DateTimeField(source="version.created_at")
    content = serializers.SerializerMethodField()
    content_hash = serializers.SerializerMethodField()
    signatures = SignatureSerializer(many=True)

    @extend_schema_field(SECTIONS_SCHEMA)
    def get_sections(self, view: selectors.VersionView) -> dict[str, str]:
        return {key: str(view.version.sections.get(key, "")) for key in SECTION_KEYS}

    @extend_schema_field({"type": "object"})
    def get_content(self, view: selectors.VersionView) -> dict[str, Any]:
        """Exactly what the signatures cover, frozen when the version was written; content_hash is its hash."""
        return dict(view.version.content)

    def get_content_hash(self, view: selectors.VersionView) -> str:
        return services.version_hash(view.version)


class AgreementListSerializer(serializers.ListSerializer[Agreement]):
    """A page of agreements: which current versions are in force is read in one query for all."""

    def to_representation(self, data: Any) -> list[Any]:
        agreements = list(data.all() if hasattr(data, "all") else data)
        context = cast(dict[str, Any], self.context)  # the root's own dict, shared with each row
        context["in_force"] = selectors.versions_in_force(agreements)
        return super().to_representation(agreements)


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    reference = serializers.CharField(read_only=True)
    # A plain string: an enum here would collide in the schema with the other "kind" choice sets.
    kind = serializers.CharField(read_only=True, help_text="household (the SCFA) or child (child-specific)")
    current_version_number = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "kind",
            "household",
            "placement",
            "child",
            "current_version_number",
            "current_since",
        ]
        read_only_fields = fields
        list_serializer_class = AgreementListSerializer

    def get_current_version_number(self, agreement: Agreement) -> int | None:
        """The version in force: none while a signature on the current version is broken."""
        in_force = self.context.get("in_force")
        if in_force is None:
            version = selectors.in_force(agreement)
            return version.number if version else None
        current = agreement.current_version
        return current.number if current is not None and current.pk in in_force else None


class AgreementDetailSerializer(AgreementSerializer):
    versions = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "versions"]
        read_only_fields = fields

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, agreement: Agreement) -> list[dict[str, Any]]:
        return VersionSerializer(selectors.agreement_versions(agreement), many=True).data  # type: ignore[return-value]


class VersionInputSerializer(serializers.Serializer[Any]):
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=10000))
    participants = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class AgreementCreateSerializer(VersionInputSerializer):
    household = ServiceScopedField(
        model=Household,
        message="Household: no such household of yours",
        limit=households_visible_to,
        required=False,
    )
    placement = ServiceScopedField(
        model=Placement,
        message="Placement: no such placement of yours",
        limit=placements_visible_to,
        required=False,
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if bool(data.get("household")) == bool(data.get("placement")):
            raise serializers.ValidationError(
                {"household": ["Household: give a household (for its SCFA) or a placement, not both"]}
            )
        return data


class SignInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    confirm = serializers.BooleanField()
    content_hash = serializers.CharField(max_length=64, required=False)


# Views ------------------------------------------------------------------------------------------


def _members(agreement_household: Household, ids: list[int]) -> list[HouseholdMember]:
    members = {m.pk: m for m in agreement_household.members.filter(pk__in=ids)}
    missing = [i for i in ids if i not in members]
    if missing:
        raise serializers.ValidationError(
            {"participants": ["Who took part: only people living in the household can be recorded"]}
        )
    return [members[i] for i in ids]


@extend_schema_view(
    list=extend_schema(summary="Agreements the caller may see (SCFAs and child-specific agreements)"),
    retrieve=extend_schema(
        summary="One agreement with every version, its status and signatures (logged in the access log)",
        responses={200: AgreementDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Write the first version of a household's SCFA or a placement's child-specific agreement",
        request=AgreementCreateSerializer,
        responses={201: AgreementDetailSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class AgreementViewSet(mixins.ListModelMixin, CaseViewSet):
    """SC-1, SC-4, SC-5: versioned agreements. A new version never carries old signatures."""

    model = Agreement

    def scope(self, user: User) -> QuerySet[Agreement]:
        return selectors.agreements_visible_to(user, today=self.today).select_related(
            "household", "child", "current_version"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return AgreementSerializer
        return AgreementDetailSerializer

    def render(self, instance: Any, *, code: int = status.HTTP_200_OK) -> Response:
        response = Response(
            AgreementDetailSerializer(instance, context=self.get_serializer_context()).data, status=code
        )
        latest = instance.versions.order_by("-number").values_list("number", flat=True).first()
        # The version a new version must be written from (If-Match).
        response["ETag"] = f'"{latest or 0}"'
        return response

    def _log(self, agreement: Agreement) -> None:
        subject = agreement.child if agreement.kind == AgreementKind.CHILD else agreement.household
        log_view(self.request, subject, via_api=True)  # type: ignore[arg-type]

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        agreement = self.get_object()
        self._log(agreement)
        return self.render(agreement)

    def create(self, request: Request) -> Response:
        if not (
            self.user.has_perm("agreements.change_household_agreement")
            or self.user.has_perm("agreements.change_child_agreement")
        ):
            raise NotFound
        data = self.parse(AgreementCreateSerializer)
        household: Household | None = data.get("household")
        placement: Placement | None = data.get("placement")
        subject_household = household or placement.household  # type: ignore[union-attr]
        existing = Agreement.objects.filter(
            **(
                {"household": household, "kind": AgreementKind.HOUSEHOLD}
                if household
                else {"placement": placement}
            )
        ).first()
        if existing is not None:
            raise serializers.ValidationError(
                {
                    "household" if household else "placement": [
                        f"Agreement: {existing.reference} already exists; write a new version of it "
                        "with If-Match naming the version you read"
                    ]
                }
            )
        kind = AgreementKind.HOUSEHOLD if household else AgreementKind.CHILD
        if not services.may_write(self.user, kind, subject_household):
            raise NotFound
        participants = _members(subject_household, data["participants"])
        with service_errors():
            try:
                version = services.version_create(
                    actor=self.user,
                    household=household,
                    placement=placement,
                    sections=data["sections"],
                    participants=participants,
                    based_on=0,
                )
            except PermissionDenied as exc:
                raise NotFound from exc
        return self.render(Agreement.objects.get(pk=version.agreement_id), code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Write a new version of an agreement",
        description="Every section is required. If-Match names the version number the changes were "
        "made to (the agreement's ETag); if someone saved a newer version meanwhile the write is "
        "refused with 412 naming the sections they changed.",
        request=VersionInputSerializer,
        parameters=[IF_MATCH],
        responses={
            201: AgreementDetailSerializer,
            400: INVALID,
            404: NOT_FOUND,
            412: STALE,
            428: NO_VERSION,
        },
    )
    @action(detail=True, methods=["post"], url_path="versions", url_name="versions")
    def versions(self, request: Request, pk: str | None = None) -> Response:
        agreement = self.get_object()
        if not services.may_write(self.user, agreement.kind, agreement.household):
            raise NotFound
        based_on = self.expected_version()
        data = self.parse(VersionInputSerializer)
        participants = _members(agreement.household, data["participants"])
        with service_errors():
            try:
                services.version_create(
                    actor=self.user,
                    agreement=agreement,
                    sections=data["sections"],
                    participants=participants,
                    based_on=based_on,
                )
            except PermissionDenied as exc:
                raise NotFound from exc
        return self.render(agreement, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Sign the latest version of an agreement, as shown",
        description="Only the people who must sign (the household's carers, its SSW or, during "
        "assessment, its assessing SW, and for a child-specific agreement the CSW) may sign. "
        "`content_hash`, when given, must be the version's content_hash as read.",
        request=SignInputSerializer,
        responses={200: AgreementDetailSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="sign", url_name="sign")
    def sign(self, request: Request, pk: str | None = None) -> Response:
        agreement = self.get_object()
        if not self.user.has_perm("agreements.sign_agreement") or not services.signer_capacity(
            agreement, self.user
        ):
            raise NotFound
        data = self.parse(SignInputSerializer)
        version = AgreementVersion.objects.filter(agreement=agreement, number=data["version"]).first()
        if version is None:
            raise serializers.ValidationError({"version": ["Version: this agreement has no such version"]})
        with service_errors():
            services.version_sign(
                actor=self.user,
                version=version,
                confirmed=data["confirm"],
                shown_hash=data.get("content_hash"),
            )
        agreement.refresh_from_db()
        return self.render(agreement)


def register(router: SimpleRouter) -> None:
    router.register("agreements", AgreementViewSet, basename="agreement")
