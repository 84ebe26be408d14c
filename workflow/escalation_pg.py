"""One rung of the escalation sweep on PostgreSQL, set-based: the same notifications, emails, audit
events and cases as workflow.escalation's Python path, without bringing each notification to Python.

The due occurrences go into a temporary table; who is told is resolved by joins (today's holder of
the unit's head post, of the directing post, the commune's Party Office and Inspection grants);
one INSERT … ON CONFLICT DO NOTHING records the notifications; the first few of each person's new
ones get their email delivery in one more statement. Only the occurrences that were notified come
back to Python, for the audit events (hashed there) and the inspection cases.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Notification
from roles.models import Post, PostHolding, Role, RoleGrant, User, Unit
from tasks.models import Task
from workflow.models import OPEN_STATUSES, Occurrence, OccurrenceStatus

_URL_PLACEHOLDER = 987654321


def _tables() -> dict[str, str]:
    return {"occurrence": Occurrence._meta.db_table, "task": Task._meta.db_table, "unit": Unit._meta.db_table,
            "notification": Notification._meta.db_table, "delivery": Delivery._meta.db_table,
            "post": Post._meta.db_table, "holding": PostHolding._meta.db_table, "grant": RoleGrant._meta.db_table,
            "user": User._meta.db_table}


def _due_create(cursor, *, rung: dict, limit: date, later: date | None, communes: dict) -> int:
    """The open occurrences that reached the rung and were not told of it yet, into sweep_due."""
    t = _tables()
    where = ["o.status = ANY(%(open)s)", "o.due_on <= %(limit)s"]
    if later is not None:
        where.append("o.due_on > %(later)s")
    if "only" in communes:
        where.append("o.commune_id = ANY(%(communes)s)")
    elif communes.get("exclude"):
        where.append("NOT (o.commune_id = ANY(%(communes)s))")
    cursor.execute("DROP TABLE IF EXISTS sweep_due")
    # Who is owed the rung comes from the covering index of open work alone (migration 0008); only
    # those rows are then read whole.
    cursor.execute(f"""
        CREATE TEMP TABLE sweep_due ON COMMIT DROP AS
        WITH owed AS MATERIALIZED (
            SELECT o.id FROM {t['occurrence']} o
            WHERE {' AND '.join(where)}
              AND NOT EXISTS (SELECT 1 FROM {t['notification']} n WHERE n.occurrence_id = o.id AND n.rung = %(rung)s))
        SELECT o.id, o.commune_id, o.unit_id, o.assignee_id, o.directing_post_id, o.status, o.due_on,
               o.task_id, o.plan_id, o.period_key, left(tk.name, 200) AS task_name, u.name AS unit_name
        FROM owed JOIN {t['occurrence']} o ON o.id = owed.id
        JOIN {t['task']} tk ON tk.id = o.task_id JOIN {t['unit']} u ON u.id = o.unit_id
    """, {"open": list(OPEN_STATUSES), "limit": limit, "later": later, "rung": rung["key"],
          "communes": list(communes.get("only") or communes.get("exclude") or [])})
    count = cursor.rowcount
    cursor.execute("ANALYZE sweep_due")
    return count


def _recipients_create(cursor, *, rung: dict, today: date, digest_only: set[str]) -> None:
    """sweep_to(occurrence_id, person_id, who, position, digest): every (occurrence, person) the rung tells."""
    t = _tables()
    current = "h.started_on <= %(today)s AND (h.ended_on IS NULL OR h.ended_on >= %(today)s)"
    sources = {
        "person": f"""SELECT d.id, CASE WHEN d.status <> %(assigned)s AND d.assignee_id IS NOT NULL
                                   THEN d.assignee_id ELSE hd.person_id END
                      FROM sweep_due d LEFT JOIN sweep_heads hd ON hd.unit_id = d.unit_id""",
        "unit_head": "SELECT d.id, hd.person_id FROM sweep_due d JOIN sweep_heads hd ON hd.unit_id = d.unit_id",
        "directing": f"""SELECT d.id, dh.person_id FROM sweep_due d JOIN LATERAL (
                             SELECT h.person_id FROM {t['holding']} h WHERE h.post_id = d.directing_post_id AND {current}
                             ORDER BY h.id DESC LIMIT 1) dh ON true""",
        "party_office": f"""SELECT d.id, g.person_id FROM sweep_due d JOIN {t['grant']} g ON g.commune_id = d.commune_id
                            AND g.role = %(party_office)s JOIN {t['user']} p ON p.id = g.person_id AND p.is_active""",
        "inspection": f"""SELECT d.id, g.person_id FROM sweep_due d JOIN {t['grant']} g ON g.commune_id = d.commune_id
                          AND g.role = %(inspection)s JOIN {t['user']} p ON p.id = g.person_id AND p.is_active""",
    }
    parts = [f"SELECT s.*, {position}::int, {who in digest_only} FROM ({sources[who]}) s"
             for position, who in enumerate(rung["to"]) if who in sources]
    cursor.execute("DROP TABLE IF EXISTS sweep_heads")
    cursor.execute(f"""
        CREATE TEMP TABLE sweep_heads ON COMMIT DROP AS
        SELECT DISTINCT ON (p.unit_id) p.unit_id, h.person_id
        FROM {t['holding']} h JOIN {t['post']} p ON p.id = h.post_id
        WHERE p.is_unit_head AND {current} AND p.unit_id IN (SELECT DISTINCT unit_id FROM sweep_due)
        ORDER BY p.unit_id, h.id DESC
    """, {"today": today})
    cursor.execute("DROP TABLE IF EXISTS sweep_to")
    cursor.execute("CREATE TEMP TABLE sweep_to (occurrence_id bigint, person_id bigint, position int, digest bool)"
                   " ON COMMIT DROP")
    if parts:
        cursor.execute(f"INSERT INTO sweep_to {' UNION ALL '.join(parts)}", {
            "today": today, "assigned": OccurrenceStatus.ASSIGNED, "party_office": Role.PARTY_OFFICE,
            "inspection": Role.INSPECTION})
        cursor.execute("DELETE FROM sweep_to WHERE person_id IS NULL")
    cursor.execute("ANALYZE sweep_to")  # temporary tables get no statistics unless asked


def _notifications_insert(cursor, *, rung: dict, kind: str, message_key: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Record one notification per (occurrence, person); a person told for the digest only (the Party
    Office) gets no email for it even when told in another capacity too. Returns the two batches."""
    t = _tables()
    prefix, suffix = reverse("occurrence_detail", args=[_URL_PLACEHOLDER]).split(str(_URL_PLACEHOLDER))
    immediate, digest = uuid.uuid4(), uuid.uuid4()
    cursor.execute(f"""
        INSERT INTO {t['notification']} (recipient_id, commune_id, occurrence_id, rung, kind, message_key, params,
                                         url, batch, created_at)
        SELECT x.person_id, d.commune_id, d.id, %(rung)s, %(kind)s, %(message_key)s,
               jsonb_build_object('task', d.task_name, 'unit', d.unit_name, 'due_on', to_char(d.due_on, 'YYYY-MM-DD')),
               %(prefix)s || d.id || %(suffix)s, CASE WHEN x.digest THEN %(digest)s ELSE %(immediate)s END, %(now)s
        FROM (SELECT occurrence_id, person_id, bool_or(digest) AS digest FROM sweep_to GROUP BY 1, 2) x
        JOIN sweep_due d ON d.id = x.occurrence_id
        ORDER BY d.due_on, d.id, x.person_id  -- ids in this order: emails go first about the oldest work
        ON CONFLICT DO NOTHING
    """, {"rung": rung["key"], "kind": kind, "message_key": message_key, "prefix": prefix, "suffix": suffix,
          "digest": digest, "immediate": immediate, "now": timezone.now()})
    return immediate, digest


def _emails_queue(cursor, *, batch: uuid.UUID, per_person: int) -> int:
    """Email at once the first few new notifications of each person; the rest wait for the daily digest."""
    t = _tables()
    cursor.execute(f"""
        WITH chosen AS (
            SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY recipient_id ORDER BY id) AS n
                            FROM {t['notification']} WHERE batch = %(batch)s) ranked
            WHERE n <= %(per_person)s),
        queued AS (
            INSERT INTO {t['delivery']} (notification_id, channel, status, attempts, last_error)
            SELECT id, 'email', 'pending', 0, '' FROM chosen ON CONFLICT DO NOTHING)
        UPDATE {t['notification']} SET digest_at = %(now)s WHERE id IN (SELECT id FROM chosen)
    """, {"batch": batch, "per_person": per_person, "now": timezone.now()})
    return cursor.rowcount


def _notified_get(cursor, *, batches: tuple[uuid.UUID, uuid.UUID], rung: dict) -> tuple[list[dict], dict, int]:
    """The occurrences this step told someone about (as the sweep's row dicts), who was told of each
    (in the rung's order, as the Python path records it), and how many notifications were recorded."""
    t = _tables()
    cursor.execute(f"SELECT count(*) FROM {t['notification']} WHERE batch = ANY(%s)", [list(batches)])
    recorded = cursor.fetchone()[0]
    if not recorded:
        return [], {}, 0
    # Grouped once and joined: the temporary tables have no index, so no per-row subquery over them.
    cursor.execute(f"""
        SELECT d.id, d.commune_id, d.unit_id, d.unit_name, d.plan_id, d.task_id, d.period_key, d.due_on,
               d.status, d.assignee_id, d.directing_post_id, d.task_name, s.positions
        FROM sweep_due d
        JOIN (SELECT occurrence_id, array_agg(DISTINCT position) AS positions FROM sweep_to GROUP BY 1) s
          ON s.occurrence_id = d.id
        JOIN (SELECT DISTINCT occurrence_id FROM {t['notification']} WHERE batch = ANY(%s)) n
          ON n.occurrence_id = d.id
        ORDER BY d.id
    """, [list(batches)])
    rows, told = [], {}
    for (pk, commune_id, unit_id, unit_name, plan_id, task_id, period_key, due_on, status, assignee_id,
         directing_post_id, task_name, positions) in cursor.fetchall():
        rows.append({"pk": pk, "commune_id": commune_id, "unit_id": unit_id, "unit__name": unit_name,
                     "plan_id": plan_id, "task_id": task_id, "period_key": period_key, "due_on": due_on,
                     "status": status, "assignee_id": assignee_id, "directing_post_id": directing_post_id,
                     "task__name": task_name})
        told[pk] = [rung["to"][position] for position in sorted(positions or [])]
    return rows, told, recorded


def rung_sweep_pg(*, rung: dict, limit: date, later: date | None, communes: dict, today: date, kind: str,
                  message_key: str, digest_only: set[str], per_person: int) -> tuple[list[dict], dict, int, int]:
    """Record the rung's notifications and queue its emails; returns (notified occurrence rows, who
    was told of each, notifications recorded, emails queued)."""
    with connection.cursor() as cursor:
        if not _due_create(cursor, rung=rung, limit=limit, later=later, communes=communes):
            return [], defaultdict(list), 0, 0
        _recipients_create(cursor, rung=rung, today=today, digest_only=digest_only)
        immediate, digest = _notifications_insert(cursor, rung=rung, kind=kind, message_key=message_key)
        emails = _emails_queue(cursor, batch=immediate, per_person=per_person)
        rows, told, recorded = _notified_get(cursor, batches=(immediate, digest), rung=rung)
        for table in ("sweep_to", "sweep_heads", "sweep_due"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return rows, told, recorded, emails
