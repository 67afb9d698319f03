"""No silent overwrites (rules: Everywhere): optimistic concurrency for edit pages and the API.

A record's version is the id of its latest change-history row, so it moves on
every save through any path, with no extra column. An edit carries the version
it was opened on; the service compares it under the row lock and refuses a save
over a newer version, naming what the other person changed. Nothing already
saved is lost, and the refused page keeps what the person typed.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst


class StaleEdit(ValidationError):
    """The record changed after the editor opened it."""


def record_version(instance: models.Model) -> int:
    history = instance.history  # type: ignore[attr-defined]
    latest = history.order_by("-history_id").values_list("history_id", flat=True).first()
    return int(latest or 0)


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return capfirst(str(getattr(field, "verbose_name", name)))


def changed_fields(instance: models.Model, since_version: int) -> list[str]:
    """Labels of the fields that differ between version `since_version` and now."""
    history = instance.history  # type: ignore[attr-defined]
    opened = history.filter(history_id=since_version).first()
    latest = history.order_by("-history_id").first()
    if opened is None or latest is None:
        return []
    delta = latest.diff_against(opened)
    # A model may name bookkeeping fields the person editing never sees (who reviewed it, when).
    quiet = set(getattr(type(instance), "CHANGE_MESSAGE_QUIET_FIELDS", ()))
    return [_label(type(instance), change.field) for change in delta.changes if change.field not in quiet]


def check_version(instance: models.Model, expected_version: int | str | None) -> None:
    """Raise StaleEdit if the record moved past `expected_version`. Call under the row lock."""
    if expected_version is None or expected_version == "":
        return
    expected = int(expected_version)
    if record_version(instance) == expected:
        return
    changed = changed_fields(instance, expected)
    what = f" ({', '.join(changed)})" if changed else ""
    raise StaleEdit(
        {
            NON_FIELD_ERRORS: [
                f"Someone else saved changes to this record{what} after you opened this page. "
                "Your changes have not been saved: check them against the record and save again."
            ]
        },
        code="stale",
    )
