from django.urls import path

from accounts import views

urlpatterns = [
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("accounts/two-factor/backup-codes/new/", views.two_factor_backup_codes_renew,
         name="two_factor_backup_codes_renew"),
]
