"""IM-9: the agreement is reviewed after one month, then at least every three months.

Due dates are worked out by hand: a month after 31 January is the last day of February
(28 in 2027, 29 in 2028); three months after 30 November is 28 February (29 in 2028).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecare.core.jobs import run_due_jobs
from safecare.core.models import Notification, ScheduledJob, Task, TaskStatus
from safecare.monitoring import services_agree as services
from safecare.monitoring.duties import REVIEW
from safecare.monitoring.models import Agreement, AgreementEnd, EndReason, ReviewOutcome

from .test_agreement import MONDAY_15_MARCH_2027, agree, decision_for
from .test_end import START_OF_1_SEPTEMBER


def review(world: Any, agreement: Agreement, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "actor": world.chris,
        "agreement": agreement,
        "held_on": dt.date(2027, 3, 15),
        "young_person_took_part": True,
        "family": "His mother, Maria Smith",
        "others": "Carol Patel (carer); his advocate",
        "outcome": ReviewOutcome.CONTINUE,
        "notes": "No contact from the adult this month; he checks new contacts with Carol.",
    }
    values.update(overrides)
    return services.review_record(**values)


def refused(world: Any, agreement: Agreement, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refusal:
        review(world, agreement, **overrides)
    return refusal.value.message_dict


def open_reviews(world: Any) -> list[dt.date]:
    return [t.due_on for t in Task.objects.filter(kind=REVIEW, child=world.child_own, status=TaskStatus.OPEN)]


# When reviews fall due ----------------------------------------------------------------------------


@MONDAY_15_MARCH_2027
def test_im9_the_first_review_a_month_after_31_january_2027_is_due_28_february(today, world) -> None:
    agree(
        world,
        starts_on=dt.date(2027, 1, 31),
        ends_on=dt.date(2027, 7, 31),
        signed_on=dt.date(2027, 1, 29),
        gillick_assessed_on=dt.date(2027, 1, 28),
    )
    task = Task.objects.get(kind=REVIEW, child=world.child_own, status=TaskStatus.OPEN)
    assert (task.due_on, task.owner) == (dt.date(2027, 2, 28), world.chris)
    assert task.due_basis.startswith("1 month after monitoring started under agreement")


@MONDAY_15_MARCH_2027
def test_im9_the_first_review_a_month_after_31_january_2028_is_due_29_february(today, world) -> None:
    agree(world, starts_on=dt.date(2028, 1, 31), ends_on=dt.date(2028, 7, 31), signed_on=dt.date(2027, 3, 12))
    assert open_reviews(world) == [dt.date(2028, 2, 29)]


@pytest.mark.parametrize("today", ["Monday 30 November 2026"], indirect=True)
def test_im9_after_a_review_on_30_november_2026_the_next_is_due_28_february(today, world) -> None:
    agreement = agree(
        world,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2027, 5, 1),
        signed_on=dt.date(2026, 10, 30),
        gillick_assessed_on=dt.date(2026, 10, 28),
    )
    assert open_reviews(world) == [dt.date(2026, 12, 1)]
    review(world, agreement, held_on=dt.date(2026, 11, 30))
    assert open_reviews(world) == [dt.date(2027, 2, 28)]
    done = Task.objects.get(kind=REVIEW, child=world.child_own, status=TaskStatus.DONE)
    assert done.due_on == dt.date(2026, 12, 1)


@pytest.mark.parametrize("today", ["Wednesday 1 December 2027"], indirect=True)
def test_im9_after_a_review_on_30_november_2027_the_next_is_due_29_february_2028(today, world) -> None:
    agreement = agree(
        world,
        decision_for(world, decided_on=dt.date(2027, 10, 1)),
        starts_on=dt.date(2027, 11, 1),
        ends_on=dt.date(2028, 5, 1),
        signed_on=dt.date(2027, 10, 29),
        gillick_assessed_on=dt.date(2027, 10, 28),
    )
    review(world, agreement, held_on=dt.date(2027, 11, 30))
    assert open_reviews(world) == [dt.date(2028, 2, 29)]


# Outcomes -------------------------------------------------------------------------------------------


@MONDAY_15_MARCH_2027
def test_im9_a_review_that_stops_monitoring_ends_the_agreement_now(today, world) -> None:
    agreement = agree(world)
    review(world, agreement, outcome=ReviewOutcome.STOP, held_on=dt.date(2027, 3, 12))
    end = AgreementEnd.objects.get(agreement=agreement)
    assert (end.reason, end.ended_on, end.recorded_by) == (
        EndReason.REVIEW,
        dt.date(2027, 3, 15),
        world.chris,
    )
    # Its end job is cancelled; nothing runs on 1 September.
    assert not ScheduledJob.objects.filter(key=f"im8:agreement:{agreement.pk}:end").exists()
    assert run_due_jobs(START_OF_1_SEPTEMBER) == 0
    # The review duty is done and no other opens.
    assert open_reviews(world) == []
    assert Task.objects.get(kind=REVIEW, child=world.child_own).status == TaskStatus.DONE
    # The carers are told; chris, who recorded it, is not.
    assert [n.recipient for n in Notification.objects.filter(kind="im_agreement_ended")] == [world.carol]


@MONDAY_15_MARCH_2027
def test_im9_a_review_asking_for_a_change_keeps_the_agreement_until_a_new_one_replaces_it(
    today, world
) -> None:
    agreement = agree(world)
    review(world, agreement, outcome=ReviewOutcome.CHANGE)
    assert not AgreementEnd.objects.exists()
    assert open_reviews(world) == [dt.date(2027, 6, 15)]
    assert services.change_asked(agreement, agreement.reviews.all())
    new = agree(world, agreement.decision, starts_on=dt.date(2027, 3, 15), signed_on=dt.date(2027, 3, 15))
    assert new.replaces == agreement
    assert open_reviews(world) == [dt.date(2027, 4, 15)]


# Refusals -------------------------------------------------------------------------------------------


@MONDAY_15_MARCH_2027
def test_im9_a_review_after_the_agreement_was_stopped_is_refused(today, world) -> None:
    agreement = agree(world)
    review(world, agreement, outcome=ReviewOutcome.STOP)
    errors = refused(world, agreement)
    assert errors["agreement"][0].startswith(
        f"Agreement: IM-9 agreement {agreement.reference} ended on Monday 15"
    )


@MONDAY_15_MARCH_2027
def test_im9_a_review_after_the_end_date_is_refused(today, world) -> None:
    agreement = agree(world, starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 9, 1))
    today.move_to(dt.datetime(2027, 9, 3, 10, 0, tzinfo=ZoneInfo("Europe/London")))  # Friday 3 September
    errors = refused(world, agreement, held_on=dt.date(2027, 9, 2))
    assert "IM-9" in errors["held_on"][0] and "Wednesday 1 September 2027" in errors["held_on"][0]
    run_due_jobs()
    errors = refused(world, agreement, held_on=dt.date(2027, 8, 31))
    assert "IM-9" in errors["agreement"][0]


@MONDAY_15_MARCH_2027
def test_im9_every_part_of_the_review_is_required(today, world) -> None:
    agreement = agree(world)
    errors = refused(
        world, agreement, held_on=None, young_person_took_part=None, others=" ", outcome="", notes=""
    )
    assert set(errors) == {"held_on", "young_person_took_part", "others", "outcome", "notes"}
    assert all("IM-9" in messages[0] for messages in errors.values())
    assert not agreement.reviews.exists()


@MONDAY_15_MARCH_2027
def test_im9_the_review_date_is_within_the_agreement_and_after_the_last_review(today, world) -> None:
    agreement = agree(world)
    assert refused(world, agreement, held_on=dt.date(2027, 3, 16))["held_on"] == [
        "Date of the review: cannot be in the future"
    ]
    assert "Monday 1 March 2027" in refused(world, agreement, held_on=dt.date(2027, 2, 28))["held_on"][0]
    review(world, agreement, held_on=dt.date(2027, 3, 10))
    assert "Wednesday 10 March 2027" in refused(world, agreement, held_on=dt.date(2027, 3, 9))["held_on"][0]


@MONDAY_15_MARCH_2027
def test_im9_only_the_young_persons_social_worker_records_a_review(today, world) -> None:
    agreement = agree(world)
    for person in (world.tom, world.sue, world.carol, world.sam):
        with pytest.raises(PermissionDenied):
            review(world, agreement, actor=person)
