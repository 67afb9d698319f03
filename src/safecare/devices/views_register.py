"""Pages of the devices app (to be written)."""

from django.http import Http404


def household_devices(request, pk, **kwargs):
    raise Http404


def device_create(request, pk, **kwargs):
    raise Http404


def device_check(request, pk, **kwargs):
    raise Http404


def device_detail(request, pk, **kwargs):
    raise Http404


def device_edit(request, pk, **kwargs):
    raise Http404


def device_remove(request, pk, **kwargs):
    raise Http404


def device_review(request, pk, **kwargs):
    raise Http404


def device_monitoring(request, pk, **kwargs):
    raise Http404
