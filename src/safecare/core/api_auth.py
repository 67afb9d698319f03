"""API authentication: a browser session once two-factor is complete, or an API token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from knox import auth as knox_auth
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from .models import ApiToken


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if user.requires_two_factor() and not user.two_factor_verified():
            return None
        return result


class ApiTokenAuthentication(knox_auth.TokenAuthentication):  # type: ignore[misc]
    """`Authorization: Token <token>`: a django-rest-knox token, found by its digest, within its expiry.

    Records when each token was last used (at most once a minute, without a history row), so
    its owner can see a token that is used when it should not be.
    """

    def validate_user(self, auth_token: ApiToken) -> tuple[Any, ApiToken]:
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token
