"""Each reader sees only the children their role needs (rules: Who sees what; decision 0023).

The Patel household has two children placed: Xavier (the world's child, whose social
worker is Chris) and Yasmin, whose social worker is Wes. A CCTV report names both, and
a baby monitor watches Yasmin. Chris may open Xavier's record, not Yasmin's: where the
pages or the API must mention Yasmin to him, they say "Another child placed here",
with no date of birth and no social worker's comments about her. Those who sign and
decide the report (the SSW, the team manager, the head of fostering) see both, with
the dates of birth the policy's form asks for. Carers see first names.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.devices import services_cctv, services_register
from safecare.devices.models import DeviceType, Purpose, RoomKind
from tests.api.helpers import send, url
from tests.devices.helpers import draft, hallway_camera
from tests.factories import AllocationFactory, ChildFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db

ANOTHER = "Another child placed here"


@pytest.fixture
def yasmin(world):  # type: ignore[no-untyped-def]
    wes = UserFactory(username="wes", service=world.service, role="childs_sw", team=world.children_team)
    child = ChildFactory(
        service=world.service, first_name="Yasmin", last_name="Okoro", date_of_birth=dt.date(2015, 3, 14)
    )
    AllocationFactory(worker=wes, kind="childs", child=child)
    PlacementFactory(
        child=child, household=world.household_own, start_on=timezone.localdate() - dt.timedelta(days=20)
    )
    return child


@pytest.fixture
def report(world, yasmin):  # type: ignore[no-untyped-def]
    request = draft(world, hallway_camera(world))
    services_cctv.request_submit(actor=world.sam, request=request)
    wes = yasmin.allocations.get().worker
    services_cctv.report_consent(
        actor=wes, request=request, child=yasmin, agrees=False, comments="Yasmin is frightened of cameras."
    )
    return request


def test_the_childs_social_worker_sees_their_own_child_and_not_the_other(world, yasmin, report, client_for):
    page = client_for(world.chris).get(reverse("devices:request_detail", args=[report.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert world.child_own.full_name in text
    assert "Yasmin" not in text and "Okoro" not in text
    assert "14 March 2015" not in text and "14 Mar 2015" not in text
    assert "frightened of cameras" not in text
    assert ANOTHER in text


def test_the_supervising_social_worker_and_the_decider_see_every_child_named(
    world, yasmin, report, client_for
):
    for reader in (world.sam, world.helen):
        text = client_for(reader).get(reverse("devices:request_detail", args=[report.pk])).content.decode()
        assert "Yasmin Okoro" in text and world.child_own.full_name in text
        assert "frightened of cameras" in text


def test_the_api_names_another_child_without_their_id(world, yasmin, report, client_for):
    body = send(client_for(world.chris), "GET", url("cctv-request-detail", report.pk)).json()
    children = body["latest_report"]["children"]
    assert {"id": world.child_own.pk, "name": world.child_own.full_name} in children
    assert {"id": None, "name": ANOTHER} in children
    consents = body["latest_report"]["consents"]
    assert all(c["comments"] is None for c in consents if c["child"] == yasmin.pk)


def test_a_carer_reads_first_names_only(world, yasmin, report, client_for):
    body = send(client_for(world.carol), "GET", url("cctv-request-detail", report.pk)).json()
    children = body["latest_report"]["children"]
    assert sorted(c["name"] for c in children) == sorted(["Yasmin", world.child_own.first_name])


def test_a_monitor_for_another_child_does_not_name_her_to_the_childs_social_worker(world, yasmin, client_for):
    monitor = services_register.device_declare(
        actor=world.sam,
        household=world.household_own,
        device_type=DeviceType.BABY_MONITOR,
        room="Back bedroom",
        room_kind=RoomKind.CHILD_BEDROOM,
        positioning="On the shelf",
        records_audio=True,
        purpose=Purpose.SLEEPING_CHILD,
        monitored_child=yasmin,
        monitored_sleeps_here=True,
        monitoring_reason="Seizures at night",
        responsible_person="Carol Patel",
        retention_hours=0,
        members_told_on=timezone.localdate(),
    )
    path = reverse("devices:device_detail", args=[monitor.pk])
    chris_page = client_for(world.chris).get(path).content.decode()
    assert "Yasmin" not in chris_page and ANOTHER in chris_page
    assert "Yasmin" in client_for(world.sam).get(path).content.decode()
