"""Routes of the REST API, versioned under /api/v1/ (config.urls): the core routes and each app's own.

Route names are DRF's defaults (household-list, household-detail, ...). A
SimpleRouter, not the DefaultRouter: the API root view would be one more
route with nothing to say that the public schema does not say better.
"""

from rest_framework.routers import SimpleRouter

from safecare.agreements import api as agreements_api
from safecare.api import views, views_tokens
from safecare.compliance import api_checks as compliance_checks_api
from safecare.compliance import api_pack as compliance_pack_api
from safecare.compliance import api_report as compliance_report_api
from safecare.devices import api as devices_api
from safecare.files import api as files_api
from safecare.monitoring import api as monitoring_api
from safecare.notices import api as notices_api
from safecare.standards import api as standards_api
from safecare.supervision import api as supervision_api

router = SimpleRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("members", views.MemberViewSet, basename="member")
router.register("children", views.ChildViewSet, basename="child")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("tokens", views_tokens.ApiTokenViewSet, basename="api-token")
for app_api in (
    agreements_api,
    compliance_checks_api,
    compliance_pack_api,
    compliance_report_api,
    devices_api,
    files_api,
    monitoring_api,
    notices_api,
    standards_api,
    supervision_api,
):
    app_api.register(router)

urlpatterns = router.urls
