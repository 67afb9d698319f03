"""Print the current two-factor code of a demo user (DEBUG only)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code for a demo user (development only)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):  # type: ignore[no-untyped-def]
        if not settings.DEBUG:
            raise CommandError("demo_code works only with DEBUG on: real codes come from the user's own app.")
        device = TOTPDevice.objects.filter(
            user__username=username, user__service__slug="demo", confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"No demo user {username!r} with a two-factor device.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        remaining = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{code:0{device.digits}d}  (valid for {remaining} more seconds)")
