"""Routes of the standards of care meeting report (SOC-7, SOC-8, SOC-12), included by standards.urls."""

from django.urls import URLPattern, path

from . import views_report as views

urlpatterns: list[URLPattern] = [
    path("standards-of-care/meetings/<int:pk>/report/", views.report_edit, name="report_edit"),
    path("standards-of-care/meetings/<int:pk>/report/submit/", views.report_submit, name="report_submit"),
    path("standards-of-care/meetings/<int:pk>/response/", views.carer_response, name="carer_response"),
    path("standards-of-care/meetings/<int:pk>/move/", views.meeting_reschedule, name="meeting_reschedule"),
    path("standards-of-care/reports/<int:pk>/", views.report_version, name="report_version"),
    path("standards-of-care/reports/<int:pk>/pdf/", views.report_version_pdf, name="report_version_pdf"),
    path("standards-of-care/reports/<int:pk>/qa/", views.report_qa, name="report_qa"),
    path("standards-of-care/reports/<int:pk>/send/", views.report_send, name="report_send"),
    path(
        "standards-of-care/report-sendings/<int:pk>/receipt/", views.receipt_confirm, name="receipt_confirm"
    ),
]
