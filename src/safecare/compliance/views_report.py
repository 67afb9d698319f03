"""Stub: replaced by the real views."""

from django.http import Http404, HttpRequest, HttpResponse


def report(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def duties(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def figures_csv(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
