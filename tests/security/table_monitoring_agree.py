"""Access table of the internet monitoring agreement, its reviews and the young person's page
(safecare.monitoring.views_agree and api_agree, IM-7 to IM-9).

Each young person (child_own: Xavier, placed with the Patel household, carol, whose SSW is
sam, CSW chris, children's team tom; child_other: Yasmin, with the Jones household, oscar,
no SSW, no CSW, no team; child_south in the other service) has a decision to monitor, an
agreement in force and one review.

- the young person's page: in full, chris, tom and sue; the agreement in force, in the parts
  they act on, the household's carers; that it exists, the household's SSW; nobody else:
  not the heads, the fostering managers, fiona or frank;
- recording an agreement or a review: the young person's social worker (chris) only;
- the API reads as the page: the agreements to the same people; reviews to the full readers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.monitoring.models import Agreement, Review, ReviewOutcome, Signatory

from .table_standards_api import EVERYONE, _api

FULL = {"chris", "tom", "sue"}
FULL_OTHER = {"sue"}  # child_other has no social worker and no team


def _agreement(world: Any, suffix: str, child: Any) -> None:
    from tests.monitoring.test_agreement import decision_for

    today = timezone.localdate()
    decision = decision_for(world, child, decided_on=today - dt.timedelta(days=30))
    agreement = Agreement.objects.create(
        service=child.service,
        child=child,
        decision=decision,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=90),
        what="Messages on his phone.",
        how="A parental-control app.",
        by_whom="His carer.",
        who_sees="His carer and social worker.",
        action_plan="Online-safety sessions each week.",
        signatory=Signatory.YOUNG_PERSON,
        gillick_assessed_on=today - dt.timedelta(days=12),
        gillick_assessment="Understands and agrees.",
        signed_by_name=f"{child.first_name} {child.last_name}",
        signed_on=today - dt.timedelta(days=11),
        recorded_by=world.chris,
    )
    review = Review.objects.create(
        service=child.service,
        agreement=agreement,
        held_on=today - dt.timedelta(days=1),
        young_person_took_part=True,
        others="The carer",
        outcome=ReviewOutcome.CONTINUE,
        notes="Going well.",
        recorded_by=world.chris,
    )
    setattr(world, f"im_agreement_{suffix}", agreement)
    setattr(world, f"im_review_{suffix}", review)


def extend(world: Any) -> None:
    _agreement(world, "own", world.child_own)
    _agreement(world, "other", world.child_other)
    _agreement(world, "south", world.child_south)


def _page(name: str, attr: str, allowed: set[str], allowed_other: set[str], method: str) -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": attr},
        "method": method,
        "allowed": allowed,
        "own": attr,
        "other": attr.replace("_own", "_other"),
        "allowed_other": allowed_other,
    }


ROUTES: list[dict[str, Any]] = [
    _page("monitoring:child", "child_own", FULL | {"carol", "sam"}, FULL_OTHER | {"oscar"}, "GET"),
    _page("monitoring:agreement_create", "child_own", {"chris"}, set(), "GET"),
    _page("monitoring:agreement_create", "child_own", {"chris"}, set(), "POST"),
    _page("monitoring:review_create", "im_agreement_own", {"chris"}, set(), "GET"),
    _page("monitoring:review_create", "im_agreement_own", {"chris"}, set(), "POST"),
    _api("im-agreement-list", "GET", EVERYONE),
    _api("im-agreement-list", "POST", {"chris"}),
    _api("im-agreement-detail", "GET", FULL | {"carol", "sam"}, "im_agreement_own", FULL_OTHER | {"oscar"}),
    _api("im-review-list", "GET", EVERYONE),
    _api("im-review-list", "POST", {"chris"}),
    _api("im-review-detail", "GET", FULL, "im_review_own", FULL_OTHER),
]
