"""DP-2: the pages of records past their retention period, for the named role only (decision 0048)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog
from safecare.files import services_retention as retention
from safecare.files.models import Erasure, RetentionCase, RetentionStatus
from safecare.households.models import Child
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _case(world: Any) -> tuple[Child, RetentionCase]:
    child = ChildFactory(
        service=world.service, first_name="Ophelia", last_name="Quist", date_of_birth=dt.date(1950, 5, 1)
    )
    [case] = [c for c in retention.review(timezone.localdate()) if c.subject_id == child.pk]
    return child, case


def test_dp2_the_list_names_a_reference_never_a_name(world: Any, client_for: Any) -> None:
    _child, case = _case(world)
    page = client_for(world.harry).get(reverse("files:retention_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert case.label in text and "Ophelia" not in text and "Quist" not in text
    log = AccessLog.objects.order_by("-id").first()
    assert log is not None and (log.subject_type, log.listed_ids) == ("retentioncase", [case.pk])


def test_dp2_the_case_page_says_what_deleting_removes(world: Any, client_for: Any) -> None:
    _child, case = _case(world)
    text = (
        client_for(world.harry)
        .get(reverse("files:retention_detail", kwargs={"pk": case.pk}))
        .content.decode()
    )
    assert "households_child: 1" in text and "Delete this record" in text and "Keep for now" in text
    assert "Ophelia" not in text


def test_dp2_deleting_needs_the_confirmation_box(world: Any, client_for: Any) -> None:
    child, case = _case(world)
    client = client_for(world.harry)
    url = reverse("files:retention_erase", kwargs={"pk": case.pk})
    page = client.post(url, {"reason": "Past its period."})
    assert (
        page.status_code == 200
        and "Confirm that the record should be deleted for good" in page.content.decode()
    )
    assert Child.objects.filter(pk=child.pk).exists()
    response = client.post(url, {"reason": "Past its period.", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("files:retention_list")
    assert not Child.objects.filter(pk=child.pk).exists()
    case.refresh_from_db()
    assert case.status == RetentionStatus.ERASED and case.reason == "Past its period."
    assert Erasure.objects.filter(case=case, decided_by=world.harry).exists()


def test_dp2_keeping_needs_a_reason_kept_on_the_form(world: Any, client_for: Any) -> None:
    child, case = _case(world)
    client = client_for(world.harry)
    url = reverse("files:retention_keep", kwargs={"pk": case.pk})
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200 and "Why keep it" in page.content.decode()
    response = client.post(url, {"reason": "A court case is open."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RetentionStatus.KEPT and Child.objects.filter(pk=child.pk).exists()


def test_dp2_another_role_gets_404_and_deletes_nothing(world: Any, client_for: Any) -> None:
    child, case = _case(world)
    for user in (world.helen, world.frank, world.sue, world.sam, world.carol, world.olga):
        client = client_for(user)
        if user != world.olga:
            assert client.get(reverse("files:retention_list")).status_code == 404
        assert client.get(reverse("files:retention_detail", kwargs={"pk": case.pk})).status_code == 404
        erase = reverse("files:retention_erase", kwargs={"pk": case.pk})
        assert client.post(erase, {"confirm": "on"}).status_code == 404
    assert Child.objects.filter(pk=child.pk).exists()


def test_dp2_the_list_reads_a_constant_number_of_queries(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.harry)
    _case(world)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("files:retention_list"))
    for year in range(1930, 1935):
        ChildFactory(service=world.service, date_of_birth=dt.date(year, 1, 1))
    retention.review(timezone.localdate())
    assert RetentionCase.objects.count() == 6
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("files:retention_list"))
