"""The calendar link page and the feed, under /lich/."""
from django.urls import path, re_path

from api import calendar_views

urlpatterns = [
    path("", calendar_views.calendar_link, name="calendar_link"),
    path("tao-moi/", calendar_views.calendar_link_regenerate, name="calendar_link_regenerate"),
    path("tat/", calendar_views.calendar_link_revoke, name="calendar_link_revoke"),
    re_path(r"^(?P<token>[A-Za-z0-9_-]{20,128})\.ics$", calendar_views.calendar_feed, name="calendar_feed"),
]
