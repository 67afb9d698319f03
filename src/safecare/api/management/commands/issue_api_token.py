"""Issue the API token of an integration account: `manage.py issue_api_token <username>`.

Run by a service administrator with access to the server. A token stands in for
a signed-in, two-factor-verified session, so it is printed once, to standard
output only, for the administrator to hand to the integration's operator; it
sees exactly what the account's role and allocations let it see.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from safecare.core.models import User


class Command(BaseCommand):
    help = "Print the API token of an account, creating it if need be."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Revoke the account's current token and issue a new one (a leaked or departed key).",
        )

    @transaction.atomic
    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username {username!r}.")
        if not user.is_active:
            raise CommandError(f"The account {username!r} is deactivated: it cannot have an API token.")
        if not user.service_id or not user.role:
            # Without a service and a role every scope is empty: a token would only mislead.
            raise CommandError(f"The account {username!r} has no fostering service or role.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
