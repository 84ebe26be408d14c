"""Thin views for the bell: a person's own notifications only; services write, selectors read."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications import services
from notifications.models import Notification
from notifications.selectors import notifications_list


@login_required
def notification_list(request):
    rows = notifications_list(user=request.user)
    return render(request, "notifications/list.html", {
        "rows": rows, "unread": any(row.notification.read_at is None for row in rows)})


@login_required
@require_POST
def notification_read(request, notification_id: int):
    notification = get_object_or_404(Notification, pk=notification_id)
    services.notification_mark_read(notification=notification, user=request.user)  # PermissionDenied: 403
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()},
                                                            require_https=request.is_secure()):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications")
