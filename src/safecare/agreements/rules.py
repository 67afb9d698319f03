"""Who may write and sign agreements (django-rules); seeing one is agreements.selectors.

Household SCFA: its supervising social worker, the assessing social worker while
the household is being assessed, and fostering managers. Child-specific
agreement: the child's social worker, the household's supervising social
worker and managers of either side. Carers read and sign. Each permission is
checked on a record the user can already see, so a role here never widens
anyone's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from rules.permissions import add_perm as _add_perm
from rules.predicates import Predicate

from safecare.core.roles import Role

add_perm = cast(Callable[[str, Predicate], None], _add_perm)

ASSESSMENT_STATUSES = frozenset({"applicant", "in_assessment"})
HEADS = (Role.HEAD_OF_FOSTERING, Role.HEAD_OF_SERVICE)
FOSTERING_MANAGERS = (Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER, *HEADS)
CHILDREN_MANAGERS = (Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "role", None))


def _writes_scfa(user: Any, household: Any = None) -> bool:
    if not _active(user):
        return False
    if user.role in (Role.SUPERVISING_SW, *FOSTERING_MANAGERS):
        return True
    # SC-1: the assessing social worker writes it during the assessment only.
    if user.role == Role.ASSESSING_SW:
        return household is None or getattr(household, "status", None) in ASSESSMENT_STATUSES
    return False


def _writes_child_agreement(user: Any, obj: Any = None) -> bool:
    return _active(user) and user.role in (
        Role.CHILDS_SW,
        Role.SUPERVISING_SW,
        *FOSTERING_MANAGERS,
        *CHILDREN_MANAGERS,
    )


def _may_sign(user: Any, obj: Any = None) -> bool:
    # Whether this person is a required signer of a given version is decided by
    # agreements.services.required_signers; this only rules out everyone else.
    return _active(user) and user.role in (
        Role.CARER,
        Role.ASSESSING_SW,
        Role.SUPERVISING_SW,
        Role.CHILDS_SW,
    )


def _reads_pdf(user: Any, obj: Any = None) -> bool:
    if not _active(user):
        return False
    if user.role != Role.CARER:
        return True
    # PH-1: documents given to carers are read in the portal, not kept on their devices, unless
    # the service's setting lets carers download an agreement they signed (the view checks
    # the signature: agreements.views.may_download).
    service = getattr(user, "service", None)
    return bool(service is not None and service.carers_may_download_agreements)


add_perm("agreements.change_household_agreement", Predicate(_writes_scfa, name="writes_scfa"))
add_perm(
    "agreements.change_child_agreement", Predicate(_writes_child_agreement, name="writes_child_agreement")
)
add_perm("agreements.sign_agreement", Predicate(_may_sign, name="may_sign"))
add_perm("agreements.download_agreement", Predicate(_reads_pdf, name="reads_pdf"))
