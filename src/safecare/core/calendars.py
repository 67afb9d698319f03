"""The bridge from a fostering service's settings to the pure dates module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dates import WorkingCalendar, get_calendar

if TYPE_CHECKING:
    from .models import FosteringService


def calendar_for_service(service: FosteringService) -> WorkingCalendar:
    """Bank holidays of the service's nation plus its closure days (rules: How dates are counted).

    get_calendar is cached on (nation, closure days), so a service that has not
    changed its closures reuses one precomputed calendar; the closure query is
    one small indexed read.
    """
    closures = tuple(service.closures.order_by("date").values_list("date", flat=True))
    return get_calendar(service.holiday_nation, closures)
