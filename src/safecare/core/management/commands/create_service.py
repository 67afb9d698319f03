"""Create a fostering service and its first service administrator.

The administrator gets a one-hour link to set their password (printed, so the
person installing can hand it over securely); at first sign-in they enrol
two-factor, then invite everyone else from People and teams.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from safecare.core.models import FosteringService, User
from safecare.core.roles import Role


class Command(BaseCommand):
    help = "Create a fostering service and its first service administrator."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--name", required=True, help="the service's name")
        parser.add_argument("--slug", help="short identifier (default: from the name)")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)

    @transaction.atomic
    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        slug = options["slug"] or slugify(options["name"])[:60]
        if FosteringService.objects.filter(slug=slug).exists():
            raise CommandError(f"A service with the identifier {slug!r} already exists.")
        if User.objects.filter(username=options["admin_username"]).exists():
            raise CommandError(f"The username {options['admin_username']!r} is taken.")
        service = FosteringService.objects.create(name=options["name"], slug=slug)
        admin = User.objects.create_user(
            username=options["admin_username"],
            email=options["admin_email"],
            service=service,
            role=Role.SERVICE_ADMIN,
        )
        admin.set_unusable_password()
        admin.save(update_fields=["password"])
        link = settings.SITE_URL.rstrip("/") + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(admin.pk)),
                "token": default_token_generator.make_token(admin),
            },
        )
        self.stdout.write(self.style.SUCCESS(f"Created {service.name} ({slug})."))
        self.stdout.write(f"{admin.username} sets a password within one hour at:\n{link}")
