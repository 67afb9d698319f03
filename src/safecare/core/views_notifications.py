"""A person's own alerts: newest first, each naming what it is about and linking to it.

Opening an alert (the POST of `open`) marks it read and goes to its page; "Mark as read"
marks one read and stays on the list; "Mark all as read" marks every unread one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .audit import log_list
from .context_processors import unread_alerts
from .models import Notification, User
from .notifications import is_urgent, kind_label, mark_all_read, mark_read


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(
        Notification.objects.filter(recipient=user).select_related("task", "household"), 50
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    alerts = [
        {
            "notification": notification,
            "kind": kind_label(notification),
            "urgent": is_urgent(notification, today),
            "safe_url": url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None),
        }
        for notification in page.object_list
    ]
    # The list names households: one access-log row naming the alerts shown (rules: Everywhere).
    log_list(request, Notification, [notification.pk for notification in page.object_list])
    unread = unread_alerts(user) > 0
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "alerts": alerts, "any_unread": unread, "querystring": ""},
    )


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # Only the recipient's own alerts exist for them.
    notification = get_object_or_404(Notification, pk=pk, recipient=user)
    mark_read(user=user, notification=notification)
    if request.POST.get("then") == "list":  # "Mark as read" on the list stays on the list
        return redirect("notifications:list")
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
@login_required
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    count = mark_all_read(user=user)
    if count:
        messages.success(request, f"{count} alert{'s' if count != 1 else ''} marked as read")
    return redirect("notifications:list")
