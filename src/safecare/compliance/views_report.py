"""The compliance report's pages: the figures by rule, the duties behind each, and a CSV (decision 0049).

Routes in compliance.urls. Who reads what is compliance.scope's: fostering managers, heads of
fostering and heads of service the service; team managers their team; workers their own
duties; anyone else 404. Every number is counted over the duties the reader could open one by
one, so a total never reveals a record they could not; a team, worker or household outside
their reach answers 404.

A constant number of queries whatever the period and the data (compliance.figures counts in
one aggregate query, after reading the tallies' seal); the drill-down is a page of 50 duties,
logged as one access-log row.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from safecare.core.audit import log_list
from safecare.core.models import Task, Team, User
from safecare.core.rulebook import POLICIES, RULES

from . import figures, scope
from .forms_report import ReportForm, check_reach, default_start
from .scope import Subject

PER_PAGE = 50
_RULE = re.compile(r"^[A-Z]{1,5}-\d{1,4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Choice:
    """A valid choice of period and subject, and the duties it counts."""

    period: figures.Period
    subject: Subject
    tasks: QuerySet[Task]
    tallied: figures.Tallied | None = None
    _paths: dict[str, str] = field(default_factory=dict, repr=False)
    _query: str = field(default="", repr=False)

    def params(self, **more: str) -> dict[str, str]:
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            **self.subject.query(),
            **{key: value for key, value in more.items() if value},
        }

    def url(self, name: str, **more: str) -> str:
        # A report links each of its numbers (600 of them over ten years): the route's path and
        # the choice's own query are worked out once.
        path = self._paths.get(name)
        if path is None:
            path = self._paths[name] = reverse(name)
        if not self._query:
            self._query = urlencode(self.params())
        extra = "&".join(f"{key}={_quoted(value)}" for key, value in more.items() if value)
        return f"{path}?{self._query}&{extra}" if extra else f"{path}?{self._query}"


# What a link adds to the choice's query (an outcome, a rule, a policy, a month) is of these
# characters only, which a query string carries as they are; anything else is quoted.
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]*\Z")


def _quoted(value: str) -> str:
    return value if _PLAIN.match(value) else quote_plus(value)


def _reader(request: HttpRequest) -> tuple[User, str]:
    user: User = request.user  # type: ignore[assignment]
    how_far = scope.reach(user)
    if not how_far or not user.has_perm("compliance.view_report"):
        raise Http404
    return user, how_far


def _lists(user: User, how_far: str) -> tuple[list[Team], list[User]]:
    """The teams and workers the reader may choose: one query each (none for a worker's teams)."""
    teams = [] if how_far == "own" else list(scope.teams_for(user))
    workers = list(scope.workers_for(user))
    return teams, workers


def _with_defaults(data: QueryDict, today: dt.date) -> QueryDict:
    data = data.copy()
    parts = ("_day", "_month", "_year")
    if "from" not in data and not any(f"from{part}" in data for part in parts):
        data["from"] = default_start(today).isoformat()
    if "to" not in data and not any(f"to{part}" in data for part in parts):
        data["to"] = today.isoformat()
    return data


def _choose(
    request: HttpRequest, user: User, how_far: str, today: dt.date
) -> tuple[ReportForm, Choice | None]:
    teams, workers = _lists(user, how_far)
    team, worker = check_reach(request.GET, teams=teams, workers=workers)
    form = ReportForm(
        _with_defaults(request.GET, today),
        user=user,
        reach=how_far,
        today=today,
        teams=teams,
        workers=workers,
    )
    if not form.is_valid():
        return form, None
    household_id = form.cleaned_data.get("household")
    household = scope.subject_for(user, household_id=household_id).household if household_id else None
    subject = Subject(team=team, worker=worker, household=household)
    period = figures.Period(form.cleaned_data["from"], form.cleaned_data["to"])
    return form, Choice(
        period=period,
        subject=subject,
        tasks=scope.subject_tasks(user, subject),
        tallied=scope.tallied(user, subject),
    )


# The report page -----------------------------------------------------------------------------


@dataclass
class Cell:
    value: str
    url: str = ""
    # What a linked number counts, for those who hear the link on its own ("SC-3: met late").
    says: str = ""


@dataclass
class Line:
    """One row of a table: a rule, a policy's total, the overall total or a month."""

    label: str
    cells: list[Cell]
    hint: str = ""
    rule_id: str = ""
    reasons: list[tuple[str, int]] = field(default_factory=list)


def number(value: float | int | None) -> str:
    if value is None:
        return "None"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cells(counts: figures.Figures, choice: Choice, what: str, **narrow: str) -> list[Cell]:
    def link(outcome: str) -> Cell:
        value = getattr(counts, outcome)
        url = choice.url("compliance:duties", outcome=outcome, **narrow) if value else ""
        return Cell(str(value), url, f"{what}: {figures.OUTCOME_LABELS[outcome].lower()}")

    return [
        link("due"),
        link("on_time"),
        link("late"),
        Cell(number(counts.median_days_late)),
        Cell(number(counts.worst_days_late)),
        link("open"),
        link("overdue"),
        link("cancelled"),
    ]


def _month_cells(counts: figures.Figures, choice: Choice, month: str, what: str) -> list[Cell]:
    cells = []
    for outcome in ("due", "on_time", "late", "open", "cancelled"):
        value = getattr(counts, outcome)
        url = choice.url("compliance:duties", outcome=outcome, month=month) if value else ""
        cells.append(Cell(str(value), url, f"{what}: {figures.OUTCOME_LABELS[outcome].lower()}"))
    return cells


@dataclass
class PolicyTable:
    letters: str
    name: str
    lines: list[Line]
    total: Line


def _tables(result: figures.Report, choice: Choice) -> tuple[list[PolicyTable], Line, list[Line], list[Line]]:
    tables = []
    for policy in result.policies:
        lines = [
            Line(
                label=row.rule_id,
                hint=row.text,
                rule_id=row.rule_id,
                cells=_cells(row.figures, choice, row.rule_id, rule=row.rule_id),
                reasons=row.reasons,
            )
            for row in policy.rules
        ]
        total = Line(
            label=f"Total: {policy.name}",
            cells=_cells(policy.total, choice, policy.name, policy=policy.letters),
        )
        tables.append(PolicyTable(letters=policy.letters, name=policy.name, lines=lines, total=total))
    overall = Line(label="All rules", cells=_cells(result.total, choice, "All rules"))
    months = [
        Line(
            label=f"{row.month:%B %Y}",
            cells=_month_cells(row.figures, choice, f"{row.month:%Y-%m}", f"{row.month:%B %Y}"),
        )
        for row in result.months
    ]
    reasons = [
        Line(label=line.rule_id, cells=[Cell(reason), Cell(str(count))])
        for table in tables
        for line in table.lines
        for reason, count in line.reasons
    ]
    return tables, overall, months, reasons


def _report_page(
    request: HttpRequest, form: ReportForm, choice: Choice | None, how_far: str, today: dt.date
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "choice": choice, "service_reader": how_far == "service"}
    if choice is not None:
        result = figures.report(choice.tasks, choice.period, today=today, tallied=choice.tallied)
        tables, overall, months, reasons = _tables(result, choice)
        context.update(
            {
                "result": result,
                "tables": tables,
                "overall": overall,
                "months": months,
                "reasons": reasons,
                "csv_url": choice.url("compliance:figures_csv"),
                "subject_label": choice.subject.label or _whole(how_far),
            }
        )
    return render(request, "compliance/report.html", context, status=200 if choice is not None else 400)


def _whole(how_far: str) -> str:
    return {"service": "The whole service", "team": "Your team", "own": "Your own duties"}.get(how_far, "")


@require_GET
@login_required
def report(request: HttpRequest) -> HttpResponse:
    user, how_far = _reader(request)
    today = timezone.localdate()
    form, choice = _choose(request, user, how_far, today)
    return _report_page(request, form, choice, how_far, today)


# The drill-down ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Narrowing:
    """Which number of the report a list is behind: an outcome, and maybe a rule, policy or month."""

    outcome: str
    rule_id: str = ""
    policy: str = ""
    month: dt.date | None = None

    def heading(self, period: figures.Period) -> str:
        what = self.rule_id or (f"{POLICIES[self.policy]} ({self.policy})" if self.policy else "All rules")
        label = figures.OUTCOME_LABELS[self.outcome].lower()
        when = f"due in {self.month:%B %Y}" if self.month else period.label
        return f"{what}: {label}, {when}"


def narrowing(data: QueryDict) -> Narrowing:
    """The outcome, rule, policy and month a drill-down link names; 404 for one that is not real."""
    outcome = data.get("outcome") or "due"
    if outcome not in figures.OUTCOMES:
        raise Http404
    rule_id = (data.get("rule") or "").strip()
    if rule_id and (not _RULE.match(rule_id) or rule_id not in RULES):
        raise Http404
    policy = (data.get("policy") or "").strip()
    if policy and policy not in POLICIES:
        raise Http404
    month = None
    if data.get("month"):
        match = _MONTH.match(str(data.get("month")))
        if not match:
            raise Http404
        try:
            month = dt.date(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise Http404 from None
    return Narrowing(outcome=outcome, rule_id=rule_id, policy=policy, month=month)


def listed(choice: Choice, narrow: Narrowing, today: dt.date) -> QuerySet[Task]:
    tasks = choice.tasks
    if narrow.policy:
        tasks = tasks.filter(rule_id__startswith=f"{narrow.policy}-")
    return (
        figures.duties(
            tasks,
            choice.period,
            outcome=narrow.outcome,
            today=today,
            rule_id=narrow.rule_id,
            month=narrow.month,
        )
        .select_related("household", "child", "owner")
        .order_by("due_on", "id")
    )


def _subject_only(
    request: HttpRequest, user: User, how_far: str, today: dt.date
) -> tuple[ReportForm, Choice | None]:
    """The period and subject of a link, asking only for the team, worker and household it names."""
    data = request.GET
    teams: list[Team] = []
    workers: list[User] = []
    team_id = _id(data, "team")
    worker_id = _id(data, "worker")
    team = worker = None
    # As scope.subject_for, keeping the team or worker found for the form's choices.
    if team_id is not None:
        team = scope.teams_for(user).filter(pk=team_id).first()
        if team is None:
            raise Http404
        teams = [team]
    if worker_id is not None:
        worker = scope.workers_for(user).filter(pk=worker_id).first()
        if worker is None:
            raise Http404
        workers = [worker]
    form = ReportForm(
        _with_defaults(data, today), user=user, reach=how_far, today=today, teams=teams, workers=workers
    )
    if not form.is_valid():
        return form, None
    household_id = form.cleaned_data.get("household")
    household = scope.subject_for(user, household_id=household_id).household if household_id else None
    subject = Subject(team=team, worker=worker, household=household)
    period = figures.Period(form.cleaned_data["from"], form.cleaned_data["to"])
    return form, Choice(
        period=period,
        subject=subject,
        tasks=scope.subject_tasks(user, subject),
        tallied=scope.tallied(user, subject),
    )


def _id(data: QueryDict, name: str) -> int | None:
    value = (data.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


@require_GET
@login_required
def duties(request: HttpRequest) -> HttpResponse:
    user, how_far = _reader(request)
    today = timezone.localdate()
    narrow = narrowing(request.GET)
    form, choice = _subject_only(request, user, how_far, today)
    if choice is None:
        return render(request, "compliance/duties.html", {"form": form, "choice": None}, status=400)
    page = Paginator(listed(choice, narrow, today), PER_PAGE).get_page(request.GET.get("page"))
    log_list(request, Task, [task.pk for task in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/duties.html",
        {
            "form": form,
            "choice": choice,
            "narrow": narrow,
            "heading": narrow.heading(choice.period),
            "subject_label": choice.subject.label or _whole(how_far),
            "page_obj": page,
            "querystring": query.urlencode(),
            "report_url": choice.url("compliance:report"),
        },
    )


# The CSV -------------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): text starting = + - @ is quoted."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


FIGURE_HEADINGS = [
    "Fell due",
    "Met on time",
    "Met late",
    "Median days late",
    "Worst days late",
    "Still open",
    "Overdue",
    "Cancelled",
]


def _figure_values(counts: figures.Figures) -> list[str]:
    median = counts.median_days_late
    worst = counts.worst_days_late
    return [
        str(counts.due),
        str(counts.on_time),
        str(counts.late),
        "" if median is None else number(median),
        "" if worst is None else str(worst),
        str(counts.open),
        str(counts.overdue),
        str(counts.cancelled),
    ]


def csv_rows(result: figures.Report) -> list[list[str]]:
    rows: list[list[str]] = [["Policy", "Rule", *FIGURE_HEADINGS]]
    for policy in result.policies:
        for row in policy.rules:
            rows.append([policy.name, row.rule_id, *_figure_values(row.figures)])
    for policy in result.policies:
        rows.append([policy.name, "Total", *_figure_values(policy.total)])
    rows.append(["All policies", "Total", *_figure_values(result.total)])
    rows.append([])
    rows.append(["Month", "Fell due", "Met on time", "Met late", "Still open", "Overdue", "Cancelled"])
    for month in result.months:
        counts = month.figures
        rows.append(
            [
                f"{month.month:%Y-%m}",
                *[
                    str(getattr(counts, name))
                    for name in ("due", "on_time", "late", "open", "overdue", "cancelled")
                ],
            ]
        )
    reasons = [
        (row.rule_id, reason, count)
        for p in result.policies
        for row in p.rules
        for reason, count in row.reasons
    ]
    if reasons:
        rows.append([])
        rows.append(["Rule", "Reason for cancelling", "Cancelled"])
        rows.extend([rule_id, reason, str(count)] for rule_id, reason, count in reasons)
    return [[safe_cell(cell) for cell in row] for row in rows]


@require_GET
@login_required
def figures_csv(request: HttpRequest) -> HttpResponse:
    user, how_far = _reader(request)
    today = timezone.localdate()
    form, choice = _subject_only(request, user, how_far, today)
    if choice is None:
        teams, workers = _lists(user, how_far)
        form = ReportForm(
            _with_defaults(request.GET, today),
            user=user,
            reach=how_far,
            today=today,
            teams=teams,
            workers=workers,
        )
        form.is_valid()
        return _report_page(request, form, None, how_far, today)
    result = figures.report(choice.tasks, choice.period, today=today, tallied=choice.tallied)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"safecare-compliance-{choice.period.start.isoformat()}-{choice.period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    csv.writer(response).writerows(csv_rows(result))
    return response
