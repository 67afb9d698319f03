"""Access table: sign-in, home, tasks and the schema (safecare.core routes)."""

EVERYONE = {
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
}  # fmt: skip
CASE_STAFF = {"asha", "sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry", "pat", "adam"}

ROUTES = [
    # Public: signing in and resetting a password need no account.
    {"name": "login", "kwargs": {}, "method": "GET", "public": True},
    {"name": "password_reset", "kwargs": {}, "method": "GET", "public": True},
    {"name": "password_reset_done", "kwargs": {}, "method": "GET", "public": True},
    {"name": "password_reset_complete", "kwargs": {}, "method": "GET", "public": True},
    {
        "name": "password_reset_confirm",
        "kwargs": {"uidb64": "MQ", "token": "set-password"},
        "method": "GET",
        "public": True,
    },
    {"name": "api_schema", "kwargs": {}, "method": "GET", "public": True},
    {"name": "logout", "kwargs": {}, "method": "POST", "public": True},
    # Signed in, any role.
    {"name": "home", "kwargs": {}, "method": "GET", "allowed": EVERYONE},
    {"name": "two_factor", "kwargs": {}, "method": "GET", "allowed": EVERYONE},
    {"name": "two_factor_setup", "kwargs": {}, "method": "GET", "allowed": EVERYONE},
    # The time-out warning's "Stay signed in": the session counts as used.
    {"name": "stay_signed_in", "kwargs": {}, "method": "POST", "allowed": EVERYONE},
    # Each person's own API tokens: the list for everyone; a token only for its owner (the
    # walk's world has none, so a made-up one is nobody's: 404 for all).
    {"name": "api_tokens", "kwargs": {}, "method": "GET", "allowed": EVERYONE},
    {"name": "api_token_revoke", "kwargs": {"key": "sc_nobodys"}, "method": "POST", "allowed": set()},
    # Tasks: everyone with case work has their own inbox (carers too: later rules give
    # them duties such as signing); dashboards for managers only.
    {"name": "tasks:mine", "kwargs": {}, "method": "GET", "allowed": CASE_STAFF | {"carol", "oscar", "olga"}},
    {"name": "tasks:team", "kwargs": {}, "method": "GET", "allowed": {"fiona", "tom"}},
    {
        "name": "tasks:service",
        "kwargs": {},
        "method": "GET",
        "allowed": {"sue", "frank", "helen", "harry", "olga"},
    },
    {
        "name": "tasks:detail",
        "kwargs": {"pk": "task_own"},
        "method": "GET",
        "own": "task_own",
        "other": "task_other",
        "allowed": {"sam", "fiona", "sue", "frank", "helen", "harry"},
        "allowed_other": {"sue", "frank", "helen", "harry"},
    },
    {
        "name": "tasks:done",
        "kwargs": {"pk": "task_own"},
        "method": "POST",
        "own": "task_own",
        "other": "task_other",
        "allowed": {"sam", "fiona", "sue", "frank", "helen", "harry"},
        "allowed_other": {"sue", "frank", "helen", "harry"},
    },
]

# Alerts: each person's own; the list exists for everyone signed in, an alert only for its recipient.
ROUTES += [
    {"name": "notifications:list", "kwargs": {}, "method": "GET", "allowed": EVERYONE},
    # Marking all read touches only the person's own alerts, so everyone signed in may.
    {"name": "notifications:mark_all_read", "kwargs": {}, "method": "POST", "allowed": EVERYONE},
    {
        "name": "notifications:open",
        "kwargs": {"pk": "notification_own"},
        "method": "POST",
        "own": "notification_own",
        "allowed": {"sam"},
    },
]
