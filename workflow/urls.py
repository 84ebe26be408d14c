from django.urls import path

from workflow import rules_views, views

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
    path("xa/<slug:slug>/bang-theo-doi/", rules_views.board, name="board"),
    path("xa/<slug:slug>/quy-tac/", rules_views.commune_rules, name="commune_rules"),
    path("xa/<slug:slug>/quy-tac/canh-bao/", rules_views.commune_policy_edit, name="commune_policy_edit"),
    path("xa/<slug:slug>/quy-tac/lich/", rules_views.calendar_override_add, name="calendar_override_add"),
    path("xa/<slug:slug>/quy-tac/lich/<int:override_id>/xoa/", rules_views.calendar_override_delete,
         name="calendar_override_delete"),
]
