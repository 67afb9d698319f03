"""Reads of the standards of care records, scoped through households.access (rules: Who sees what).

- Concerns, route decisions, allegation outcomes and meeting proposals: the household's
  supervising social worker, the fostering team manager of its team, the fostering
  managers and the heads of fostering and of service (each through the households they
  see). A child's social worker sees the household but not these; nor does the assessing
  social worker.
- Visits and their agreed actions: those readers, and the household's carers, who take
  part in the visit. A carer never reads the concern itself: not who raised it (it may be
  anonymous), nor the route decision.
- Business support, panel members and the agency decision maker see none of it until a
  meeting or a referral to panel brings them in (SOC-8, SOC-10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from safecare.core.access import is_active
from safecare.core.roles import Role
from safecare.households.access import households_visible_to

from .models import (
    AdmDecision,
    AllegationResult,
    Arrangement,
    CarerResponse,
    Concern,
    DocumentKind,
    Meeting,
    MeetingOutcome,
    MeetingProposal,
    MeetingReport,
    PanelRecommendation,
    PanelReferral,
    Recipient,
    ReportSending,
    ReportVersion,
    ReviewRequest,
    RouteDecision,
    ServiceDocument,
    Visit,
    VisitAction,
)

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household

SOC_READERS = frozenset(
    {
        Role.SUPERVISING_SW,
        Role.FOSTERING_TEAM_MANAGER,
        Role.FOSTERING_MANAGER,
        Role.HEAD_OF_FOSTERING,
        Role.HEAD_OF_SERVICE,
    }
)
# Carers read the visit about their household, and the actions agreed at it.
VISIT_READERS = SOC_READERS | {Role.CARER}


def soc_households_visible_to(user: User) -> QuerySet[Household]:
    """The households whose standards of care records the user reads in full."""
    from safecare.households.models import Household

    if not is_active(user) or user.role not in SOC_READERS:
        return Household.objects.none()
    return households_visible_to(user)


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    return Concern.objects.filter(household__in=soc_households_visible_to(user))


def route_decisions_visible_to(user: User) -> QuerySet[RouteDecision]:
    return RouteDecision.objects.filter(concern__in=concerns_visible_to(user))


def allegation_results_visible_to(user: User) -> QuerySet[AllegationResult]:
    return AllegationResult.objects.filter(concern__in=concerns_visible_to(user))


def visits_visible_to(user: User) -> QuerySet[Visit]:
    if not is_active(user) or user.role not in VISIT_READERS:
        return Visit.objects.none()
    visits = Visit.objects.filter(household__in=households_visible_to(user))
    if user.role == Role.CARER:  # SOC-4: a carer reads the record once the SSW has signed and shared it
        visits = visits.filter(shared_at__isnull=False)
    return visits


def visit_actions_visible_to(user: User) -> QuerySet[VisitAction]:
    """Actions agreed at a visit, or set by a meeting's outcome (SOC-10): the carers read both."""
    from django.db.models import Q

    return VisitAction.objects.filter(
        Q(visit__in=visits_visible_to(user)) | Q(meeting__in=meetings_visible_to(user))
    )


def proposals_visible_to(user: User) -> QuerySet[MeetingProposal]:
    return MeetingProposal.objects.filter(household__in=soc_households_visible_to(user))


# SOC-8 to SOC-10: the meeting and what follows it ------------------------------------------------


def arrangements_visible_to(user: User) -> QuerySet[Arrangement]:
    """Business support reads the arrangements they are asked to make; the SoC readers all of theirs."""
    if not is_active(user):
        return Arrangement.objects.none()
    if user.role == Role.BUSINESS_SUPPORT:
        return Arrangement.objects.filter(business_support=user, service_id=user.service_id)
    return Arrangement.objects.filter(proposal__household__in=soc_households_visible_to(user))


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Who sees a meeting (its date, place, chair and invitees).

    The SoC readers of the household; the business support officer asked to arrange it
    (SOC-8); the household's carers, who are invited; the child's social worker named to
    write the report with the SSW (SOC-7). Panel members and the agency decision maker
    read a meeting through its referral (panel_referrals_visible_to), not here.
    """

    if not is_active(user):
        return Meeting.objects.none()
    if user.role == Role.BUSINESS_SUPPORT:
        return Meeting.objects.filter(
            proposal__arrangement__business_support=user, service_id=user.service_id
        )
    if user.role == Role.CARER:
        return Meeting.objects.filter(household__in=households_visible_to(user))
    if user.role == Role.CHILDS_SW:
        return Meeting.objects.filter(report__csw=user, service_id=user.service_id)
    return Meeting.objects.filter(household__in=soc_households_visible_to(user))


def reports_visible_to(user: User) -> QuerySet[MeetingReport]:
    """The working draft: the SoC readers of the household, and the CSW named on it (SOC-7).

    Carers never read the draft; they read the versions sent to them.
    """
    if not is_active(user):
        return MeetingReport.objects.none()
    if user.role == Role.CHILDS_SW:
        return MeetingReport.objects.filter(csw=user, service_id=user.service_id)
    return MeetingReport.objects.filter(meeting__household__in=soc_households_visible_to(user))


def report_versions_visible_to(user: User) -> QuerySet[ReportVersion]:
    """Frozen versions: as the draft; a carer the versions sent to the carer of their household;
    panel members and the agency decision maker those of the meetings referred to them (SOC-10).
    """
    if not is_active(user):
        return ReportVersion.objects.none()
    if user.role == Role.CARER:
        return ReportVersion.objects.filter(
            report__meeting__household__in=households_visible_to(user),
            sendings__recipient=Recipient.CARER,
        ).distinct()
    if user.role in (Role.PANEL_MEMBER, Role.AGENCY_DECISION_MAKER):
        return ReportVersion.objects.filter(
            report__meeting__panel_referral__in=panel_referrals_visible_to(user)
        )
    return ReportVersion.objects.filter(report__in=reports_visible_to(user))


def sendings_visible_to(user: User) -> QuerySet[ReportSending]:
    """Who the report went to: the report's readers; a carer only the sendings to the carer."""
    if not is_active(user):
        return ReportSending.objects.none()
    if user.role == Role.CARER:
        return ReportSending.objects.filter(
            version__in=report_versions_visible_to(user), recipient=Recipient.CARER
        )
    return ReportSending.objects.filter(version__report__in=reports_visible_to(user))


def carer_responses_visible_to(user: User) -> QuerySet[CarerResponse]:
    """The carer's own responses; the chair and the SoC readers of the household. Not business
    support, who arrange the meeting and read nothing of the case, nor the CSW named on the
    report: the response is to the chair.
    """
    if not is_active(user) or user.role in (Role.BUSINESS_SUPPORT, Role.CHILDS_SW):
        return CarerResponse.objects.none()
    return CarerResponse.objects.filter(meeting__in=meetings_visible_to(user))


def panel_referrals_visible_to(user: User) -> QuerySet[PanelReferral]:
    """SOC-10: panel members see the referrals to their service's panel; the agency decision
    maker those the panel has recommended on; the SoC readers those of their households.
    """
    if not is_active(user):
        return PanelReferral.objects.none()
    if user.role == Role.PANEL_MEMBER:
        return PanelReferral.objects.filter(service_id=user.service_id)
    if user.role == Role.AGENCY_DECISION_MAKER:
        return PanelReferral.objects.filter(service_id=user.service_id, recommendation__isnull=False)
    return PanelReferral.objects.filter(household__in=soc_households_visible_to(user))


def outcomes_visible_to(user: User) -> QuerySet[MeetingOutcome]:
    if is_active(user) and user.role in (Role.PANEL_MEMBER, Role.AGENCY_DECISION_MAKER):
        return MeetingOutcome.objects.filter(meeting__panel_referral__in=panel_referrals_visible_to(user))
    if is_active(user) and user.role == Role.BUSINESS_SUPPORT:
        return MeetingOutcome.objects.none()
    return MeetingOutcome.objects.filter(meeting__in=meetings_visible_to(user))


def recommendations_visible_to(user: User) -> QuerySet[PanelRecommendation]:
    return PanelRecommendation.objects.filter(referral__in=panel_referrals_visible_to(user))


def adm_decisions_visible_to(user: User) -> QuerySet[AdmDecision]:
    return AdmDecision.objects.filter(referral__in=panel_referrals_visible_to(user))


def review_requests_visible_to(user: User) -> QuerySet[ReviewRequest]:
    return ReviewRequest.objects.filter(referral__in=panel_referrals_visible_to(user))


# One record: outside the reader's scope it does not exist (404) --------------------------------


def concern_for(user: User, pk: int) -> Concern:
    return get_object_or_404(concerns_visible_to(user).select_related("household", "recorded_by"), pk=pk)


def visit_for(user: User, pk: int) -> Visit:
    return get_object_or_404(visits_visible_to(user).select_related("household", "recorded_by"), pk=pk)


def proposal_for(user: User, pk: int) -> MeetingProposal:
    return get_object_or_404(proposals_visible_to(user).select_related("household", "task"), pk=pk)


def meeting_for(user: User, pk: int) -> Meeting:
    # Its outcome (SOC-10) is asked for by every part of its page: read with it, once.
    return get_object_or_404(
        meetings_visible_to(user).select_related("household", "chair", "proposal", "outcome"), pk=pk
    )


# What meeting_for_page reads of each action the meeting's outcome set (SOC-10), and of the ADM's decisions.
_ACTION_FIELDS = {
    "id": "actions__id",
    "what": "actions__what",
    "due_on": "actions__due_on",
    "done_on": "actions__done_on",
    "owner_id": "actions__owner_id",
    "owner_first_name": "actions__owner__first_name",
    "owner_last_name": "actions__owner__last_name",
    "owner_username": "actions__owner__username",
}
_ADM_FIELDS = ("id", "decision", "decided_on")


def meeting_for_page(user: User, pk: int) -> Meeting:
    """The meeting for its own page (standards:meeting_detail; 404 outside meetings_visible_to),
    read in one query with what each part of the page shows of it:

    - its household, chair, proposal and the proposal's arrangement with business support (SOC-8);
    - which of the service's documents are uploaded (`has_document_<kind>`, SOC-8);
    - the household's worker (`household_worker_id`: its supervising social worker, else its
      assessing one, as households.selectors.household_worker), who writes the report (SOC-7);
    - its report, its outcome with who recorded it, and its referral to the panel with the
      referral's recommendation and review request (SOC-7, SOC-10), each with whether this
      reader may see it in that part's own scope (`report_seen`, `outcome_seen`,
      `referral_seen`): a part the reader may not see is not shown, as before;
    - the ADM's decisions on the referral (`adm_decisions_shown`: at most one per stage) and the
      actions the outcome set, by due date (`actions_shown`, a row each: all of them are seen by
      whoever sees the meeting, as selectors.visit_actions_visible_to says).
    """
    from django.db.models import Exists, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from safecare.core.models import User as UserModel
    from safecare.households.models import Allocation, AllocationKind

    def seen(scope: QuerySet[Any]) -> Exists:
        return Exists(scope.filter(meeting=OuterRef("pk")))

    current = Allocation.objects.filter(household=OuterRef("household_id"), ended_at__isnull=True)
    documents = {
        f"has_document_{kind}": Exists(
            ServiceDocument.objects.filter(service_id=OuterRef("service_id"), kind=kind)
        )
        for kind in DocumentKind.values
    }
    adm = {
        f"adm_{stage}_{name}": Subquery(
            AdmDecision.objects.filter(referral__meeting=OuterRef("pk"), after_review=after).values(name)[:1]
        )
        for stage, after in (("first", False), ("later", True))
        for name in _ADM_FIELDS
    }
    rows: list[Any] = list(
        meetings_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "household",
            "chair",
            "proposal__arrangement__business_support",
            "report__csw",
            "outcome__recorded_by",
            "panel_referral__household",
            "panel_referral__recommendation",
            "panel_referral__review_request",
        )
        .annotate(
            household_worker_id=Coalesce(
                Subquery(current.filter(kind=AllocationKind.SUPERVISING).values("worker_id")[:1]),
                Subquery(current.filter(kind=AllocationKind.ASSESSING).values("worker_id")[:1]),
            ),
            report_seen=seen(reports_visible_to(user)),
            outcome_seen=seen(outcomes_visible_to(user)),
            referral_seen=seen(panel_referrals_visible_to(user)),
            **documents,
            **adm,
            **{f"action_{name}": F(path) for name, path in _ACTION_FIELDS.items()},
        )
        .order_by("actions__due_on", "actions__id")
    )
    if not rows:
        raise Http404("No meeting matches the given query.")
    meeting = rows[0]
    meeting.actions_shown = [
        VisitAction(
            pk=row.action_id,
            meeting=meeting,
            what=row.action_what,
            due_on=row.action_due_on,
            done_on=row.action_done_on,
            owner=UserModel(
                pk=row.action_owner_id,
                first_name=row.action_owner_first_name,
                last_name=row.action_owner_last_name,
                username=row.action_owner_username,
            ),
        )
        for row in rows
        if row.action_id is not None
    ]
    meeting.adm_decisions_shown = [
        AdmDecision(
            after_review=after, **{name: getattr(meeting, f"adm_{stage}_{name}") for name in _ADM_FIELDS}
        )
        for stage, after in (("first", False), ("later", True))
        if getattr(meeting, f"adm_{stage}_id") is not None
    ]
    found: Meeting = meeting
    return found


def part_of(meeting: Meeting, name: str) -> Any:
    """The meeting's report, outcome or panel referral as meeting_for_page read it: None when
    there is none or the reader may not see it."""
    seen = {"report": "report_seen", "outcome": "outcome_seen", "panel_referral": "referral_seen"}[name]
    if not getattr(meeting, seen) or not hasattr(meeting, name):
        return None
    return getattr(meeting, name)


def report_for(user: User, pk: int) -> MeetingReport:
    return get_object_or_404(
        reports_visible_to(user).select_related("meeting", "meeting__household", "csw"), pk=pk
    )


def report_version_for(user: User, pk: int) -> ReportVersion:
    return get_object_or_404(
        report_versions_visible_to(user).select_related("report", "report__meeting", "submitted_by"), pk=pk
    )


def panel_referral_for(user: User, pk: int) -> PanelReferral:
    return get_object_or_404(panel_referrals_visible_to(user).select_related("household", "meeting"), pk=pk)
