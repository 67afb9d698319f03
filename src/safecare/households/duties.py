"""The duties the households rules raise (SC-3), by their stable keys."""

from __future__ import annotations

# SC-3: carers receive "Safer Caring: A New Approach" within 14 calendar days of approval.
SAFER_CARING_GUIDANCE = "safer_caring_guidance"
