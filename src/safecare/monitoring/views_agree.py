"""Internet monitoring pages: the young person's page, the agreement and its reviews (IM-7 to IM-9).

Routes in monitoring.urls_agree. Who opens what is monitoring.selectors' (404 outside it):

- the young person's page: the whole history for the full readers (their social worker,
  the children's team manager, the service managers); for the carers of the household
  they live with, the agreement in force in the parts they act on, in plain words; for
  that household's supervising social worker, that an agreement exists and its end date;
- recording an agreement and a review: the young person's social worker.

What each may do is decided by monitoring.services_agree, whose refusals go back onto the forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Subquery, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.formtools import save_or_refuse
from safecare.core.models import Task, TaskStatus, User
from safecare.core.once import once
from safecare.core.roles import Role
from safecare.households.models import Child

from . import selectors, services_assess, views_assess
from . import services_agree as services
from .duties import REVIEW
from .forms_agree import AgreementForm, ReviewForm
from .models import Agreement, Decision, ReviewOutcome

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _child_url(child: Child) -> str:
    return reverse("monitoring:child", kwargs={"pk": child.pk})


def _next_steps(
    child: Child, agreements: list[Agreement], decisions: list[Decision], review: Task | None, today: Any
) -> list[str]:
    """What to do next, in the procedure's order, from the records the page already read."""
    current = [a for a in agreements if not hasattr(a, "end")]
    steps: list[str] = []
    latest_decision = max(decisions, key=lambda d: (d.decided_at, d.pk), default=None)
    followed = {a.decision_id for a in agreements}
    if latest_decision is not None and latest_decision.monitor and latest_decision.pk not in followed:
        steps.append(
            "IM-7: record the written agreement signed by the young person (if Gillick competent) or a person "
            "with parental responsibility; monitoring may not start before it."
        )
    for agreement in current:
        if services.change_asked(agreement, agreement.reviews_shown):  # type: ignore[attr-defined]
            steps.append(
                f"IM-9: the last review of {agreement.reference} asked for a change: record a new agreement, "
                "which replaces it."
            )
    if review is not None:
        when = "is overdue since" if review.due_on < today else "is due by"
        steps.append(f"IM-9: the review of the agreement {when} {review.due_on:%A %-d %B %Y}.")
    if current and not steps:
        steps.append("Nothing is due now.")
    return steps


def _assess_context(request: HttpRequest, user: User, child: Child, in_full: bool) -> dict[str, Any]:
    """IM-1 to IM-6 (monitoring.views_assess): the worries to the discussion this reader may see."""
    return views_assess.child_context(request, user, child, in_full=in_full)


# The open review of the agreement (IM-9), read with the young person: its fields, and its owner's.
_REVIEW_TASK = {
    "id": "id",
    "due_on": "due_on",
    "due_basis": "due_basis",
    "owner_id": "owner_id",
    "owner_first_name": "owner__first_name",
    "owner_last_name": "owner__last_name",
    "owner_username": "owner__username",
}


def _young_person(user: User, pk: int, today: Any) -> tuple[Child, bool]:
    """The young person as this reader may open their page (404 outside it), whether they read it
    in full, and in the same query whether they may tell a worry (`may_record_worry`) and, for a
    full reader, the open review task's fields (`review_task_*`)."""
    in_full = selectors.sees_agreement_in_full(user)
    # The full readers and the carers (with the household's SSW) are different roles: each is
    # asked of their own scope only, as the other is empty for them.
    scope = selectors.children_in_full(user) if in_full else selectors.children_cared_for(user, today=today)
    worry = services_assess.worry_children(user)
    may_worry = Value(False) if worry.query.is_empty() else Exists(worry.filter(pk=OuterRef("pk")))
    scope = scope.annotate(may_record_worry=may_worry)
    if in_full:
        review = Task.objects.filter(child=OuterRef("pk"), kind=REVIEW, status=TaskStatus.OPEN).order_by(
            "due_on", "id"
        )
        scope = scope.select_related("team").annotate(
            **{
                f"review_task_{name}": Subquery(review.values(path)[:1])
                for name, path in _REVIEW_TASK.items()
            }
        )
    young_person = get_object_or_404(scope, pk=pk)
    return young_person, in_full


def _review_task(young_person: Child) -> Task | None:
    values = {name: getattr(young_person, f"review_task_{name}") for name in _REVIEW_TASK}
    if values["id"] is None:
        return None
    owner = None
    if values["owner_id"] is not None:
        owner = User(
            pk=values["owner_id"],
            first_name=values["owner_first_name"],
            last_name=values["owner_last_name"],
            username=values["owner_username"],
        )
    return Task(
        pk=values["id"],
        child=young_person,
        due_on=values["due_on"],
        due_basis=values["due_basis"],
        owner=owner,
    )


@GET
@login_required
def child(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-1 to IM-9: the young person's internet monitoring page, as this reader may see it."""
    user = _user(request)
    today = timezone.localdate()
    young_person, in_full = _young_person(user, pk, today)
    log_view(request, young_person)
    context: dict[str, Any] = {
        "child": young_person,
        "today": today,
        "in_full": in_full,
        **_assess_context(request, user, young_person, in_full),
    }
    if in_full:
        agreements = selectors.agreements_for_page(user, young_person)
        decisions = context["im_decisions"]  # the same decisions, read once
        review = _review_task(young_person)
        may_review = user.has_perm("monitoring.review")
        context.update(
            {
                "agreements": agreements,
                "review_task": review,
                "next_steps": _next_steps(young_person, agreements, decisions, review, today),
                "may_record_agreement": user.has_perm("monitoring.record_agreement")
                and any(d.monitor for d in decisions),
                "may_review": may_review,
                "reviewable": {a.pk for a in agreements if not hasattr(a, "end")} if may_review else set(),
            }
        )
        return render(request, "monitoring/child.html", context)
    # The carers and the household's SSW: the agreement in force now, if any.
    agreement = (
        selectors.agreements_visible_to(user)
        .filter(child=young_person, end__isnull=True, starts_on__lte=today, ends_on__gt=today)
        .order_by("-starts_on", "-id")
        .first()
    )
    context.update({"agreement": agreement, "is_carer": user.role == Role.CARER})
    return render(request, "monitoring/child.html", context)


@GET_POST
@login_required
@once
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-7, IM-8: the young person's social worker records the signed, time-limited agreement."""
    user = _user(request)
    young_person = selectors.child_in_full(user, pk)
    if not services.may_record_agreement(user, young_person):
        raise Http404
    log_view(request, young_person)
    decisions = Decision.objects.filter(child=young_person).order_by("-decided_at", "-id")
    latest_to_monitor = decisions.filter(monitor=True).first()
    form = AgreementForm(
        request.POST or None,
        decisions=decisions,
        initial={"decision": latest_to_monitor.pk if latest_to_monitor else None},
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        agreement = save_or_refuse(
            form, None, lambda: services.agreement_record(actor=user, child=young_person, **values)
        )
        if agreement is not None:
            replaced = f" It replaces {agreement.replaces.reference}." if agreement.replaces_id else ""
            messages.success(
                request,
                f"Agreement {agreement.reference} is recorded. Monitoring ends on "
                f"{agreement.ends_on:%A %-d %B %Y}; the first review is in your tasks.{replaced}",
            )
            return redirect(_child_url(young_person))
    current = services.current_agreements(young_person).first()
    return render(
        request,
        "monitoring/agreement_form.html",
        {
            "form": form,
            "child": young_person,
            "current": current,
            "back_url": _child_url(young_person),
        },
    )


@GET_POST
@login_required
@once
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-9: the young person's social worker records a review of the agreement."""
    user = _user(request)
    agreement = get_object_or_404(selectors.agreements_visible_to(user).select_related("child", "end"), pk=pk)
    if not selectors.sees_agreement_in_full(user) or not services.may_review(user, agreement):
        raise Http404
    young_person = agreement.child
    log_view(request, young_person)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        review = save_or_refuse(
            form, None, lambda: services.review_record(actor=user, agreement=agreement, **values)
        )
        if review is not None:
            if review.outcome == ReviewOutcome.STOP:
                text = f"The review is recorded. Monitoring under {agreement.reference} has stopped."
            elif review.outcome == ReviewOutcome.CHANGE:
                text = (
                    "The review is recorded. Record a new agreement for the change: it replaces "
                    f"{agreement.reference}, which stays in force until then."
                )
            else:
                text = "The review is recorded. The next review is in your tasks."
            messages.success(request, text)
            return redirect(_child_url(young_person))
    return render(
        request,
        "monitoring/review_form.html",
        {
            "form": form,
            "child": young_person,
            "agreement": agreement,
            "due": services.review_due(agreement),
            "back_url": _child_url(young_person),
        },
    )
