"""Routes of the internet monitoring pages: agree (included by monitoring.urls)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
