"""Who sees the standards of care records (rules: Who sees what), role by role, with literal expectations.

The household's SSW, the fostering team manager of its team, the fostering managers and the
heads see them; the child's social worker sees the household but not these; carers see only
the visit and its actions; business support, panel, ADM and administrators see nothing yet.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from safecare.standards import selectors
from safecare.standards.models import MeetingProposal, RaisedBy, Route, RouteDecision, Visit, VisitAction

from .conftest import NO

pytestmark = pytest.mark.django_db

# user: (concerns, route decisions and proposals) seen, visits and actions seen
EXPECTED = {
    "carol": ([], ["own"]),
    "oscar": ([], ["other"]),
    "asha": ([], []),
    "sam": (["own"], ["own"]),
    "chris": ([], []),
    "fiona": (["own"], ["own"]),
    "tom": ([], []),
    "sue": ([], []),
    "frank": (["other", "own"], ["other", "own"]),
    "helen": (["other", "own"], ["other", "own"]),
    "harry": (["other", "own"], ["other", "own"]),
    "bella": ([], []),
    "pat": ([], []),
    "adam": ([], []),
    "ada": ([], []),
    "olga": (["south"], ["south"]),
}


def _records(world, household, carer, name: str) -> None:
    from safecare.standards.models import Concern

    concern = Concern.objects.create(
        service=household.service,
        household=household,
        raised_by_kind=RaisedBy.ANONYMOUS,
        received_on=household.approved_on,
        details=f"Concern {name}",
        recorded_by=carer,
    )
    RouteDecision.objects.create(
        service=household.service,
        concern=concern,
        decided_by=carer,
        decided_on=household.approved_on,
        route=Route.STANDARDS_OF_CARE,
        reasons="Practice",
        **NO,
    )
    visit = Visit.objects.create(
        service=household.service,
        household=household,
        concern=concern,
        visited_on=household.approved_on,
        concerns_discussed=f"Visit {name}",
        carer_response="Agreed",
        recorded_by=carer,
    )
    VisitAction.objects.create(
        service=household.service,
        visit=visit,
        what=f"Action {name}",
        owner=carer,
        due_on=household.approved_on,
    )
    Visit.objects.filter(pk=visit.pk).update(shared_at=timezone.now())  # SOC-4: carers read it once shared
    MeetingProposal.objects.create(
        service=household.service, household=household, proposed_on=household.approved_on
    )


@pytest.fixture
def soc_world(world):
    _records(world, world.household_own, world.sam, "own")
    _records(world, world.household_other, world.oscar, "other")
    _records(world, world.household_south, world.olga, "south")
    return world


def _names(queryset, field: str) -> list[str]:
    return sorted(value.split()[-1] for value in queryset.values_list(field, flat=True))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_who_sees_the_standards_of_care_records(soc_world, name) -> None:
    user = soc_world.users[name]
    sees_concerns, sees_visits = EXPECTED[name]
    assert _names(selectors.concerns_visible_to(user), "details") == sees_concerns
    assert _names(selectors.route_decisions_visible_to(user), "concern__details") == sees_concerns
    assert _names(selectors.proposals_visible_to(user), "household__soc_concerns__details") == sees_concerns
    assert _names(selectors.visits_visible_to(user), "concerns_discussed") == sees_visits
    assert _names(selectors.visit_actions_visible_to(user), "what") == sees_visits


def test_the_childs_social_worker_sees_the_household_but_not_its_standards_of_care_records(soc_world) -> None:
    from safecare.households.access import households_visible_to

    chris = soc_world.chris
    assert households_visible_to(chris).filter(pk=soc_world.household_own.pk).exists()
    assert not selectors.concerns_visible_to(chris).exists()


# What each role may do, as django-rules says (the services then check the household).
PERMISSIONS = {
    "standards.record_concern": {"asha", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"},
    "standards.view_concerns": {"sam", "fiona", "frank", "helen", "harry"},
    "standards.decide_route": {"frank", "helen", "harry"},
    "standards.record_allegation_outcome": {"frank", "helen", "harry"},
    "standards.record_visit": {"sam"},
    "standards.record_action_done": {"sam", "fiona", "frank", "helen", "harry"},
    "standards.decide_meeting": {"frank", "helen", "harry"},
}


@pytest.mark.parametrize("perm", sorted(PERMISSIONS))
def test_who_may_do_what(world, perm) -> None:
    north = {name for name, user in world.users.items() if user.service_id == world.service.pk}
    allowed = {name for name in north if world.users[name].has_perm(perm)}
    assert allowed == PERMISSIONS[perm]
