"""The occurrence and case events written before the audit app become the start of each commune's chain."""
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations

from audit.chain import GENESIS, event_hash


def _plain(value):
    return json.loads(json.dumps(value or {}, cls=DjangoJSONEncoder))


def carry_over(apps, schema_editor):
    OccurrenceEvent = apps.get_model("sauro_workflow", "OccurrenceEvent")
    CaseEvent = apps.get_model("inspection", "CaseEvent")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChain = apps.get_model("audit", "AuditChain")
    rows = []
    for event in OccurrenceEvent.objects.select_related("occurrence__unit", "actor").iterator():
        rows.append((event, event.occurrence, "occurrence", None))
    for event in CaseEvent.objects.select_related("case__occurrence__unit", "actor").iterator():
        rows.append((event, event.case.occurrence, "case", event.case))
    rows.sort(key=lambda row: (row[0].at, row[2], row[0].pk))
    heads = {head.chain: head for head in AuditChain.objects.all()}
    events = []
    for event, occurrence, object_type, case in rows:
        chain = occurrence.commune_id
        head = heads.setdefault(chain, AuditChain(chain=chain, seq=0, head_hash=""))
        detail = dict(event.detail or {})
        reason = str(detail.pop("reason", "") or "") if object_type == "occurrence" else ""
        if object_type == "case" and "reason" in detail:
            detail["rung"] = detail.pop("reason")
        if "unit" in detail:
            detail["unit_name"] = detail.pop("unit")
        if "post" in detail:
            detail["post_title"] = detail.pop("post")
        values = {
            "chain": chain, "seq": head.seq + 1, "at": event.at, "kind": event.kind, "object_type": object_type,
            "object_id": str(case.pk if case else occurrence.pk), "commune_id": occurrence.commune_id,
            "actor_id": event.actor_id, "actor_name": str(event.actor.full_name or event.actor.username) if event.actor else "",
            "post_id": None, "post_title": "", "unit_id": occurrence.unit_id, "unit_name": occurrence.unit.name,
            "ip": None, "plan_id": occurrence.plan_id, "task_id": occurrence.task_id, "occurrence_id": occurrence.pk,
            "case_id": case.pk if case else None, "period_key": occurrence.period_key, "before": {}, "after": {},
            "detail": _plain(detail), "reason": reason, "prev_hash": head.head_hash or GENESIS,
        }
        values["hash"] = event_hash(values)
        head.seq, head.head_hash = values["seq"], values["hash"]
        events.append(AuditEvent(**values))
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    for head in heads.values():
        head.save()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("sauro_workflow", "0005_escalationpolicy_counts_working_days"),
        ("inspection", "0001_initial"),
    ]
    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
