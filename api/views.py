"""Thin read-only API views: the policy narrows in api.selectors, parameters are checked in api.filters.

An object the caller may not see answers 404, exactly like one that does not exist, so the API
never tells an outsider which ids another commune has.
"""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics

from api import selectors
from api.filters import NotificationFilters, OccurrenceFilters, PlanFilters, query_params_parse
from api.serializers import (
    FigureSerializer, IndicatorSerializer, NotificationSerializer, OccurrenceDetailSerializer, OccurrenceSerializer, PlanSerializer,
    TaskDetailSerializer, TaskSerializer,
)
from notifications.models import Notification
from tasks.models import Indicator, Plan, Task
from workflow.models import Occurrence


class _ApiView:
    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _schema_only(self) -> bool:
        """drf-spectacular builds the schema with a fake view that has no real caller."""
        return getattr(self, "swagger_fake_view", False)

    def _filters(self, serializer_class) -> dict:
        return query_params_parse(serializer_class=serializer_class, params=self.request.query_params)

    def _plan(self) -> Plan:
        plan = selectors.api_plan_get(user=self.request.user, plan_id=self.kwargs["id"])
        if plan is None:
            raise exceptions.NotFound(_("No such plan, or you may not see it."))
        return plan


@extend_schema(tags=["plans"], summary="Plans the caller may see", parameters=[PlanFilters])
class PlanList(_ApiView, generics.ListAPIView):
    serializer_class = PlanSerializer

    def get_queryset(self):
        if self._schema_only():
            return Plan.objects.none()
        return selectors.api_plans_get(user=self.request.user, filters=self._filters(PlanFilters))


@extend_schema(tags=["plans"], summary="One plan")
class PlanDetail(_ApiView, generics.RetrieveAPIView):
    serializer_class = PlanSerializer
    queryset = Plan.objects.none()

    def get_object(self) -> Plan:
        return self._plan()


@extend_schema(tags=["tasks"], summary="The tasks of a plan, in the document's order")
class PlanTaskList(_ApiView, generics.ListAPIView):
    serializer_class = TaskSerializer

    def get_queryset(self):
        if self._schema_only():
            return Task.objects.none()
        return selectors.api_plan_tasks_get(plan=self._plan())


@extend_schema(tags=["tasks"], summary="One task, with the occurrences of it the caller may see")
class TaskDetail(_ApiView, generics.RetrieveAPIView):
    serializer_class = TaskDetailSerializer
    queryset = Task.objects.none()

    def get_object(self) -> Task:
        task = selectors.api_task_get(user=self.request.user, task_id=self.kwargs["id"])
        if task is None:
            raise exceptions.NotFound(_("No such task, or you may not see it."))
        return task


@extend_schema(tags=["occurrences"], summary="Occurrences the caller may see, soonest due first",
               parameters=[OccurrenceFilters])
class OccurrenceList(_ApiView, generics.ListAPIView):
    serializer_class = OccurrenceSerializer

    def get_queryset(self):
        if self._schema_only():
            return Occurrence.objects.none()
        return selectors.api_occurrences_get(user=self.request.user, filters=self._filters(OccurrenceFilters),
                                             today=timezone.localdate())


@extend_schema(tags=["occurrences"], summary="One occurrence, with its outputs, reviews, contributions, extensions")
class OccurrenceDetail(_ApiView, generics.RetrieveAPIView):
    serializer_class = OccurrenceDetailSerializer
    queryset = Occurrence.objects.none()

    def get_object(self) -> Occurrence:
        occurrence = selectors.api_occurrence_get(user=self.request.user, occurrence_id=self.kwargs["id"])
        if occurrence is None:
            raise exceptions.NotFound(_("No such occurrence, or you may not see it."))
        return occurrence


@extend_schema(tags=["indicators"], summary="The indicators of a plan, with their milestone targets")
class PlanIndicatorList(_ApiView, generics.ListAPIView):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        if self._schema_only():
            return Indicator.objects.none()
        return selectors.api_plan_indicators_get(plan=self._plan())


@extend_schema(tags=["notifications"], summary="The caller's own notifications, newest first",
               parameters=[NotificationFilters])
class NotificationList(_ApiView, generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if self._schema_only():
            return Notification.objects.none()
        return selectors.api_notifications_get(user=self.request.user, filters=self._filters(NotificationFilters))


@extend_schema(tags=["indicators"], summary="The approved figures of an indicator, oldest period first")
class IndicatorFigureList(_ApiView, generics.ListAPIView):
    serializer_class = FigureSerializer

    def get_queryset(self):
        from indicators.models import IndicatorFigure

        if self._schema_only():
            return IndicatorFigure.objects.none()
        indicator = selectors.api_indicator_get(user=self.request.user, indicator_id=self.kwargs["id"])
        if indicator is None:
            raise exceptions.NotFound(_("No such indicator, or you may not see it."))
        return selectors.api_indicator_figures_get(user=self.request.user, indicator=indicator)
