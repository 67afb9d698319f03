"""SOC-2, SOC-3: the fostering manager's route, each threshold considered; no-evidence allegations stay out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from safecare.core.models import Notification, Task, TaskStatus
from safecare.standards import services
from safecare.standards.duties import ROUTE_DECISION, VISIT
from safecare.standards.models import AllegationOutcome, Route, RouteDecision

from .conftest import NO, decide, record

pytestmark = pytest.mark.django_db

THRESHOLD_MESSAGE = (
    "Route: a concern that meets an allegations threshold (harm to a child, an offence against or related to a "
    "child, a risk of harm to children, or unsuitability to work with children) goes to the LADO under the "
    "allegations procedure, not to '{}' (SOC-2)"
)


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_the_standards_of_care_route_gives_the_ssw_a_visit_due_5_working_days_after_it_was_received(
    today, world
) -> None:
    concern = record(world, by=world.chris, received_on=dt.date(2027, 3, 24))
    decision = decide(world, concern)
    assert decision.route == Route.STANDARDS_OF_CARE
    assert concern.route == Route.STANDARDS_OF_CARE
    assert decision.decided_on == dt.date(2027, 3, 25)
    assert Task.objects.get(kind=ROUTE_DECISION).status == TaskStatus.DONE
    visit = Task.objects.get(kind=VISIT, household=world.household_own)
    assert visit.owner == world.sam
    # Wednesday 24 March is day 0; Good Friday 26 and Easter Monday 29 March 2027 are not working days.
    assert visit.due_on == dt.date(2027, 4, 2)
    assert visit.due_basis == (
        "5 working days after the information was received on Wednesday 24 March 2027 (SOC-4: the policy's own "
        "deadline)"
    )
    alert = Notification.objects.get(kind="soc_visit_due")
    assert (alert.recipient, alert.task, alert.subject) == (
        world.sam,
        visit,
        "A standards of care visit is to be arranged",
    )


def test_every_threshold_must_be_answered_one_by_one(world) -> None:
    concern = record(world)
    with pytest.raises(ValidationError) as refused:
        decide(world, concern, harmed_child=None, other_borough=None)
    assert refused.value.message_dict == {
        "harmed_child": ["The carer has harmed a child, or may have: answer yes or no (SOC-2)"],
        "other_borough": ["The carer lives in another borough: answer yes or no (SOC-2)"],
    }
    assert not RouteDecision.objects.exists()
    assert Task.objects.get(kind=ROUTE_DECISION).status == TaskStatus.OPEN


@pytest.mark.parametrize("threshold", ["harmed_child", "offence_against_child", "risk_of_harm", "unsuitable"])
@pytest.mark.parametrize("route", [Route.STANDARDS_OF_CARE, Route.COMPLAINTS, Route.NO_FURTHER_ACTION])
def test_a_threshold_met_sends_the_concern_to_the_lado_and_nowhere_else(world, threshold, route) -> None:
    concern = record(world)
    with pytest.raises(ValidationError) as refused:
        decide(world, concern, route, **{threshold: True})
    assert refused.value.message_dict == {"route": [THRESHOLD_MESSAGE.format(Route(route).label)]}
    decision = decide(world, concern, Route.LADO, lado="Jo Bloggs, North LADO", **{threshold: True})
    assert (decision.route, decision.lado, getattr(decision, threshold)) == (
        Route.LADO,
        "Jo Bloggs, North LADO",
        True,
    )
    assert not Task.objects.filter(kind=VISIT).exists()


def test_the_carers_own_child_goes_to_safeguarding_and_the_lado(world) -> None:
    concern = record(world)
    with pytest.raises(ValidationError) as refused:
        decide(world, concern, Route.LADO, carers_own_child=True, lado="North LADO")
    assert refused.value.message_dict == {
        "route": [
            "Route: a concern about the carer's own child goes to safeguarding, with the LADO told, not to "
            "'An allegation: to the LADO under the allegations procedure' (SOC-2)"
        ]
    }
    with pytest.raises(ValidationError) as refused:
        decide(world, concern, Route.SAFEGUARDING, carers_own_child=True)
    assert refused.value.message_dict == {"lado": ["LADO: name the LADO the allegation goes to (SOC-2)"]}
    assert decide(world, concern, Route.SAFEGUARDING, carers_own_child=True, lado="North LADO").route == (
        Route.SAFEGUARDING
    )


def test_a_carer_in_another_borough_goes_to_that_boroughs_lado(world) -> None:
    concern = record(world)
    with pytest.raises(ValidationError) as refused:
        decide(world, concern, Route.LADO, harmed_child=True, other_borough=True, lado="Sandwell LADO")
    assert refused.value.message_dict == {
        "borough": [
            "The carer's borough: a carer living in another borough goes to that borough's LADO; name the "
            "borough (SOC-2)"
        ]
    }
    decision = decide(
        world,
        concern,
        Route.LADO,
        harmed_child=True,
        other_borough=True,
        lado="Sandwell LADO",
        borough="Sandwell",
    )
    assert (decision.lado, decision.borough) == ("Sandwell LADO", "Sandwell")


def test_no_threshold_met_allows_standards_of_care_complaints_or_no_further_action(world) -> None:
    for route in (Route.COMPLAINTS, Route.NO_FURTHER_ACTION, Route.STANDARDS_OF_CARE):
        concern = record(world)
        assert decide(world, concern, route).route == route


@pytest.mark.parametrize("name", ["sam", "fiona", "chris", "carol", "bella", "pat", "adam"])
def test_only_a_fostering_manager_or_a_head_decides_the_route(world, name) -> None:
    concern = record(world)
    with pytest.raises(PermissionDenied):
        decide(world, concern, by=world.users[name])
    assert decide(world, concern, by=world.helen).decided_by == world.helen


def test_the_route_task_closes_only_when_every_concern_of_the_household_has_a_route(world) -> None:
    first, second = record(world), record(world)
    decide(world, first)
    assert Task.objects.get(kind=ROUTE_DECISION).status == TaskStatus.OPEN
    decide(world, second, Route.COMPLAINTS)
    assert Task.objects.get(kind=ROUTE_DECISION).status == TaskStatus.DONE


def test_a_route_decision_is_never_changed_a_new_one_replaces_it_and_both_stay(world) -> None:
    concern = record(world)
    first = decide(world, concern)
    assert Task.objects.get(kind=VISIT).status == TaskStatus.OPEN
    second = decide(world, concern, Route.COMPLAINTS, reasons="The school's complaint is about the service.")
    assert concern.route == Route.COMPLAINTS
    assert list(concern.route_decisions.all()) == [second, first]
    visit = Task.objects.get(kind=VISIT)
    assert visit.status == TaskStatus.CANCELLED
    assert "its route was changed (SOC-2)" in visit.closed_note
    with pytest.raises(DatabaseError), transaction.atomic():
        RouteDecision.objects.filter(pk=first.pk).update(reasons="Rewritten")


def _with_lado(world, outcome: str):
    concern = record(world)
    decide(world, concern, Route.LADO, harmed_child=True, lado="North LADO")
    services.allegation_outcome_record(
        actor=world.frank,
        concern=concern,
        outcome=outcome,
        lado="North LADO",
        outcome_on=timezone.localdate(),
    )
    return concern


def test_soc3_an_allegation_that_found_no_evidence_of_harm_never_becomes_standards_of_care(world) -> None:
    concern = _with_lado(world, AllegationOutcome.NO_EVIDENCE)
    with pytest.raises(ValidationError) as refused:
        decide(world, concern)
    assert refused.value.message_dict == {
        "route": [
            "Route: SOC-3: the allegation investigation of this concern found no evidence of harm, so it never "
            "becomes a standards of care procedure (NMS 22.10). A standards of care concern about the carer's "
            "practice must be raised separately, as a new concern."
        ]
    }
    assert concern.route == Route.LADO
    assert not Task.objects.filter(kind=VISIT).exists()
    # A new concern, raised separately, may take the standards of care route.
    assert decide(world, record(world)).route == Route.STANDARDS_OF_CARE


def test_soc3_a_concern_with_the_lado_moves_to_standards_of_care_only_after_the_outcome(world) -> None:
    concern = record(world)
    decide(world, concern, Route.LADO, risk_of_harm=True, lado="North LADO")
    with pytest.raises(ValidationError) as refused:
        decide(world, concern)
    assert refused.value.message_dict == {
        "route": [
            "Route: SOC-3: this concern is with the LADO; record the outcome of the allegation investigation "
            "before it can move to standards of care"
        ]
    }
    services.allegation_outcome_record(
        actor=world.frank,
        concern=concern,
        outcome=AllegationOutcome.BELOW_THRESHOLD,
        lado="North LADO",
        outcome_on=timezone.localdate(),
    )
    assert decide(world, concern).route == Route.STANDARDS_OF_CARE


def test_an_allegation_outcome_is_recorded_once(world) -> None:
    concern = _with_lado(world, AllegationOutcome.UNSUBSTANTIATED)
    with pytest.raises(ValidationError) as refused:
        services.allegation_outcome_record(
            actor=world.frank,
            concern=concern,
            outcome=AllegationOutcome.NO_EVIDENCE,
            lado="North LADO",
            outcome_on=timezone.localdate(),
        )
    assert refused.value.message_dict == {
        "outcome": ["Outcome: already recorded for this concern; it is never changed (SOC-3)"]
    }


def test_the_thresholds_answered_no_are_kept_with_the_decision(world) -> None:
    decision = decide(world, record(world))
    assert {name: getattr(decision, name) for name in NO} == NO


def test_a_concern_of_another_service_is_not_there_to_decide(world) -> None:
    from safecare.standards.models import Concern, RaisedBy

    south = Concern.objects.create(
        service=world.south,
        household=world.household_south,
        raised_by_kind=RaisedBy.ANONYMOUS,
        received_on=timezone.localdate(),
        details="Elsewhere",
        recorded_by=world.olga,
    )
    with pytest.raises(PermissionDenied):
        decide(world, south, by=world.harry)
    assert decide(world, south, by=world.olga).decided_by == world.olga
