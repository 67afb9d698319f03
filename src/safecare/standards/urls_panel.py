"""Routes of the standards of care panel pages (included by standards.urls)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
