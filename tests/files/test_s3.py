"""PH-4 with S3-compatible object storage (a stand-in bucket): what is in the bucket is
ciphertext, nothing in it is public, and erasing and sweeping work there as on a disk.
"""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from moto import mock_aws

from safecare.files import jobs_storage, storage
from safecare.files.storage import erase, read, store
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

BUCKET = "safecare-files-test"
PREFIX = "safecare"
MARKER = b"PH4-S3-PLAINTEXT-MARKER: Yasmin's health plan"
EVERYONE = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


@pytest.fixture
def bucket(monkeypatch):  # type: ignore[no-untyped-def]
    """A private bucket, and the files storage configured on it as production configures it."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-2")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        with override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                "files": {
                    "BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {
                        "bucket_name": BUCKET,
                        "region_name": "eu-west-2",
                        "location": PREFIX,
                        "default_acl": "private",
                        "querystring_auth": True,
                        "file_overwrite": False,
                    },
                },
            }
        ):
            yield client


def objects(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_ph4_a_file_in_the_bucket_is_ciphertext_and_reads_back(bucket) -> None:
    stored = store(service=ServiceFactory(), data=MARKER, content_type="application/pdf", filename="plan.pdf")

    (key,) = objects(bucket)
    assert key == f"{PREFIX}/{stored.name}"
    body = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert body.startswith(storage.MAGIC)
    assert b"PH4-S3-PLAINTEXT-MARKER" not in body
    assert read(stored) == MARKER


def test_ph4_nothing_in_the_bucket_is_public(bucket) -> None:
    stored = store(service=ServiceFactory(), data=MARKER, content_type="application/pdf")

    object_acl = bucket.get_object_acl(Bucket=BUCKET, Key=f"{PREFIX}/{stored.name}")
    bucket_acl = bucket.get_bucket_acl(Bucket=BUCKET)
    for acl in (object_acl, bucket_acl):
        grantees = [grant["Grantee"].get("URI", "") for grant in acl["Grants"]]
        assert not set(grantees) & set(EVERYONE)
        assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]  # the owner only


def test_ph4_erasing_and_sweeping_work_in_the_bucket(bucket) -> None:
    service = ServiceFactory()
    erased = store(service=service, data=b"to erase", content_type="text/plain")
    kept = store(service=service, data=b"kept", content_type="text/plain")
    with pytest.raises(RuntimeError), transaction.atomic():
        store(service=service, data=MARKER, content_type="text/plain")
        raise RuntimeError("the upload's transaction fails after the blob was written")
    assert len(objects(bucket)) == 3

    erase(erased)
    assert jobs_storage.sweep_orphans(timezone.now() + dt.timedelta(hours=2)) == 1  # the rolled-back upload

    assert objects(bucket) == [f"{PREFIX}/{kept.name}"]
    assert read(kept) == b"kept"
