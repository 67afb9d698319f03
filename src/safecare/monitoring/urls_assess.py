"""Routes of the internet monitoring pages: assess (included by monitoring.urls)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
