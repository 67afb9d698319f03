"""The signed-in person's own API tokens: name, when made, when it expires, when last used; revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import User
from .services_tokens import api_token_revoke, tokens_of


@login_required
@require_GET
def api_tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "account/api_tokens.html", {"tokens": list(tokens_of(user))})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, key: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = tokens_of(user).filter(token_key=key).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=user, token=token)
    messages.success(request, f"The API token “{token.name}” is revoked. It no longer works.")
    return redirect("api_tokens")
