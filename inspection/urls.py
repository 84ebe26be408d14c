from django.urls import path

from inspection import views

urlpatterns = [
    path("kiem-tra/", views.case_list, name="cases"),
    path("kiem-tra/<int:case_id>/", views.case_detail, name="case_detail"),
    path("kiem-tra/<int:case_id>/tiep-nhan/", views.case_acknowledge, name="case_acknowledge"),
    path("kiem-tra/<int:case_id>/yeu-cau-giai-trinh/", views.explanation_request, name="explanation_request"),
    path("kiem-tra/<int:case_id>/giai-trinh/<int:explanation_id>/", views.explanation_answer,
         name="explanation_answer"),
    path("kiem-tra/<int:case_id>/ket-luan/", views.case_close, name="case_close"),
]
