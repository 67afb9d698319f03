"""Permissions of core's own pages (django-rules, autodiscovered)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from rules.permissions import add_perm as _add_perm
from rules.predicates import Predicate

from .roles import ROLE_CONFIRMERS

# django-rules ships without type hints; one typed alias keeps the call below checked.
add_perm = cast(Callable[[str, Predicate], None], _add_perm)


def _confirms_roles(user: object) -> bool:
    """A service administrator or the head of service: they confirm a role another has given."""
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "service_id", None)
        and getattr(user, "role", "") in ROLE_CONFIRMERS
    )


add_perm("core.confirm_roles", Predicate(_confirms_roles))
