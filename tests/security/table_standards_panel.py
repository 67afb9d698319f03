"""Access table of the SOC-10 pages and API: the meeting's outcome, the referrals to the fostering
panel, the panel's recommendation, the agency decision maker's decision and the review request.

Who (standards.selectors, standards.rules, decision 0039):
- the outcome is recorded by the meeting's chair (frank chairs the *_own and *_other meetings);
- a referral is read by the service's panel members (pat), by the agency decision maker (adam)
  once the panel has recommended, and by the readers of the household's standards of care
  records; never by its carers, the child's social worker or business support;
- the recommendation is a panel member's, the decision the ADM's, the review request a
  fostering manager's or a head's;
- the outcome is read by the readers, the household's carers, and the panel and ADM of a
  meeting referred to them.

socp_*_own belong to household_own (carol, SSW sam, team manager fiona), socp_*_other to
household_other (oscar's, Fostering West, no SSW), socp_*_south to South Fostering (olga). Made
for the walks only, inside their rolled-back transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.standards.models import (
    AdmDecision,
    ApprovalChoice,
    Meeting,
    MeetingOutcome,
    MeetingProposal,
    OutcomeKind,
    PanelRecommendation,
    PanelReferral,
)
from tests.security.table_standards_api import EVERYONE

READERS = {"sam", "fiona", "frank", "helen", "harry"}
READERS_OTHER = {"frank", "helen", "harry"}
DECIDERS = {"frank", "helen", "harry"}
PANEL = {"pat"}
ADM = {"adam"}


def make_meeting(world: Any, household: Any, chair: Any, meets_on: dt.date) -> Meeting:
    """A meeting the fostering manager decided to hold, made directly (SOC-5 to SOC-7)."""
    proposal = MeetingProposal.objects.create(
        service=household.service,
        household=household,
        proposed_on=meets_on - dt.timedelta(days=30),
        pattern=True,
        convene=True,
        decided_by=chair,
        decided_at=timezone.now(),
        decision_reasons="A pattern of late bedtimes.",
    )
    return Meeting.objects.create(
        service=household.service,
        household=household,
        proposal=proposal,
        meets_on=meets_on,
        place="Room 2, Civic Centre",
        chair=chair,
        arranged_by=chair,
    )


def make_referral(
    world: Any,
    household: Any,
    chair: Any,
    referred_on: dt.date,
    *,
    panel: Any = None,
    adm: Any = None,
    decision: str = "",
) -> PanelReferral:
    """A meeting whose outcome referred the household to the panel (SOC-10), made directly; with
    `panel`, the panel's recommendation; with `decision`, the ADM's first decision too."""
    meeting = make_meeting(world, household, chair, referred_on)
    MeetingOutcome.objects.create(
        service=household.service,
        meeting=meeting,
        kind=OutcomeKind.PANEL,
        summary="The carers' suitability is in question.",
        decided_on=referred_on,
        recorded_by=chair,
    )
    referral = PanelReferral.objects.create(
        service=household.service, household=household, meeting=meeting, referred_on=referred_on
    )
    if panel is not None:
        PanelRecommendation.objects.create(
            service=household.service,
            referral=referral,
            recommendation=ApprovalChoice.DEREGISTER,
            reasons="The plan was not kept.",
            panel_on=referred_on,
            recorded_by=panel,
        )
    if decision:
        AdmDecision.objects.create(
            service=household.service,
            referral=referral,
            decision=decision,
            reasons="I agree with the panel.",
            decided_on=referred_on,
            decided_by=adm,
        )
    return referral


def _records(world: Any, suffix: str, household: Any, chair: Any, panel: Any, adm: Any) -> None:
    today = timezone.localdate()
    meeting = make_meeting(world, household, chair, today - dt.timedelta(days=3))
    referral = make_referral(
        world,
        household,
        chair,
        today - dt.timedelta(days=10),
        panel=panel,
        adm=adm,
        decision=ApprovalChoice.DEREGISTER,
    )
    setattr(world, f"socp_meeting_{suffix}", meeting)
    setattr(world, f"socp_referral_{suffix}", referral)
    setattr(world, f"socp_outcome_{suffix}", referral.meeting.outcome)


def extend(world: Any) -> None:
    _records(world, "own", world.household_own, world.frank, world.pat, world.adam)
    _records(world, "other", world.household_other, world.frank, world.pat, world.adam)
    _records(world, "south", world.household_south, world.olga, world.olga, world.olga)


def _rows(
    name: str,
    attr: str | None,
    allowed: set[str],
    allowed_other: set[str] | None = None,
    methods: tuple[str, ...] = ("GET", "POST"),
    *,
    api: bool = False,
) -> list[dict[str, Any]]:
    rows = []
    for method in methods:
        row: dict[str, Any] = {
            "name": name,
            "kwargs": {"pk": attr} if attr else {},
            "method": method,
            "allowed": allowed,
            "own": attr,
            "other": attr.replace("_own", "_other") if attr else None,
            "allowed_other": allowed_other or set(),
        }
        if api:
            row["api"] = True
        rows.append(row)
    return rows


REFERRAL_READERS = READERS | PANEL | ADM
REFERRAL_READERS_OTHER = READERS_OTHER | PANEL | ADM

ROUTES: list[dict[str, Any]] = [
    # SOC-10 pages. The outcome: the meeting's chair only.
    *_rows("standards:meeting_outcome", "socp_meeting_own", {"frank"}, {"frank"}),
    # The lists: the panel's (and the readers' of their households'), the ADM's.
    *_rows("standards:panel_list", None, READERS | PANEL | {"olga"}, methods=("GET",)),
    *_rows("standards:adm_list", None, ADM, methods=("GET",)),
    *_rows(
        "standards:panel_referral", "socp_referral_own", REFERRAL_READERS, REFERRAL_READERS_OTHER, ("GET",)
    ),
    *_rows("standards:panel_recommend", "socp_referral_own", PANEL, PANEL),
    *_rows("standards:adm_decide", "socp_referral_own", ADM, ADM),
    *_rows("standards:review_request", "socp_referral_own", DECIDERS, DECIDERS),
    # SOC-10 API. An empty body from an allowed caller answers 400 naming a field.
    *_rows("soc-outcome-list", None, EVERYONE, methods=("GET",), api=True),
    *_rows("soc-outcome-list", None, DECIDERS | {"olga"}, methods=("POST",), api=True),
    *_rows(
        "soc-outcome-detail",
        "socp_outcome_own",
        REFERRAL_READERS | {"carol"},
        REFERRAL_READERS_OTHER | {"oscar"},
        ("GET",),
        api=True,
    ),
    *_rows("soc-panel-referral-list", None, EVERYONE, methods=("GET",), api=True),
    *_rows(
        "soc-panel-referral-detail",
        "socp_referral_own",
        REFERRAL_READERS,
        REFERRAL_READERS_OTHER,
        ("GET",),
        api=True,
    ),
    *_rows("soc-panel-recommendation-list", None, EVERYONE, methods=("GET",), api=True),
    *_rows("soc-panel-recommendation-list", None, PANEL, methods=("POST",), api=True),
    *_rows("soc-adm-decision-list", None, EVERYONE, methods=("GET",), api=True),
    *_rows("soc-adm-decision-list", None, ADM, methods=("POST",), api=True),
    *_rows("soc-review-request-list", None, EVERYONE, methods=("GET",), api=True),
    *_rows("soc-review-request-list", None, DECIDERS | {"olga"}, methods=("POST",), api=True),
]
