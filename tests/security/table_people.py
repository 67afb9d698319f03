"""Access table of the service administrator's and the service settings pages.

`core.manage_people` is the service administrator's alone (ada); the settings
pages (`core.change_service_settings`) are also the heads' (helen, harry).
Everyone else, other services included, gets 404. Each "other" object belongs to
South Fostering, which nobody named in North may reach.

The two-factor reset and password-link rows act on oscar, a carer whose service
does not require two-factor: resetting a staff account would take away the
verification of that person's own signed-in test client.

Object keys that are not yet attributes of the shared `world` fixture:
  allocation_own -- an allocation of North Fostering that has already ended, so
                    ending it again changes nobody's access (any North allocation works)
  closure_own    -- a closure day of North Fostering dated in the future
"""

ADMIN = {"ada"}
SETTINGS_EDITORS = {"ada", "helen", "harry"}

ROUTES = [
    # People (SPEC §3: users, teams, allocations; no case content).
    {"name": "people:users", "kwargs": {}, "method": "GET", "allowed": ADMIN, "own": None, "other": None},
    {"name": "people:user_create", "kwargs": {}, "method": "GET", "allowed": ADMIN, "own": None, "other": None},
    {"name": "people:user_create", "kwargs": {}, "method": "POST", "allowed": ADMIN, "own": None, "other": None},
    {
        "name": "people:user_edit",
        "kwargs": {"pk": "sam"},
        "method": "GET",
        "allowed": ADMIN,
        "own": "sam",
        "other": "olga",
    },
    {
        "name": "people:user_edit",
        "kwargs": {"pk": "sam"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "sam",
        "other": "olga",
    },
    {
        "name": "people:user_reset_two_factor",
        "kwargs": {"pk": "oscar"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "oscar",
        "other": "olga",
    },
    {
        "name": "people:user_send_password_link",
        "kwargs": {"pk": "oscar"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "oscar",
        "other": "olga",
    },
    {"name": "people:teams", "kwargs": {}, "method": "GET", "allowed": ADMIN, "own": None, "other": None},
    {"name": "people:teams", "kwargs": {}, "method": "POST", "allowed": ADMIN, "own": None, "other": None},
    {
        "name": "people:team_edit",
        "kwargs": {"pk": "fostering_team"},
        "method": "GET",
        "allowed": ADMIN,
        "own": "fostering_team",
        "other": None,
    },
    {
        "name": "people:team_edit",
        "kwargs": {"pk": "fostering_team"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "fostering_team",
        "other": None,
    },
    {"name": "people:allocations", "kwargs": {}, "method": "GET", "allowed": ADMIN, "own": None, "other": None},
    {"name": "people:allocations", "kwargs": {}, "method": "POST", "allowed": ADMIN, "own": None, "other": None},
    {
        "name": "people:allocation_end",
        "kwargs": {"pk": "allocation_own"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "allocation_own",
        "other": None,
    },
    # Service settings (SPEC §6).
    {"name": "settings:edit", "kwargs": {}, "method": "GET", "allowed": SETTINGS_EDITORS, "own": None, "other": None},
    {"name": "settings:edit", "kwargs": {}, "method": "POST", "allowed": SETTINGS_EDITORS, "own": None, "other": None},
    {
        "name": "settings:closures",
        "kwargs": {},
        "method": "GET",
        "allowed": SETTINGS_EDITORS,
        "own": None,
        "other": None,
    },
    {
        "name": "settings:closures",
        "kwargs": {},
        "method": "POST",
        "allowed": SETTINGS_EDITORS,
        "own": None,
        "other": None,
    },
    {
        "name": "settings:closure_delete",
        "kwargs": {"pk": "closure_own"},
        "method": "POST",
        "allowed": SETTINGS_EDITORS,
        "own": "closure_own",
        "other": None,
    },
]
