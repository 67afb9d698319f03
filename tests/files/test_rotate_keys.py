"""PH-4: `manage.py rotate_keys`. --rewrap moves every data key under a new master key (the old
one given meanwhile in SAFECARE_OLD_MASTER_KEYS, and dropped afterwards); --service and
--all-services give services new data keys and re-encrypt their files. Files read throughout.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from safecare.files import jobs_storage, storage
from safecare.files.models import ServiceKey, StoredFile
from safecare.files.storage import read, store
from tests.factories import ServiceFactory

from .test_storage import own_storage  # noqa: F401 - the fixture: a files folder of the test's own

pytestmark = pytest.mark.django_db

NEW_MASTER = base64.b64encode(os.urandom(32)).decode()


def rotate(*arguments: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *arguments, stdout=out)
    storage.forget_keys()
    return out.getvalue()


def fresh(stored: StoredFile) -> StoredFile:
    return StoredFile.objects.select_related("key").get(pk=stored.pk)


@pytest.fixture
def two_services():  # type: ignore[no-untyped-def]
    north, south = ServiceFactory(slug="north-x"), ServiceFactory(slug="south-x")
    files = {
        "north": [
            store(service=north, data=f"north {n}".encode(), content_type="text/plain") for n in range(3)
        ],
        "south": [store(service=south, data=b"south 0", content_type="text/plain")],
    }
    return north, south, files


def test_ph4_rewrap_moves_every_data_key_under_the_new_master_key(settings, two_services) -> None:
    _north, _south, files = two_services
    old_master = settings.SAFECARE_MASTER_KEY
    settings.SAFECARE_MASTER_KEY = NEW_MASTER
    storage.forget_keys()

    # Between the two steps: the old master key, named as old, still unwraps the keys.
    with override_settings(SAFECARE_OLD_MASTER_KEYS=[old_master]):
        assert read(fresh(files["north"][0])) == b"north 0"
        output = rotate("--rewrap")

    assert "Re-wrapped 2 service keys under the current master key." in output
    new_id = storage.master_id(base64.b64decode(NEW_MASTER))
    assert set(ServiceKey.objects.values_list("master_id", flat=True)) == {new_id}
    # The old master key dropped: every file still reads.
    settings.SAFECARE_OLD_MASTER_KEYS = []
    storage.forget_keys()
    assert [read(fresh(stored)) for stored in files["north"]] == [b"north 0", b"north 1", b"north 2"]
    assert read(fresh(files["south"][0])) == b"south 0"
    assert rotate("--rewrap").startswith("Re-wrapped 0 service keys")


def test_ph4_without_the_old_master_key_a_key_not_yet_rewrapped_says_what_to_do(
    settings, two_services
) -> None:
    _north, _south, files = two_services
    settings.SAFECARE_MASTER_KEY = NEW_MASTER
    storage.forget_keys()

    with pytest.raises(ImproperlyConfigured, match="put it in SAFECARE_OLD_MASTER_KEYS"):
        read(fresh(files["north"][0]))


def test_ph4_a_service_rotation_re_encrypts_its_files_under_a_new_key(
    own_storage,  # noqa: F811
    two_services,
    django_capture_on_commit_callbacks,
) -> None:
    north, south, files = two_services
    old_key = ServiceKey.objects.get(service=north)
    old_names = {stored.name for stored in files["north"]}
    old_raw = storage.unwrap(old_key)
    south_name = files["south"][0].name

    with django_capture_on_commit_callbacks(execute=True):
        output = rotate("--service", "north-x")

    assert "north-x: new data key, 3 files re-encrypted." in output
    old_key.refresh_from_db()
    assert old_key.retired_at is not None
    active = ServiceKey.objects.get(service=north, retired_at__isnull=True)
    assert storage.unwrap(active) != old_raw
    for number, stored in enumerate(files["north"]):
        now = fresh(stored)
        assert now.key == active
        assert now.name not in old_names
        assert read(now) == f"north {number}".encode()
    assert not any((own_storage / name).exists() for name in old_names)  # old blobs removed
    assert fresh(files["south"][0]).name == south_name  # the other service is untouched
    assert ServiceKey.objects.filter(service=south).count() == 1


def test_ph4_all_services_rotate_and_files_read(two_services, django_capture_on_commit_callbacks) -> None:
    _north, _south, files = two_services

    with django_capture_on_commit_callbacks(execute=True):
        output = rotate("--all-services")

    assert "2 services, 4 files re-encrypted." in output
    assert ServiceKey.objects.filter(retired_at__isnull=True).count() == 2
    assert ServiceKey.objects.filter(retired_at__isnull=False).count() == 2
    assert read(fresh(files["south"][0])) == b"south 0"
    assert [read(fresh(stored)) for stored in files["north"]] == [b"north 0", b"north 1", b"north 2"]


def test_ph4_rotate_keys_says_what_it_needs() -> None:
    with pytest.raises(CommandError, match="Say what to rotate"):
        rotate()
    with pytest.raises(CommandError, match="No service has the slug 'nowhere'"):
        rotate("--service", "nowhere")


def test_ph4_a_blob_from_before_a_rotation_is_swept_once_no_row_names_it(
    own_storage: Path,  # noqa: F811
    two_services,
) -> None:
    """A rotation that stopped before removing an old blob leaves it to the daily sweep."""
    _north, _south, files = two_services
    old = own_storage / files["south"][0].name
    rotate("--service", "south-x")  # the removal after the commit never ran in this test
    assert old.exists()

    assert jobs_storage.sweep_orphans(timezone.now() + dt.timedelta(hours=2)) == 1
    assert not old.exists()
    assert read(fresh(files["south"][0])) == b"south 0"
