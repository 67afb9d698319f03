"""`manage.py rotate_keys`: the two rotations of the files' keys (PH-4; docs/operations.md).

--rewrap           re-wrap every service's data key under the current SAFECARE_MASTER_KEY (the
                   master keys being retired are given in SAFECARE_OLD_MASTER_KEYS meanwhile);
                   the files themselves are not touched.
--service SLUG     give that service a new data key and re-encrypt its files with it;
--all-services     the same for every service.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safecare.core.models import FosteringService
from safecare.files import storage


class Command(BaseCommand):
    help = "Re-wrap the services' file keys under the current master key, and/or give services new data keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rewrap", action="store_true", help="Re-wrap every data key under SAFECARE_MASTER_KEY."
        )
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--service", metavar="SLUG", help="New data key for this service; files re-encrypted."
        )
        which.add_argument(
            "--all-services", action="store_true", help="New data key for every service; files re-encrypted."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["rewrap"] or options["service"] or options["all_services"]):
            raise CommandError("Say what to rotate: --rewrap, --service SLUG or --all-services.")
        if options["rewrap"]:
            count = storage.rewrap_keys()
            self.stdout.write(
                f"Re-wrapped {count} service key{'' if count == 1 else 's'} under the current master key."
            )
        if options["service"]:
            services = list(FosteringService.objects.filter(slug=options["service"]))
            if not services:
                raise CommandError(f"No service has the slug {options['service']!r}.")
        elif options["all_services"]:
            services = list(FosteringService.objects.order_by("slug"))
        else:
            services = []
        total = 0
        for service in services:
            count = storage.rotate_service(service)
            total += count
            self.stdout.write(
                f"{service.slug}: new data key, {count} file{'' if count == 1 else 's'} re-encrypted."
            )
        if services:
            self.stdout.write(
                f"{len(services)} service{'' if len(services) == 1 else 's'}, {total} file{'' if total == 1 else 's'} re-encrypted."
            )
