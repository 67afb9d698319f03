"""Audit (rules: Everywhere): history names the actor with before and after; the access log is append-only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from safecare.core.models import AccessLog
from safecare.households import services


def test_a_change_is_recorded_with_who_before_and_after(world) -> None:
    household = world.household_own
    services.household_update(actor=world.sam, household=household, max_children=3)
    latest, previous = household.history.all()[:2]
    assert latest.history_user == world.sam
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("max_children", 2, 3)]


def test_a_status_change_is_logged_with_reason(world) -> None:
    services.household_change_status(
        actor=world.frank, household=world.household_own, to_status="on_hold", reason="Family illness"
    )
    change = world.household_own.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        "approved",
        "on_hold",
        world.frank,
        "Family illness",
    )


def _log(world) -> AccessLog:  # type: ignore[no-untyped-def]
    return AccessLog.objects.create(
        service=world.service,
        user=world.sam,
        subject_type="household",
        subject_id=world.household_own.pk,
        path="/x",
    )


def test_the_access_log_refuses_edits_in_the_application(world) -> None:
    entry = _log(world)
    entry.path = "/tampered"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_the_database_refuses_updates_to_the_access_log(world) -> None:
    _log(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.update(path="/tampered")


def test_the_database_refuses_updates_to_change_history(world) -> None:
    services.household_update(actor=world.sam, household=world.household_own, max_children=3)
    with pytest.raises(DatabaseError), transaction.atomic():
        world.household_own.history.update(max_children=9)


def test_the_database_refuses_deleting_audit_rows(world) -> None:
    # Both databases (decision 0021): only the test runner's flush may empty the table.
    _log(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.all()._raw_delete(AccessLog.objects.db)
