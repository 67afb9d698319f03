"""The pages and API of SOC-6 (the SSW refers the carer to the Fostering Network within 2 working
days of the decision to meet) and SOC-11 (a written resignation during a process deregisters
the household 28 calendar days later, and cannot be withdrawn or declined).

Decided on Monday 15 March 2027 (day 0): the referral is due Wednesday 17 March 2027 (day 2).
A resignation received Monday 15 March 2027 deregisters the household on Monday 12 April 2027.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecare.core.models import Task, TaskStatus
from safecare.standards import services_visit
from safecare.standards.duties import SUPPORT_REFERRAL
from safecare.standards.models import MeetingProposal, Resignation, SupportReferral
from tests.api.helpers import send

from .conftest import soc_concern

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = "Monday 15 March 2027"


def _convened(world) -> MeetingProposal:  # type: ignore[no-untyped-def]
    return services_visit.meeting_grounds_propose(
        actor=world.frank,
        household=world.household_own,
        significant=True,
        reasons="Significant on its own.",
        concerns=[soc_concern(world, D(2027, 3, 12))],
    )


def _more_convened(world, count: int) -> None:  # type: ignore[no-untyped-def]
    """Meetings already decided, each with its referral, made directly (no duties)."""
    for number in range(count):
        proposal = MeetingProposal.objects.create(
            service=world.service,
            household=world.household_own,
            proposed_on=D(2027, 1, 4),
            significant=True,
            convene=True,
            decided_by=world.frank,
            decided_at=dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC),
            decision_reasons=f"Earlier meeting {number}",
        )
        proposal.concerns.set([soc_concern(world, D(2027, 1, 1))])
        SupportReferral.objects.create(
            service=world.service,
            household=world.household_own,
            proposal=proposal,
            referred_on=D(2027, 1, 5),
            how=f"E-mail {number}",
            recorded_by=world.sam,
        )


# SOC-6 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc6_the_ssw_records_the_referral_from_the_support_page_and_the_duty_closes(
    today, world, client_for
) -> None:
    proposal = _convened(world)
    sam = client_for(world.sam)
    listing = sam.get(f"/households/{world.household_own.pk}/standards-of-care/support/").content.decode()
    assert "Not referred yet" in listing
    url = f"/standards-of-care/proposals/{proposal.pk}/support-referral/"
    assert f'href="{url}"' in listing
    form = sam.get(url).content.decode()
    assert "Wed 17 Mar 2027" in form

    refused = sam.post(url, {"referred_on": "2027-03-15", "how": "  "})
    assert refused.status_code == 200
    assert "say how the carer was referred" in refused.content.decode()
    done = sam.post(url, {"referred_on": "2027-03-15", "how": "E-mail to the Fostering Network"})
    assert done.status_code == 302
    referral = SupportReferral.objects.get()
    assert (referral.proposal, referral.recorded_by, referral.referred_on) == (
        proposal,
        world.sam,
        D(2027, 3, 15),
    )
    assert Task.objects.get(kind=SUPPORT_REFERRAL).status == TaskStatus.DONE
    listing = sam.get(f"/households/{world.household_own.pk}/standards-of-care/support/").content.decode()
    assert "E-mail to the Fostering Network" in listing and "Not referred yet" not in listing


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
@pytest.mark.parametrize("name", ["frank", "fiona", "chris", "carol"])
def test_soc6_only_the_household_s_ssw_opens_the_referral_form(today, world, client_for, name) -> None:
    proposal = _convened(world)
    url = f"/standards-of-care/proposals/{proposal.pk}/support-referral/"
    assert client_for(world.users[name]).get(url).status_code == 404


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_the_support_page_reads_in_the_same_number_of_queries_however_many_meetings(
    today, world, client_for
) -> None:
    _convened(world)
    sam = client_for(world.sam)
    url = f"/households/{world.household_own.pk}/standards-of-care/support/"
    sam.get(url)
    with CaptureQueriesContext(connection) as one:
        assert sam.get(url).status_code == 200
    _more_convened(world, 4)
    with CaptureQueriesContext(connection) as five:
        page = sam.get(url).content.decode()
    assert "E-mail 3" in page
    assert len(five) == len(one)


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc6_the_referral_through_the_api(today, world, client_for) -> None:
    proposal = _convened(world)
    url = "/api/v1/soc-support-referrals/"
    body = {"proposal": proposal.pk, "referred_on": "2027-03-15", "how": "E-mail"}
    assert send(client_for(world.frank), "POST", url, body).status_code == 404
    refused = send(client_for(world.sam), "POST", url, {**body, "how": ""})
    assert refused.status_code == 400
    assert refused.json() == {"how": ["How the referral was made: say how the carer was referred (SOC-6)"]}
    created = send(client_for(world.sam), "POST", url, body)
    assert created.status_code == 201, created.json()
    assert [r["id"] for r in client_for(world.frank).get(url).json()["results"]] == [created.json()["id"]]
    assert client_for(world.carol).get(url).json()["results"] == []
    assert client_for(world.chris).get(f"{url}{created.json()['id']}/").status_code == 404


# SOC-11 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_the_manager_records_the_resignation_and_its_page_says_it_cannot_be_withdrawn(
    today, world, client_for
) -> None:
    concern = soc_concern(world, D(2027, 3, 1))
    frank = client_for(world.frank)
    url = f"/households/{world.household_own.pk}/standards-of-care/resignation/"
    form = frank.get(url).content.decode()
    assert "cannot be withdrawn or declined" in form and concern.reference in form

    refused = frank.post(url, {"received_on": "2027-03-16"})
    assert refused.status_code == 200
    assert "cannot be in the future" in refused.content.decode()
    done = frank.post(url, {"received_on": "2027-03-15"}, follow=True)
    resignation = Resignation.objects.get()
    assert done.redirect_chain[-1][0] == f"/standards-of-care/resignations/{resignation.pk}/"
    page = done.content.decode()
    assert "Mon 12 Apr 2027" in page
    assert "It cannot be withdrawn or declined" in page
    assert '<form method="post" novalidate' not in page  # nothing to press: there is no withdrawing it
    assert client_for(world.sam).get(url).status_code == 404
    assert client_for(world.sam).get(f"/standards-of-care/resignations/{resignation.pk}/").status_code == 200
    assert (
        client_for(world.carol).get(f"/standards-of-care/resignations/{resignation.pk}/").status_code == 404
    )
    support = frank.get(f"/households/{world.household_own.pk}/standards-of-care/support/").content.decode()
    assert f'href="/standards-of-care/resignations/{resignation.pk}/"' in support


@pytest.mark.parametrize("today", [MONDAY], indirect=True)
def test_soc11_the_resignation_through_the_api_and_a_withdrawal_is_refused(today, world, client_for) -> None:
    concern = soc_concern(world, D(2027, 3, 1))
    frank = client_for(world.frank)
    url = "/api/v1/soc-resignations/"
    assert send(client_for(world.sam), "POST", url, {"household": world.household_own.pk}).status_code == 404
    created = send(frank, "POST", url, {"household": world.household_own.pk, "received_on": "2027-03-15"})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["received_on"], body["deregisters_on"], body["concerns"]) == (
        "2027-03-15",
        "2027-04-12",
        [concern.pk],
    )
    withdrawn = send(frank, "POST", f"{url}{body['id']}/withdraw/", {})
    assert withdrawn.status_code == 400
    assert withdrawn.json() == {
        "household": [
            "Household: SOC-11 a resignation received during a standards of care process cannot be withdrawn "
            "or declined; the household is deregistered on Monday 12 April 2027, and a return needs a full "
            "new assessment"
        ]
    }
    assert Resignation.objects.count() == 1
    assert [r["id"] for r in frank.get(url).json()["results"]] == [body["id"]]
