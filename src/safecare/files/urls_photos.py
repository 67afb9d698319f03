"""Routes of the photos pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
