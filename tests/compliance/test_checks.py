"""The weekly checks (SC-4, SC-5, SC-7, SC-10, DV-*): who is listed, who may run them, what they cost.

The clock is stopped at 10:00 London time on Thursday 10 December 2026. The service's
settings are the defaults: supervision every 6 weeks, recordings unread for more than 14 days,
agreements reviewed every 12 months. Every date below was worked out by hand from that day:

- Supervision (SC-10) "longer than the setting" is strictly more than 6 x 7 = 42 days: a
  household last supervised on Thursday 29 October 2026 (exactly 42 days ago) is NOT listed;
  28 October (43 days) and 22 October (49 days, 7 weeks) are; 5 November (35 days) is not.
- Recordings (SC-7) "more than 14 days": written on 25 November (15 days ago) is listed,
  26 November (14 days) is not.
- Agreements (SC-4, SC-5): the review is due 12 months after the day the version came into
  force and is late once that day has passed: in force 10 November 2025 (due 10 November 2026)
  and 9 December 2025 (due 9 December 2026) are listed; 10 December 2025 (due today) and
  10 January 2026 (due 10 January 2027) are not.

The shared world's own households are there too; each test asserts on the households it made
(named "Check ...") and that nothing of South Fostering is ever listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.agreements.models import Agreement, AgreementKind, AgreementVersion
from safecare.core.models import AccessLog
from safecare.devices.models import Device, DeviceType, Purpose, RoomKind
from safecare.households.models import Household, Placement
from safecare.supervision.models import Recording, RecordingRead, Supervision, SupervisionStatus
from tests.clock import LONDON, ten_o_clock
from tests.conftest import sign_in
from tests.factories import AllocationFactory, ChildFactory, HouseholdFactory, PlacementFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 10)


@pytest.fixture(params=[TODAY], ids=["Thursday 10 December 2026"])
def today(request: pytest.FixtureRequest) -> Iterator[time_machine.Traveller]:
    """10:00 in London on TODAY (Thursday 10 December 2026), or the day a test names as its
    parameter. Asked for before `world`, so the world is built that day (and, the day being a
    parameter, built once for all the tests of that day: tests/clock.py)."""
    day: dt.date = getattr(request, "param", TODAY)
    assert f"{day:%A}" == "Thursday"
    with time_machine.travel(ten_o_clock(day), tick=False) as traveller:
        yield traveller


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def household(
    world: Any, name: str, *, team: Any = "fostering", service: Any = None, **extra: Any
) -> Household:
    """An approved household (approved on 6 January 2025 unless a test says otherwise)."""
    extra.setdefault("approved_on", dt.date(2025, 1, 6))
    return HouseholdFactory(  # type: ignore[no-any-return]
        service=service or world.service,
        name=f"Check {name}",
        team=world.fostering_team if team == "fostering" else team,
        **extra,
    )


def supervised(world: Any, home: Household, held_on: dt.date, *, completed: bool = True) -> Supervision:
    return Supervision.objects.create(
        service_id=home.service_id,
        household=home,
        held_on=held_on,
        status=SupervisionStatus.COMPLETED if completed else SupervisionStatus.DRAFT,
        completed_at=_at(held_on) if completed else None,
        written_by=world.sam,
    )


def placed(
    world: Any, home: Household, first_name: str, start_on: dt.date = dt.date(2026, 9, 1)
) -> Placement:
    child = ChildFactory(service_id=home.service_id, first_name=first_name, last_name="Check")
    return PlacementFactory(child=child, household=home, start_on=start_on)  # type: ignore[no-any-return]


def recording(world: Any, placement: Placement, written: dt.datetime, *, revision: int = 1) -> Recording:
    return Recording.objects.create(
        service_id=placement.service_id,
        household=placement.household,
        child=placement.child,
        placement=placement,
        recorded_on=written.date(),
        text="A day at the park.",
        written_by=world.carol,
        created_at=written,
        revision=revision,
    )


def agreement(
    world: Any, home: Household, in_force_on: dt.date | None, placement: Placement | None = None
) -> Agreement:
    made = Agreement.objects.create(
        service_id=home.service_id,
        kind=AgreementKind.CHILD if placement else AgreementKind.HOUSEHOLD,
        household=home,
        placement=placement,
        child=placement.child if placement else None,
    )
    if in_force_on is not None:
        version = AgreementVersion.objects.create(
            agreement=made, service_id=home.service_id, number=1, created_by=world.sam
        )
        made.current_version = version
        made.current_since = _at(in_force_on, 15)
        made.save()
    return made


def device(world: Any, home: Household, room: str, room_kind: str, device_type: str, **facts: Any) -> Device:
    return Device.objects.create(
        service_id=home.service_id,
        household=home,
        device_type=device_type,
        room=room,
        room_kind=room_kind,
        positioning="On the shelf",
        purpose=facts.pop("purpose", Purpose.HOME_USE),
        responsible_person="The carers",
        storage="None",
        access="The carers",
        members_told_on=dt.date(2026, 1, 5),
        declared_by=world.carol,
        declared_at=_at(dt.date(2026, 1, 5)),
        needs_review=False,
        retention_hours=facts.pop("retention_hours", 0),
        **facts,
    )


def _rows(client: Any, slug: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(reverse("compliance:check", kwargs={"check": slug}), params)
    assert response.status_code == 200
    return response.context["rows"]  # type: ignore[no-any-return]


def _mine(rows: list[dict[str, Any]], key: str = "household_name") -> list[str]:
    return [row[key] for row in rows if str(row[key]).startswith("Check ")]


# SC-10 ---------------------------------------------------------------------------------------


def test_supervision_lists_households_supervised_more_than_six_weeks_ago(
    today: Any, world: Any, client: Any
) -> None:
    seven = household(world, "seven weeks")
    supervised(world, seven, dt.date(2026, 10, 22))
    supervised(world, seven, dt.date(2026, 12, 1), completed=False)  # a draft is not a supervision
    forty_three = household(world, "forty-three days")
    supervised(world, forty_three, dt.date(2026, 10, 28))
    exactly = household(world, "exactly six weeks")
    supervised(world, exactly, dt.date(2026, 10, 29))
    five = household(world, "five weeks")
    supervised(world, five, dt.date(2026, 11, 5))
    supervised(world, five, dt.date(2026, 9, 1))
    never = household(world, "never supervised", approved_on=dt.date(2026, 10, 1))
    new = household(world, "approved a month ago", approved_on=dt.date(2026, 11, 10))
    household(world, "on hold", status="on_hold").supervisions.create(
        service_id=world.service.pk, held_on=dt.date(2026, 1, 1), written_by=world.sam
    )
    world.sam.last_name = "Lee"
    world.sam.save()
    AllocationFactory(worker=world.sam, kind="supervising", household=seven)
    south = household(world, "south", service=world.south, team=None)
    supervised(world, south, dt.date(2026, 1, 1))

    rows = _rows(sign_in(client, world.frank), "supervision")

    # Longest first: never supervised since approval on 1 October 2026 (70 days), then 49 and 43 days.
    assert _mine(rows) == ["Check never supervised", "Check seven weeks", "Check forty-three days"]
    third, first, second = (row for row in rows if row["household_name"].startswith("Check "))
    assert (first["last_supervision"], first["days_since"], first["ssw"]) == (
        dt.date(2026, 10, 22),
        49,
        "Sam Lee",
    )
    assert (second["last_supervision"], second["days_since"]) == (dt.date(2026, 10, 28), 43)
    # Never supervised: counted from the approval on 1 October 2026, 70 days ago.
    assert (third["last_supervision"], third["days_since"]) == (None, 70)
    assert exactly.pk not in {row["household_id"] for row in rows}
    assert new.pk not in {row["household_id"] for row in rows}
    assert never.pk in {row["household_id"] for row in rows}


def test_supervision_counts_from_the_last_supervision_even_when_approved_within_the_interval(
    today: Any, world: Any, client: Any
) -> None:
    """The last completed supervision decides, not the approval date, whenever there is one.

    Re-approved on 20 November 2026 (20 days ago) but last supervised on 1 October 2026 (70 days
    ago): listed, 70 days. Approved on 1 October and supervised on 30 October (41 days): not
    listed. No approval date and never supervised: listed first, days unknown. No approval date,
    supervised on 28 October (43 days): listed.
    """
    reapproved = household(world, "re-approved", approved_on=dt.date(2026, 11, 20))
    supervised(world, reapproved, dt.date(2026, 10, 1))
    recent = household(world, "supervised 41 days ago", approved_on=dt.date(2026, 10, 1))
    supervised(world, recent, dt.date(2026, 10, 30))
    household(world, "no approval date", approved_on=None)
    undated = household(world, "no approval date, supervised", approved_on=None)
    supervised(world, undated, dt.date(2026, 10, 28))

    sign_in(client, world.frank)
    rows = _rows(client, "supervision")

    assert _mine(rows) == [
        "Check no approval date",
        "Check re-approved",
        "Check no approval date, supervised",
    ]
    days = {row["household_name"]: (row["last_supervision"], row["days_since"]) for row in rows}
    assert days["Check no approval date"] == (None, None)
    assert days["Check re-approved"] == (dt.date(2026, 10, 1), 70)
    assert days["Check no approval date, supervised"] == (dt.date(2026, 10, 28), 43)
    count = next(r["count"] for r in client.get(reverse("compliance:checks")).context["rows"])
    assert (
        count
        == client.get(reverse("compliance:check", kwargs={"check": "supervision"}))
        .context["page_obj"]
        .paginator.count
    )


def test_changing_the_supervision_interval_changes_the_list(today: Any, world: Any, client: Any) -> None:
    five = household(world, "five weeks")
    supervised(world, five, dt.date(2026, 11, 5))
    sign_in(client, world.frank)
    assert _mine(_rows(client, "supervision")) == []
    world.service.supervision_interval_weeks = 4
    world.service.save()
    assert _mine(_rows(client, "supervision")) == ["Check five weeks"]


# SC-7 ----------------------------------------------------------------------------------------


def test_unread_recordings_lists_households_with_one_unread_more_than_fourteen_days(
    today: Any, world: Any, client: Any
) -> None:
    fifteen = household(world, "fifteen days")
    p15 = placed(world, fifteen, "Fifteen")
    recording(world, p15, _at(dt.date(2026, 11, 25), 23))
    recording(world, p15, _at(dt.date(2026, 11, 20)))
    recording(world, p15, _at(dt.date(2026, 12, 8)))  # too recent to count
    fourteen = household(world, "fourteen days")
    recording(world, placed(world, fourteen, "Fourteen"), _at(dt.date(2026, 11, 26), 0))
    read = household(world, "read")
    old = recording(world, placed(world, read, "Read"), _at(dt.date(2026, 10, 1)))
    RecordingRead.objects.create(recording=old, revision=1, reader=world.sam)
    edited = household(world, "edited after reading")
    changed = recording(world, placed(world, edited, "Edited"), _at(dt.date(2026, 10, 1)), revision=2)
    RecordingRead.objects.create(recording=changed, revision=1, reader=world.sam)
    south = household(world, "south", service=world.south, team=None)
    recording(world, placed(world, south, "South"), _at(dt.date(2026, 1, 1)))

    sign_in(client, world.frank)
    rows = _rows(client, "unread-recordings")

    assert _mine(rows) == ["Check edited after reading", "Check fifteen days"]
    by_name = {row["household_name"]: row for row in rows}
    assert (
        by_name["Check fifteen days"]["unread_recordings"],
        by_name["Check fifteen days"]["oldest_written_on"],
    ) == (
        2,
        dt.date(2026, 11, 20),
    )
    assert (by_name["Check edited after reading"]["unread_recordings"],) == (1,)

    # A longer setting: the recordings of 20 and 25 November are no longer old enough.
    world.service.recordings_unread_days = 20
    world.service.save()
    assert _mine(_rows(client, "unread-recordings")) == ["Check edited after reading"]


@pytest.mark.parametrize("today", [dt.date(2026, 9, 10)], indirect=True)
def test_the_day_a_recording_was_written_is_the_day_in_london(today: Any, world: Any, client: Any) -> None:
    """Thursday 10 September 2026, in British Summer Time (UTC+1): 14 days ago is 27 August.

    Written at 00:30 on 27 August in London (23:30 on 26 August in UTC): 14 days ago, not listed.
    Written at 23:30 on 26 August in London: 15 days ago, listed.
    """
    just_after = household(world, "after midnight")
    recording(world, placed(world, just_after, "After"), dt.datetime(2026, 8, 27, 0, 30, tzinfo=LONDON))
    just_before = household(world, "before midnight")
    recording(world, placed(world, just_before, "Before"), dt.datetime(2026, 8, 26, 23, 30, tzinfo=LONDON))
    rows = _rows(sign_in(client, world.frank), "unread-recordings")
    assert _mine(rows) == ["Check before midnight"]
    assert [row["oldest_written_on"] for row in rows if row["household_name"] == "Check before midnight"] == [
        dt.date(2026, 8, 26)
    ]


def test_a_read_counts_for_the_revision_read_and_only_ever_raises_the_recordings_read_revision(
    today: Any, world: Any, client: Any
) -> None:
    """Recording.read_revision is the latest revision read; `unread` is worked out from it."""
    home = household(world, "edited twice")
    written = recording(world, placed(world, home, "Edited"), _at(dt.date(2026, 10, 1)), revision=2)

    def state() -> tuple[int, int | None, bool]:
        written.refresh_from_db()
        return (written.revision, written.read_revision, written.unread)

    assert state() == (2, None, True)
    RecordingRead.objects.create(recording=written, revision=1, reader=world.sam)
    # Read at an older revision: still unread, and listed.
    assert state() == (2, 1, True)
    sign_in(client, world.frank)
    assert "Check edited twice" in _mine(_rows(client, "unread-recordings"))
    RecordingRead.objects.create(recording=written, revision=2, reader=world.frank)
    assert state() == (2, 2, False)
    assert "Check edited twice" not in _mine(_rows(client, "unread-recordings"))
    # A late read of the older revision, saved afterwards, does not lower it.
    RecordingRead.objects.filter(recording=written, revision=1).delete()
    RecordingRead.objects.create(recording=written, revision=1, reader=world.sam)
    assert state() == (2, 2, False)
    # The carer edits it again: revision 3, nobody has read it, listed again.
    Recording.objects.filter(pk=written.pk).update(revision=3)
    assert state() == (3, 2, True)
    assert "Check edited twice" in _mine(_rows(client, "unread-recordings"))


def test_reading_and_editing_through_the_services_keep_the_check_right(
    today: Any, world: Any, client: Any
) -> None:
    """The shared world's recording about Xavier (Patel household, its only recording), written
    today; 15 days later it is old enough to count. Sam reads it: none unread. Carol edits it:
    one unread again. Sam reads the new version: none."""
    from safecare.supervision import services

    today.shift(dt.timedelta(days=15))
    sign_in(client, world.frank)

    def patel() -> int:
        rows = _rows(client, "unread-recordings")
        return sum(r["unread_recordings"] for r in rows if r["household_id"] == world.household_own.pk)

    assert patel() == 1
    services.recordings_mark_read(actor=world.sam, recordings=[world.recording_own])
    assert patel() == 0
    services.recording_update(actor=world.carol, recording=world.recording_own, text="Football, then tea.")
    assert patel() == 1
    services.recordings_mark_read(actor=world.sam, recordings=[world.recording_own])
    assert patel() == 0


def test_the_migration_fills_read_revision_from_the_reads_already_made(today: Any, world: Any) -> None:
    """Read at revisions 1 and 2: 2. Read at 1 only: 1. Never read: none."""
    import importlib

    from django.db import connection as db

    migration = importlib.import_module("safecare.supervision.migrations.0004_recording_read_revision")
    home = household(world, "migrated")
    placement = placed(world, home, "Migrated")
    both = recording(world, placement, _at(dt.date(2026, 10, 1)), revision=2)
    old = recording(world, placement, _at(dt.date(2026, 10, 2)), revision=2)
    never = recording(world, placement, _at(dt.date(2026, 10, 3)))
    for pk, revision in [(both.pk, 1), (both.pk, 2), (old.pk, 1)]:
        RecordingRead.objects.create(recording_id=pk, revision=revision, reader=world.sam)
    Recording.objects.filter(pk__in=[both.pk, old.pk, never.pk]).update(read_revision=None)
    with db.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    found = dict(
        Recording.objects.filter(pk__in=[both.pk, old.pk, never.pk]).values_list("pk", "read_revision")
    )
    assert found == {both.pk: 2, old.pk: 1, never.pk: None}
    assert set(Recording.objects.filter(pk__in=[both.pk, old.pk, never.pk], unread=True)) == {old, never}


# SC-4, SC-5 ----------------------------------------------------------------------------------


def test_agreement_reviews_lists_agreements_whose_review_date_has_passed(
    today: Any, world: Any, client: Any
) -> None:
    thirteen = household(world, "thirteen months")
    agreement(world, thirteen, dt.date(2025, 11, 10))
    day_after = household(world, "due yesterday")
    agreement(world, day_after, dt.date(2025, 12, 9))
    due_today = household(world, "due today")
    agreement(world, due_today, dt.date(2025, 12, 10))
    eleven = household(world, "eleven months")
    agreement(world, eleven, dt.date(2026, 1, 10))
    child_home = household(world, "child agreement")
    agreement(world, child_home, dt.date(2026, 6, 1))
    agreement(world, child_home, dt.date(2025, 10, 1), placed(world, child_home, "Olive"))
    none_in_force = household(world, "unsigned")
    agreement(world, none_in_force, None)
    applicant = household(world, "applicant", status="in_assessment")
    agreement(world, applicant, dt.date(2025, 1, 1))
    south = household(world, "south", service=world.south, team=None)
    agreement(world, south, dt.date(2025, 1, 1))

    rows = [row for row in _rows(sign_in(client, world.frank), "agreement-reviews")]
    mine = [
        (row["household_name"], row["child_name"], row["in_force_on"], row["due_on"])
        for row in rows
        if row["household_name"].startswith("Check ")
    ]
    assert mine == [
        ("Check unsigned", "", None, None),
        ("Check child agreement", "Olive Check", dt.date(2025, 10, 1), dt.date(2026, 10, 1)),
        ("Check thirteen months", "", dt.date(2025, 11, 10), dt.date(2026, 11, 10)),
        ("Check due yesterday", "", dt.date(2025, 12, 9), dt.date(2026, 12, 9)),
    ]
    assert not [row for row in rows if row["household_name"] == "Check south"]

    world.service.scfa_review_months = 11
    world.service.save()
    names = _mine(_rows(client, "agreement-reviews"))
    assert "Check eleven months" not in names  # due 10 December 2026: today
    assert "Check due today" in names


def test_child_agreements_lists_children_placed_without_one_in_force(
    today: Any, world: Any, client: Any
) -> None:
    home = household(world, "placements")
    without = placed(world, home, "Without", dt.date(2026, 11, 30))
    with_one = placed(world, home, "With")
    agreement(world, home, dt.date(2026, 9, 1), with_one)
    unsigned = placed(world, home, "Unsigned", dt.date(2026, 10, 1))
    agreement(world, home, None, unsigned)
    ended = placed(world, home, "Ended", dt.date(2026, 1, 5))
    ended.end_on, ended.end_reason = dt.date(2026, 6, 1), "return_home"
    ended.save()
    south = household(world, "south", service=world.south, team=None)
    placed(world, south, "South")

    rows = _rows(sign_in(client, world.frank), "child-agreements")
    mine = [
        (row["child_name"], row["placed_on"], row["days_since_placed"])
        for row in rows
        if "Check" in row["child_name"]
    ]
    assert mine == [
        ("Unsigned Check", dt.date(2026, 10, 1), 70),
        ("Without Check", dt.date(2026, 11, 30), 10),
    ]
    assert without.child_id in {row["child_id"] for row in rows}


# DV ------------------------------------------------------------------------------------------


def test_devices_lists_those_whose_verdict_is_not_allowed(today: Any, world: Any, client: Any) -> None:
    home = household(world, "devices")
    allowed = device(world, home, "Kitchen", RoomKind.COMMUNAL, DeviceType.SMART_SPEAKER, records_audio=True)
    prohibited = device(
        world, home, "Bathroom", RoomKind.BATHROOM, DeviceType.SMART_SPEAKER, records_audio=True
    )
    removed = device(world, home, "Landing", RoomKind.BATHROOM, DeviceType.SMART_SPEAKER, records_audio=True)
    removed.status, removed.removed_on = "removed", dt.date(2026, 2, 1)
    removed.save()
    south = household(world, "south", service=world.south, team=None)
    device(world, south, "Bathroom", RoomKind.BATHROOM, DeviceType.SMART_SPEAKER, records_audio=True)

    rows = _rows(sign_in(client, world.frank), "devices")
    mine = [
        (row["device_id"], row["verdict"], row["rule_id"])
        for row in rows
        if row["household_name"] == "Check devices"
    ]
    assert mine == [(prohibited.pk, "prohibited", "DV-3")]
    assert allowed.pk not in {row["device_id"] for row in rows}
    assert not [row for row in rows if row["household_name"] == "Check south"]


def test_a_baby_monitor_is_judged_by_whether_the_baby_still_lives_here(
    today: Any, world: Any, client: Any
) -> None:
    """DV-3, DV-9: a baby monitor (sound only) in a child's bedroom is allowed for the baby who
    sleeps there; once that baby has moved out it is a microphone in a child's bedroom,
    prohibited by DV-3. Born 1 September 2026 (3 months old), moved out on 1 December 2026.

    The check reads only some of the household's members' columns: the page still costs its
    8 queries, whatever it reads of the baby."""
    from safecare.households.models import MemberKind
    from tests.factories import MemberFactory

    home = household(world, "baby monitors")
    here = MemberFactory(household=home, kind=MemberKind.CARERS_CHILD, date_of_birth=dt.date(2026, 9, 1))
    gone = MemberFactory(
        household=home,
        kind=MemberKind.CARERS_CHILD,
        date_of_birth=dt.date(2026, 9, 1),
        moved_out_on=dt.date(2026, 12, 1),
    )
    monitors = {
        name: device(
            world,
            home,
            f"{name} nursery",
            RoomKind.CHILD_BEDROOM,
            DeviceType.BABY_MONITOR,
            records_video=False,
            records_audio=True,
            purpose=Purpose.SLEEPING_CHILD,
            monitored_member=member,
            monitored_sleeps_here=True,
        )
        for name, member in (("Here", here), ("Gone", gone))
    }
    sign_in(client, world.frank)
    url = reverse("compliance:check", kwargs={"check": "devices"})
    client.get(url)  # works the stored levels out (decision 0062)
    # Levels current: find none to work out and count in one pass, read a page; with the session,
    # the user, her second factor and the access log, 6.
    assert _queries(client, url) == 6
    rows = _rows(client, "devices")
    mine = [
        (row["device_id"], row["verdict"], row["rule_id"]) for row in rows if row["household_id"] == home.pk
    ]
    assert mine == [(monitors["Gone"].pk, "prohibited", "DV-3")]


# Who runs them -------------------------------------------------------------------------------


SLUGS = ["supervision", "unread-recordings", "agreement-reviews", "child-agreements", "devices"]


def _one_of_each(world: Any, team: Any, name: str) -> Household:
    """A household in `team` listed by every check."""
    home = household(world, name, team=team)
    supervised(world, home, dt.date(2026, 1, 5))
    p = placed(world, home, name.split()[-1].title())
    recording(world, p, _at(dt.date(2026, 10, 1)))
    agreement(world, home, dt.date(2025, 1, 5))
    device(world, home, "Bathroom", RoomKind.BATHROOM, DeviceType.SMART_SPEAKER, records_audio=True)
    return home


@pytest.mark.parametrize("slug", SLUGS)
def test_a_team_manager_sees_only_her_teams_households(
    today: Any, world: Any, client: Any, slug: str
) -> None:
    ours = _one_of_each(world, world.fostering_team, "ours")
    theirs = _one_of_each(world, world.other_fostering_team, "theirs")
    listed = {row["household_id"] for row in _rows(sign_in(client, world.fiona), slug)}
    assert ours.pk in listed and theirs.pk not in listed
    assert {h for h in listed} <= set(
        Household.objects.filter(team=world.fostering_team).values_list("pk", flat=True)
    )
    listed = {row["household_id"] for row in _rows(sign_in(client, world.helen), slug)}
    assert {ours.pk, theirs.pk} <= listed


@pytest.mark.parametrize(
    "username", ["carol", "sam", "bella", "chris", "tom", "sue", "asha", "ada", "pat", "adam"]
)
def test_everyone_else_gets_404(world: Any, client: Any, username: str) -> None:
    sign_in(client, world.users[username])
    assert client.get(reverse("compliance:checks")).status_code == 404
    for slug in SLUGS:
        assert client.get(reverse("compliance:check", kwargs={"check": slug})).status_code == 404


def test_a_check_that_does_not_exist_is_404(world: Any, client: Any) -> None:
    sign_in(client, world.frank)
    assert client.get(reverse("compliance:check", kwargs={"check": "nothing"})).status_code == 404


def test_olga_of_south_sees_only_south(today: Any, world: Any, client: Any) -> None:
    north = _one_of_each(world, world.fostering_team, "north")
    for slug in SLUGS:
        listed = {row["household_id"] for row in _rows(sign_in(client, world.olga), slug)}
        assert north.pk not in listed
        assert listed <= set(Household.objects.filter(service=world.south).values_list("pk", flat=True))


# The index and what the pages cost ------------------------------------------------------------


def test_the_index_counts_each_check(today: Any, world: Any, client: Any) -> None:
    sign_in(client, world.fiona)
    before = client.get(reverse("compliance:checks")).context["rows"]
    _one_of_each(world, world.fostering_team, "ours")
    _one_of_each(world, world.other_fostering_team, "theirs")
    after = client.get(reverse("compliance:checks")).context["rows"]
    # Fiona's team's household is one more in each count; the devices are counted on their page only.
    assert [row["count"] - was["count"] for row, was in zip(after[:4], before, strict=False)] == [1, 1, 1, 1]
    assert after[4]["count"] is None
    assert [row["check"].slug for row in after] == SLUGS
    response = client.get(reverse("compliance:checks"))
    assert "Supervision every 6 weeks" in response.content.decode()
    for slug in SLUGS[:4]:
        count = next(row["count"] for row in after if row["check"].slug == slug)
        assert (
            count
            == client.get(reverse("compliance:check", kwargs={"check": slug}))
            .context["page_obj"]
            .paginator.count
        )


def agreed_exception(world: Any) -> None:
    """The CCTV request of household_own (tests/devices/world.py), agreed by the decider."""
    from safecare.devices.models import CctvDecision, RequestStatus

    request = world.cctv_request_own
    request.status = RequestStatus.AGREED
    request.save()
    report = request.reports.get()
    CctvDecision.objects.create(
        report=report,
        service=world.service,
        agreed=True,
        decided_by=world.helen,
        decider_role="head_of_fostering",
    )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _one_size(world: Any, client: Any, urls: list[str]) -> list[int]:
    """Each page's queries, then the devices page's just after a change to the own household
    (its CCTV request saved), when it works the stored levels out again."""
    world.cctv_request_own.save()
    devices = _queries(client, urls[-1])
    return [_queries(client, url) for url in urls] + [devices]


def _measure(world: Any, client: Any, *, exception: bool) -> tuple[list[int], list[int], list[str]]:
    sign_in(client, world.frank)
    if exception:
        agreed_exception(world)
    urls = [reverse("compliance:checks")] + [reverse("compliance:check", kwargs={"check": s}) for s in SLUGS]
    for n in range(2):
        _one_of_each(world, world.fostering_team, f"small {n}")
    client.get(urls[0])  # the first request after signing in also saves the session
    small = _one_size(world, client, urls)
    for n in range(38):
        _one_of_each(world, world.fostering_team if n % 2 else world.other_fostering_team, f"large {n}")
    large = _one_size(world, client, urls)
    return small, large, [*urls, "devices, after a change"]


def test_every_page_costs_the_same_few_queries_with_2_or_40_households(
    today: Any, world: Any, client: Any
) -> None:
    small, large, urls = _measure(world, client, exception=False)
    assert small == large
    # The index counts four checks in one query: 4 with the session, the user and her second
    # factor. Each check's page: 6. The devices' page: find no stored level to work out again
    # and count, in one pass (decision 0062), read a page: 6. Just after a change it works the
    # changed households' levels out again: the pass that finds them stale, the devices to work
    # out (with the count), the placements and arrivals, the agreed exceptions (with what each
    # covers), the levels written, the page: 10.
    assert large == [4, 6, 6, 6, 6, 6, 10], dict(zip(urls, large, strict=True))


def test_the_devices_page_with_an_agreed_cctv_exception_costs_the_same_with_2_or_40_households(
    today: Any, world: Any, client: Any
) -> None:
    """An agreed exception is read with the children and devices it covers, in the same query as
    the exceptions (devices.assessment.contexts): no more queries, whatever the number of
    households."""
    small, large, urls = _measure(world, client, exception=True)
    assert small == large
    assert large == [4, 6, 6, 6, 6, 6, 10], dict(zip(urls, large, strict=True))


def test_each_page_writes_one_access_log_row_naming_what_it_lists(
    today: Any, world: Any, client: Any
) -> None:
    for n in range(3):
        _one_of_each(world, world.fostering_team, f"logged {n}")
    sign_in(client, world.fiona)
    kinds = {
        "supervision": "household",
        "unread-recordings": "household",
        "agreement-reviews": "household",
        "child-agreements": "child",
        "devices": "device",
    }
    for slug, kind in kinds.items():
        last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        rows = _rows(client, slug)
        key = {"household": "household_id", "child": "child_id", "device": "device_id"}[kind]
        logged = list(AccessLog.objects.filter(id__gt=last))
        assert len(logged) == 1, slug
        assert (logged[0].subject_type, logged[0].listed_ids, logged[0].user_id) == (
            kind,
            [row[key] for row in rows],
            world.fiona.pk,
        )


def test_the_page_says_what_it_lists_and_links_the_setting(today: Any, world: Any, client: Any) -> None:
    sign_in(client, world.harry)
    page = client.get(reverse("compliance:check", kwargs={"check": "supervision"})).content.decode()
    assert "Supervision every 6 weeks (service setting" in page
    assert "SC-10" in page
    page = client.get(reverse("compliance:check", kwargs={"check": "unread-recordings"})).content.decode()
    assert "Recordings unread for more than 14 days" in page and "SC-7" in page
    assert (
        f'href="{reverse("settings:edit")}">change the service settings</a>' in page
    )  # a head of service may
    sign_in(client, world.fiona)
    page = client.get(reverse("compliance:check", kwargs={"check": "supervision"})).content.decode()
    assert "Supervision every 6 weeks (service setting)." in page
    assert reverse("settings:edit") not in page  # a team manager does not


def test_pages_of_fifty(today: Any, world: Any, client: Any) -> None:
    for n in range(51):
        household(world, f"page {n:02d}", approved_on=dt.date(2026, 1, 5))
    sign_in(client, world.frank)
    first = _rows(client, "supervision")
    second = _rows(client, "supervision", page=2)
    assert len(first) == 50
    assert len(_mine(first)) + len(_mine(second)) == 51
