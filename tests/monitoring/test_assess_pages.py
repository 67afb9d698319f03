"""The pages from the worry to the discussion (IM-1 to IM-6), and where a young person lives:
refusals name the field and the rule and nothing typed is lost; out of scope is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.core.models import AccessLog, Task, TaskStatus
from safecare.monitoring import services_assess as services
from safecare.monitoring import views_assess
from safecare.monitoring.duties import ADVOCATE, ASSESS, PLANS_UPDATE
from safecare.monitoring.models import (
    Assessment,
    Decision,
    Discussion,
    Panel,
    PanelReferral,
    Residence,
    Worry,
)

from .test_assessment import evaluate
from .test_decision import TO_MONITOR, decide
from .test_worry import assess, tell

pytestmark = pytest.mark.django_db

D = dt.date


def _url(name: str, pk: int | None = None) -> str:
    return reverse(f"monitoring:{name}", kwargs={"pk": pk} if pk is not None else {})


def _day(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_im1_a_carer_tells_a_worry_and_reads_that_the_social_worker_was_told(
    today, world, client_for
) -> None:
    carol = client_for(world.carol)
    home = carol.get("/").content.decode()
    assert _url("worry_create") in home and "A worry about a young person's internet use" in home

    page = carol.get(_url("worry_create") + f"?child={world.child_own.pk}")
    assert page.status_code == 200 and "Xavier Smith" in page.content.decode()
    # Every question is needed: none is marked "(optional)", though the service, not the form,
    # says what is missing (core.forms.needed).
    assert "(optional)" not in page.content.decode()

    typed = {
        "child": str(world.child_own.pk),
        "risk": "",
        "details": "He hides his phone.",
        **_day("noticed_on", D(2027, 3, 16)),
    }
    refused = carol.post(_url("worry_create"), typed)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "choose a risk to the young person or to others" in html.lower()
    assert "it cannot be in the future" in html.lower()
    assert "he hides his phone." in html.lower()  # nothing typed is lost
    assert not Worry.objects.exists()

    typed.update({"risk": "from_others", **_day("noticed_on", D(2027, 3, 12))})
    sent = carol.post(_url("worry_create"), typed)
    worry = Worry.objects.get()
    assert sent.status_code == 302 and sent.headers["Location"] == _url("worry_detail", worry.pk)
    confirmation = carol.get(sent.headers["Location"]).content.decode()
    assert "Their social worker has been told" in confirmation
    assert "He hides his phone." in confirmation
    assert "Assess" not in confirmation and "Assessment" not in confirmation  # nothing of what happens next
    assert Task.objects.get(kind=ASSESS).owner == world.chris
    assert AccessLog.objects.filter(
        user_id=world.carol.pk, subject_type="child", subject_id=world.child_own.pk
    ).exists()

    # Another household's carer, and a carer's own worry for someone else: 404.
    assert client_for(world.oscar).get(_url("worry_detail", worry.pk)).status_code == 404
    assert client_for(world.frank).get(_url("worry_create")).status_code == 404


@pytest.mark.parametrize("today", ["Thursday 25 March 2027"], indirect=True)
def test_im2_to_im6_the_social_worker_walks_the_pages_and_refusals_keep_what_was_typed(
    today, world, client_for
) -> None:
    worry = tell(world)
    chris = client_for(world.chris)
    detail = chris.get(_url("worry_detail", worry.pk)).content.decode()
    assert "Assess the risk" in detail

    typed = {
        **_day("assessed_on", D(2027, 3, 25)),
        "young_person_took_part": "yes",
        "officers": "PC Adams",
        "carers": "Carol Patel",
        "findings": "",
        "level": "significant",
    }
    refused = chris.post(_url("assessment_create", worry.pk), typed).content.decode()
    assert "write down the risks found (im-2)" in refused.lower() and "pc adams" in refused.lower()
    typed["findings"] = "Grooming through a game."
    saved = chris.post(_url("assessment_create", worry.pk), typed)
    assessment = Assessment.objects.get()
    assert saved.headers["Location"] == _url("assessment_detail", assessment.pk)
    assert Task.objects.get(kind=ASSESS).status == TaskStatus.DONE

    page = chris.get(_url("assessment_detail", assessment.pk)).content.decode()
    for link in ("strategy_create", "panel_create", "evaluation_create"):
        assert _url(link, assessment.pk) in page
    assert _url("decision_create", assessment.pk) not in page  # no evaluation yet

    strategy = {**_day("held_on", D(2027, 3, 25)), "manager": str(world.tom.pk), "outcome": "Refer to EFRH."}
    assert chris.post(_url("strategy_create", assessment.pk), strategy).status_code == 302
    referral = {"panel": Panel.EFRH, **_day("referred_on", D(2027, 3, 25))}
    assert chris.post(_url("panel_create", assessment.pk), referral).status_code == 302
    ref = PanelReferral.objects.get()
    outcome = {"outcome": "Police to investigate.", **_day("outcome_on", D(2027, 3, 25)), "minutes": ""}
    refused = chris.post(_url("panel_outcome", ref.pk), outcome).content.decode()
    assert (
        "the panel&#x27;s minutes go on the file (im-3)" in refused.lower()
        and "police to investigate." in refused.lower()
    )
    outcome["minutes"] = "Minutes of 25 March."
    assert chris.post(_url("panel_outcome", ref.pk), outcome).status_code == 302
    assert Task.objects.get(kind=PLANS_UPDATE).due_on == D(2027, 4, 5)

    typed_decision = {
        "monitor": "yes",
        "reasons": "Grooming continues.",
        "legal_and_necessary": "To prevent harm.",
        **_day("decided_on", D(2027, 3, 25)),
    }
    refused = chris.post(_url("decision_create", assessment.pk), typed_decision).content.decode()
    assert "evaluate the assessment with the team manager and the service manager before deciding (im-4)" in (
        refused.lower()
    )
    assert "grooming continues." in refused.lower() and "to prevent harm." in refused.lower()

    evaluation = {
        **_day("evaluated_on", D(2027, 3, 25)),
        "team_manager": str(world.tom.pk),
        "service_manager": str(world.sue.pk),
        "summary": "High risk.",
        "legal_advice_taken": "no",
        "legal_advice_reasons": "",
    }
    refused = chris.post(_url("evaluation_create", assessment.pk), evaluation).content.decode()
    assert (
        "say why, whether it was taken or not (im-4)" in refused.lower() and "high risk." in refused.lower()
    )
    evaluation["legal_advice_reasons"] = "Standard advice applies."
    assert chris.post(_url("evaluation_create", assessment.pk), evaluation).status_code == 302

    refused = chris.post(_url("decision_create", assessment.pk), typed_decision).content.decode()
    assert "write why less restrictive measures cannot reduce the risk enough (im-5)" in refused.lower()
    assert (
        "why monitoring is reasonable and proportionate (ofsted&#x27;s second test) (im-5)" in refused.lower()
    )
    assert "legal and necessary (ofsted" not in refused.lower()  # it was written
    assert "grooming continues." in refused.lower()
    assert not Decision.objects.exists()
    typed_decision.update(
        {
            "less_restrictive_evidence": TO_MONITOR["less_restrictive_evidence"],
            "reasonable_and_proportionate": TO_MONITOR["reasonable_and_proportionate"],
        }
    )
    assert chris.post(_url("decision_create", assessment.pk), typed_decision).status_code == 302
    decision = Decision.objects.get()

    discussion = {
        **_day("held_on", D(2027, 3, 25)),
        "young_person_views": "He agrees.",
        "family_support": "no",
    }
    refused = chris.post(_url("discussion_create", decision.pk), discussion).content.decode()
    assert "a young person without family to support them is offered an advocate (im-6)" in refused.lower()
    assert "he agrees." in refused.lower()
    discussion.update({"advocate_offered": "on", "advocate_wanted": "on"})
    assert chris.post(_url("discussion_create", decision.pk), discussion).status_code == 302
    held = Discussion.objects.get()
    assert Task.objects.get(kind=ADVOCATE).due_on == D(2027, 4, 5)
    page = chris.get(_url("assessment_detail", assessment.pk)).content.decode()
    assert _url("advocate_create", held.pk) in page
    advocate = {"advocate": "Ana Cole, Voices", **_day("advocate_arranged_on", D(2027, 3, 25))}
    assert chris.post(_url("advocate_create", held.pk), advocate).status_code == 302
    assert Task.objects.get(kind=ADVOCATE).status == TaskStatus.DONE
    assert "Ana Cole, Voices" in chris.get(_url("assessment_detail", assessment.pk)).content.decode()


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_the_assessment_is_read_by_the_social_worker_and_managers_only(today, world, client_for) -> None:
    assessment = assess(world, tell(world))
    evaluate(world, assessment)
    for reader in (world.chris, world.tom, world.sue):
        assert client_for(reader).get(_url("assessment_detail", assessment.pk)).status_code == 200
    for outsider in (world.carol, world.sam, world.fiona, world.frank, world.helen, world.harry, world.oscar):
        client = client_for(outsider)
        assert client.get(_url("assessment_detail", assessment.pk)).status_code == 404
        assert client.get(_url("decision_create", assessment.pk)).status_code == 404
    # The carer who told the worry reads it, never the assessment.
    assert client_for(world.carol).get(_url("worry_detail", assessment.worry_id)).status_code == 200


@pytest.mark.parametrize("today", ["Monday 15 March 2027"], indirect=True)
def test_where_a_young_person_lives_is_recorded_and_shown_on_their_page(today, world, client_for) -> None:
    chris = client_for(world.chris)
    typed = {
        "kind": "supported_lodgings",
        "provider": "",
        "household": str(world.household_other.pk),
        "address_kind": "A room",
        **_day("from_on", D(2027, 3, 1)),
    }
    refused = chris.post(_url("residence_create", world.child_own.pk), typed).content.decode()
    assert "give the provider" in refused.lower() and "a room" in refused.lower()
    typed["provider"] = "Mrs Jones"
    assert chris.post(_url("residence_create", world.child_own.pk), typed).status_code == 302
    assert Residence.objects.get().household == world.household_other
    page = chris.get(_url("child", world.child_own.pk)).content.decode()
    assert "Supported lodgings" in page and "Mrs Jones" in page and "Jones household" in page
    assert client_for(world.carol).get(_url("residence_create", world.child_own.pk)).status_code == 404

    # The young person moves out: the residence ends on that day, not before it began nor in the future.
    residence = Residence.objects.get()
    end_url = _url("residence_end", residence.pk)
    assert end_url in page
    too_early = chris.post(end_url, _day("to_on", D(2027, 2, 27))).content.decode()
    assert (
        "it cannot be before 1 march 2027" in too_early.lower() or "monday 1 march 2027" in too_early.lower()
    )
    future = chris.post(end_url, _day("to_on", D(2027, 3, 16))).content.decode()
    assert "cannot be in the future" in future.lower()
    assert chris.post(end_url, _day("to_on", D(2027, 3, 15))).status_code == 302
    residence.refresh_from_db()
    assert residence.to_on == D(2027, 3, 15)
    assert client_for(world.carol).get(end_url).status_code == 404


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_the_young_persons_part_shows_only_what_the_reader_may_see(today, world) -> None:
    worry = tell(world)
    assessment = assess(world, worry)
    evaluate(world, assessment)
    decide(world, assessment)
    request = RequestFactory().get("/")
    full = views_assess.child_context(request, world.chris, world.child_own)
    assert [w.pk for w in full["im_worries"]] == [worry.pk]
    assert [a.pk for a in full["im_assessments"]] == [assessment.pk]
    assert [a.evaluation_count for a in full["im_assessments"]] == [1] and len(full["im_decisions"]) == 1
    assert full["im_may_assess"] and full["im_may_record_residence"]
    carers = views_assess.child_context(request, world.carol, world.child_own)
    assert [w.pk for w in carers["im_worries"]] == [worry.pk]  # she told it
    assert carers["im_assessments"] == [] and carers["im_decisions"] == []
    assert carers["im_may_record_worry"] and not carers["im_may_assess"]
    html = render_to_string("monitoring/_child_assess.html", carers)
    assert "Assessments" not in html and "Decisions" not in html and "tell us about a worry" in html.lower()
    sam = views_assess.child_context(request, world.sam, world.child_own)
    assert sam["im_worries"] == []  # not his worry, not his procedure


def _case(world: Any, n: int) -> None:
    for _ in range(n):
        assessment = assess(world, tell(world))
        services.strategy_record(
            actor=world.chris, assessment=assessment, held_on=D(2027, 3, 18), manager=world.tom, outcome="x"
        )
        services.panel_refer(
            actor=world.chris, assessment=assessment, panel=Panel.EFRH, referred_on=D(2027, 3, 18)
        )
        evaluate(world, assessment)
        discussion_decision = decide(world, assessment)
        services.discussion_record(
            actor=world.chris,
            decision=discussion_decision,
            held_on=D(2027, 3, 18),
            young_person_views="Agrees.",
            family_support=True,
        )


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_the_young_persons_page_costs_the_same_queries_for_1_case_as_for_5(today, world, client_for) -> None:
    chris = client_for(world.chris)
    url = _url("child", world.child_own.pk)
    chris.get(url)
    _case(world, 1)
    with CaptureQueriesContext(connection) as one:
        assert chris.get(url).status_code == 200
    _case(world, 4)
    with CaptureQueriesContext(connection) as five:
        page = chris.get(url)
    assert page.content.decode().count(_url("assessment_detail", Assessment.objects.first().pk)) >= 1
    assert len(five.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("today", ["Thursday 18 March 2027"], indirect=True)
def test_the_assessment_page_costs_the_same_queries_for_1_record_of_each_as_for_5(
    today, world, client_for
) -> None:
    assessment = assess(world, tell(world))
    chris = client_for(world.chris)
    url = _url("assessment_detail", assessment.pk)

    def add() -> None:
        services.strategy_record(
            actor=world.chris, assessment=assessment, held_on=D(2027, 3, 18), manager=world.tom, outcome="x"
        )
        services.panel_refer(
            actor=world.chris, assessment=assessment, panel=Panel.EFRH, referred_on=D(2027, 3, 18)
        )
        evaluate(world, assessment)
        services.discussion_record(
            actor=world.chris,
            decision=decide(world, assessment),
            held_on=D(2027, 3, 18),
            young_person_views="Agrees.",
            family_support=True,
        )

    chris.get(url)
    add()
    with CaptureQueriesContext(connection) as one:
        chris.get(url)
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as five:
        chris.get(url)
    assert len(five.captured_queries) == len(one.captured_queries)
