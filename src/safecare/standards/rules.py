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
# SOC-5: the fostering manager proposes a meeting on their own grounds (a pattern, a refused
# action plan, a significant concern), with reasons.
add_perm("standards.propose_meeting", is_route_decider)
# SOC-8: who asks business support to arrange the meeting; business support arranges the
# meetings they are asked to (standards.selectors scopes it) and sends the invitations.
add_perm("standards.request_arrangement", is_meeting_arranger)
is_business_support = _role_in(Role.BUSINESS_SUPPORT)
add_perm("standards.send_invitations", is_business_support | is_meeting_arranger)
# SOC-8: the documents sent with every invitation are the service's, uploaded by business
# support or the fostering managers.
add_perm("standards.upload_service_documents", is_business_support | is_route_decider)
# SOC-7: the SSW writes and submits the report (with the CSW named on it, scoped by the
# selectors); the fostering team manager QAs it; the SSW sends it.
is_report_writer = _role_in(Role.SUPERVISING_SW, Role.CHILDS_SW)
add_perm("standards.write_report", is_report_writer)
add_perm("standards.submit_report", is_visitor)
add_perm("standards.qa_report", _role_in(Role.FOSTERING_TEAM_MANAGER))
add_perm("standards.send_report", is_visitor | is_route_decider | _role_in(Role.FOSTERING_TEAM_MANAGER))
# SOC-8: the carer may send a response to the chair.
add_perm("standards.respond_to_report", _role_in(Role.CARER))
# SOC-10: the chair (a fostering manager) records the outcome; a panel member the panel's
# recommendation; the agency decision maker the decision; the fostering managers the
# carer's request for an independent review.
add_perm("standards.record_outcome", is_route_decider)
add_perm("standards.record_recommendation", _role_in(Role.PANEL_MEMBER))
add_perm("standards.decide_approval", _role_in(Role.AGENCY_DECISION_MAKER))
add_perm("standards.record_review_request", is_route_decider)
