from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from safecare.core import health

urlpatterns = [
    # For load balancers: no sign-in, nothing cached (core.health, docs/operations.md).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("safecare.home.urls")),
    path("", include("safecare.core.urls_auth")),
    path("tasks/", include("safecare.core.urls_tasks")),
    path("alerts/", include("safecare.core.urls_notifications")),
    path("people/", include("safecare.people.urls")),
    path("service/", include("safecare.core.urls_settings")),
    path("", include("safecare.households.urls")),
    path("", include("safecare.agreements.urls")),
    path("", include("safecare.notices.urls")),
    path("", include("safecare.supervision.urls")),
    path("", include("safecare.devices.urls")),
    path("", include("safecare.standards.urls")),
    path("", include("safecare.monitoring.urls")),
    path("", include("safecare.files.urls")),
    path("compliance/", include("safecare.compliance.urls")),
    path("api/v1/", include("safecare.config.urls_api")),
    # The schema holds no data, so it is public: integrators and fuzzers read it.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="api_schema",
    ),
]

# Error pages that say what happened and what to do; JSON under /api/ (core.views).
handler403 = "safecare.core.views.forbidden"
handler404 = "safecare.core.views.not_found"
handler500 = "safecare.core.views.server_error"
