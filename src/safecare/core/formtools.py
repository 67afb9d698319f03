"""Pages calling services: refusals onto the form, stale edits, pagination (rules: Everywhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest

from .concurrency import StaleEdit, record_version


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put each of a service's messages next to the field it names, or at the top.

    Service messages start with the field's name ("Date: ..."), so they read well
    in the API and in logs; on a page the error summary adds the field's label
    itself, so the name is not repeated there.
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        names: set[str] = set()
        if target:
            names = {str(form.fields[field].label).lower(), field.removeprefix("is_").replace("_", " ")}
        for message in messages:
            prefix, _, rest = message.partition(": ")
            form.add_error(target, rest if rest and prefix.lower() in names else message)


def refresh_version(form: BaseForm, version: int) -> None:
    """Carry the record's current version, so saving again is a deliberate choice."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(version)
    form.data = data


def save_or_refuse(form: BaseForm, instance: models.Model | None, save: Callable[[], Any]) -> Any:
    """Run a service's save from a page; on a refusal put its reasons on the form.

    Returns what the service returned, or None when it refused: the page then
    re-renders with what was typed. After a stale-edit refusal (rules: Everywhere) the form
    carries the current version. A permission refusal answers 404, like a record
    the user cannot see.
    """
    try:
        return save()
    except StaleEdit as error:
        add_service_errors(form, error)
        if instance is not None:
            refresh_version(form, record_version(instance))
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        raise Http404 from error
    return None


def paginate(request: HttpRequest, items: Any, per_page: int) -> tuple[Any, str]:
    """The requested page, and the query string without `page` for the page links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
