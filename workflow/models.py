"""Occurrences (one per task, lead unit and due period) and the work done on them.

An occurrence's status is kept here, denormalised from its viewflow process, so that inboxes
and boards are one indexed query; the process carries the flow. Overdue and due-soon are never
stored: they are computed from `due_on` when read.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roles.models import Commune, Post, Unit
from tasks.models import OutputKind, Plan, Task


class SchedulerHeartbeat(models.Model):
    """The last time the worker ran the scheduler's heartbeat job: /healthz reports it."""

    name = models.CharField(max_length=64, primary_key=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%d/%m/%Y %H:%M:%S}"


class OccurrenceStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Waiting for the unit head to accept")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted, waiting for the unit head")
    RETURNED = "returned", _("Returned for rework")
    AWAITING_DIRECTING = "awaiting_directing", _("Waiting for the directing comrade")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    OccurrenceStatus.ASSIGNED, OccurrenceStatus.IN_PROGRESS, OccurrenceStatus.SUBMITTED,
    OccurrenceStatus.RETURNED, OccurrenceStatus.AWAITING_DIRECTING,
)


class Occurrence(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="occurrences")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="occurrences")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="occurrences")
    period_key = models.CharField(_("period"), max_length=16)
    due_on = models.DateField(_("due date"))
    original_due_on = models.DateField(_("original due date"))
    status = models.CharField(_("status"), max_length=24, choices=OccurrenceStatus.choices,
                              default=OccurrenceStatus.ASSIGNED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assigned_occurrences", verbose_name=_("assigned to"))
    directing_post = models.ForeignKey(Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    needs_directing_approval = models.BooleanField(default=False)
    return_count = models.PositiveIntegerField(default=0)
    extension_count = models.PositiveIntegerField(default=0)
    went_on_without = models.JSONField(default=list, blank=True)  # supporting units not heard from at the end
    process = models.OneToOneField("viewflow.Process", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="occurrence")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    finished_on_time = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period_key"], name="occurrence_one_per_period"),
        ]
        indexes = [
            models.Index(fields=["commune", "status", "due_on"], name="occ_commune_status_due"),
            models.Index(fields=["unit", "status", "due_on"], name="occ_unit_status_due"),
            models.Index(fields=["assignee", "status", "due_on"], name="occ_assignee_status_due"),
            models.Index(fields=["directing_post", "status", "due_on"], name="occ_directing_status_due"),
            models.Index(fields=["due_on"], condition=Q(status__in=[
                "assigned", "in_progress", "submitted", "returned", "awaiting_directing"]), name="occ_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.unit} — {self.period_key}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ContributionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SUBMITTED = "submitted", _("Contributed")
    NOT_RECEIVED = "not_received", _("Not received: the lead unit went on without it")


class Contribution(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contributions")
    status = models.CharField(max_length=16, choices=ContributionStatus.choices, default=ContributionStatus.REQUESTED)
    text = models.TextField(_("contribution"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    flow_task = models.OneToOneField("viewflow.Task", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="contribution")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occurrence", "unit"], name="contribution_one_per_unit")]
        indexes = [models.Index(fields=["unit", "status"], name="contribution_unit_status")]


class StoredFile(models.Model):
    """A file kept in private storage, served only through a permission check."""

    relative_path = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    output = models.ForeignKey("Output", on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="files")


class Output(models.Model):
    """One submission of the required output; a returned one stays, the next is a new version."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="outputs")
    version = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=OutputKind.choices)
    number_symbol = models.CharField(_("number and symbol"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurrence", "version"]
        constraints = [models.UniqueConstraint(fields=["occurrence", "version"], name="output_unique_version")]


class ReviewLevel(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Unit head")
    DIRECTING = "directing", _("Directing comrade")


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Review(models.Model):
    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="reviews")
    level = models.CharField(max_length=16, choices=ReviewLevel.choices)
    decision = models.CharField(max_length=16, choices=ReviewDecision.choices)
    reason = models.TextField(_("reason"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_post = models.ForeignKey(Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    current_due_on = models.DateField()
    requested_due_on = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence"], condition=Q(status="pending"),
                                    name="extension_one_pending_per_occurrence"),
        ]


def escalation_rungs_default() -> list[dict]:
    """The defaults of issue 4: offsets in working days from the due date (negative: before it)."""
    return [
        {"key": "remind_7", "offset": -7, "to": ["person"]},
        {"key": "remind_3", "offset": -3, "to": ["person"]},
        {"key": "remind_1", "offset": -1, "to": ["person"]},
        {"key": "due", "offset": 0, "to": ["person", "unit_head"]},
        {"key": "overdue_3", "offset": 3, "to": ["directing", "party_office"]},
        {"key": "overdue_10", "offset": 10, "to": ["inspection"], "opens_case": True},
    ]


class EscalationPolicy(models.Model):
    """A commune's reminder and escalation rungs; its administrator edits them."""

    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="escalation_policy")
    rungs = models.JSONField(default=escalation_rungs_default)
    # Offsets count working days (skipping weekends, holidays and the commune's days off) or calendar days.
    counts_working_days = models.BooleanField(_("count in working days"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")


class SweepRun(models.Model):
    """One escalation sweep: as of when, and what it recorded per rung. Also the sweep's lock row."""

    as_of = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False)


class CalendarOverride(models.Model):
    """A commune's change to the national calendar: a day off moved by a decision, a working Saturday."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="calendar_overrides")
    day = models.DateField(_("day"))
    is_working_day = models.BooleanField(_("is a working day"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["commune", "day"]
        constraints = [models.UniqueConstraint(fields=["commune", "day"], name="calendar_override_once_per_day")]
