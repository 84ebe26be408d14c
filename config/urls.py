from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import LoginView
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One sign-in page for everyone, so the admin's is throttled and followed by two-factor too.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("audit.urls")),
    path("", include("indicators.urls")),
    path("", include("reports.urls")),
    path("", include("dashboards.urls")),
    path("api/", include("api.urls")),
    path("lich/", include("api.calendar_urls")),
    path("", include("notifications.urls")),
    path("", include("inspection.urls")),
    path("", include("workflow.urls")),
    path("", include("tasks.urls")),
]

# The database away during a middleware (session, user): the 503 page, not a 500 (config/outage.py).
handler500 = "config.outage.server_error"
