"""The device register's panel on the household page, the verdict's tag colour, and the devices an agreement covers."""

from __future__ import annotations

from typing import Any

from django import template

from safecare.core.roles import Role
from safecare.devices import selectors
from safecare.devices.verdict import Level

register = template.Library()

# The verdict's tag: the colour repeats the words on it, never replaces them.
TAG_CLASSES = {
    Level.ALLOWED: "govuk-tag--green",
    Level.ACTION_NEEDED: "govuk-tag--yellow",
    Level.NEEDS_EXCEPTION: "govuk-tag--orange",
    Level.PROHIBITED: "govuk-tag--red",
}
TAG_CLASSES_BY_KEY = {level.key: css for level, css in TAG_CLASSES.items()}


@register.filter
def verdict_tag_class(level: Any) -> str:
    """The GOV.UK tag modifier for a verdict level, a Level or its key ("prohibited")."""
    if isinstance(level, Level):
        return TAG_CLASSES[level]
    return TAG_CLASSES_BY_KEY.get(str(getattr(level, "key", level)), "govuk-tag--grey")


@register.inclusion_tag("devices/_household_panel_body.html", takes_context=True)
def devices_household_panel(context: template.Context, household: Any) -> dict[str, Any]:
    user = context["request"].user
    panel = selectors.household_panel(user, household)
    return {
        "panel": panel,
        "is_carer": user.role == Role.CARER,
        "waiting": sum(1 for row in panel["rows"] if row.device.needs_review),
        "levels": [(level, panel["counts"][level.key]) for level in sorted(Level, reverse=True)],
    }


@register.simple_tag
def agreement_devices(version: Any) -> list[selectors.CoveredDevice]:
    """DV-10: the devices an agreement version lists, each warned "Not allowed: ..." when the policy does not allow it today.

    {% agreement_devices version as covered %}: a signed agreement must never read as if
    a prohibited device, or a camera inside with no agreed exception, were agreed.
    """
    entries = list(getattr(version, "devices", None) or [])
    if not entries:
        return []
    return selectors.agreement_devices(version.agreement.household_id, entries)
