"""Access table of the REST API (/api/v1/): who may use each route (rules: Who sees what).

Each row names a DRF route, the method, and the users who get an answer other
than 404/403 for the `own` object; everyone else gets 404 (an anonymous caller
gets 403: the API never redirects to the sign-in page). List routes answer
every signed-in user, with an empty list where the scope is empty (ada, bella,
olga of the other service), so everyone is "allowed" there.

A write is probed with an empty body: an allowed user gets 400 (or 200 where
nothing needs saying, as for marking a task done), never a 403 or 404.

PATCH_ROUTES holds the partial updates. They share their route names with the
GET rows of ROUTES, and the walker of tests/security sends GET and POST only,
so tests/api/test_access_table.py walks them.
"""

from __future__ import annotations

from typing import Any

EVERYONE = frozenset(
    {
        "carol",
        "asha",
        "sam",
        "chris",
        "fiona",
        "tom",
        "sue",
        "frank",
        "helen",
        "harry",
        "bella",
        "pat",
        "adam",
        "ada",
        "oscar",
        "olga",
    }
)

# Who sees household_own (Patel): its carer, its SSW, the manager of its team,
# the CSW and managers of the child placed there, and the service-wide roles.
HOUSEHOLD_OWN_READERS = frozenset({"carol", "sam", "fiona", "chris", "tom", "sue", "frank", "helen", "harry"})
# households.change_household among them: the household's workers and managers.
HOUSEHOLD_OWN_WORKERS = frozenset({"sam", "fiona", "frank", "helen", "harry"})
# Creating needs no record to see first: olga creates in her own service (South).
HOUSEHOLD_CREATORS = frozenset({"asha", "fiona", "frank", "helen", "harry", "olga"})

# Who sees child_own: its CSW and team manager, the service-wide roles, and
# through the household it is placed with, that household's carer, SSW and managers.
CHILD_OWN_READERS = frozenset({"carol", "sam", "fiona", "chris", "tom", "sue", "frank", "helen", "harry"})
CHILD_WORKERS = frozenset({"chris", "tom", "sue", "helen", "harry"})
CHILD_CREATORS = CHILD_WORKERS | {"olga"}
PLACERS = frozenset({"chris", "tom", "sue", "frank", "helen", "harry"})
PLACEMENT_CREATORS = PLACERS | {"olga"}

# task_own: sam's task about household_own, team Fostering North.
TASK_OWN_READERS = frozenset({"sam", "fiona", "sue", "frank", "helen", "harry"})

# The other objects (household_other, Jones: oscar's, team Fostering West, with
# child_other placed there, nobody's child) are reached by their own carer and
# the service-wide roles only; task_other (nobody's, Fostering West) by the
# service-wide dashboards only.
SERVICE_WIDE = frozenset({"sue", "frank", "helen", "harry"})
OTHER_READERS = SERVICE_WIDE | {"oscar"}
OTHER_HOUSEHOLD_WORKERS = frozenset({"frank", "helen", "harry"})


def _row(
    name: str,
    method: str,
    allowed: frozenset[str],
    own: str | None = None,
    other: str | None = None,
    allowed_other: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": set(allowed),
        "own": own,
        "other": other,
        "api": True,
    }
    if other:
        row["allowed_other"] = set(allowed_other)
    return row


ROUTES: list[dict[str, Any]] = [
    # Households
    _row("household-list", "GET", EVERYONE),
    _row("household-list", "POST", HOUSEHOLD_CREATORS),
    _row("household-detail", "GET", HOUSEHOLD_OWN_READERS, "household_own", "household_other", OTHER_READERS),
    # Any status permission (start assessment, hold, approve) on a household they see.
    _row(
        "household-status",
        "POST",
        HOUSEHOLD_OWN_WORKERS,
        "household_own",
        "household_other",
        OTHER_HOUSEHOLD_WORKERS,
    ),
    _row(
        "household-members", "GET", HOUSEHOLD_OWN_READERS, "household_own", "household_other", OTHER_READERS
    ),
    _row(
        "household-members",
        "POST",
        HOUSEHOLD_OWN_WORKERS,
        "household_own",
        "household_other",
        OTHER_HOUSEHOLD_WORKERS,
    ),
    # Members
    _row("member-detail", "GET", HOUSEHOLD_OWN_READERS, "member_own", "member_other", OTHER_READERS),
    # Children
    _row("child-list", "GET", EVERYONE),
    _row("child-list", "POST", CHILD_CREATORS),
    _row("child-detail", "GET", CHILD_OWN_READERS, "child_own", "child_other", OTHER_READERS),
    # Placements
    _row("placement-list", "GET", EVERYONE),
    _row("placement-list", "POST", PLACEMENT_CREATORS),
    _row("placement-detail", "GET", CHILD_OWN_READERS, "placement_own", "placement_other", OTHER_READERS),
    _row("placement-end", "POST", PLACERS, "placement_own", "placement_other", SERVICE_WIDE),
    # Tasks (ada and bella: an empty list, 404 for any task)
    _row("task-list", "GET", EVERYONE),
    _row("task-detail", "GET", TASK_OWN_READERS, "task_own", "task_other", SERVICE_WIDE),
    _row("task-done", "POST", TASK_OWN_READERS, "task_own", "task_other", SERVICE_WIDE),
    # The caller's own API tokens: a list for everyone, a token only for its owner
    # (tests/core/test_api_tokens.py); a made-up one is nobody's.
    _row("api-token-list", "GET", EVERYONE),
    {
        "name": "api-token-detail",
        "kwargs": {"token_key": "sc_nobodys"},
        "method": "GET",
        "allowed": set(),
        "own": None,
        "other": None,
        "api": True,
    },
]

# Partial updates: the workers of a record, never a carer or a reader only.
PATCH_ROUTES: list[dict[str, Any]] = [
    _row(
        "household-detail",
        "PATCH",
        HOUSEHOLD_OWN_WORKERS,
        "household_own",
        "household_other",
        OTHER_HOUSEHOLD_WORKERS,
    ),
    _row(
        "member-detail", "PATCH", HOUSEHOLD_OWN_WORKERS, "member_own", "member_other", OTHER_HOUSEHOLD_WORKERS
    ),
    _row(
        "child-detail",
        "PATCH",
        CHILD_WORKERS,
        "child_own",
        "child_other",
        frozenset({"sue", "helen", "harry"}),
    ),
]
