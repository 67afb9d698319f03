"""Access table of the standards of care API (/api/v1/soc-*/, /api/v1/national-minimum-standards/): SOC-1 to SOC-5.

The concern, its route decisions, allegation outcome and proposed meetings: the household's
SSW, the fostering team manager of its team, the fostering managers and the heads
(standards.selectors). The visit and its actions: those, and the household's carers. The
child's social worker sees the household but none of these. Everyone else gets 404.
soc_*_own belong to household_own (carol, SSW sam, team manager fiona), soc_*_other to
household_other (oscar's, Fostering West, no SSW), soc_*_south to South Fostering. They
are the records the pages' table makes for the walks (table_standards.extend), or, without
it, tests/standards/records.py's; this table adds each concern's route decision.

A write is probed with an empty body: an allowed caller gets 400 naming a field and the
rule (or 415 for the form-encoded body), never 403/404.
"""

from __future__ import annotations

from typing import Any

from safecare.standards.models import RouteDecision
from tests.standards.records import make_records

EVERYONE = {
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
}  # fmt: skip

# standards.selectors: who reads the concerns, routes and proposals of the households they see.
READERS = {"sam", "fiona", "frank", "helen", "harry"}
READERS_OTHER = {"frank", "helen", "harry"}
# The visit and its actions: the readers and the household's carers.
VISIT_READERS = READERS | {"carol"}
VISIT_READERS_OTHER = READERS_OTHER | {"oscar"}
# standards.rules, for a create that names its concern or household in the body.
RECORDERS = {"asha", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry", "olga"}
DECIDERS = {"frank", "helen", "harry", "olga"}
VISITORS = {"sam"}
# standards.record_action_done, on the actions the caller reads.
KEEPERS = {"sam", "fiona", "frank", "helen", "harry"}


def extend(world: Any) -> None:
    """For the walks only (test_access_table.walk_world), after table_standards.extend."""
    if not hasattr(world, "soc_concern_own"):
        make_records(world)
    for suffix in ("own", "other", "south"):
        concern = getattr(world, f"soc_concern_{suffix}")
        decision = RouteDecision.objects.filter(concern=concern).order_by("-id").first()
        setattr(world, f"soc_decision_{suffix}", decision)


def _api(
    name: str,
    method: str,
    allowed: set[str],
    own: str | None = None,
    allowed_other: set[str] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": allowed,
        "own": own,
        "other": own.replace("_own", "_other") if own else None,
        "allowed_other": allowed_other or set(),
        "api": True,
    }


ROUTES: list[dict[str, Any]] = [
    # SOC-1: concerns. Any staff member who sees the household records one.
    _api("soc-concern-list", "GET", EVERYONE),
    _api("soc-concern-list", "POST", RECORDERS),
    _api("soc-concern-detail", "GET", READERS, "soc_concern_own", READERS_OTHER),
    # SOC-2, SOC-3: routes and allegation outcomes, decided by a fostering manager or a head.
    _api("soc-route-decision-list", "GET", EVERYONE),
    _api("soc-route-decision-list", "POST", DECIDERS),
    _api("soc-route-decision-detail", "GET", READERS, "soc_decision_own", READERS_OTHER),
    _api("soc-allegation-outcome-list", "GET", EVERYONE),
    _api("soc-allegation-outcome-list", "POST", DECIDERS),
    # SOC-4: the visit, recorded by the household's SSW, and its actions.
    _api("soc-visit-list", "GET", EVERYONE),
    _api("soc-visit-list", "POST", VISITORS),
    _api("soc-visit-detail", "GET", VISIT_READERS, "soc_visit_own", VISIT_READERS_OTHER),
    _api("soc-visit-action-list", "GET", EVERYONE),
    _api("soc-visit-action-detail", "GET", VISIT_READERS, "soc_action_own", VISIT_READERS_OTHER),
    _api("soc-visit-action-done", "POST", KEEPERS, "soc_action_own", KEEPERS & READERS_OTHER),
    # SOC-5: proposed meetings, decided by a fostering manager or a head.
    _api("soc-meeting-proposal-list", "GET", EVERYONE),
    _api("soc-meeting-proposal-detail", "GET", READERS, "soc_proposal_own", READERS_OTHER),
    _api("soc-meeting-proposal-decide", "POST", DECIDERS - {"olga"}, "soc_proposal_own", READERS_OTHER),
    # SOC-4: the service's list of National Minimum Standards.
    _api("national-minimum-standard-list", "GET", EVERYONE),
]
