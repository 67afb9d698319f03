from django.urls import path

from . import views_cctv, views_register

app_name = "devices"
urlpatterns = [
    # The register (DV-1 to DV-12).
    path("households/<int:pk>/devices/", views_register.household_devices, name="household_devices"),
    path("households/<int:pk>/devices/new/", views_register.device_create, name="device_create"),
    path("households/<int:pk>/devices/check/", views_register.device_check, name="device_check"),
    path("devices/<int:pk>/", views_register.device_detail, name="device_detail"),
    path("devices/<int:pk>/edit/", views_register.device_edit, name="device_edit"),
    path("devices/<int:pk>/remove/", views_register.device_remove, name="device_remove"),
    path("devices/<int:pk>/review/", views_register.device_review, name="device_review"),
    path("devices/<int:pk>/monitoring/", views_register.device_monitoring, name="device_monitoring"),
    path(
        "devices/<int:pk>/monitoring/decision/",
        views_register.device_monitoring_decision,
        name="device_monitoring_decision",
    ),
    # CCTV inside the home: the exception request (CX-1 to CX-6).
    path("households/<int:pk>/cctv/", views_cctv.household_requests, name="household_requests"),
    path("households/<int:pk>/cctv/new/", views_cctv.request_create, name="request_create"),
    path("cctv/<int:pk>/", views_cctv.request_detail, name="request_detail"),
    path("cctv/<int:pk>/edit/", views_cctv.request_edit, name="request_edit"),
    path("cctv/<int:pk>/submit/", views_cctv.request_submit, name="request_submit"),
    path("cctv/<int:pk>/sign/", views_cctv.request_sign, name="request_sign"),
    path("cctv/<int:pk>/consent/<int:child_pk>/", views_cctv.request_consent, name="request_consent"),
    path("cctv/<int:pk>/decide/", views_cctv.request_decide, name="request_decide"),
    path("cctv/<int:pk>/revise/", views_cctv.request_revise, name="request_revise"),
    path("cctv/<int:pk>/reopen/", views_cctv.request_reopen, name="request_reopen"),
    path("cctv/<int:pk>/withdraw/", views_cctv.request_withdraw, name="request_withdraw"),
    path("cctv/<int:pk>/pdf/", views_cctv.request_pdf, name="request_pdf"),
]
