"""Housekeeping only: a figure's evidence file goes when its link goes (StoredFile has no key to figures)."""
from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from indicators.models import FigureEvidence


@receiver(post_delete, sender=FigureEvidence, dispatch_uid="indicators_evidence_file_delete")
def evidence_file_delete(sender, instance: FigureEvidence, **kwargs) -> None:
    # Without this, a deleted plan's evidence rows would keep their uploaders (PROTECT) from being deleted.
    from workflow.models import StoredFile

    StoredFile.objects.filter(pk=instance.file_id).delete()
