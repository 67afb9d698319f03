from __future__ import annotations

import pytest

from safecare.households.models import Child
from tests.factories import AllocationFactory, ChildFactory


@pytest.fixture
def new_child(world) -> Child:  # type: ignore[no-untyped-def]
    """An unplaced child of chris's (CSW), ready to be placed with household_own."""
    child = ChildFactory(service=world.service, first_name="Wendy", last_name="Ali", team=world.children_team)
    AllocationFactory(worker=world.chris, kind="childs", child=child)
    return child
