"""The audit history: one hash chain per commune, append-only.

Each event stores the hash of the one before it in its commune's chain and its own hash over a
canonical serialisation (audit/chain.py). A trigger refuses UPDATE and DELETE on the table
(migration 0002), so the application cannot rewrite history; `verify_audit` finds a row
changed, removed or slipped in behind the database's back.

References to plans, tasks, occurrences and people are plain columns without foreign-key
constraints: the history must outlive what it describes, and nothing may cascade into it.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL_CHAIN = 0  # events that belong to no commune: logins of national staff, unknown usernames


def _ref(model, related_name="+", **kwargs):
    return models.ForeignKey(model, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
                             related_name=related_name, **kwargs)


class AuditChain(models.Model):
    """The head of one chain. Locking this row orders the commune's events."""

    chain = models.BigIntegerField(primary_key=True)  # the commune's id, or NATIONAL_CHAIN
    seq = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="")
    updated_at = models.DateTimeField(null=True, blank=True)


class AuditEvent(models.Model):
    chain = models.BigIntegerField()
    seq = models.BigIntegerField()
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("event"), max_length=40)
    object_type = models.CharField(_("object"), max_length=24)
    object_id = models.CharField(max_length=40, blank=True)

    commune = _ref("roles.Commune")
    actor = _ref(settings.AUTH_USER_MODEL, verbose_name=_("who"))
    actor_name = models.CharField(max_length=200, blank=True)
    post = _ref("roles.Post", verbose_name=_("post"))
    post_title = models.CharField(max_length=255, blank=True)
    unit = _ref("roles.Unit", verbose_name=_("unit"))
    unit_name = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    plan = _ref("tasks.Plan")
    task = _ref("tasks.Task")
    occurrence = _ref("sauro_workflow.Occurrence")
    case = _ref("inspection.InspectionCase")
    period_key = models.CharField(max_length=16, blank=True)

    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_event_per_place")]
        indexes = [
            models.Index(fields=["occurrence", "seq"], name="audit_by_occurrence"),
            models.Index(fields=["case", "seq"], name="audit_by_case"),
            models.Index(fields=["task", "seq"], name="audit_by_task"),
            models.Index(fields=["actor", "at"], name="audit_by_actor"),
            models.Index(fields=["unit", "at"], name="audit_by_unit"),
            models.Index(fields=["chain", "kind", "at"], name="audit_by_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.object_type}.{self.kind}"
