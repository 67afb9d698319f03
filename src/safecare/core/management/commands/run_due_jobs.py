"""Run the scheduled jobs that are due, once (core.jobs; docs/operations.md).

Huey's consumer (`manage.py run_huey`) does this every minute; this command is for an
operator who wants the due work done now, or a server that runs it from cron instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safecare.core.jobs import run_scheduled_work


class Command(BaseCommand):
    help = (
        "Schedule today's daily checks, run the scheduled jobs that are due and not done, once, "
        "and say how many were done."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        done = run_scheduled_work()
        self.stdout.write(f"Ran {done} due job{'' if done == 1 else 's'}.")
