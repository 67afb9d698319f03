"""Access table of the meeting report's pages (safecare.standards.views_report, SOC-7, SOC-8, SOC-12).

On each household's meeting (table_standards's soc_meeting_*) a report is written and
submitted as version 1 and sent to the carer. On household_own the child's social worker
chris is named to write with the SSW: he reads and writes the report, and nothing else of
the procedure. On household_other nobody is its SSW, and no CSW is named.

- writing: the household's SSW and the named CSW; submitting: the SSW only;
- reading a version: the SoC readers, the named CSW, and the carers it was sent to; its
  PDF: the same but the carers, who read it in the portal;
- QA: the fostering team manager of the household's team (fiona);
- sending and recording receipt: the SSW, the fostering team manager and the fostering
  managers; the carer confirms her own receipt;
- the carer's response: the household's carers; moving the meeting: those who arrange it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from safecare.core.signatures import sign
from safecare.standards.models import (
    CarerResponse,
    MeetingReport,
    Recipient,
    ReportSending,
    ReportVersion,
    SharedHow,
)

from .table_standards import READERS, READERS_OTHER

SECTIONS = {
    "reason": "Late bedtimes.",
    "career": "Approved 2019.",
    "investigation": "Visit.",
    "consultation": "Carers agree.",
    "current_situation": "Settled.",
    "analysis": "Standard 6.",
    "working_well": "Warmth.",
    "worried_about": "Routines.",
    "next_steps": "A plan.",
}


def _report(world: Any, suffix: str, csw: Any) -> None:
    meeting = getattr(world, f"soc_meeting_{suffix}")
    report = MeetingReport.objects.create(
        service=meeting.service, meeting=meeting, started_by=meeting.chair, csw=csw, **SECTIONS
    )
    content = {"sections": SECTIONS, "facts": {}, "chronology": []}
    version = ReportVersion.objects.create(
        service=meeting.service, report=report, number=1, content=content, submitted_by=meeting.chair
    )
    sign(actor=meeting.chair, document=version, content=content, signed_as="supervising social worker")
    sending = ReportSending.objects.create(
        service=meeting.service,
        version=version,
        recipient=Recipient.CARER,
        recipient_name="The carer",
        how=SharedHow.APP,
        sent_on=meeting.meets_on - dt.timedelta(days=20),
        sent_by=meeting.chair,
    )
    response = CarerResponse.objects.create(
        service=meeting.service, meeting=meeting, text="The lunches were packed.", sent_by=meeting.chair
    )
    setattr(world, f"soc_carer_response_{suffix}", response)
    setattr(world, f"soc_report_{suffix}", report)
    setattr(world, f"soc_report_version_{suffix}", version)
    setattr(world, f"soc_report_sending_{suffix}", sending)


def extend(world: Any) -> None:
    _report(world, "own", world.chris)
    _report(world, "other", None)
    _report(world, "south", None)


def _rows(
    name: str, attr: str, allowed: set[str], allowed_other: set[str], methods: tuple[str, ...]
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "kwargs": {"pk": attr},
            "method": method,
            "allowed": allowed,
            "own": attr,
            "other": attr.replace("_own", "_other"),
            "allowed_other": allowed_other,
        }
        for method in methods
    ]


BOTH = ("GET", "POST")
SENDERS = READERS  # sam, fiona, frank and the heads
ARRANGERS = READERS

ROUTES: list[dict[str, Any]] = [
    *_rows("standards:report_edit", "soc_meeting_own", {"sam", "chris"}, set(), BOTH),
    *_rows("standards:report_submit", "soc_meeting_own", {"sam"}, set(), BOTH),
    *_rows("standards:carer_response", "soc_meeting_own", {"carol"}, {"oscar"}, BOTH),
    *_rows("standards:meeting_reschedule", "soc_meeting_own", ARRANGERS, READERS_OTHER, BOTH),
    *_rows(
        "standards:report_version",
        "soc_report_version_own",
        READERS | {"chris", "carol"},
        READERS_OTHER | {"oscar"},
        ("GET",),
    ),
    *_rows(
        "standards:report_version_pdf", "soc_report_version_own", READERS | {"chris"}, READERS_OTHER, ("GET",)
    ),
    *_rows("standards:report_qa", "soc_report_version_own", {"fiona"}, set(), BOTH),
    *_rows("standards:report_send", "soc_report_version_own", SENDERS, READERS_OTHER, BOTH),
    *_rows(
        "standards:receipt_confirm",
        "soc_report_sending_own",
        SENDERS | {"carol"},
        READERS_OTHER | {"oscar"},
        BOTH,
    ),
]
