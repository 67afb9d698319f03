"""A person's own alerts: newest first, opening one marks it read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .models import Notification, User
from .notifications import mark_read


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(Notification.objects.filter(recipient=user).select_related("task"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page_obj": page, "querystring": ""})


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # Only the recipient's own alerts exist for them.
    notification = get_object_or_404(Notification, pk=pk, recipient=user)
    mark_read(user=user, notification=notification)
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")
