from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only by bench/settings.py, so that the baseline's viewflow flow has an app to live in."""

    name = "bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
