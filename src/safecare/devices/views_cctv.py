"""Pages of the devices app (to be written)."""

from django.http import Http404


def household_requests(request, pk, **kwargs):
    raise Http404


def request_create(request, pk, **kwargs):
    raise Http404


def request_detail(request, pk, **kwargs):
    raise Http404


def request_edit(request, pk, **kwargs):
    raise Http404


def request_submit(request, pk, **kwargs):
    raise Http404


def request_sign(request, pk, **kwargs):
    raise Http404


def request_consent(request, pk, **kwargs):
    raise Http404


def request_decide(request, pk, **kwargs):
    raise Http404


def request_revise(request, pk, **kwargs):
    raise Http404


def request_reopen(request, pk, **kwargs):
    raise Http404


def request_withdraw(request, pk, **kwargs):
    raise Http404


def request_pdf(request, pk, **kwargs):
    raise Http404
