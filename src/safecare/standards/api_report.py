"""API of the standards of care meeting report (SOC-7, SOC-8, SOC-12), registered by standards.api.

- /soc-reports/: the working draft (the SSW and the named CSW write it; PATCH with If-Match),
  and `submit`, which freezes it as a signed version.
- /soc-report-versions/: the frozen versions with their signatures; `qa` (the fostering
  team manager) and `send` (to the chair, the carer or their advocate, once QA'd and within
  the notice). A carer reads only the versions sent to her household's carer.
- /soc-report-sendings/: who it went to, how, and whether receipt was confirmed; `confirm-receipt`.
- /soc-carer-responses/: the carer's response to the chair.

Same scopes as the pages (standards.selectors); a record out of scope answers 404.
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
from safecare.api.views import IF_MATCH, INVALID, NOT_FOUND, STALE, NewestFirstViewSet
from safecare.core.audit import log_view
from safecare.core.models import User
from safecare.core.roles import Role

from . import selectors
from . import services_report as services
from .api import LONG_TEXT, refusals
from .models import (
    REPORT_SECTIONS,
    CarerResponse,
    MeetingReport,
    Recipient,
    ReportSending,
    ReportVersion,
    SharedHow,
)


class MeetingFilter(QueryFilter):
    meeting = id_field("Only those of this meeting")


# Output ----------------------------------------------------------------------------------------


class MeetingReportSerializer(serializers.ModelSerializer[MeetingReport]):
    latest_version = serializers.SerializerMethodField(help_text="The latest submitted version's id, if any")

    class Meta:
        model = MeetingReport
        fields = [
            "id",
            "meeting",
            "csw",
            "investigator",
            *REPORT_SECTIONS,
            "started_by",
            "started_at",
            "latest_version",
        ]
        read_only_fields = fields

    def get_latest_version(self, obj: MeetingReport) -> int | None:
        version = services.latest_version(obj)
        return version.pk if version is not None else None


class ReportSignatureSerializer(serializers.Serializer[Any]):
    signer = serializers.IntegerField(source="signer_id")
    signed_as = serializers.CharField()
    signed_at = serializers.DateTimeField()
    intact = serializers.BooleanField(help_text="False when the content changed after this signature")


class ReportVersionSerializer(serializers.ModelSerializer[ReportVersion]):
    meeting = serializers.IntegerField(source="report.meeting_id", read_only=True)
    signatures = serializers.SerializerMethodField()
    qa_done = serializers.SerializerMethodField(
        help_text="SOC-7: signed by the SSW and QA'd by the fostering team manager"
    )

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "report",
            "meeting",
            "number",
            "content",
            "submitted_by",
            "submitted_at",
            "signatures",
            "qa_done",
        ]
        read_only_fields = fields

    def _state(self, obj: ReportVersion) -> dict[str, Any]:
        # Both fields read the same signatures: check them once per version.
        cached: dict[str, Any] | None = getattr(obj, "_signature_state", None)
        if cached is None:
            cached = services.version_state(obj)
            obj._signature_state = cached  # type: ignore[attr-defined]
        return cached

    def get_signatures(self, obj: ReportVersion) -> list[dict[str, Any]]:
        return ReportSignatureSerializer(self._state(obj)["signatures"], many=True).data  # type: ignore[return-value]

    def get_qa_done(self, obj: ReportVersion) -> bool:
        return bool(self._state(obj)["qa_done"])


class ReportSendingSerializer(serializers.ModelSerializer[ReportSending]):
    receipt_confirmed_on = serializers.SerializerMethodField()

    class Meta:
        model = ReportSending
        fields = [
            "id",
            "version",
            "recipient",
            "recipient_name",
            "how",
            "sent_on",
            "sent_by",
            "recorded_at",
            "receipt_confirmed_on",
        ]
        read_only_fields = fields

    def get_receipt_confirmed_on(self, obj: ReportSending) -> str | None:
        receipt = getattr(obj, "receipt", None)
        return receipt.confirmed_on.isoformat() if receipt is not None else None


class CarerResponseSerializer(serializers.ModelSerializer[CarerResponse]):
    class Meta:
        model = CarerResponse
        fields = ["id", "meeting", "text", "sent_by", "sent_at"]
        read_only_fields = fields


# Input -----------------------------------------------------------------------------------------


class MeetingReportInput(serializers.Serializer[Any]):
    meeting = serializers.IntegerField(min_value=1, help_text="The meeting the report is for (create only)")
    csw = serializers.IntegerField(
        min_value=1, allow_null=True, required=False, help_text="The CSW writing with the SSW"
    )
    investigator = serializers.CharField(max_length=200, allow_blank=True, required=False)


for _name in REPORT_SECTIONS:
    MeetingReportInput._declared_fields[_name] = serializers.CharField(
        max_length=LONG_TEXT, allow_blank=True, required=False
    )


class MeetingReportPatch(MeetingReportInput):
    meeting = None  # type: ignore[assignment]


class ReportSendInput(serializers.Serializer[Any]):
    recipient = serializers.ChoiceField(choices=Recipient.choices)
    recipient_name = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    how = serializers.ChoiceField(choices=SharedHow.choices)
    sent_on = serializers.DateField(required=False, allow_null=True, default=None)
    receipt_confirmed = serializers.BooleanField(required=False, default=False)


class ReceiptInput(serializers.Serializer[Any]):
    confirmed_on = serializers.DateField(required=False, allow_null=True, default=None)


class CarerResponseInput(serializers.Serializer[Any]):
    meeting = serializers.IntegerField(min_value=1)
    text = serializers.CharField(max_length=LONG_TEXT)


class NoBody(serializers.Serializer[Any]):
    pass


def _values(user: User, data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data[name] for name in (*REPORT_SECTIONS, "investigator") if name in data}
    if "csw" in data:
        csw_id = data["csw"]
        values["csw"] = (
            None if csw_id is None else User.objects.filter(pk=csw_id, service_id=user.service_id).first()
        )
        if csw_id is not None and values["csw"] is None:
            raise serializers.ValidationError(
                {
                    "csw": [
                        "Child's social worker writing with you: choose the social worker of a child placed in the household (SOC-7)"
                    ]
                }
            )
    return values


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="SOC-7: meeting report drafts the caller may read", parameters=[MeetingFilter]
    ),
    retrieve=extend_schema(
        summary="One meeting report draft", responses={200: MeetingReportSerializer, 404: NOT_FOUND}
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = MeetingReport
    serializer_class = MeetingReportSerializer
    filter_class = MeetingFilter

    def scope(self, user: User) -> QuerySet[MeetingReport]:
        return selectors.reports_visible_to(user).select_related("meeting__household")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "meeting" in filters:
            queryset = queryset.filter(meeting_id=filters["meeting"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        log_view(request, report.meeting.household, via_api=True)
        return self.render(report)

    @extend_schema(
        summary="SOC-7: the SSW (or the named CSW) starts the report's draft for a meeting",
        request=MeetingReportInput,
        responses={201: MeetingReportSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.write_report")
        data = self.parse(MeetingReportInput)
        meeting = selectors.meetings_visible_to(self.user).filter(pk=data.pop("meeting")).first()
        if meeting is None:
            raise NotFound
        if MeetingReport.objects.filter(meeting=meeting).exists():
            raise serializers.ValidationError(
                {"meeting": ["Meeting: SOC-7 its report is already started; change it with PATCH"]}
            )
        with refusals():
            report = services.report_save(actor=self.user, meeting=meeting, values=_values(self.user, data))
        return self.render(report, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="SOC-7: change the draft's sections (If-Match: the ETag read)",
        request=MeetingReportPatch,
        parameters=[IF_MATCH],
        responses={200: MeetingReportSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        if not services.may_write(self.user, report):
            raise NotFound
        version = self.expected_version()
        data = self.parse(MeetingReportPatch, partial=True)
        with refusals():
            report = services.report_save(
                actor=self.user,
                meeting=report.meeting,
                values=_values(self.user, data),
                expected_version=version,
            )
        return self.render(report)

    @extend_schema(
        summary="SOC-7: the SSW submits the report for QA: every section written, frozen as a version and signed",
        request=NoBody,
        responses={201: ReportVersionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="submit", url_name="submit")
    def submit(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        with refusals():
            version = services.report_submit(actor=self.user, report=report)
        return Response(
            ReportVersionSerializer(version, context=self.get_serializer_context()).data, status=201
        )


@extend_schema_view(
    list=extend_schema(
        summary="SOC-7, SOC-12: frozen versions of meeting reports the caller may read (a carer: those sent to her)",
        parameters=[MeetingFilter],
    ),
    retrieve=extend_schema(
        summary="One frozen version of a meeting report",
        responses={200: ReportVersionSerializer, 404: NOT_FOUND},
    ),
)
class ReportVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = ReportVersion
    serializer_class = ReportVersionSerializer
    filter_class = MeetingFilter

    def scope(self, user: User) -> QuerySet[ReportVersion]:
        return selectors.report_versions_visible_to(user).select_related("report__meeting__household")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "meeting" in filters:
            queryset = queryset.filter(report__meeting_id=filters["meeting"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        version = self.get_object()
        log_view(request, version.report.meeting.household, via_api=True)
        return self.render(version)

    @extend_schema(
        summary="SOC-7: the fostering team manager QAs the latest version by signing it",
        request=NoBody,
        responses={200: ReportVersionSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="qa", url_name="qa")
    def qa(self, request: Request, pk: str | None = None) -> Response:
        version = self.get_object()
        require_perm(self.user, "standards.qa_report")
        with refusals():
            version = services.report_qa(actor=self.user, version=version)
        return self.render(version)

    @extend_schema(
        summary="SOC-7: record the QA'd report sent to the chair (5 clear working days before), the carer "
        "or their advocate (10 calendar days before); in Safecare only to the carer",
        request=ReportSendInput,
        responses={201: ReportSendingSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="send", url_name="send")
    def send(self, request: Request, pk: str | None = None) -> Response:
        version = self.get_object()
        if not services.may_send(self.user, version.report.meeting):
            raise NotFound
        data = self.parse(ReportSendInput)
        with refusals():
            sending = services.report_send(actor=self.user, version=version, **data)
        return Response(ReportSendingSerializer(sending).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="SOC-7: where each version of a report was sent, and receipt", parameters=[MeetingFilter]
    ),
    retrieve=extend_schema(
        summary="One sending of a meeting report", responses={200: ReportSendingSerializer, 404: NOT_FOUND}
    ),
)
class SendingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = ReportSending
    serializer_class = ReportSendingSerializer
    filter_class = MeetingFilter

    def scope(self, user: User) -> QuerySet[ReportSending]:
        return selectors.sendings_visible_to(user).select_related(
            "receipt", "version__report__meeting__household"
        )

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "meeting" in filters:
            queryset = queryset.filter(version__report__meeting_id=filters["meeting"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        sending = self.get_object()
        log_view(request, sending.version.report.meeting.household, via_api=True)
        return self.render(sending)

    @extend_schema(
        summary="SOC-7: receipt confirmed (the carer herself, or staff who may send the report, with the date)",
        request=ReceiptInput,
        responses={200: ReportSendingSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="confirm-receipt", url_name="confirm-receipt")
    def confirm_receipt(self, request: Request, pk: str | None = None) -> Response:
        sending = self.get_object()
        if not (self.user.role == Role.CARER or services.may_send(self.user, sending.version.report.meeting)):
            raise NotFound
        data = self.parse(ReceiptInput)
        with refusals():
            services.receipt_confirm(actor=self.user, sending=sending, confirmed_on=data["confirmed_on"])
        return self.render(self.get_queryset().get(pk=sending.pk))


@extend_schema_view(
    list=extend_schema(summary="SOC-8: the carers' responses to the chair", parameters=[MeetingFilter]),
    retrieve=extend_schema(
        summary="One response to the chair", responses={200: CarerResponseSerializer, 404: NOT_FOUND}
    ),
)
class CarerResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NewestFirstViewSet):
    model = CarerResponse
    serializer_class = CarerResponseSerializer
    filter_class = MeetingFilter

    def scope(self, user: User) -> QuerySet[CarerResponse]:
        return selectors.carer_responses_visible_to(user).select_related("meeting__household")

    def filtered(self, queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
        if "meeting" in filters:
            queryset = queryset.filter(meeting_id=filters["meeting"])
        return queryset

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        response = self.get_object()
        log_view(request, response.meeting.household, via_api=True)
        return self.render(response)

    @extend_schema(
        summary="SOC-8: the carer sends a response to the chair, once the report reached her",
        request=CarerResponseInput,
        responses={201: CarerResponseSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        require_perm(self.user, "standards.respond_to_report")
        data = self.parse(CarerResponseInput)
        meeting = selectors.meetings_visible_to(self.user).filter(pk=data["meeting"]).first()
        if meeting is None:
            raise NotFound
        with refusals():
            response = services.carer_response_send(actor=self.user, meeting=meeting, text=data["text"])
        return self.render(response, code=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    router.register("soc-reports", ReportViewSet, basename="soc-report")
    router.register("soc-report-versions", ReportVersionViewSet, basename="soc-report-version")
    router.register("soc-report-sendings", SendingViewSet, basename="soc-report-sending")
    router.register("soc-carer-responses", CarerResponseViewSet, basename="soc-carer-response")
