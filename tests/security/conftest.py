"""The access-table walk's records of the apps kept out of the shared world (tests/conftest.py).

The standards of care records (tests/standards/records.py) are made once for the walk, inside
its module transaction, and rolled back with it: the standards tests count the concerns,
visits and proposals they make themselves, so the shared world holds none.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.standards.records import make_records


@pytest.fixture(scope="module", autouse=True)
def _walk_records(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    if not hasattr(request.module, "walk"):
        return
    world, _clients = request.getfixturevalue("walk")
    with django_db_blocker.unblock():
        make_records(world)
