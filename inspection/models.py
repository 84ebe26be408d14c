"""Inspection cases: an occurrence escalated to the Inspection Committee, its explanations and its own history.

A case holds the occurrence (and through it the occurrence's full history and outputs); the case's
own steps are audit events with object type "case" (audit/).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roles.models import Commune
from workflow.models import Occurrence


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open, waiting for the Inspection Committee")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EXPLANATION_REQUESTED = "explanation_requested", _("Explanation requested from the lead unit")
    EXPLAINED = "explained", _("Explanation received")
    CLOSED = "closed", _("Closed")


class InspectionCase(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    occurrence = models.ForeignKey(Occurrence, on_delete=models.PROTECT, related_name="inspection_cases",
                                   verbose_name=_("occurrence"))
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    opened_reason = models.CharField(_("opened because"), max_length=32)
    conclusion = models.TextField(_("conclusion"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inspection case")
        verbose_name_plural = _("inspection cases")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence"], condition=~Q(status="closed"),
                                    name="inspection_one_open_case_per_occurrence"),
        ]
        indexes = [models.Index(fields=["commune", "status"], name="case_commune_status")]

    def __str__(self) -> str:
        return f"#{self.pk} — {self.occurrence}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class Explanation(models.Model):
    """A request for an explanation (giải trình) from the lead unit, and its answer."""

    case = models.ForeignKey(InspectionCase, on_delete=models.CASCADE, related_name="explanations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    question = models.TextField(_("question"))
    due_on = models.DateField(_("answer by"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["case", "requested_at", "pk"]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
