"""PH-4 (with PH-3): a carer of the household the child is placed with now uploads photos of the
child after confirming the rules; each is cleaned and kept encrypted; no rules, no upload.

Helpers here (`jpeg`, `rules_for`, `upload`) are used by the other photo tests.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from safecare.files import services_photos as services
from safecare.files import storage
from safecare.files.models import Permission, Photo, PhotoRules

pytestmark = pytest.mark.django_db


def jpeg(colour: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def rules_for(child: Any, *, by: Any = None, wants_no_photos: bool = False) -> PhotoRules:
    """PH-3 rules as the placement planning meeting recorded them (straight to the table)."""
    return PhotoRules.objects.create(
        service=child.service,
        child=child,
        wants_no_photos=wants_no_photos,
        childs_views="Happy with photos at home; not at school."
        if not wants_no_photos
        else "Says no photos.",
        issues_from_birth_parents="No photos to be shared with anyone outside the family.",
        school_photos=Permission.NO,
        community_photos=Permission.YES,
        recorded_by=by or child.service.users.filter(role="childs_sw").first() or _any_user(child),
    )


def _any_user(child: Any) -> Any:
    from safecare.core.models import User

    return User.objects.filter(service=child.service).first()


def upload(world: Any, child: Any = None, carer: Any = None, **kwargs: Any) -> Photo:
    child = child or world.child_own
    values: dict[str, Any] = {"files": [(jpeg(), "IMG_0001.jpg")], "rules_confirmed": True, **kwargs}
    return services.photo_upload(actor=carer or world.carol, child=child, **values)[0]


def test_ph4_a_carer_uploads_a_photo_after_confirming_the_rules(world) -> None:
    rules_for(world.child_own, by=world.chris)
    before = timezone.now()
    photo = upload(world, caption="Sports day", taken_on=timezone.localdate())
    assert photo.household == world.household_own
    assert photo.child == world.child_own
    assert photo.caption == "Sports day"
    assert photo.rules_confirmed_at >= before
    assert photo.file.content_type == "image/jpeg"
    assert photo.history.count() == 1  # audited


def test_ph4_the_stored_blob_does_not_hold_the_photo(world) -> None:
    rules_for(world.child_own, by=world.chris)
    photo = upload(world)
    with storage.file_storage().open(photo.file.name, "rb") as handle:
        blob = handle.read()
    plain = storage.read(photo.file)
    assert plain[:3] == b"\xff\xd8\xff"  # a JPEG
    assert plain not in blob and plain[:64] not in blob and b"JFIF" not in blob
    assert blob.startswith(storage.MAGIC)
    assert "IMG_0001" not in photo.file.name  # the storage name says nothing of the file


def test_ph4_refused_without_the_rules_confirmed(world) -> None:
    rules_for(world.child_own, by=world.chris)
    with pytest.raises(ValidationError) as refused:
        upload(world, rules_confirmed=False)
    assert "rules_confirmed" in refused.value.message_dict
    assert "Confirm the rules" in refused.value.message_dict["rules_confirmed"][0]
    assert not Photo.objects.exists()


def test_ph3_no_rules_recorded_no_upload(world) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(world)
    assert refused.value.message_dict[NON_FIELD_ERRORS] == [
        "Xavier's social worker has not yet recorded the rules for photos of Xavier. "
        "Ask them before uploading photos."
    ]
    assert not Photo.objects.exists()


def test_ph3_a_child_who_does_not_want_photos_needs_the_childs_agreement_confirmed(world) -> None:
    rules_for(world.child_own, by=world.chris, wants_no_photos=True)
    with pytest.raises(ValidationError) as refused:
        upload(world)
    assert "child_agreed" in refused.value.message_dict
    assert upload(world, child_agreed=True).pk


def test_ph4_not_a_photo_is_refused_naming_the_field(world) -> None:
    rules_for(world.child_own, by=world.chris)
    with pytest.raises(ValidationError) as refused:
        upload(world, files=[(b"%PDF-1.4 not a photo", "notes.pdf")])
    assert refused.value.message_dict["photos"][0].startswith("Photo: ")


def test_ph4_the_date_taken_is_not_in_the_future(world) -> None:
    rules_for(world.child_own, by=world.chris)
    with pytest.raises(ValidationError) as refused:
        upload(world, taken_on=timezone.localdate() + dt.timedelta(days=1))
    assert "taken_on" in refused.value.message_dict


def test_ph4_several_photos_in_one_upload(world) -> None:
    rules_for(world.child_own, by=world.chris)
    photos = services.photo_upload(
        actor=world.carol,
        child=world.child_own,
        files=[(jpeg((1, 2, 3)), "a.jpg"), (jpeg((4, 5, 6)), "b.jpeg")],
        rules_confirmed=True,
    )
    assert len(photos) == 2 and Photo.objects.count() == 2


@pytest.mark.parametrize("who", ["oscar", "chris", "sam"])
def test_ph4_only_a_carer_of_the_childs_household_uploads(world, who) -> None:
    rules_for(world.child_own, by=world.chris)
    with pytest.raises(PermissionDenied):
        upload(world, carer=world.users[who])


def test_ph4_a_carer_whose_placement_ended_no_longer_uploads(world) -> None:
    rules_for(world.child_own, by=world.chris)
    world.placement_own.end_on = timezone.localdate()
    world.placement_own.end_reason = "planned_move"
    world.placement_own.save()
    with pytest.raises(PermissionDenied):
        upload(world)


# The page -------------------------------------------------------------------------------------


def _url(world: Any) -> str:
    return reverse("files:upload_photo", kwargs={"pk": world.child_own.pk})


def test_ph3_ph4_the_upload_page_lists_the_rules_and_says_first_when_the_child_wants_none(
    world, client_for
) -> None:
    rules_for(world.child_own, by=world.chris, wants_no_photos=True)
    page = client_for(world.carol).get(_url(world)).content.decode()
    warning = page.index("Xavier does not want photos taken")
    assert warning < page.index("The rules for every photo")
    assert "never put this photo" in page and "marketing" in page and "in the bath" in page
    assert 'enctype="multipart/form-data"' in page
    assert "Xavier agreed to this photo being taken and kept" in page
    assert "No photos to be shared with anyone outside the family." in page


def test_ph3_the_upload_page_says_to_ask_the_social_worker_when_no_rules(world, client_for) -> None:
    page = client_for(world.carol).get(_url(world)).content.decode()
    assert "Xavier&#x27;s social worker has not yet recorded the rules for photos of Xavier" in page
    assert 'type="file"' not in page


def test_ph4_the_page_uploads_and_keeps_the_caption_on_a_refusal(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    client = client_for(world.carol)
    refused = client.post(
        _url(world),
        {"caption": "At the beach", "photos": io.BytesIO(b"not an image")},
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "At the beach" in page  # what was typed is kept
    assert "There is a problem" in page and "Confirm the rules" in page
    good = io.BytesIO(jpeg())
    good.name = "photo.jpg"
    done = client.post(_url(world), {"caption": "At the beach", "photos": good, "rules_confirmed": "on"})
    assert done.status_code == 302
    assert Photo.objects.get().caption == "At the beach"


def test_ph4_several_photos_from_the_page_in_one_upload(world, client_for) -> None:
    rules_for(world.child_own, by=world.chris)
    files = []
    for i, colour in enumerate(((1, 2, 3), (200, 100, 50))):
        handle = io.BytesIO(jpeg(colour))
        handle.name = f"photo{i}.jpg"
        files.append(handle)
    done = client_for(world.carol).post(_url(world), {"photos": files, "rules_confirmed": "on"})
    assert done.status_code == 302
    assert Photo.objects.count() == 2


def test_ph3_staff_see_the_rules_and_the_way_to_change_them_on_the_photos_page(world, client_for) -> None:
    page = client_for(world.chris).get(reverse("files:child_photos", kwargs={"pk": world.child_own.pk}))
    text = page.content.decode()
    assert "No photo rules are recorded" in text and "Record the photo rules" in text
    rules_for(world.child_own, by=world.chris)
    text = (
        client_for(world.sue)
        .get(reverse("files:child_photos", kwargs={"pk": world.child_own.pk}))
        .content.decode()
    )
    assert "Photo rules (PH-3)" in text and "Record the photo rules" not in text  # sue sees, does not record
