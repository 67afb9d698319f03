"""API of the device register and CCTV exception requests (rules: DV-1 to DV-12, CX-1 to CX-6).

Same scopes and permissions as the pages (devices.selectors, devices.rules):
out of scope or not allowed answers 404; every write goes through
devices.services_register and devices.services_cctv, whose refusals answer 400 with the same field keys and
messages, each naming the field and the rule.

A device's verdict is never stored (decision 0013): every answer computes it
afresh. A page of the list computes the verdict inputs of all its households
at once (`assess`), so the list costs the same queries for one device as for
fifty, however many households they belong to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, id_field
from safecare.api.permissions import require_perm
from safecare.api.views import (
    IF_MATCH,
    INVALID,
    NO_VERSION,
    NOT_FOUND,
    STALE,
    CaseViewSet,
    service_errors,
)
from safecare.core.audit import log_view
from safecare.core.concurrency import record_version
from safecare.core.models import User
from safecare.core.roles import Role
from safecare.core.signatures import content_hash
from safecare.households.models import Child, Household, HouseholdMember

from . import selectors, services_cctv, services_monitoring, services_register
from .assessment import Assessment, assess
from .models import (
    REQUEST_SECTION_KEYS,
    CctvReport,
    CctvRequest,
    ChildConsent,
    Device,
    DeviceStatus,
    RequestStatus,
)
from .verdict import Level, Verdict


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal: ValidationError 400, stale 412, a permission refusal 404 (rules: Who sees what)."""
    with service_errors():
        try:
            yield
        except PermissionDenied as exc:
            raise NotFound from exc


def _is_carer(user: Any) -> bool:
    return getattr(user, "role", None) == Role.CARER


# Output ----------------------------------------------------------------------------------------


# "status" and "level" are plain strings in the schema, their values listed: an enum of either
# name would collide with the other apps' choice sets of the same name (as agreements.api's "kind").
def _values(choices: list[tuple[str, str]]) -> str:
    values = [value for value, _ in choices if value]
    return ", ".join(values[:-1]) + f" or {values[-1]}"


LEVEL_SCHEMA = {
    "type": "string",
    "description": _values([(level.key, level.label) for level in Level]) + " (least to most severe)",
}


class FindingSerializer(serializers.Serializer[Any]):
    rule_id = serializers.CharField(help_text="The policy rule, e.g. DV-3")
    level = serializers.SerializerMethodField()
    message = serializers.CharField()
    carer_message = serializers.CharField(
        help_text="The same in plain words for the carers; empty where the message is already a thing to do"
    )

    @extend_schema_field(LEVEL_SCHEMA)
    def get_level(self, finding: Any) -> str:
        return str(finding.level.key)


class VerdictSerializer(serializers.Serializer[Any]):
    level = serializers.SerializerMethodField(help_text="The most severe finding's level")
    label = serializers.CharField()  # type: ignore[assignment]  # shadows Field.label in the stubs only
    rule_ids = serializers.ListField(child=serializers.CharField())
    deciding_rule = serializers.CharField(
        help_text="The rule of the finding that decided the level, e.g. DV-3"
    )
    findings = FindingSerializer(many=True)

    @extend_schema_field(LEVEL_SCHEMA)
    def get_level(self, result: Verdict) -> str:
        return result.key


class DeviceSerializer(serializers.ModelSerializer[Device]):
    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_values(DeviceStatus.choices))
    verdict = serializers.SerializerMethodField()
    agreements_missing = serializers.SerializerMethodField(
        help_text="DV-10: the agreements in force that do not describe this device as it is now"
    )

    class Meta:
        model = Device
        fields = [
            "id", "reference", "household", "device_type", "description", "status", "room", "room_kind",
            "positioning", "records_video", "records_audio", "has_camera", "purpose", "purpose_detail",
            "internet_connected", "cloud_upload", "strong_password", "two_factor", "software_up_to_date",
            "responsible_person", "retention_hours", "storage", "access", "members_told_on",
            "visitors_told_on", "records_when", "monitored_child", "monitored_member",
            "monitored_sleeps_here", "monitoring_reason",
            "csw_agreed_on", "csw_agreed_by", "ssw_agreed_on", "ssw_agreed_by", "child_consent",
            "decider_agreed", "decider_decided_on", "decider_decided_by", "decider_comments",
            "installed_on", "removed_on", "declared_by", "declared_at", "needs_review", "reviewed_by",
            "reviewed_at", "review_notes", "verdict", "agreements_missing",
        ]  # fmt: skip
        read_only_fields = fields

    def _assessment(self, device: Device) -> Assessment:
        # The views pass the page's assessments, computed together (see assess).
        found: Assessment | None = self.context.get("assessments", {}).get(device.pk)
        if found is None:
            found = assess([device], today=self.context.get("today") or timezone.localdate())[device.pk]
        return found

    @extend_schema_field(VerdictSerializer)
    def get_verdict(self, device: Device) -> dict[str, Any]:
        return VerdictSerializer(self._assessment(device).verdict).data

    @cached_property
    def _agreement_labels(self) -> dict[int, Any]:
        # A list passes the relabelling of every household of its page, made together.
        return dict(self.context.get("agreement_labels", {}))

    def get_agreements_missing(self, device: Device) -> list[str]:
        labels = self._assessment(device).not_in
        user = getattr(self.context.get("request"), "user", None)
        if not labels or not isinstance(user, User):
            return list(labels)
        # One relabelling per household of the page (decision 0023: another child is not named).
        cache: dict[int, Any] = self._agreement_labels
        if device.household_id not in cache:
            cache[device.household_id] = selectors.agreement_labels_for(user, device.household)
        return list(cache[device.household_id](labels))


REQUEST_FIELDS = [
    "id", "reference", "household", "status", "status_label", *REQUEST_SECTION_KEYS, "period_start",
    "period_end", "devices", "reopened_reason", "created_by", "created_at",
]  # fmt: skip


class CctvRequestSerializer(serializers.ModelSerializer[CctvRequest]):
    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_values(RequestStatus.choices))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    devices: serializers.PrimaryKeyRelatedField[Device] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The cameras the request is for (CX-2)"
    )

    class Meta:
        model = CctvRequest
        fields = REQUEST_FIELDS
        read_only_fields = fields


class SigningStepSerializer(serializers.Serializer[Any]):
    capacity = serializers.CharField(help_text="carer, SSW or fostering team manager, signing in that order")
    label = serializers.CharField()  # type: ignore[assignment]  # shadows Field.label in the stubs only
    name = serializers.CharField()
    user = serializers.IntegerField(source="user_id", allow_null=True)
    signed_by = serializers.CharField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    done = serializers.BooleanField()
    broken = serializers.BooleanField(
        help_text="Signed, but the report changed after this signature: it does not count (rules: Everywhere)"
    )


class NamedChildSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(
        allow_null=True, help_text="Empty for a child the caller may not open (rules: Who sees what)"
    )
    name = serializers.CharField(
        help_text="A carer reads the first name only; a child the caller may not open is "
        "'Another child placed here' (rules: Who sees what)"
    )


class ConsentSerializer(serializers.Serializer[Any]):
    child = serializers.IntegerField()
    agrees = serializers.BooleanField()
    comments = serializers.CharField(allow_null=True, help_text="Not shown to carers")
    csw_name = serializers.CharField(allow_null=True, help_text="Not shown to carers")
    answered_at = serializers.DateTimeField()


class DecisionSerializer(serializers.Serializer[Any]):
    agreed = serializers.BooleanField()
    comments = serializers.CharField()
    conditions = serializers.CharField()
    decided_by_name = serializers.CharField()
    decider_role = serializers.CharField()
    decided_at = serializers.DateTimeField()


class ReportCameraSerializer(serializers.Serializer[Any]):
    device = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # shadows Field.label in the stubs only
    room = serializers.CharField()
    room_kind = serializers.CharField()
    positioning = serializers.CharField()
    captures = serializers.CharField()
    purpose = serializers.CharField()
    purpose_detail = serializers.CharField()


SECTIONS_SCHEMA = {
    "type": "object",
    "properties": {key: {"type": "string"} for key in REQUEST_SECTION_KEYS},
    "required": REQUEST_SECTION_KEYS,
}


class ReportSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.IntegerField(source="submitted_by_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    content_hash = serializers.SerializerMethodField(
        help_text="Send it back when signing: the signature is of exactly this report"
    )
    sections = serializers.SerializerMethodField()
    cameras = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField(help_text="The children the report names (CX-4, CX-6)")
    signing_steps = serializers.SerializerMethodField(help_text="CX-3: who signs, in order, and who has")
    your_capacity = serializers.SerializerMethodField(
        help_text="The capacity the caller signs this report in, if they sign it"
    )
    consents = serializers.SerializerMethodField(help_text="CX-4: the children's social workers' answers")
    decision = serializers.SerializerMethodField(help_text="CX-3: the decision, once made")

    def _carer(self) -> bool:
        request = self.context.get("request")
        return _is_carer(getattr(request, "user", None))

    def get_content_hash(self, report: CctvReport) -> str:
        return content_hash(report.content)

    @extend_schema_field(SECTIONS_SCHEMA)
    def get_sections(self, report: CctvReport) -> dict[str, str]:
        sections = report.content.get("sections", {})
        return {key: str(sections.get(key, "")) for key in REQUEST_SECTION_KEYS}

    @extend_schema_field(ReportCameraSerializer(many=True))
    def get_cameras(self, report: CctvReport) -> list[dict[str, Any]]:
        return ReportCameraSerializer(report.content.get("cameras", []), many=True).data  # type: ignore[return-value]

    @extend_schema_field(NamedChildSerializer(many=True))
    def get_children(self, report: CctvReport) -> list[dict[str, Any]]:
        # Named as the caller may see them (decision 0023): a carer, first names; a child's social
        # worker, their own children, and "another child placed here" (no id) for the rest.
        children = sorted(report.children.all(), key=lambda c: (c.last_name, c.first_name, c.pk))
        user = getattr(self.context.get("request"), "user", None)
        names = selectors.child_names_for(user, children) if isinstance(user, User) else {}
        return [
            {
                "id": None if names.get(c.pk) == selectors.ANOTHER_CHILD else c.pk,
                "name": names.get(c.pk, selectors.ANOTHER_CHILD),
            }
            for c in children
        ]

    @extend_schema_field(SigningStepSerializer(many=True))
    def get_signing_steps(self, report: CctvReport) -> list[dict[str, Any]]:
        return SigningStepSerializer(services_cctv.signing_steps(report), many=True).data  # type: ignore[return-value]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_your_capacity(self, report: CctvReport) -> str | None:
        user = getattr(self.context.get("request"), "user", None)
        return services_cctv.signing_capacity(report, user) if isinstance(user, User) else None

    @extend_schema_field(ConsentSerializer(many=True))
    def get_consents(self, report: CctvReport) -> list[dict[str, Any]]:
        carer = self._carer()
        user = getattr(self.context.get("request"), "user", None)
        names = selectors.child_names_for(user, list(report.children.all())) if isinstance(user, User) else {}
        # What another child's social worker wrote about that child is not for someone who may not open it.
        hidden = {pk for pk, name in names.items() if name == selectors.ANOTHER_CHILD}
        answers = [
            {
                "child": c.child_id,
                "agrees": c.agrees,
                "comments": None if carer or c.child_id in hidden else c.comments,
                "csw_name": None if carer else c.csw.display_name,
                "answered_at": c.answered_at,
            }
            for c in report.consents.all()
        ]
        return ConsentSerializer(answers, many=True).data  # type: ignore[return-value]

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, report: CctvReport) -> dict[str, Any] | None:
        return _decision(report)


def _decision(report: CctvReport) -> dict[str, Any] | None:
    decision = getattr(report, "decision", None)
    if decision is None:
        return None
    return DecisionSerializer(
        {
            "agreed": decision.agreed,
            "comments": decision.comments,
            "conditions": decision.conditions,
            "decided_by_name": decision.decided_by.display_name,
            "decider_role": decision.decider_role,
            "decided_at": decision.decided_at,
        }
    ).data


class EarlierReportSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    decision = serializers.SerializerMethodField()

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, report: CctvReport) -> dict[str, Any] | None:
        return _decision(report)


class CctvRequestDetailSerializer(CctvRequestSerializer):
    cameras = serializers.SerializerMethodField(
        help_text="The cameras the request is for, as they are now, each with its verdict (CX-6)"
    )
    latest_report = serializers.SerializerMethodField(help_text="The round being signed or decided")
    earlier_reports = serializers.SerializerMethodField(help_text="Earlier rounds and their decisions")

    class Meta(CctvRequestSerializer.Meta):
        fields = [*REQUEST_FIELDS, "cameras", "latest_report", "earlier_reports"]
        read_only_fields = fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reports_of: dict[int, list[CctvReport]] = {}

    def _reports(self, cctv: CctvRequest) -> list[CctvReport]:
        cache = self._reports_of
        if cctv.pk not in cache:
            cache[cctv.pk] = list(
                cctv.reports.select_related("decision__decided_by")
                .prefetch_related("children", "consents__csw")
                .order_by("-number")
            )
        return cache[cctv.pk]

    @extend_schema_field(DeviceSerializer(many=True))
    def get_cameras(self, cctv: CctvRequest) -> list[dict[str, Any]]:
        cameras = list(
            Device.objects.filter(cctv_requests=cctv).select_related(
                "household__service", "monitored_child", "monitored_member"
            )
        )
        today = self.context.get("today") or timezone.localdate()
        context = {**self.context, "assessments": assess(cameras, today=today)}
        return DeviceSerializer(cameras, many=True, context=context).data  # type: ignore[return-value]

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_latest_report(self, cctv: CctvRequest) -> dict[str, Any] | None:
        reports = self._reports(cctv)
        if not reports:
            return None
        return ReportSerializer(reports[0], context=self.context).data

    @extend_schema_field(EarlierReportSerializer(many=True))
    def get_earlier_reports(self, cctv: CctvRequest) -> list[dict[str, Any]]:
        return EarlierReportSerializer(self._reports(cctv)[1:], many=True).data  # type: ignore[return-value]


# Input -----------------------------------------------------------------------------------------


class DeviceInput(serializers.ModelSerializer[Device]):
    """DV-1: what is recorded of a device. Only parses: devices.services_register checks the rules."""

    status = serializers.ChoiceField(choices=DeviceStatus.choices, required=False)

    monitored_child = serializers.IntegerField(
        required=False, allow_null=True, help_text="DV-9: a child in care placed in the household"
    )
    monitored_member = serializers.IntegerField(
        required=False, allow_null=True, help_text="DV-9: a child of the household"
    )

    class Meta:
        model = Device
        fields = list(services_register.DEVICE_FIELDS)
        validators: list[Any] = []


class DeviceCreateInput(DeviceInput):
    household = serializers.IntegerField(help_text="The household whose register the device goes on")

    class Meta(DeviceInput.Meta):
        fields = ["household", *services_register.DEVICE_FIELDS]


class DeviceRemoveInput(serializers.Serializer[Any]):
    removed_on = serializers.DateField()


class DeviceReviewInput(serializers.Serializer[Any]):
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DeviceAgreeMonitoringInput(serializers.Serializer[Any]):
    agreed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today"
    )
    child_consent = serializers.ChoiceField(
        choices=ChildConsent.choices, required=False, allow_null=True, default=None
    )


class DeviceDecideMonitoringInput(serializers.Serializer[Any]):
    agreed = serializers.BooleanField(help_text="Whether the CCTV decider agrees to the monitor")
    decided_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today"
    )
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when not agreeing: why"
    )


class CctvRequestInput(serializers.ModelSerializer[CctvRequest]):
    """CX-1: the sections, the period and the cameras. Sections may stay blank until submitting."""

    devices = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Cameras on the household's register"
    )

    class Meta:
        model = CctvRequest
        fields = [*REQUEST_SECTION_KEYS, "period_start", "period_end", "devices"]
        # The service checks the one active request per household, with its own message.
        validators: list[Any] = []


class CctvRequestCreateInput(CctvRequestInput):
    household = serializers.IntegerField()

    class Meta(CctvRequestInput.Meta):
        fields = ["household", *CctvRequestInput.Meta.fields]


class CctvSignInput(serializers.Serializer[Any]):
    confirm = serializers.BooleanField(help_text="I have read the report and agree to it")
    content_hash = serializers.CharField(
        max_length=64, required=False, help_text="The latest report's content_hash as read"
    )


class CctvConsentInput(serializers.Serializer[Any]):
    child = serializers.IntegerField(help_text="A child named in the latest report")
    agrees = serializers.BooleanField(allow_null=True, required=False, default=None)
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class CctvDecideInput(serializers.Serializer[Any]):
    agreed = serializers.BooleanField(allow_null=True, required=False, default=None)
    comments = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")


class CctvReopenInput(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class DeviceFilter(QueryFilter):
    household = id_field("Only this household's devices")
    status = serializers.ChoiceField(choices=DeviceStatus.choices, required=False)


class CctvRequestFilter(QueryFilter):
    household = id_field("Only this household's requests")
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)


# Views -----------------------------------------------------------------------------------------

OPTIONAL_IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the device as last read; if given, a change saved meanwhile refuses it (412).",
)


def _filtered(queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
    if filters.get("household"):
        queryset = queryset.filter(household_id=filters["household"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset


def _monitored(household: Household, data: dict[str, Any]) -> dict[str, Any]:
    """DV-9: the child a monitor is for, by id; the service checks they live here."""
    if data.get("monitored_child") is not None:
        child = Child.objects.filter(service_id=household.service_id, pk=data["monitored_child"]).first()
        if child is None:
            raise serializers.ValidationError(
                {
                    "monitored_child": [
                        "Child in care it monitors: DV-9 choose a child placed in this household"
                    ]
                }
            )
        data["monitored_child"] = child
    if data.get("monitored_member") is not None:
        member = HouseholdMember.objects.filter(household=household, pk=data["monitored_member"]).first()
        if member is None:
            raise serializers.ValidationError(
                {
                    "monitored_member": [
                        "Child of the household it monitors: DV-9 choose a child who lives in this household"
                    ]
                }
            )
        data["monitored_member"] = member
    return data


@extend_schema_view(
    list=extend_schema(
        summary="Cameras and microphones on the registers the caller may see, each with its verdict",
        parameters=[DeviceFilter],
    ),
    retrieve=extend_schema(
        summary="One device and its verdict (logged as a view of the household)",
        responses={200: DeviceSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="DV-1, DV-2: put a camera or microphone on a household's register",
        description="A carer's declaration waits for the SSW's review (DV-2). The answer carries the "
        "verdict: a device the policy does not allow is recorded, and its verdict says why "
        '(e.g. "prohibited" with DV-3).',
        request=DeviceCreateInput,
        responses={201: DeviceSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="DV-2: change what is recorded of a device (a carer's change waits for review)",
        request=DeviceInput,
        parameters=[IF_MATCH],
        responses={200: DeviceSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: NO_VERSION},
    ),
)
class DeviceViewSet(mixins.ListModelMixin, CaseViewSet):
    """The device register (DV-1 to DV-12). Whoever sees a household sees its devices."""

    model = Device
    serializer_class = DeviceSerializer

    def scope(self, user: User) -> QuerySet[Device]:
        return selectors.devices_visible_to(user).select_related(
            "household__service", "monitored_child", "monitored_member"
        )

    filter_class = DeviceFilter

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset).order_by("household_id", "room", "id")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return _filtered(queryset, filters)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        devices = list(page if page is not None else queryset)
        # One context per household for the whole page: the verdicts cost no query per device.
        assessments = assess(devices, today=self.today)
        # The households whose devices name agreements still to update, relabelled together.
        naming = sorted({device.household_id for device in devices if assessments[device.pk].not_in})
        context = {
            **self.get_serializer_context(),
            "assessments": assessments,
            "agreement_labels": (
                selectors.agreement_labels_by_household(self.request.user, naming)  # type: ignore[arg-type]
                if naming
                else {}
            ),
        }
        data = DeviceSerializer(devices, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def render(self, instance: Any, *, code: int = status.HTTP_200_OK) -> Response:
        context = {**self.get_serializer_context(), "assessments": assess([instance], today=self.today)}
        response = Response(DeviceSerializer(instance, context=context).data, status=code)
        response["ETag"] = f'"{record_version(instance)}"'
        return response

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        log_view(request, device.household, via_api=True)
        return self.render(device)

    def create(self, request: Request) -> Response:
        require_perm(self.user, "devices.declare_device")
        data = self.parse(DeviceCreateInput)
        household = selectors.household_for(self.user, data.pop("household"))
        data = _monitored(household, data)
        with refusals():
            device = services_register.device_declare(actor=self.user, household=household, **data)
        return self.render(device, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        require_perm(self.user, "devices.declare_device")
        version = self.expected_version()
        data = _monitored(device.household, self.parse(DeviceInput, partial=True))
        with refusals():
            device = services_register.device_update(actor=self.user, device=device, version=version, **data)
        return self.render(device)

    def optional_version(self) -> int | None:
        return self.expected_version() if "If-Match" in self.request.headers else None

    @extend_schema(
        summary="DV-2: the device has gone; it leaves the register and stays in its history",
        request=DeviceRemoveInput,
        parameters=[OPTIONAL_IF_MATCH],
        responses={200: DeviceSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE},
    )
    @action(detail=True, methods=["post"], url_path="remove", url_name="remove")
    def remove(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        require_perm(self.user, "devices.declare_device")
        version = self.optional_version()
        data = self.parse(DeviceRemoveInput)
        with refusals():
            device = services_register.device_remove(
                actor=self.user, device=device, removed_on=data["removed_on"], version=version
            )
        return self.render(device)

    @extend_schema(
        summary="DV-2: the SSW has looked at a declaration or change (closes the task with the last one)",
        request=DeviceReviewInput,
        responses={200: DeviceSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="review", url_name="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        require_perm(self.user, "devices.review_device")
        data = self.parse(DeviceReviewInput)
        with refusals():
            device = services_register.device_review(actor=self.user, device=device, notes=data["notes"])
        return self.render(device)

    @extend_schema(
        summary="DV-9: the child's social worker or the SSW agrees to a monitor for an older child",
        description="Either may also record the child's consent, or that the child cannot give it.",
        request=DeviceAgreeMonitoringInput,
        responses={200: DeviceSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="agree-monitoring", url_name="agree-monitoring")
    def agree_monitoring(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        require_perm(self.user, "devices.agree_monitoring")
        data = self.parse(DeviceAgreeMonitoringInput)
        with refusals():
            device = services_register.device_agree_monitoring(
                actor=self.user, device=device, agreed_on=data["agreed_on"], consent=data["child_consent"]
            )
        return self.render(device)

    @extend_schema(
        summary="DV-9: the CCTV decider agrees, or not, to a monitor that films or uploads for an older child",
        description="After the child's social worker and the SSW have agreed; not agreeing says why.",
        request=DeviceDecideMonitoringInput,
        responses={200: DeviceSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="decide-monitoring", url_name="decide-monitoring")
    def decide_monitoring(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        if not self.user.has_perm("devices.decide_monitoring", device.household):
            raise NotFound
        data = self.parse(DeviceDecideMonitoringInput)
        with refusals():
            device = services_monitoring.monitor_decide(
                actor=self.user,
                device=device,
                agreed=data["agreed"],
                decided_on=data["decided_on"],
                comments=data["comments"],
            )
        return self.render(device)


REQUEST_ACTION = {200: CctvRequestDetailSerializer, 400: INVALID, 404: NOT_FOUND}


@extend_schema_view(
    list=extend_schema(
        summary="CCTV exception requests of the households the caller may see",
        parameters=[CctvRequestFilter],
    ),
    retrieve=extend_schema(
        summary="One CCTV request: sections, cameras, the latest report's signatures, answers and "
        "decision, and earlier rounds (logged as a view of the household)",
        responses={200: CctvRequestDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="CX-1: start a request for CCTV inside a foster home (a draft until submitted)",
        request=CctvRequestCreateInput,
        responses={201: CctvRequestDetailSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="CX-1: change a draft or reopened request",
        request=CctvRequestInput,
        parameters=[IF_MATCH],
        responses={
            200: CctvRequestDetailSerializer,
            400: INVALID,
            404: NOT_FOUND,
            412: STALE,
            428: NO_VERSION,
        },
    ),
)
class CctvRequestViewSet(mixins.ListModelMixin, CaseViewSet):
    """The exception procedure of the CCTV policy (CX-1 to CX-6), step by step as on the pages."""

    model = CctvRequest

    def scope(self, user: User) -> QuerySet[CctvRequest]:
        requests = selectors.requests_visible_to(user).prefetch_related("devices")
        if self.action == "list":
            return requests
        return requests.select_related("household__service", "household__team", "created_by")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return CctvRequestSerializer
        return CctvRequestDetailSerializer

    filter_class = CctvRequestFilter

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset).order_by("-created_at", "-id")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        return _filtered(queryset, filters)

    def fresh(self) -> CctvRequest:
        """The request as the service left it (a service works on its own locked copy)."""
        cctv: CctvRequest = self.get_object()
        return cctv

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        log_view(request, cctv.household, via_api=True)
        return self.render(cctv)

    def _devices(self, household: Household, data: dict[str, Any]) -> dict[str, Any]:
        if "devices" in data:
            ids = list(dict.fromkeys(data["devices"]))
            found = {d.pk: d for d in Device.objects.filter(household=household, pk__in=ids)}
            if len(found) != len(ids):
                raise serializers.ValidationError(
                    {"devices": ["Cameras: choose each camera from this household's register"]}
                )
            data["devices"] = [found[i] for i in ids]
        return data

    def create(self, request: Request) -> Response:
        require_perm(self.user, "devices.write_cctv_request")
        data = self.parse(CctvRequestCreateInput)
        household = selectors.household_for(self.user, data.pop("household"))
        data = self._devices(household, data)
        with refusals():
            cctv = services_cctv.request_create(actor=self.user, household=household, **data)
        return self.render(selectors.request_for(self.user, cctv.pk), code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.write_cctv_request")
        version = self.expected_version()
        data = self._devices(cctv.household, self.parse(CctvRequestInput, partial=True))
        with refusals():
            services_cctv.request_update(actor=self.user, request=cctv, version=version, **data)
        return self.render(self.fresh())

    @extend_schema(
        summary="CX-1, CX-2: submit the report for signature; its text is frozen as the next round",
        description="Refused with 400 naming each missing section (CX-1) or camera not allowed (CX-2).",
        request=None,
        responses=REQUEST_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="submit", url_name="submit")
    def submit(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.write_cctv_request")
        with refusals():
            services_cctv.request_submit(actor=self.user, request=cctv)
        return self.render(self.fresh())

    @extend_schema(
        summary="CX-3: sign the latest report as read: the carers, then the SSW, then the fostering "
        "team manager",
        description="Out of order, the refusal names who is still to sign (CX-3). `content_hash`, when "
        "given, must be the latest report's content_hash as read.",
        request=CctvSignInput,
        responses=REQUEST_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="sign", url_name="sign")
    def sign(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.sign_cctv_request")
        report = selectors.latest_report(cctv)
        # Someone who is not one of the report's signers may not act on it (rules: Who sees what: 404).
        if report is not None and services_cctv.signing_capacity(report, self.user) is None:
            raise NotFound
        data = self.parse(CctvSignInput)
        with refusals():
            services_cctv.report_sign(
                actor=self.user,
                request=cctv,
                confirmed=data["confirm"],
                shown_hash=data.get("content_hash"),
            )
        return self.render(self.fresh())

    @extend_schema(
        summary="CX-4: the child's social worker agrees, or does not, for a child named in the report",
        request=CctvConsentInput,
        responses=REQUEST_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="consent", url_name="consent")
    def consent(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.consent_cctv_request")
        data = self.parse(CctvConsentInput)
        child = Child.objects.filter(service_id=cctv.service_id, pk=data.pop("child")).first()
        if child is None:
            raise serializers.ValidationError({"child": ["Child: this child is not named in the report"]})
        with refusals():
            services_cctv.report_consent(actor=self.user, request=cctv, child=child, **data)
        return self.render(self.fresh())

    @extend_schema(
        summary="CX-3: the service's decider agrees or does not, with comments and conditions",
        description="Refused until every signature is given (CX-3) and every child's social worker "
        "has answered (CX-4), and while a child placed is not named in the report (CX-6).",
        request=CctvDecideInput,
        responses=REQUEST_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="decide", url_name="decide")
    def decide(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.decide_cctv_request")
        data = self.parse(CctvDecideInput)
        with refusals():
            services_cctv.request_decide(actor=self.user, request=cctv, **data)
        return self.render(self.fresh())

    @extend_schema(
        summary="Back to a draft to change the report; the submitted round keeps its signatures",
        request=None,
        responses=REQUEST_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="revise", url_name="revise")
    def revise(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.write_cctv_request")
        with refusals():
            services_cctv.request_revise(actor=self.user, request=cctv)
        return self.render(self.fresh())

    @extend_schema(
        summary="CX-6: the agreed exception needs a new decision (the period is ending, the cameras changed)",
        request=CctvReopenInput,
        responses=REQUEST_ACTION,
    )
    @action(detail=True, methods=["post"], url_path="reopen", url_name="reopen")
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.write_cctv_request")
        data = self.parse(CctvReopenInput)
        with refusals():
            services_cctv.request_reopen(actor=self.user, request=cctv, reason=data["reason"])
        return self.render(self.fresh())

    @extend_schema(summary="Withdraw the request", request=None, responses=REQUEST_ACTION)
    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw")
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        cctv = self.get_object()
        require_perm(self.user, "devices.write_cctv_request")
        with refusals():
            services_cctv.request_withdraw(actor=self.user, request=cctv)
        return self.render(self.fresh())


def register(router: SimpleRouter) -> None:
    router.register("devices", DeviceViewSet, basename="device")
    router.register("cctv-requests", CctvRequestViewSet, basename="cctv-request")
