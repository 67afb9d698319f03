"""What the OpenAPI schema needs to describe the API exactly (drf-spectacular).

Imported by ApiConfig.ready so the extension is registered before any schema
is generated, by the public /api/schema/ view or by `manage.py spectacular`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

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
