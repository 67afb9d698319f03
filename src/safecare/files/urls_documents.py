"""Routes of the documents shared with carers (PH-1) and of carers' reports (PH-2), in the
"files" namespace (files.urls)."""

from django.urls import URLPattern, path

from . import views_documents as views

urlpatterns: list[URLPattern] = [
    # PH-1: documents shared with carers.
    path("my/documents/", views.my_documents, name="my_documents"),
    path("households/<int:pk>/documents/", views.household_documents, name="household_documents"),
    path(
        "households/<int:pk>/documents/share/",
        views.document_share_household,
        name="document_share_household",
    ),
    path("children/<int:pk>/documents/", views.child_documents, name="child_documents"),
    path("children/<int:pk>/documents/share/", views.document_share_child, name="document_share_child"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/pages/<int:number>/", views.document_page, name="document_page"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/original/", views.document_original, name="document_original"),
    path("documents/<int:pk>/withdraw/", views.document_withdraw, name="document_withdraw"),
    # PH-2: carers' reports.
    path("my/reports/", views.my_reports, name="my_reports"),
    path("households/<int:pk>/reports/", views.household_reports, name="household_reports"),
    path("households/<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/attachments/<int:pk>/pages/<int:number>/", views.attachment_page, name="attachment_page"),
    path("reports/attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
]
