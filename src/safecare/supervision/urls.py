"""Routes of recordings (SC-7) and supervisions (SC-10), at the site root (namespace supervision)."""

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("households/<int:pk>/recordings/", views.household_recordings, name="household_recordings"),
    path(
        "households/<int:pk>/recordings/read/",
        views.household_recordings_read,
        name="household_recordings_read",
    ),
    path("children/<int:pk>/recordings/", views.child_recordings, name="child_recordings"),
    path("children/<int:pk>/recordings/new/", views.recording_create, name="recording_create"),
    path("recordings/<int:pk>/", views.recording_detail, name="recording_detail"),
    path("recordings/<int:pk>/edit/", views.recording_edit, name="recording_edit"),
    path("recordings/<int:pk>/read/", views.recording_read, name="recording_read"),
    path("households/<int:pk>/supervisions/", views.supervision_list, name="supervision_list"),
    path("households/<int:pk>/supervisions/new/", views.supervision_create, name="supervision_create"),
    path("supervisions/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervisions/<int:pk>/edit/", views.supervision_edit, name="supervision_edit"),
    path("supervisions/<int:pk>/pdf/", views.supervision_pdf, name="supervision_pdf"),
    path(
        "supervisions/<int:pk>/recordings/read/",
        views.supervision_recordings_read,
        name="supervision_recordings_read",
    ),
    path("supervisions/<int:pk>/amend/", views.supervision_amend, name="supervision_amend"),
    path("supervisions/<int:pk>/acknowledge/", views.supervision_acknowledge, name="supervision_acknowledge"),
]
