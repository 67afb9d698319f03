"""Action permissions of recordings and supervisions (django-rules).

Seeing a record is decided by the scopes in selectors.py (built on
core.access); these say what a user may do with a record they can already see.
Deny by default. A user who may see a record but not act on it gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from rules.permissions import add_perm as _add_perm
from rules.predicates import Predicate

from safecare.core.roles import Role

add_perm = cast(Callable[[str, Predicate], None], _add_perm)


def _role_in(*roles: str) -> Predicate:
    allowed = frozenset(roles)

    def check(user: Any) -> bool:
        return bool(getattr(user, "is_active", False) and getattr(user, "role", None) in allowed)

    return Predicate(check, name=f"role in {sorted(allowed)}")


def _is_author(user: Any, recording: Any) -> bool:
    return recording is not None and getattr(recording, "written_by_id", None) == getattr(user, "pk", None)


_wrote_it = Predicate(_is_author, name="wrote the recording")


HEADS = (Role.HEAD_OF_FOSTERING, Role.HEAD_OF_SERVICE)
# The household's side of the service: its SSW, and the managers who cover for them.
SUPERVISORS = (Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER, *HEADS)

is_carer = _role_in(Role.CARER)
is_supervisor = _role_in(*SUPERVISORS)

# PH-2: carers send their recordings through the portal; staff do not write them.
add_perm("supervision.add_recording", is_carer)
# A carer corrects their own recordings only; the other carer of the household writes their own.
add_perm("supervision.change_recording", is_carer & _wrote_it)
# SC-7: the SSW reads the recordings; a fostering manager covering may read them too.
add_perm("supervision.mark_recording_read", is_supervisor)
add_perm(
    "supervision.view_recording_history",
    is_supervisor | _role_in(Role.CHILDS_SW, Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER),
)
# SC-10: the SSW writes the supervision record; managers may write or correct it.
add_perm("supervision.change_supervision", is_supervisor)
add_perm("supervision.acknowledge_supervision", is_carer)
# PH-1: documents are not kept on carers' devices; the household's side may print the record.
add_perm("supervision.download_supervision", is_supervisor)
