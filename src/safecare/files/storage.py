"""Files encrypted at rest (PH-4): AES-256-GCM under a key per service, wrapped by a master key.

- The master key comes from the environment (SAFECARE_MASTER_KEY), never from the database or
  the storage: a copied disk, database dump or bucket reveals nothing without it.
- Each service has one active data key (ServiceKey), stored only wrapped by the master key.
- Each file is `MAGIC | nonce | ciphertext+tag`, with the StoredFile's id as associated data,
  so a blob moved to another row, or altered by one bit, fails to decrypt.
- The storage is Django's (settings.STORAGES["files"]): a local folder by default, S3-compatible
  object storage in production. Names are random; no file has a public address: views serve
  them after checking who asks (files.serve).

Rotation (`manage.py rotate_keys`): re-wrap every data key under a new master key, and/or give a
service a new data key and re-encrypt its files with it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ServiceKey, StoredFile

if TYPE_CHECKING:
    from safecare.core.models import FosteringService, User

MAGIC = b"SCF1"
NONCE_BYTES = 12


class FileUnavailable(Exception):
    """The file was erased (retention) or cannot be decrypted: never served half-read."""


def file_storage() -> Storage:
    return storages["files"]


# Master keys --------------------------------------------------------------------------------


def _decode(value: str, name: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be base64 of 32 random bytes") from error
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be base64 of 32 random bytes, not {len(key)}")
    return key


def _key_file() -> bytes:
    """Outside production with no key set: one made once, kept beside the database (0600)."""
    path = settings.SAFECARE_MASTER_KEY_FILE
    try:
        return _decode(path.read_text(), str(path))
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        value = base64.b64encode(os.urandom(32)).decode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _decode(path.read_text(), str(path))
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")
        return _decode(value, str(path))


def master_key() -> bytes:
    if settings.SAFECARE_MASTER_KEY:
        return _decode(settings.SAFECARE_MASTER_KEY, "SAFECARE_MASTER_KEY")
    return _key_file()


def master_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def _master_keys() -> dict[str, bytes]:
    """Every master key this process knows, by id: the current one and any being rotated out."""
    keys = {master_id(key): key for key in (master_key(),)}
    for index, value in enumerate(settings.SAFECARE_OLD_MASTER_KEYS):
        old = _decode(value, f"SAFECARE_OLD_MASTER_KEYS[{index}]")
        keys.setdefault(master_id(old), old)
    return keys


# Data keys ----------------------------------------------------------------------------------

# Keyed by the wrapped bytes themselves (each wrapping has its own random nonce), not the row's
# id: a key made in a transaction that rolled back may see its id given to another key.
_unwrapped: dict[tuple[int, int, bytes], bytes] = {}


def forget_keys() -> None:
    """Drop the data keys this process has unwrapped (after a change of master keys, in tests)."""
    _unwrapped.clear()


def _aad(service_id: int) -> bytes:
    return f"safecare-service-key:{service_id}".encode()


def wrap(key: bytes, service_id: int, master: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master).encrypt(nonce, key, _aad(service_id))


def unwrap(service_key: ServiceKey) -> bytes:
    cache_key = (service_key.pk, service_key.service_id, bytes(service_key.wrapped))
    cached = _unwrapped.get(cache_key)
    if cached is not None:
        return cached
    master = _master_keys().get(service_key.master_id)
    if master is None:
        raise ImproperlyConfigured(
            f"Service key {service_key.pk} is wrapped by master key {service_key.master_id}, which is not "
            "set: put it in SAFECARE_OLD_MASTER_KEYS until `manage.py rotate_keys` has re-wrapped it"
        )
    wrapped = bytes(service_key.wrapped)
    try:
        key = AESGCM(master).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _aad(service_key.service_id)
        )
    except InvalidTag as error:
        raise FileUnavailable(f"service key {service_key.pk} does not unwrap") from error
    _unwrapped[cache_key] = key
    return key


def new_key(service: FosteringService) -> ServiceKey:
    master = master_key()
    return ServiceKey(
        service=service,
        wrapped=wrap(AESGCM.generate_key(bit_length=256), service.pk, master),
        master_id=master_id(master),
    )


def active_key(service: FosteringService) -> ServiceKey:
    """The service's data key, made the first time the service stores a file."""
    key = ServiceKey.objects.filter(service=service, retired_at__isnull=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            key = new_key(service)
            key.save()
            return key
    except IntegrityError:  # another request made it first (one_active_key_per_service)
        return ServiceKey.objects.get(service=service, retired_at__isnull=True)


# Files --------------------------------------------------------------------------------------


def encrypt(data: bytes, key: bytes, file_id: uuid.UUID) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, data, file_id.bytes)


def decrypt(blob: bytes, key: bytes, file_id: uuid.UUID) -> bytes:
    if blob[: len(MAGIC)] != MAGIC:
        raise FileUnavailable(f"file {file_id} is not a Safecare encrypted file")
    body = blob[len(MAGIC) :]
    try:
        return AESGCM(key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], file_id.bytes)
    except InvalidTag as error:
        raise FileUnavailable(f"file {file_id} was altered or belongs to another record") from error


def _blob_name(file_id: uuid.UUID) -> str:
    # Random, and nothing of the file's own name or owner: "3f/3f9c…".
    return f"{file_id.hex[:2]}/{file_id.hex}-{uuid.uuid4().hex[:8]}"


def store(
    *,
    service: FosteringService,
    data: bytes,
    content_type: str,
    filename: str = "",
    actor: User | None = None,
) -> StoredFile:
    """Encrypt `data` and keep it; returns the saved row. Call inside the caller's transaction.

    The blob is written first: if the transaction then rolls back, the blob has no row and the
    daily sweep (jobs_storage.sweep_orphan_files) removes it; no row ever names a missing blob.
    """
    service_key = active_key(service)
    file_id = uuid.uuid4()
    name = file_storage().save(_blob_name(file_id), ContentFile(encrypt(data, unwrap(service_key), file_id)))
    return StoredFile.objects.create(
        id=file_id,
        service=service,
        key=service_key,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        filename=filename[:200],
        created_by=actor,
    )


def read(stored: StoredFile) -> bytes:
    """The plain bytes of a stored file, checked against its digest."""
    if stored.erased_at is not None:
        raise FileUnavailable(f"file {stored.pk} was erased")
    with file_storage().open(stored.name, "rb") as handle:
        blob = handle.read()
    data = decrypt(blob, unwrap(stored.key), stored.pk)
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise FileUnavailable(f"file {stored.pk} does not match its digest")
    return data


def erase(stored: StoredFile) -> None:
    """Remove the bytes; the row stays, stamped, as the tombstone of the file (retention, expiry)."""
    if stored.erased_at is None:
        file_storage().delete(stored.name)
        stored.erased_at = timezone.now()
        stored.save(update_fields=["erased_at"])


@dataclass(frozen=True)
class Rotation:
    rewrapped: int
    services: int
    files: int


def rewrap_keys() -> int:
    """Re-wrap every data key not under the current master key; returns how many."""
    master = master_key()
    current = master_id(master)
    done = 0
    for service_key in ServiceKey.objects.exclude(master_id=current).order_by("pk"):
        key = unwrap(service_key)
        service_key.wrapped = wrap(key, service_key.service_id, master)
        service_key.master_id = current
        service_key.save(update_fields=["wrapped", "master_id"])
        done += 1
    return done


def rotate_service(service: FosteringService) -> int:
    """Give the service a new data key and re-encrypt each of its files with it; returns how many.

    Each file is re-written under a new name and its row switched in one transaction; the old
    blob is removed after the commit, so a crash leaves every row readable (and the blob it
    left behind is swept: jobs_storage). A file stored under the old key while this runs is
    picked up by the next pass, until none is left.
    """
    with transaction.atomic():
        old = ServiceKey.objects.select_for_update().filter(service=service, retired_at__isnull=True).first()
        if old is not None:
            old.retired_at = timezone.now()
            old.save(update_fields=["retired_at"])
        fresh = new_key(service)
        fresh.save()
    key = unwrap(fresh)
    count = 0
    storage = file_storage()
    while True:
        pending = list(
            StoredFile.objects.filter(service=service, erased_at__isnull=True)
            .exclude(key=fresh)
            .values_list("pk", flat=True)[:500]
        )
        if not pending:
            return count
        for stored in StoredFile.objects.filter(pk__in=pending).select_related("key"):
            data = read(stored)
            name = storage.save(_blob_name(stored.pk), ContentFile(encrypt(data, key, stored.pk)))
            previous = stored.name
            with transaction.atomic():
                StoredFile.objects.filter(pk=stored.pk).update(name=name, key=fresh)
                transaction.on_commit(partial(storage.delete, previous))
            count += 1


# The storage's own names --------------------------------------------------------------------

BLOB_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}-[0-9a-f]{8}")


def blob_names(folder: str = "") -> Iterator[str]:
    """Every name in the files storage that is one of ours (a local folder or a bucket)."""
    storage = file_storage()
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local folder nothing was stored in yet
        return
    for name in files:
        path = f"{folder}/{name}" if folder else name
        if BLOB_NAME.match(path):
            yield path
    for sub in folders:
        yield from blob_names(f"{folder}/{sub}" if folder else sub)
