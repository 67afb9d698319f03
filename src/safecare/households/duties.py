"""The duties the households rules raise (SC-3), by their stable keys."""

from __future__ import annotations

from safecare.core.tasks import duty

# SC-3: carers receive "Safer Caring: A New Approach" within 14 calendar days of approval.
SAFER_CARING_GUIDANCE = duty(
    "safer_caring_guidance", rule_id="SC-3", fulfilled_by="the date the carers were given the guidance"
)
