"""Reading the history."""
from __future__ import annotations

from audit.models import AuditChain, AuditEvent


def occurrence_events_get(*, occurrence_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(occurrence_id=occurrence_id, object_type="occurrence").order_by("chain", "seq"))


def case_events_get(*, case_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case_id=case_id, object_type="case").order_by("chain", "seq"))


def chain_head_get(*, commune_id: int) -> AuditChain:
    """The head of a commune's chain: printed in reports, it pins the history up to that moment."""
    return AuditChain.objects.filter(chain=commune_id).first() or AuditChain(chain=commune_id)
