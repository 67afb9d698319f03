"""Access-table rows for the typeahead suggestions of the allocation and placement forms.

Each answers exactly whom its form answers: the suggestions are the form's own choices.
"""

from tests.security.table_households import CHILD, PLACERS
from tests.security.table_people import ADMIN

ROUTES = [
    {"name": "people:allocation_suggest", "kwargs": {}, "method": "GET", "allowed": ADMIN},
    {
        "name": "households:placement_households",
        "kwargs": CHILD,
        "method": "GET",
        "allowed": PLACERS,
        "own": "child_own",
        "other": "child_other",
    },
]
