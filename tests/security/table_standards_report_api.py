"""Access table of the meeting report's API (/api/v1/soc-reports/ and the rest, SOC-7, SOC-8, SOC-12).

The records are table_standards_report's (a report on each household's meeting, version 1
sent to the carer; on household_own the CSW chris is named on it). Lists answer everyone
(empty outside the scope). A write is probed with an empty body: an allowed caller gets 400
naming a field and the rule (or 428 without If-Match, or 201 when nothing more is needed),
never 404. The walk sends GET and POST only: who may PATCH a draft (its SSW and the
named CSW) is tested in tests/standards/test_report_api.py.
"""

from __future__ import annotations

from typing import Any

from .table_standards_api import EVERYONE, READERS, READERS_OTHER, _api

# standards.write_report: supervising and children's social workers (each then scoped to the
# reports they write: a meeting named in an empty body is not yet checked).
WRITER_ROLES = {"sam", "chris"}

ROUTES: list[dict[str, Any]] = [
    _api("soc-report-list", "GET", EVERYONE),
    _api("soc-report-list", "POST", WRITER_ROLES),
    _api("soc-report-detail", "GET", READERS | {"chris"}, "soc_report_own", READERS_OTHER),
    _api("soc-report-submit", "POST", {"sam"}, "soc_report_own", set()),
    _api("soc-report-version-list", "GET", EVERYONE),
    _api(
        "soc-report-version-detail",
        "GET",
        READERS | {"chris", "carol"},
        "soc_report_version_own",
        READERS_OTHER | {"oscar"},
    ),
    _api("soc-report-version-qa", "POST", {"fiona"}, "soc_report_version_own", set()),
    _api("soc-report-version-send", "POST", READERS, "soc_report_version_own", READERS_OTHER),
    _api("soc-report-sending-list", "GET", EVERYONE),
    _api(
        "soc-report-sending-detail",
        "GET",
        READERS | {"chris", "carol"},
        "soc_report_sending_own",
        READERS_OTHER | {"oscar"},
    ),
    _api(
        "soc-report-sending-confirm-receipt",
        "POST",
        READERS | {"carol"},
        "soc_report_sending_own",
        READERS_OTHER | {"oscar"},
    ),
    _api("soc-carer-response-list", "GET", EVERYONE),
    _api("soc-carer-response-list", "POST", {"carol", "oscar"}),
    _api(
        "soc-carer-response-detail",
        "GET",
        READERS | {"carol"},
        "soc_carer_response_own",
        READERS_OTHER | {"oscar"},
    ),
]
