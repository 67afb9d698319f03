"""Access table of the service administrator's and the service settings pages.

`core.manage_people` is the service administrator's alone (ada); the settings
pages (`core.change_service_settings`) are also the heads' (helen, harry).
Everyone else gets 404. The settings pages have no object: olga, South's head of
service, reaches them too and sees and changes only South's settings.

Users and teams are named by world attributes that have no "_own" form, so the
walk cannot swap in another service's object for them; tests/core/test_people.py
checks that another service's administrator gets 404 on North's users, teams and
allocations. The two-factor reset and password-link rows act on oscar, a carer
whose service does not require two-factor.

World attributes these rows need (tests/conftest.py):
  allocation_own   -- an allocation of North (POSTs are rolled back, so sam's
                      supervising allocation of household_own does)
  closure_own      -- a closure day of North
  allocation_other / closure_other, allocation_south / closure_south -- optional:
                      another of North's, and one of South's, when present
"""

ADMIN = {"ada"}
# Who confirms a role another has given (core.confirm_roles): administrators and the head of service.
CONFIRMERS = {"ada", "harry"}
SETTINGS_EDITORS = {"ada", "helen", "harry"}
# The settings pages have no object: olga, South's head of service, reaches them
# too, and sees and changes only South's settings.
SETTINGS_PAGES = SETTINGS_EDITORS | {"olga"}

ROUTES = [
    # People (rules: Who sees what: users, teams, allocations; no case content).
    {"name": "people:users", "kwargs": {}, "method": "GET", "allowed": ADMIN, "own": None, "other": None},
    {
        "name": "people:user_create",
        "kwargs": {},
        "method": "GET",
        "allowed": ADMIN,
        "own": None,
        "other": None,
    },
    {
        "name": "people:user_create",
        "kwargs": {},
        "method": "POST",
        "allowed": ADMIN,
        "own": None,
        "other": None,
    },
    {
        "name": "people:user_edit",
        "kwargs": {"pk": "sam"},
        "method": "GET",
        "allowed": ADMIN,
        "own": "sam",
        "other": None,
    },
    {
        "name": "people:user_edit",
        "kwargs": {"pk": "sam"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "sam",
        "other": None,
    },
    {
        "name": "people:user_reset_two_factor",
        "kwargs": {"pk": "oscar"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "oscar",
        "other": None,
    },
    {
        "name": "people:user_send_password_link",
        "kwargs": {"pk": "oscar"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "oscar",
        "other": None,
    },
    # Separation of duties: roles waiting for a second person. Every administrator and the head of
    # service see the list (olga, South's head, sees South's); confirming or refusing answers them for
    # their own service's accounts (sam has nothing waiting: they are told so).
    {
        "name": "people:confirmations",
        "kwargs": {},
        "method": "GET",
        "allowed": CONFIRMERS | {"olga"},
        "own": None,
        "other": None,
    },
    {
        "name": "people:user_confirm_role",
        "kwargs": {"pk": "sam"},
        "method": "POST",
        "allowed": CONFIRMERS,
        "own": "sam",
        "other": None,
    },
    {
        "name": "people:user_refuse_role",
        "kwargs": {"pk": "sam"},
        "method": "POST",
        "allowed": CONFIRMERS,
        "own": "sam",
        "other": None,
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
    {
        "name": "people:allocations",
        "kwargs": {},
        "method": "GET",
        "allowed": ADMIN,
        "own": None,
        "other": None,
    },
    {
        "name": "people:allocations",
        "kwargs": {},
        "method": "POST",
        "allowed": ADMIN,
        "own": None,
        "other": None,
    },
    {
        "name": "people:allocation_end",
        "kwargs": {"pk": "allocation_own"},
        "method": "POST",
        "allowed": ADMIN,
        "own": "allocation_own",
        "other": "allocation_other",
        # Any allocation of the service is the administrator's to end.
        "allowed_other": ADMIN,
    },
    # Service settings (rules: Service settings).
    {
        "name": "settings:edit",
        "kwargs": {},
        "method": "GET",
        "allowed": SETTINGS_PAGES,
        "own": None,
        "other": None,
    },
    {
        "name": "settings:edit",
        "kwargs": {},
        "method": "POST",
        "allowed": SETTINGS_PAGES,
        "own": None,
        "other": None,
    },
    {
        "name": "settings:closures",
        "kwargs": {},
        "method": "GET",
        "allowed": SETTINGS_PAGES,
        "own": None,
        "other": None,
    },
    {
        "name": "settings:closures",
        "kwargs": {},
        "method": "POST",
        "allowed": SETTINGS_PAGES,
        "own": None,
        "other": None,
    },
    {
        "name": "settings:closure_delete",
        "kwargs": {"pk": "closure_own"},
        "method": "POST",
        "allowed": SETTINGS_EDITORS,
        "own": "closure_own",
        "other": "closure_other",
        "allowed_other": SETTINGS_EDITORS,
    },
]
