from django.urls import path

from . import views_notifications

app_name = "notifications"
urlpatterns = [
    path("", views_notifications.notification_list, name="list"),
    path("read/", views_notifications.notification_mark_all_read, name="mark_all_read"),
    path("<int:pk>/open/", views_notifications.notification_open, name="open"),
]
