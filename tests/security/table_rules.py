"""Access-table rows for the rules page: every signed-in person may read the rules."""

from tests.security.table_core import EVERYONE

ROUTES = [
    {"name": "rules", "kwargs": {}, "method": "GET", "allowed": EVERYONE},
]
