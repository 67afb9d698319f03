"""Records of the notices app for the access-table walker: own, other, other-service.

Made directly, not through the services, so building the world raises no
tasks or alerts of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.notices.models import (
    CareArrangement,
    ChangeKind,
    ChangeNotice,
    ImmediateKind,
    ImmediateNotice,
)


def _records(world: Any, suffix: str, household: Any, child: Any, carer: Any) -> None:
    service = household.service
    starts = timezone.now() + dt.timedelta(days=3)
    setattr(
        world,
        f"change_notice_{suffix}",
        ChangeNotice.objects.create(
            service=service,
            household=household,
            kind=ChangeKind.NEW_REGULAR_VISITOR,
            happened_on=timezone.localdate(),
            details="A new neighbour visits on Saturdays.",
            reported_by=carer,
        ),
    )
    immediate = ImmediateNotice.objects.create(
        service=service,
        household=household,
        kind=ImmediateKind.ALLEGATION_RISK,
        details="An argument at school pick-up.",
        reported_by=carer,
    )
    immediate.children.set([child])
    setattr(world, f"immediate_notice_{suffix}", immediate)
    setattr(
        world,
        f"arrangement_{suffix}",
        CareArrangement.objects.create(
            service=service,
            household=household,
            child=child,
            carer_name="Grandma Rose",
            relationship="Grandparent",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=48),
            long_stay=True,
            reason="A family wedding.",
            requested_by=carer,
        ),
    )


def extend(world: Any) -> None:
    _records(world, "own", world.household_own, world.child_own, world.carol)
    _records(world, "other", world.household_other, world.child_other, world.oscar)
    _records(world, "south", world.household_south, world.child_south, world.olga)
