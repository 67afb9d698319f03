"""A person's own API tokens: they may see and revoke them (issuing is `manage.py issue_api_token`)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, User

audit_log = logging.getLogger("safecare.audit")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The account's tokens still in force (expired ones are shown no longer)."""
    now = timezone.now()
    tokens: QuerySet[ApiToken] = ApiToken.objects.filter(user_id=user.pk)
    return tokens.exclude(expiry__lt=now).order_by("-created")


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """End one of the actor's own tokens; the token history records the deletion and who made it."""
    if token.user_id != actor.pk:
        raise ApiToken.DoesNotExist  # someone else's token does not exist for this person
    token._history_user = actor
    key = token.token_key
    token.delete()
    audit_log.info("api_token_revoked user_id=%s token=%s", actor.pk, key)
