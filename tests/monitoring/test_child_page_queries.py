"""The young person's internet monitoring page asks the same few queries whatever their history
holds (decision 0061): worries, assessments with their strategy discussions, panels and
evaluations, decisions with their discussions, agreements with their reviews, where they live."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.monitoring.models import (
    Assessment,
    Discussion,
    Panel,
    PanelReferral,
    Residence,
    ResidenceKind,
    StrategyDiscussion,
)

from .test_agreement import MONDAY_15_MARCH_2027, agree, decision_for
from .test_review import review

D = dt.date


def _count(client: Any, url: str) -> tuple[int, str]:
    client.get(url)  # the session's first read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _parts(world: Any, assessment: Assessment, decision: Any, n: int) -> None:
    """n strategy discussions, panel referrals and discussions with the young person, and a residence."""
    service = world.child_own.service
    for number in range(n):
        StrategyDiscussion.objects.create(
            service=service, assessment=assessment, held_on=D(2026, 9, 20), manager=world.tom,
            outcome=f"Refer {number}", recorded_by=world.chris,
        )  # fmt: skip
        PanelReferral.objects.create(
            service=service, assessment=assessment, panel=Panel.EFRH, referred_on=D(2026, 9, 21),
            recorded_by=world.chris,
        )  # fmt: skip
        Discussion.objects.create(
            service=service, decision=decision, held_on=D(2026, 10, 2), young_person_views="Agrees.",
            family_support=True, recorded_by=world.chris,
        )  # fmt: skip
    Residence.objects.create(
        service=service, child=world.child_own, kind=ResidenceKind.SUPPORTED_LODGINGS, provider="Mrs Jones",
        household=world.household_other, address_kind="A room", from_on=D(2027, 3, 1), recorded_by=world.chris,
    )  # fmt: skip


@MONDAY_15_MARCH_2027
def test_the_page_asks_ten_queries_or_fewer_whatever_the_history(today, world, client_for) -> None:
    decision = decision_for(world)
    agreement = agree(world, decision)
    review(world, agreement)
    _parts(world, decision.evaluation.assessment, decision, 1)
    url = reverse("monitoring:child", kwargs={"pk": world.child_own.pk})
    # The full readers: session, user, second factor, the young person (with whether they may tell a
    # worry and the open review), the access log, worries, assessments with their panels,
    # decisions with their discussions, where they live, agreements with their reviews.
    # The carer and the household's SSW: session, user, second factor, the young person, the access
    # log, worries, where they live, the agreement in force.
    readers = {"chris": 10, "tom": 10, "sue": 10, "carol": 8, "sam": 8}
    before = {}
    for name in readers:
        before[name], page = _count(client_for(world.users[name]), url)
        assert "Mrs Jones" in page
    chris_page = _count(client_for(world.chris), url)[1]
    assert "Extra-Familial Risk of Harm panel (waiting)" in chris_page
    assert "Discussed with the young person Fri 2 Oct 2026" in chris_page
    assert "Recorded by" in chris_page and "Next review due" in chris_page
    # Years more history: more worries to decisions, more parts of each.
    for year in (2022, 2023, 2024):
        decision_for(world, decided_on=D(year, 6, 1))
    _parts(world, decision.evaluation.assessment, decision, 4)
    after = {name: _count(client_for(world.users[name]), url)[0] for name in readers}
    assert before == after == readers
