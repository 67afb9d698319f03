"""The standards of care pages (SOC-1 to SOC-5) through the test client: what each page does,
its refusals naming the field and the rule with nothing typed lost, and who sees what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import Task, TaskStatus
from safecare.standards import services, services_visit
from safecare.standards.duties import MEETING_DECISION
from safecare.standards.models import (
    AllegationOutcome,
    Concern,
    MeetingProposal,
    NationalMinimumStandard,
    RaisedBy,
    Route,
    RouteDecision,
    Visit,
    VisitAction,
)
from safecare.standards.services import ActionInput

from .conftest import decide, record, soc_concern

pytestmark = pytest.mark.django_db

ALL_NO = {
    "harmed_child": "no",
    "offence_against_child": "no",
    "risk_of_harm": "no",
    "unsuitable": "no",
    "carers_own_child": "no",
    "other_borough": "no",
}


def _day(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _concern_form(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "raised_by_kind": RaisedBy.NAMED,
        "raised_by": "Mrs Khan, Xavier's head teacher",
        **_day("received_on", timezone.localdate()),
        "details": "Xavier came to school without lunch three days running.",
        "children": [str(world.child_own.pk)],
    }
    data.update(changes)
    return data


def _visited(world: Any, concern: Concern) -> Visit:
    return services.visit_record(
        actor=world.sam,
        concern=concern,
        visited_on=concern.received_on,
        standards=[NationalMinimumStandard.objects.get(service=world.service, number=6)],
        concerns_discussed="Packed lunches on school days.",
        carer_response="Carol agreed to pack a lunch every school day.",
        actions=[ActionInput("Pack a lunch every school day", world.carol, concern.received_on)],
    )


# SOC-1: recording a concern ---------------------------------------------------------------------


def test_the_ssw_records_a_concern_and_lands_on_its_page(world, client_for) -> None:
    url = reverse("standards:concern_create", kwargs={"pk": world.household_own.pk})
    form = client_for(world.sam).get(url).content.decode()
    assert "Xavier Smith" in form  # the household's placed child, to tick

    response = client_for(world.sam).post(url, _concern_form(world), follow=True)

    concern = Concern.objects.get()
    assert response.redirect_chain[-1][0] == f"/standards-of-care/concerns/{concern.pk}/"
    assert (concern.raised_by_kind, concern.raised_by, concern.received_on) == (
        "named",
        "Mrs Khan, Xavier's head teacher",
        timezone.localdate(),
    )
    assert list(concern.children.all()) == [world.child_own]
    page = response.content.decode()
    assert "Mrs Khan, Xavier&#x27;s head teacher" in page
    assert "Xavier came to school without lunch three days running." in page
    assert "No route is decided yet." in page
    assert "Decide the route of a standards of care concern" in page  # its task, due today (SOC-1)


def test_a_name_given_for_an_anonymous_concern_is_refused_naming_soc_1_and_nothing_typed_is_lost(
    world, client_for
) -> None:
    url = reverse("standards:concern_create", kwargs={"pk": world.household_own.pk})
    response = client_for(world.sam).post(
        url, _concern_form(world, raised_by_kind=RaisedBy.ANONYMOUS, raised_by="A neighbour, Mr Reid")
    )

    assert response.status_code == 200
    assert not Concern.objects.exists()
    page = response.content.decode()
    assert "Their name or role: leave it empty for an anonymous concern (SOC-1)" in page
    assert 'value="A neighbour, Mr Reid"' in page
    assert "Xavier came to school without lunch three days running.</textarea>" in page
    assert f'name="children" value="{world.child_own.pk}" id="id_children_0" checked' in page
    assert 'value="anonymous" id="id_raised_by_kind_2" required checked' in page


def test_a_date_received_in_the_future_is_refused_naming_the_field_and_soc_1(world, client_for) -> None:
    url = reverse("standards:concern_create", kwargs={"pk": world.household_own.pk})
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(world.sam).post(url, _concern_form(world, **_day("received_on", tomorrow)))

    page = response.content.decode()
    assert "Date the information was received: it cannot be in the future (SOC-1)" in page
    assert f'value="{tomorrow.year}"' in page
    assert not Concern.objects.exists()


def test_a_child_s_social_worker_records_a_concern_but_then_sees_the_household_not_the_concern(
    world, client_for
) -> None:
    url = reverse("standards:concern_create", kwargs={"pk": world.household_own.pk})
    response = client_for(world.chris).post(url, _concern_form(world))

    concern = Concern.objects.get()
    assert response.headers["Location"] == f"/households/{world.household_own.pk}/"
    assert client_for(world.chris).get(f"/standards-of-care/concerns/{concern.pk}/").status_code == 404


# SOC-2, SOC-3: the route ------------------------------------------------------------------------


def _route_url(concern: Concern) -> str:
    return reverse("standards:route_decide", kwargs={"pk": concern.pk})


def test_the_fostering_manager_routes_a_concern_to_standards_of_care(world, client_for) -> None:
    concern = record(world)
    response = client_for(world.frank).post(
        _route_url(concern),
        {**ALL_NO, "route": Route.STANDARDS_OF_CARE, "reasons": "Practice, not harm."},
        follow=True,
    )

    decision = RouteDecision.objects.get(concern=concern)
    assert (decision.route, decision.reasons, decision.decided_by) == (
        "standards_of_care",
        "Practice, not harm.",
        world.frank,
    )
    page = response.content.decode()
    assert "Current decision: Standards of care" in page
    assert "Visit the carer about a standards of care concern" in page  # the SSW's task (SOC-4)


def test_each_threshold_must_be_answered_yes_or_no(world, client_for) -> None:
    concern = record(world)
    answers = {**ALL_NO}
    del answers["risk_of_harm"]
    response = client_for(world.frank).post(
        _route_url(concern), {**answers, "route": Route.STANDARDS_OF_CARE, "reasons": "Practice."}
    )
    page = response.content.decode()
    assert "Select the carer has behaved in a way that suggests a risk of harm to children" in page
    assert not RouteDecision.objects.exists()


def test_a_threshold_met_refuses_the_standards_of_care_route_naming_soc_2_and_keeps_the_reasons(
    world, client_for
) -> None:
    concern = record(world)
    response = client_for(world.frank).post(
        _route_url(concern),
        {**ALL_NO, "harmed_child": "yes", "route": Route.STANDARDS_OF_CARE, "reasons": "A bruise explained."},
    )

    page = response.content.decode()
    assert (
        "goes to the LADO under the allegations procedure, not to &#x27;Standards of care&#x27; (SOC-2)"
        in page
    )
    assert "A bruise explained.</textarea>" in page
    assert not RouteDecision.objects.exists()


def test_an_allegation_names_the_lado(world, client_for) -> None:
    concern = record(world)
    response = client_for(world.frank).post(
        _route_url(concern), {**ALL_NO, "harmed_child": "yes", "route": Route.LADO, "reasons": "A bruise."}
    )
    page = response.content.decode()
    assert 'href="#id_lado">LADO (for an allegation): name the LADO the allegation goes to (SOC-2)' in page
    assert not RouteDecision.objects.exists()


def test_after_no_evidence_of_harm_the_route_form_shows_the_soc_3_refusal(world, client_for) -> None:
    concern = record(world)
    decide(world, concern, Route.LADO, harmed_child=True, lado="Jo Price, LADO North")
    frank = client_for(world.frank)
    outcome = frank.post(
        reverse("standards:outcome_record", kwargs={"pk": concern.pk}),
        {
            "outcome": AllegationOutcome.NO_EVIDENCE,
            "lado": "Jo Price, LADO North",
            **_day("outcome_on", timezone.localdate()),
            "note": "",
        },
    )
    assert outcome.status_code == 302
    assert concern.allegation_result.outcome == "no_evidence"

    response = frank.post(
        _route_url(concern), {**ALL_NO, "route": Route.STANDARDS_OF_CARE, "reasons": "Back to practice."}
    )

    page = response.content.decode()
    assert (
        "SOC-3: the allegation investigation of this concern found no evidence of harm, so it never becomes "
        "a standards of care procedure (NMS 22.10)" in page
    )
    assert "Back to practice.</textarea>" in page
    assert RouteDecision.objects.filter(concern=concern).count() == 1


def test_a_changed_route_keeps_the_earlier_decision_in_the_concern_s_history(world, client_for) -> None:
    concern = record(world)
    decide(world, concern, Route.COMPLAINTS, reasons="A complaint about the school run.")
    decide(world, concern, Route.STANDARDS_OF_CARE, reasons="On reflection, practice.")

    page = client_for(world.frank).get(f"/standards-of-care/concerns/{concern.pk}/").content.decode()

    assert "Current decision: Standards of care" in page
    assert "Earlier decision: The complaints procedure" in page
    assert page.index("On reflection, practice.") < page.index("A complaint about the school run.")
    assert "Change the route" in page


# SOC-4: the visit -------------------------------------------------------------------------------


def _visit_form(world: Any, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    six = NationalMinimumStandard.objects.get(service=world.service, number=6)
    data = {
        **_day("visited_on", today),
        "standards": [str(six.pk)],
        "concerns_discussed": "Packed lunches on school days.",
        "carer_response": "Carol agreed to pack a lunch every school day.",
        "action_1_what": "Pack a lunch every school day",
        "action_1_owner": str(world.carol.pk),
        **_day("action_1_due_on", today + dt.timedelta(days=7)),
        "action_2_what": "Call the school on Friday",
        "action_2_owner": str(world.sam.pk),
        **_day("action_2_due_on", today + dt.timedelta(days=3)),
    }
    data.update(changes)
    return data


def test_the_ssw_records_the_visit_with_two_actions(world, client_for) -> None:
    concern = record(world)
    decide(world, concern)
    url = reverse("standards:visit_create", kwargs={"pk": concern.pk})
    form = client_for(world.sam).get(url).content.decode()
    assert "6. Promoting good health and wellbeing" in form
    assert form.count("what will be done") == 5  # five rows, no script needed

    response = client_for(world.sam).post(url, _visit_form(world), follow=True)

    visit = Visit.objects.get(concern=concern)
    assert response.redirect_chain[-1][0] == f"/standards-of-care/visits/{visit.pk}/"
    today = timezone.localdate()
    assert [(a.what, a.owner, a.due_on) for a in visit.actions.order_by("id")] == [
        ("Pack a lunch every school day", world.carol, today + dt.timedelta(days=7)),
        ("Call the school on Friday", world.sam, today + dt.timedelta(days=3)),
    ]
    assert [s.number for s in visit.standards.all()] == [6]
    page = response.content.decode()
    assert "Carol agreed to pack a lunch every school day." in page
    assert "Mark done" in page


def test_a_visit_without_an_action_is_refused_naming_soc_4_with_all_typed_kept(world, client_for) -> None:
    concern = record(world)
    decide(world, concern)
    data = _visit_form(world)
    for key in list(data):
        if key.startswith("action_"):
            del data[key]
    response = client_for(world.sam).post(reverse("standards:visit_create", kwargs={"pk": concern.pk}), data)

    page = response.content.decode()
    assert "agree at least one action, with who does it and by when (SOC-4)" in page
    assert 'href="#id_action_1_what"' in page  # the summary goes to the first row
    assert "Carol agreed to pack a lunch every school day.</textarea>" in page
    assert not Visit.objects.exists()


def test_an_action_due_before_the_visit_is_refused_on_its_own_row(world, client_for) -> None:
    concern = record(world, received_on=timezone.localdate() - dt.timedelta(days=3))
    decide(world, concern)
    before = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(world.sam).post(
        reverse("standards:visit_create", kwargs={"pk": concern.pk}),
        _visit_form(world, **_day("action_2_due_on", before)),
    )

    page = response.content.decode()
    assert "Action 2 cannot be due before the visit (SOC-4)" in page
    assert 'href="#id_action_2_due_on_day"' in page
    assert "Call the school on Friday</textarea>" in page
    assert not Visit.objects.exists()


def test_a_concern_not_on_the_standards_of_care_route_has_no_visit_soc_4(world, client_for) -> None:
    concern = record(world)
    response = client_for(world.sam).post(
        reverse("standards:visit_create", kwargs={"pk": concern.pk}), _visit_form(world)
    )
    page = response.content.decode()
    assert (
        "only a concern on the standards of care route has a visit; this one&#x27;s route is not decided"
        in page
    )
    assert not Visit.objects.exists()


def test_an_action_is_marked_done(world, client_for) -> None:
    concern = record(world)
    decide(world, concern)
    visit = _visited(world, concern)
    action = visit.actions.get()
    response = client_for(world.sam).post(
        reverse("standards:action_done", kwargs={"pk": action.pk}), _day("done_on", timezone.localdate())
    )
    assert response.headers["Location"] == f"/standards-of-care/visits/{visit.pk}/"
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()


# The household's list --------------------------------------------------------------------------


def test_the_household_list_shows_concerns_newest_first_with_route_and_status(world, client_for) -> None:
    today = timezone.localdate()
    old = soc_concern(world, today - dt.timedelta(days=20))
    lado = soc_concern(world, today - dt.timedelta(days=10), Route.LADO)
    new = record(world)

    page = (
        client_for(world.fiona)
        .get(f"/households/{world.household_own.pk}/standards-of-care/")
        .content.decode()
    )

    assert page.index(new.reference) < page.index(lado.reference) < page.index(old.reference)
    rows = page.split("<tbody")[1]
    assert "Not decided yet" in rows and "Route to decide" in rows
    assert "An allegation: to the LADO under the allegations procedure" in rows and "With the LADO" in rows
    assert "Visit due" in rows


def test_the_household_list_costs_the_same_queries_for_1_or_6_concerns(world, client_for) -> None:
    today = timezone.localdate()
    fiona = client_for(world.fiona)
    url = f"/households/{world.household_own.pk}/standards-of-care/"
    soc_concern(world, today - dt.timedelta(days=40))
    fiona.get(url)
    with CaptureQueriesContext(connection) as few:
        fiona.get(url)
    for n in range(5):
        concern = soc_concern(
            world, today - dt.timedelta(days=30 - n), Route.LADO if n % 2 else Route.STANDARDS_OF_CARE
        )
        if n == 2:
            _visited(world, concern)
    with CaptureQueriesContext(connection) as many:
        body = fiona.get(url).content.decode()
    assert body.count("CC-") >= 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_household_page_links_to_standards_of_care_for_the_ssw_but_not_the_child_s_social_worker(
    world, client_for
) -> None:
    url = f"/households/{world.household_own.pk}/"
    list_url = f"/households/{world.household_own.pk}/standards-of-care/"
    assert f'href="{list_url}"' in client_for(world.sam).get(url).content.decode()
    csw_page = client_for(world.chris).get(url).content.decode()
    assert f'href="{list_url}"' not in csw_page
    assert "Record a standards of care concern" in csw_page  # SOC-1: any staff member who sees it


def test_the_child_s_social_worker_gets_404_on_every_standards_of_care_record(world, client_for) -> None:
    concern = record(world)
    decide(world, concern)
    visit = _visited(world, concern)
    soc_concern(world, timezone.localdate() - dt.timedelta(days=1))
    soc_concern(world, timezone.localdate() - dt.timedelta(days=2))
    proposal = services.meeting_proposals(household=world.household_own, today=timezone.localdate())
    assert proposal is not None
    chris = client_for(world.chris)
    for url in (
        f"/households/{world.household_own.pk}/standards-of-care/",
        f"/households/{world.household_own.pk}/standards-of-care/visits/",
        f"/standards-of-care/concerns/{concern.pk}/",
        f"/standards-of-care/concerns/{concern.pk}/route/",
        f"/standards-of-care/visits/{visit.pk}/",
        f"/standards-of-care/actions/{visit.actions.get().pk}/done/",
        f"/standards-of-care/proposals/{proposal.pk}/",
        f"/standards-of-care/proposals/{proposal.pk}/decide/",
    ):
        assert chris.get(url).status_code == 404, url


# The carer --------------------------------------------------------------------------------------


def test_the_carer_reads_the_visit_and_its_actions_but_never_the_concern_or_who_raised_it(
    world, client_for
) -> None:
    concern = record(world, raised_by_kind=RaisedBy.NAMED, raised_by="Mrs Khan, head teacher")
    decide(world, concern)
    visit = _visited(world, concern)
    carol = client_for(world.carol)
    assert carol.get(f"/standards-of-care/visits/{visit.pk}/").status_code == 404  # not shared yet
    services_visit.visit_sign(actor=world.sam, visit=visit, confirmed=True)  # SOC-4: signed and shared

    home = carol.get(f"/households/{world.household_own.pk}/").content.decode()
    assert f'href="/households/{world.household_own.pk}/standards-of-care/visits/"' in home
    listing = carol.get(f"/households/{world.household_own.pk}/standards-of-care/visits/").content.decode()
    assert "Pack a lunch every school day" in listing
    page = carol.get(f"/standards-of-care/visits/{visit.pk}/").content.decode()

    assert "Carol agreed to pack a lunch every school day." in page
    assert "Pack a lunch every school day" in page
    assert "Mrs Khan" not in page and "Mrs Khan" not in listing
    assert concern.reference not in page
    assert "Xavier came to school without lunch" not in page
    assert "Mark done" not in page
    assert carol.get(f"/standards-of-care/concerns/{concern.pk}/").status_code == 404


def test_an_anonymous_raiser_is_shown_to_staff_as_anonymous(world, client_for) -> None:
    concern = record(world, raised_by_kind=RaisedBy.ANONYMOUS, raised_by="")
    page = client_for(world.sam).get(f"/standards-of-care/concerns/{concern.pk}/").content.decode()
    assert (
        '<dt class="govuk-summary-list__key">Who raised it</dt><dd class="govuk-summary-list__value">Anonymous</dd>'
        in page
    )


# SOC-5: a meeting proposed ----------------------------------------------------------------------


def test_the_fostering_manager_decides_a_proposed_meeting_from_its_page(world, client_for) -> None:
    today = timezone.localdate()
    concerns = [soc_concern(world, today - dt.timedelta(days=d)) for d in (30, 20)]
    third = record(world)
    decide(world, third)  # the third within 12 months proposes the meeting (SOC-5)
    proposal = MeetingProposal.objects.get(household=world.household_own)
    frank = client_for(world.frank)

    page = frank.get(f"/standards-of-care/proposals/{proposal.pk}/").content.decode()
    for concern in [*concerns, third]:
        assert concern.reference in page
    assert "3 standards of care concerns within 12 months" in page

    refused = frank.post(
        f"/standards-of-care/proposals/{proposal.pk}/decide/", {"convene": "yes", "decision_reasons": ""}
    )
    assert "Enter reasons" in refused.content.decode()

    response = frank.post(
        f"/standards-of-care/proposals/{proposal.pk}/decide/",
        {"convene": "yes", "decision_reasons": "Three concerns about lunches and bedtimes."},
        follow=True,
    )
    proposal.refresh_from_db()
    assert (proposal.convene, proposal.decision_reasons, proposal.decided_by) == (
        True,
        "Three concerns about lunches and bedtimes.",
        world.frank,
    )
    assert Task.objects.get(kind=MEETING_DECISION).status == TaskStatus.DONE
    assert "Three concerns about lunches and bedtimes." in response.content.decode()


def test_only_the_fostering_manager_and_heads_decide_a_meeting(world, client_for) -> None:
    today = timezone.localdate()
    for d in (30, 20, 10):
        soc_concern(world, today - dt.timedelta(days=d))
    services.meeting_proposals(household=world.household_own, today=today)
    proposal = MeetingProposal.objects.get(household=world.household_own)
    assert client_for(world.sam).get(f"/standards-of-care/proposals/{proposal.pk}/").status_code == 200
    assert client_for(world.sam).get(f"/standards-of-care/proposals/{proposal.pk}/decide/").status_code == 404
    assert not VisitAction.objects.exists()
