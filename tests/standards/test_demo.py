"""The demo has a household with two standards of care concerns: a third proposes a meeting (SOC-5)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from safecare.core.models import User
from safecare.households.models import Household
from safecare.standards import services
from safecare.standards.models import Concern, MeetingProposal, RaisedBy, Route


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_the_demo_jones_household_has_two_concerns_and_a_third_proposes_a_meeting() -> None:
    call_command("seed_demo", stdout=StringIO())
    jones = Household.objects.get(name="Jones household")
    assert Concern.objects.filter(household=jones).routed(Route.STANDARDS_OF_CARE).count() == 2
    assert not MeetingProposal.objects.filter(household=jones).exists()
    frank = User.objects.get(username="frank")
    third = services.concern_record(
        actor=frank,
        household=jones,
        raised_by_kind=RaisedBy.ANONYMOUS,
        received_on=timezone.localdate(),
        details="Leo was seen walking home alone after dark.",
    )
    services.route_decide(
        actor=frank,
        concern=third,
        harmed_child=False,
        offence_against_child=False,
        risk_of_harm=False,
        unsuitable=False,
        carers_own_child=False,
        other_borough=False,
        route=Route.STANDARDS_OF_CARE,
        reasons="Practice, not harm.",
    )
    proposal = MeetingProposal.objects.get(household=jones)
    assert proposal.three_concerns and proposal.concerns.count() == 3


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_the_demo_hughes_household_had_its_meeting_and_waits_for_the_chairs_outcome() -> None:
    from safecare.core.models import Task, TaskStatus
    from safecare.standards import services_report
    from safecare.standards.duties import OUTCOME
    from safecare.standards.models import DocumentKind, Meeting, ServiceDocument

    call_command("seed_demo", stdout=StringIO())
    hughes = Household.objects.get(name="Hughes household")
    meeting = Meeting.objects.get(household=hughes)
    assert meeting.meets_on < timezone.localdate()
    version = meeting.report.versions.get()
    assert services_report.is_qa_done(version)
    assert [c["event"].split(",")[0] for c in version.content["chronology"]] == [
        c.reference for c in Concern.objects.filter(household=hughes).order_by("received_on")
    ]
    task = Task.objects.get(household=hughes, kind=OUTCOME, status=TaskStatus.OPEN)
    assert task.owner == User.objects.get(username="frank") == meeting.chair
    # The service's three documents are there for every invitation (SOC-8).
    assert set(ServiceDocument.objects.values_list("kind", flat=True)) == set(DocumentKind.values)
