"""Pages for households, members, visitors, training, children, placements and history.

Each view: find the record through the access policy (404 when out of scope),
check the action permission (also 404: deny without revealing), parse the form,
call one service, and put any refusal back onto the form with what the person
typed. Nothing here decides a rule.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.access import sees_case_content
from safecare.core.audit import log_list, log_view
from safecare.core.concurrency import record_version
from safecare.core.formtools import add_service_errors, paginate, save_or_refuse
from safecare.core.models import FosteringService, User
from safecare.core.once import once
from safecare.core.roles import Role
from safecare.core.typeahead import suggestions
from safecare.households.access import children_visible_to, households_visible_to

from . import search as finding
from . import selectors, services
from .approval import approval_problems
from .forms import (
    ChildCreateForm,
    ChildEditForm,
    ChildFilterForm,
    GuidanceForm,
    HouseholdEditForm,
    HouseholdFilterForm,
    HouseholdForm,
    MemberEditForm,
    MemberForm,
    PlacementEndForm,
    PlacementForm,
    StatusChangeForm,
    TrainingForm,
    VisitorForm,
    household_choice_label,
)
from .models import Child, Household, HouseholdStatus
from .workflow import allowed_next, allowed_next_for, may_change_any_status

PAGE_SIZE = 50

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])

# Helpers -------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _staff(request: HttpRequest) -> User:
    """Service staff who work with cases. Carers use their own household's pages."""
    user = _user(request)
    if not sees_case_content(user) or user.role == Role.CARER:
        raise Http404
    return user


def _service(user: User) -> FosteringService:
    # Every case worker belongs to a service (core.access denies anyone without one).
    if user.service is None:
        raise Http404
    return user.service


def _require(user: User, perm: str) -> None:
    # A person who may see the record but not do this gets the same answer as
    # someone who may not see it at all.
    if not user.has_perm(perm):
        raise Http404


def _page(request: HttpRequest, items: Any) -> tuple[Any, str]:
    return paginate(request, items, PAGE_SIZE)


def _back(subject: Household | Child) -> str:
    if isinstance(subject, Child):
        return reverse("households:child_detail", kwargs={"pk": subject.pk})
    return reverse("households:detail", kwargs={"pk": subject.pk})


def _people(household: Household) -> str:
    return reverse("households:section_people", kwargs={"pk": household.pk})


def _sorting(
    request: HttpRequest, sorts: dict[str, Any], columns: list[tuple[str, str]]
) -> tuple[str, dict[str, Any]]:
    """The list's sort (an unknown one is the default), and each sortable column's header link.

    A column's link sorts by it, or reverses it when it is the current sort; aria-sort
    says how the table is sorted now (GOV.UK sortable table).
    """
    sort = selectors.sort_key(request.GET.get("sort"), sorts)
    links: dict[str, Any] = {}
    for column, label in columns:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{column}" if sort == column else column
        links[column] = {
            "label": label,
            "href": f"?{query.urlencode()}",
            "aria_sort": "ascending" if sort == column else "descending" if sort == f"-{column}" else "none",
        }
    return sort, links


def _values(form: forms.BaseForm, names: list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names}


# Households ----------------------------------------------------------------------------------


@GET
@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    filters = HouseholdFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    sort, columns = _sorting(
        request,
        selectors.HOUSEHOLD_SORTS,
        [("name", "Household"), ("reference", "Reference"), ("status", "Status")],
    )
    households = selectors.household_list(
        user, search=data.get("q", ""), status=data.get("status", ""), sort=sort
    )
    page, querystring = _page(request, households)
    log_list(request, Household, [household.pk for household in page])
    return render(
        request,
        "households/list.html",
        {
            "filters": filters,
            "page_obj": page,
            "querystring": querystring,
            "sort": sort,
            "columns": columns,
            "can_add": user.has_perm("households.add_household"),
        },
    )


@GET_POST
@login_required
@once
def household_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    _require(user, "households.add_household")
    form = HouseholdForm(request.POST or None, service=_service(user), initial={"team": user.team_id})
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                actor=user, service=_service(user), **_values(form, list(HouseholdForm.Meta.fields))
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{household.name} ({household.reference}) has been added.")
            if households_visible_to(user).filter(pk=household.pk).exists():
                return redirect("households:detail", pk=household.pk)
            return redirect("households:list")
    return render(
        request,
        "households/form.html",
        {"form": form, "title": "Add a household", "back_url": reverse("households:list")},
    )


# The household's record: a summary page and one page per section, under one sub-navigation.
# Each section reads only what it shows, so none costs the whole record's queries.

# (key, label, URL name) in the order the sub-navigation shows them. Recordings sit
# with supervision: the supervision app's one panel shows both (decision 0028).
SECTIONS = [
    ("summary", "Summary", "households:detail"),
    ("people", "People", "households:section_people"),
    ("agreements", "Agreements", "households:section_agreements"),
    ("devices", "Devices", "households:section_devices"),
    ("notices", "Notices", "households:section_notices"),
    ("supervision", "Recordings and supervision", "households:section_supervision"),
    ("history", "History", "households:section_history"),
]
SECTION_LABELS = {key: label for key, label, _ in SECTIONS}


def _section(
    request: HttpRequest, household: Household, current: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    """Render one section of the staff household page, with the sub-navigation marking it current."""
    return render(
        request,
        f"households/section_{current}.html",
        {
            "household": household,
            "today": timezone.localdate(),
            "section_label": SECTION_LABELS[current],
            "sections": [
                {
                    "label": label,
                    "url": reverse(name, kwargs={"pk": household.pk}),
                    "current": key == current,
                }
                for key, label, name in SECTIONS
            ],
            **(context or {}),
        },
    )


def _section_household(request: HttpRequest, pk: int) -> tuple[User, Household] | HttpResponse:
    """The household for a section page, logged as viewed; a carer goes to their one page instead."""
    user = _user(request)
    household = selectors.household_for(user, pk)
    if user.role == Role.CARER:
        # A carer's household page is one short page with everything they see (decision 0028).
        return redirect("households:detail", pk=household.pk)
    log_view(request, household)
    return user, household


@GET
@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    log_view(request, household)
    if user.role == Role.CARER:
        return render(
            request,
            "households/detail_carer.html",
            {
                "household": household,
                "summary": selectors.household_summary(user, household),
                "today": timezone.localdate(),
            },
        )
    can = {
        "edit": user.has_perm("households.change_household"),
        "status": bool(_status_choices(user, household)),
        "history": user.has_perm("households.view_history"),
    }
    return _section(
        request, household, "summary", {"overview": selectors.household_overview(household), "can": can}
    )


@GET
@login_required
def section_people(request: HttpRequest, pk: int) -> HttpResponse:
    found = _section_household(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, household = found
    can = {
        "edit": user.has_perm("households.change_household"),
        "training": user.has_perm("households.record_training"),
    }
    return _section(
        request, household, "people", {"people": selectors.household_people(user, household), "can": can}
    )


def _panel_section(current: str) -> Any:
    """A section that is one policy app's panel: the panel's inclusion tag reads what it shows."""

    @GET
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        found = _section_household(request, pk)
        if isinstance(found, HttpResponse):
            return found
        return _section(request, found[1], current)

    view.__name__ = view.__qualname__ = f"section_{current}"
    return view


section_agreements = _panel_section("agreements")
section_devices = _panel_section("devices")
section_notices = _panel_section("notices")
section_supervision = _panel_section("supervision")


@GET
@login_required
def section_history(request: HttpRequest, pk: int) -> HttpResponse:
    found = _section_household(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, household = found
    return _section(
        request,
        household,
        "history",
        {
            "status_changes": selectors.household_status_changes(household),
            "can": {"history": user.has_perm("households.view_history")},
        },
    )


@GET_POST
@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "households.change_household")
    fields = list(HouseholdForm.Meta.fields)
    if request.method == "POST":
        form = HouseholdEditForm(request.POST, instance=copy.copy(household), service=_service(user))
        if form.is_valid() and save_or_refuse(
            form,
            household,
            lambda: services.household_update(
                actor=user,
                household=household,
                expected_version=form.cleaned_data["version"],
                **_values(form, fields),
            ),
        ):
            messages.success(request, f"{form.cleaned_data['name']} has been updated.")
            return redirect("households:detail", pk=household.pk)
    else:
        form = HouseholdEditForm(
            instance=copy.copy(household),
            service=_service(user),
            initial={"version": record_version(household)},
        )
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "household": household,
            "title": f"Change {household.name}",
            "back_url": _back(household),
        },
    )


def _status_choices(user: User, household: Household) -> list[tuple[str, str]]:
    return [(status, HouseholdStatus(status).label) for status in allowed_next_for(user, household.status)]


@GET_POST
@login_required
def household_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    # Whoever may make any status change opens the page; each choice on it is
    # then offered only with its own permission.
    if not may_change_any_status(user):
        raise Http404
    choices = _status_choices(user, household)
    form = StatusChangeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.household_change_status(
                actor=user,
                household=household,
                to_status=form.cleaned_data["to_status"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                confirmed=form.cleaned_data.get("confirm", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{household.name} is now {change.get_to_status_display().lower()}.")
            return redirect("households:detail", pk=household.pk)
    problems = approval_problems(household) if household.status == HouseholdStatus.IN_ASSESSMENT else []
    return render(
        request,
        "households/status.html",
        {
            "form": form,
            "household": household,
            "choices": choices,
            "ended": not allowed_next(household.status),
            "final_offered": "confirm" in form.fields,
            "approval_problems": problems,
        },
    )


@GET_POST
@login_required
def household_guidance(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "households.change_household")
    initial = {"given_on": household.safer_caring_guidance_given_on}
    form = GuidanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_record_guidance(
                actor=user, household=household, given_on=form.cleaned_data["given_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "SC-3: the date the Safer Caring guidance was given has been recorded.")
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "household": household,
            "back_url": _back(household),
            "title": "Record the Safer Caring guidance",
            "caption": "SC-3",
            "lead": "Record the date the carers were given 'Safer Caring: A New Approach'. "
            "This completes the SC-3 task.",
        },
    )


# Members, visitors, training -----------------------------------------------------------------

MEMBER_FIELDS = [
    "kind",
    "first_name",
    "last_name",
    "date_of_birth",
    "moved_in_on",
    "moved_out_on",
    "user",
]


@GET_POST
@login_required
@once
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "households.change_household")
    form = MemberForm(request.POST or None, service=_service(user))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(actor=user, household=household, **_values(form, MEMBER_FIELDS))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.full_name} has been added to {household.name}.")
            return redirect("households:section_people", pk=household.pk)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "household": household,
            "title": "Add a household member",
            "back_url": _people(household),
        },
    )


@GET_POST
@login_required
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "households.change_household")
    member = household.members.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    if request.method == "POST":
        form = MemberEditForm(request.POST, instance=copy.copy(member), service=_service(user))
        if form.is_valid() and save_or_refuse(
            form,
            member,
            lambda: services.member_update(
                actor=user,
                member=member,
                expected_version=form.cleaned_data["version"],
                **_values(form, MEMBER_FIELDS),
            ),
        ):
            messages.success(request, f"{form.instance.full_name}'s details have been updated.")
            return redirect("households:section_people", pk=household.pk)
    else:
        form = MemberEditForm(
            instance=copy.copy(member), service=_service(user), initial={"version": record_version(member)}
        )
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "household": household,
            "title": f"Change {member.full_name}'s details",
            "back_url": _people(household),
        },
    )


@GET_POST
@login_required
@once
def visitor_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "households.change_household")
    form = VisitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = ["kind", "name", "relationship", "since", "until", "notes"]
        try:
            visitor = services.visitor_add(actor=user, household=household, **_values(form, fields))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{visitor.name} has been recorded as a visitor to {household.name}.")
            return redirect("households:section_people", pk=household.pk)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "household": household,
            "title": "Record a regular visitor or overnight stay",
            "back_url": _people(household),
        },
    )


@GET_POST
@login_required
@once
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "households.record_training")
    form = TrainingForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.training_record(
                actor=user,
                household=household,
                **_values(form, ["member", "course", "completed_on", "title"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{record.get_course_display()} training recorded for {record.member.full_name}.",
            )
            return redirect("households:section_people", pk=household.pk)
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "household": household,
            "title": "Record training",
            "back_url": _people(household),
        },
    )


# History -------------------------------------------------------------------------------------


def _history_page(request: HttpRequest, subject: Household | Child, entries: list[Any]) -> HttpResponse:
    showing_views = request.GET.get("show") == "views"
    items = selectors.access_log(subject) if showing_views else entries
    page, querystring = _page(request, items)
    return render(
        request,
        "households/history.html",
        {
            "subject": subject,
            "is_child": isinstance(subject, Child),
            "showing_views": showing_views,
            "page_obj": page,
            "querystring": querystring,
        },
    )


@GET
@login_required
def household_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.household_for(user, pk)
    _require(user, "households.view_history")
    log_view(request, household)
    return _history_page(request, household, selectors.household_history(user, household))


@GET
@login_required
def child_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = selectors.child_for(user, pk)
    _require(user, "households.view_history")
    log_view(request, child)
    return _history_page(request, child, selectors.child_history(user, child))


# Search --------------------------------------------------------------------------------------


@GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Staff search across households, children and people, one kind of result at a time.

    The kinds are tabs with their counts; the one shown is the one asked for, else the first
    with anything in it. Its page of results is logged as the list it is.
    """
    user = _staff(request)
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {"query": query}
    if not query:
        return render(request, "households/search.html", context)
    results = finding.search(user, query)
    counts = {key: results.of(key).count() for key, _ in finding.KINDS}
    kind = request.GET.get("kind", "")
    if kind not in counts:
        kind = next((key for key, _ in finding.KINDS if counts[key]), "households")
    page, querystring = _page(request, results.of(kind))
    log_list(request, results.of(kind).model, [item.pk for item in page])
    tabs = []
    for key, label in finding.KINDS:
        tab_query = request.GET.copy()
        tab_query.pop("page", None)
        tab_query["kind"] = key
        tabs.append(
            {
                "label": label,
                "count": counts[key],
                "href": f"?{tab_query.urlencode()}",
                "current": key == kind,
            }
        )
    context.update(
        {
            "kind": kind,
            "kind_label": finding.KIND_LABELS[kind],
            "tabs": tabs,
            "total": sum(counts.values()),
            "page_obj": page,
            "querystring": querystring,
        }
    )
    return render(request, "households/search.html", context)


# Children ------------------------------------------------------------------------------------

CHILD_FIELDS = ["first_name", "last_name", "date_of_birth", "team"]


@GET
@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    filters = ChildFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    sort, columns = _sorting(
        request, selectors.CHILD_SORTS, [("name", "Child"), ("reference", "Reference"), ("age", "Age")]
    )
    page, querystring = _page(request, selectors.child_list(user, search=data.get("q", ""), sort=sort))
    log_list(request, Child, [child.pk for child in page])
    return render(
        request,
        "children/list.html",
        {
            "filters": filters,
            "page_obj": page,
            "querystring": querystring,
            "sort": sort,
            "columns": columns,
            "today": timezone.localdate(),
            "can_add": user.has_perm("households.add_child"),
        },
    )


@GET_POST
@login_required
@once
def child_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    _require(user, "households.add_child")
    form = ChildCreateForm(request.POST or None, service=_service(user), initial={"team": user.team_id})
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_create(
                actor=user,
                service=_service(user),
                csw=form.cleaned_data["csw"],
                different_child=form.cleaned_data["different_child"],
                **_values(form, CHILD_FIELDS),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{child.full_name} ({child.reference}) has been added.")
            if children_visible_to(user).filter(pk=child.pk).exists():
                return redirect("households:child_detail", pk=child.pk)
            return redirect("households:child_list")
    return render(
        request,
        "children/form.html",
        {"form": form, "title": "Add a child", "back_url": reverse("households:child_list")},
    )


@GET
@login_required
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = selectors.child_for(user, pk, with_csw=user.role != Role.CARER)
    log_view(request, child)
    today = timezone.localdate()
    carer = user.role == Role.CARER
    placements = selectors.child_placements(user, child, with_household_seen=not carer)
    current = next((p for p in placements if p.is_current(today)), None)
    context: dict[str, Any] = {"child": child, "today": today, "current": current}
    if carer:
        # The carer sees what they need for the child living with them, nothing more.
        return render(request, "children/detail_carer.html", context)
    visible_households = {p.household_id for p in placements if p.household_seen}  # type: ignore[attr-defined]
    context.update(
        {
            "placements": placements,
            "visible_households": visible_households,
            "csw": selectors.child_csw(child),
            "can": {
                "edit": user.has_perm("households.change_child"),
                "place": user.has_perm("households.manage_placements"),
                "history": user.has_perm("households.view_history"),
            },
        }
    )
    return render(request, "children/detail.html", context)


@GET_POST
@login_required
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = selectors.child_for(user, pk)
    _require(user, "households.change_child")
    if request.method == "POST":
        form = ChildEditForm(request.POST, instance=copy.copy(child), service=_service(user))
        if form.is_valid() and save_or_refuse(
            form,
            child,
            lambda: services.child_update(
                actor=user,
                child=child,
                expected_version=form.cleaned_data["version"],
                **_values(form, CHILD_FIELDS),
            ),
        ):
            messages.success(request, f"{form.instance.full_name}'s details have been updated.")
            # A changed team can take the child out of the editor's own scope.
            if children_visible_to(user).filter(pk=child.pk).exists():
                return redirect("households:child_detail", pk=child.pk)
            return redirect("households:child_list")
    else:
        form = ChildEditForm(
            instance=copy.copy(child), service=_service(user), initial={"version": record_version(child)}
        )
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": child,
            "title": f"Change {child.full_name}'s details",
            "back_url": _back(child),
        },
    )


# Placements ----------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    child = selectors.child_for(user, pk)
    _require(user, "households.manage_placements")
    form = PlacementForm(
        request.POST or None,
        households=selectors.placement_households(child.service_id),
        suggest_url=reverse("households:placement_households", kwargs={"pk": child.pk}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(
                actor=user,
                child=child,
                household=form.cleaned_data["household"],
                start_on=form.cleaned_data["start_on"],
                emergency=form.cleaned_data["emergency"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{child.full_name} has been placed with {placement.household.name} "
                f"({placement.household.reference}).",
            )
            return redirect("households:child_detail", pk=child.pk)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": child,
            "title": f"Place {child.full_name} with a household",
            "back_url": _back(child),
            "submit": "Place the child",
        },
    )


@GET
@login_required
def placement_households(request: HttpRequest, pk: int) -> JsonResponse:
    """What the placement form's household box suggests as it is typed (core.typeahead).

    The approved households the form accepts, by name and reference, as the drop-down it
    replaces listed them; only to someone who may place this child.
    """
    user = _user(request)
    child = selectors.child_for(user, pk)
    _require(user, "households.manage_placements")
    found = suggestions(
        selectors.placement_households(child.service_id),
        request.GET.get("q", ""),
        fields=("name",),
        prefix="H",
        labeller=household_choice_label,
    )
    return JsonResponse({"results": found})


@GET_POST
@login_required
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    placement = selectors.placement_for(user, pk)
    _require(user, "households.manage_placements")
    child = placement.child
    form = PlacementEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_end(
                actor=user,
                placement=placement,
                end_on=form.cleaned_data["end_on"],
                end_reason=form.cleaned_data["end_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The placement of {child.full_name} with {placement.household.name} has ended.",
            )
            if children_visible_to(user).filter(pk=child.pk).exists():
                return redirect("households:child_detail", pk=child.pk)
            return redirect("households:child_list")
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": child,
            "placement": placement,
            "title": f"End {child.full_name}'s placement",
            "back_url": _back(child),
            "submit": "End the placement",
        },
    )
