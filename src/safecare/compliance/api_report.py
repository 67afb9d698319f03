"""API of the compliance figures (decision 0049): /compliance/figures/ and /compliance/duties/.

The same figures as the report page (compliance.views_report), counted over the duties the
caller could open (compliance.scope): the service's, a team's or their own. A team, worker or
household outside their reach answers 404, as does a caller who reads no figures; a parameter
that is wrong answers 400 naming it. The duties behind a number are a page of tasks, written to
the access log as one row.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from safecare.api.filters import QueryFilter, id_field, parse_query
from safecare.api.schema import SafecareAutoSchema
from safecare.api.serializers import TaskSerializer
from safecare.api.views import INVALID, NOT_FOUND, CaseViewSet
from safecare.core.models import Task, User
from safecare.core.rulebook import POLICIES, RULES

from . import figures, scope
from .forms_report import MAX_YEARS, default_start, years_before

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodFilter(QueryFilter):
    """The period (both ends included) and the subject; `from` and `to` are keywords in Python."""

    team = id_field("Only the duties of this team")
    worker = id_field("Only the duties this worker owns")
    household = id_field("Only the duties about this household")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "from": serializers.DateField(
                required=False, help_text="First day of the period (default: a year before `to`, plus a day)"
            ),
            "to": serializers.DateField(required=False, help_text="Last day of the period (default: today)"),
            **super().get_fields(),
        }


class DutiesFilter(PeriodFilter):
    rule = serializers.ChoiceField(
        choices=sorted(RULES), required=False, help_text="Only the duties of this rule, e.g. SC-3"
    )
    policy = serializers.ChoiceField(
        choices=list(POLICIES), required=False, help_text="Only the duties of this policy's rules, e.g. SC"
    )
    outcome = serializers.ChoiceField(
        choices=list(figures.OUTCOMES), required=False, help_text="Which number's duties (default: due)"
    )
    month = serializers.CharField(
        required=False, max_length=7, help_text="Only those due in this month, as YYYY-MM"
    )

    def validate_month(self, value: str) -> dt.date:
        match = _MONTH.match(value)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), 1)
            except ValueError:
                pass
        raise serializers.ValidationError("month: give a month as YYYY-MM, like 2027-03")


class ComplianceReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()
    count = serializers.IntegerField()


class ComplianceFiguresSerializer(serializers.Serializer[Any]):
    due = serializers.IntegerField(help_text="Duties that fell due in the period")
    on_time = serializers.IntegerField(help_text="Done on or before the due date")
    late = serializers.IntegerField(help_text="Done after the due date")
    median_days_late = serializers.FloatField(allow_null=True)
    worst_days_late = serializers.IntegerField(allow_null=True)
    open = serializers.IntegerField(help_text="Not done yet")
    overdue = serializers.IntegerField(help_text="Not done, and the due date has passed")
    cancelled = serializers.IntegerField()


class ComplianceRuleSerializer(ComplianceFiguresSerializer):
    rule_id = serializers.CharField()
    reasons = ComplianceReasonSerializer(
        many=True, help_text="Why duties were cancelled, most frequent first"
    )


class CompliancePolicySerializer(serializers.Serializer[Any]):
    letters = serializers.CharField()
    name = serializers.CharField()
    rules = ComplianceRuleSerializer(many=True)
    total = ComplianceFiguresSerializer()


class ComplianceMonthSerializer(serializers.Serializer[Any]):
    """A month's counts (the days late are given by rule, not by month)."""

    month = serializers.CharField(help_text="The month the duties fell due, as YYYY-MM")
    due = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class CompliancePeriodSerializer(serializers.Serializer[Any]):
    """`from` and `to`, both included (keywords in Python: named in get_fields)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {"from": serializers.DateField(), "to": serializers.DateField()}


class ComplianceSubjectSerializer(serializers.Serializer[Any]):
    team = serializers.IntegerField(allow_null=True)
    worker = serializers.IntegerField(allow_null=True)
    household = serializers.IntegerField(allow_null=True)
    # A declared field, taken out of the class by DRF's metaclass: not Field.label.
    label = serializers.CharField(help_text="Empty for the caller's whole reach")  # type: ignore[assignment]


class ComplianceReportSerializer(serializers.Serializer[Any]):
    period = CompliancePeriodSerializer()
    subject = ComplianceSubjectSerializer()
    policies = CompliancePolicySerializer(many=True)
    total = ComplianceFiguresSerializer()
    months = ComplianceMonthSerializer(many=True)


def _counts(counts: figures.Figures) -> dict[str, Any]:
    return {
        "due": counts.due,
        "on_time": counts.on_time,
        "late": counts.late,
        "median_days_late": counts.median_days_late,
        "worst_days_late": counts.worst_days_late,
        "open": counts.open,
        "overdue": counts.overdue,
        "cancelled": counts.cancelled,
    }


def report_json(result: figures.Report, subject: scope.Subject) -> dict[str, Any]:
    return {
        "period": {"from": result.period.start.isoformat(), "to": result.period.end.isoformat()},
        "subject": {
            "team": subject.team.pk if subject.team else None,
            "worker": subject.worker.pk if subject.worker else None,
            "household": subject.household.pk if subject.household else None,
            "label": subject.label,
        },
        "policies": [
            {
                "letters": policy.letters,
                "name": policy.name,
                "rules": [
                    {
                        "rule_id": row.rule_id,
                        **_counts(row.figures),
                        "reasons": [{"reason": reason, "count": n} for reason, n in row.reasons],
                    }
                    for row in policy.rules
                ],
                "total": _counts(policy.total),
            }
            for policy in result.policies
        ],
        "total": _counts(result.total),
        "months": [
            {
                "month": f"{row.month:%Y-%m}",
                **{
                    name: getattr(row.figures, name)
                    for name in ("due", "on_time", "late", "open", "overdue", "cancelled")
                },
            }
            for row in result.months
        ],
    }


def _reader(user: User) -> None:
    if not scope.reach(user) or not user.has_perm("compliance.view_report"):
        raise NotFound


def _period(filters: dict[str, Any], today: dt.date) -> figures.Period:
    end = filters.get("to") or today
    start = filters.get("from") or default_start(end)
    if end > today:
        raise serializers.ValidationError({"to": ["to: give a day that is today or before"]})
    if start > end:
        raise serializers.ValidationError({"from": ["from: give a day on or before `to`"]})
    if start <= years_before(end, MAX_YEARS):
        raise serializers.ValidationError(
            {"from": [f"from: give a day no more than {MAX_YEARS} years before `to`"]}
        )
    return figures.Period(start, end)


def _subject(user: User, filters: dict[str, Any]) -> scope.Subject:
    return scope.subject_for(
        user,
        team_id=filters.get("team"),
        worker_id=filters.get("worker"),
        household_id=filters.get("household"),
    )


class _OneReportSchema(SafecareAutoSchema):
    """The figures are one report (an object), though served at a collection's address."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class ComplianceFiguresViewSet(viewsets.ViewSet):
    """Not a list of case records: counts, which never name one."""

    schema = _OneReportSchema()

    @extend_schema(
        summary="Compliance by rule: duties that fell due in a period, met on time, late, open and cancelled",
        parameters=[PeriodFilter],
        responses={200: ComplianceReportSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def list(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        _reader(user)
        filters = parse_query(request.query_params, PeriodFilter)
        today = timezone.localdate()
        period = _period(filters, today)
        subject = _subject(user, filters)
        result = figures.report(
            scope.subject_tasks(user, subject), period, today=today, tallied=scope.tallied(user, subject)
        )
        return Response(report_json(result, subject))


class ComplianceDutyViewSet(mixins.ListModelMixin, CaseViewSet):
    model = Task
    serializer_class = TaskSerializer
    filter_class = DutiesFilter

    def scope(self, user: User) -> QuerySet[Task]:
        return scope.readable_tasks(user)

    def get_queryset(self) -> QuerySet[Task]:
        _reader(self.user)
        filters = parse_query(self.request.query_params, DutiesFilter)
        period = _period(filters, self.today)
        subject = _subject(self.user, filters)
        tasks = scope.subject_tasks(self.user, subject)
        if filters.get("policy"):
            tasks = tasks.filter(rule_id__startswith=f"{filters['policy']}-")
        return (
            figures.duties(
                tasks,
                period,
                outcome=filters.get("outcome") or "due",
                today=self.today,
                rule_id=filters.get("rule") or "",
                month=filters.get("month"),
            )
            .select_related("owner")
            .order_by("due_on", "id")
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset  # narrowed in get_queryset, after the reader's reach is checked

    @extend_schema(
        summary="The duties behind one number of the compliance figures",
        parameters=[DutiesFilter],
        responses={200: TaskSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


def register(router: SimpleRouter) -> None:
    router.register("compliance/figures", ComplianceFiguresViewSet, basename="compliance-figures")
    router.register("compliance/duties", ComplianceDutyViewSet, basename="compliance-duty")
