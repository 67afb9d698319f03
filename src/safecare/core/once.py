"""One record per creation form, however many times it is sent.

Without JavaScript nothing stops a form being sent twice: a double click, "Resubmit"
after the back button, a retry on a slow phone connection. Each creation form carries
a one-time token (``{% load once %}{% once_token %}``, a hidden field made when the
page is drawn and stored nowhere). The view wrapped in ``@once`` records the token,
for the person sending it, in the same transaction as whatever the view saves:

- the first POST that saves something (answers a redirect) keeps the token, with
  where it went;
- a POST with a token already kept is not given to the view: it is redirected to
  where the first went, with "This was already saved.";
- a POST the view answers otherwise (the form again with its errors, a refusal)
  keeps nothing, so the corrected form can be sent.

The unique constraint on (user, token) makes this hold when the two POSTs arrive
together: the second insert waits for the first transaction and then fails.

A POST without a token (an old page, a test, a script) is handled as before.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import UsedFormToken

FIELD = "once_token"
ALREADY_SAVED = "This was already saved."
# Kept long enough to outlive any page a browser could still resend: a session lasts 12 hours.
KEEP_FOR = dt.timedelta(days=2)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")

View = Callable[..., HttpResponse]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hidden_field() -> SafeString:
    """The hidden input a creation form carries (the `once_token` template tag)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


def posted_token(request: HttpRequest) -> str | None:
    token = request.POST.get(FIELD, "")
    return token if _TOKEN.fullmatch(token) else None


def _already_saved(request: HttpRequest, used: UsedFormToken) -> HttpResponse:
    messages.success(request, ALREADY_SAVED)
    return HttpResponseRedirect(used.redirect_to)


def once(view: View) -> View:
    """Run a creation view at most once per form token and person (see the module's text).

    Goes under ``@login_required``: only a signed-in person's POST is recorded.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = posted_token(request) if request.method == "POST" else None
        user = request.user
        if token is None or not user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    used = UsedFormToken.objects.create(user=user, token=token, path=request.path[:500])
            except IntegrityError:
                used = UsedFormToken.objects.get(user=user, token=token)
                return _already_saved(request, used)
            response = view(request, *args, **kwargs)
            location = response.get("Location") if 300 <= response.status_code < 400 else None
            if location and len(location) <= 2000:
                used.redirect_to = location
                used.save(update_fields=["redirect_to"])
                UsedFormToken.objects.filter(user=user, used_at__lt=timezone.now() - KEEP_FOR).delete()
            else:
                # Nothing was saved (the form again with its errors, or a refusal): the token
                # stays usable, so the corrected form can be sent.
                used.delete()
            return response

    return wrapper
