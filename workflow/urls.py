from django.urls import path

from workflow import views

urlpatterns = [
    path("viec-cua-toi/", views.my_work, name="my_work"),
    path("units/<int:unit_id>/queue/", views.unit_queue, name="unit_queue"),
    path("occurrences/<int:occurrence_id>/", views.occurrence_detail, name="occurrence_detail"),
    path("occurrences/<int:occurrence_id>/accept/", views.occurrence_accept, name="occurrence_accept"),
    path("occurrences/<int:occurrence_id>/submit/", views.output_submit, name="output_submit"),
    path("occurrences/<int:occurrence_id>/review/", views.output_review, name="output_review"),
    path("occurrences/<int:occurrence_id>/extension/", views.extension_request, name="extension_request"),
    path("occurrences/<int:occurrence_id>/extension/<int:extension_id>/decide/", views.extension_decide,
         name="extension_decide"),
    path("occurrences/<int:occurrence_id>/contributions/<int:contribution_id>/", views.contribution_submit,
         name="contribution_submit"),
    path("files/<int:file_id>/", views.file_download, name="file_download"),
    path("plans/<int:plan_id>/activate/", views.plan_activate, name="plan_activate"),
]
