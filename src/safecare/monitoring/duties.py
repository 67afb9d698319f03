"""The duties of the internet monitoring procedure (IM-1 to IM-9), one open per young person each."""

from __future__ import annotations

from safecare.core.tasks import duty

ASSESS = duty(
    "im_assess",
    rule_id="IM-2",
    fulfilled_by="the social worker's assessment of the risk the worry describes",
)
PLANS_UPDATE = duty(
    "im_plans_update",
    rule_id="IM-3",
    fulfilled_by="",  # a reminder: the young person's plans live outside Safecare; marked done with a note
)
ADVOCATE = duty(
    "im_advocate",
    rule_id="IM-6",
    fulfilled_by="the record that the advocate the young person wanted was arranged",
)
REVIEW = duty(
    "im_review",
    rule_id="IM-9",
    fulfilled_by="the review of the monitoring agreement",
)
