"""Access table of the CCTV exception request pages (safecare.devices, rules: CCTV inside the home CX-1 to CX-6).

Seeing a request follows its household (rules: Who sees what, core.access): whoever sees the
household sees its CCTV requests and their decisions, the CSW of a child placed
there included, and the carers in the portal (CX-5). Each action then needs the
devices.rules permission and, where the rule names a person, that person:
- writing, submitting, changing the report, reopening and withdrawing
  (devices.write_cctv_request): the household's workers and the fostering
  managers, so sam, fiona, frank, helen and harry (asha holds the permission but
  does not see household_own; carers never write the report);
- signing (CX-3, devices.sign_cctv_request): only the people who sign this
  report: its carers, its SSW and a fostering team manager of its team, so carol,
  sam and fiona; for household_other only its carer oscar (no SSW is allocated,
  and no team manager of Fostering West exists);
- answering for a child (CX-4, devices.consent_cctv_request): only the child's
  allocated social worker, for a child named in the report: chris for child_own;
  child_other has no social worker, so nobody answers for it;
- deciding (CX-3, devices.decide_cctv_request): the service's decider, the head of
  fostering by default: helen, who sees both households;
- the PDF (devices.download_cctv_request): staff who see the request; carers read
  the request and its decision in the portal and never download it (PH-1).
Anyone else gets 404, as for a record they cannot see.

cctv_request_own / _other / _south are household_own's / household_other's /
household_south's requests (tests/devices/world.py), each being signed (status
signing) with a report naming the child placed there. An empty POST runs inside a
rolled-back transaction: an allowed user gets the form back with its errors, or a
redirect to the request with the service's message.
"""

from __future__ import annotations

from typing import Any

READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
OTHER_READERS = {"oscar", "sue", "frank", "helen", "harry"}
STAFF_READERS = READERS - {"carol"}
OTHER_STAFF_READERS = OTHER_READERS - {"oscar"}
WRITERS = {"sam", "fiona", "frank", "helen", "harry"}
OTHER_WRITERS = {"frank", "helen", "harry"}
SIGNERS = {"carol", "sam", "fiona"}
OTHER_SIGNERS = {"oscar"}
CSWS = {"chris"}
DECIDERS = {"helen"}

HOUSEHOLD = {"pk": "household_own"}
REQUEST = {"pk": "cctv_request_own"}
CONSENT = {"pk": "cctv_request_own", "child_pk": "child_own"}


def _rows(
    name: str,
    kwargs: dict[str, str],
    allowed: set[str],
    allowed_other: set[str],
    methods: tuple[str, ...] = ("GET", "POST"),
) -> list[dict[str, Any]]:
    own = kwargs["pk"]
    return [
        {
            "name": name,
            "kwargs": kwargs,
            "method": method,
            "allowed": allowed,
            "own": own,
            "other": own.replace("_own", "_other"),
            "allowed_other": allowed_other,
        }
        for method in methods
    ]


ROUTES: list[dict[str, Any]] = [
    *_rows("devices:household_requests", HOUSEHOLD, READERS, OTHER_READERS, ("GET",)),
    # The household already has a request in progress: the writer is sent to it.
    *_rows("devices:request_create", HOUSEHOLD, WRITERS, OTHER_WRITERS),
    *_rows("devices:request_detail", REQUEST, READERS, OTHER_READERS, ("GET",)),
    *_rows("devices:request_edit", REQUEST, WRITERS, OTHER_WRITERS),
    *_rows("devices:request_submit", REQUEST, WRITERS, OTHER_WRITERS),
    *_rows("devices:request_sign", REQUEST, SIGNERS, OTHER_SIGNERS),
    *_rows("devices:request_consent", CONSENT, CSWS, set()),
    *_rows("devices:request_decide", REQUEST, DECIDERS, DECIDERS),
    *_rows("devices:request_revise", REQUEST, WRITERS, OTHER_WRITERS),
    *_rows("devices:request_reopen", REQUEST, WRITERS, OTHER_WRITERS),
    *_rows("devices:request_withdraw", REQUEST, WRITERS, OTHER_WRITERS),
    *_rows("devices:request_pdf", REQUEST, STAFF_READERS, OTHER_STAFF_READERS, ("GET",)),
]
