from django.urls import path

from indicators import views

urlpatterns = [
    path("indicators/", views.indicators_home, name="indicators_home"),
    path("plans/<int:plan_id>/indicators/", views.plan_indicators, name="plan_indicators"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:indicator_id>/schedule/", views.indicator_schedule_edit, name="indicator_schedule_edit"),
    path("figures/<int:figure_id>/", views.figure_detail, name="figure_detail"),
    path("figures/<int:figure_id>/submit/", views.figure_submit, name="figure_submit"),
    path("figures/<int:figure_id>/review/", views.figure_review, name="figure_review"),
    path("figures/<int:figure_id>/files/<int:file_id>/", views.figure_file, name="figure_file"),
]
