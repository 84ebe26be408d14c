from django.urls import path

from reports import views

urlpatterns = [
    path("bao-cao/", views.reports_index, name="reports_index"),
    path("plans/<int:plan_id>/bao-cao/", views.plan_reports, name="plan_reports"),
    path("plans/<int:plan_id>/bao-cao/lap/", views.report_prepare, name="report_prepare"),
    path("plans/<int:plan_id>/phu-luc.xlsx", views.appendix_download, name="appendix_download"),
    path("bao-cao/<int:report_id>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:report_id>/sua/", views.report_narrative_edit, name="report_narrative_edit"),
    path("bao-cao/<int:report_id>/lam-moi/", views.report_refresh, name="report_refresh"),
    path("bao-cao/<int:report_id>/hoan-tat/", views.report_finalise, name="report_finalise"),
    path("bao-cao/<int:report_id>/tai/<str:file_format>/", views.report_download, name="report_download"),
]
