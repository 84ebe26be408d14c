"""The calendar link: a person sees, copies, regenerates or turns off their link; the feed answers the link.

The feed has no login (calendar apps cannot log in): the secret in its address is the key, so it
is random, revocable, and a revoked or unknown one is simply "not found".
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from api import services
from api.ical import calendar_build
from api.models import CalendarFeed


def feed_url(*, feed: CalendarFeed) -> str:
    return settings.SAURO_BASE_URL.rstrip("/") + reverse("calendar_feed", kwargs={"token": feed.token})


@login_required
@require_GET
def calendar_link(request):
    feed = services.calendar_feed_live_get(person=request.user)
    url = feed_url(feed=feed) if feed else ""
    response = render(request, "api/calendar_link.html", {
        "feed": feed, "url": url, "webcal_url": "webcal://" + url.split("://", 1)[-1] if url else ""})
    patch_cache_control(response, private=True, no_store=True)  # the page shows a secret
    return response


@login_required
@require_POST
def calendar_link_regenerate(request):
    had_one = services.calendar_feed_live_get(person=request.user) is not None
    services.calendar_feed_regenerate(person=request.user)
    messages.success(request, _("A new calendar link was made; the old one no longer works.") if had_one
                     else _("Your calendar link was made."))
    return redirect("calendar_link")


@login_required
@require_POST
def calendar_link_revoke(request):
    if services.calendar_feed_revoke(person=request.user) is not None:
        messages.success(request, _("Your calendar link was turned off; calendars using it stop updating."))
    return redirect("calendar_link")


@require_GET
def calendar_feed(request, token: str):
    feed = CalendarFeed.objects.select_related("person").filter(token=token, revoked_at__isnull=True).first()
    if feed is None or not feed.person.is_active:
        raise Http404
    response = HttpResponse(calendar_build(person=feed.person), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sau-ro.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, max_age=300)
    return response
