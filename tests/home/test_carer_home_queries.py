"""The carer's home page in a few queries, whatever she has to do and however long her history
(decision 0059): every kind of thing to do still shows, in her words, with its link.

On Monday 22 March 2027 Carol (household_own) has one of every kind of thing to do: the
shared world's (Xavier's agreement to sign, a supervision record to acknowledge, the CCTV
report to sign, the lounge camera, her request to leave Xavier with Grandma Rose, today's
recording for Xavier), and a visit record signed and shared by Sam, the report for her
standards of care meeting on Monday 12 April 2027, Xavier's internet monitoring agreement,
and a document shared with her.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse

from safecare.core.middleware import IdleTimeoutMiddleware
from safecare.home import things_to_do as kinds
from safecare.home.things_to_do import things_to_do
from safecare.standards import services as standards
from safecare.standards import services_report as report_services
from safecare.standards import services_visit
from safecare.standards.models import NationalMinimumStandard, Recipient, SharedHow
from safecare.standards.services import ActionInput
from tests.files.test_documents import share
from tests.monitoring.test_agreement import agree
from tests.standards.conftest import decide, record
from tests.standards.test_report import WRITTEN
from tests.standards.test_report_pages import _meeting

pytestmark = pytest.mark.django_db

MONDAY = "Monday 22 March 2027"

# The page's queries: the session, the user (with service, team and unread alerts), the
# two-factor device; one query for her households, the children placed with her and every kind
# of thing to do; and, as she has a device on the register, the register's verdict: the devices,
# the agreed CCTV exceptions, when the latest person moved in, the agreements in force.
PAGE_QUERIES = 8


def _one_of_everything(world):  # type: ignore[no-untyped-def]
    concern = record(world, received_on=dt.date(2027, 3, 22))
    decide(world, concern)
    visit = standards.visit_record(
        actor=world.sam,
        concern=concern,
        visited_on=dt.date(2027, 3, 22),
        standards=[NationalMinimumStandard.objects.get(service=world.service, number=6)],
        concerns_discussed="Packed lunches on school days.",
        carer_response="Carol agreed to pack a lunch every school day.",
        actions=[ActionInput("Pack a lunch every school day", world.carol, dt.date(2027, 4, 5))],
    )
    services_visit.visit_sign(actor=world.sam, visit=visit, confirmed=True)  # and shares it
    meeting = _meeting(world)
    report = report_services.report_save(actor=world.sam, meeting=meeting, values=WRITTEN)
    version = report_services.report_submit(actor=world.sam, report=report)
    report_services.report_qa(actor=world.fiona, version=version)
    report_services.report_send(
        actor=world.sam, version=version, recipient=Recipient.CARER, how=SharedHow.APP
    )
    agree(world)
    share(world, title="Contact arrangements")
    return visit


def _page(client) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time())  # used a moment ago: no session write
    session.save()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_every_kind_of_thing_to_do_shows_on_her_home_page_in_the_same_few_queries(
    today, world, client_for
) -> None:
    visit = _one_of_everything(world)
    client = client_for(world.carol)
    client.get(reverse("home"))  # the process's caches (content types) read once, as a server's are
    page, count = _page(client)
    things = things_to_do(world.carol)
    assert {thing.kind for thing in things} == {
        kinds.AGREEMENT,
        kinds.SUPERVISION,
        kinds.CCTV,
        kinds.DEVICE,
        kinds.CARE_ARRANGEMENT,
        kinds.RECORDING,
        kinds.VISIT_RECORD,
        kinds.MEETING_REPORT,
        kinds.INTERNET_MONITORING,
        kinds.DOCUMENT,
    }
    for words in (
        "Sign Xavier&#x27;s safer caring agreement",
        "Read and acknowledge the record of your supervision on Monday 8 March 2027",
        "Read and sign the report asking for CCTV cameras inside your home",
        "CCTV camera in the lounge: record how and when visitors are told there are cameras inside",
        "Wait for the service to agree before you leave Xavier with Grandma Rose on Thursday 25 March 2027",
        "Write today&#x27;s recording for Xavier",
        "Sign your visit record from Monday 22 March 2027",
        "Read the report for your meeting on Monday 12 April 2027, and say you have received it",
        "Read the internet monitoring agreement for Xavier",
        "Read Contact arrangements",
    ):
        assert words in page, words
    for thing in things:  # each with its link
        assert f'href="{thing.url}"' in page
    assert count == PAGE_QUERIES

    # Signed by her, the visit record leaves the list for her history, at the same count.
    services_visit.visit_sign(actor=world.carol, visit=visit, confirmed=True)
    page, count = _page(client)
    assert "Sign your visit record" not in page and "Read Contact arrangements" in page
    assert count == PAGE_QUERIES


def test_a_carer_with_no_device_is_within_the_home_pages_budget(world, client_for) -> None:
    from tests.factories import HouseholdFactory, MemberFactory, UserFactory

    household = HouseholdFactory(service=world.service, name="Quiet household", team=world.fostering_team)
    nadia = UserFactory(username="nadia", service=world.service, role="carer", first_name="Nadia")
    MemberFactory(household=household, user=nadia, first_name="Nadia", last_name="Quiet")
    client = client_for(nadia)
    client.get(reverse("home"))
    page, count = _page(client)
    assert "You have nothing to do at the moment." in page
    # The session, the user, the two-factor device; her household, children and things to do.
    assert count == 4


def test_an_agreement_signed_by_others_waits_for_her_until_its_text_changes_behind_their_signatures(
    world,
) -> None:
    # rules: Everywhere, Signatures: a broken signature means nobody signs this text now.
    from safecare.agreements.services import version_sign
    from tests.agreements.test_signed_content import _tamper

    version = world.child_agreement_version_own
    wanted = "Sign Xavier's safer caring agreement"
    version_sign(actor=world.sam, version=version, confirmed=True)
    assert wanted in [thing.text for thing in things_to_do(world.carol)]
    _tamper(version, sections={**version.content["sections"], "privacy": "Changed after signing"})
    assert wanted not in [thing.text for thing in things_to_do(world.carol)]
