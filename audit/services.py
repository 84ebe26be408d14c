"""Writing the audit history. Every change of state calls audit_record inside its own transaction.

Appending locks the commune's chain head (one row), so a commune's events get consecutive
numbers and each links to the one before; communes do not wait for each other.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.chain import GENESIS, event_hash
from audit.context import origin_get
from audit.models import NATIONAL_CHAIN, AuditChain, AuditEvent


def _plain(value) -> dict:
    """JSON as the database will give it back (dates as text), so the hash is over what is stored."""
    return json.loads(json.dumps(value or {}, cls=DjangoJSONEncoder))


@dataclass
class AuditDraft:
    kind: str
    object_type: str
    object_id: str | int = ""
    commune_id: int | None = None
    actor: object = None
    post: object = None
    unit: object = None
    plan_id: int | None = None
    task_id: int | None = None
    occurrence_id: int | None = None
    case_id: int | None = None
    period_key: str = ""
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    detail: dict = field(default_factory=dict)
    reason: str = ""
    ip: str | None = None


def _values(draft: AuditDraft, *, ip: str | None) -> dict:
    actor, post, unit = draft.actor, draft.post, draft.unit
    return {
        "chain": draft.commune_id or NATIONAL_CHAIN,
        "kind": draft.kind, "object_type": draft.object_type, "object_id": str(draft.object_id or ""),
        "commune_id": draft.commune_id,
        "actor_id": getattr(actor, "pk", None), "actor_name": str(actor) if actor is not None else "",
        "post_id": getattr(post, "pk", None), "post_title": getattr(post, "title", "") if post else "",
        "unit_id": getattr(unit, "pk", None), "unit_name": getattr(unit, "name", "") if unit else "",
        "ip": draft.ip or ip,
        "plan_id": draft.plan_id, "task_id": draft.task_id, "occurrence_id": draft.occurrence_id,
        "case_id": draft.case_id, "period_key": draft.period_key or "",
        "before": _plain(draft.before), "after": _plain(draft.after), "detail": _plain(draft.detail),
        "reason": draft.reason or "",
    }


def _heads_lock(chains: set[int]) -> dict[int, AuditChain]:
    AuditChain.objects.bulk_create([AuditChain(chain=chain) for chain in chains], ignore_conflicts=True)
    # Always lock in the same order, so two writers of several communes cannot deadlock.
    return {head.chain: head for head in AuditChain.objects.select_for_update().filter(chain__in=chains).order_by("chain")}


def audit_record_many(*, drafts: list[AuditDraft], at: datetime | None = None) -> list[AuditEvent]:
    """Append the drafts, in order, each to its commune's chain; one INSERT for all."""
    if not drafts:
        return []
    at = at or timezone.now()
    ip = origin_get().ip
    with transaction.atomic():
        values = [_values(draft, ip=ip) for draft in drafts]
        heads = _heads_lock({v["chain"] for v in values})
        events = []
        for value in values:
            head = heads[value["chain"]]
            value.update(seq=head.seq + 1, at=at, prev_hash=head.head_hash or GENESIS)
            value["hash"] = event_hash(value)
            head.seq, head.head_hash = value["seq"], value["hash"]
            events.append(AuditEvent(**value))
        _events_insert(values=values, events=events)
        for head in heads.values():
            head.updated_at = at
        AuditChain.objects.bulk_update(heads.values(), ["seq", "head_hash", "updated_at"])
    return events


COPY_FROM = 50  # from this many events at once, PostgreSQL's COPY beats a compiled INSERT several times over
_COLUMNS = ("chain", "seq", "at", "kind", "object_type", "object_id", "commune_id", "actor_id", "actor_name",
            "post_id", "post_title", "unit_id", "unit_name", "ip", "plan_id", "task_id", "occurrence_id", "case_id",
            "period_key", "before", "after", "detail", "reason", "prev_hash", "hash")
_JSON = {"before", "after", "detail"}


def _events_insert(*, values: list[dict], events: list[AuditEvent]) -> None:
    """Many events (activating a plan, the nightly generation) go in by COPY; their ids are not read back."""
    from django.db import connection

    if connection.vendor != "postgresql" or len(values) < COPY_FROM:
        AuditEvent.objects.bulk_create(events)
        return
    import orjson

    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY audit_auditevent ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for value in values:
                copy.write_row([orjson.dumps(value[name]).decode() if name in _JSON else value[name]
                                for name in _COLUMNS])


def audit_record(**fields) -> AuditEvent:
    """One event; keyword arguments are AuditDraft's fields."""
    return audit_record_many(drafts=[AuditDraft(**fields)])[0]


def changes(*, before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}
