"""GET /healthz: 200 with the database, broker and scheduler status as JSON."""
from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from kombu import Connection

from workflow.models import SchedulerHeartbeat


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # the endpoint reports failures, it must not raise them
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}


def _broker_status() -> dict:
    transport = "redis" if settings.REDIS_URL else "filesystem"
    try:
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=2
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "transport": transport}
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": str(exc)[:200]}


def _scheduler_status() -> dict:
    try:
        beat = SchedulerHeartbeat.objects.filter(name="beat").first()
    except Exception:
        return {"last_seen": None}
    return {"last_seen": beat.last_seen.isoformat() if beat else None}


@require_GET
def healthz(request):
    database = _database_status()
    broker = _broker_status()
    ok = database["ok"] and broker["ok"]
    body = {"status": "ok" if ok else "degraded", "database": database, "broker": broker,
            "scheduler": _scheduler_status() if database["ok"] else {"last_seen": None}}
    # Healthy answers 200; a load balancer must see 503 when a dependency is down.
    return JsonResponse(body, status=200 if ok else 503)
