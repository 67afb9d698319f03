"""Internet monitoring pages from the worry to the discussion (IM-1 to IM-6), and where a young
person lives; routes in monitoring.urls_assess.

Who opens what is monitoring.selectors' (404 outside it); what each person may do is the
services' in monitoring.services_assess, whose refusals go back onto the forms with what
was typed. Every page that shows a young person's record writes the access log.
`child_context` is this part of the young person's internet monitoring page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from safecare.core.audit import log_view
from safecare.core.formtools import save_or_refuse
from safecare.core.models import User
from safecare.core.once import once
from safecare.households.models import Child, Household, HouseholdStatus

from . import selectors
from . import services_assess as services
from .forms_assess import (
    AdvocateForm,
    AssessmentForm,
    DecisionForm,
    DiscussionForm,
    EvaluationForm,
    PanelOutcomeForm,
    PanelReferralForm,
    ResidenceEndForm,
    ResidenceForm,
    StrategyForm,
    WorryForm,
)
from .models import Assessment, Decision, Evaluation, PanelReferral, RiskLevel, StrategyDiscussion

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def child_url(child: Child) -> str:
    """The young person's internet monitoring page (monitoring.urls_agree), or their own page."""
    try:
        return reverse("monitoring:child", kwargs={"pk": child.pk})
    except NoReverseMatch:
        return reverse("households:child_detail", kwargs={"pk": child.pk})


def _assessment_url(assessment: Assessment) -> str:
    return reverse("monitoring:assessment_detail", kwargs={"pk": assessment.pk})


def _form_page(
    request: HttpRequest, form: Any, child: Child, *, back_url: str, **context: Any
) -> HttpResponse:
    return render(
        request, "monitoring/form.html", {"form": form, "child": child, "back_url": back_url, **context}
    )


def _assessment_for(user: User, pk: int) -> Assessment:
    return get_object_or_404(
        selectors.assessments_visible_to(user).select_related("child__service", "worry"), pk=pk
    )


# The young person's page: this part --------------------------------------------------------------


def child_context(
    request: HttpRequest, user: User, child: Child, *, in_full: bool | None = None
) -> dict[str, Any]:
    """What monitoring/_child_assess.html shows on the young person's internet monitoring page:
    the records of IM-1 to IM-6 this reader may see, where the young person lives, and what
    they may do next. The caller has checked the reader may open the young person's page, and
    may say whether they read it in full and (as `child.may_record_worry`, read with the young
    person) whether they may tell a worry; else each is asked here."""
    if in_full is None:
        in_full = selectors.children_in_full(user).filter(pk=child.pk).exists()
    may_record_worry = getattr(child, "may_record_worry", None)
    if may_record_worry is None:
        may_record_worry = services.worry_children(user).filter(pk=child.pk).exists()
    worries = list(
        selectors.worries_visible_to(user)
        .filter(child=child)
        .select_related("raised_by")
        .order_by("-raised_at")
    )
    assessments = selectors.assessments_for_page(user, child) if in_full else []
    decisions = selectors.decisions_for_page(user, child) if in_full else []
    residences = list(
        selectors.residences_visible_to(user)
        .filter(child=child)
        .select_related("household")
        .order_by("-from_on")
    )
    return {
        "im_child": child,
        "im_panel_referrals": [r for a in assessments for r in a.referrals_shown],  # type: ignore[attr-defined]
        "im_discussions": [d for decision in decisions for d in decision.discussions_shown],  # type: ignore[attr-defined]
        "im_in_full": in_full,
        "im_worries": worries,
        "im_assessments": assessments,
        "im_decisions": decisions,
        "im_residences": residences,
        "im_may_record_worry": bool(may_record_worry),
        "im_worry_url": reverse("monitoring:worry_create") + f"?child={child.pk}",
        "im_may_assess": in_full and user.has_perm("monitoring.assess"),
        "im_may_record_residence": in_full and user.has_perm("monitoring.record_residence"),
        "im_residence_url": reverse("monitoring:residence_create", kwargs={"pk": child.pk}),
    }


# IM-1: the worry ------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def worry_create(request: HttpRequest) -> HttpResponse:
    """IM-1: anyone caring for the young person tells their social worker of a worry."""
    user = _user(request)
    children = services.worry_children(user).order_by("first_name", "last_name", "pk")
    if not children.exists():
        raise Http404
    chosen = request.GET.get("child", "")
    initial = {"child": int(chosen)} if chosen.isdigit() and children.filter(pk=int(chosen)).exists() else {}
    if not initial and children.count() == 1:
        initial = {"child": children.first().pk}  # type: ignore[union-attr]
    form = WorryForm(request.POST or None, children=children, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        worry = save_or_refuse(form, None, lambda: services.worry_record(actor=user, **values))
        if worry is not None:
            # The confirmation page itself says the social worker has been told.
            return redirect("monitoring:worry_detail", pk=worry.pk)
    return render(
        request,
        "monitoring/worry_form.html",
        {"form": form, "back_url": reverse("home"), "title": "A worry about a young person's internet use"},
    )


@GET
@login_required
def worry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-1: the worry as told. Its raiser reads that the social worker was told; the young
    person's social worker and managers read also its assessments and what to do next."""
    user = _user(request)
    worry = selectors.worry_for(user, pk)
    log_view(request, worry.child)
    in_full = selectors.children_in_full(user).filter(pk=worry.child_id).exists()
    assessments = (
        list(selectors.assessments_visible_to(user).filter(worry=worry).order_by("-assessed_on", "-id"))
        if in_full
        else []
    )
    return render(
        request,
        "monitoring/worry_detail.html",
        {
            "worry": worry,
            "child": worry.child,
            "in_full": in_full,
            "assessments": assessments,
            "may_assess": in_full and user.has_perm("monitoring.assess"),
            "back_url": child_url(worry.child) if in_full else reverse("home"),
        },
    )


# IM-2: the assessment -----------------------------------------------------------------------------


@GET_POST
@login_required
@once
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-2: the young person's social worker assesses the risk, naming who took part."""
    user = _user(request)
    worry = selectors.worry_for(user, pk)
    if (
        not user.has_perm("monitoring.assess")
        or not selectors.children_in_full(user).filter(pk=worry.child_id).exists()
    ):
        raise Http404
    log_view(request, worry.child)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        assessment = save_or_refuse(
            form, None, lambda: services.assessment_record(actor=user, worry=worry, **values)
        )
        if assessment is not None:
            messages.success(request, "The assessment is recorded.")
            return redirect(_assessment_url(assessment))
    return _form_page(
        request,
        form,
        worry.child,
        back_url=reverse("monitoring:worry_detail", kwargs={"pk": worry.pk}),
        title="Assess the risk",
        caption="IM-2",
        lead="Assess the risk with the young person, their family where appropriate, and the officers "
        "and carers involved. Say who took part.",
        quoted=("The worry", worry.details),
        submit="Save the assessment",
    )


@GET
@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-2 to IM-6: the assessment and everything that followed it."""
    user = _user(request)
    assessment = _assessment_for(user, pk)
    log_view(request, assessment.child)
    evaluations = list(
        Evaluation.objects.filter(assessment=assessment)
        .select_related("team_manager", "service_manager", "recorded_by")
        .order_by("-evaluated_on", "-id")
    )
    decisions = list(
        Decision.objects.filter(evaluation__assessment=assessment)
        .select_related("decided_by")
        .prefetch_related("discussions")
        .order_by("-decided_at", "-id")
    )
    return render(
        request,
        "monitoring/assessment_detail.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "strategy_discussions": list(
                StrategyDiscussion.objects.filter(assessment=assessment)
                .select_related("manager")
                .order_by("-held_on", "-id")
            ),
            "referrals": list(
                PanelReferral.objects.filter(assessment=assessment).order_by("-referred_on", "-id")
            ),
            "evaluations": evaluations,
            "decisions": decisions,
            "significant": assessment.level == RiskLevel.SIGNIFICANT,
            "may_strategy": user.has_perm("monitoring.record_strategy")
            and assessment.level == RiskLevel.SIGNIFICANT,
            "may_refer": user.has_perm("monitoring.refer_panel"),
            "may_evaluate": user.has_perm("monitoring.evaluate"),
            "may_decide": user.has_perm("monitoring.decide") and bool(evaluations),
            "may_discuss": user.has_perm("monitoring.discuss"),
            "back_url": child_url(assessment.child),
        },
    )


# IM-3 -------------------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def strategy_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-3: the social worker and their manager's strategy discussion."""
    user = _user(request)
    assessment = _assessment_for(user, pk)
    if not user.has_perm("monitoring.record_strategy"):
        raise Http404
    log_view(request, assessment.child)
    form = StrategyForm(request.POST or None, managers=services.manager_choices(assessment.child))
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, None, lambda: services.strategy_record(actor=user, assessment=assessment, **values)
        )
        if saved is not None:
            messages.success(request, "The strategy discussion is recorded.")
            return redirect(_assessment_url(assessment))
    return _form_page(
        request,
        form,
        assessment.child,
        back_url=_assessment_url(assessment),
        title="Record the strategy discussion",
        caption="IM-3",
        lead="The social worker and their manager hold a strategy discussion when the assessment found a "
        "significant risk of harm.",
        submit="Save the strategy discussion",
    )


@GET_POST
@login_required
@once
def panel_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-3: a referral to the Extra-Familial Risk of Harm panel, or to Channel."""
    user = _user(request)
    assessment = _assessment_for(user, pk)
    if not user.has_perm("monitoring.refer_panel"):
        raise Http404
    log_view(request, assessment.child)
    form = PanelReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, None, lambda: services.panel_refer(actor=user, assessment=assessment, **values)
        )
        if saved is not None:
            messages.success(request, "The referral is recorded. Record the panel's outcome when it comes.")
            return redirect(_assessment_url(assessment))
    return _form_page(
        request,
        form,
        assessment.child,
        back_url=_assessment_url(assessment),
        title="Refer to a panel",
        caption="IM-3",
        lead="Whether or not a strategy discussion took place, the case may go to the Extra-Familial Risk of "
        "Harm panel, or, for extremism or radicalisation, to the Channel panel (Prevent).",
        submit="Save the referral",
    )


@GET_POST
@login_required
def panel_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-3: the panel's outcome and minutes on file; the plans to update within 5 working days."""
    user = _user(request)
    referral = get_object_or_404(
        selectors.panel_referrals_visible_to(user).select_related("assessment__child__service"), pk=pk
    )
    if not user.has_perm("monitoring.refer_panel"):
        raise Http404
    assessment = referral.assessment
    log_view(request, assessment.child)
    form = PanelOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, referral, lambda: services.panel_outcome(actor=user, referral=referral, **values)
        )
        if saved is not None:
            messages.success(
                request, "The panel's outcome and minutes are on file. Update the young person's plans."
            )
            return redirect(_assessment_url(assessment))
    return _form_page(
        request,
        form,
        assessment.child,
        back_url=_assessment_url(assessment),
        title=f"The {referral.get_panel_display()}'s outcome",
        caption="IM-3",
        lead="The panel's minutes go on the young person's file, and their plans are updated "
        f"(within {services.PLANS_UPDATE_WORKING_DAYS} working days of the outcome: Safecare's default).",
        submit="Save the outcome",
    )


# IM-4, IM-5 ---------------------------------------------------------------------------------------


@GET_POST
@login_required
@once
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-4: the evaluation with the team manager and the service manager, and legal advice."""
    user = _user(request)
    assessment = _assessment_for(user, pk)
    if not user.has_perm("monitoring.evaluate"):
        raise Http404
    log_view(request, assessment.child)
    form = EvaluationForm(
        request.POST or None,
        team_managers=services.team_manager_choices(assessment.child),
        service_managers=services.service_manager_choices(assessment.child),
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, None, lambda: services.evaluation_record(actor=user, assessment=assessment, **values)
        )
        if saved is not None:
            messages.success(request, "The evaluation is recorded.")
            return redirect(_assessment_url(assessment))
    return _form_page(
        request,
        form,
        assessment.child,
        back_url=_assessment_url(assessment),
        title="Record the evaluation",
        caption="IM-4",
        lead="The social worker evaluates the assessment with the team manager and the service manager, "
        "considers legal advice, and records why it was or was not taken.",
        submit="Save the evaluation",
    )


@GET_POST
@login_required
@once
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-5: whether to monitor; to monitor needs the evidence and both of Ofsted's tests."""
    user = _user(request)
    assessment = _assessment_for(user, pk)
    if not user.has_perm("monitoring.decide"):
        raise Http404
    log_view(request, assessment.child)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, None, lambda: services.decision_record(actor=user, assessment=assessment, **values)
        )
        if saved is not None:
            messages.success(request, "The decision is recorded. It cannot be changed.")
            return redirect(_assessment_url(assessment))
    return _form_page(
        request,
        form,
        assessment.child,
        back_url=_assessment_url(assessment),
        title="Decide whether to monitor",
        caption="IM-5",
        lead="Monitoring is a restrictive practice. A decision to monitor records the reasons, the evidence "
        "that less restrictive measures cannot reduce the risk enough, and why it is legal and necessary, "
        "reasonable and proportionate. A decision cannot be changed once saved.",
        warning=None if services.latest_evaluation(assessment) else "Evaluate the assessment first (IM-4).",
        submit="Save the decision",
    )


# IM-6 -------------------------------------------------------------------------------------------


def _decision_for(user: User, pk: int) -> Decision:
    return get_object_or_404(
        selectors.decisions_visible_to(user).select_related("child__service", "evaluation__assessment"), pk=pk
    )


@GET_POST
@login_required
@once
def discussion_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-6: the proposal discussed with the young person and their family."""
    user = _user(request)
    decision = _decision_for(user, pk)
    if not user.has_perm("monitoring.discuss"):
        raise Http404
    log_view(request, decision.child)
    assessment = decision.evaluation.assessment
    form = DiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, None, lambda: services.discussion_record(actor=user, decision=decision, **values)
        )
        if saved is not None:
            messages.success(request, "The discussion is recorded.")
            return redirect(_assessment_url(assessment))
    return _form_page(
        request,
        form,
        decision.child,
        back_url=_assessment_url(assessment),
        title="Record the discussion with the young person",
        caption="IM-6",
        lead="Discuss the proposal with the young person and their family where appropriate. A young person "
        "without family who can support them is recommended an advocate, arranged if they agree.",
        submit="Save the discussion",
    )


@GET_POST
@login_required
def advocate_create(request: HttpRequest, pk: int) -> HttpResponse:
    """IM-6: the advocate the young person wanted, arranged."""
    user = _user(request)
    discussion = get_object_or_404(
        selectors.discussions_visible_to(user).select_related(
            "decision__child__service", "decision__evaluation"
        ),
        pk=pk,
    )
    if not user.has_perm("monitoring.discuss"):
        raise Http404
    child = discussion.decision.child
    log_view(request, child)
    back = reverse(
        "monitoring:assessment_detail", kwargs={"pk": discussion.decision.evaluation.assessment_id}
    )
    form = AdvocateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form,
            discussion,
            lambda: services.advocate_arranged(
                actor=user,
                discussion=discussion,
                advocate=values["advocate"],
                arranged_on=values["advocate_arranged_on"],
            ),
        )
        if saved is not None:
            messages.success(request, "The advocate is recorded.")
            return redirect(back)
    return _form_page(
        request,
        form,
        child,
        back_url=back,
        title="Record the advocate arranged",
        caption="IM-6",
        submit="Save the advocate",
    )


# Where the young person lives ------------------------------------------------------------------------


@GET_POST
@login_required
@once
def residence_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a young person lives when not in a foster placement."""
    user = _user(request)
    child = selectors.child_in_full(user, pk)
    if not user.has_perm("monitoring.record_residence"):
        raise Http404
    log_view(request, child)
    households = Household.objects.filter(
        service_id=child.service_id, status=HouseholdStatus.APPROVED
    ).order_by("name", "pk")
    form = ResidenceForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = save_or_refuse(
            form, None, lambda: services.residence_record(actor=user, child=child, **values)
        )
        if saved is not None:
            messages.success(request, "Where the young person lives is recorded.")
            return redirect(child_url(child))
    return _form_page(
        request,
        form,
        child,
        back_url=child_url(child),
        title="Where the young person lives",
        caption="Supported lodgings or accommodation",
        lead="For a young person who lives somewhere other than a foster placement. The internet monitoring "
        "procedure applies there too.",
        submit="Save",
    )


@GET_POST
@login_required
@once
def residence_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The young person moved out of the residence: it ends on that day."""
    user = _user(request)
    residence = get_object_or_404(
        selectors.residences_visible_to(user)
        .filter(child__in=selectors.children_in_full(user))
        .select_related("child"),
        pk=pk,
    )
    if not user.has_perm("monitoring.record_residence"):
        raise Http404
    child = residence.child
    log_view(request, child)
    form = ResidenceEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = save_or_refuse(
            form,
            None,
            lambda: services.residence_end(actor=user, residence=residence, to_on=form.cleaned_data["to_on"]),
        )
        if ended is not None:
            messages.success(request, "The young person's move is recorded.")
            return redirect(child_url(child))
    return _form_page(
        request,
        form,
        child,
        back_url=child_url(child),
        title="The young person moved out",
        caption=f"{residence.get_kind_display()} with {residence.provider}",
        lead=f"They have lived there since {residence.from_on:%-d %B %Y}.",
        submit="Save",
    )
