"""The Standards of Care checks Safecare makes by itself every day (core.jobs).

SOC-5: an agreed action not done by its timescale is a ground for a meeting; nobody may be
looking at the household that day, so every day each household with an overdue action gets
a proposal for the fostering manager (one open proposal per household, however often it runs).
"""

from __future__ import annotations

import datetime as dt

from safecare.core.jobs import daily

from .services import check_overdue_actions


@daily("soc5_overdue_actions")
def propose_meetings_for_overdue_actions(today: dt.date) -> None:
    check_overdue_actions(today)
