"""Access table of the REST API (/api/v1/): who may use each route (SPEC §3).

Each row names a DRF route, the method, and the users who get an answer other
than 404/403 for the `own` object; everyone else gets 404 (an anonymous caller
gets 403: the API never redirects to the sign-in page). List routes answer
every signed-in user, with an empty list where the scope is empty (ada, bella,
olga of the other service), so everyone is "allowed" there.

A write is probed with an empty body: an allowed user gets 400 (or 200 where
every field is optional), never a change of state.

The `world` fixture has no placements, tasks or second member as attributes;
`extra_objects(world)` returns the ones these rows name.
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
HOUSEHOLD_CREATORS = frozenset({"asha", "fiona", "frank", "helen", "harry"})

# Who sees child_own: its CSW and team manager, the service-wide roles, and
# through the household it is placed with, that household's carer, SSW and managers.
CHILD_OWN_READERS = frozenset({"carol", "sam", "fiona", "chris", "tom", "sue", "frank", "helen", "harry"})
CHILD_WORKERS = frozenset({"chris", "tom", "sue", "helen", "harry"})
PLACERS = frozenset({"chris", "tom", "sue", "frank", "helen", "harry"})

# task_own: sam's task about household_own, team Fostering North.
TASK_OWN_READERS = frozenset({"sam", "fiona", "sue", "frank", "helen", "harry"})


def _row(
    name: str,
    method: str,
    allowed: frozenset[str],
    own: str | None = None,
    other: str | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": set(allowed),
        "own": own,
        "other": other,
        "api": True,
    }


ROUTES: list[dict[str, Any]] = [
    # Households
    _row("household-list", "GET", EVERYONE),
    _row("household-list", "POST", HOUSEHOLD_CREATORS),
    _row("household-detail", "GET", HOUSEHOLD_OWN_READERS, "household_own", "household_other"),
    _row("household-detail", "PATCH", HOUSEHOLD_OWN_WORKERS, "household_own", "household_other"),
    # Any status permission (start assessment, hold, approve) on a household they see.
    _row("household-status", "POST", HOUSEHOLD_OWN_WORKERS, "household_own", "household_other"),
    _row("household-members", "GET", HOUSEHOLD_OWN_READERS, "household_own", "household_other"),
    _row("household-members", "POST", HOUSEHOLD_OWN_WORKERS, "household_own", "household_other"),
    # Members
    _row("member-detail", "GET", HOUSEHOLD_OWN_READERS, "carer_member", "member_other"),
    _row("member-detail", "PATCH", HOUSEHOLD_OWN_WORKERS, "carer_member", "member_other"),
    # Children
    _row("child-list", "GET", EVERYONE),
    _row("child-list", "POST", CHILD_WORKERS),
    _row("child-detail", "GET", CHILD_OWN_READERS, "child_own", "child_other"),
    _row("child-detail", "PATCH", CHILD_WORKERS, "child_own", "child_other"),
    # Placements
    _row("placement-list", "GET", EVERYONE),
    _row("placement-list", "POST", PLACERS),
    _row("placement-detail", "GET", CHILD_OWN_READERS, "placement_own", "placement_other"),
    _row("placement-end", "POST", PLACERS, "placement_own", "placement_other"),
    # Tasks (ada and bella: an empty list, 404 for any task)
    _row("task-list", "GET", EVERYONE),
    _row("task-detail", "GET", TASK_OWN_READERS, "task_own", "task_other"),
    _row("task-done", "POST", TASK_OWN_READERS, "task_own", "task_other"),
]


def extra_objects(world: Any) -> dict[str, Any]:
    """The objects the rows name that `world` does not hold as attributes.

    placement_own / placement_other: the current placements of child_own / child_other.
    member_other: the carer of household_other (oscar's member record).
    task_own: an open task of sam's about household_own, team Fostering North.
    task_other: an open task of nobody's, team Fostering West: only the
    service-wide dashboards (sue, frank, helen, harry) see it.
    """
    from tests.factories import TaskFactory

    return {
        "placement_own": world.child_own.placements.get(household=world.household_own),
        "placement_other": world.child_other.placements.get(household=world.household_other),
        "member_other": world.household_other.members.get(user=world.users["oscar"]),
        "task_own": TaskFactory(
            service=world.service,
            owner=world.users["sam"],
            team=world.fostering_team,
            household=world.household_own,
        ),
        "task_other": TaskFactory(
            service=world.service,
            owner=None,
            team=world.other_fostering_team,
            household=world.household_other,
        ),
    }
