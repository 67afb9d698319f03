"""The service administrator's pages: users, teams and allocations of their own service.

rules: Who sees what: the administrator manages people and opens no case content. Allocation
pages name households and children by reference and name only, which is all that
allocating needs. Deny by default: without `core.manage_people` every page here
is a 404, and every record is looked up within the user's own service, so another
service's user, team or allocation is a 404 too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.core.concurrency import StaleEdit, record_version
from safecare.core.formtools import add_service_errors
from safecare.core.models import FosteringService, Team, User
from safecare.core.once import once
from safecare.core.typeahead import suggestions
from safecare.core.viewtools import change_rows, requires_permission, stale_data
from safecare.households.models import Allocation, AllocationKind
from safecare.households.services import allocation_end as end_allocation
from safecare.households.services import allocation_set

from . import services
from .forms import (
    AllocationFilterForm,
    AllocationForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
    allocation_children,
    allocation_households,
    child_label,
    household_label,
)

PAGE_SIZE = 50

people_admin = requires_permission("core.manage_people")


def _admin(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _service(user: User) -> FosteringService:
    if user.service is None:  # requires_permission lets no such user in
        raise Http404
    return user.service


# Users --------------------------------------------------------------------------------------


@people_admin
@require_http_methods(["GET"])
def users(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    # One query for the page whatever it shows: team joined, two-factor as a subquery.
    accounts = (
        User.objects.filter(service_id=admin.service_id)
        .select_related("team")
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("last_name", "first_name", "username", "id")
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/users.html", {"page_obj": page, "querystring": ""})


@people_admin
@require_http_methods(["GET", "POST"])
@once
def user_create(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    service = _service(admin)
    form = UserCreateForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                actor=admin,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                team=data["team"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if account.pending_role:
                messages.success(
                    request,
                    f"Account {account.username} created. Its role starts when another service "
                    "administrator or the head of service confirms it; then we e-mail a link to "
                    "choose a password.",
                )
            elif account.is_active:
                messages.success(
                    request,
                    f"Account {account.username} created. We have e-mailed a link to choose a password; "
                    "tell them their username.",
                )
            else:
                messages.success(request, f"Account {account.username} created. It is not active yet.")
            return redirect("people:user_edit", pk=account.pk)
    return render(request, "people/user_create.html", {"form": form})


def _account_for(admin: User, pk: int) -> User:
    return get_object_or_404(User.objects.select_related("team"), service_id=admin.service_id, pk=pk)


@people_admin
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    service = _service(admin)
    account = _account_for(admin, pk)
    version = record_version(account)
    initial = {
        # A role waiting for confirmation is what the page shows; the account keeps its present one.
        "role": account.pending_role or account.role,
        "team": account.team_id,
        "is_active": account.is_active or account.activate_on_confirmation,
        "version": version,
    }
    form = UserEditForm(request.POST or None, initial=initial, service=service)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=admin,
                user=account,
                role=data["role"],
                team=data["team"],
                is_active=data["is_active"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            if isinstance(error, StaleEdit):
                form = UserEditForm(stale_data(request, version), service=service)
                form.is_valid()
            add_service_errors(form, error)
        else:
            messages.success(request, f"Changes to {account.display_name}'s account saved.")
            return redirect("people:user_edit", pk=account.pk)
    has_device = TOTPDevice.objects.filter(user=account, confirmed=True).exists()
    teams = dict(Team.objects.filter(service_id=admin.service_id).values_list("pk", "name"))
    history = change_rows(
        account.history.all(),
        User,
        ["username", "first_name", "last_name", "email", "role", "pending_role", "team", "is_active"],
        fk_labels=teams,
    )
    return render(
        request,
        "people/user_edit.html",
        {
            "form": form,
            "account": account,
            "has_device": has_device,
            "requires_two_factor": account.requires_two_factor(),
            "is_self": account.pk == admin.pk,
            "history": history,
            "may_confirm": bool(account.pending_role)
            and admin.pk not in (account.pending_role_requested_by_id, account.pk),
        },
    )


@people_admin
@require_POST
def user_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    account = _account_for(admin, pk)
    try:
        services.user_reset_two_factor(actor=admin, user=account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Two-factor authentication reset for {account.display_name}. They set it up again "
            "at their next sign-in. The reset is recorded in the audit log.",
        )
    return redirect("people:user_edit", pk=account.pk)


@people_admin
@require_POST
def user_send_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    account = _account_for(admin, pk)
    try:
        services.user_send_password_link(actor=admin, user=account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"We have e-mailed {account.display_name} a link to choose a password.")
    return redirect("people:user_edit", pk=account.pk)


# Teams --------------------------------------------------------------------------------------


@people_admin
@require_http_methods(["GET", "POST"])
@once
def teams(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=admin, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Team {team.name} added.")
            return redirect("people:teams")
    rows = (
        Team.objects.filter(service_id=admin.service_id)
        .annotate(member_count=models.Count("members", filter=models.Q(members__is_active=True)))
        .order_by("name")
    )
    return render(request, "people/teams.html", {"form": form, "teams": rows})


@people_admin
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    team = get_object_or_404(Team, service_id=admin.service_id, pk=pk)
    version = record_version(team)
    form = TeamForm(request.POST or None, initial={"name": team.name, "kind": team.kind, "version": version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_update(
                actor=admin, team=team, name=data["name"], kind=data["kind"], expected_version=data["version"]
            )
        except ValidationError as error:
            if isinstance(error, StaleEdit):
                form = TeamForm(stale_data(request, version))
                form.is_valid()
            add_service_errors(form, error)
        else:
            messages.success(request, "Team saved.")
            return redirect("people:teams")
    members = team.members.filter(is_active=True).order_by("first_name", "last_name")[:200]
    history = change_rows(team.history.all(), Team, ["name", "kind"])
    return render(
        request, "people/team_edit.html", {"form": form, "team": team, "members": members, "history": history}
    )


# Allocations --------------------------------------------------------------------------------


@people_admin
@require_http_methods(["GET", "POST"])
@once
def allocations(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    service = _service(admin)
    form = AllocationForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation = allocation_set(
                actor=admin,
                kind=data["kind"],
                worker=data["worker"],
                household=data["household"] if data["kind"] != AllocationKind.CHILDS else None,
                child=data["child"] if data["kind"] == AllocationKind.CHILDS else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            subject = (
                household_label(data["household"]) if allocation.household_id else child_label(data["child"])
            )
            messages.success(
                request,
                f"{allocation.worker.display_name} allocated as {allocation.get_kind_display().lower()} "
                f"to {subject}.",
            )
            return redirect("people:allocations")

    # Its own ids: the allocation form below has a "worker" box too, and ids are unique on a page.
    filter_form = AllocationFilterForm(request.GET or None, service=service, auto_id="filter_%s")
    worker_id = filter_form.cleaned_data.get("worker") if filter_form.is_valid() else None
    current = (
        Allocation.objects.current()
        .filter(service_id=admin.service_id)
        # Reference and name only: the household's and child's case records stay closed.
        .select_related("worker")
        .defer("worker__password")
        .order_by("worker__first_name", "worker__last_name", "kind", "id")
    )
    if worker_id:
        current = current.filter(worker_id=worker_id)
    page = Paginator(current, PAGE_SIZE).get_page(request.GET.get("page"))
    _attach_subject_labels(page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/allocations.html",
        {"form": form, "filter_form": filter_form, "page_obj": page, "querystring": query.urlencode()},
    )


@people_admin
@require_http_methods(["GET"])
def allocation_suggest(request: HttpRequest) -> JsonResponse:
    """What the allocation form's household or child box suggests as it is typed (core.typeahead).

    The same records the form accepts, by reference and name only, as the drop-down it replaces showed.
    """
    admin = _admin(request)
    service = _service(admin)
    text = request.GET.get("q", "")
    if request.GET.get("kind") == "child":
        found = suggestions(
            allocation_children(service),
            text,
            fields=("first_name", "last_name"),
            prefix="C",
            labeller=child_label,
        )
    else:
        found = suggestions(
            allocation_households(service), text, fields=("name",), prefix="H", labeller=household_label
        )
    return JsonResponse({"results": found})


def _attach_subject_labels(page: Iterable[Allocation]) -> None:
    """Each allocation's subject as "H-00012 Patel household" or "C-00034 Xavier Smith": two queries."""
    from safecare.households.models import Child, Household

    rows = list(page)
    households = {
        h.pk: household_label(h)
        for h in Household.objects.filter(pk__in=[a.household_id for a in rows if a.household_id]).only(
            "id", "name"
        )
    }
    children = {
        c.pk: child_label(c)
        for c in Child.objects.filter(pk__in=[a.child_id for a in rows if a.child_id]).only(
            "id", "first_name", "last_name"
        )
    }
    for allocation in rows:
        if allocation.household_id:
            allocation.subject_label = households.get(allocation.household_id, "")  # type: ignore[attr-defined]
        else:
            allocation.subject_label = children.get(allocation.child_id or 0, "")  # type: ignore[attr-defined]


@people_admin
@require_POST
def allocation_end(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    allocation = get_object_or_404(
        Allocation.objects.select_related("worker"), service_id=admin.service_id, pk=pk
    )
    end_allocation(actor=admin, allocation=allocation)
    messages.success(
        request,
        f"Allocation of {allocation.worker.display_name} as {allocation.get_kind_display().lower()} ended.",
    )
    return redirect("people:allocations")


# Separation of duties: a second person confirms a role ----------------------------------------

role_confirmers = requires_permission("core.confirm_roles")


@role_confirmers
@require_http_methods(["GET"])
def confirmations(request: HttpRequest) -> HttpResponse:
    """Roles waiting for a second person: every administrator and the head of service see them."""
    me = _admin(request)
    rows = [
        {"account": account, "may_confirm": me.pk not in (account.pending_role_requested_by_id, account.pk)}
        for account in services.pending_role_requests(me)
    ]
    return render(request, "people/confirmations.html", {"rows": rows})


def _pending_account(me: User, pk: int) -> User:
    return get_object_or_404(User, service_id=me.service_id, pk=pk)


@role_confirmers
@require_POST
def user_confirm_role(request: HttpRequest, pk: int) -> HttpResponse:
    me = _admin(request)
    account = _pending_account(me, pk)
    role = account.get_pending_role_display()
    try:
        services.user_confirm_role(actor=me, user=account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Confirmed: {account.display_name} is now {role}.")
    return redirect("people:confirmations")


@role_confirmers
@require_POST
def user_refuse_role(request: HttpRequest, pk: int) -> HttpResponse:
    me = _admin(request)
    account = _pending_account(me, pk)
    try:
        services.user_refuse_role(actor=me, user=account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Refused: {account.display_name}'s new role will not start.")
    return redirect("people:confirmations")
