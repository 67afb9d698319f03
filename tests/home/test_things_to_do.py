"""A foster carer's "Things to do" on her home page: what waits for her, newest first.

The shared world gives Carol (carer of household_own): Xavier's agreement, version 1, not
signed by her; a completed supervision record held 14 days ago, not acknowledged; the lounge
camera's CCTV report being signed; the lounge camera on the register; and her request to
leave Xavier with Grandma Rose in 3 days, not answered.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecare.agreements.services import SCFA_PLACEMENT, version_create, version_sign
from safecare.core.audit import save_as
from safecare.devices.models import Device, DeviceType, Purpose, RoomKind
from safecare.home.things_to_do import things_to_do
from safecare.notices.models import ArrangementStatus, CareArrangement
from safecare.supervision.models import Supervision, SupervisionStatus
from safecare.supervision.services import supervision_acknowledge
from tests.agreements.world import sections
from tests.factories import HouseholdFactory, MemberFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

THURSDAY = "Thursday 3 December 2026"


def _texts(user) -> list[str]:  # type: ignore[no-untyped-def]
    return [thing.text for thing in things_to_do(user)]


@pytest.mark.parametrize("today", [THURSDAY], indirect=True)
def test_carol_is_shown_each_thing_waiting_for_her_in_plain_english(today, world) -> None:
    things = things_to_do(world.carol)
    by_text = {thing.text: thing for thing in things}
    assert set(by_text) == {
        "Sign Xavier's safer caring agreement",
        "Read and acknowledge the record of your supervision on Thursday 19 November 2026",
        "Read and sign the report asking for CCTV cameras inside your home",
        "CCTV camera in the lounge: You need the fostering service to agree an exception before you "
        "can have a camera inside your home. A camera is only ever agreed in a shared room, and never "
        "to watch the children.",
        "CCTV camera in the lounge: record how and when visitors are told there are cameras inside",
        "Wait for the service to agree before you leave Xavier with Grandma Rose on Sunday 6 December "
        "2026: your request has not been answered yet",
        "Write today's recording for Xavier",
    }
    version = world.child_agreement_version_own
    assert by_text["Sign Xavier's safer caring agreement"].url == f"/agreements/versions/{version.pk}/sign/"
    assert by_text["Read and sign the report asking for CCTV cameras inside your home"].url == (
        f"/cctv/{world.cctv_request_own.pk}/sign/"
    )
    wait = next(t for t in things if t.text.startswith("Wait for"))
    assert wait.url == f"/care-arrangements/{world.arrangement_own.pk}/"
    # No rule id is shown to a carer.
    assert not any(rule in thing.text for thing in things for rule in ("SC-", "DV-", "CX-"))


def test_only_her_own_household_is_listed(world) -> None:
    urls = {thing.url for thing in things_to_do(world.carol)}
    others = {thing.url for thing in things_to_do(world.oscar)}
    assert urls and others and not urls & others
    assert f"/cctv/{world.cctv_request_other.pk}/sign/" not in urls
    assert f"/care-arrangements/{world.arrangement_other.pk}/" not in urls
    assert f"/devices/{world.device_other.pk}/" not in urls


def test_staff_have_no_things_to_do_list(world) -> None:
    assert things_to_do(world.sam) == [] and things_to_do(world.helen) == []


@pytest.mark.parametrize("today", [THURSDAY], indirect=True)
def test_a_new_agreement_version_comes_first_with_its_due_date(today, world, client_for) -> None:
    TaskFactory(
        service=world.service,
        household=world.household_own,
        kind=SCFA_PLACEMENT,
        rule_id="SC-4",
        due_on=dt.date(2026, 12, 10),
    )
    today.shift(dt.timedelta(hours=1))
    version = version_create(
        actor=world.sam,
        agreement=world.agreement_own,
        sections=sections("Agreed again"),
        participants=world.household_own.members.all(),
        based_on=1,
    )
    first = things_to_do(world.carol)[0]
    assert first.text == "Sign the new version of your safer caring agreement"
    assert first.url == f"/agreements/versions/{version.pk}/sign/"
    assert first.due_on == dt.date(2026, 12, 10)
    assert first.due_label == "Thursday 10 December 2026"
    page = client_for(world.carol).get(reverse("home")).content.decode()
    assert page.index("Sign the new version of your safer caring agreement") < page.index(
        "Sign Xavier&#x27;s safer caring agreement"
    )
    assert "Due by Thursday 10 December 2026" in page


def test_done_things_leave_the_list(world) -> None:
    version_sign(actor=world.carol, version=world.child_agreement_version_own, confirmed=True)
    supervision = Supervision.objects.get(household=world.household_own, status=SupervisionStatus.COMPLETED)
    supervision_acknowledge(actor=world.carol, supervision=supervision)
    CareArrangement.objects.filter(pk=world.arrangement_own.pk).update(status=ArrangementStatus.CONSENTED)
    texts = _texts(world.carol)
    assert not any(t.startswith(("Sign", "Read and acknowledge", "Wait for")) for t in texts)
    # The other carers' things stay theirs.
    assert any(t.startswith("Sign") for t in _texts(world.oscar))


def test_the_home_page_shows_things_to_do_with_links_and_due_dates(world, client_for) -> None:
    page = client_for(world.carol).get(reverse("home")).content.decode()
    assert "Things to do" in page
    assert "Sign Xavier&#x27;s safer caring agreement" in page
    assert f'href="/agreements/versions/{world.child_agreement_version_own.pk}/sign/"' in page
    assert "You have nothing to do at the moment." not in page


def test_a_carer_with_nothing_to_do_is_told_so(world, client_for) -> None:
    household = HouseholdFactory(service=world.service, name="Quiet household", team=world.fostering_team)
    nadia = UserFactory(username="nadia", service=world.service, role="carer", first_name="Nadia")
    MemberFactory(household=household, user=nadia, first_name="Nadia", last_name="Quiet")
    assert things_to_do(nadia) == []
    page = client_for(nadia).get(reverse("home")).content.decode()
    assert "Things to do" in page and "You have nothing to do at the moment." in page


def _more_of_everything(world, round: int) -> None:  # type: ignore[no-untyped-def]
    household, sam = world.household_own, world.sam
    supervision = Supervision(
        service_id=household.service_id,
        household=household,
        held_on=timezone.localdate() - dt.timedelta(days=round),
        discussion="How the placement is going.",
        safe_care_discussion="Reviewed the agreement.",
        device_check_done=True,
        written_by=sam,
        status=SupervisionStatus.COMPLETED,
        completed_at=timezone.now(),
        completed_by=sam,
    )
    save_as(supervision, sam)
    starts = timezone.now() + dt.timedelta(days=2 + round)
    CareArrangement.objects.create(
        service=household.service,
        household=household,
        child=world.child_own,
        carer_name=f"Aunt number {round}",
        relationship="Aunt",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=5),
        reason="A trip to the cinema.",
        requested_by=world.carol,
    )
    Device.objects.create(
        service=household.service,
        household=household,
        device_type=DeviceType.CCTV_CAMERA,
        room=f"Kitchen {round}",
        room_kind=RoomKind.COMMUNAL,
        positioning="On the shelf",
        records_video=True,
        purpose=Purpose.HOUSEHOLD_SAFETY,
        declared_by=world.carol,
        needs_review=False,
    )


@pytest.mark.parametrize("today", [THURSDAY], indirect=True)
def test_sc7_todays_recording_is_to_do_until_it_is_written_for_each_child_placed(today, world) -> None:
    # SC-7: recordings are kept up to date throughout the placement; the record is a daily one.
    from safecare.supervision.models import Recording

    thing = next(t for t in things_to_do(world.carol) if t.text == "Write today's recording for Xavier")
    assert thing.url == f"/children/{world.child_own.pk}/recordings/new/"
    assert thing.due_on == dt.date(2026, 12, 3)
    placement = world.placement_own
    common = {
        "service": world.service,
        "household": world.household_own,
        "child": world.child_own,
        "placement": placement,
        "text": "A good day at school.",
        "written_by": world.carol,
    }
    Recording.objects.create(recorded_on=dt.date(2026, 12, 2), **common)  # yesterday's does not count
    assert "Write today's recording for Xavier" in _texts(world.carol)
    Recording.objects.create(recorded_on=dt.date(2026, 12, 3), **common)
    assert "Write today's recording for Xavier" not in _texts(world.carol)


def test_the_number_of_queries_does_not_grow_with_the_things_to_do(
    world, client_for, django_assert_num_queries
) -> None:
    _more_of_everything(world, 1)
    things_to_do(world.carol)  # once first: Django caches the content types for the process
    with CaptureQueriesContext(connection) as few:
        fewer = things_to_do(world.carol)
    for round in (2, 3, 4):
        _more_of_everything(world, round)
    version_create(
        actor=world.sam,
        agreement=world.agreement_own,
        sections=sections("Agreed again"),
        participants=world.household_own.members.all(),
        based_on=1,
    )
    with CaptureQueriesContext(connection) as many:
        more = things_to_do(world.carol)
    assert len(fewer) >= 8 and len(more) >= len(fewer) + 10
    # Her households, the children placed with her, every kind of thing to do in one query, and
    # the register's verdict on her devices (the devices, the agreed CCTV exceptions, when the
    # latest person moved in, the agreements in force): 7, whatever their number (decision 0059).
    assert len(many) == len(few) == 5, [q["sql"] for q in many.captured_queries]
    client = client_for(world.carol)
    client.get(reverse("home"))
    # The whole page, with 20 things to do: the session, the user, the two-factor device, and those 7.
    with django_assert_num_queries(8):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("room", "said"),
    [
        ("Lounge", " in the lounge"),
        ("Front door", " in the front door"),
        ("Mia's bedroom", " in Mia's bedroom"),
        ("The hallway", " in the hallway"),
        ("Outside the back door", " outside the back door"),
        ("", ""),
    ],
)
def test_a_device_is_placed_in_its_room_as_a_carer_would_say_it(room: str, said: str) -> None:
    from safecare.home.things_to_do import _where

    assert _where(room) == said
