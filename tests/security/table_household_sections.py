"""Access table of the sections of the staff household page, and of staff search (decision 0028).

A section is part of the household's record: whoever may open the record may open each
of its sections, and nobody else (404). A carer opening a section is sent to their own
household's page, which shows everything a carer sees (a redirect: an answer, not a
refusal); another household's section is 404 for them as for anyone.

Each section logs a view of the household, as the record's summary page does, so none
is a list page. Search is a list of case content but lists up to three kinds of record;
tests/households/test_search.py checks that it logs exactly the page of results it shows.
"""

from tests.security.table_households import CASE_STAFF, HOUSEHOLD_OTHER_READERS, HOUSEHOLD_READERS

SECTIONS = ["people", "agreements", "devices", "notices", "supervision", "history"]

ROUTES = [
    *[
        {
            "name": f"households:section_{section}",
            "kwargs": {"pk": "household_own"},
            "method": "GET",
            "allowed": HOUSEHOLD_READERS,
            "own": "household_own",
            "other": "household_other",
            "allowed_other": HOUSEHOLD_OTHER_READERS,
        }
        for section in SECTIONS
    ],
    # Search: every case worker, within what each may see; not carers.
    {
        "name": "households:search",
        "kwargs": {},
        "method": "GET",
        "allowed": CASE_STAFF,
        "own": None,
        "other": None,
    },
]
