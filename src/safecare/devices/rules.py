"""Action permissions of the devices app (django-rules).

Seeing a device or a CCTV request is decided by devices.selectors (built on
core.access: whoever sees the household). These say what a user may do with
one they can already see. Deny by default. Whether a person is one of the
signers of a given report, or the child's social worker for a given child, is
decided by devices.services_cctv, which knows the household and the children.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate

from safecare.core.roles import Role
from safecare.households.rules import FOSTERING_MANAGERS, _role_in, add_perm

# DV-2: carers tell the service; the household's workers record what they find on a visit.
is_declarer = _role_in(Role.CARER, Role.ASSESSING_SW, Role.SUPERVISING_SW, *FOSTERING_MANAGERS)
# DV-2: the SSW (the assessing SW during an assessment) reviews each change and checks the register.
is_reviewer = _role_in(Role.ASSESSING_SW, Role.SUPERVISING_SW, *FOSTERING_MANAGERS)
# DV-9: the CSW and the SSW agree to monitoring an older child.
is_monitoring_agreer = _role_in(Role.CHILDS_SW, Role.SUPERVISING_SW)
# CX-1: the fostering social worker writes the report; managers may help.
is_request_writer = _role_in(Role.ASSESSING_SW, Role.SUPERVISING_SW, *FOSTERING_MANAGERS)
# CX-3: carers, the SSW and the fostering team manager sign.
is_request_signer = _role_in(Role.CARER, Role.ASSESSING_SW, Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER)
# CX-4: the child's social worker answers for each child.
is_csw = _role_in(Role.CHILDS_SW)
# PH-1: carers read documents in the portal; staff may download the PDF.
is_staff_reader = _role_in(*(set(Role) - {Role.CARER}))


def _is_decider(user: Any) -> bool:
    # CX-3: the head of fostering by default; the head of service where the service says so.
    if not (getattr(user, "is_active", False) and getattr(user, "service_id", None)):
        return False
    return bool(user.role == user.service.cctv_decider)


is_decider = Predicate(_is_decider, name="is the service's CCTV decider")

add_perm("devices.declare_device", is_declarer)
add_perm("devices.review_device", is_reviewer)
add_perm("devices.agree_monitoring", is_monitoring_agreer)
add_perm("devices.check_register", is_reviewer)
add_perm("devices.write_cctv_request", is_request_writer)
add_perm("devices.sign_cctv_request", is_request_signer)
add_perm("devices.consent_cctv_request", is_csw)
add_perm("devices.decide_cctv_request", is_decider)
# DV-9: the same decider decides a monitor that films or uploads for a child who is not a baby.
add_perm("devices.decide_monitoring", is_decider)
add_perm("devices.download_cctv_request", is_staff_reader)
