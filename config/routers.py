"""Dashboards and exports read from a streaming replica; everything else, and every write, uses the primary.

Switched on by DATABASE_REPLICA_URL (config/settings.py, docs/deployment.md). A request is served
from the replica only when it is a GET or HEAD of a page named in SAURO_REPLICA_URL_NAMES: the
dashboards, the plan's appendix and report downloads, the read-only API. Those pages show what
was committed a moment ago, which a replica a second behind shows as well; the pages people act
on (my work, queues, the board, the task page) and evidence bundles, which must match the
chain's head, keep reading the primary.

Writes always go to the primary, even of an object read from the replica (Django would otherwise
send it back where it came from); SELECT … FOR UPDATE counts as a write, so locking a chain head
while exporting works too.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("sauro_replica_reads", default=False)


@contextmanager
def replica_reads():
    """Reads inside go to the replica (when one is configured); for jobs that export or aggregate."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Serve the configured read-only pages from the replica (last in MIDDLEWARE: sessions stay on the primary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_sauro_replica_token", None)
            if token is not None:
                _reading_replica.reset(token)
                request._sauro_replica_token = None

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.conf import settings

        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match is not None and \
                match.url_name in getattr(settings, "SAURO_REPLICA_URL_NAMES", ()):
            request._sauro_replica_token = _reading_replica.set(True)
        return None
