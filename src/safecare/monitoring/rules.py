"""Action permissions of the internet monitoring procedure (django-rules). Deny by default.

What a user may do; the services check the young person is theirs (monitoring.selectors' scopes).
"""

from __future__ import annotations

from safecare.core.roles import Role
from safecare.households.rules import _role_in, add_perm

# IM-1: anyone caring for the young person: the carers, the household's SSW, the young
# person's social worker and their managers.
is_worry_raiser = _role_in(
    Role.CARER,
    Role.SUPERVISING_SW,
    Role.CHILDS_SW,
    Role.CHILDRENS_TEAM_MANAGER,
    Role.FOSTERING_TEAM_MANAGER,
    Role.SERVICE_MANAGER,
)
# IM-2 to IM-9: the young person's social worker does the procedure's work.
is_social_worker = _role_in(Role.CHILDS_SW)
# IM-4: the team manager and the service manager take part in the evaluation and may record it.
is_im_manager = _role_in(Role.CHILDRENS_TEAM_MANAGER, Role.SERVICE_MANAGER)

add_perm("monitoring.record_worry", is_worry_raiser)
add_perm("monitoring.assess", is_social_worker)
add_perm("monitoring.record_strategy", is_social_worker | is_im_manager)
add_perm("monitoring.refer_panel", is_social_worker)
add_perm("monitoring.evaluate", is_social_worker | is_im_manager)
add_perm("monitoring.decide", is_social_worker | is_im_manager)
add_perm("monitoring.discuss", is_social_worker)
add_perm("monitoring.record_agreement", is_social_worker)
add_perm("monitoring.review", is_social_worker)
add_perm("monitoring.record_residence", is_social_worker | is_im_manager)
