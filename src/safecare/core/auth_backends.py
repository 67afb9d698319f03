"""Signing in with a password, and loading the signed-in user once per request.

Permissions in Safecare are rules of roles (django-rules, each app's `rules.py`), never rows of
Django's permission tables, which nothing fills. Django's ModelBackend would still read those
tables (the user's and their groups' permissions, two queries) on every `has_perm` that the rules
answer no, which the navigation asks on every page. This backend signs in as ModelBackend does
and answers no permission from the tables, without asking the database. It loads the user with
their service and team, which every page names, and the count of their unread alerts, which the
navigation shows on every page, in the same query (decision 0055): read afresh on each request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification, User


def unread_alerts() -> Coalesce:
    """The number of the user's unread alerts, as a column of the user's own row."""
    counted = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("id"))
        .values("unread")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = (
                User.objects.select_related("service", "team")
                .annotate(unread_alerts=unread_alerts())
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser, obj: object = None
    ) -> set[str]:
        return set()

    def get_group_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser, obj: object = None
    ) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: AbstractBaseUser | AnonymousUser, obj: object = None) -> set[str]:
        return set()

    def with_perm(
        self,
        perm: str | Permission,
        is_active: bool = True,
        include_superusers: bool = True,
        obj: object = None,
    ) -> Any:
        return User.objects.none()
