"""Routes of the standards of care meeting pages (included by standards.urls)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
