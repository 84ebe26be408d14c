from django.urls import path

from notifications import views

urlpatterns = [
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/<int:notification_id>/da-doc/", views.notification_read, name="notification_read"),
    path("thong-bao/da-doc-tat-ca/", views.notifications_read_all, name="notifications_read_all"),
]
