"""DP-2: records past their retention period, listed by a daily job, erased only on the named
role's confirmation (Fostering Services (England) Regulations 2011, reg. 32; decision 0048).

- A child's record is kept until their 75th birthday: born 2 March 1952, kept until 1 March
  2027, deletable from 2 March 2027.
- A carer's record is kept for 10 years after their approval ends: resigned with effect
  15 June 2016, kept until 14 June 2026, deletable from 15 June 2026.
- Nothing is deleted without the confirmation; the erasure removes the content, the files'
  bytes, the change history and the access-log rows, and leaves a tombstone.
- The append-only tables refuse DELETE except under an erasure's permit, which never
  outlives the erasure's transaction; UPDATE is refused always.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from safecare.core.append_only import erasure_permit
from safecare.core.jobs import run_scheduled_work
from safecare.core.models import AccessLog, Notification, Task, TaskStatus
from safecare.files import services_retention as retention
from safecare.files import storage
from safecare.files.duties import RETENTION
from safecare.files.models import Erasure, Photo, RetentionCase, RetentionStatus, RetentionSubject
from safecare.households.models import (
    Child,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HouseholdStatusChange,
    MemberKind,
    Placement,
)
from tests.factories import ChildFactory, MemberFactory, PlacementFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _old_child(world: Any, born: dt.date = dt.date(1950, 5, 1)) -> Child:
    child = ChildFactory(service=world.service, first_name="Ophelia", last_name="Quist", date_of_birth=born)
    return child


def _photo(world: Any, child: Child, household: Household) -> Photo:
    stored = storage.store(
        service=world.service, data=b"\xff\xd8 a photo \xff\xd9", content_type="image/jpeg", actor=world.carol
    )
    return Photo.objects.create(
        service=world.service,
        child=child,
        household=household,
        file=stored,
        width=10,
        height=10,
        uploaded_by=world.carol,
        rules_confirmed_at=timezone.now(),
    )


def _ended(world: Any, household: Household, on: dt.date, status: str = HouseholdStatus.RESIGNED) -> None:
    HouseholdStatusChange.objects.create(
        household=household,
        from_status=household.status,
        to_status=status,
        changed_by=world.sam,
        effective_on=on,
    )
    Household.objects.filter(pk=household.pk).update(status=status)
    household.refresh_from_db()


# Periods -------------------------------------------------------------------------------------


def test_dp2_a_childs_record_is_kept_until_the_75th_birthday_and_deletable_from_it() -> None:
    assert retention.child_deletable_from(dt.date(1952, 3, 2)) == dt.date(2027, 3, 2)
    # Born 29 February: in a common year the birthday is 28 February.
    assert retention.child_deletable_from(dt.date(1952, 2, 29)) == dt.date(2027, 2, 28)


def test_dp2_a_carers_record_is_kept_ten_years_after_approval_ends() -> None:
    assert retention.carer_deletable_from(dt.date(2016, 6, 15)) == dt.date(2026, 6, 15)


def test_dp2_the_daily_check_lists_a_child_on_the_75th_birthday_not_the_day_before(world: Any) -> None:
    child = _old_child(world, born=dt.date(1952, 3, 2))
    assert retention.review(dt.date(2027, 3, 1)) == []
    cases = retention.review(dt.date(2027, 3, 2))
    assert [(c.subject, c.subject_id, c.keep_until) for c in cases] == [
        (RetentionSubject.CHILD, child.pk, dt.date(2027, 3, 1))
    ]
    assert cases[0].label == f"Child record C-{child.pk:05d}"  # a reference, never a name
    # Idempotent: the next day's check lists it no second time.
    assert retention.review(dt.date(2027, 3, 3)) == []
    assert RetentionCase.objects.filter(subject_id=child.pk).count() == 1


def test_dp2_a_household_is_listed_ten_years_after_its_approval_ended(world: Any) -> None:
    household = world.household_other
    Placement.objects.filter(household=household).update(
        start_on=dt.date(2014, 1, 1), end_on=dt.date(2016, 6, 1), end_reason="other"
    )
    _ended(world, household, dt.date(2016, 6, 15))
    assert [
        c for c in retention.review(dt.date(2026, 6, 14)) if c.subject == RetentionSubject.HOUSEHOLD
    ] == []
    cases = [c for c in retention.review(dt.date(2026, 6, 15)) if c.subject == RetentionSubject.HOUSEHOLD]
    assert [(c.subject_id, c.keep_until) for c in cases] == [(household.pk, dt.date(2026, 6, 14))]


def test_dp2_an_approved_household_is_never_listed(world: Any) -> None:
    assert not [c for c in retention.review(dt.date(2090, 1, 1)) if c.subject == RetentionSubject.HOUSEHOLD]


def test_dp2_the_job_run_with_the_clock_moved_opens_one_duty_and_alerts_the_named_role(world: Any) -> None:
    child = _old_child(world, born=dt.date(1952, 3, 2))
    with time_machine.travel(dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        run_scheduled_work()
        run_scheduled_work()  # twice: once a day, however often it runs
    case = RetentionCase.objects.get(subject=RetentionSubject.CHILD, subject_id=child.pk)
    assert case.status == RetentionStatus.AWAITING
    task = Task.objects.get(kind=RETENTION, service=world.service, status=TaskStatus.OPEN)
    assert task.owner == world.harry  # the only head of service (SAFECARE_RETENTION_ROLE)
    assert task.child is None and task.household is None
    alerts = Notification.objects.filter(kind="retention_review")
    assert [a.recipient for a in alerts] == [world.harry]
    assert "Ophelia" not in alerts[0].subject and "Quist" not in alerts[0].subject
    # Nothing is deleted without the confirmation.
    assert Child.objects.filter(pk=child.pk).exists()


# Erasure -------------------------------------------------------------------------------------


def _erasable_child(world: Any) -> tuple[Child, Photo, RetentionCase]:
    child = _old_child(world)
    PlacementFactory(
        child=child,
        household=world.household_own,
        start_on=dt.date(1960, 1, 1),
        end_on=dt.date(1968, 5, 1),
        end_reason="other",
    )
    TaskFactory(service=world.service, owner=world.sam, child=child, household=None)
    photo = _photo(world, child, world.household_own)
    AccessLog.objects.create(
        service=world.service, user=world.sam, subject_type="child", subject_id=child.pk, path="/children/x/"
    )
    [case] = [c for c in retention.review(timezone.localdate()) if c.subject_id == child.pk]
    return child, photo, case


def test_dp2_confirmed_erasure_removes_the_child_everywhere_and_leaves_a_tombstone(world: Any) -> None:
    child, photo, case = _erasable_child(world)
    child_id, placement_ids = (
        child.pk,
        list(Placement.objects.filter(child=child).values_list("pk", flat=True)),
    )
    stored = photo.file
    history = Child.history.model  # type: ignore[attr-defined]
    assert history.objects.filter(id=child_id).exists()
    others = set(Child.objects.exclude(pk=child_id).values_list("pk", flat=True))

    erasure = retention.erase(actor=world.harry, case=case, reason="")

    assert not Child.objects.filter(pk=child_id).exists()
    assert not history.objects.filter(id=child_id).exists()
    assert not Placement.objects.filter(pk__in=placement_ids).exists()
    assert not Placement.history.model.objects.filter(id__in=placement_ids).exists()  # type: ignore[attr-defined]
    assert not Task.objects.filter(child_id=child_id).exists()
    assert not Photo.objects.filter(pk=photo.pk).exists()
    stored.refresh_from_db()
    assert stored.erased_at is not None
    with pytest.raises(storage.FileUnavailable):
        storage.read(stored)
    assert not storage.file_storage().exists(stored.name)
    assert not AccessLog.objects.filter(subject_type="child", subject_id=child_id).exists()
    # Other children untouched, the household kept.
    assert set(Child.objects.values_list("pk", flat=True)) == others
    assert Placement.objects.filter(child=world.child_own).exists()
    assert Household.objects.filter(pk=world.household_own.pk, name="Patel household").exists()
    # The tombstone: what, when, on whose decision.
    case.refresh_from_db()
    assert case.status == RetentionStatus.ERASED and case.decided_by == world.harry
    assert erasure.decided_by == world.harry and erasure.subject_id == child_id
    assert erasure.removed["households_child"] == 1
    assert erasure.removed["households_placement"] == 1
    assert erasure.removed["files_photo"] == 1
    assert erasure.removed["core_accesslog"] >= 1
    assert erasure.files_removed == 1
    # The tombstone is append-only like the rest: the permits are gone with the erasure.
    with pytest.raises(DatabaseError), transaction.atomic():
        Erasure.objects.filter(pk=erasure.pk).delete()
    other_log = _log(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=other_log.pk).delete()


def test_dp2_nothing_is_deleted_without_the_named_roles_confirmation(world: Any) -> None:
    child, _photo, case = _erasable_child(world)
    for user in (world.helen, world.frank, world.sue, world.olga, world.carol):
        with pytest.raises(ValidationError):
            retention.erase(actor=user, case=case)
    assert Child.objects.filter(pk=child.pk).exists()


def test_dp2_keep_for_now_needs_a_reason_and_keeps_everything(world: Any) -> None:
    child, _photo, case = _erasable_child(world)
    with pytest.raises(ValidationError) as refused:
        retention.keep(actor=world.harry, case=case, reason=" ")
    assert "reason" in refused.value.message_dict
    retention.keep(actor=world.harry, case=case, reason="A court case is open.")
    case.refresh_from_db()
    assert case.status == RetentionStatus.KEPT
    assert Child.objects.filter(pk=child.pk).exists()
    with pytest.raises(ValidationError):
        retention.erase(actor=world.harry, case=case)
    # Looked at again a year later, not before.
    today = timezone.localdate()
    assert not [c for c in retention.review(today + dt.timedelta(days=300)) if c.subject_id == child.pk]
    case.decided_at = timezone.now() - dt.timedelta(days=400)
    case.save()
    assert [c.subject_id for c in retention.review(today) if c.subject_id == child.pk] == [child.pk]


def test_dp2_the_duty_closes_when_no_record_waits(world: Any) -> None:
    _child, _photo, case = _erasable_child(world)
    retention._tell(world.service, timezone.localdate())
    task = Task.objects.get(kind=RETENTION, status=TaskStatus.OPEN)
    retention.erase(actor=world.harry, case=case)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_dp2_erasing_a_carers_record_keeps_what_is_also_a_childs_record(world: Any) -> None:
    household = world.household_other
    Placement.objects.filter(household=household).update(
        start_on=dt.date(2008, 1, 1), end_on=dt.date(2010, 6, 1), end_reason="other"
    )
    _ended(world, household, dt.date(2010, 6, 15))
    member = world.member_other
    oscar = world.oscar
    [case] = [c for c in retention.review(timezone.localdate()) if c.subject == RetentionSubject.HOUSEHOLD]
    erasure = retention.erase(actor=world.harry, case=case)
    # The members and the status history are gone; the household row stays, emptied.
    assert not HouseholdMember.objects.filter(pk=member.pk).exists()
    assert not HouseholdStatusChange.objects.filter(household=household).exists()
    household.refresh_from_db()
    assert household.name == f"Erased: Foster carer record H-{household.pk:05d}" and household.postcode == ""
    assert not Household.history.model.objects.filter(id=household.pk).exists()  # type: ignore[attr-defined]
    # The child's placement with them is the child's record too: kept until the child's 75th birthday.
    assert Placement.objects.filter(household=household, child=world.child_other).exists()
    # The carer's account: closed and emptied, not deleted (it signed and wrote).
    oscar.refresh_from_db()
    assert (oscar.is_active, oscar.first_name, oscar.email, oscar.username) == (
        False,
        "",
        "",
        f"erased-{oscar.pk}",
    )
    assert erasure.removed["households_householdmember"] == 1
    assert erasure.removed["households_householdstatuschange"] == 1


# The erasure permit (core.append_only) -----------------------------------------------------


def _log(world: Any) -> AccessLog:
    return AccessLog.objects.create(
        service=world.service, user=world.sam, subject_type="household", subject_id=1, path="/x"
    )


def test_dp2_an_append_only_table_refuses_delete_without_a_permit_and_update_even_with_one(
    world: Any,
) -> None:
    row = _log(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).delete()
    with transaction.atomic(), erasure_permit(["core_accesslog"]):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLog.objects.filter(pk=row.pk).update(path="/y")
        AccessLog.objects.filter(pk=row.pk).delete()
    assert not AccessLog.objects.filter(pk=row.pk).exists()
    # The permit went with the block: DELETE is refused again.
    other = _log(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=other.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_erasure_permit")
        assert cursor.fetchone()[0] == 0


def test_dp2_a_permit_names_its_tables_only(world: Any) -> None:
    row = _log(world)
    with (
        transaction.atomic(),
        erasure_permit(["core_signature"]),
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
    ):
        AccessLog.objects.filter(pk=row.pk).delete()


def test_dp2_an_erasure_that_fails_leaves_everything_and_no_permit(world: Any) -> None:
    row = _log(world)
    with pytest.raises(ZeroDivisionError), transaction.atomic(), erasure_permit(["core_accesslog"]):
        AccessLog.objects.filter(pk=row.pk).delete()
        1 / 0  # noqa: B018
    assert AccessLog.objects.filter(pk=row.pk).exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).delete()


def test_dp2_a_household_member_of_a_kept_household_is_untouched(world: Any) -> None:
    _child, _photo, case = _erasable_child(world)
    retention.erase(actor=world.harry, case=case)
    assert HouseholdMember.objects.filter(pk=world.carer_member.pk).exists()
    assert MemberFactory._meta.model is HouseholdMember and MemberKind.CARER
