"""PH-4, PH-5: who sees a child's photos, how they are served (never cached, inline for carers,
downloaded by staff only, no public address), every view in the access log, and the photo
pages' query counts, the same whatever the number of photos."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safecare.core.models import AccessLog
from safecare.files.models import Photo
from safecare.households import services as household_services
from safecare.households.models import Allocation, PlacementEndReason

from .test_photo_upload import rules_for, upload

pytestmark = pytest.mark.django_db


def _photos_url(child: Any) -> str:
    return reverse("files:child_photos", kwargs={"pk": child.pk})


def _image(photo: Photo, name: str = "files:photo_image") -> str:
    return reverse(name, kwargs={"pk": photo.pk})


def _end(world: Any) -> None:
    household_services.placement_end(
        actor=world.chris,
        placement=world.placement_own,
        end_on=timezone.localdate(),
        end_reason=PlacementEndReason.RETURN_HOME,
    )


def test_ph4_a_photo_is_served_never_cached_inline_to_carers_and_logged(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    photo = upload(world, caption="Beach")
    carol = client_for(world.carol)
    before = AccessLog.objects.filter(subject_type="photo", subject_id=photo.pk).count()
    response = carol.get(_image(photo))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    thumb = carol.get(_image(photo, "files:photo_thumbnail"))
    assert thumb.status_code == 200 and "no-store" in thumb["Cache-Control"]
    assert (
        AccessLog.objects.filter(subject_type="photo", subject_id=photo.pk, user=world.carol).count()
        == before + 2
    )
    assert carol.get(_image(photo, "files:photo_download")).status_code == 404  # carers never get a file
    page = carol.get(_photos_url(world.child_own)).content.decode()
    assert "download" not in page.lower()
    assert _image(photo, "files:photo_thumbnail") in page


def test_ph4_staff_may_download(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    photo = upload(world)
    response = client_for(world.chris).get(_image(photo, "files:photo_download"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_ph4_no_public_address_a_signed_out_visitor_is_sent_to_sign_in(world, client) -> None:
    rules_for(world.child_own, by=world.chris)
    photo = upload(world)
    for name in ("files:photo_image", "files:photo_thumbnail", "files:photo_download"):
        response = client.get(_image(photo, name))
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("who", ["oscar", "olga", "asha", "bella"])
def test_ph4_a_carer_of_another_household_and_another_service_get_404(world, client_for, who) -> None:
    rules_for(world.child_own, by=world.chris)
    photo = upload(world)
    client = client_for(world.users[who])
    assert client.get(_image(photo)).status_code == 404
    assert client.get(_photos_url(world.child_own)).status_code == 404


def test_ph5_after_the_end_the_csw_still_gets_the_photos_the_carer_only_the_kept(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    kept, passed = upload(world, caption="Kept"), upload(world, caption="Passed")
    Photo.objects.filter(pk=kept.pk).update(kept=True)
    _end(world)
    carol = client_for(world.carol)
    page = carol.get(_photos_url(world.child_own))
    assert page.status_code == 200
    assert [p.pk for p in page.context["photos"]] == [kept.pk]
    assert carol.get(_image(passed)).status_code == 404
    assert carol.get(_image(kept)).status_code == 200
    chris = client_for(world.chris)
    assert chris.get(_image(passed)).status_code == 200
    assert {p.pk for p in chris.get(_photos_url(world.child_own)).context["photos"]} == {kept.pk, passed.pk}


def test_ph5_a_csw_whose_allocation_ended_gets_404(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    photo = upload(world)
    _end(world)
    Allocation.objects.filter(child=world.child_own, worker=world.chris).update(ended_at=timezone.now())
    chris = client_for(world.chris)
    assert chris.get(_image(photo)).status_code == 404
    assert chris.get(_photos_url(world.child_own)).status_code == 404


def test_ph4_the_photos_page_logs_the_child_and_the_photos_listed(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    photos = [upload(world), upload(world)]
    client_for(world.sam).get(_photos_url(world.child_own))
    listed = AccessLog.objects.filter(user=world.sam, subject_type="photo", subject_id=None).get()
    assert sorted(listed.listed_ids) == sorted(p.pk for p in photos)
    assert AccessLog.objects.filter(
        user=world.sam, subject_type="child", subject_id=world.child_own.pk
    ).exists()


# Query counts -------------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["carol", "chris", "sam"])
def test_ph4_the_photos_page_costs_the_same_whatever_the_number_of_photos(
    world, client_for, django_assert_max_num_queries, who
) -> None:
    from safecare.files import services_photos as services

    rules_for(world.child_own, by=world.chris)
    client = client_for(world.users[who])
    url = _photos_url(world.child_own)
    first = upload(world)
    services.keep_request_make(actor=world.carol, child=world.child_own, photos=[first], reason="Birthday.")
    client.get(url)  # the first request of a session reads the session and the account once
    one = _queries(client, url)
    more = [upload(world) for _ in range(5)]
    services.keep_request_make(actor=world.carol, child=world.child_own, photos=more[:3], reason="Holiday.")
    with django_assert_max_num_queries(one):
        response = client.get(url)
    assert len(response.context["photos"]) == 6 and len(response.context["keep_requests"]) == 2


def test_ph5_the_handover_page_costs_the_same_whatever_the_number_of_photos(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    upload(world)
    _end(world)
    from safecare.files.models import Handover

    url = reverse("files:handover", kwargs={"pk": Handover.objects.get().pk})
    chris = client_for(world.chris)
    chris.get(url)  # the first request of a session reads the session and the account once
    one = _queries(chris, url)
    Photo.objects.bulk_create(
        [
            Photo(
                service=p.service,
                child=p.child,
                household=p.household,
                file=p.file,
                width=1,
                height=1,
                uploaded_by=p.uploaded_by,
                rules_confirmed_at=p.rules_confirmed_at,
                uploaded_at=p.uploaded_at - dt.timedelta(minutes=i + 1),
            )
            for i, p in enumerate([Photo.objects.get()] * 6)
        ]
    )
    assert _queries(chris, url) == one
