"""The bridge from a fostering service's settings to the pure dates module.

A deadline is worked out many times a request (every duty a form opens, every
date a page shows), so the service's closure days are not read from the
database each time. Each process keeps them, per service, with the service's
`closures_stamp` they were read under; the stamp changes, in the database and
on the instance at hand, whenever a closure day is added or removed, and this
process's entry is dropped at once. Another process sees the new stamp on the
next service row it loads (every request loads the user's service), so it
reads the days again then. A service row loaded before the change keeps the
days it was loaded with, as any value read at the start of a request does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from .dates import WorkingCalendar, get_calendar

if TYPE_CHECKING:
    from .models import ClosureDay, FosteringService

# service pk -> (the stamp the days were read under, the days)
_closure_days: dict[int, tuple[uuid.UUID, tuple[dt.date, ...]]] = {}
# service pk -> (that stamp, the nation, the calendar of both)
_calendars: dict[int, tuple[uuid.UUID, str, WorkingCalendar]] = {}


def closure_days(service: FosteringService) -> tuple[dt.date, ...]:
    """The service's closure days, read from the database only when its stamp is new here."""
    stamp = service.closures_stamp
    held = _closure_days.get(service.pk)
    if held is not None and held[0] == stamp:
        return held[1]
    days = tuple(service.closures.order_by("date").values_list("date", flat=True))
    _closure_days[service.pk] = (stamp, days)
    return days


def calendar_for_service(service: FosteringService) -> WorkingCalendar:
    """Bank holidays of the service's nation plus its closure days (rules: How dates are counted).

    get_calendar is cached on (nation, closure days), so services with the same
    ones share one precomputed calendar; each service's is also held here, so a
    deadline costs a dictionary lookup before its arithmetic.
    """
    held = _calendars.get(service.pk)
    if held is not None and held[0] == service.closures_stamp and held[1] == service.holiday_nation:
        return held[2]
    calendar = get_calendar(service.holiday_nation, closure_days(service))
    _calendars[service.pk] = (service.closures_stamp, service.holiday_nation, calendar)
    return calendar


def closures_changed(sender: type[ClosureDay], instance: ClosureDay, **kwargs: Any) -> None:
    """post_save and post_delete of a closure day: a new stamp, and this process forgets the days."""
    from .models import FosteringService

    stamp = uuid.uuid4()
    FosteringService.objects.filter(pk=instance.service_id).update(closures_stamp=stamp)
    if type(instance)._meta.get_field("service").is_cached(instance):
        instance.service.closures_stamp = stamp
    _closure_days.pop(instance.service_id, None)
    _calendars.pop(instance.service_id, None)
