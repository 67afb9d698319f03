"""The per-account sign-in limit: wrong passwords from any address count against the account.

django-axes still locks a (username, address) pair after AXES_FAILURE_LIMIT failures. That
alone lets someone with many addresses try each a few times, so every wrong password for an
account is also counted here, whatever the address. Past SAFECARE_ACCOUNT_FREE_FAILURES, each
further failure delays password-only attempts on the account for longer (doubling, up to
SAFECARE_ACCOUNT_MAX_DELAY). During a delay the sign-in page asks for the password *and* a
current code from the account's authenticator app (or a recovery code) together: a stranger
who knows neither cannot lock the real person out, and cannot keep guessing.

The account's owner is alerted (in Safecare and by an e-mail with no personal details) when
the delay first begins, and at most once an hour after that. Each failure is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import SignInFailures, User
from .notifications import notify

audit_log = logging.getLogger("safecare.audit")

ALERT_EVERY = dt.timedelta(hours=1)
# Failures this old no longer count: the count starts again.
FORGET_AFTER = dt.timedelta(hours=24)


def _delay_for(count: int) -> dt.timedelta:
    free = settings.SAFECARE_ACCOUNT_FREE_FAILURES
    if count < free:
        return dt.timedelta(0)
    delay = dt.timedelta(minutes=2 ** min(count - free, 12))
    return min(delay, settings.SAFECARE_ACCOUNT_MAX_DELAY)


def delayed_until(user: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """When password-only attempts on this account are allowed again, or None if they are now."""
    now = now or timezone.now()
    failures = SignInFailures.objects.filter(user=user).first()
    if failures is None or failures.delayed_until is None or failures.delayed_until <= now:
        return None
    return failures.delayed_until


@transaction.atomic
def record_failure(user: User, now: dt.datetime | None = None) -> SignInFailures:
    now = now or timezone.now()
    failures, _ = SignInFailures.objects.select_for_update().get_or_create(user=user)
    if failures.last_failed_at is not None and now - failures.last_failed_at > FORGET_AFTER:
        failures.count = 0
    failures.count += 1
    failures.last_failed_at = now
    delay = _delay_for(failures.count)
    if delay:
        failures.delayed_until = now + delay
    alert = bool(delay) and (failures.alerted_at is None or now - failures.alerted_at >= ALERT_EVERY)
    if alert:
        failures.alerted_at = now
    failures.save()
    audit_log.info(
        "sign_in_failed user_id=%s service_id=%s failures=%d delayed_until=%s",
        user.pk,
        user.service_id,
        failures.count,
        failures.delayed_until.isoformat() if delay and failures.delayed_until else "",
    )
    if alert:
        _alert(user, now)
    return failures


def _alert(user: User, now: dt.datetime) -> None:
    if user.service is None:
        return  # a platform account has no service to hold its alerts; the audit log has it
    local = timezone.localtime(now)
    notify(
        service=user.service,
        recipients=[user],
        kind="sign_in_failures",
        # No personal details: the e-mail says only that there is something to look at.
        subject="Someone gave the wrong password for your account several times. "
        "If it was not you, tell your service administrator",
        reference=f"{local:%d %b %H:%M}",
        url=reverse("notifications:list"),
        dedupe_key=f"sign_in_failures:{local:%Y-%m-%dT%H:%M:%S}",
    )


def forget_failures(user: User) -> None:
    SignInFailures.objects.filter(user=user).exclude(count=0).update(
        count=0, delayed_until=None, last_failed_at=None
    )


def _on_login_failed(sender: object, credentials: dict[str, object], **kwargs: object) -> None:
    username = credentials.get("username")
    if not isinstance(username, str) or not username:
        return
    user = User.objects.filter(username=username).select_related("service").first()
    if user is not None:
        record_failure(user)


def _on_logged_in(sender: object, user: User, **kwargs: object) -> None:
    forget_failures(user)


user_login_failed.connect(_on_login_failed, dispatch_uid="safecare_account_failures")
user_logged_in.connect(_on_logged_in, dispatch_uid="safecare_account_failures_reset")
