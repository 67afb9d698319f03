"""Alerts: an in-app notification per person and an e-mail with no personal data (rules: Everywhere).

E-mails say only that there is something to look at: the kind of thing, a
short reference the reader recognises (a task reference), and a link. They are
sent after the transaction commits, so a rolled-back event sends nothing, and
once per (person, event), so a retried event sends one e-mail.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import FosteringService, Notification, Task, User


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
    email: bool = True,
) -> list[Notification]:
    """Alert each recipient once for this event. `subject` must hold no personal data."""
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
