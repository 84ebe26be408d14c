"""Settings for the benchmarks: the real settings, on the bench database, with the bench app added.

The bench app only holds a viewflow flow with a Timer node (bench/timerflow.py) for the sweep's
baseline; it has no models. Plain HTTP, because the in-process client and gunicorn on loopback
speak it; everything else is production's.
"""
import os

os.environ.setdefault("SAURO_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("SAURO_HTTPS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sauro_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# Jobs queued after a commit would go to a broker nobody reads: run them in-process instead.
CELERY_TASK_ALWAYS_EAGER = True
# Keep a connection per process (gunicorn workers, the in-process client): as production would.
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405

ROOT_URLCONF = "bench.urls"  # the site plus the pages benchmark's baseline page (bench/urls.py)
# Static files from the source folders, as in the tests: the benchmarks need no collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
