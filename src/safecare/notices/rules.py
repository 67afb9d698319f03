"""Action permissions of the notices app (django-rules).

Seeing a notice, an arrangement or a child's risk record is decided by
notices.selectors (built on core.access); these say what a user may do with
one they can already see. Deny by default.
"""

from __future__ import annotations

from safecare.core.roles import Role
from safecare.households.rules import HEADS, _role_in, add_perm

# SC-6, SC-8, SC-11, SC-12: carers tell and ask; only for their own household (the views'
# scopes) and for children placed with them now (the services).
is_carer = _role_in(Role.CARER)
# The household's side reviews what carers send: the SSW and the fostering managers.
is_reviewer = _role_in(Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER, *HEADS)
# SC-9: the child's side flags risk and records the assessment (rules: Who sees what: CSW, risk assessment).
is_child_risk_worker = _role_in(Role.CHILDS_SW, Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER, *HEADS)

add_perm("notices.send_notice", is_carer)
add_perm("notices.request_care_arrangement", is_carer)
# SC-12: staff who learn of an arrangement record it, after the fact too: the household's
# side and the child's side (their scopes decide which households and children).
add_perm("notices.record_care_arrangement", is_reviewer | is_child_risk_worker)
add_perm("notices.review_notice", is_reviewer)
add_perm("notices.decide_care_arrangement", is_reviewer)
add_perm("notices.flag_child_risk", is_child_risk_worker)
add_perm("notices.record_risk_assessment", is_child_risk_worker)
