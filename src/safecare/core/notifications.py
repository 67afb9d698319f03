"""Alerts: an in-app notification per person and an e-mail with no personal data (rules: Everywhere).

E-mails say only that there is something to look at: the kind of thing, a
short reference the reader recognises (a task reference), and a link. They are
sent after the transaction commits, so a rolled-back event sends nothing, and
once per (person, event), so a retried event sends one e-mail.

In the app, each alert names what it is about: the kind of thing (KIND_LABELS) and the
household, which only the list shows. An alert is urgent ("Act today") while it asks
for something to be done today (is_urgent; decision 0025).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import FosteringService, Notification, Task, User

if TYPE_CHECKING:
    from safecare.households.models import Household

# What each kind of alert is about, as the list names it beside the household.
KIND_LABELS: dict[str, str] = {
    "immediate_notice": "Immediate notice",
    "immediate_notice_answered": "Immediate notice answered",
    "change_notice": "Change in the household",
    "change_notice_reviewed": "Change in the household reviewed",
    "care_arrangement": "Care arrangement",
    "care_arrangement_decided": "Care arrangement decided",
    "agreement_to_sign": "Agreement to sign",
    "supervision_completed": "Supervision record",
    "device_declared": "Camera or microphone",
    "device_prohibited": "Camera or microphone not allowed",
    "device_reviewed": "Camera or microphone looked at",
    "monitor_agreed": "Baby monitor agreed",
    "monitor_decided": "Baby monitor decided",
    "cctv_sign": "CCTV report to sign",
    "cctv_consent": "CCTV report to answer",
    "cctv_decision": "CCTV report to decide",
    "cctv_decided": "CCTV decision",
    "cctv_reopened": "CCTV exception to decide again",
    "cctv_restored": "CCTV exception holds again",
    "soc_concern": "Standards of care concern",
    "soc_visit_due": "Standards of care visit",
    "soc_meeting_proposed": "Standards of care meeting proposed",
    "soc_arrange": "Standards of care meeting to arrange",
    "soc_invitation": "Invitation to a standards of care meeting",
    "soc_visit_shared": "Standards of care visit record shared",
    "soc_visit_signed": "Standards of care visit record signed",
    "soc_outcome": "Standards of care meeting outcome",
    "soc_panel_referral": "Referral to the fostering panel",
    "soc_panel_recommendation": "Panel recommendation to decide",
    "soc_adm_decision": "Agency decision maker's decision",
    "soc_review_requested": "Independent review asked for",
    "soc_report_for_qa": "Standards of care meeting report to QA",
    "soc_report_qa_done": "Standards of care meeting report QA'd",
    "soc_report_shared": "Report for your meeting",
    "soc_report_to_chair": "Standards of care meeting report for the chair",
    "soc_carer_response": "Carer's response to a meeting report",
    "im_agreement": "Internet monitoring agreement",
    "im_agreement_ended": "Internet monitoring ended",
    "im_worry": "Worry about internet use",
    "document_shared": "Document to read",
    "carer_report": "Report from a carer",
    "photos_to_receive": "Photos for life-story work",
    "photos_passed_on": "Photos passed on",
    "keep_request": "Request to keep photos",
    "keep_decided": "Request to keep photos decided",
    "loss_report": "Lost or stolen device or photos",
    "export_ready": "Subject access export ready",
    "inspection_pack_ready": "Inspection pack ready",
    "retention_review": "Records past their retention period",
    "role_confirmation": "Role to confirm",
    "sign_in_failures": "Your account",
}
# An alert of this kind asks for a response the same day until its task is done
# (SC-8, SC-11: "immediately" is an alert now and a task due the same day).
IMMEDIATE_KINDS = frozenset({"immediate_notice", "loss_report"})


def kind_label(notification: Notification) -> str:
    return KIND_LABELS.get(notification.kind) or notification.kind.replace("_", " ").capitalize()


def is_urgent(notification: Notification, today: dt.date | None = None) -> bool:
    """Whether the alert asks for something to be done today: "Act today" (decision 0025).

    Its task is open and due today or overdue; or it is an immediate notice whose response
    is still open (or, with no task to say so, that the reader has not yet opened). A
    task done, or due on a later day, leaves nothing to do today.
    """
    task = notification.task
    if notification.kind in IMMEDIATE_KINDS:
        return task.is_open if task is not None else notification.read_at is None
    return task is not None and task.is_open and task.due_on <= (today or timezone.localdate())


def notify(
    *,
    service: FosteringService,
    recipients: Iterable[User | None],
    kind: str,
    subject: str,
    reference: str,
    url: str,
    dedupe_key: str,
    rule_id: str = "",
    task: Task | None = None,
    household: Household | None = None,
    email: bool = True,
) -> list[Notification]:
    """Alert each recipient once for this event. `subject` must hold no personal data.

    `household` is what the alert is about, named in the app only; by default the task's.
    """
    household_id = household.pk if household is not None else (task.household_id if task else None)
    created: list[Notification] = []
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        notification, new = Notification.objects.get_or_create(
            recipient=recipient,
            dedupe_key=dedupe_key,
            defaults={
                "service": service,
                "rule_id": rule_id,
                "kind": kind,
                "subject": subject,
                "reference": reference,
                "url": url,
                "task": task,
                "household_id": household_id,
            },
        )
        if new:
            created.append(notification)
            if email and recipient.email:
                transaction.on_commit(functools.partial(send_notification_email, notification.pk))
    return created


def email_text(notification: Notification) -> tuple[str, str]:
    subject = f"Safecare: {notification.subject} ({notification.reference})"
    link = settings.SITE_URL.rstrip("/") + notification.url
    body = (
        f"There is something for you to look at in Safecare.\n\n"
        f"{notification.subject}\nReference: {notification.reference}\n\n"
        f"Sign in to see it: {link}\n\n"
        "This message holds no personal details on purpose: they stay in Safecare.\n"
    )
    return subject, body


def send_notification_email(notification_id: int) -> bool:
    """Send the e-mail of one notification, once. Safe to call again after a failure."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        subject, body = email_text(notification)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, user: User) -> int:
    """Mark every unread alert of the person read, each stamped with the time as mark_read does.

    Only the person's own alerts; one UPDATE whatever their number. Returns how many.
    """
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
