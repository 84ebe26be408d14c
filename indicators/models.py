"""Indicator tracking: how often each indicator is reported, and the figure reported per period.

A figure is owed per (indicator, period) by the indicator's reporting unit: the first
monitoring unit the plan names. Its members submit the figure with evidence; the unit's head
approves or returns it, as for a task's output. Only approved figures count for progress
(indicators/progress.py). Overdue and due-soon are computed from `due_on` when read.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roles.models import Commune, Unit
from tasks.models import Indicator, Plan


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    ANNUAL = "annual", _("Yearly")


DEFAULT_CADENCE = Cadence.QUARTERLY
# A figure is due this many working days after its period ends: time to count and to get the evidence.
DEFAULT_DUE_WORKING_DAYS = 5


class IndicatorSchedule(models.Model):
    """How often an indicator is reported; an indicator without one uses the defaults above."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="schedule")
    cadence = models.CharField(_("reported"), max_length=16, choices=Cadence.choices, default=DEFAULT_CADENCE)
    due_working_days = models.PositiveSmallIntegerField(
        _("working days after the period to report"), default=DEFAULT_DUE_WORKING_DAYS)
    # Empty: the first monitoring unit the plan names. Set it when the plan names a collective ("all units").
    reporting_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("reporting unit"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")


class FigureStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for the figure")
    SUBMITTED = "submitted", _("Submitted, waiting for the unit head")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


OPEN_FIGURE_STATUSES = (FigureStatus.DRAFT, FigureStatus.SUBMITTED, FigureStatus.RETURNED)


class Assessment(models.TextChoices):
    """The unit's own judgement, for a target written in words (and optional otherwise)."""

    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class IndicatorFigure(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    # A plan is deleted only by the demo's reset; its figures go with it (the audit chain keeps their history).
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicator_figures")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="figures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="indicator_figures")
    period_key = models.CharField(_("period"), max_length=16)
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=FigureStatus.choices, default=FigureStatus.DRAFT)
    # What was measured: a number, a rank, done or not, and/or an assessment in words, as the target needs.
    value = models.DecimalField(_("figure"), max_digits=16, decimal_places=4, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    done = models.BooleanField(_("done"), null=True, blank=True)
    assessment = models.CharField(_("assessment"), max_length=16, choices=Assessment.choices, blank=True)
    note = models.TextField(_("explanation"), blank=True)
    version = models.PositiveIntegerField(default=0)  # how many times it was submitted
    return_count = models.PositiveIntegerField(default=0)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Its "figure_created" audit event is written: generation claims unannounced rows, so a figure
    # created by two runs at once is announced once.
    announced = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("indicator figure")
        verbose_name_plural = _("indicator figures")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_key"], name="figure_one_per_period"),
        ]
        indexes = [
            models.Index(fields=["plan", "status", "period_end"], name="figure_plan_status_end"),
            models.Index(fields=["unit", "status", "due_on"], name="figure_unit_status_due"),
            models.Index(fields=["due_on"], condition=Q(status__in=["draft", "submitted", "returned"]),
                         name="figure_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.period_key}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FIGURE_STATUSES


class FigureEvidence(models.Model):
    """A stored file attached to a figure's submission (version); older versions' files stay."""

    figure = models.ForeignKey(IndicatorFigure, on_delete=models.CASCADE, related_name="evidence")
    file = models.OneToOneField("sauro_workflow.StoredFile", on_delete=models.PROTECT, related_name="figure_evidence")
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["figure", "version", "pk"]


class FigureNotice(models.Model):
    """The key of a reminder or escalation sent about a figure: (figure, rung, recipient) once.

    notifications.Notification keys its rows by occurrence; a figure has none, so this table
    keeps a sweep that runs twice from sending twice.
    """

    figure = models.ForeignKey(IndicatorFigure, on_delete=models.CASCADE, related_name="notices")
    rung = models.CharField(max_length=32)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    batch = models.UUIDField()
    notification = models.ForeignKey("notifications.Notification", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figure", "rung", "recipient"], name="figure_notice_once"),
        ]
        indexes = [models.Index(fields=["batch"], name="figure_notice_batch")]
