"""IM-7 to IM-9 pages: the young person's internet monitoring page, recording an agreement and a review.

Each reader sees what monitoring.selectors allows: the whole history for chris (the young
person's social worker), tom and sue; the agreement in force in plain words for the carers;
that it exists and its end date for the household's SSW; 404 for everyone else.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safecare.core.models import Task, TaskStatus, User
from safecare.home.things_to_do import things_to_do
from safecare.households.models import Child
from safecare.monitoring import services_agree as services
from safecare.monitoring.duties import REVIEW
from safecare.monitoring.models import (
    Agreement,
    AgreementEnd,
    EndReason,
    Residence,
    ResidenceKind,
    ReviewOutcome,
)

from .test_agreement import MONDAY_15_MARCH_2027, PARTS, agree, decision_for
from .test_review import review


def _page(child: Any) -> str:
    return reverse("monitoring:child", kwargs={"pk": child.pk})


def _text(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@MONDAY_15_MARCH_2027
def test_the_full_readers_see_the_whole_history_and_what_to_do_next(today, world, client_for) -> None:
    agreement = agree(world)
    for person in (world.chris, world.tom, world.sue):
        page = _text(client_for(person), _page(world.child_own))
        assert agreement.reference in page
        assert "He understands what is monitored" in page  # the Gillick competence assessment
        assert "Next review due" in page and "Thu 1 Apr 2027" in page
        assert "IM-9: the review of the agreement is due by Thursday 1 April 2027." in page
    chris = _text(client_for(world.chris), _page(world.child_own))
    assert reverse("monitoring:review_create", kwargs={"pk": agreement.pk}) in chris
    assert reverse("monitoring:agreement_create", kwargs={"pk": world.child_own.pk}) in chris
    # The managers read it; recording is the social worker's.
    tom = _text(client_for(world.tom), _page(world.child_own))
    assert reverse("monitoring:review_create", kwargs={"pk": agreement.pk}) not in tom


@MONDAY_15_MARCH_2027
def test_the_carer_reads_the_agreement_in_force_in_plain_words_only(today, world, client_for) -> None:
    agree(world)
    page = _text(client_for(world.carol), _page(world.child_own))
    for part in PARTS.values():
        assert escape(part) in page
    assert "Wed 1 Sep 2027" in page
    for hidden in ("He understands what is monitored", "Blocking and education", "Gillick", "Signed by"):
        assert hidden not in page
    assert "IM-" not in page


@MONDAY_15_MARCH_2027
def test_the_households_ssw_reads_that_an_agreement_exists_and_its_end_date(today, world, client_for) -> None:
    agree(world)
    page = _text(client_for(world.sam), _page(world.child_own))
    assert "in force until Wed 1 Sep 2027" in page
    assert escape(PARTS["what"]) not in page and escape(PARTS["action_plan"]) not in page


@MONDAY_15_MARCH_2027
def test_everyone_else_gets_404(today, world, client_for) -> None:
    agree(world)
    for person in (world.frank, world.fiona, world.helen, world.harry, world.oscar, world.pat, world.asha):
        assert client_for(person).get(_page(world.child_own)).status_code == 404, person.username


@MONDAY_15_MARCH_2027
def test_the_host_of_supported_lodgings_reads_the_agreement(today, world, client_for) -> None:
    Residence.objects.create(
        service=world.service,
        child=world.child_own,
        kind=ResidenceKind.SUPPORTED_LODGINGS,
        provider="Oscar Jones",
        household=world.household_other,
        address_kind="A room in the host's home",
        from_on=dt.date(2027, 3, 1),
        recorded_by=world.chris,
    )
    agree(world)
    assert escape(PARTS["how"]) in _text(client_for(world.oscar), _page(world.child_own))


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@MONDAY_15_MARCH_2027
def test_the_page_reads_a_constant_number_of_queries(today, world, client_for) -> None:
    chris = client_for(world.chris)
    decision = decision_for(world)
    first = agree(
        world,
        decision,
        starts_on=dt.date(2026, 10, 5),
        ends_on=dt.date(2027, 10, 5),
        signed_on=dt.date(2026, 10, 2),
        gillick_assessed_on=dt.date(2026, 10, 2),
    )
    review(world, first, held_on=dt.date(2026, 11, 5))
    chris.get(_page(world.child_own))  # warm the session and the caches
    few = _count(chris, _page(world.child_own))
    carer_few = _count(client_for(world.carol), _page(world.child_own))
    review(world, first, held_on=dt.date(2027, 1, 5), outcome=ReviewOutcome.CHANGE)
    second = agree(
        world,
        decision,
        starts_on=dt.date(2027, 1, 8),
        signed_on=dt.date(2027, 1, 7),
        gillick_assessed_on=dt.date(2027, 1, 7),
    )
    review(world, second, held_on=dt.date(2027, 2, 8))
    review(world, second, held_on=dt.date(2027, 3, 8))
    decision_for(world, decided_on=dt.date(2027, 2, 1))
    assert _count(chris, _page(world.child_own)) == few
    assert _count(client_for(world.carol), _page(world.child_own)) == carer_few


FORM = {
    "starts_on_day": "15",
    "starts_on_month": "3",
    "starts_on_year": "2027",
    "ends_on_day": "15",
    "ends_on_month": "9",
    "ends_on_year": "2027",
    **PARTS,
    "signatory": "young_person",
    "signed_on_day": "12",
    "signed_on_month": "3",
    "signed_on_year": "2027",
    "gillick_assessed_on_day": "12",
    "gillick_assessed_on_month": "3",
    "gillick_assessed_on_year": "2027",
    "gillick_assessment": "She understands it and agrees.",
}


@MONDAY_15_MARCH_2027
def test_chris_records_the_agreement_on_its_page(today, world, client_for) -> None:
    decision = decision_for(world)
    chris = client_for(world.chris)
    url = reverse("monitoring:agreement_create", kwargs={"pk": world.child_own.pk})
    done = chris.post(url, {**FORM, "decision": decision.pk}, follow=True)
    agreement = Agreement.objects.get()
    assert done.redirect_chain[-1][0] == _page(world.child_own)
    assert f"Agreement {agreement.reference} is recorded" in done.content.decode()
    assert agreement.ends_on == dt.date(2027, 9, 15)


@MONDAY_15_MARCH_2027
def test_a_refused_agreement_names_the_rule_and_keeps_what_was_typed(today, world, client_for) -> None:
    decision = decision_for(world)
    chris = client_for(world.chris)
    url = reverse("monitoring:agreement_create", kwargs={"pk": world.child_own.pk})
    form = {**FORM, "decision": decision.pk, "ends_on_day": "", "ends_on_month": "", "ends_on_year": ""}
    form.pop("gillick_assessment")
    page = chris.post(url, form)
    text = page.content.decode()
    assert page.status_code == 200
    assert "IM-8 an agreement is time-limited" in text
    assert "IM-7 record your assessment" in text
    assert escape(PARTS["action_plan"]) in text  # nothing typed is lost
    assert not Agreement.objects.exists()


@MONDAY_15_MARCH_2027
def test_the_form_offers_no_corporate_parent_and_a_posted_one_is_refused(today, world, client_for) -> None:
    decision = decision_for(world)
    chris = client_for(world.chris)
    url = reverse("monitoring:agreement_create", kwargs={"pk": world.child_own.pk})
    assert 'value="local_authority"' not in chris.get(url).content.decode()
    page = chris.post(url, {**FORM, "decision": decision.pk, "signatory": "local_authority"})
    assert page.status_code == 200
    assert not Agreement.objects.exists()


@MONDAY_15_MARCH_2027
def test_only_chris_opens_the_agreement_form(today, world, client_for) -> None:
    decision_for(world)
    url = reverse("monitoring:agreement_create", kwargs={"pk": world.child_own.pk})
    assert client_for(world.chris).get(url).status_code == 200
    for person in (world.tom, world.sue, world.carol, world.sam, world.frank):
        assert client_for(person).get(url).status_code == 404


@MONDAY_15_MARCH_2027
def test_chris_records_a_review_that_stops_monitoring(today, world, client_for) -> None:
    agreement = agree(world)
    chris = client_for(world.chris)
    url = reverse("monitoring:review_create", kwargs={"pk": agreement.pk})
    assert "Thu 1 Apr 2027" in _text(chris, url)
    done = chris.post(
        url,
        {
            "held_on_day": "15",
            "held_on_month": "3",
            "held_on_year": "2027",
            "young_person_took_part": "yes",
            "others": "Carol Patel",
            "outcome": "stop",
            "notes": "The adult was charged; the risk has gone.",
        },
        follow=True,
    )
    assert "has stopped" in done.content.decode()
    assert AgreementEnd.objects.get(agreement=agreement).reason == EndReason.REVIEW
    # A second review is refused, naming the rule.
    again = chris.post(url, {"held_on_day": "15", "held_on_month": "3", "held_on_year": "2027"})
    assert "IM-9 agreement" in again.content.decode()
    for person in (world.tom, world.carol, world.sam):
        assert client_for(person).get(url).status_code == 404


@MONDAY_15_MARCH_2027
def test_a_review_asking_for_a_change_says_a_new_agreement_is_needed(today, world, client_for) -> None:
    agreement = agree(world)
    review(world, agreement, outcome=ReviewOutcome.CHANGE)
    page = _text(client_for(world.chris), _page(world.child_own))
    assert f"the last review of {agreement.reference} asked for a change: record a new agreement" in page


@MONDAY_15_MARCH_2027
def test_the_childs_page_links_to_internet_monitoring_for_those_who_may_open_it(
    today, world, client_for
) -> None:
    child_page = reverse("households:child_detail", kwargs={"pk": world.child_own.pk})
    link = _page(world.child_own)
    assert link in _text(client_for(world.chris), child_page)
    assert link not in _text(client_for(world.frank), child_page)
    # The carer: once an agreement is in force.
    assert link not in _text(client_for(world.carol), child_page)
    agree(world)
    assert link in _text(client_for(world.carol), child_page)
    assert services.in_force(Agreement.objects.get())


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_the_demo_has_jay_whose_first_review_is_due_now(client_for) -> None:
    """IM-1 to IM-9 in the demo: Jay lodges with the Jones household; the agreement started a month
    ago, so chris has the first review to hold; oscar reads what the agreement asks of him."""
    call_command("seed_demo", stdout=StringIO())
    jay = Child.objects.get(first_name="Jay")
    agreement = Agreement.objects.get(child=jay)
    chris, oscar = User.objects.get(username="chris"), User.objects.get(username="oscar")
    task = Task.objects.get(kind=REVIEW, child=jay, status=TaskStatus.OPEN)
    assert task.owner == chris and task.due_on <= timezone.localdate()
    assert agreement.reference in _text(client_for(chris), _page(jay))
    assert "Oscar Jones, his host" in _text(client_for(oscar), _page(jay))
    assert any(item.url == _page(jay) for item in things_to_do(oscar))


@MONDAY_15_MARCH_2027
def test_the_carer_is_asked_to_read_the_agreement_in_force_once_until_it_ends(today, world) -> None:
    from safecare.core.jobs import run_due_jobs

    agreement = agree(world)
    wanted = "Read the internet monitoring agreement for Xavier"
    assert [t.text for t in things_to_do(world.carol)].count(wanted) == 1
    assert wanted not in [t.text for t in things_to_do(world.oscar)]
    review(world, agreement)  # a review changes nothing for her
    assert [t.text for t in things_to_do(world.carol)].count(wanted) == 1
    run_due_jobs(dt.datetime(2027, 9, 1, 0, 0, tzinfo=ZoneInfo("Europe/London")))
    assert wanted not in [t.text for t in things_to_do(world.carol, today=dt.date(2027, 9, 1))]
