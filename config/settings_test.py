"""Settings for the test suite: the real settings, with test-only defaults set first."""
import os

# pytest-django reads settings before any conftest runs, so the defaults must be set here.
os.environ.setdefault("SAURO_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# The test client and the live server speak plain HTTP; tests/test_security_settings.py checks HTTPS.
os.environ.setdefault("SAURO_HTTPS", "0")

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
# tests/worker starts that worker (and beat) with these settings and CELERY_TASK_ALWAYS_EAGER=0;
# it also gives each test its own queue and, for beat, a fast schedule, through the two variables below.
import json  # noqa: E402

from config.env import env_bool  # noqa: E402

CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
if os.environ.get("SAURO_TEST_CELERY_QUEUE"):
    CELERY_TASK_DEFAULT_QUEUE = os.environ["SAURO_TEST_CELERY_QUEUE"]
if os.environ.get("SAURO_TEST_BEAT_SCHEDULE"):  # JSON: {"name": {"task": ..., "schedule": seconds, "args": [...]}}
    CELERY_BEAT_SCHEDULE = json.loads(os.environ["SAURO_TEST_BEAT_SCHEDULE"])
