"""Helpers every administration page shares: who may open it, a stale form's data, a record's change history."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def requires_permission(perm: str) -> Callable[[View], View]:
    """Signed in, of a service, and holding `perm`; anyone else gets 404 (deny without revealing).

    The check comes before the method check, so a user without the permission
    cannot tell a POST-only page exists from a 405.
    """

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not (getattr(user, "service_id", None) and user.has_perm(perm)):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def stale_data(request: HttpRequest, version: int) -> Any:
    """The submitted answers with the current version, so the next save is a deliberate one."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


def _sentence(text: str) -> str:
    # Not str.capitalize: it would lower-case "CCTV" and "Safe Caring Family Agreement".
    return text[:1].upper() + text[1:]


def _display(field: models.Field[Any, Any], value: Any, fk_labels: dict[Any, str]) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.ForeignKey):
        return fk_labels.get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def change_rows(
    history: models.QuerySet[Any],
    model: type[models.Model],
    fields: Iterable[str],
    *,
    fk_labels: dict[Any, str] | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """The latest changes of a record: when, who, and each field's old and new value. Two queries."""
    fk_labels = fk_labels or {}
    model_fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    records = list(history.select_related("history_user").order_by("-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "+":
            changes = ["Created"]
        elif record.history_type == "-":
            changes = ["Deleted"]
        elif older is None:
            changes = ["Changed"]
        else:
            changes = []
            for field in model_fields:
                attname = field.attname
                before, after = getattr(older, attname), getattr(record, attname)
                if before != after:
                    changes.append(
                        f"{_sentence(str(field.verbose_name))}: {_display(field, before, fk_labels)} "
                        f"→ {_display(field, after, fk_labels)}"
                    )
            changes = changes or ["Other details changed"]
        who = record.history_user
        rows.append(
            {
                "when": record.history_date,
                "who": who.display_name if who else "The system",
                "changes": changes,
            }
        )
    return rows
