"""Access table of carers' notices, care arrangements and children's risk (safecare.notices).

Who reads what (docs/decisions/0011-notices.md):
- change notices (SC-6): the household's carers and its side (SSW, fostering team
  manager, fostering manager, heads); not a child's social worker;
- immediate notices (SC-8, SC-11) and care arrangements (SC-12): the same, plus
  whoever sees a child they concern (CSW chris, children's team manager tom,
  service manager sue);
- a child's risk flag and assessments (SC-9): staff who see the child, and only
  the child's side (CSW, children's managers, heads) may change them.
Carers write only for their own household; the SSW and fostering managers review.
Care arrangements (SC-12) are recorded by the carers and by staff who see the household.

The *_other records belong to household_other (oscar's, Fostering West) and
child_other (nobody's child); the *_south records to South Fostering.
"""

from __future__ import annotations

from typing import Any

HOUSEHOLD_READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
HOUSEHOLD_OTHER_READERS = {"oscar", "sue", "frank", "helen", "harry"}
CARER = {"carol"}
CARER_OTHER = {"oscar"}
# Creating through the API names the household in the body: each carer for their own.
CARERS = CARER | CARER_OTHER
# The household's side, among those who see household_own / household_other.
HOUSEHOLD_SIDE = {"carol", "sam", "fiona", "frank", "helen", "harry"}
HOUSEHOLD_SIDE_OTHER = {"oscar", "frank", "helen", "harry"}
# notices.record_care_arrangement: the household's side and the child's side.
ARRANGEMENT_RECORDERS = {"sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry", "olga"}
# notices.review_notice / decide_care_arrangement.
REVIEWERS = {"sam", "fiona", "frank", "helen", "harry"}
REVIEWERS_OTHER = {"frank", "helen", "harry"}
# Those who see a child the record concerns (child_own / child_other).
CHILD_SIDE = {"chris", "tom", "sue"}
CHILD_SIDE_OTHER = {"sue"}
# notices.flag_child_risk / record_risk_assessment, among those who see the child.
RISK_WORKERS = {"chris", "tom", "sue", "helen", "harry"}
RISK_WORKERS_OTHER = {"sue", "helen", "harry"}
CASE_STAFF = {"asha", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry", "pat", "adam", "olga"}


def _rows(
    name: str,
    kwargs: dict[str, str],
    allowed: set[str],
    own: str | None,
    other: str | None,
    allowed_other: set[str],
    methods: tuple[str, ...] = ("GET", "POST"),
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "kwargs": kwargs,
            "method": method,
            "allowed": allowed,
            "own": own,
            "other": other,
            "allowed_other": allowed_other,
        }
        for method in methods
    ]


HOUSEHOLD = {"pk": "household_own"}
CHILD = {"pk": "child_own"}

WEB_ROUTES: list[dict[str, Any]] = [
    *_rows(
        "notices:household_notices",
        HOUSEHOLD,
        HOUSEHOLD_READERS,
        "household_own",
        "household_other",
        HOUSEHOLD_OTHER_READERS,
        ("GET",),
    ),
    *_rows("notices:change_create", HOUSEHOLD, CARER, "household_own", "household_other", CARER_OTHER),
    *_rows("notices:immediate_create", HOUSEHOLD, CARER, "household_own", "household_other", CARER_OTHER),
    # SC-12: the carers, and staff who see the household (after the fact too).
    *_rows(
        "notices:arrangement_create",
        HOUSEHOLD,
        HOUSEHOLD_READERS,
        "household_own",
        "household_other",
        HOUSEHOLD_OTHER_READERS,
    ),
    *_rows(
        "notices:change_detail",
        {"pk": "change_notice_own"},
        HOUSEHOLD_SIDE,
        "change_notice_own",
        "change_notice_other",
        HOUSEHOLD_SIDE_OTHER,
        ("GET",),
    ),
    *_rows(
        "notices:change_review",
        {"pk": "change_notice_own"},
        REVIEWERS,
        "change_notice_own",
        "change_notice_other",
        REVIEWERS_OTHER,
    ),
    *_rows(
        "notices:immediate_detail",
        {"pk": "immediate_notice_own"},
        HOUSEHOLD_SIDE | CHILD_SIDE,
        "immediate_notice_own",
        "immediate_notice_other",
        HOUSEHOLD_SIDE_OTHER | CHILD_SIDE_OTHER,
        ("GET",),
    ),
    *_rows(
        "notices:immediate_acknowledge",
        {"pk": "immediate_notice_own"},
        REVIEWERS,
        "immediate_notice_own",
        "immediate_notice_other",
        REVIEWERS_OTHER,
    ),
    *_rows(
        "notices:arrangement_detail",
        {"pk": "arrangement_own"},
        HOUSEHOLD_SIDE | CHILD_SIDE,
        "arrangement_own",
        "arrangement_other",
        HOUSEHOLD_SIDE_OTHER | CHILD_SIDE_OTHER,
        ("GET",),
    ),
    *_rows(
        "notices:arrangement_decide",
        {"pk": "arrangement_own"},
        REVIEWERS,
        "arrangement_own",
        "arrangement_other",
        REVIEWERS_OTHER,
    ),
    # Staff who work with cases get the breaches in their own scope (an empty list where none).
    *_rows("notices:breaches", {}, CASE_STAFF, None, None, set(), ("GET",)),
    *_rows("notices:risk_flag", CHILD, RISK_WORKERS, "child_own", "child_other", RISK_WORKERS_OTHER),
    *_rows(
        "notices:risk_assessment_create",
        CHILD,
        RISK_WORKERS,
        "child_own",
        "child_other",
        RISK_WORKERS_OTHER,
    ),
]

EVERYONE = {
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
}  # fmt: skip


def _api(
    name: str,
    method: str,
    allowed: set[str],
    own: str | None = None,
    other: str | None = None,
    allowed_other: set[str] | None = None,
) -> dict[str, Any]:
    # A list answers everyone signed in (empty outside their scope); a write is probed
    # with an empty body, so an allowed caller gets 400 (or 200), never 403/404.
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


API_ROUTES: list[dict[str, Any]] = [
    _api("change-notice-list", "GET", EVERYONE),
    _api("change-notice-list", "POST", CARERS),
    _api(
        "change-notice-detail",
        "GET",
        HOUSEHOLD_SIDE,
        "change_notice_own",
        "change_notice_other",
        HOUSEHOLD_SIDE_OTHER,
    ),
    _api(
        "change-notice-review", "POST", REVIEWERS, "change_notice_own", "change_notice_other", REVIEWERS_OTHER
    ),
    _api("immediate-notice-list", "GET", EVERYONE),
    _api("immediate-notice-list", "POST", CARERS),
    _api(
        "immediate-notice-detail",
        "GET",
        HOUSEHOLD_SIDE | CHILD_SIDE,
        "immediate_notice_own",
        "immediate_notice_other",
        HOUSEHOLD_SIDE_OTHER | CHILD_SIDE_OTHER,
    ),
    _api(
        "immediate-notice-respond",
        "POST",
        REVIEWERS,
        "immediate_notice_own",
        "immediate_notice_other",
        REVIEWERS_OTHER,
    ),
    _api("care-arrangement-list", "GET", EVERYONE),
    # SC-12: carers and staff record; the household is named in the body (olga in her own service).
    _api("care-arrangement-list", "POST", CARERS | ARRANGEMENT_RECORDERS),
    _api(
        "care-arrangement-detail",
        "GET",
        HOUSEHOLD_SIDE | CHILD_SIDE,
        "arrangement_own",
        "arrangement_other",
        HOUSEHOLD_SIDE_OTHER | CHILD_SIDE_OTHER,
    ),
    _api(
        "care-arrangement-decide", "POST", REVIEWERS, "arrangement_own", "arrangement_other", REVIEWERS_OTHER
    ),
    # SC-9: olga holds the permission in her own service; the child is named in the body.
    _api("risk-flag-list", "GET", EVERYONE),
    _api("risk-flag-list", "POST", RISK_WORKERS | {"olga"}),
    _api("risk-assessment-list", "GET", EVERYONE),
    _api("risk-assessment-list", "POST", RISK_WORKERS | {"olga"}),
]

ROUTES: list[dict[str, Any]] = [*WEB_ROUTES, *API_ROUTES]
