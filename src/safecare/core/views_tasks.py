"""Task inbox and dashboards."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .access import sees_case_content, tasks_visible_to
from .audit import log_list
from .forms import GovukForm
from .formtools import add_service_errors
from .models import Task, TaskStatus, User
from .pagination import BoundedPaginator
from .roles import SERVICE_DASHBOARD_ROLES, STAFF_ROLES, TEAM_MANAGER_ROLES
from .tasks import duty_kind, mark_done_refusal, task_mark_done
from .widgets import ManySelect


def _staff_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not sees_case_content(user):
        raise Http404
    return user


@require_GET
@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    inbox = selectors.task_inbox(user)
    log_list(request, Task, [task.pk for task in (*inbox.overdue, *inbox.this_week, *inbox.later)])
    return render(request, "tasks/mine.html", {"inbox": inbox})


class DashboardFilter(GovukForm):
    rule_id = forms.ChoiceField(label="Rule", required=False)
    owner = forms.TypedChoiceField(
        label="Owner", required=False, coerce=int, empty_value=None, widget=ManySelect
    )
    when = forms.ChoiceField(label="Due", required=False, choices=selectors.WHEN_CHOICES)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *TaskStatus.choices],
        initial=TaskStatus.OPEN,
    )

    def __init__(
        self, *args: object, rule_ids: list[str], owners: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        rule_field = cast(forms.ChoiceField, self.fields["rule_id"])
        owner_field = cast(forms.ChoiceField, self.fields["owner"])
        rule_field.choices = [("", "All rules"), *[(r, r) for r in rule_ids]]
        owner_field.choices = [("", "Everyone"), *owners]


def _dashboard(request: HttpRequest, *, scope: str, title: str) -> HttpResponse:
    user = _staff_user(request)
    # The choices come from the open tasks in scope and the current staff, never from the whole
    # history: a scan of ten years of tasks, and people long gone, for every page (decision 0055).
    open_in_scope = selectors.task_dashboard(user, scope=scope, status=TaskStatus.OPEN).order_by()
    rule_ids = sorted(set(open_in_scope.values_list("rule_id", flat=True).distinct()))
    # Staff only: a service's carers (thousands of accounts) hold no duties of their own.
    staff = Q(is_active=True, role__in=STAFF_ROLES)
    if scope == "team":
        staff &= Q(team_id=user.team_id)
    owners = [
        (pk, f"{first} {last}".strip() or username)
        for pk, first, last, username in User.objects.filter(service_id=user.service_id)
        .filter(staff | Q(pk__in=open_in_scope.values("owner_id")))
        .order_by("first_name", "last_name")
        .values_list("pk", "first_name", "last_name", "username")
    ]
    data = request.GET.copy()
    data.setdefault("status", TaskStatus.OPEN)
    form = DashboardFilter(data, rule_ids=rule_ids, owners=owners)
    filters = form.cleaned_data if form.is_valid() else {"status": TaskStatus.OPEN}
    tasks = selectors.task_dashboard(
        user,
        scope=scope,
        rule_id=filters.get("rule_id") or "",
        owner_id=int(filters["owner"]) if filters.get("owner") else None,
        when=filters.get("when") or "",
        status=filters.get("status", ""),
    )
    # Any status reaches back over years of finished duties: counted to a thousand, no further.
    page = BoundedPaginator(tasks, 50).get_page(request.GET.get("page"))
    log_list(request, Task, [task.pk for task in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/dashboard.html",
        {"title": title, "form": form, "page_obj": page, "querystring": query.urlencode()},
    )


@require_GET
@login_required
def team_tasks(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    if user.role not in TEAM_MANAGER_ROLES:
        raise Http404
    return _dashboard(request, scope="team", title=f"Tasks of {user.team}" if user.team else "Team tasks")


@require_GET
@login_required
def service_tasks(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    if user.role not in SERVICE_DASHBOARD_ROLES:
        raise Http404
    return _dashboard(request, scope="service", title="Service tasks")


class TaskDoneForm(GovukForm):
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Say what you did, so others can see why this task is closed.",
        error_messages={"required": "What was done: say what was done before marking it done"},
    )


def _task_page(request: HttpRequest, user: User, pk: int, form: TaskDoneForm | None = None) -> HttpResponse:
    task = get_object_or_404(
        tasks_visible_to(user).select_related("household", "child", "owner", "team", "completed_by"), pk=pk
    )
    refusal = mark_done_refusal(task) if task.is_open else ""
    context = {
        "task": task,
        "kind": duty_kind(task.kind),
        "refusal": refusal,
        "form": form if form is not None else (TaskDoneForm() if task.is_open and not refusal else None),
    }
    return render(request, "tasks/detail.html", context, status=400 if form is not None else 200)


@require_GET
@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff_user(request)
    return _task_page(request, user, pk)


@require_POST
@login_required
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """A reminder is marked done with a note; a duty a record fulfils is refused (rules: Everywhere)."""
    user = _staff_user(request)
    task = get_object_or_404(tasks_visible_to(user), pk=pk)
    form = TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            task_mark_done(actor=user, task=task, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Task {task.reference} marked done.")
            return redirect("tasks:detail", pk=task.pk)
    return _task_page(request, user, pk, form=form)
