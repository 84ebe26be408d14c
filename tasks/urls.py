from django.urls import path

from tasks import views

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/heading/", views.plan_heading_edit, name="plan_heading_edit"),
    path("plans/import/", views.plan_upload, name="plan_upload"),
    path("plans/import/<int:upload_id>/", views.plan_upload_preview, name="plan_upload_preview"),
    path("plans/import/<int:upload_id>/confirm/", views.plan_upload_confirm, name="plan_upload_confirm"),
    path("plans/import/<int:upload_id>/cancel/", views.plan_upload_cancel, name="plan_upload_cancel"),
]
