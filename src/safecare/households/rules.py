"""Action permissions as named predicates (django-rules).

Seeing a record is decided by safecare.core.access; these say what a user may
do with a record they can already see. Deny by default: a role not named here
may do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from rules.permissions import add_perm as _add_perm
from rules.predicates import Predicate

from safecare.core.roles import Role

# django-rules ships without type hints; one typed alias keeps the calls below checked.
add_perm = cast(Callable[[str, Predicate], None], _add_perm)


def _role_in(*roles: str) -> Predicate:
    allowed = frozenset(roles)

    def check(user: Any) -> bool:
        return bool(getattr(user, "is_active", False) and getattr(user, "role", None) in allowed)

    return Predicate(check, name=f"role in {sorted(allowed)}")


HEADS = (Role.HEAD_OF_FOSTERING, Role.HEAD_OF_SERVICE)
FOSTERING_MANAGERS = (Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER, *HEADS)
CHILDREN_MANAGERS = (Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER, *HEADS)

is_household_worker = _role_in(Role.ASSESSING_SW, Role.SUPERVISING_SW, *FOSTERING_MANAGERS)
is_household_creator = _role_in(Role.ASSESSING_SW, *FOSTERING_MANAGERS)
is_approver = _role_in(Role.FOSTERING_MANAGER, *HEADS)
is_child_worker = _role_in(Role.CHILDS_SW, *CHILDREN_MANAGERS)
is_placer = _role_in(Role.CHILDS_SW, Role.FOSTERING_MANAGER, *CHILDREN_MANAGERS)
is_history_reader = _role_in(
    Role.FOSTERING_TEAM_MANAGER,
    Role.CHILDRENS_TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.FOSTERING_MANAGER,
    *HEADS,
)
is_settings_editor = _role_in(Role.SERVICE_ADMIN, *HEADS)
is_service_admin = _role_in(Role.SERVICE_ADMIN)

add_perm("households.add_household", is_household_creator)
add_perm("households.change_household", is_household_worker)
add_perm("households.record_training", is_household_worker)
# Approval, deregistration and resumption from hold are decisions for managers;
# moving an applicant into assessment, on hold or resigned is the worker's.
add_perm("households.start_assessment", is_household_worker)
add_perm("households.approve_household", is_approver)
add_perm("households.hold_household", is_household_worker)
add_perm("households.add_child", is_child_worker)
add_perm("households.change_child", is_child_worker)
add_perm("households.manage_placements", is_placer)
add_perm("households.view_history", is_history_reader)
add_perm("core.change_service_settings", is_settings_editor)
add_perm("core.manage_people", is_service_admin)
