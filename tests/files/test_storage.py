"""PH-4: files are held encrypted, under a key per service wrapped by the master key; a blob
altered or moved under another record is never served; an erased file is gone; a blob that
no record names (an upload rolled back) is swept away after an hour.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from safecare.core import jobs
from safecare.files import jobs_storage, storage
from safecare.files.models import ServiceKey, StoredFile
from safecare.files.storage import FileUnavailable, erase, read, store
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

MARKER = b"PH4-PLAINTEXT-MARKER Xavier's placement plan, 14 Acacia Road"


@pytest.fixture(autouse=True)
def own_storage(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A files folder of this test's own (the settings change clears Django's storages)."""
    folder = tmp_path / "files"
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "files": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(folder), "base_url": None},
            },
        }
    ):
        storage.forget_keys()
        yield folder
    storage.forget_keys()


def blob(folder: Path, stored: StoredFile) -> Path:
    return folder / stored.name


def test_ph4_the_stored_blob_holds_none_of_the_plaintext_and_reads_back(own_storage) -> None:
    service = ServiceFactory()

    stored = store(service=service, data=MARKER * 20, content_type="application/pdf", filename="plan.pdf")

    raw = blob(own_storage, stored).read_bytes()
    assert raw.startswith(storage.MAGIC)
    assert b"PH4-PLAINTEXT-MARKER" not in raw
    assert b"Acacia" not in raw
    assert "plan" not in stored.name  # the name says nothing of the file
    assert read(stored) == MARKER * 20
    assert (stored.size, stored.filename) == (len(MARKER) * 20, "plan.pdf")


def test_ph4_one_byte_altered_is_unavailable(own_storage) -> None:
    stored = store(service=ServiceFactory(), data=MARKER, content_type="text/plain")
    path = blob(own_storage, stored)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))

    with pytest.raises(FileUnavailable, match="altered"):
        read(stored)


def test_ph4_a_blob_moved_under_another_record_is_unavailable(own_storage) -> None:
    service = ServiceFactory()
    first = store(service=service, data=MARKER, content_type="text/plain")
    second = store(service=service, data=b"another file", content_type="text/plain")
    blob(own_storage, second).write_bytes(blob(own_storage, first).read_bytes())

    with pytest.raises(FileUnavailable, match="belongs to another record"):
        read(second)


def test_ph4_a_services_data_key_is_kept_only_wrapped_and_each_service_has_its_own() -> None:
    north, south = ServiceFactory(), ServiceFactory()
    store(service=north, data=MARKER, content_type="text/plain")
    store(service=south, data=MARKER, content_type="text/plain")

    north_key, south_key = ServiceKey.objects.get(service=north), ServiceKey.objects.get(service=south)
    north_raw, south_raw = storage.unwrap(north_key), storage.unwrap(south_key)

    assert len(north_raw) == 32
    assert north_raw != south_raw
    assert north_raw not in bytes(north_key.wrapped)
    assert south_raw not in bytes(south_key.wrapped)
    assert north_key.master_id == storage.master_id(storage.master_key())


def test_ph4_a_data_key_unwraps_only_for_its_own_service() -> None:
    north, south = ServiceFactory(), ServiceFactory()
    store(service=north, data=MARKER, content_type="text/plain")
    key = ServiceKey.objects.get(service=north)
    key.service = south  # the wrapped key copied to another service's row
    storage.forget_keys()

    with pytest.raises(FileUnavailable):
        storage.unwrap(key)


def test_ph4_erasing_removes_the_blob_and_stamps_the_row(own_storage) -> None:
    stored = store(service=ServiceFactory(), data=MARKER, content_type="text/plain")
    path = blob(own_storage, stored)

    erase(stored)

    stored.refresh_from_db()
    assert not path.exists()
    assert stored.erased_at is not None
    with pytest.raises(FileUnavailable, match="erased"):
        read(stored)
    erase(stored)  # again: nothing to do, no error


def test_ph4_a_wrong_master_key_reads_nothing(settings) -> None:
    stored = store(service=ServiceFactory(), data=MARKER, content_type="text/plain")
    storage.forget_keys()
    settings.SAFECARE_MASTER_KEY = base64.b64encode(os.urandom(32)).decode()

    with pytest.raises(Exception, match="not set"):
        read(StoredFile.objects.select_related("key").get(pk=stored.pk))


# The sweep of blobs no record names ------------------------------------------------------------


def age(path: Path, hours: float) -> None:
    then = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(path, (then, then))


def test_ph4_a_rolled_back_store_leaves_nothing_after_the_sweep(own_storage) -> None:
    service = ServiceFactory()
    kept = store(service=service, data=b"kept", content_type="text/plain")
    with pytest.raises(RuntimeError), transaction.atomic():
        store(service=service, data=MARKER, content_type="text/plain")
        raise RuntimeError("the upload's transaction fails after the blob was written")
    orphans = [path for path in own_storage.rglob("*") if path.is_file() and path.name not in kept.name]
    assert len(orphans) == 1  # written, and named by no row
    for path in own_storage.rglob("*"):
        if path.is_file():
            age(path, 2)

    assert jobs_storage.sweep_orphans() == 1

    assert not orphans[0].exists()
    assert read(kept) == b"kept"


def test_ph4_a_blob_younger_than_an_hour_is_left_alone(own_storage) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        store(service=ServiceFactory(), data=MARKER, content_type="text/plain")
        raise RuntimeError
    (orphan,) = [path for path in own_storage.rglob("*") if path.is_file()]
    age(orphan, 0.5)  # an upload may still be under way

    assert jobs_storage.sweep_orphans() == 0
    assert orphan.exists()

    assert jobs_storage.sweep_orphans(timezone.now() + dt.timedelta(hours=1)) == 1
    assert not orphan.exists()


def test_ph4_the_sweep_leaves_files_that_are_not_ours_and_takes_blobs_of_erased_rows(own_storage) -> None:
    stored = store(service=ServiceFactory(), data=MARKER, content_type="text/plain")
    kept_blob = blob(own_storage, stored).read_bytes()
    StoredFile.objects.filter(pk=stored.pk).update(erased_at=timezone.now())  # erased, bytes not removed
    stranger = own_storage / "README.txt"
    stranger.write_text("not a blob")
    for path in own_storage.rglob("*"):
        if path.is_file():
            age(path, 3)

    assert jobs_storage.sweep_orphans() == 1

    assert stranger.exists()
    assert not blob(own_storage, stored).exists()
    assert kept_blob  # it was there


def test_ph4_the_sweep_is_a_daily_check(own_storage) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        store(service=ServiceFactory(), data=MARKER, content_type="text/plain")
        raise RuntimeError
    for path in own_storage.rglob("*"):
        if path.is_file():
            age(path, 2)

    assert "sweep_orphan_files" in jobs._daily
    jobs.run_scheduled_work()

    assert [path for path in own_storage.rglob("*") if path.is_file()] == []


def test_ph4_the_sweep_works_before_anything_was_stored() -> None:
    assert jobs_storage.sweep_orphans() == 0


def test_ph4_a_key_made_in_a_rolled_back_upload_is_never_used_for_the_next() -> None:
    """The first upload of a service makes its key; if that upload rolls back, the next one
    makes another key (which may get the same id): files must be encrypted with the key their
    row holds, readable once this process has forgotten what it unwrapped."""
    service = ServiceFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        store(service=service, data=MARKER, content_type="text/plain")
        raise RuntimeError
    stored = store(service=service, data=MARKER, content_type="text/plain")
    storage.forget_keys()

    assert read(StoredFile.objects.select_related("key").get(pk=stored.pk)) == MARKER
