"""What the supervision rules do when a case event happens elsewhere (safecare.core.events).

SC-10 when a household is first approved: the repeating supervision duty opens.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from safecare.core.events import Event, subscribe

from . import services

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household


@subscribe(Event.HOUSEHOLD_APPROVED)
def household_approved(*, actor: User, household: Household, approved_on: dt.date, **_: object) -> None:
    services.household_approved(actor=actor, household=household, approved_on=approved_on)
