"""The data API, version 1, under /api/; anything else under /api/ answers a JSON 404 (401 without a key)."""
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import views
from api.errors import ApiNotFound

urlpatterns = [
    path("v1/plans/", views.PlanList.as_view(), name="api_plans"),
    path("v1/plans/<int:id>/", views.PlanDetail.as_view(), name="api_plan"),
    path("v1/plans/<int:id>/tasks/", views.PlanTaskList.as_view(), name="api_plan_tasks"),
    path("v1/plans/<int:id>/indicators/", views.PlanIndicatorList.as_view(), name="api_plan_indicators"),
    path("v1/indicators/<int:id>/figures/", views.IndicatorFigureList.as_view(), name="api_indicator_figures"),
    path("v1/tasks/<int:id>/", views.TaskDetail.as_view(), name="api_task"),
    path("v1/occurrences/", views.OccurrenceList.as_view(), name="api_occurrences"),
    path("v1/occurrences/<int:id>/", views.OccurrenceDetail.as_view(), name="api_occurrence"),
    path("v1/notifications/", views.NotificationList.as_view(), name="api_notifications"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    re_path(r"^", ApiNotFound.as_view()),
]
