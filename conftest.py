import os

# Tests run without a secret in the environment; production refuses to start without one.
os.environ.setdefault("SAURO_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
