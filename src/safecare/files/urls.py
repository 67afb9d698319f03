"""Routes of confidential files: shared documents and carers' reports (urls_documents, PH-1, PH-2),
photos and lost devices (urls_photos, PH-3 to PH-6), subject access and retention (urls_export)."""

from django.urls import URLPattern

from . import urls_documents, urls_export, urls_photos

app_name = "files"
urlpatterns: list[URLPattern] = [
    *urls_documents.urlpatterns,
    *urls_photos.urlpatterns,
    *urls_export.urlpatterns,
]
