from django.urls import path

from . import views_settings

app_name = "settings"
urlpatterns = [
    path("settings/", views_settings.edit, name="edit"),
    path("settings/closure-days/", views_settings.closures, name="closures"),
    path("settings/closure-days/<int:pk>/delete/", views_settings.closure_delete, name="closure_delete"),
]
