"""Scheduled work of the device register (core.jobs).

- Every day, each service's stored verdict levels are worked out for the new day
  (`device_levels`, devices.levels), so the weekly devices check reads them at once.
"""

from __future__ import annotations

import datetime as dt

from safecare.core.jobs import daily
from safecare.core.models import FosteringService

from . import levels


@daily("device_levels")
def refresh_levels(day: dt.date) -> None:
    for service in FosteringService.objects.order_by("pk"):
        levels.refresh_service(service, day)
