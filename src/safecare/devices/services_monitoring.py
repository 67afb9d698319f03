"""DV-9: the CCTV decider's decision on a monitor for a child who is not a baby.

A baby monitor for an older child (sleep difficulties or a health condition)
needs the child's social worker's and the supervising social worker's agreement
and the child's consent (devices.services_register). A monitor that records
video or uploads to the cloud for such a child is also decided by the service's
CCTV decider: the head of fostering, or the head of service where the service
says so (the same person who decides a CCTV exception). Until they decide, the
verdict is "needs approved exception" (a decision is needed); if they do not
agree, it is prohibited.

Keyword-only, one transaction, history kept by save_as. Refusals are
ValidationErrors keyed by field, each naming the field and the rule; a
permission refusal is PermissionDenied (404 on pages and in the API).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from safecare.core.audit import save_as

from .duties import refresh_removal_duty
from .guards import require, require_household
from .models import Device, DeviceStatus
from .selectors import awaits_decider
from .services_register import tell_carers_of_decision

if TYPE_CHECKING:
    from safecare.core.models import User

DECISION_FIELDS = ["decider_agreed", "decider_decided_on", "decider_decided_by", "decider_comments"]


@transaction.atomic
def monitor_decide(
    *,
    actor: User,
    device: Device,
    agreed: bool,
    decided_on: dt.date | None = None,
    comments: str = "",
) -> Device:
    """DV-9: the CCTV decider agrees, or does not agree, to a monitor that films or uploads for an older child.

    Agreeing comes after the child's social worker (for a child in care) and the supervising
    social worker have agreed, so the decider decides on the whole picture; not agreeing can
    be recorded at any time and says why. A later decision replaces an earlier one (the
    history keeps both), so the decider can withdraw an agreement when things change.
    """
    device = (
        Device.objects.select_for_update(of=("self",))
        .select_related("household__service", "monitored_child", "monitored_member")
        .get(pk=device.pk)
    )
    household = device.household
    require(actor, "devices.decide_monitoring", household)
    require_household(actor, household)
    if device.status == DeviceStatus.REMOVED:
        raise ValidationError({NON_FIELD_ERRORS: ["Decision: a removed device cannot be decided"]})
    today = timezone.localdate()
    if not awaits_decider(device):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    "Decision: DV-9 only a baby monitor for a child who is not a baby, in the room where "
                    "they sleep, that records video or uploads to the cloud, is decided by the CCTV decider"
                ]
            }
        )
    decided_on = decided_on or today
    errors: dict[str, list[str]] = {}
    if decided_on > today:
        errors["decider_decided_on"] = ["Date decided: the date cannot be in the future"]
    comments = comments.strip()
    if not agreed and not comments:
        errors["decider_comments"] = ["Comments: DV-9 say why you do not agree to the monitor"]
    if agreed:
        waiting = []
        if device.monitored_child_id is not None and device.csw_agreed_on is None:
            waiting.append("the child's social worker")
        if device.ssw_agreed_on is None:
            waiting.append("the supervising social worker")
        if waiting:
            errors[NON_FIELD_ERRORS] = [
                f"Decision: DV-9 {' and '.join(waiting)} must agree before the monitor can be agreed"
            ]
    if errors:
        raise ValidationError(errors)
    device.decider_agreed = agreed
    device.decider_decided_on = decided_on
    device.decider_decided_by = actor
    device.decider_comments = comments
    save_as(device, actor, update_fields=DECISION_FIELDS)
    # A monitor the decider does not agree to is prohibited (DV-9): it is then to be taken out;
    # one agreed after all no longer is.
    refresh_removal_duty(actor=actor, household=household)
    tell_carers_of_decision(
        actor=actor,
        device=device,
        kind="monitor_decided",
        rule_id="DV-9",
        step=str(device.history.latest().history_id),
    )
    return device
