"""Access table of the standards of care pages (safecare.standards, SOC-1 to SOC-5).

Who reads what (docs/decisions/0034-standards-of-care.md, standards.selectors):
- concerns, route decisions, allegation outcomes and meeting proposals: the household's
  SSW (sam), the fostering team manager of its team (fiona), the fostering manager
  (frank) and the heads (helen, harry). Not a child's social worker (chris), nor the
  children's team manager (tom), nor the service manager (sue), though they see the
  household; nor business support, panel members, the ADM or administrators;
- visits and their actions: those readers, and the household's carers (carol);
- a concern is recorded by any staff member who sees the household (chris too: the
  SSW hears of it later; the CSW then reads none of the procedure's records);
- the route, the allegation's outcome and the meeting are decided by the fostering
  manager and the heads; the visit is recorded by the SSW; an action is marked done by
  the SSW, the fostering team manager, the fostering manager and the heads.

The *_own records belong to household_own (sam's, Fostering North), *_other to
household_other (oscar's, Fostering West, nobody's SSW), *_south to South Fostering.
They are made for the walks only (`extend`), inside the walk's rolled-back transaction,
so the shared world of the other tests holds no standards of care record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.standards.models import (
    Concern,
    Meeting,
    MeetingProposal,
    NationalMinimumStandard,
    RaisedBy,
    Route,
    RouteDecision,
    Visit,
    VisitAction,
)

NO = dict.fromkeys(
    (
        "harmed_child",
        "offence_against_child",
        "risk_of_harm",
        "unsuitable",
        "carers_own_child",
        "other_borough",
    ),
    False,
)

READERS = {"sam", "fiona", "frank", "helen", "harry"}
READERS_OTHER = {"frank", "helen", "harry"}
RECORDERS = {"sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
RECORDERS_OTHER = {"sue", "frank", "helen", "harry"}
DECIDERS = {"frank", "helen", "harry"}
VISITORS = {"sam"}
ACTION_KEEPERS = {"sam", "fiona", "frank", "helen", "harry"}
VISIT_READERS = READERS | {"carol"}
VISIT_READERS_OTHER = READERS_OTHER | {"oscar"}


def _concern(world: Any, household: Any, by: Any, details: str) -> Concern:
    concern = Concern.objects.create(
        service=household.service,
        household=household,
        raised_by_kind=RaisedBy.ROLE,
        raised_by="Head teacher, Hill Primary",
        received_on=world.placement_own.start_on,
        details=details,
        recorded_by=by,
    )
    RouteDecision.objects.create(
        service=household.service,
        concern=concern,
        decided_by=by,
        decided_on=concern.received_on,
        route=Route.STANDARDS_OF_CARE,
        reasons="Practice, not harm.",
        **NO,
    )
    return concern


def _records(world: Any, suffix: str, household: Any, by: Any, owner: Any) -> None:
    concern = _concern(world, household, by, "Lunches not packed on school days.")
    visited = _concern(world, household, by, "Bedtimes late on school nights.")
    visit = Visit.objects.create(
        service=household.service,
        household=household,
        concern=visited,
        visited_on=visited.received_on,
        concerns_discussed="Bedtimes on school nights.",
        carer_response="Agreed to a 20:00 bedtime.",
        recorded_by=by,
    )
    visit.standards.set(NationalMinimumStandard.objects.filter(service=household.service, number=6))
    action = VisitAction.objects.create(
        service=household.service, visit=visit, what="Bedtime by 20:00", owner=owner, due_on=visit.visited_on
    )
    # SOC-4: signed and shared, so the household's carers read it.
    Visit.objects.filter(pk=visit.pk).update(shared_at=timezone.now(), shared_by=by)
    visit.refresh_from_db()
    proposal = MeetingProposal.objects.create(
        service=household.service, household=household, proposed_on=visit.visited_on, three_concerns=True
    )
    proposal.concerns.set([concern, visited])
    # An earlier proposal, decided, with its meeting arranged (SOC-7 to SOC-10).
    convened = MeetingProposal.objects.create(
        service=household.service,
        household=household,
        proposed_on=visit.visited_on,
        pattern=True,
        convene=True,
        decided_by=by,
        decided_at=timezone.now(),
        decision_reasons="A pattern of late bedtimes.",
    )
    meeting = Meeting.objects.create(
        service=household.service,
        household=household,
        proposal=convened,
        meets_on=visit.visited_on + dt.timedelta(days=30),
        place="Room 2, Civic Centre",
        chair=by,
        arranged_by=by,
    )
    for name, record in (
        ("concern", concern),
        ("visit", visit),
        ("action", action),
        ("proposal", proposal),
        ("convened", convened),
        ("meeting", meeting),
    ):
        setattr(world, f"soc_{name}_{suffix}", record)


def extend(world: Any) -> None:
    _records(world, "own", world.household_own, world.sam, world.carol)
    _records(world, "other", world.household_other, world.frank, world.oscar)
    _records(world, "south", world.household_south, world.olga, world.olga)


def _rows(
    name: str,
    attr: str,
    allowed: set[str],
    allowed_other: set[str],
    methods: tuple[str, ...] = ("GET", "POST"),
) -> list[dict[str, Any]]:
    other = attr.replace("_own", "_other")
    return [
        {
            "name": name,
            "kwargs": {"pk": attr},
            "method": method,
            "allowed": allowed,
            "own": attr,
            "other": other,
            "allowed_other": allowed_other,
        }
        for method in methods
    ]


ROUTES: list[dict[str, Any]] = [
    *_rows("standards:household_list", "household_own", READERS, READERS_OTHER, ("GET",)),
    *_rows("standards:concern_create", "household_own", RECORDERS, RECORDERS_OTHER),
    *_rows("standards:household_visits", "household_own", VISIT_READERS, VISIT_READERS_OTHER, ("GET",)),
    *_rows("standards:concern_detail", "soc_concern_own", READERS, READERS_OTHER, ("GET",)),
    *_rows("standards:route_decide", "soc_concern_own", DECIDERS, DECIDERS),
    *_rows("standards:outcome_record", "soc_concern_own", DECIDERS, DECIDERS),
    # Only the household's SSW; household_other has none.
    *_rows("standards:visit_create", "soc_concern_own", VISITORS, set()),
    *_rows("standards:visit_detail", "soc_visit_own", VISIT_READERS, VISIT_READERS_OTHER, ("GET",)),
    *_rows("standards:action_done", "soc_action_own", ACTION_KEEPERS, READERS_OTHER),
    *_rows("standards:proposal_detail", "soc_proposal_own", READERS, READERS_OTHER, ("GET",)),
    *_rows("standards:proposal_decide", "soc_proposal_own", DECIDERS, DECIDERS),
    # The meeting: the SoC readers and the household's carers, who are invited (SOC-8), and
    # the child's social worker chris, named to write its report (table_standards_report).
    *_rows(
        "standards:meeting_detail",
        "soc_meeting_own",
        VISIT_READERS | {"chris"},
        VISIT_READERS_OTHER,
        ("GET",),
    ),
]
