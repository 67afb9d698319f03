"""What the internet monitoring procedure does by itself on a date (core.jobs).

IM-8: monitoring under an agreement ends at the start of its end date, whether or not
anyone opens the record that day. Once, however often and on however many workers the
job runs: an agreement already ended (stopped at a review, replaced) is left alone, and the
end is one row (AgreementEnd is one per agreement).
"""

from __future__ import annotations

from safecare.core.jobs import job
from safecare.core.models import ScheduledJob

from . import services_agree


@job(services_agree.END_JOB)
def end_agreement_on_its_date(scheduled: ScheduledJob) -> None:
    """IM-8: the agreement's end date came: its end is recorded, the CSW and the carers told."""
    services_agree.agreement_end_on_its_date(agreement_id=scheduled.payload["agreement"])
