"""The duties of confidential files (PH-5, PH-6) and of subject access (rules: Everywhere)."""

from __future__ import annotations

from safecare.core.tasks import duty

# PH-5: the child's social worker receives the photos for life-story work when a placement ends.
RECEIVE_PHOTOS = duty(
    "ph_receive_photos",
    rule_id="PH-5",
    fulfilled_by="the record that you received the child's photos for life-story work",
)
# PH-5: the household's SSW decides which few photos a family may keep.
DECIDE_KEEP = duty(
    "ph_decide_keep",
    rule_id="PH-5",
    fulfilled_by="your decision on the family's request to keep photos",
)
# PH-6: a lost or stolen device or prints: the child's social worker acts the same day.
LOSS = duty(
    "ph_loss",
    rule_id="PH-6",
    fulfilled_by="your record of what you did about the lost or stolen device or prints",
)
# UK GDPR art. 12(3): a subject access request answered within one month of receipt.
SUBJECT_ACCESS = duty(
    "sar_answer",
    rule_id="DP-1",
    fulfilled_by="the export given to the carer",
)
# Retention: a record past its period waits for the named role's decision.
RETENTION = duty(
    "retention_confirm",
    rule_id="DP-2",
    fulfilled_by="your decision to delete or keep the record",
)
