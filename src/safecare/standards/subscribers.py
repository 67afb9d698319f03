"""What the standards of care procedure does when something happens elsewhere (core.events).

SOC-11: a household whose carers resign while a standards of care process is open is not
marked "resigned" through the household's status: the resignation is recorded on the
standards of care page, which deregisters the household 28 calendar days later by itself,
cannot be withdrawn, and has the panel told of the concerns. A subscriber that raises rolls
the status change back (core.events.publish).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from safecare.core.events import Event, subscribe
from safecare.households.models import HouseholdStatus

if TYPE_CHECKING:
    from safecare.core.models import User
    from safecare.households.models import Household, HouseholdStatusChange


@subscribe(Event.HOUSEHOLD_STATUS_CHANGED)
def resignation_goes_through_soc11(
    *, actor: User, household: Household, change: HouseholdStatusChange, **_: object
) -> None:
    from .services import open_soc_concerns

    if change.to_status != HouseholdStatus.RESIGNED or not open_soc_concerns(household):
        return
    raise ValidationError(
        {
            "to_status": [
                "New status: SOC-11 the household has a standards of care process open, so a written "
                "resignation is recorded on its standards of care page: the household is then deregistered "
                "28 calendar days after it was received, and the fostering panel is told of the concerns"
            ]
        }
    )
