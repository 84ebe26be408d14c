"""Settings of the processes the fault tests start: the production settings (config.settings), plus
fast password hashing (the world is built with thirty accounts) and, for beat, a schedule from the
environment (SAURO_TEST_BEAT_SCHEDULE, JSON), so that it sends what is owed every second."""
import json
import os

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if os.environ.get("SAURO_TEST_BEAT_SCHEDULE"):
    CELERY_BEAT_SCHEDULE = json.loads(os.environ["SAURO_TEST_BEAT_SCHEDULE"])
