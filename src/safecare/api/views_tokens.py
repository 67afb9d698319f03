"""The caller's own API tokens: list them, revoke one. Nobody sees or ends another person's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request

from safecare.core.models import ApiToken, User
from safecare.core.services_tokens import api_token_revoke, tokens_of

from .filters import QueryFilter, parse_query


class ApiTokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ApiToken
        fields = ["token_key", "name", "created", "expiry", "last_used_at"]
        read_only_fields = fields


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ApiToken],
):
    serializer_class = ApiTokenSerializer
    lookup_field = "token_key"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[ApiToken]:
        user: User = self.request.user  # type: ignore[assignment]
        return tokens_of(user)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The list takes no filter; a parameter is refused naming it, as on every list.
        if self.action == "list":
            parse_query(self.request.query_params, QueryFilter)
        return queryset

    def perform_destroy(self, instance: ApiToken) -> None:
        request: Request = self.request
        api_token_revoke(actor=request.user, token=instance)  # type: ignore[arg-type]


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the schema describes an API token: `Authorization: Token <token>`."""

    target_class = "safecare.core.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_settings: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token with the prefix "Token", e.g. "Token sc_0123...". '
            "Each expires; revoke your own at /api/v1/tokens/.",
        }
