from django.urls import path

from dashboards import views

urlpatterns = [
    path("tong-quan/", views.dashboards_index, name="dashboards_index"),
    path("xa/<slug:slug>/tong-quan/", views.commune_dashboard, name="commune_dashboard"),
    path("xa/<slug:slug>/don-vi/<int:unit_id>/tong-quan/", views.unit_scorecard, name="unit_scorecard"),
    path("xa/<slug:slug>/chi-dao/<int:post_id>/tong-quan/", views.directing_area, name="directing_area"),
    path("tinh/tong-quan/", views.province_overview, name="province_overview"),
]
