"""Action permissions of the standards of care procedure (django-rules).

Seeing a concern, a route, a visit or a proposal is decided by standards.selectors;
these say what a user may do, and the services check the household too. Deny by default.
"""

from __future__ import annotations

from safecare.core.roles import Role
from safecare.households.rules import HEADS, _role_in, add_perm

# SOC-1: any staff member who sees the household records what they were told. Not carers
# (they tell their SSW), nor business support, panel members, the agency decision maker or
# service administrators, who see no household.
is_concern_recorder = _role_in(
    Role.ASSESSING_SW,
    Role.SUPERVISING_SW,
    Role.CHILDS_SW,
    Role.FOSTERING_TEAM_MANAGER,
    Role.CHILDRENS_TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.FOSTERING_MANAGER,
    *HEADS,
)
# SOC-2, SOC-3, SOC-5: the fostering manager decides (the heads of fostering and of service may too).
is_route_decider = _role_in(Role.FOSTERING_MANAGER, *HEADS)
# SOC-4: the household's supervising social worker visits and records it.
is_visitor = _role_in(Role.SUPERVISING_SW)
# SOC-4, SOC-5: who says an agreed action is done: the SSW and the fostering managers.
is_action_keeper = _role_in(Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER, *HEADS)
# Who reads the standards of care records of the households they see (rules: Who sees what).
is_soc_reader = _role_in(Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER, *HEADS)

add_perm("standards.record_concern", is_concern_recorder)
add_perm("standards.view_concerns", is_soc_reader)
add_perm("standards.decide_route", is_route_decider)
add_perm("standards.record_allegation_outcome", is_route_decider)
add_perm("standards.record_visit", is_visitor)
add_perm("standards.record_action_done", is_action_keeper)
add_perm("standards.decide_meeting", is_route_decider)
# SOC-7, SOC-8: the SSW arranges the meeting (with business support, who see no case yet),
# or the fostering managers; SOC-9: the chair, a fostering manager, records the minutes.
is_meeting_arranger = _role_in(
    Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER, Role.FOSTERING_MANAGER, *HEADS
)
add_perm("standards.arrange_meeting", is_meeting_arranger)
add_perm("standards.record_minutes", is_route_decider)
