"""Access table of the agreement pages and API (safecare.agreements; SC-1, SC-4, SC-5).

Seeing an agreement follows its subject (core.access): the household's SCFA
whoever sees the household (its carer, its SSW, its team manager, the CSW and
team manager of a child placed there, the service-wide roles); a child-specific
agreement whoever sees the placement (a carer only while the child lives with
them). Writing: the SCFA by the household's workers and fostering managers; a
child-specific agreement also by the CSW and children's managers. Signing: only
the people who must sign that agreement. PDFs are for staff only (PH-1: carers
read documents in the portal, never download them) unless the service's setting
carers_may_download_agreements is on (default off, as walked here); then a carer may
download a version she has signed (tests/agreements/test_carer_pdf_setting.py).

agreement_own / agreement_version_own: household_own's SCFA (signers carol, sam).
agreement_other: household_other's (signer oscar; no SSW allocated).
child_agreement_own: placement_own's (signers carol, sam, chris); _other: placement_other's (oscar).
"""

from __future__ import annotations

from typing import Any

READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
OTHER_READERS = {"oscar", "sue", "frank", "helen", "harry"}
STAFF_READERS = READERS - {"carol"}
OTHER_STAFF_READERS = OTHER_READERS - {"oscar"}
SCFA_WRITERS = {"sam", "fiona", "frank", "helen", "harry"}
OTHER_SCFA_WRITERS = {"frank", "helen", "harry"}
CHILD_WRITERS = {"sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
OTHER_CHILD_WRITERS = {"sue", "frank", "helen", "harry"}
# agreements.change_household_agreement or change_child_agreement, on no record yet.
ANY_WRITER = {"asha", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry", "olga"}
EVERYONE = {
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
}  # fmt: skip


def _row(
    name: str,
    method: str,
    own: str | None,
    allowed: set[str],
    allowed_other: set[str] | None = None,
    *,
    api: bool = False,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": allowed,
        "own": own,
        "other": own.replace("_own", "_other") if own else None,
    }
    if allowed_other is not None:
        row["allowed_other"] = allowed_other
    if api:
        row["api"] = True
    return row


def _both(
    name: str, own: str, allowed: set[str], allowed_other: set[str] | None = None
) -> list[dict[str, Any]]:
    return [_row(name, method, own, allowed, allowed_other) for method in ("GET", "POST")]


ROUTES: list[dict[str, Any]] = [
    _row("agreements:household", "GET", "household_own", READERS, OTHER_READERS),
    *_both("agreements:household_edit", "household_own", SCFA_WRITERS),
    _row("agreements:child", "GET", "placement_own", READERS, OTHER_READERS),
    *_both("agreements:child_edit", "placement_own", CHILD_WRITERS),
    _row("agreements:version", "GET", "agreement_version_own", READERS, OTHER_READERS),
    *_both("agreements:sign", "agreement_version_own", {"carol", "sam"}, {"oscar"}),
    _row("agreements:pdf", "GET", "agreement_version_own", STAFF_READERS, OTHER_STAFF_READERS),
    # The same routes for a child-specific agreement's version.
    _row("agreements:version", "GET", "child_agreement_version_own", READERS, OTHER_READERS),
    *_both("agreements:sign", "child_agreement_version_own", {"carol", "sam", "chris"}, {"oscar"}),
    _row("agreements:pdf", "GET", "child_agreement_version_own", STAFF_READERS, OTHER_STAFF_READERS),
    # API
    _row("agreement-list", "GET", None, EVERYONE, api=True),
    _row("agreement-list", "POST", None, ANY_WRITER, api=True),
    _row("agreement-detail", "GET", "agreement_own", READERS, OTHER_READERS, api=True),
    _row("agreement-detail", "GET", "child_agreement_own", READERS, OTHER_READERS, api=True),
    _row("agreement-versions", "POST", "agreement_own", SCFA_WRITERS, OTHER_SCFA_WRITERS, api=True),
    _row("agreement-versions", "POST", "child_agreement_own", CHILD_WRITERS, OTHER_CHILD_WRITERS, api=True),
    _row("agreement-sign", "POST", "agreement_own", {"carol", "sam"}, {"oscar"}, api=True),
    _row("agreement-sign", "POST", "child_agreement_own", {"carol", "sam", "chris"}, {"oscar"}, api=True),
]
