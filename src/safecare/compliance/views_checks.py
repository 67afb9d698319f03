"""Stub: replaced by the real views."""

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def check(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
