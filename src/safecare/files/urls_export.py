"""Routes of the export pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
