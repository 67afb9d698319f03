"""Access table of the device register pages (safecare.devices, DV-1, DV-2, DV-9).

Who sees what (rules: Who sees what, devices.selectors): whoever sees the household sees its
devices and its register, the child's social worker included (chris, through
Xavier placed in household_own). Everything else answers 404. What each may do
with what they see is the rules perm (devices.rules), checked by the view:
- read the register and a device page: everyone who sees the household;
- declare, change or remove a device (devices.declare_device): the carers, the
  assessing or supervising social worker and the fostering managers. Of those
  who see household_own that is carol, sam, fiona, frank, helen, harry; chris
  sees it but may not declare. For household_other: oscar, frank, helen, harry;
- review a device and record the periodic check (devices.review_device,
  devices.check_register): the SSW and the fostering managers, never a carer:
  sam, fiona, frank, helen, harry / frank, helen, harry;
- agree to a baby monitor for an older child (devices.agree_monitoring): the
  CSW and the SSW, chris and sam. The page answers both; whether this CSW is the
  monitored child's worker, or this SSW the household's, is for the service,
  which refuses on the form. Nobody holding the perm sees household_other.
- decide on a monitor that films or uploads for an older child
  (devices.decide_monitoring): the service's CCTV decider, helen (head of
  fostering), for every household she reads; the page says when there is
  nothing to decide.

The register and the device page are read-only: they answer GET, and a POST gets
405 from everyone alike, so they have GET rows only. An empty POST to a form page
comes back with the form's errors (200), or, for a review, is saved and
redirected inside the walker's rolled-back transaction.

The *_other records belong to household_other (oscar's, Fostering West); the
*_south records to South Fostering, which nobody in North reaches.
"""

from __future__ import annotations

from typing import Any

HOUSEHOLD_READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
HOUSEHOLD_OTHER_READERS = {"oscar", "sue", "frank", "helen", "harry"}
# devices.declare_device among the readers.
DECLARERS = {"carol", "sam", "fiona", "frank", "helen", "harry"}
DECLARERS_OTHER = {"oscar", "frank", "helen", "harry"}
# devices.review_device / devices.check_register among the readers.
REVIEWERS = {"sam", "fiona", "frank", "helen", "harry"}
REVIEWERS_OTHER = {"frank", "helen", "harry"}
# devices.agree_monitoring among the readers.
MONITORING_AGREERS = {"chris", "sam"}
MONITORING_AGREERS_OTHER: set[str] = set()
# devices.decide_monitoring: the service's CCTV decider.
MONITORING_DECIDERS = {"helen"}


def _rows(
    name: str,
    obj: str,
    allowed: set[str],
    allowed_other: set[str],
    methods: tuple[str, ...] = ("GET", "POST"),
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "kwargs": {"pk": f"{obj}_own"},
            "method": method,
            "allowed": allowed,
            "own": f"{obj}_own",
            "other": f"{obj}_other",
            "allowed_other": allowed_other,
        }
        for method in methods
    ]


WEB_ROUTES: list[dict[str, Any]] = [
    *_rows("devices:household_devices", "household", HOUSEHOLD_READERS, HOUSEHOLD_OTHER_READERS, ("GET",)),
    *_rows("devices:device_create", "household", DECLARERS, DECLARERS_OTHER),
    *_rows("devices:device_check", "household", REVIEWERS, REVIEWERS_OTHER),
    *_rows("devices:device_detail", "device", HOUSEHOLD_READERS, HOUSEHOLD_OTHER_READERS, ("GET",)),
    *_rows("devices:device_edit", "device", DECLARERS, DECLARERS_OTHER),
    *_rows("devices:device_remove", "device", DECLARERS, DECLARERS_OTHER),
    *_rows("devices:device_review", "device", REVIEWERS, REVIEWERS_OTHER),
    *_rows("devices:device_monitoring", "device", MONITORING_AGREERS, MONITORING_AGREERS_OTHER),
    *_rows("devices:device_monitoring_decision", "device", MONITORING_DECIDERS, MONITORING_DECIDERS),
]

ROUTES: list[dict[str, Any]] = WEB_ROUTES
