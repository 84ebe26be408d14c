"""A periodic report of a plan's implementation: its figures as generated, and the narrative the Party Office writes.

The figures are read from live data when the draft is prepared (or refreshed) and kept in
`figures`, with the head of the commune's audit chain at that moment, so every download of the
same draft prints the same numbers and the same chain head; a refresh reads them again. A
final report can no longer change.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.periods import PeriodKind
from tasks.models import Plan


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ReportDraft(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reports")
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_key = models.CharField(max_length=16)
    due_on = models.DateField(_("due before"))
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    # What the Party Office writes.
    number = models.CharField(_("document number"), max_length=20, blank=True)
    overall_assessment = models.TextField(_("overall assessment"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)

    # What was generated from live data, and the audit chain's head at that moment.
    figures = models.JSONField(default=dict)
    generated_on = models.DateField()
    prepared_at = models.DateTimeField(auto_now_add=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # empty: the scheduler
    refreshed_at = models.DateTimeField(null=True, blank=True)
    chain_seq = models.BigIntegerField(default=0)
    chain_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["plan", "-due_on", "period_kind"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_kind", "period_key"], name="report_one_per_plan_period"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.period_key}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT
