"""Plans, their appendix rows (tasks and indicators) and each indicator's milestone targets.

Every row keeps the text as the document wrote it beside what we parsed from it, so that an
officer can always see what the plan said and a parser fix can re-read the original.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from roles.models import Commune, Post, Unit


class PlanKind(models.TextChoices):
    PARTY = "party", _("Party plan")
    STATE = "state", _("People's Committee plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Imported, not yet active")
    ACTIVE = "active", _("Active")


class Plan(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="plans")
    number_symbol = models.CharField(_("number and symbol"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    title = models.TextField(_("title"))
    implements = models.JSONField(_("documents it implements"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    source_name = models.CharField(_("source file"), max_length=255)
    source_sha256 = models.CharField(max_length=64)
    import_warnings = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["commune", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "source_sha256"], name="plan_file_imported_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol or self.title[:60]}"


class Appendix(models.TextChoices):
    INDICATORS = "indicators", _("Indicators")
    TASKS = "tasks", _("Tasks")


class RowGroup(models.Model):
    """A group row of an appendix ("I. PHÁT TRIỂN HẠ TẦNG"), numeral kept as written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="groups")
    appendix = models.CharField(max_length=16, choices=Appendix.choices)
    numeral = models.CharField(_("numeral"), max_length=20, blank=True)
    title = models.TextField(_("title"))
    position = models.PositiveIntegerField()
    source_row = models.PositiveIntegerField()
    # An appendix with one "Kết quả" column names its milestone year in a section row.
    milestone_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "appendix", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "appendix", "position"], name="rowgroup_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.numeral} {self.title}".strip()


class OutputKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Report")
    DOCUMENT = "document", _("Official document")
    DATA = "data", _("Reported figures")
    OUTCOME = "outcome", _("Outcome statement")
    NONE = "none", _("Not stated")


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(RowGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    position = models.PositiveIntegerField()
    source_row = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=20, blank=True)
    name = models.TextField(_("task"))
    directing_text = models.TextField(_("directing comrade (as written)"), blank=True)
    directing_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="directed_tasks"
    )
    lead_text = models.TextField(_("lead (as written)"), blank=True)
    lead_units = models.ManyToManyField(Unit, related_name="led_tasks", blank=True)
    # Collective leads as keys ("all_units", "departments"…): one occurrence per unit of that kind.
    lead_collectives = models.JSONField(default=list, blank=True)
    supporting_text = models.TextField(_("supporting units (as written)"), blank=True)
    supporting_units = models.ManyToManyField(Unit, related_name="supported_tasks", blank=True)
    supporting_collectives = models.JSONField(default=list, blank=True)
    output_text = models.TextField(_("required output (as written)"), blank=True)
    output_kind = models.CharField(_("output kind"), max_length=16, choices=OutputKind.choices)
    timeline_text = models.TextField(_("timeline (as written)"), blank=True)
    timeline = models.JSONField(_("timeline (parsed)"), default=dict)
    first_due_on = models.DateField(_("first due date"), null=True, blank=True)
    # Empty: follow the commune's policy on which outputs the directing comrade approves.
    needs_directing_approval = models.BooleanField(_("the directing comrade approves"), null=True, blank=True)
    unresolved_names = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="task_unique_position")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name[:80]}" if self.number else self.name[:80]


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(
        RowGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    position = models.PositiveIntegerField()
    source_row = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=20, blank=True)
    name = models.TextField(_("indicator"))
    measurement_unit = models.CharField(_("unit of measure"), max_length=100, blank=True)
    directing_text = models.TextField(_("directing comrade (as written)"), blank=True)
    directing_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="directed_indicators"
    )
    presiding_text = models.TextField(_("presiding comrade (as written)"), blank=True)
    monitoring_text = models.TextField(_("monitoring unit (as written)"), blank=True)
    monitoring_units = models.ManyToManyField(Unit, related_name="monitored_indicators", blank=True)
    monitoring_collectives = models.JSONField(default=list, blank=True)
    output_text = models.TextField(_("output (as written)"), blank=True)
    unresolved_names = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="indicator_unique_position")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name[:80]}" if self.number else self.name[:80]


class TargetKind(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    MORE_THAN = "more_than", _("more than")
    AT_MOST = "at_most", _("at most")
    LESS_THAN = "less_than", _("less than")
    EXACT = "exact", _("exactly")
    RANGE = "range", _("between")
    TOP_RANK = "top_rank", _("in the top")
    DONE = "done", _("done")
    NOT_APPLICABLE = "not_applicable", _("not applicable")
    EMPTY = "empty", _("not set")
    TEXT = "text", _("as written")


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("milestone year"))
    text = models.CharField(_("target (as written)"), max_length=255, blank=True)
    kind = models.CharField(max_length=16, choices=TargetKind.choices)
    low = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    high = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    strive = models.BooleanField(default=False, help_text=_("Written as 'Phấn đấu' (strive for)."))
    scope = models.CharField(max_length=255, blank=True, help_text=_("What a rank is among."))

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.text}"


class PlanUpload(models.Model):
    """An uploaded plan file waiting for the Party Office to confirm or cancel its preview."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    create_missing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


from guardian.models import UserObjectPermissionBase  # noqa: E402


class PlanUserObjectPermission(UserObjectPermissionBase):
    """A grant on one plan (guardian's direct foreign key, not its slow generic one).

    Used to share a single plan read-only with someone who has no role in its commune, such as
    a reviewer from the province; roles.policy consults it.
    """

    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False
