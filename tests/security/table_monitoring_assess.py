"""Access table of internet monitoring from the worry to the discussion (IM-1 to IM-6), and where a
young person lives: the pages (monitoring.views_assess) and the API (/api/v1/im-*, api_assess).

For each young person (child_own: Xavier, placed with carol's household, CSW chris, team
manager tom; child_other: Yasmin, placed with oscar's household, no CSW, no team;
child_south: another service) `extend` makes a worry told by the carer, its assessment
(significant), a panel referral waiting for its outcome, an evaluation, a decision to
monitor, a discussion where the young person wanted an advocate, and a residence.

Who reads what (monitoring.selectors, decision 0043): the whole procedure is the young
person's social worker's, the children's team manager's of their team and the service
managers'; heads, fostering managers, the SSW and the carers get 404. A worry is also read
by its raiser. Who does what (monitoring.rules): the social worker assesses, refers, discusses
and arranges the advocate; the managers also hold strategy discussions, evaluate, decide and
record where the young person lives. Anyone caring for the young person tells a worry.
A write through the API is probed with an empty body: an allowed caller gets 400, never 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.monitoring.models import (
    Assessment,
    Decision,
    Discussion,
    Evaluation,
    Panel,
    PanelReferral,
    Residence,
    ResidenceKind,
    RiskKind,
    RiskLevel,
    StrategyDiscussion,
    Worry,
)

from .table_standards_api import EVERYONE, _api

FULL = {"chris", "tom", "sue"}
FULL_OTHER = {"sue"}  # Yasmin has no social worker and no team: only the service managers
WORRY_TELLERS = {"carol", "oscar", "sam", "chris", "fiona", "tom", "sue"}
MANAGERS_TOO = {"chris", "tom", "sue"}  # record_strategy, evaluate, decide, record_residence
SOCIAL_WORKER = {"chris"}  # assess, refer_panel, discuss
# Where a young person lives: whoever sees the young person (core access).
RESIDENCE_READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
RESIDENCE_READERS_OTHER = {"oscar", "sue", "frank", "helen", "harry"}


def _case(world: Any, suffix: str, child: Any, raiser: Any, worker: Any, manager: Any) -> None:
    today = timezone.localdate()
    worry = Worry.objects.create(
        service=child.service,
        child=child,
        risk=RiskKind.FROM_OTHERS,
        details="An adult asks for secrecy.",
        noticed_on=today,
        raised_by=raiser,
    )
    assessment = Assessment.objects.create(
        service=child.service,
        child=child,
        worry=worry,
        assessed_on=today,
        young_person_took_part=True,
        findings="Grooming.",
        level=RiskLevel.SIGNIFICANT,
        recorded_by=worker,
    )
    strategy = StrategyDiscussion.objects.create(
        service=child.service,
        assessment=assessment,
        held_on=today,
        manager=manager,
        outcome="Refer to the panel.",
        recorded_by=worker,
    )
    referral = PanelReferral.objects.create(
        service=child.service, assessment=assessment, panel=Panel.EFRH, referred_on=today, recorded_by=worker
    )
    evaluation = Evaluation.objects.create(
        service=child.service,
        assessment=assessment,
        evaluated_on=today,
        team_manager=manager,
        service_manager=manager,
        summary="Warranted.",
        legal_advice_taken=False,
        legal_advice_reasons="Standard advice.",
        recorded_by=worker,
    )
    decision = Decision.objects.create(
        service=child.service,
        child=child,
        evaluation=evaluation,
        monitor=True,
        reasons="Grooming.",
        less_restrictive_evidence="Safety work failed.",
        legal_and_necessary="To prevent harm.",
        reasonable_and_proportionate="Messaging only.",
        decided_on=today,
        decided_by=worker,
    )
    discussion = Discussion.objects.create(
        service=child.service,
        decision=decision,
        held_on=today,
        young_person_views="Agrees.",
        family_support=False,
        advocate_offered=True,
        advocate_wanted=True,
        recorded_by=worker,
    )
    residence = Residence.objects.create(
        service=child.service,
        child=child,
        kind=ResidenceKind.SUPPORTED_ACCOMMODATION,
        provider="Northway Housing",
        address_kind="A flat",
        from_on=today - dt.timedelta(days=400),
        to_on=today - dt.timedelta(days=100),
        recorded_by=worker,
    )
    for name, record in (
        ("worry", worry),
        ("assessment", assessment),
        ("strategy_discussion", strategy),
        ("panel_referral", referral),
        ("evaluation", evaluation),
        ("decision", decision),
        ("discussion", discussion),
        ("residence", residence),
    ):
        setattr(world, f"im_{name}_{suffix}", record)


def extend(world: Any) -> None:
    """For the walks only (test_access_table.walk_world)."""
    _case(world, "own", world.child_own, world.carol, world.chris, world.sue)
    _case(world, "other", world.child_other, world.oscar, world.sue, world.sue)
    _case(world, "south", world.child_south, world.olga, world.olga, world.olga)


def _page(
    name: str, attr: str | None, allowed: set[str], allowed_other: set[str], methods: tuple[str, ...]
) -> list[dict[str, Any]]:
    return [
        {
            "name": f"monitoring:{name}",
            "kwargs": {"pk": attr} if attr else {},
            "method": method,
            "allowed": allowed,
            "own": attr,
            "other": attr.replace("_own", "_other") if attr else None,
            "allowed_other": allowed_other,
        }
        for method in methods
    ]


BOTH = ("GET", "POST")

ROUTES: list[dict[str, Any]] = [
    # IM-1
    *_page("worry_create", None, WORRY_TELLERS, set(), BOTH),
    *_page("worry_detail", "im_worry_own", FULL | {"carol"}, FULL_OTHER | {"oscar"}, ("GET",)),
    # IM-2
    *_page("assessment_create", "im_worry_own", SOCIAL_WORKER, set(), BOTH),
    *_page("assessment_detail", "im_assessment_own", FULL, FULL_OTHER, ("GET",)),
    # IM-3
    *_page("strategy_create", "im_assessment_own", MANAGERS_TOO, FULL_OTHER, BOTH),
    *_page("panel_create", "im_assessment_own", SOCIAL_WORKER, set(), BOTH),
    *_page("panel_outcome", "im_panel_referral_own", SOCIAL_WORKER, set(), BOTH),
    # IM-4, IM-5
    *_page("evaluation_create", "im_assessment_own", MANAGERS_TOO, FULL_OTHER, BOTH),
    *_page("decision_create", "im_assessment_own", MANAGERS_TOO, FULL_OTHER, BOTH),
    # IM-6
    *_page("discussion_create", "im_decision_own", SOCIAL_WORKER, set(), BOTH),
    *_page("advocate_create", "im_discussion_own", SOCIAL_WORKER, set(), BOTH),
    # Where the young person lives
    *_page("residence_create", "child_own", MANAGERS_TOO, FULL_OTHER, BOTH),
    *_page("residence_end", "im_residence_own", MANAGERS_TOO, FULL_OTHER, BOTH),
    # The API
    _api("im-worry-list", "GET", EVERYONE),
    _api("im-worry-list", "POST", WORRY_TELLERS),
    _api("im-worry-detail", "GET", FULL | {"carol"}, "im_worry_own", FULL_OTHER | {"oscar"}),
    _api("im-assessment-list", "GET", EVERYONE),
    _api("im-assessment-list", "POST", SOCIAL_WORKER),
    _api("im-assessment-detail", "GET", FULL, "im_assessment_own", FULL_OTHER),
    _api("im-strategy-discussion-list", "GET", EVERYONE),
    _api("im-strategy-discussion-list", "POST", MANAGERS_TOO),
    _api("im-strategy-discussion-detail", "GET", FULL, "im_strategy_discussion_own", FULL_OTHER),
    _api("im-panel-referral-list", "GET", EVERYONE),
    _api("im-panel-referral-list", "POST", SOCIAL_WORKER),
    _api("im-panel-referral-detail", "GET", FULL, "im_panel_referral_own", FULL_OTHER),
    _api("im-panel-referral-outcome", "POST", SOCIAL_WORKER, "im_panel_referral_own", set()),
    _api("im-evaluation-list", "GET", EVERYONE),
    _api("im-evaluation-list", "POST", MANAGERS_TOO),
    _api("im-evaluation-detail", "GET", FULL, "im_evaluation_own", FULL_OTHER),
    _api("im-decision-list", "GET", EVERYONE),
    _api("im-decision-list", "POST", MANAGERS_TOO),
    _api("im-decision-detail", "GET", FULL, "im_decision_own", FULL_OTHER),
    _api("im-discussion-list", "GET", EVERYONE),
    _api("im-discussion-list", "POST", SOCIAL_WORKER),
    _api("im-discussion-detail", "GET", FULL, "im_discussion_own", FULL_OTHER),
    _api("im-discussion-advocate", "POST", SOCIAL_WORKER, "im_discussion_own", set()),
    _api("im-residence-list", "GET", EVERYONE),
    _api("im-residence-list", "POST", MANAGERS_TOO),
    _api("im-residence-detail", "GET", RESIDENCE_READERS, "im_residence_own", RESIDENCE_READERS_OTHER),
    _api("im-residence-end", "POST", MANAGERS_TOO, "im_residence_own", FULL_OTHER),
]
