"""The duties of the standards of care procedure (SOC-2, SOC-4, SOC-5).

Each is open once per household (core.tasks): one task stands for every concern of the
household that waits for the same step, due on the earliest of their dates, and it
closes when the last of them has its record.
"""

from __future__ import annotations

from safecare.core.tasks import duty

ROUTE_DECISION = duty(
    "soc_route_decision",
    rule_id="SOC-2",
    fulfilled_by="the fostering manager's route decision on each concern waiting for one",
)
VISIT = duty(
    "soc_visit",
    rule_id="SOC-4",
    fulfilled_by="the record of the supervising social worker's standards of care visit",
)
VISIT_SHARE = duty(
    "soc_visit_share",
    rule_id="SOC-4",
    fulfilled_by="the signed visit record shared with the carer and the fostering manager",
)
MEETING_DECISION = duty(
    "soc_meeting_decision",
    rule_id="SOC-5",
    fulfilled_by="the fostering manager's decision on the proposed standards of care meeting",
)
SUPPORT_REFERRAL = duty(
    "soc_support_referral",
    rule_id="SOC-6",
    fulfilled_by="the record that the carer was referred to the Fostering Network for an independent support worker",
)
MINUTES = duty(
    "soc_minutes",
    rule_id="SOC-9",
    fulfilled_by="the chair's record that the minutes of the standards of care meeting were sent",
)
# A reminder: telling the panel happens outside Safecare; it is marked done with a note of how.
PANEL_TOLD = duty("soc_panel_told", rule_id="SOC-11", fulfilled_by="")
ARRANGE = duty(
    "soc_arrange",
    rule_id="SOC-8",
    fulfilled_by="the meeting's date, place and chair, set by the business support officer asked to arrange it",
)
INVITATIONS = duty(
    "soc_invitations",
    rule_id="SOC-8",
    fulfilled_by="the invitations sent, each with the procedure, the confidentiality agreement and the code of conduct",
)
REPORT = duty(
    "soc_report",
    rule_id="SOC-7",
    fulfilled_by="the meeting report submitted for QA, signed by the supervising social worker",
)
REPORT_QA = duty(
    "soc_report_qa",
    rule_id="SOC-7",
    fulfilled_by="the fostering team manager's QA of the submitted report",
)
REPORT_TO_CHAIR = duty(
    "soc_report_to_chair",
    rule_id="SOC-7",
    fulfilled_by="the QA'd report sent to the chair",
)
REPORT_TO_CARER = duty(
    "soc_report_to_carer",
    rule_id="SOC-7",
    fulfilled_by="the QA'd report sent to the carer",
)
OUTCOME = duty(
    "soc_outcome",
    rule_id="SOC-10",
    fulfilled_by="the chair's record of the meeting's outcome",
)
PANEL_RECOMMENDATION = duty(
    "soc_panel_recommendation",
    rule_id="SOC-10",
    fulfilled_by="the fostering panel's recommendation, recorded by a panel member",
)
ADM_DECISION = duty(
    "soc_adm_decision",
    rule_id="SOC-10",
    fulfilled_by="the agency decision maker's decision on the panel's recommendation",
)
