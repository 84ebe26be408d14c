"""What each API row says. Read-only; related rows come prefetched by api.selectors, never one by one."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications.models import Notification
from notifications.selectors import notification_render
from roles.models import Commune, Post, Unit, User
from tasks.models import Indicator, IndicatorTarget, Plan, RowGroup, Task
from workflow.models import (
    Contribution, ExtensionRequest, Occurrence, Output, Review, StoredFile,
)
from workflow.selectors import urgency_of


def web_url(*, name: str, pk: int) -> str:
    """The page of the object on the site, as a full address (the one emails use too)."""
    return settings.SAURO_BASE_URL.rstrip("/") + reverse(name, args=[pk])


class CommuneRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["id", "slug", "name", "province"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind"]


class PostRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "title"]


class PersonRefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name"]

    def get_name(self, person: User) -> str:
        return str(person)


class GroupRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = RowGroup
        fields = ["id", "numeral", "title"]


class PlanSerializer(serializers.ModelSerializer):
    commune = CommuneRefSerializer()
    implements = serializers.ListField(child=serializers.CharField())
    task_count = serializers.IntegerField()
    indicator_count = serializers.IntegerField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["id", "commune", "kind", "number_symbol", "issuer", "issued_on", "title", "implements", "status",
                  "imported_at", "task_count", "indicator_count", "web_url"]

    def get_web_url(self, plan: Plan) -> str:
        return web_url(name="plan_detail", pk=plan.pk)


class TaskSerializer(serializers.ModelSerializer):
    group = GroupRefSerializer(allow_null=True)
    directing_post = PostRefSerializer(allow_null=True)
    lead_units = UnitRefSerializer(many=True)
    lead_collectives = serializers.ListField(child=serializers.CharField())
    supporting_units = UnitRefSerializer(many=True)
    supporting_collectives = serializers.ListField(child=serializers.CharField())
    plan_id = serializers.IntegerField()
    timeline = serializers.DictField(help_text="The timeline as parsed from timeline_text; its 'kind' says which.")
    unresolved_names = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Task
        fields = ["id", "plan_id", "number", "name", "group", "position", "directing_text", "directing_post",
                  "lead_text", "lead_units", "lead_collectives", "supporting_text", "supporting_units",
                  "supporting_collectives", "output_text", "output_kind", "timeline_text", "timeline",
                  "first_due_on", "needs_directing_approval", "unresolved_names"]


class TaskOccurrenceSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = Occurrence
        fields = ["id", "unit", "period_key", "due_on", "status"]


class TaskDetailSerializer(TaskSerializer):
    occurrences = TaskOccurrenceSerializer(many=True, source="visible_occurrences",
                                           help_text="The occurrences of this task that the caller may see.")

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "occurrences"]


class OccurrenceSerializer(serializers.ModelSerializer):
    commune = CommuneRefSerializer()
    plan = serializers.SerializerMethodField()
    task = serializers.SerializerMethodField()
    unit = UnitRefSerializer()
    assignee = PersonRefSerializer(allow_null=True)
    directing_post = PostRefSerializer(allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    is_open = serializers.BooleanField()
    urgency = serializers.SerializerMethodField(
        help_text="For open occurrences: overdue, due_soon (within 7 days) or on_time, as of today; empty when closed.")
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Occurrence
        fields = ["id", "commune", "plan", "task", "unit", "period_key", "due_on", "original_due_on", "status",
                  "status_label", "is_open", "urgency", "assignee", "directing_post", "needs_directing_approval",
                  "return_count", "extension_count", "created_at", "accepted_at", "submitted_at", "finished_at",
                  "finished_on", "finished_on_time", "web_url"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "number_symbol": {
        "type": "string"}, "title": {"type": "string"}}, "required": ["id", "number_symbol", "title"]})
    def get_plan(self, occurrence: Occurrence) -> dict:
        plan = occurrence.plan
        return {"id": plan.pk, "number_symbol": plan.number_symbol, "title": plan.title}

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "number": {"type": "string"},
                                                           "name": {"type": "string"}},
                          "required": ["id", "number", "name"]})
    def get_task(self, occurrence: Occurrence) -> dict:
        task = occurrence.task
        return {"id": task.pk, "number": task.number, "name": task.name}

    @extend_schema_field({"type": "string", "enum": ["overdue", "due_soon", "on_time", ""]})
    def get_urgency(self, occurrence: Occurrence) -> str:
        if not occurrence.is_open:
            return ""
        return urgency_of(due_on=occurrence.due_on, today=self.context["today"])

    def get_web_url(self, occurrence: Occurrence) -> str:
        return web_url(name="occurrence_detail", pk=occurrence.pk)


class FileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    web_url = serializers.SerializerMethodField(help_text="Download page; it asks the site's own permission check.")

    class Meta:
        model = StoredFile
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at", "web_url"]

    def get_web_url(self, stored: StoredFile) -> str:
        return web_url(name="file_download", pk=stored.pk)


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["level", "decision", "reason", "reviewed_at"]


class OutputSerializer(serializers.ModelSerializer):
    files = FileSerializer(many=True)
    reviews = ReviewSerializer(many=True)

    class Meta:
        model = Output
        fields = ["version", "kind", "number_symbol", "document_date", "signer", "note", "submitted_at", "files",
                  "reviews"]


class ContributionSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = Contribution
        fields = ["unit", "status", "submitted_at"]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["requested_at", "current_due_on", "requested_due_on", "reason", "status", "decided_at",
                  "decision_reason"]


class OccurrenceDetailSerializer(OccurrenceSerializer):
    outputs = OutputSerializer(many=True)
    contributions = ContributionSerializer(many=True)
    extension_requests = ExtensionSerializer(many=True)

    class Meta(OccurrenceSerializer.Meta):
        fields = [*OccurrenceSerializer.Meta.fields, "outputs", "contributions", "extension_requests"]


class TargetSerializer(serializers.ModelSerializer):
    low = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True)
    high = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True)

    class Meta:
        model = IndicatorTarget
        fields = ["year", "text", "kind", "low", "high", "unit", "strive", "scope"]


class IndicatorSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField()
    group = GroupRefSerializer(allow_null=True)
    directing_post = PostRefSerializer(allow_null=True)
    monitoring_units = UnitRefSerializer(many=True)
    monitoring_collectives = serializers.ListField(child=serializers.CharField())
    targets = TargetSerializer(many=True)

    class Meta:
        model = Indicator
        fields = ["id", "plan_id", "number", "name", "measurement_unit", "group", "position", "directing_text",
                  "directing_post", "presiding_text", "monitoring_text", "monitoring_units",
                  "monitoring_collectives", "output_text", "targets"]


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    urgency = serializers.SerializerMethodField()
    occurrence_id = serializers.IntegerField(allow_null=True)
    params = serializers.DictField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "occurrence_id", "message_key", "params", "title", "body", "rung", "kind", "urgency",
                  "created_at", "read_at", "web_url"]

    def _rendered(self, notification: Notification):
        cached = getattr(notification, "_rendered", None)
        if cached is None:
            cached = notification._rendered = notification_render(notification=notification)
        return cached

    def get_title(self, notification: Notification) -> str:
        return self._rendered(notification).title

    def get_body(self, notification: Notification) -> str:
        return self._rendered(notification).body

    @extend_schema_field({"type": "string", "enum": ["overdue", "due", "due_soon", "other"]})
    def get_urgency(self, notification: Notification) -> str:
        return self._rendered(notification).urgency

    @extend_schema_field(OpenApiTypes.STR)
    def get_web_url(self, notification: Notification) -> str:
        if notification.url.startswith("/"):
            return settings.SAURO_BASE_URL.rstrip("/") + notification.url
        return notification.url


class FigureEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="file.pk")
    name = serializers.CharField(source="file.original_name")
    content_type = serializers.CharField(source="file.content_type")
    size = serializers.IntegerField(source="file.size")
    sha256 = serializers.CharField(source="file.sha256")
    version = serializers.IntegerField()
    web_url = serializers.SerializerMethodField(help_text="Download page; it asks the site's own permission check.")

    def get_web_url(self, evidence) -> str:
        return settings.SAURO_BASE_URL.rstrip("/") + reverse("figure_file", args=[evidence.figure_id,
                                                                                  evidence.file_id])


class FigureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    indicator_id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    unit = UnitRefSerializer()
    period_key = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=False, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    done = serializers.BooleanField(allow_null=True)
    assessment = serializers.CharField(help_text="achieved, on_track, at_risk, off_track, or empty.")
    value_text = serializers.SerializerMethodField(help_text="The figure as a person reads it.")
    note = serializers.CharField()
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    approved_on = serializers.DateField(allow_null=True)
    evidence = FigureEvidenceSerializer(many=True)
    web_url = serializers.SerializerMethodField()

    def get_value_text(self, figure) -> str:
        from indicators.selectors import figure_value_text

        return figure_value_text(figure=figure, unit=figure.indicator.measurement_unit)

    def get_web_url(self, figure) -> str:
        return web_url(name="figure_detail", pk=figure.pk)
