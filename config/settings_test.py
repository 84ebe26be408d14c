"""Settings for the test suite: the real settings, with test-only defaults set first."""
import os

# pytest-django reads settings before any conftest runs, so the defaults must be set here.
os.environ.setdefault("SAURO_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from config.settings import *  # noqa: E402,F403

# Hashing passwords slowly protects real accounts; tests create hundreds of throwaway ones.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests serve static files from the source folders; production serves the collected ones.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Files submitted in tests go to a throwaway folder, never to var/.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sauro-test-private-"))

# Jobs queued after a commit run in-process in tests; the worker tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
