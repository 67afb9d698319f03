"""The notices pages through HTTP: carers send, SSWs review, scopes answer 404 (SC-6, SC-8, SC-9, SC-11, SC-12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog, Task
from safecare.notices import services
from safecare.notices.models import (
    ArrangementStatus,
    CareArrangement,
    ChangeNotice,
    ImmediateKind,
    ImmediateNotice,
    RiskLevel,
)
from safecare.notices.selectors import RISK_ASSESSMENT

pytestmark = pytest.mark.django_db


def test_sc6_a_carer_tells_the_service_of_a_change_from_their_household_page(world, client_for) -> None:
    client = client_for(world.carol)
    page = client.get(reverse("households:detail", kwargs={"pk": world.household_own.pk}))
    url = reverse("notices:change_create", kwargs={"pk": world.household_own.pk})
    assert url in page.content.decode()
    response = client.post(
        url,
        {
            "kind": "member_moved_out",
            "happened_on": "3/2/2027",
            "details": "Our eldest has gone to university.",
        },
    )
    notice = ChangeNotice.objects.filter(household=world.household_own).latest("id")
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:change_detail", kwargs={"pk": notice.pk})
    assert notice.happened_on == dt.date(2027, 2, 3)
    assert notice.reported_by == world.carol
    assert notice.task.owner == world.sam


def test_sc6_a_refused_form_keeps_what_the_carer_typed(world, client_for) -> None:
    response = client_for(world.carol).post(
        reverse("notices:change_create", kwargs={"pk": world.household_own.pk}),
        {"kind": "death", "happened_on": "not a date", "details": "Grandad died."},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Grandad died." in body
    assert "govuk-error-summary" in body


def test_sc6_the_ssw_marks_a_notice_reviewed(world, client_for) -> None:
    notice = world.change_notice_own
    client = client_for(world.sam)
    detail = client.get(reverse("notices:change_detail", kwargs={"pk": notice.pk}))
    assert "Mark reviewed" in detail.content.decode()
    assert AccessLog.objects.filter(user=world.sam, subject_type="household").exists()
    response = client.post(
        reverse("notices:change_review", kwargs={"pk": notice.pk}), {"note": "Agreement updated"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.reviewed_by == world.sam and notice.review_note == "Agreement updated"


def test_a_carer_gets_404_for_another_households_notice_pages(world, client_for) -> None:
    client = client_for(world.carol)
    other = world.household_other.pk
    for url in [
        reverse("notices:change_create", kwargs={"pk": other}),
        reverse("notices:immediate_create", kwargs={"pk": other}),
        reverse("notices:arrangement_create", kwargs={"pk": other}),
        reverse("notices:household_notices", kwargs={"pk": other}),
        reverse("notices:change_detail", kwargs={"pk": world.change_notice_other.pk}),
        reverse("notices:arrangement_detail", kwargs={"pk": world.arrangement_other.pk}),
    ]:
        assert client.get(url).status_code == 404, url


def test_sc8_a_carer_sends_an_immediate_notice_and_the_csw_can_read_it(world, client_for) -> None:
    response = client_for(world.carol).post(
        reverse("notices:immediate_create", kwargs={"pk": world.household_own.pk}),
        {"kind": ImmediateKind.ALLEGATION_RISK, "details": "A neighbour shouted at me in the street."},
    )
    notice = ImmediateNotice.objects.filter(household=world.household_own).latest("id")
    assert response.status_code == 302
    assert notice.task.due_on == timezone.localdate()
    page = client_for(world.chris).get(reverse("notices:immediate_detail", kwargs={"pk": notice.pk}))
    assert page.status_code == 200
    assert "A neighbour shouted" in page.content.decode()
    # The CSW reads it but the SSW responds.
    assert "Record your response" not in page.content.decode()


def test_sc6_a_csw_does_not_see_the_households_change_notices(world, client_for) -> None:
    client = client_for(world.chris)
    url = reverse("notices:change_detail", kwargs={"pk": world.change_notice_own.pk})
    assert client.get(url).status_code == 404
    listing = client.get(reverse("notices:household_notices", kwargs={"pk": world.household_own.pk}))
    assert world.change_notice_own.reference not in listing.content.decode()
    assert world.immediate_notice_own.reference in listing.content.decode()


def test_sc12_times_typed_in_summer_are_london_times(world, client_for) -> None:
    next_year = timezone.localdate().year + 1
    response = client_for(world.carol).post(
        reverse("notices:arrangement_create", kwargs={"pk": world.household_own.pk}),
        {
            "child": world.child_own.pk,
            "carer_name": "Rose Patel",
            "relationship": "Grandparent",
            "starts_on": f"1/7/{next_year}",
            "starts_time": "18:30",
            "ends_on": f"3/7/{next_year}",
            "ends_time": "10:00",
            "reason": "A wedding",
        },
    )
    assert response.status_code == 302, response.content.decode()
    arrangement = CareArrangement.objects.filter(carer_name="Rose Patel").get()
    assert arrangement.starts_at == dt.datetime(next_year, 7, 1, 17, 30, tzinfo=dt.UTC)
    assert arrangement.long_stay
    assert arrangement.task.due_on == dt.date(next_year, 7, 1)


def test_sc12_consent_after_the_start_of_a_long_stay_is_refused_on_the_page_naming_sc12(
    world, client_for
) -> None:
    arrangement = world.arrangement_own
    arrangement.starts_at = timezone.now() - dt.timedelta(hours=2)
    arrangement.save()
    response = client_for(world.sam).post(
        reverse("notices:arrangement_decide", kwargs={"pk": arrangement.pk}), {"decision": "consent"}
    )
    assert response.status_code == 200
    assert "SC-12" in response.content.decode()
    arrangement.refresh_from_db()
    assert arrangement.status == ArrangementStatus.REQUESTED
    household = client_for(world.sam).get(
        reverse("households:section_notices", kwargs={"pk": world.household_own.pk})
    )
    assert arrangement.reference in household.content.decode()
    listing = client_for(world.frank).get(reverse("notices:breaches"))
    assert arrangement.reference in listing.content.decode()


def test_sc9_the_open_risk_assessment_shows_to_the_csw_on_the_child_and_to_the_ssw_on_the_household(
    world, client_for
) -> None:
    services.risk_flag_set(
        actor=world.chris, child=world.child_own, level=RiskLevel.KNOWN, reason="Self-harm"
    )
    child_page = client_for(world.chris).get(
        reverse("households:child_detail", kwargs={"pk": world.child_own.pk})
    )
    body = child_page.content.decode()
    assert "Risk (SC-9)" in body and "Self-harm" in body
    assert reverse("notices:risk_assessment_create", kwargs={"pk": world.child_own.pk}) in body
    household = client_for(world.sam).get(
        reverse("households:section_notices", kwargs={"pk": world.household_own.pk})
    )
    assert "SC-9: a risk assessment is needed" in household.content.decode()
    carer_child = client_for(world.carol).get(
        reverse("households:child_detail", kwargs={"pk": world.child_own.pk})
    )
    assert "Self-harm" not in carer_child.content.decode()


def test_sc9_the_csw_records_the_assessment_from_the_child_page(world, client_for) -> None:
    services.risk_flag_set(
        actor=world.chris, child=world.child_own, level=RiskLevel.LIKELY, reason="Absconds"
    )
    response = client_for(world.chris).post(
        reverse("notices:risk_assessment_create", kwargs={"pk": world.child_own.pk}),
        {"completed_on": timezone.localdate().strftime("%d/%m/%Y"), "summary": "Plan agreed with carers"},
    )
    assert response.status_code == 302
    assert not Task.objects.filter(kind=RISK_ASSESSMENT, child=world.child_own, status="open").exists()


def test_sc9_the_csw_flags_a_child_from_a_form(world, client_for) -> None:
    url = reverse("notices:risk_flag", kwargs={"pk": world.child_own.pk})
    client = client_for(world.chris)
    refused = client.post(url, {"level": "known", "reason": ""})
    assert "SC-9" in refused.content.decode()
    assert client.post(url, {"level": "known", "reason": "Fire setting"}).status_code == 302
    assert world.child_own.risk_flag.level == "known"


def _household_page_queries(client, household) -> int:
    url = reverse("households:section_notices", kwargs={"pk": household.pk})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_household_panel_costs_the_same_queries_for_one_breach_as_for_many(world, client_for) -> None:
    client = client_for(world.sam)
    client.get(reverse("households:section_notices", kwargs={"pk": world.household_own.pk}))
    CareArrangement.objects.filter(pk=world.arrangement_own.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    with_one = _household_page_queries(client, world.household_own)
    for _ in range(6):
        starts = timezone.now() - dt.timedelta(hours=3)
        CareArrangement.objects.create(
            service=world.service,
            household=world.household_own,
            child=world.child_own,
            carer_name="Someone",
            relationship="Friend",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=40),
            long_stay=True,
            reason="x",
            requested_by=world.carol,
        )
    assert _household_page_queries(client, world.household_own) == with_one


def test_the_carer_household_page_offers_the_three_ways_to_tell_or_ask(world, client_for) -> None:
    body = client_for(world.carol).get(reverse("households:detail", kwargs={"pk": world.household_own.pk}))
    text = body.content.decode()
    for name in ("notices:immediate_create", "notices:change_create", "notices:arrangement_create"):
        assert reverse(name, kwargs={"pk": world.household_own.pk}) in text


@pytest.mark.parametrize("today", ["Tuesday 1 December 2026"], indirect=True)
def test_it_lets_the_ssw_record_an_arrangement_learned_of_after_the_fact_on_a_page(
    today, world, client_for
) -> None:
    ssw = client_for(world.sam)
    household = world.household_own
    listing = ssw.get(reverse("notices:household_notices", kwargs={"pk": household.pk})).content.decode()
    url = reverse("notices:arrangement_create", kwargs={"pk": household.pk})
    assert url in listing
    page = ssw.get(url).content.decode()
    assert "Record a care arrangement" in page and "Date the child was left with them" in page
    response = ssw.post(
        url,
        {
            "child": world.child_own.pk,
            "carer_name": "Dan Smith",
            "relationship": "Neighbour",
            "starts_on": "27/11/2026",
            "starts_time": "18:00",
            "ends_on": "29/11/2026",
            "ends_time": "12:00",
            "reason": "The carers mentioned it at the visit",
        },
    )
    assert response.status_code == 302, response.content.decode()
    arrangement = CareArrangement.objects.get(carer_name="Dan Smith")
    assert arrangement.requested_by == world.sam and arrangement.long_stay
    detail = ssw.get(response.headers["Location"]).content.decode()
    assert "Breach of SC-12" in detail and "after it began" in detail
    assert "the same day the arrangement was recorded, Tuesday 1 December 2026" in detail


def test_it_lets_a_carer_tell_of_an_arrangement_that_has_already_ended_on_a_page(world, client_for) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(world.carol).post(
        reverse("notices:arrangement_create", kwargs={"pk": world.household_own.pk}),
        {
            "child": world.child_own.pk,
            "carer_name": "Rose Patel",
            "relationship": "Grandparent",
            "starts_on": yesterday.strftime("%d/%m/%Y"),
            "starts_time": "09:00",
            "ends_on": yesterday.strftime("%d/%m/%Y"),
            "ends_time": "15:00",
            "reason": "A hospital appointment at short notice",
        },
    )
    assert response.status_code == 302, response.content.decode()
    arrangement = CareArrangement.objects.get(carer_name="Rose Patel")
    assert arrangement.recorded_late and not arrangement.is_breach()
    # SC-12: one never decided is flagged to the staff who see it.
    listing = client_for(world.sam).get(
        reverse("notices:household_notices", kwargs={"pk": world.household_own.pk})
    )
    assert "Over and never decided" in listing.content.decode()


# Data minimisation: the assessing social worker sees no child (rules: Who sees what) -------------


def test_an_assessing_social_worker_of_a_household_with_a_child_placed_reads_no_notice_about_the_child(
    world, client_for
) -> None:
    from django.urls import reverse

    from safecare.notices import selectors
    from tests.factories import AllocationFactory

    # Asha still holds the assessment of the Patel household, where Xavier is placed.
    AllocationFactory(worker=world.asha, kind="assessing", household=world.household_own)
    assert selectors.change_notices_visible_to(world.asha).filter(pk=world.change_notice_own.pk).exists()
    assert not selectors.immediate_notices_visible_to(world.asha).exists()
    assert not selectors.arrangements_visible_to(world.asha).exists()
    page = client_for(world.asha).get(reverse("notices:household_notices", args=[world.household_own.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.change_notice_own.reference in text  # the household's own change
    assert world.immediate_notice_own.reference not in text  # about the child placed
    assert world.arrangement_own.carer_name not in text
    # The child's full name: a surname alone can belong to someone else the page names.
    assert f"{world.child_own.first_name} {world.child_own.last_name}" not in text
    assert (
        client_for(world.asha)
        .get(reverse("notices:immediate_detail", args=[world.immediate_notice_own.pk]))
        .status_code
        == 404
    )
