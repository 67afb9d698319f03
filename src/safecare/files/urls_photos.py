"""Routes of the photos pages (PH-3 to PH-6), in the "files" namespace (files.urls)."""

from django.urls import URLPattern, path

from . import views_photos as views

urlpatterns: list[URLPattern] = [
    path("children/<int:pk>/photos/", views.child_photos, name="child_photos"),
    path("children/<int:pk>/photos/rules/", views.record_photo_rules, name="record_photo_rules"),
    path("children/<int:pk>/photos/upload/", views.upload_photo, name="upload_photo"),
    path("children/<int:pk>/photos/keep/", views.ask_to_keep, name="ask_to_keep"),
    path("photos/<int:pk>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
    path("photos/<int:pk>/image/", views.photo_image, name="photo_image"),
    path("photos/<int:pk>/download/", views.photo_download, name="photo_download"),
    path("photo-handovers/<int:pk>/", views.handover, name="handover"),
    path("photo-handovers/<int:pk>/download/", views.handover_download, name="handover_download"),
    path("photo-keep-requests/<int:pk>/", views.keep_request, name="keep_request"),
    path("lost-or-stolen/", views.report_loss, name="report_loss"),
    path("lost-or-stolen/<int:pk>/", views.loss_report, name="loss_report"),
]
