"""Access table of the household, child, placement and history pages (safecare.households).

Seeing a record comes from core.access; doing something with it needs the
django-rules permission as well (households/rules.py). Either missing answers
404. The list pages are for staff who work with cases (not carers, service
administrators or business support); olga, head of service of South Fostering,
gets her own service's list and 404 on every North record.

Who sees household_own (Patel): carol its carer, sam its SSW, fiona its team
manager, chris and tom through the child placed there, sue, frank, helen, harry
service-wide. child_own: the same people. household_other and child_other are
oscar's, and reached service-wide by sue, frank, helen and harry.
"""

CASE_STAFF = {"asha", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry", "pat", "adam", "olga"}

HOUSEHOLD_READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
HOUSEHOLD_OTHER_READERS = {"oscar", "sue", "frank", "helen", "harry"}
# households.change_household / record_training / the status permissions, among the readers.
HOUSEHOLD_WORKERS = {"sam", "fiona", "frank", "helen", "harry"}
# households.add_household (olga holds it for her own service).
HOUSEHOLD_CREATORS = {"asha", "fiona", "frank", "helen", "harry", "olga"}
# households.view_history, among the readers.
HISTORY_READERS = {"fiona", "tom", "sue", "frank", "helen", "harry"}

CHILD_READERS = {"carol", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
CHILD_OTHER_READERS = {"oscar", "sue", "frank", "helen", "harry"}
# households.add_child / change_child.
CHILD_WORKERS = {"chris", "tom", "sue", "helen", "harry"}
CHILD_CREATORS = CHILD_WORKERS | {"olga"}
# households.manage_placements, among the readers.
PLACERS = {"chris", "tom", "sue", "frank", "helen", "harry"}


def _rows(name: str, kwargs: dict, allowed: set, own: str | None, other: str | None, **extra: object) -> list:
    return [
        {
            "name": name,
            "kwargs": kwargs,
            "method": method,
            "allowed": allowed,
            "own": own,
            "other": other,
            **extra,
        }
        for method in ("GET", "POST")
    ]


HOUSEHOLD = {"pk": "household_own"}
CHILD = {"pk": "child_own"}

ROUTES = [
    # Lists: every case worker; an empty list where their scope is empty.
    {
        "name": "households:list",
        "kwargs": {},
        "method": "GET",
        "allowed": CASE_STAFF,
        "own": None,
        "other": None,
    },
    {
        "name": "households:child_list",
        "kwargs": {},
        "method": "GET",
        "allowed": CASE_STAFF,
        "own": None,
        "other": None,
    },
    *_rows("households:create", {}, HOUSEHOLD_CREATORS, None, None),
    # A household's record: anyone who sees it; the carer gets the limited view.
    {
        "name": "households:detail",
        "kwargs": HOUSEHOLD,
        "method": "GET",
        "allowed": HOUSEHOLD_READERS,
        "own": "household_own",
        "other": "household_other",
        "allowed_other": HOUSEHOLD_OTHER_READERS,
    },
    *_rows("households:edit", HOUSEHOLD, HOUSEHOLD_WORKERS, "household_own", "household_other"),
    *_rows("households:status", HOUSEHOLD, HOUSEHOLD_WORKERS, "household_own", "household_other"),
    *_rows("households:member_add", HOUSEHOLD, HOUSEHOLD_WORKERS, "household_own", "household_other"),
    *_rows(
        "households:member_edit",
        {"pk": "household_own", "member_pk": "member_own"},
        HOUSEHOLD_WORKERS,
        "household_own",
        "household_other",
    ),
    *_rows("households:visitor_add", HOUSEHOLD, HOUSEHOLD_WORKERS, "household_own", "household_other"),
    *_rows("households:training_add", HOUSEHOLD, HOUSEHOLD_WORKERS, "household_own", "household_other"),
    *_rows("households:guidance", HOUSEHOLD, HOUSEHOLD_WORKERS, "household_own", "household_other"),
    {
        "name": "households:household_history",
        "kwargs": HOUSEHOLD,
        "method": "GET",
        "allowed": HISTORY_READERS,
        "own": "household_own",
        "other": "household_other",
    },
    # Children.
    *_rows("households:child_create", {}, CHILD_CREATORS, None, None),
    {
        "name": "households:child_detail",
        "kwargs": CHILD,
        "method": "GET",
        "allowed": CHILD_READERS,
        "own": "child_own",
        "other": "child_other",
        "allowed_other": CHILD_OTHER_READERS,
    },
    *_rows("households:child_edit", CHILD, CHILD_WORKERS, "child_own", "child_other"),
    {
        "name": "households:child_history",
        "kwargs": CHILD,
        "method": "GET",
        "allowed": HISTORY_READERS,
        "own": "child_own",
        "other": "child_other",
    },
    # Placements: made from the child's page, ended through the placement itself.
    *_rows("households:placement_create", CHILD, PLACERS, "child_own", "child_other"),
    *_rows("households:placement_end", {"pk": "placement_own"}, PLACERS, "placement_own", "placement_other"),
]
