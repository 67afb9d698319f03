"""Routes of the documents pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
