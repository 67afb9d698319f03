"""Every write a service administrator makes to people: users and teams, and who is allocated to whom.

Keyword-only arguments, one transaction, the history row naming the actor, all
inside it (STYLE: services). None of these touch case content (rules: Who sees what: the
service administrator manages people, not cases).

Concurrent edits: core.concurrency refuses a save over a newer version (rules: Everywhere).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import devices_for_user

from safecare.core.audit import assign, save_as
from safecare.core.concurrency import check_version
from safecare.core.models import FosteringService, Team, User
from safecare.core.notifications import notify
from safecare.core.roles import ROLE_CONFIRMERS, ROLES_NEEDING_CONFIRMATION, Role
from safecare.core.services_settings import service_of
from safecare.households.models import Allocation

audit_log = logging.getLogger("safecare.audit")

# Template names, not secrets.
PASSWORD_SET_SUBJECT = "people/email/password_set_subject.txt"  # noqa: S105
PASSWORD_SET_BODY = "people/email/password_set_body.txt"  # noqa: S105


# Users --------------------------------------------------------------------------------------


def _check_team(service: FosteringService, team: Team | None) -> None:
    if team is not None and team.service_id != service.pk:
        raise ValidationError({"team": "Team: choose one of your service's teams"})


def _current_allocations(user: User) -> int:
    return Allocation.objects.current().filter(worker=user).count()


def _password_set_context(user: User) -> dict[str, Any]:
    site = urlsplit(settings.SITE_URL)
    return {
        "protocol": site.scheme or "https",
        "domain": site.netloc,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "user": user,
    }


def _send_password_set_email(user_id: int) -> None:
    # Read again after commit: the token must be made from the row as saved.
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    # Django's reset machinery: the same token generator and confirm page as a
    # forgotten password. rules: Everywhere: the message carries a link and nothing else.
    PasswordResetForm().send_mail(
        PASSWORD_SET_SUBJECT,
        PASSWORD_SET_BODY,
        _password_set_context(user),
        None,
        user.email,
    )


def _queue_password_set_email(user: User) -> None:
    user_id = user.pk
    # A rolled-back request sends nothing.
    transaction.on_commit(lambda: _send_password_set_email(user_id))


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    is_active: bool = True,
) -> User:
    """A new account of the actor's service, with no password until its owner sets one."""
    service = service_of(actor)
    _check_team(service, team)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "Username: this username is already taken"})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        team=team,
        is_active=is_active,
        service=service,
    )
    pending = _needs_confirmation(actor, role)
    if pending:
        # Separation of duties: no role and no sign-in until a second person confirms.
        user.role = ""
        user.is_active = False
        user.activate_on_confirmation = is_active
        _request_role(user, actor, role)
    # Nobody, the administrator included, ever knows the password.
    user.set_unusable_password()
    user.full_clean(exclude=["password"], validate_unique=False)
    save_as(user, actor)
    if pending:
        _after_role_request(user, actor)
    if user.is_active:
        _queue_password_set_email(user)
    return user


# Separation of duties -----------------------------------------------------------------------


def _needs_confirmation(actor: User, role: str) -> bool:
    """A role reaching case content or managing people, given by anyone but the head of service."""
    return role in ROLES_NEEDING_CONFIRMATION and actor.role != Role.HEAD_OF_SERVICE


def _request_role(user: User, actor: User, role: str) -> None:
    user.pending_role = role
    user.pending_role_requested_by = actor
    user.pending_role_requested_at = timezone.now()


def _after_role_request(user: User, actor: User) -> None:
    audit_log.info(
        "role_requested actor_id=%s user_id=%s role=%s service_id=%s",
        actor.pk,
        user.pk,
        user.pending_role,
        actor.service_id,
    )
    confirmers = User.objects.filter(
        service_id=actor.service_id, is_active=True, role__in=ROLE_CONFIRMERS
    ).exclude(pk__in=[actor.pk, user.pk])
    notify(
        service=service_of(actor),
        recipients=confirmers,
        kind="role_confirmation",
        subject="A new role for an account is waiting for you to confirm it",
        reference=f"U-{user.pk:06d}",
        url="/people/confirmations/",
        dedupe_key=f"role_confirmation:{user.pk}:{user.pending_role_requested_at:%Y%m%dT%H%M%S%f}",
    )


def pending_role_requests(actor: User) -> Any:
    return (
        User.objects.filter(service_id=actor.service_id)
        .exclude(pending_role="")
        .select_related("pending_role_requested_by", "team")
        .order_by("pending_role_requested_at", "pk")
    )


def _check_confirmer(actor: User, user: User) -> None:
    if user.service_id != actor.service_id or not actor.service_id:
        raise ValidationError({"__all__": ["User: not a member of your service"]})
    if actor.role not in ROLE_CONFIRMERS:
        raise ValidationError(
            {"__all__": ["Role: only a service administrator or the head of service confirms a role"]}
        )
    if not user.pending_role:
        raise ValidationError({"__all__": ["Role: no role is waiting for confirmation on this account"]})
    if actor.pk in (user.pending_role_requested_by_id, user.pk):
        raise ValidationError(
            {
                "__all__": [
                    "Role: a second person must confirm it: not whoever asked for it, and not the account's owner"
                ]
            }
        )


@transaction.atomic
def user_confirm_role(*, actor: User, user: User) -> User:
    """The second person confirms: the account takes the role (and, if new, may sign in)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_confirmer(actor, user)
    allocations = _current_allocations(user)
    if allocations and user.role and user.pending_role != user.role:
        raise ValidationError(
            {"__all__": [f"Role: {user.display_name} now has current allocations in their present role"]}
        )
    requested_by = user.pending_role_requested_by
    role = user.pending_role
    activated = user.activate_on_confirmation and not user.is_active
    changed = assign(
        user,
        {
            "role": role,
            "is_active": user.is_active or user.activate_on_confirmation,
            "pending_role": "",
            "pending_role_requested_by": None,
            "pending_role_requested_at": None,
            "activate_on_confirmation": False,
        },
    )
    save_as(user, actor, update_fields=changed)
    audit_log.info(
        "role_confirmed user_id=%s role=%s requested_by_id=%s confirmed_by_id=%s service_id=%s",
        user.pk,
        role,
        requested_by.pk if requested_by else "",
        actor.pk,
        actor.service_id,
    )
    if activated and not user.has_usable_password():
        _queue_password_set_email(user)
    return user


@transaction.atomic
def user_refuse_role(*, actor: User, user: User) -> User:
    """The second person refuses: the request ends; the account keeps its role (a new one stays inactive)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_confirmer(actor, user)
    role = user.pending_role
    changed = assign(
        user,
        {
            "pending_role": "",
            "pending_role_requested_by": None,
            "pending_role_requested_at": None,
            "activate_on_confirmation": False,
        },
    )
    save_as(user, actor, update_fields=changed)
    audit_log.info(
        "role_refused user_id=%s role=%s refused_by_id=%s service_id=%s",
        user.pk,
        role,
        actor.pk,
        actor.service_id,
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    role: str,
    team: Team | None,
    is_active: bool,
    expected_version: int | None = None,
) -> User:
    service = service_of(actor)
    user = User.objects.select_for_update().get(pk=user.pk, service=service)
    check_version(user, expected_version)
    _check_team(service, team)
    if user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": "Active: you cannot deactivate your own account"})
    if user.pk == actor.pk and role != user.role:
        # Otherwise the last administrator could leave the service with nobody to manage it.
        raise ValidationError(
            {"role": "Role: you cannot change your own role; ask another service administrator"}
        )
    allocations = _current_allocations(user)
    if allocations and not is_active and user.is_active:
        raise ValidationError(
            {
                "is_active": f"Active: {user.display_name} has {allocations} current "
                f"allocation{'s' if allocations != 1 else ''}; end or move them before deactivating the account"
            }
        )
    if allocations and role != user.role:
        # Access follows role and allocation together: a changed role would leave
        # these cases with a worker who can no longer see them.
        raise ValidationError(
            {
                "role": f"Role: {user.display_name} has {allocations} current "
                f"allocation{'s' if allocations != 1 else ''} in their present role; "
                "end or move them before changing the role"
            }
        )
    pending = role != user.role and _needs_confirmation(actor, role)
    values: dict[str, Any] = {"team": team, "is_active": is_active}
    if pending:
        # The account keeps its present role until a second person confirms the new one.
        if user.pending_role != role:
            _request_role(user, actor, role)
            values.update(
                pending_role=user.pending_role,
                pending_role_requested_by=user.pending_role_requested_by,
                pending_role_requested_at=user.pending_role_requested_at,
            )
            user.pending_role = ""  # so that assign() sees the change
    else:
        values["role"] = role
        if user.pending_role:
            # The page shows the role waiting; choosing another that needs nobody's confirmation
            # (or the present one) withdraws the request.
            values.update(
                pending_role="",
                pending_role_requested_by=None,
                pending_role_requested_at=None,
                activate_on_confirmation=False,
            )
    if not user.role and user.pending_role and is_active:
        # A new account waiting for confirmation becomes active only when it is confirmed.
        values["is_active"] = False
        values["activate_on_confirmation"] = True
    activated = values["is_active"] and not user.is_active
    changed = assign(user, values)
    if changed:
        user.full_clean(exclude=["password"], validate_unique=False)
        save_as(user, actor, update_fields=changed)
    if pending and "pending_role" in changed:
        _after_role_request(user, actor)
    if activated and not user.has_usable_password():
        _queue_password_set_email(user)
    return user


@transaction.atomic
def user_send_password_link(*, actor: User, user: User) -> None:
    """A fresh password-set e-mail: the first link lasts an hour (PASSWORD_RESET_TIMEOUT)."""
    if user.service_id != actor.service_id:
        raise ValidationError({"__all__": ["User: not a member of your service"]})
    if not user.is_active:
        raise ValidationError({"__all__": ["Active: the account is not active; activate it first"]})
    if not user.email:
        raise ValidationError({"__all__": ["E-mail: the account has no e-mail address"]})
    _queue_password_set_email(user)
    audit_log.info(
        "password_set_link_sent actor_id=%s user_id=%s service_id=%s",
        actor.pk,
        user.pk,
        actor.service_id,
    )


@transaction.atomic
def user_reset_two_factor(*, actor: User, user: User) -> int:
    """Delete every OTP device of the user; they enrol a new one at their next sign-in.

    Recorded in the audit log (who, whom, when, how many devices). Sessions the user
    verified with the old device lose their verification at once: django_otp looks
    the device up on every request.
    """
    if user.service_id != actor.service_id:
        raise ValidationError({"__all__": ["User: not a member of your service"]})
    if user.pk == actor.pk:
        raise ValidationError(
            {"__all__": ["Two-factor: you cannot reset your own; ask another service administrator"]}
        )
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    audit_log.info(
        "two_factor_reset actor_id=%s user_id=%s service_id=%s devices=%d at=%s",
        actor.pk,
        user.pk,
        actor.service_id,
        len(devices),
        timezone.now().isoformat(),
    )
    return len(devices)


# Teams --------------------------------------------------------------------------------------


def _check_team_name(service: FosteringService, name: str, exclude_pk: int | None = None) -> None:
    clash = Team.objects.filter(service=service, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": "Name: your service already has a team with this name"})


@transaction.atomic
def team_create(*, actor: User, name: str, kind: str) -> Team:
    service = service_of(actor)
    name = name.strip()
    _check_team_name(service, name)
    team = Team(service=service, name=name, kind=kind)
    team.full_clean(validate_unique=False)
    save_as(team, actor)
    return team


@transaction.atomic
def team_update(
    *, actor: User, team: Team, name: str, kind: str, expected_version: int | None = None
) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk, service_id=actor.service_id)
    check_version(team, expected_version)
    name = name.strip()
    _check_team_name(team.service, name, exclude_pk=team.pk)
    changed = assign(team, {"name": name, "kind": kind})
    if changed:
        team.full_clean(validate_unique=False)
        save_as(team, actor, update_fields=changed)
    return team
