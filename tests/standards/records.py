"""Standards of care records for the API tests and the access-table walk: own, other, other-service.

Made directly, not through the services, so they raise no tasks or alerts. Not part of the
shared world: the standards tests count the concerns, visits and proposals they make
themselves. Each household has an anonymous concern routed to standards of care (SOC-2),
its visit (SOC-4) naming standard 4 with one action not yet done and not yet due, and a
proposed meeting already decided (SOC-5), so no open proposal stands in a test's way.

The attributes set on the world: soc_concern_, soc_decision_, soc_visit_, soc_action_,
soc_proposal_ with own (household_own: carer carol, SSW sam, team manager fiona), other
(household_other: carer oscar, no SSW) and south (South Fostering).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.standards.models import (
    Concern,
    MeetingProposal,
    NationalMinimumStandard,
    RaisedBy,
    Route,
    RouteDecision,
    Visit,
    VisitAction,
)

NO = {
    "harmed_child": False,
    "offence_against_child": False,
    "risk_of_harm": False,
    "unsuitable": False,
    "carers_own_child": False,
    "other_borough": False,
}


def _records(world: Any, suffix: str, household: Any, author: Any, carer: Any) -> None:
    today = timezone.localdate()
    service = household.service
    concern = Concern.objects.create(
        service=service,
        household=household,
        raised_by_kind=RaisedBy.ANONYMOUS,
        received_on=today - dt.timedelta(days=30),
        details=f"Shouting at the children ({suffix})",
        recorded_by=author,
    )
    decision = RouteDecision.objects.create(
        service=service,
        concern=concern,
        decided_by=author,
        decided_on=today - dt.timedelta(days=29),
        route=Route.STANDARDS_OF_CARE,
        reasons="Practice, not harm.",
        **NO,
    )
    visit = Visit.objects.create(
        service=service,
        household=household,
        concern=concern,
        visited_on=today - dt.timedelta(days=27),
        concerns_discussed=f"Raised voices at bedtime ({suffix})",
        carer_response="Agreed to try a calmer routine.",
        recorded_by=author,
    )
    visit.standards.set([NationalMinimumStandard.objects.get(service=service, number=4)])
    action = VisitAction.objects.create(
        service=service,
        visit=visit,
        what=f"Attend the managing behaviour course ({suffix})",
        owner=carer,
        due_on=today + dt.timedelta(days=30),
    )
    # SOC-4: signed and shared, so the carers read it (and from now on it never changes).
    Visit.objects.filter(pk=visit.pk).update(
        shared_at=timezone.now() - dt.timedelta(days=26), shared_by=author
    )
    visit.refresh_from_db()
    proposal = MeetingProposal.objects.create(
        service=service,
        household=household,
        proposed_on=today - dt.timedelta(days=20),
        three_concerns=True,
        decided_by=author,
        decided_at=timezone.now() - dt.timedelta(days=19),
        convene=False,
        decision_reasons="The carer has taken up the actions.",
    )
    proposal.concerns.set([concern])
    for kind, record in (
        ("concern", concern),
        ("decision", decision),
        ("visit", visit),
        ("action", action),
        ("proposal", proposal),
    ):
        setattr(world, f"soc_{kind}_{suffix}", record)


def make_records(world: Any) -> Any:
    _records(world, "own", world.household_own, world.sam, world.carol)
    _records(world, "other", world.household_other, world.frank, world.oscar)
    _records(world, "south", world.household_south, world.olga, world.olga)
    return world
