"""Audit helpers: change history with the acting user, and the access log (rules: Everywhere)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import User


def save_as(instance: models.Model, actor: User | None, **kwargs: Any) -> None:
    """Save recording `actor` in the change history, whatever the request context.

    Services run from views, the API, commands and jobs; the history row must
    name the person who caused the change in every case, not just in requests.
    """
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save(**kwargs)


def assign(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set the values that differ from the instance's; the names changed, for update_fields."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def log_view(request: HttpRequest, subject: models.Model, *, via_api: bool = False) -> None:
    """Append one row to the access log for a view of a child's or household's record."""
    from .models import AccessLog

    if not request.user.is_authenticated:
        raise PermissionDenied  # case records are only ever shown to a signed-in user
    AccessLog.objects.create(
        service_id=subject.service_id,  # type: ignore[attr-defined]
        user_id=int(request.user.pk),
        subject_type=str(subject._meta.model_name),
        subject_id=subject.pk,
        path=request.get_full_path()[:300],
        via_api=via_api,
    )


def log_list(
    request: HttpRequest, model: type[models.Model], ids: Iterable[Any], *, via_api: bool = False
) -> None:
    """Append one row to the access log for a list of case records: the ids returned, in order.

    One row per request whatever the number of records, so logging costs one insert.
    An account of no service (a platform account) reads no case content and logs nothing.
    """
    from .models import AccessLog

    if not request.user.is_authenticated:
        raise PermissionDenied
    service_id = getattr(request.user, "service_id", None)
    if service_id is None:
        return
    AccessLog.objects.create(
        service_id=service_id,
        user_id=int(request.user.pk),
        subject_type=str(model._meta.model_name),
        subject_id=None,
        listed_ids=[int(pk) for pk in ids],
        path=request.get_full_path()[:300],
        via_api=via_api,
    )
