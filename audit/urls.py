from django.urls import path

from audit import views

urlpatterns = [
    path("kiem-tra-lich-su/", views.workspace_home, name="audit_workspace_home"),
    path("xa/<slug:slug>/kiem-tra-lich-su/", views.workspace, name="audit_workspace"),
    path("xa/<slug:slug>/kiem-tra-lich-su/viec/<int:subject_id>/", views.timeline, {"subject": "occurrence"},
         name="audit_occurrence_timeline"),
    path("xa/<slug:slug>/kiem-tra-lich-su/nhiem-vu/<int:subject_id>/", views.timeline, {"subject": "task"},
         name="audit_task_timeline"),
    path("xa/<slug:slug>/kiem-tra-lich-su/nguoi/<int:subject_id>/", views.timeline, {"subject": "person"},
         name="audit_person_timeline"),
    path("xa/<slug:slug>/kiem-tra-lich-su/don-vi/<int:subject_id>/", views.timeline, {"subject": "unit"},
         name="audit_unit_timeline"),
    path("xa/<slug:slug>/kiem-tra-lich-su/ho-so/", views.bundle_export_view, name="audit_bundle_export"),
    path("kiem-tra/<int:case_id>/ho-so-chung-cu/", views.case_bundle_export, name="audit_case_bundle_export"),
]
