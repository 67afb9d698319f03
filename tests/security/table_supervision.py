"""Access table of recordings (SC-7) and supervisions (SC-10, DV-2): safecare.supervision.

Recordings are read by the carers of the household while the child is placed
with them, the household's side (its SSW sam, its team manager fiona, frank,
helen, harry) and the child's side (its CSW chris, tom, sue, helen, harry).
Only carers write them, and only their own; the SSW and fostering managers
mark them read. Supervision records belong to the household's side; the
household's carers read completed ones and acknowledge them, never drafts.
Every route answers 404 to everyone else (docs/decisions/0012-supervision.md).
"""

from __future__ import annotations

from typing import Any

RECORDING_READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
RECORDING_OTHER_READERS = {"oscar", "sue", "frank", "helen", "harry"}
# supervision.mark_recording_read / change_supervision among those who see the household.
SUPERVISORS = {"sam", "fiona", "frank", "helen", "harry"}
SUPERVISORS_OTHER = {"frank", "helen", "harry"}
SUPERVISION_READERS = SUPERVISORS | {"carol"}
SUPERVISION_OTHER_READERS = SUPERVISORS_OTHER | {"oscar"}


def _row(
    name: str, method: str, own: str, allowed: set[str], allowed_other: set[str], **extra: Any
) -> dict[str, Any]:
    return {
        "name": f"supervision:{name}",
        "kwargs": {"pk": own},
        "method": method,
        "allowed": allowed,
        "own": own,
        "other": own.removesuffix("_own") + "_other",
        "allowed_other": allowed_other,
        **extra,
    }


def _both(name: str, own: str, allowed: set[str], allowed_other: set[str]) -> list[dict[str, Any]]:
    return [_row(name, method, own, allowed, allowed_other) for method in ("GET", "POST")]


def _api(
    name: str, method: str, allowed: set[str], own: str | None = None, allowed_other: set[str] | None = None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": allowed,
        "own": own,
        "other": own.removesuffix("_own") + "_other" if own else None,
        "api": True,
    }
    if own:
        row["allowed_other"] = allowed_other or set()
    return row


EVERYONE = {
    "carol", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "oscar", "olga",
}  # fmt: skip
# Heads of service hold supervision.change_supervision in their own service: olga
# gets a 400 for an empty body in South, like any writer.
SUPERVISION_CREATORS = SUPERVISORS | {"olga"}
CARERS = {"carol", "oscar"}

ROUTES: list[dict[str, Any]] = [
    # Recordings
    _row("household_recordings", "GET", "household_own", RECORDING_READERS, RECORDING_OTHER_READERS),
    _row("household_recordings_read", "POST", "household_own", SUPERVISORS, SUPERVISORS_OTHER),
    _row("child_recordings", "GET", "child_own", RECORDING_READERS, RECORDING_OTHER_READERS),
    *_both("recording_create", "child_own", {"carol"}, {"oscar"}),
    _row("recording_detail", "GET", "recording_own", RECORDING_READERS, RECORDING_OTHER_READERS),
    *_both("recording_edit", "recording_own", {"carol"}, {"oscar"}),
    _row("recording_read", "POST", "recording_own", SUPERVISORS, SUPERVISORS_OTHER),
    # Supervisions: drafts for the household's side only; completed ones for its carers too.
    _row("supervision_list", "GET", "household_own", SUPERVISION_READERS, SUPERVISION_OTHER_READERS),
    *_both("supervision_create", "household_own", SUPERVISORS, SUPERVISORS_OTHER),
    _row("supervision_detail", "GET", "supervision_own", SUPERVISORS, SUPERVISORS_OTHER),
    _row(
        "supervision_detail",
        "GET",
        "completed_supervision_own",
        SUPERVISION_READERS,
        SUPERVISION_OTHER_READERS,
    ),
    *_both("supervision_edit", "supervision_own", SUPERVISORS, SUPERVISORS_OTHER),
    _row("supervision_recordings_read", "POST", "supervision_own", SUPERVISORS, SUPERVISORS_OTHER),
    *_both("supervision_amend", "completed_supervision_own", SUPERVISORS, SUPERVISORS_OTHER),
    _row("supervision_acknowledge", "POST", "completed_supervision_own", {"carol"}, {"oscar"}),
]

# The REST API (/api/v1/): the same people as the pages. List routes answer everyone
# (an empty list where the scope is empty); an empty POST gets 400 from an allowed user.
ROUTES += [
    _api("recording-list", "GET", EVERYONE),
    _api("recording-list", "POST", CARERS),
    _api("recording-detail", "GET", RECORDING_READERS, "recording_own", RECORDING_OTHER_READERS),
    _api("recording-read", "POST", SUPERVISORS, "recording_own", SUPERVISORS_OTHER),
    _api("supervision-list", "GET", EVERYONE),
    _api("supervision-list", "POST", SUPERVISION_CREATORS),
    _api("supervision-detail", "GET", SUPERVISORS, "supervision_own", SUPERVISORS_OTHER),
    _api(
        "supervision-detail",
        "GET",
        SUPERVISION_READERS,
        "completed_supervision_own",
        SUPERVISION_OTHER_READERS,
    ),
    _api("supervision-complete", "POST", SUPERVISORS, "supervision_own", SUPERVISORS_OTHER),
    _api("supervision-acknowledge", "POST", {"carol"}, "completed_supervision_own", {"oscar"}),
    _api("supervision-amendments", "POST", SUPERVISORS, "completed_supervision_own", SUPERVISORS_OTHER),
]

# Partial updates (walked by tests/supervision/test_api.py): the author of a recording;
# the household's supervisors for a draft supervision record.
PATCH_ROUTES: list[dict[str, Any]] = [
    _api("recording-detail", "PATCH", {"carol"}, "recording_own", {"oscar"}),
    _api("supervision-detail", "PATCH", SUPERVISORS, "supervision_own", SUPERVISORS_OTHER),
]
