from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.standards import services
from safecare.standards.models import Concern, RaisedBy, Route, RouteDecision

NO = {
    "harmed_child": False,
    "offence_against_child": False,
    "risk_of_harm": False,
    "unsuitable": False,
    "carers_own_child": False,
    "other_borough": False,
}


def record(world: Any, *, by: Any = None, received_on: dt.date | None = None, **kwargs: Any) -> Concern:
    """A concern about the Patel household (household_own), told by the school."""
    values: dict[str, Any] = {
        "household": world.household_own,
        "raised_by_kind": RaisedBy.ROLE,
        "raised_by": "Head teacher, Hill Primary",
        "received_on": received_on or timezone.localdate(),
        "details": "Xavier came to school without lunch three days running.",
    }
    values.update(kwargs)
    return services.concern_record(actor=by or world.sam, **values)


def decide(
    world: Any, concern: Concern, route: str = Route.STANDARDS_OF_CARE, *, by: Any = None, **kwargs: Any
) -> RouteDecision:
    values: dict[str, Any] = {**NO, "route": route, "reasons": "Practice, not harm: lunches not packed."}
    values.update(kwargs)
    return services.route_decide(actor=by or world.frank, concern=concern, **values)


def soc_concern(world: Any, received_on: dt.date, route: str = Route.STANDARDS_OF_CARE) -> Concern:
    """A concern with its route, made directly (no duties, no alerts): for the SOC-5 count."""
    concern = Concern.objects.create(
        service=world.service,
        household=world.household_own,
        raised_by_kind=RaisedBy.ANONYMOUS,
        received_on=received_on,
        details="Shouting at the children.",
        recorded_by=world.sam,
    )
    RouteDecision.objects.create(
        service=world.service,
        concern=concern,
        decided_by=world.frank,
        decided_on=received_on,
        route=route,
        reasons="Routed for the count.",
        lado="LADO North" if route in {Route.LADO, Route.SAFEGUARDING} else "",
        **NO,
    )
    return concern
