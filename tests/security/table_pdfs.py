"""Access table of the printed records (PH-1; docs/decisions/0029-print-and-pdfs.md).

A supervision record's PDF is for the household's side who may see the record (its SSW
sam, its team manager fiona, frank, helen, harry), drafts and completed records alike.
The household's carers read completed records in Safecare and get 404 for the PDF: PH-1
says documents the service gives carers are not kept on their devices. Everyone else
gets 404, as for the page. The agreement and CCTV PDFs are in table_agreements.py and
table_devices_cctv.py; with the service's setting at its default (off) carers get 404
there too.
"""

from __future__ import annotations

from typing import Any

from tests.security.table_supervision import SUPERVISORS, SUPERVISORS_OTHER

ROUTES: list[dict[str, Any]] = [
    {
        "name": "supervision:supervision_pdf",
        "kwargs": {"pk": own},
        "method": "GET",
        "allowed": SUPERVISORS,
        "own": own,
        "other": own.removesuffix("_own") + "_other",
        "allowed_other": SUPERVISORS_OTHER,
    }
    for own in ("supervision_own", "completed_supervision_own")
]
