"""What the OpenAPI schema needs to describe the API exactly (drf-spectacular).

Imported by ApiConfig.ready so the extension is registered before any schema
is generated, by the public /api/schema/ view or by `manage.py spectacular`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

# The `view` discriminator of the role-dependent records (api.serializers):
# one single-value enum each, so a record matches exactly one schema of oneOf.
FULL_VIEW = ["full"]
CARER_VIEW = ["carer"]


class VerifiedSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The session cookie, which the API accepts only after two-factor (core.api_auth)."""

    target_class = "safecare.core.api_auth.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


# The answers every operation can give besides its own (finding "the API schema tells
# the truth", docs/security.md). DRF's error bodies: {"detail": "..."} for 401, 403,
# 404 and 429; {field: [messages]} (or {"detail": ...} for a body that is not JSON) for 400.
_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each refused field (or `non_field_errors`, or `detail`) with messages naming "
    "the field and the rule.",
}
_COMMON_ANSWERS = {
    "400": ("Refused: the body or a query parameter broke a rule; each field is named", _FIELD_ERRORS),
    "401": ("Not signed in: no valid token or verified session", _DETAIL),
    "403": ("Signed in, but this role may not do this", _DETAIL),
    "404": ("No such record among those this account may see (or no such page of a list)", _DETAIL),
    "412": ("The record changed since the If-Match version was read: read it again", _DETAIL),
    "428": ("If-Match is missing or is not an ETag this API gave", _DETAIL),
    "429": ("Too many requests from this account: wait for Retry-After seconds", _DETAIL),
}
_METHODS = {"get", "post", "put", "patch", "delete"}


def _answers_for(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    codes = ["401", "403", "429"]
    if "requestBody" in operation or query:
        codes.append("400")
    if "{" in path or query:
        codes.append("404")  # a record out of scope, or a page past the end of a list
    if any(p.get("in") == "header" and p.get("name") == "If-Match" for p in operation.get("parameters", [])):
        codes += ["412", "428"]  # CaseViewSet.expected_version
    return codes


def document_every_answer(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """POSTPROCESSING_HOOK: what the API refuses, and with which status, is in the schema.

    Every API operation can answer 401, 403 and 429; one with a body or query parameters
    also 400; one naming a record, or a list with a page, also 404; one that needs
    If-Match also 412 and 428. Request bodies are
    closed (additionalProperties: false): the API refuses a field it does not know, naming
    it, so nothing is silently ignored and nothing can be set that the form does not offer.
    """
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS or not operation.get("security"):
                continue
            responses = operation.setdefault("responses", {})
            for code in _answers_for(path, method, operation):
                description, schema = _COMMON_ANSWERS[code]
                existing = responses.get(code)
                if existing is None:
                    responses[code] = {
                        "description": description,
                        "content": {"application/json": {"schema": schema}},
                    }
                elif "content" not in existing:
                    existing["content"] = {"application/json": {"schema": schema}}
    schemas = result.get("components", {}).get("schemas", {})
    for name in _request_bodies(result):
        if schemas.get(name, {}).get("type") == "object":
            schemas[name]["additionalProperties"] = False
    return result


def _request_bodies(result: dict[str, Any]) -> set[str]:
    """The components that are a whole request body (CaseViewSet.parse refuses unknown fields
    at the top of the body; what a nested object ignores stays open in the schema)."""
    names = set()
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref.startswith("#/components/schemas/"):
                    names.add(ref.rsplit("/", 1)[1])
    return names


class SafecareAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, told what a read-only model field can really hold.

    DRF drops `allow_blank` from a read-only field, so a model choice that may be blank
    (a placement's end reason before it ends) was described as never empty; and a value
    read through a relation that may be missing (`completed_by.display_name` before it is
    completed) as never null. Both come from the model here, for every serializer.
    """

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        if field.read_only and isinstance(field, serializers.Field):
            path = _model_fields_on(field)
            if path:
                if any(getattr(f, "null", False) for f in path):
                    field.allow_null = True
                last = path[-1]
                if isinstance(field, serializers.ChoiceField) and getattr(last, "blank", False):
                    field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-untyped-call]


def _model_fields_on(field: serializers.Field[Any, Any, Any, Any]) -> list[Any]:
    """The model fields a read-only serializer field's source passes through, in order."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not field.source or field.source == "*":
        return []
    path: list[Any] = []
    for part in field.source.split("."):
        if model is None:
            return path
        try:
            model_field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return path
        path.append(model_field)
        model = model_field.related_model if isinstance(model_field, models.Field) else None
    return path
