"""Access table of the devices API (/api/v1/devices/, /api/v1/cctv-requests/): DV-1 to DV-12, CX-1 to CX-6.

Whoever sees a household sees its devices and CCTV requests (rules: Who sees what), the
child's social worker included; what they may do is devices.rules, on what
they see. Everyone else gets 404. device_own / cctv_request_own belong to
household_own (Patel: carol, SSW sam, team manager fiona, child Xavier with
CSW chris); *_other to household_other (oscar's, Fostering West, no SSW);
*_south to South Fostering (tests/devices/world.py).

A write is probed with an empty body, so an allowed caller gets 400 (a field
or a rule named) or 200 where nothing needs saying (a review, a revision, a
withdrawal), never 403/404. The partial updates are walked in
tests/devices/test_api.py.
"""

from __future__ import annotations

from typing import Any

EVERYONE = {
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
}  # fmt: skip

READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
READERS_OTHER = {"oscar", "sue", "frank", "helen", "harry"}

# devices.declare_device: carers, the household's social workers and fostering managers.
# Creating names the household in the body, so the permission alone decides an empty POST.
DECLARERS = {"carol", "oscar", "asha", "sam", "fiona", "frank", "helen", "harry", "olga"}
# devices.review_device (DV-2) and devices.write_cctv_request (CX-1): the same roles less the carers.
WORKERS = DECLARERS - {"carol", "oscar"}
# devices.agree_monitoring (DV-9): the CSW and the SSW.
MONITORING = {"chris", "sam"}
# devices.sign_cctv_request (CX-3), and only those who sign this report: carers, SSW, team manager.
SIGNERS = {"carol", "sam", "fiona"}
SIGNERS_OTHER = {"oscar"}
# devices.decide_cctv_request: the service's decider, the head of fostering by default.
DECIDERS = {"helen"}


def _api(
    name: str,
    method: str,
    allowed: set[str],
    own: str | None = None,
    other: str | None = None,
    allowed_other: set[str] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": allowed,
        "own": own,
        "other": other,
        "allowed_other": allowed_other or set(),
        "api": True,
    }


def _device(name: str, method: str, allowed: set[str], allowed_other: set[str]) -> dict[str, Any]:
    return _api(name, method, allowed, "device_own", "device_other", allowed_other)


def _request(name: str, method: str, allowed: set[str], allowed_other: set[str]) -> dict[str, Any]:
    return _api(name, method, allowed, "cctv_request_own", "cctv_request_other", allowed_other)


ROUTES: list[dict[str, Any]] = [
    # The register (DV-1 to DV-12).
    _api("device-list", "GET", EVERYONE),
    _api("device-list", "POST", DECLARERS),
    _device("device-detail", "GET", READERS, READERS_OTHER),
    _device("device-remove", "POST", READERS & DECLARERS, READERS_OTHER & DECLARERS),
    _device("device-review", "POST", READERS & WORKERS, READERS_OTHER & WORKERS),
    # Nobody is household_other's SSW, and no CSW sees it.
    _device("device-agree-monitoring", "POST", MONITORING, set()),
    # DV-9: the CCTV decider decides for every household she reads.
    _device("device-decide-monitoring", "POST", DECIDERS, DECIDERS),
    # CCTV exception requests (CX-1 to CX-6).
    _api("cctv-request-list", "GET", EVERYONE),
    _api("cctv-request-list", "POST", WORKERS),
    _request("cctv-request-detail", "GET", READERS, READERS_OTHER),
    _request("cctv-request-submit", "POST", READERS & WORKERS, READERS_OTHER & WORKERS),
    _request("cctv-request-sign", "POST", SIGNERS, SIGNERS_OTHER),
    # CX-4: chris is the CSW of the child named in cctv_request_own's report; nobody's for the other.
    _request("cctv-request-consent", "POST", {"chris"}, set()),
    _request("cctv-request-decide", "POST", DECIDERS, DECIDERS),
    _request("cctv-request-revise", "POST", READERS & WORKERS, READERS_OTHER & WORKERS),
    _request("cctv-request-reopen", "POST", READERS & WORKERS, READERS_OTHER & WORKERS),
    _request("cctv-request-withdraw", "POST", READERS & WORKERS, READERS_OTHER & WORKERS),
]
