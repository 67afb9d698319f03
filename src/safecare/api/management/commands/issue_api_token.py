"""Issue an API token for an integration account: `manage.py issue_api_token <username> --name "..."`.

Run by a service administrator with access to the server. A token stands in for
a signed-in, two-factor-verified session, so it is printed once, to standard
output only, for the administrator to hand to the integration's operator; it
sees exactly what the account's role and allocations let it see. Only its digest
is stored (django-rest-knox). It ends at its expiry (90 days unless --days says
otherwise, at most a year), when revoked, and when the account's password or role
changes. Its owner sees its name and last use on their "API tokens" page.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safecare.core.models import ApiToken, User, revoke_api_tokens

audit_log = logging.getLogger("safecare.audit")


class Command(BaseCommand):
    help = "Issue a new API token for an account and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'Case system sync'.")
        parser.add_argument("--days", type=int, default=None, help="Days until it expires (default 90).")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Revoke the account's other tokens first (a leaked or departed key).",
        )

    @transaction.atomic
    def handle(
        self, *args: Any, username: str, name: str, days: int | None, rotate: bool, **options: Any
    ) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username {username!r}.")
        if not user.is_active:
            raise CommandError(f"The account {username!r} is deactivated: it cannot have an API token.")
        if not user.service_id or not user.role:
            # Without a service and a role every scope is empty: a token would only mislead.
            raise CommandError(f"The account {username!r} has no fostering service or role.")
        name = name.strip()
        if not name:
            raise CommandError("--name: say what the token is for.")
        if days is not None and not 1 <= days <= settings.SAFECARE_API_TOKEN_MAX_DAYS:
            raise CommandError(f"--days: between 1 and {settings.SAFECARE_API_TOKEN_MAX_DAYS}.")
        if rotate:
            revoke_api_tokens(user, actor=None, reason="rotated by issue_api_token")
        expiry = dt.timedelta(days=days) if days is not None else settings.REST_KNOX["TOKEN_TTL"]
        token, key = ApiToken.objects.create(user=user, expiry=expiry, name=name[:100])
        audit_log.info(
            "api_token_issued user_id=%s token=%s expires=%s",
            user.pk,
            token.token_key,
            token.expiry.isoformat(),
        )
        self.stdout.write(key)
