"""Scheduled work of the files storage (core.jobs): blobs that no file names are swept away (PH-4).

`storage.store` writes the encrypted blob before its row: an upload interrupted, or a
transaction rolled back, leaves a blob that no StoredFile names. So does a key rotation that
stopped between switching a row to its new blob and removing the old one, or an erasure whose
row was stamped while the storage was unreachable. Once a day, each blob of ours in the files
storage that no living row names, and that is older than an hour (so an upload still under
way is left alone), is removed.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import islice

from django.utils import timezone

from safecare.core.jobs import daily

from .models import StoredFile
from .storage import blob_names, file_storage

logger = logging.getLogger("safecare.files")

# An upload still being saved is younger than this.
ORPHAN_AGE = dt.timedelta(hours=1)
BATCH = 500


def sweep_orphans(now: dt.datetime | None = None) -> int:
    """Remove the blobs no living row names, older than ORPHAN_AGE; how many were removed."""
    now = now or timezone.now()
    storage = file_storage()
    removed = 0
    names = blob_names()
    while batch := list(islice(names, BATCH)):
        living = set(
            StoredFile.objects.filter(name__in=batch, erased_at__isnull=True).values_list("name", flat=True)
        )
        for name in batch:
            if name in living or now - storage.get_modified_time(name) < ORPHAN_AGE:
                continue
            storage.delete(name)
            removed += 1
    if removed:
        logger.info("files_orphans_swept count=%d", removed)
    return removed


@daily("sweep_orphan_files")
def sweep_orphan_files(day: dt.date) -> None:
    sweep_orphans()
