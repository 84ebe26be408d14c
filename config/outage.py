"""When the database is away: a clear 503 page in Vietnamese and English instead of a 500.

PostgreSQL restarting, a failover or a full disk surface as OperationalError or InterfaceError. Two
hooks catch them: the middleware for errors raised in a view (so DEBUG and the test client see the
page too), `server_error` (config.urls handler500) for errors raised while a middleware reads the
session or the user. The page is rendered without the request's context: the context processors
would ask the very database that is away. The connection is dropped at the end of the request
(Django's close_if_unusable_or_obsolete), so the next request, once the database is back, works
without restarting the application.
"""
from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def outage_response(*, error: BaseException | None = None) -> HttpResponse:
    logger.error("Database unavailable: %s", error)
    active = translation.get_language() or "vi"
    languages = [active] + [code for code in ("vi", "en") if code != active]
    body = render_to_string("503.html", {"languages": languages, "retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return outage_response(error=exception)
        return None


def server_error(request, *args, **kwargs):
    """handler500: the outage page when the error was the database going away, else Django's 500."""
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGE_ERRORS):
        return outage_response(error=error)
    return django_server_error(request, *args, **kwargs)
