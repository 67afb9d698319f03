"""PH-3 to PH-6 through the API: photo details (never the image, nor its address), photo rules,
loss reports (a carer reports one, with the page's alerts and tasks) and keep requests; scoped
as the pages and logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safecare.core.models import AccessLog, Task
from safecare.files.duties import LOSS
from safecare.files.models import LossReport

from .test_photo_upload import rules_for, upload

pytestmark = pytest.mark.django_db


def test_ph4_photo_details_never_carry_the_image_or_an_address(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    photo = upload(world, caption="Park")
    for user in (world.carol, world.chris):
        listed = client_for(user).get("/api/v1/photos/").json()["results"]
        assert [p["id"] for p in listed] == [photo.pk]
        text = str(listed)
        assert "url" not in text and "file" not in text and "/photos/" not in text
    detail = client_for(world.carol).get(f"/api/v1/photos/{photo.pk}/")
    assert detail.status_code == 200 and detail.json()["caption"] == "Park"
    assert AccessLog.objects.filter(subject_type="photo", subject_id=photo.pk, via_api=True).exists()
    assert client_for(world.oscar).get(f"/api/v1/photos/{photo.pk}/").status_code == 404
    assert client_for(world.olga).get(f"/api/v1/photos/{photo.pk}/").status_code == 404


def test_ph3_photo_rules_read_by_the_carer_and_the_csw(world, client_for) -> None:
    rules = rules_for(world.child_own, by=world.chris)
    for user in (world.carol, world.chris):
        response = client_for(user).get(f"/api/v1/photo-rules/?child={world.child_own.pk}")
        assert [r["id"] for r in response.json()["results"]] == [rules.pk]
    assert client_for(world.oscar).get(f"/api/v1/photo-rules/{rules.pk}/").status_code == 404


def test_ph6_a_carer_reports_a_loss_through_the_api(world, client_for) -> None:
    client = client_for(world.carol)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        "/api/v1/loss-reports/",
        {
            "what": "camera",
            "kind": "lost",
            "happened_on": yesterday.isoformat(),
            "children": [world.child_own.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["children"] == [world.child_own.pk]
    assert Task.objects.get(kind=LOSS).due_on == timezone.localdate()
    refused = client.post(
        "/api/v1/loss-reports/",
        {
            "what": "camera",
            "kind": "lost",
            "happened_on": yesterday.isoformat(),
            "children": [world.child_other.pk],
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "children" in refused.json()
    assert client_for(world.chris).post(
        "/api/v1/loss-reports/", {}, content_type="application/json"
    ).status_code in (
        403,
        404,
    )
    assert [r["id"] for r in client_for(world.chris).get("/api/v1/loss-reports/").json()["results"]] == [
        LossReport.objects.get().pk
    ]
    assert client_for(world.oscar).get("/api/v1/loss-reports/").json()["results"] == []


def test_ph5_keep_requests_listed_for_the_carer_and_the_ssw(world, client_for) -> None:
    from safecare.files import services_photos as services

    rules_for(world.child_own, by=world.chris)
    photo = upload(world)
    made = services.keep_request_make(
        actor=world.carol, child=world.child_own, photos=[photo], reason="Holiday."
    )
    for user in (world.carol, world.sam):
        listed = client_for(user).get("/api/v1/keep-requests/").json()["results"]
        assert [(r["id"], r["photos"]) for r in listed] == [(made.pk, [photo.pk])]
    assert client_for(world.oscar).get(f"/api/v1/keep-requests/{made.pk}/").status_code == 404
