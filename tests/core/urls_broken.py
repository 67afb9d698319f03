"""A URL configuration with one view that fails, for the problem page's test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


urlpatterns = [path("broken/", broken)]

handler500 = "safecare.core.views.server_error"
