"""Routes of the subject access pages (DP-1) and of records past their retention period (DP-2),
included by files.urls ("files" namespace)."""

from django.urls import URLPattern, path

from . import views_export as views

urlpatterns: list[URLPattern] = [
    path("households/<int:pk>/subject-access/", views.export_list, name="export_list"),
    path("subject-access/<int:pk>/", views.export_detail, name="export_detail"),
    path("subject-access/<int:pk>/status/", views.export_status, name="export_status"),
    path("subject-access/<int:pk>/download/", views.export_download, name="export_download"),
    path("subject-access/<int:pk>/sent/", views.export_sent, name="export_sent"),
    path("subject-access/<int:pk>/try-again/", views.export_retry, name="export_retry"),
    path("retention/", views.retention_list, name="retention_list"),
    path("retention/<int:pk>/", views.retention_detail, name="retention_detail"),
    path("retention/<int:pk>/delete/", views.retention_erase, name="retention_erase"),
    path("retention/<int:pk>/keep/", views.retention_keep, name="retention_keep"),
]
